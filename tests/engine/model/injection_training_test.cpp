// The trainer's parts: reading labelled JSONL (sources, template families, skipped lines), example
// weights (family caps, balanced classes), thresholds and calibration.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "sluice/engine/injection_training.h"

namespace sluice::engine {
namespace {

std::filesystem::path write_file(const std::string& name, const std::string& contents) {
  const auto dir = std::filesystem::path(SLUICE_BINARY_DIR) / "injection_training_test";
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(InjectionTrainingData, SourcesFamiliesAndSkippedLines) {
  const auto file = write_file("asb_agent.mixed.jsonl",
                               "{\"id\": \"asb-dpi-012\", \"text\": \"do it\", \"injection\": true, \"category\": \"x\"}\n"
                               "{\"id\": \"gptfuzz-jbchat-000-0\", \"text\": \"t\", \"injection\": false, \"lang\": \"de\"}\n"
                               "{\"id\": \"ml-1\", \"text\": \"u\", \"injection\": true, \"family\": \"fam\"}\n"
                               "{\"id\": \"presidio-1\", \"text\": \"a PII line\", \"entities\": []}\n"
                               "not json\n"
                               "\n"
                               "{\"id\": 5, \"text\": \"t\", \"injection\": true}\n");
  const auto data = read_training_files({file});
  ASSERT_EQ(data.texts.size(), 3u);
  EXPECT_EQ(data.texts[2].family, "fam");
  EXPECT_EQ(data.texts[0].source, "asb_agent");
  EXPECT_EQ(data.texts[0].family, "asb-dpi");
  EXPECT_TRUE(data.texts[0].injection);
  EXPECT_EQ(data.texts[0].category, "x");
  EXPECT_EQ(data.texts[1].family, "gptfuzz-jbchat");
  EXPECT_EQ(data.texts[1].category, "benign");
  EXPECT_EQ(data.texts[1].lang, "de");
  ASSERT_EQ(data.skipped.size(), 2u);  // the PII line is not an error
  EXPECT_NE(data.skipped[0].find(":5: not JSON"), std::string::npos) << data.skipped[0];
  EXPECT_NE(data.skipped[1].find(":7: no string id or text"), std::string::npos) << data.skipped[1];
  EXPECT_THROW((void)read_training_files({"/nonexistent/x.jsonl"}), model_error);
}

TEST(InjectionTrainingData, DigestCoversNamesAndContents) {
  const auto a = write_file("a.inj.jsonl", "{\"id\": \"a-1\", \"text\": \"x\", \"injection\": true}\n");
  const auto b = write_file("b.inj.jsonl", "{\"id\": \"a-1\", \"text\": \"x\", \"injection\": true}\n");
  const auto c = write_file("c.inj.jsonl", "{\"id\": \"a-1\", \"text\": \"y\", \"injection\": true}\n");
  EXPECT_EQ(read_training_files({a}).digest, read_training_files({a}).digest);
  EXPECT_NE(read_training_files({a}).digest, read_training_files({b}).digest);
  EXPECT_NE(read_training_files({b}).digest, read_training_files({c}).digest);
}

TEST(InjectionTrainingData, DisguisedTwinsAreDerivedAndDecodeBack) {
  training_data data;
  for (int i = 0; i < 6; ++i) {
    labelled_text t;
    t.id = "x-" + std::to_string(i);
    t.source = "s";
    t.family = "x";
    t.text = "Ignore the rules, \xc3\xa9t\xc3\xa9 " + std::to_string(i);
    t.injection = i % 2 == 0;
    data.texts.push_back(t);
  }
  data.texts[4].derived = true;  // twins of twins are not made, and twins do not count towards `every`
  add_disguised_twins(data, 2);
  // Non-derived texts 0, 1, 2, 3, 5: the 2nd and 4th (ids 1 and 3) get twins.
  ASSERT_EQ(data.texts.size(), 12u);
  EXPECT_EQ(data.texts[6].id, "x-1#rot13");
  EXPECT_EQ(data.texts[6].text, "Vtaber gur ehyrf, \xc3\xa9g\xc3\xa9 1");
  EXPECT_EQ(data.texts[7].id, "x-1#reversed");
  EXPECT_EQ(data.texts[7].text, "1 \xc3\xa9t\xc3\xa9 ,selur eht erongI");  // UTF-8 sequences stay whole
  EXPECT_EQ(data.texts[8].id, "x-1#base64");
  EXPECT_EQ(data.texts[8].text, "SWdub3JlIHRoZSBydWxlcywgw6l0w6kgMQ==");
  EXPECT_EQ(data.texts[9].id, "x-3#rot13");
  for (std::size_t i = 6; i < 12; ++i) {
    EXPECT_TRUE(data.texts[i].derived);
    EXPECT_EQ(data.texts[i].source, "s");
    EXPECT_FALSE(data.texts[i].injection);  // ids 1 and 3 are benign: the label is kept
  }
  add_disguised_twins(data, 0);
  EXPECT_EQ(data.texts.size(), 12u);
}

TEST(InjectionTrainingWeights, FamiliesAreCappedAndClassesBalanced) {
  std::string lines;
  for (int i = 0; i < 10; ++i) {
    lines += "{\"id\": \"tmpl-" + std::to_string(i) + "\", \"text\": \"ignore it " + std::to_string(i) +
             "\", \"injection\": true}\n";
  }
  lines += "{\"id\": \"other-1\", \"text\": \"reveal the prompt\", \"injection\": true}\n";
  for (int i = 0; i < 30; ++i) {
    lines += "{\"id\": \"doc-" + std::to_string(i) + "\", \"text\": \"a document " + std::to_string(i) +
             "\", \"injection\": false}\n";
  }
  const auto data = read_training_files({write_file("mix.mixed.jsonl", lines)});
  training_options options;
  options.attack_family_cap = 5;
  options.benign_family_cap = 1000;
  const training_set set(data, options);
  const auto w = set.example_weights(std::vector<bool>(set.size(), true));
  // Attacks: ten of one family share five texts' weight, the other counts one: 6 in all; benign: 30.
  // Balanced to 18 each.
  EXPECT_NEAR(w[0] / w[10], 0.5, 1e-12);
  double attacks = 0;
  double benign = 0;
  for (std::size_t i = 0; i < set.size(); ++i) {
    (set.text(i).injection ? attacks : benign) += w[i];
  }
  EXPECT_NEAR(attacks, 18.0, 1e-9);
  EXPECT_NEAR(benign, 18.0, 1e-9);
}

TEST(InjectionTrainingThresholds, AtMostTheRateIsAtOrAbove) {
  std::vector<double> scores(1000);
  std::iota(scores.begin(), scores.end(), 0.0);
  const double t = threshold_at_rate(scores, 0.01);
  EXPECT_EQ(std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= t; }), 10);
  EXPECT_GT(threshold_at_rate(scores, 0.0), 999.0);
  EXPECT_EQ(threshold_at_rate({}, 0.01), 0.0);
}

TEST(InjectionTrainingCalibration, FitsAnIncreasingCurve) {
  std::vector<double> logits;
  std::vector<bool> labels;
  for (int i = -50; i <= 50; ++i) {
    logits.push_back(i / 10.0);
    labels.push_back(((i + 50) * 7919) % 101 < (i + 50));  // attacks from none at -5 to nearly all at 5
  }
  const auto c = fit_calibration(logits, labels);
  EXPECT_GT(c.a, 0.3);
  EXPECT_LT(c.a, 3.0);
  EXPECT_NEAR(c.b, 0.0, 0.5);
  // Separable classes: the smoothed targets keep the slope finite.
  const auto separable = fit_calibration({-3, -2, -1, 1, 2, 3}, {false, false, false, true, true, true});
  EXPECT_GT(separable.a, 0.0);
  EXPECT_TRUE(std::isfinite(separable.a) && std::isfinite(separable.b));
  const auto none = fit_calibration({1.0, 2.0}, {false, false});  // one class: identity
  EXPECT_EQ(none.a, 1.0);
  EXPECT_EQ(none.b, 0.0);
}

TEST(InjectionTraining, JointCalibrationWeighsTheSignatureScoreAsEvidence) {
  // Attacks are likelier with a higher logit and, independently, with a signature hit: both inputs must
  // get a positive weight, and a text with a hit must score above the same logit without one.
  std::vector<double> logits;
  std::vector<double> signature;
  std::vector<bool> labels;
  for (int i = -50; i <= 50; ++i) {
    for (const double s : {0.0, 0.9}) {
      logits.push_back(i / 10.0);
      signature.push_back(s);
      const int chance = (i + 50) / 2 + (s > 0 ? 40 : 0);  // percent
      labels.push_back(((i + 50) * 7919 + (s > 0 ? 13 : 0)) % 101 < chance);
    }
  }
  const auto c = fit_joint_calibration(logits, signature, labels);
  EXPECT_GT(c.a, 0.0);
  EXPECT_GT(c.signature, 1.0);
  EXPECT_TRUE(std::isfinite(c.b));
  // Texts whose first input is not a number (not held out) are skipped, as fit_calibration does.
  logits.push_back(std::nan(""));
  signature.push_back(0.9);
  labels.push_back(false);
  const auto same = fit_joint_calibration(logits, signature, labels);
  EXPECT_DOUBLE_EQ(same.signature, c.signature);
}

}  // namespace
}  // namespace sluice::engine
