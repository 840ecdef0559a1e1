// Training the injection model: reading labelled JSONL, weighting (template families capped, classes
// balanced), Adagrad on the logistic loss of each text's best window (the window the scorer will use, so
// a long benign text teaches the model about its most attack-like window, and a long attack about the
// window that holds the attack), leave-one-source-out scores, Platt calibration and thresholds.
#include "sluice/engine/injection_training.h"
#include "sluice/engine/text_disguises.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <tuple>

#include "model/feature_hashing.h"
#include "model/window_tracker.h"
#include "sluice/engine/normalizer.h"

namespace sluice::engine {

struct training_set::impl {
  training_options options;
  std::vector<labelled_text> texts;
  std::vector<std::string> normalized;
  std::vector<std::string> sources;
  std::vector<std::uint32_t> source_of;
  // Text t's blocks are [first_block[t], first_block[t + 1]); block b's features are buckets
  // [block_start[b], block_start[b + 1]).
  std::vector<std::uint32_t> buckets;
  std::vector<std::uint64_t> block_start;
  std::vector<std::uint64_t> first_block;
  std::vector<std::uint8_t> single_window;
  std::vector<std::uint8_t> script_of;  // the text's main writing system (see main_script)
};

namespace {

std::string source_of_file(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  return name.substr(0, name.find('.'));
}

// The id without trailing numbers and separators: "asb-dpi-012" -> "asb-dpi", "gptfuzz-jbchat-000-0" ->
// "gptfuzz-jbchat".
std::string family_of(const std::string& id) {
  std::size_t end = id.size();
  while (end > 0) {
    std::size_t k = end;
    while (k > 0 && std::isdigit(static_cast<unsigned char>(id[k - 1])) != 0) {
      --k;
    }
    if (k == end || k == 0 || (id[k - 1] != '-' && id[k - 1] != '_')) {
      break;
    }
    end = k - 1;
  }
  return id.substr(0, end);
}

double sigmoid(double z) noexcept { return 1.0 / (1.0 + std::exp(-z)); }

// The writing system most of a text's letters are in, told from UTF-8 lead bytes: 0 Latin (ASCII and
// Latin-1/Extended letters), else one class per script block. Character n-grams of a script seen only
// in attacks would make the script itself a cue, so example weights balance classes per script.
std::uint8_t main_script(std::string_view text) noexcept {
  // 0 Latin; 1 Greek; 2 Cyrillic; 3 Armenian/Hebrew; 4 Arabic; 5 kana; 6 CJK; 7 Hangul; 8.. one per
  // 128-code-point block of U+0800..U+0FFF (Devanagari, Bengali, …, Telugu, …, Thai, Lao, Tibetan).
  std::uint32_t counts[24] = {};
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      counts[0] += static_cast<unsigned char>((c | 0x20) - 'a') < 26 ? 1 : 0;
    } else if (c >= 0xC3 && c <= 0xC9) {
      ++counts[0];  // Latin-1 and Latin Extended letters
    } else if (c >= 0xCD && c <= 0xCF) {
      ++counts[1];
    } else if (c >= 0xD0 && c <= 0xD4) {
      ++counts[2];
    } else if (c >= 0xD5 && c <= 0xD7) {
      ++counts[3];
    } else if (c >= 0xD8 && c <= 0xDF) {
      ++counts[4];
    } else if (c == 0xE3) {
      ++counts[5];
    } else if (c >= 0xE4 && c <= 0xE9) {
      ++counts[6];
    } else if (c >= 0xEA && c <= 0xED) {
      ++counts[7];
    } else if (c == 0xE0 && i + 1 < text.size() && p[i + 1] >= 0xA0 && p[i + 1] < 0xC0) {
      ++counts[8 + (p[i + 1] - 0xA0) / 2];  // U+0800..U+0FFF, 128 code points per slot
    }
  }
  std::uint8_t best = 0;
  std::uint32_t best_count = 0;
  std::uint32_t other = 0;
  for (std::uint8_t k = 1; k < 24; ++k) {
    other += counts[k];
    if (counts[k] > best_count) {
      best = k;
      best_count = counts[k];
    }
  }
  // Mostly Latin (an English text quoting a few foreign words) stays Latin; a third of the letters in
  // other scripts makes the text its main one's.
  return best != 0 && other * 2 >= counts[0] ? best : 0;
}

// The ROT13, reversed and base64 twins of a text: same label, same source, derived.
void push_disguised_twins(const labelled_text& t, std::vector<labelled_text>& texts) {
  labelled_text a = t;
  a.id += "#rot13";
  a.family += "#rot13";
  a.text = rot13(t.text);
  a.derived = true;
  labelled_text b = t;
  b.id += "#reversed";
  b.family += "#reversed";
  b.text = reversed(t.text);
  b.derived = true;
  texts.push_back(std::move(a));
  texts.push_back(std::move(b));
  labelled_text c = t;
  c.id += "#base64";
  c.family += "#base64";
  c.text = base64(t.text);
  c.derived = true;
  texts.push_back(std::move(c));
}

}  // namespace

training_data read_training_files(const std::vector<std::filesystem::path>& files) {
  training_data out;
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_MD_CTX* digest = context.get();
  EVP_DigestInit_ex(digest, EVP_sha256(), nullptr);
  simdjson::dom::parser parser;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      throw model_error("cannot read training file " + file.string());
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string contents = buffer.str();
    const std::string name = file.filename().string();
    const std::uint64_t sizes[2] = {name.size(), contents.size()};
    EVP_DigestUpdate(digest, sizes, sizeof sizes);
    EVP_DigestUpdate(digest, name.data(), name.size());
    EVP_DigestUpdate(digest, contents.data(), contents.size());
    const std::string source = source_of_file(file);
    std::size_t line_no = 0;
    std::size_t at = 0;
    while (at < contents.size()) {
      std::size_t end = contents.find('\n', at);
      if (end == std::string::npos) {
        end = contents.size();
      }
      const std::string_view line(contents.data() + at, end - at);
      at = end + 1;
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
        continue;
      }
      const auto where = file.string() + ":" + std::to_string(line_no) + ": ";
      simdjson::dom::element doc;
      if (parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) {
        out.skipped.push_back(where + "not JSON");
        continue;
      }
      bool injection = false;
      if (doc["injection"].get(injection) != simdjson::SUCCESS) {
        continue;  // a PII line, or no label
      }
      std::string_view id;
      std::string_view text;
      if (doc["id"].get(id) != simdjson::SUCCESS || doc["text"].get(text) != simdjson::SUCCESS) {
        out.skipped.push_back(where + "no string id or text");
        continue;
      }
      std::string_view category;
      if (doc["category"].get(category) != simdjson::SUCCESS) {
        category = injection ? "attack" : "benign";
      }
      labelled_text t;
      t.id = std::string(id);
      t.source = source;
      std::string_view family;  // the corpus's own template family when it names one
      t.family = doc["family"].get(family) == simdjson::SUCCESS ? std::string(family) : family_of(t.id);
      t.category = std::string(category);
      std::string_view lang;
      if (doc["lang"].get(lang) == simdjson::SUCCESS) {
        t.lang = std::string(lang);
      }
      t.text = std::string(text);
      t.injection = injection;
      std::uint64_t span_start = 0;
      std::uint64_t span_end = 0;
      const bool has_span = injection && doc["span"]["start"].get(span_start) == simdjson::SUCCESS &&
                            doc["span"]["end"].get(span_end) == simdjson::SUCCESS && span_start < span_end &&
                            span_end <= t.text.size();
      if (has_span) {
        labelled_text twin = t;
        twin.id += "#clean";
        twin.family += "#clean";
        twin.category = "benign_clean_twin";
        twin.text = t.text.substr(0, span_start) + t.text.substr(span_end);
        twin.injection = false;
        twin.derived = true;
        out.texts.push_back(std::move(t));
        out.texts.push_back(std::move(twin));
      } else {
        out.texts.push_back(std::move(t));
      }
    }
  }
  unsigned int size = 0;
  EVP_DigestFinal_ex(digest, out.digest.data(), &size);
  return out;
}

training_set::training_set(const training_data& data, const training_options& options) : impl_(new impl) {
  injection_model::check_supported(options.features);
  impl& m = *impl_;
  m.options = options;
  m.texts = data.texts;
  const detail::hash_params hashes(options.features);
  const normalizer norm;
  normalized_text normalized;
  std::map<std::string, std::uint32_t> source_index;
  m.block_start.push_back(0);
  m.first_block.push_back(0);
  const std::size_t max_bytes = std::size_t{options.max_blocks} * options.features.stride;
  for (const auto& t : m.texts) {
    auto [it, added] = source_index.emplace(t.source, static_cast<std::uint32_t>(m.sources.size()));
    if (added) {
      m.sources.push_back(t.source);
    }
    m.source_of.push_back(it->second);
    const bool ok = norm.normalize(t.text, normalized) == errc::ok && normalized.changed;
    m.normalized.push_back(ok ? normalized.text : t.text);
    std::string_view view = m.normalized.back();
    if (view.size() > max_bytes) {
      view = view.substr(0, max_bytes);
    }
    const detail::window_layout layout{static_cast<std::uint32_t>(view.size()), options.features.window,
                                       options.features.stride};
    const std::uint64_t base = m.block_start.size() - 1;  // this text's first block
    std::uint32_t blocks = 1;
    detail::for_each_feature(hashes, view, [&](std::uint32_t bucket, std::uint32_t end, std::int64_t) {
      const std::uint32_t b = layout.block_of(end);
      while (b + 1 > blocks) {  // close the blocks before this feature's
        m.block_start.push_back(m.buckets.size());
        ++blocks;
      }
      m.buckets.push_back(bucket);
    });
    while (blocks < layout.block_count()) {
      m.block_start.push_back(m.buckets.size());
      ++blocks;
    }
    m.block_start.push_back(m.buckets.size());
    m.first_block.push_back(base + blocks);
    m.single_window.push_back(layout.single() ? 1 : 0);
    m.script_of.push_back(main_script(view));
  }
}

training_set::~training_set() = default;
std::size_t training_set::size() const noexcept { return impl_->texts.size(); }
const labelled_text& training_set::text(std::size_t i) const noexcept { return impl_->texts[i]; }
const std::string& training_set::normalized(std::size_t i) const noexcept { return impl_->normalized[i]; }
const std::vector<std::string>& training_set::sources() const noexcept { return impl_->sources; }
const training_options& training_set::options() const noexcept { return impl_->options; }

std::vector<double> training_set::example_weights(const std::vector<bool>& include) const {
  const impl& m = *impl_;
  std::map<std::tuple<std::uint32_t, std::string, bool>, std::uint32_t> family_size;
  for (std::size_t i = 0; i < m.texts.size(); ++i) {
    if (include[i]) {
      ++family_size[{m.source_of[i], m.texts[i].family, m.texts[i].injection}];
    }
  }
  std::vector<double> weights(m.texts.size(), 0.0);
  double total[2] = {0, 0};
  for (std::size_t i = 0; i < m.texts.size(); ++i) {
    if (!include[i]) {
      continue;
    }
    const bool y = m.texts[i].injection;
    const double cap = y ? m.options.attack_family_cap : m.options.benign_family_cap;
    const double size = family_size[{m.source_of[i], m.texts[i].family, y}];
    weights[i] = std::min(1.0, cap / size);
    total[y ? 1 : 0] += weights[i];
  }
  // No writing system may carry more attack weight than benign weight, so that a script seen mostly in
  // attacks (non-English attack corpora beside few benign texts in that script) does not become a cue by
  // itself: left unchecked, every benign text in that script scores as an attack.
  double script_total[256][2] = {};
  for (std::size_t i = 0; i < m.texts.size(); ++i) {
    if (include[i]) {
      script_total[m.script_of[i]][m.texts[i].injection ? 1 : 0] += weights[i];
    }
  }
  total[1] = 0;
  for (std::size_t i = 0; i < m.texts.size(); ++i) {
    if (include[i] && m.texts[i].injection) {
      const auto* st = script_total[m.script_of[i]];
      if (m.script_of[i] != 0 && st[1] > st[0]) {
        weights[i] *= st[0] / st[1];
      }
      total[1] += weights[i];
    }
  }
  const double all = total[0] + total[1];
  for (std::size_t i = 0; i < m.texts.size(); ++i) {
    const int y = m.texts[i].injection ? 1 : 0;
    if (include[i] && total[y] > 0) {
      weights[i] *= all / (2.0 * total[y]);
    }
  }
  return weights;
}

trained_weights train_weights(const training_set& set, const std::vector<bool>& include) {
  const auto& m = set.internals();
  const training_options& o = m.options;
  const std::size_t buckets = std::size_t{1} << o.features.bucket_bits;
  const std::uint32_t per_window = o.features.window / o.features.stride;
  const std::vector<double> example = set.example_weights(include);
  std::vector<std::uint32_t> order;
  for (std::size_t i = 0; i < m.texts.size(); ++i) {
    if (include[i]) {
      order.push_back(static_cast<std::uint32_t>(i));
    }
  }
  std::vector<float> w(buckets, 0.0f);
  std::vector<float> g2(buckets, 0.0f);
  double bias = 0;
  double bias_g2 = 0;
  std::uint64_t rng = o.seed;
  std::vector<double> block_sum;
  std::vector<std::uint32_t> block_count;
  const float lr = static_cast<float>(o.learning_rate);
  const float l2 = static_cast<float>(o.l2);
  for (std::uint32_t epoch = 0; epoch < o.epochs; ++epoch) {
    for (std::size_t i = order.size(); i > 1; --i) {  // Fisher-Yates with our own generator: portable
      const std::size_t j = detail::splitmix64(rng) % i;
      std::swap(order[i - 1], order[j]);
    }
    for (const std::uint32_t t : order) {
      const std::uint64_t b0 = m.first_block[t];
      const std::uint64_t nb = m.first_block[t + 1] - b0;
      block_sum.assign(nb, 0.0);
      block_count.assign(nb, 0);
      for (std::uint64_t b = 0; b < nb; ++b) {
        double s = 0;
        for (std::uint64_t k = m.block_start[b0 + b]; k < m.block_start[b0 + b + 1]; ++k) {
          s += w[m.buckets[k]];
        }
        block_sum[b] = s;
        block_count[b] = static_cast<std::uint32_t>(m.block_start[b0 + b + 1] - m.block_start[b0 + b]);
      }
      const std::uint64_t windows = m.single_window[t] != 0 ? 1 : nb - per_window + 1;
      const std::uint64_t span = m.single_window[t] != 0 ? nb : per_window;
      double best = -std::numeric_limits<double>::infinity();
      std::uint64_t best_k = 0;
      std::uint32_t best_n = 0;
      for (std::uint64_t k = 0; k < windows; ++k) {
        double s = 0;
        std::uint32_t c = 0;
        for (std::uint64_t b = k; b < k + span; ++b) {
          s += block_sum[b];
          c += block_count[b];
        }
        const double v = detail::window_value(s, c);
        if (v > best) {
          best = v;
          best_k = k;
          best_n = c;
        }
      }
      const double y = m.texts[t].injection ? 1.0 : 0.0;
      const double g = (sigmoid(bias + best) - y) * example[t];
      bias_g2 += g * g;
      bias -= o.learning_rate * g / std::sqrt(bias_g2 + 1e-12);
      if (best_n == 0) {
        continue;
      }
      const float gx = static_cast<float>(g / std::sqrt(static_cast<double>(best_n)));
      for (std::uint64_t k = m.block_start[b0 + best_k]; k < m.block_start[b0 + best_k + span]; ++k) {
        const std::uint32_t j = m.buckets[k];
        const float grad = gx + l2 * w[j];
        g2[j] += grad * grad;
        w[j] -= lr * grad / std::sqrt(g2[j] + 1e-12f);
      }
    }
  }
  return {std::move(w), bias};
}

std::vector<double> out_of_source_logits(const training_set& set, const std::vector<bool>& include,
                                         const std::vector<std::string>& held_out,
                                         const std::function<void(const std::string&)>& progress) {
  const auto& m = set.internals();
  std::vector<double> logits(set.size(), std::numeric_limits<double>::quiet_NaN());
  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  const auto worker = [&] {
    model_scratch scratch;
    for (std::size_t f = next++; f < held_out.size(); f = next++) {
      const auto it = std::find(m.sources.begin(), m.sources.end(), held_out[f]);
      if (it == m.sources.end()) {
        continue;
      }
      const auto source = static_cast<std::uint32_t>(it - m.sources.begin());
      std::vector<bool> fold = include;
      bool any = false;
      for (std::size_t i = 0; i < set.size(); ++i) {
        if (m.source_of[i] == source) {
          any = any || include[i];
          fold[i] = false;
        }
        if (set.text(i).evaluation_only) {
          fold[i] = false;
        }
      }
      if (any) {
        const trained_weights trained = train_weights(set, fold);
        const auto model = injection_model::from_weights(m.options.features, trained.weights, trained.bias, {}, {}, {});
        for (std::size_t i = 0; i < set.size(); ++i) {
          if (m.source_of[i] == source && (include[i] || set.text(i).evaluation_only)) {
            logits[i] = model->score_normalized(m.normalized[i], scratch).logit;  // each fold writes its own texts
          }
        }
      }
      if (progress) {
        const std::lock_guard lock(progress_mutex);
        progress(held_out[f]);
      }
    }
  };
  const unsigned threads = std::max(1u, std::min<unsigned>(m.options.threads, static_cast<unsigned>(held_out.size())));
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < threads; ++k) {
    pool.emplace_back(worker);
  }
  worker();
  for (auto& t : pool) {
    t.join();
  }
  return logits;
}

namespace {

// Logistic regression of label on (x_1 .. x_k, 1) by Newton's method on the log loss, with Platt's
// smoothed targets (they keep the coefficients finite when the classes separate), halving a step until
// the loss falls (Lin, Lin and Weng's safeguard: a plain Newton step can diverge). Rows with a
// non-finite x_1 are skipped. Returns k coefficients and the intercept last.
template <std::size_t k>
std::array<double, k + 1> fit_platt(const std::array<const std::vector<double>*, k>& x,
                                    const std::vector<bool>& labels, std::array<double, k + 1> start) {
  constexpr std::size_t n = k + 1;
  const std::vector<double>& first = *x[0];
  double count[2] = {0, 0};
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (std::isfinite(first[i])) {
      count[labels[i] ? 1 : 0] += 1;
    }
  }
  if (count[0] == 0 || count[1] == 0) {
    return start;
  }
  const double target[2] = {1.0 / (count[0] + 2.0), (count[1] + 1.0) / (count[1] + 2.0)};
  const double weight = 1.0 / (count[0] + count[1]);
  const auto row = [&](std::size_t i) {
    std::array<double, n> r{};
    for (std::size_t j = 0; j < k; ++j) {
      r[j] = (*x[j])[i];
    }
    r[k] = 1.0;
    return r;
  };
  const auto dot = [](const std::array<double, n>& u, const std::array<double, n>& v) {
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) {
      sum += u[j] * v[j];
    }
    return sum;
  };
  const auto loss = [&](const std::array<double, n>& w) {
    double sum = 0;
    for (std::size_t i = 0; i < first.size(); ++i) {
      if (std::isfinite(first[i])) {
        const double f = dot(w, row(i));
        const double t = target[labels[i] ? 1 : 0];
        // -(t log p + (1 - t) log(1 - p)) with p = sigmoid(f), written to avoid overflow
        sum += weight * (f >= 0 ? t * std::log1p(std::exp(-f)) + (1 - t) * (f + std::log1p(std::exp(-f)))
                                : t * (-f + std::log1p(std::exp(f))) + (1 - t) * std::log1p(std::exp(f)));
      }
    }
    return sum;
  };
  std::array<double, n> w = start;
  double current = loss(w);
  for (int iteration = 0; iteration < 100; ++iteration) {
    std::array<double, n> g{};
    std::array<std::array<double, n + 1>, n> h{};  // the Hessian, the gradient as its last column
    for (std::size_t i = 0; i < first.size(); ++i) {
      if (!std::isfinite(first[i])) {
        continue;
      }
      const auto r = row(i);
      const double p = sigmoid(dot(w, r));
      const double residual = (p - target[labels[i] ? 1 : 0]) * weight;
      const double curvature = std::max(p * (1 - p), 1e-12) * weight;
      for (std::size_t a = 0; a < n; ++a) {
        g[a] += residual * r[a];
        for (std::size_t b = 0; b < n; ++b) {
          h[a][b] += curvature * r[a] * r[b];
        }
      }
    }
    for (std::size_t a = 0; a < n; ++a) {
      h[a][a] += 1e-12;
      h[a][n] = g[a];
    }
    // Gaussian elimination with partial pivoting: h d = g.
    bool singular = false;
    for (std::size_t c = 0; c < n && !singular; ++c) {
      std::size_t pivot = c;
      for (std::size_t r = c + 1; r < n; ++r) {
        if (std::fabs(h[r][c]) > std::fabs(h[pivot][c])) {
          pivot = r;
        }
      }
      std::swap(h[c], h[pivot]);
      if (std::fabs(h[c][c]) < 1e-300) {
        singular = true;
        break;
      }
      for (std::size_t r = 0; r < n; ++r) {
        if (r != c) {
          const double f = h[r][c] / h[c][c];
          for (std::size_t j = c; j <= n; ++j) {
            h[r][j] -= f * h[c][j];
          }
        }
      }
    }
    if (singular) {
      break;
    }
    std::array<double, n> d{};
    for (std::size_t a = 0; a < n; ++a) {
      d[a] = h[a][n] / h[a][a];
    }
    double step = 1.0;
    bool improved = false;
    while (step > 1e-10) {
      std::array<double, n> next_w = w;
      for (std::size_t a = 0; a < n; ++a) {
        next_w[a] -= step * d[a];
      }
      const double next = loss(next_w);
      if (next < current - 1e-4 * step * dot(g, d)) {  // Armijo condition
        w = next_w;
        current = next;
        improved = true;
        break;
      }
      step /= 2;
    }
    double largest = 0;
    for (std::size_t a = 0; a < n; ++a) {
      largest = std::max(largest, std::fabs(step * d[a]));
    }
    if (!improved || largest < 1e-10) {
      break;
    }
  }
  return w;
}

}  // namespace

model_calibration fit_calibration(const std::vector<double>& logits, const std::vector<bool>& labels) {
  const auto w = fit_platt<1>({&logits}, labels, {1.0, 0.0});
  return {w[0], w[1]};
}

joint_calibration fit_joint_calibration(const std::vector<double>& logits,
                                        const std::vector<double>& signature_scores,
                                        const std::vector<bool>& labels) {
  const auto w = fit_platt<2>({&logits, &signature_scores}, labels, {1.0, 0.0, 0.0});
  return {w[0], w[1], w[2]};
}

double threshold_at_rate(std::vector<double> benign_scores, double rate) {
  if (benign_scores.empty()) {
    return 0.0;
  }
  std::sort(benign_scores.begin(), benign_scores.end(), std::greater<>());
  const auto allowed = static_cast<std::size_t>(std::floor(rate * static_cast<double>(benign_scores.size()) + 1e-9));
  if (allowed >= benign_scores.size()) {
    return benign_scores.back();
  }
  return std::nextafter(benign_scores[allowed], std::numeric_limits<double>::infinity());
}

std::shared_ptr<const injection_model> build_model(const training_set& set, const std::vector<bool>& include,
                                                   const model_calibration& calibration,
                                                   const model_thresholds& thresholds,
                                                   const std::array<std::uint8_t, 32>& digest) {
  const trained_weights trained = train_weights(set, include);
  model_provenance provenance;
  provenance.training_data_digest = digest;
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (include[i]) {
      ++provenance.training_texts;
      provenance.training_attacks += set.text(i).injection ? 1 : 0;
    }
  }
  return injection_model::from_weights(set.options().features, trained.weights, trained.bias, calibration,
                                       thresholds, provenance);
}

void add_disguised_twins(training_data& data, std::uint32_t every) {
  constexpr std::size_t max_bytes = 2048;  // longer texts: the disguise would be one window of many
  if (every == 0) {
    return;
  }
  const std::size_t originals = data.texts.size();
  std::size_t counter = 0;
  for (std::size_t i = 0; i < originals; ++i) {
    if (data.texts[i].derived || ++counter % every != 0 || data.texts[i].text.size() > max_bytes) {
      continue;
    }
    const labelled_text original = data.texts[i];  // push_back may move the vector
    push_disguised_twins(original, data.texts);
  }
}

void add_evaluation_disguises(training_data& data) {
  constexpr std::size_t max_bytes = 2048;  // as the training twins
  const std::size_t originals = data.texts.size();
  for (std::size_t i = 0; i < originals; ++i) {
    if (!data.texts[i].injection || data.texts[i].derived || data.texts[i].evaluation_only ||
        data.texts[i].text.size() > max_bytes) {
      continue;
    }
    for (const std::string& kind : evaluation_disguises()) {
      labelled_text copy = data.texts[i];
      copy.id += "#" + kind;
      copy.text = disguise(data.texts[i].text, kind);
      copy.evaluation_only = true;
      copy.disguise = kind;
      copy.original = i;
      data.texts.push_back(std::move(copy));
    }
  }
}

}  // namespace sluice::engine
