// The streaming promise on the project's corpora and the default catalog: every text, cut into single
// bytes, random 1–8 byte pieces or token-like pieces, redacts exactly as block mode redacts it whole.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sluice/engine/redactor.h"
#include "sluice/engine/scanner.h"
#include "sluice/engine/stream_redactor.h"
#include "block_redaction.h"
#include "test_rules.h"

namespace sluice::engine {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Up to `per_file` texts from each corpora/**/*.jsonl ("text" field) and paragraphs of corpora/**/*.txt.
std::vector<std::string> corpus_texts(std::size_t per_file) {
  std::vector<std::string> texts;
  const fs::path root = fs::path(SLUICE_SOURCE_DIR) / "corpora";
  if (!fs::exists(root)) {
    return texts;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const auto ext = entry.path().extension();
    if (entry.is_regular_file() && (ext == ".jsonl" || ext == ".txt")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  simdjson::dom::parser json;
  for (const fs::path& file : files) {
    const std::string content = read_file(file);
    std::size_t taken = 0;
    std::istringstream lines(content);
    if (file.extension() == ".jsonl") {
      for (std::string line; taken < per_file && std::getline(lines, line);) {
        std::string_view text;
        if (json.parse(line).get_object()["text"].get_string().get(text) == simdjson::SUCCESS) {
          texts.emplace_back(text);
          ++taken;
        }
      }
    } else {
      std::size_t at = 0;
      while (taken < per_file && at < content.size()) {
        std::size_t end = content.find("\n\n", at);
        end = end == std::string::npos ? content.size() : end + 2;
        texts.push_back(content.substr(at, end - at));
        ++taken;
        at = end;
      }
    }
  }
  return texts;
}

bool continuation(std::string_view text, std::size_t at) {
  return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
}

std::vector<std::size_t> cuts_for(std::string_view text, int mode, std::mt19937& rng) {
  std::vector<std::size_t> cuts;
  std::size_t last = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    bool cut = false;
    switch (mode) {
      case 0: cut = true; break;                       // single bytes, splitting characters too
      case 1: cut = i - last >= 1 + rng() % 8; break;  // random 1–8 byte pieces
      default: {                                       // token-like: at word edges and every few letters
        const char c = text[i];
        cut = !continuation(text, i) && (c == ' ' || c == '\n' || c == '.' || c == ',' || c == '@' ||
                                          c == '-' || c == ':' || i - last >= 2 + rng() % 5);
      }
    }
    if (cut) {
      cuts.push_back(i);
      last = i;
    }
  }
  return cuts;
}

TEST(StreamRedactorCorpus, EveryCorpusTextStreamsToItsBlockRedaction) {
  const std::vector<std::string> texts = corpus_texts(40);
  if (texts.empty()) {
    GTEST_SKIP() << "no corpora/ in this tree";
  }
  const auto& rules = testing::default_rules();
  scanner stream_scanner(rules);
  redactor placeholders;
  stream_redactor sr(rules, stream_scanner.scratch(), placeholders);
  std::mt19937 rng(29);
  std::size_t checked = 0;
  std::size_t max_held = 0;
  for (const std::string& text : texts) {
    const std::string expected = testing::block_redaction(rules, text);
    for (int mode = 0; mode < 3; ++mode) {
      ASSERT_EQ(sr.reset(), errc::ok);
      std::string out;
      std::size_t at = 0;
      for (const std::size_t cut : cuts_for(text, mode, rng)) {
        ASSERT_EQ(sr.write(std::string_view(text).substr(at, cut - at), out), errc::ok);
        max_held = std::max(max_held, sr.held_bytes());
        at = cut;
      }
      ASSERT_EQ(sr.write(std::string_view(text).substr(at), out), errc::ok);
      ASSERT_EQ(sr.finish(out), errc::ok);
      ASSERT_EQ(out, expected) << "mode " << mode << ", text: " << text;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0u);
  // The documented bound: the longest entity, plus at most 3 bytes of an unfinished character.
  EXPECT_LE(max_held, rules->max_redaction_width() + 3);
}

}  // namespace
}  // namespace sluice::engine
