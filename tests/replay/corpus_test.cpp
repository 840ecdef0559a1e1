// Reading labelled corpora: both shapes, and clear errors for lines that are neither.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "sluice/replay/corpus.h"

namespace sluice::replay {
namespace {

TEST(ReplayCorpus, ReadsPiiLineWithSortedEntities) {
  corpus_record r;
  std::string error;
  ASSERT_TRUE(parse_corpus_line(
      R"({"id":"x","text":"a@b.co 555","entities":[{"type":"PHONE","start":7,"end":10},{"type":"EMAIL","start":0,"end":6}]})",
      r, error))
      << error;
  EXPECT_EQ(r.shape, record_shape::pii);
  EXPECT_EQ(r.id, "x");
  ASSERT_EQ(r.entities.size(), 2u);
  EXPECT_EQ(r.entities[0].type, "EMAIL");
  EXPECT_EQ(r.entities[1].start, 7u);
}

TEST(ReplayCorpus, ReadsInjectionLine) {
  corpus_record r;
  std::string error;
  ASSERT_TRUE(parse_corpus_line(
      R"({"id":"i","text":"ignore it","injection":true,"category":"instruction_override","lang":"en"})", r, error));
  EXPECT_EQ(r.shape, record_shape::injection);
  EXPECT_TRUE(r.injection);
  EXPECT_EQ(r.category, "instruction_override");
  EXPECT_EQ(r.lang, "en");
}

TEST(ReplayCorpus, OffsetsAreBytesAndMustFitTheText) {
  corpus_record r;
  std::string error;
  // "é" is two bytes: the text is 3 bytes long, so 0..3 fits and 0..4 does not.
  EXPECT_TRUE(parse_corpus_line(R"({"text":"aé","entities":[{"type":"X","start":0,"end":3}]})", r, error));
  EXPECT_FALSE(parse_corpus_line(R"({"text":"aé","entities":[{"type":"X","start":0,"end":4}]})", r, error));
  EXPECT_NE(error.find("outside the text"), std::string::npos);
  EXPECT_FALSE(parse_corpus_line(R"({"text":"ab","entities":[{"type":"X","start":2,"end":1}]})", r, error));
}

TEST(ReplayCorpus, RejectsLinesOfNeitherShape) {
  corpus_record r;
  std::string error;
  EXPECT_FALSE(parse_corpus_line(R"({"text":"hello"})", r, error));
  EXPECT_NE(error.find("neither"), std::string::npos);
  EXPECT_FALSE(parse_corpus_line("not json", r, error));
  EXPECT_FALSE(parse_corpus_line(R"({"entities":[]})", r, error));
  EXPECT_NE(error.find("text"), std::string::npos);
}

TEST(ReplayCorpus, FileErrorsNameTheLineAndKeepTheRest) {
  const auto path = std::filesystem::temp_directory_path() / ("replay_corpus_test_" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(path);
    out << R"({"id":"a","text":"x","injection":false,"category":"benign"})" << "\n"
        << "\n"
        << "{broken\n"
        << R"({"id":"b","text":"y","entities":[]})" << "\r\n";
  }
  std::vector<corpus_record> records;
  std::vector<corpus_error> errors;
  EXPECT_TRUE(read_corpus_file(path.string(), records, errors));
  std::filesystem::remove(path);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].id, "b");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3u);
}

TEST(ReplayCorpus, MissingFileIsAnError) {
  std::vector<corpus_record> records;
  std::vector<corpus_error> errors;
  EXPECT_FALSE(read_corpus_file("/nonexistent/corpus.jsonl", records, errors));
  ASSERT_EQ(errors.size(), 1u);
}

}  // namespace
}  // namespace sluice::replay
