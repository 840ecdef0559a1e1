#pragma once
// Deterministic benchmark inputs: clean English prose, PII-dense text, source code and logs, at any
// size. Generated from fixed vocabularies with a fixed seed so every run scans the same bytes.
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::bench {

enum class input_kind { prose, pii_dense, code, logs };

inline std::string_view name_of(input_kind k) {
  switch (k) {
    case input_kind::prose: return "prose";
    case input_kind::pii_dense: return "pii_dense";
    case input_kind::code: return "code";
    case input_kind::logs: return "logs";
  }
  return "?";
}

// A planted entity in a generated text (byte offsets), for checking results before timing.
struct planted {
  std::string type;
  std::size_t start;
  std::size_t end;
};

struct generated_input {
  std::string text;
  std::vector<planted> entities;
};

inline generated_input make_input(input_kind kind, std::size_t size, std::uint32_t seed = 42) {
  static const std::vector<std::string_view> words = {
      "the", "customer", "asked", "whether", "our", "quarterly", "report", "could", "include", "a",
      "summary", "of", "shipping", "delays", "and", "how", "they", "affected", "revenue", "in", "each",
      "region", "we", "should", "also", "explain", "why", "support", "tickets", "increased", "during",
      "holiday", "season", "please", "draft", "short", "answer", "that", "is", "polite", "clear",
      "model", "team", "project", "meeting", "notes", "were", "shared", "with", "everyone", "after",
      "review", "budget", "forecast", "for", "next", "year", "looks", "reasonable", "but", "risky",
      "assumptions", "about", "growth", "need", "more", "evidence", "from", "market", "research"};
  static const std::vector<std::string_view> code_lines = {
      "for (std::size_t i = 0; i < items.size(); ++i) {\n", "  total += items[i].price * items[i].qty;\n",
      "}\n", "def load_config(path):\n", "    with open(path) as f:\n", "        return yaml.safe_load(f)\n",
      "const result = await fetch(url, { method: 'POST', body });\n", "if err != nil { return nil, err }\n",
      "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '7 days';\n",
      "git commit -m \"fix: handle empty response (a3f9c21)\"\n"};
  static const std::vector<std::string_view> log_lines = {
      "2026-11-23T10:15:02.113Z INFO  request_id=7f3c9a2e method=GET path=/api/v2/orders status=200 dur_ms=12\n",
      "2026-11-23T10:15:02.207Z WARN  upstream slow host=10.20.30.40 latency_ms=812 retry=1\n",
      "2026-11-23T10:15:03.001Z ERROR order 883412 failed: timeout after 30000ms (attempt 3/3)\n",
      "2026-11-23T10:15:03.420Z DEBUG cache hit key=user:48213:profile ttl=300 version=4.12.7\n"};
  static const std::vector<std::pair<std::string_view, std::string_view>> pii = {
      {"EMAIL", "jane.doe@example.com"}, {"CREDIT_CARD", "4111 1111 1111 1111"},
      {"SSN", "536-22-1876"}, {"PHONE", "+1 415-555-0132"}, {"IBAN", "DE89370400440532013000"},
      {"IP_ADDRESS", "192.168.14.201"},
      // Not AWS's documentation key (AKIA...EXAMPLE): the catalog treats that one as a placeholder.
      {"API_KEY", "AKIAQ3EGT5KZRW7XPMDL"}};
  std::mt19937 rng(seed);
  generated_input out;
  out.text.reserve(size + 128);
  std::size_t sentence = 0;
  while (out.text.size() < size) {
    switch (kind) {
      case input_kind::prose:
      case input_kind::pii_dense: {
        const int n = 8 + static_cast<int>(rng() % 12);
        for (int w = 0; w < n; ++w) {
          std::string_view word = words[rng() % words.size()];
          if (w == 0) {
            out.text.push_back(static_cast<char>(word[0] - 'a' + 'A'));
            out.text.append(word.substr(1));
          } else {
            out.text.append(word);
          }
          out.text.push_back(w + 1 == n ? '.' : ' ');
        }
        out.text.push_back(' ');
        if (kind == input_kind::pii_dense) {
          const auto& [type, value] = pii[sentence % pii.size()];
          out.text.append("Contact: ");
          out.text.append(value);
          out.entities.push_back({std::string(type), out.text.size() - value.size(), out.text.size()});
          out.text.append(". ");
        }
        ++sentence;
        break;
      }
      case input_kind::code:
        out.text.append(code_lines[rng() % code_lines.size()]);
        break;
      case input_kind::logs:
        out.text.append(log_lines[rng() % log_lines.size()]);
        break;
    }
  }
  // Cut at the requested size without splitting a planted entity.
  while (!out.entities.empty() && out.entities.back().end > size) {
    out.entities.pop_back();
  }
  out.text.resize(size);
  return out;
}

// Inputs built to be hard for a scanner rather than typical: long runs of one character class, where
// many rules' prefilters fire at every position and a careless confirmer rescans the run once per end.
enum class adversarial_kind { digit_run, random_digits, hex_run, base64_blob, random_alnum };

inline std::string_view name_of(adversarial_kind k) {
  switch (k) {
    case adversarial_kind::digit_run: return "digit_run";
    case adversarial_kind::random_digits: return "random_digits";
    case adversarial_kind::hex_run: return "hex_run";
    case adversarial_kind::base64_blob: return "base64_blob";
    case adversarial_kind::random_alnum: return "random_alnum";
  }
  return "?";
}

inline std::string make_adversarial(adversarial_kind kind, std::size_t size, std::uint32_t seed = 42) {
  static constexpr std::string_view digits = "0123456789";
  static constexpr std::string_view hex = "0123456789abcdef";
  static constexpr std::string_view base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static constexpr std::string_view alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::mt19937 rng(seed);
  const auto pick = [&](std::string_view from) { return from[rng() % from.size()]; };
  std::string out;
  out.reserve(size);
  while (out.size() < size) {
    switch (kind) {
      case adversarial_kind::digit_run: out.push_back('0'); break;
      case adversarial_kind::random_digits: out.push_back(pick(digits)); break;
      case adversarial_kind::hex_run: out.push_back(pick(hex)); break;
      case adversarial_kind::base64_blob: out.push_back(pick(base64)); break;
      case adversarial_kind::random_alnum: out.push_back(pick(alnum)); break;
    }
  }
  return out;
}

}  // namespace sluice::bench
