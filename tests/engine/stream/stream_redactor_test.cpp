// A streamed block, split anywhere, redacts to exactly what block mode gives for the whole text.
#include <gtest/gtest.h>

#include <random>

#include "sluice/engine/redactor.h"
#include "sluice/engine/rule_catalog.h"
#include "sluice/engine/scanner.h"
#include "sluice/engine/stream_redactor.h"
#include "block_redaction.h"
#include "test_rules.h"

namespace sluice::engine {
namespace {

constexpr const char* catalog_yaml = R"(rules:
  - id: pii.email
    kind: pii
    entity: EMAIL
    pattern: '\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b'
    prefilter: '[A-Za-z0-9._%+-]@[A-Za-z0-9]'
    stream: {charset: '[A-Za-z0-9._%+@-]', max_width: 254}
  - id: secret.token
    kind: secret
    entity: API_KEY
    pattern: 'tok_[a-z0-9]{8}'
    stream: {charset: '[a-z0-9_]', lead: 'tok_'}
  - id: pii.card
    kind: pii
    entity: CREDIT_CARD
    pattern: '\b[0-9]{4}(?:[ -]?[0-9]{4}){3}\b'
    prefilter: '[0-9]{4}[ -]?[0-9]{4}'
    stream: {charset: '[0-9 -]'}
  - id: pii.passport
    kind: pii
    entity: US_PASSPORT
    pattern: '\b[0-9]{9}\b'
    context: {mode: required, window: 24, words: [passport]}
    stream: {charset: '[0-9]'}
  - id: secret.pem
    kind: secret
    entity: PRIVATE_KEY
    pattern: '-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[A-Za-z0-9+/=\s]+-----END [A-Z ]{0,20}PRIVATE KEY-----'
    prefilter: '-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----'
    stream: {charset: '[A-Za-z0-9+/=\s-]', lead: '-----BEGIN', max_width: 4096}
)";

std::shared_ptr<const ruleset> stream_rules() {
  static const auto rules = ruleset::compile(parse_rule_file(catalog_yaml, "stream.yaml"));
  return rules;
}

using testing::block_redaction;

std::string stream_redaction(const std::shared_ptr<const ruleset>& rules, std::string_view text,
                             const std::vector<std::size_t>& cuts, std::size_t* max_held = nullptr) {
  scanner s(rules);
  redactor red;
  stream_redactor sr(rules, s.scratch(), red);
  std::string out;
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    EXPECT_EQ(sr.write(text.substr(at, cut - at), out), errc::ok);
    if (max_held != nullptr) {
      *max_held = std::max(*max_held, sr.held_bytes());
    }
    at = cut;
  }
  EXPECT_EQ(sr.write(text.substr(at), out), errc::ok);
  EXPECT_EQ(sr.finish(out), errc::ok);
  return out;
}

std::vector<std::size_t> random_cuts(std::size_t size, std::mt19937& rng, std::size_t max_piece) {
  std::vector<std::size_t> cuts;
  std::size_t at = 0;
  while (true) {
    at += 1 + rng() % max_piece;
    if (at >= size) {
      break;
    }
    cuts.push_back(at);
  }
  return cuts;
}

std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "hello ", "world ", "mail ", "jane.doe@example.com", " ", ", ", ". ", "tok_abcd1234", "tok_",
      "4111 1111 1111 1111", "4111-1111-1111-1111", "1234 5678", "passport ", "123456789", "987654321",
      "Grüße ", "日本語 ", "é", "@", "-", "a.b@c.de", "x@y", "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n"
      "-----END RSA PRIVATE KEY-----", "-----BEGIN ", "\n", "0", "1"};
  std::string text;
  const int n = 5 + static_cast<int>(rng() % 40);
  for (int i = 0; i < n; ++i) {
    text += pieces[rng() % pieces.size()];
  }
  return text;
}

TEST(StreamRedactor, RandomSplitsMatchBlockRedaction) {
  const auto rules = stream_rules();
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    const std::string text = random_text(rng);
    const std::string expected = block_redaction(rules, text);
    const std::size_t max_piece = 1 + round % 8;
    const auto cuts = random_cuts(text.size(), rng, max_piece);
    ASSERT_EQ(stream_redaction(rules, text, cuts), expected) << "text: " << text;
  }
}

TEST(StreamRedactor, SingleByteSplitsMatchBlockRedaction) {
  const auto rules = stream_rules();
  std::mt19937 rng(11);
  for (int round = 0; round < 500; ++round) {
    const std::string text = random_text(rng);
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < text.size(); ++i) {
      cuts.push_back(i);
    }
    ASSERT_EQ(stream_redaction(rules, text, cuts), block_redaction(rules, text)) << "text: " << text;
  }
}

TEST(StreamRedactor, RedactsEmailSplitAcrossDeltas) {
  const auto rules = stream_rules();
  const std::string text = "write to jane.doe@example.com please";
  const auto at = text.find("doe@");
  EXPECT_EQ(stream_redaction(rules, text, {at}), "write to [REDACTED:EMAIL] please");
}

TEST(StreamRedactor, RedactsCardSentOneDigitPerDelta) {
  const auto rules = stream_rules();
  const std::string text = "card 4111 1111 1111 1111 ok";
  std::vector<std::size_t> cuts;
  for (std::size_t i = 5; i < text.size(); ++i) {
    cuts.push_back(i);
  }
  EXPECT_EQ(stream_redaction(rules, text, cuts), "card [REDACTED:CREDIT_CARD] ok");
}

TEST(StreamRedactor, RedactsPemKeySpreadOverFiftyDeltas) {
  const auto rules = stream_rules();
  std::string body;
  for (int i = 0; i < 12; ++i) {
    body += "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n";
  }
  const std::string text = "key:\n-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\nthanks";
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < 50; ++i) {
    cuts.push_back(i * text.size() / 50);
  }
  EXPECT_EQ(stream_redaction(rules, text, cuts), "key:\n[REDACTED:PRIVATE_KEY]\nthanks");
}

TEST(StreamRedactor, NeverEmitsHalfACharacter) {
  const auto rules = stream_rules();
  scanner s(rules);
  redactor red;
  stream_redactor sr(rules, s.scratch(), red);
  const std::string text = "日本語";
  std::string out;
  ASSERT_EQ(sr.write(text.substr(0, 1), out), errc::ok);
  EXPECT_EQ(out, "");
  ASSERT_EQ(sr.write(text.substr(1, 3), out), errc::ok);
  EXPECT_EQ(out, "日");
  ASSERT_EQ(sr.write(text.substr(4), out), errc::ok);
  ASSERT_EQ(sr.finish(out), errc::ok);
  EXPECT_EQ(out, text);
}

TEST(StreamRedactor, HoldsBackOnlyTheUnfinishedWordOfProse) {
  const auto rules = stream_rules();
  scanner s(rules);
  redactor red;
  stream_redactor sr(rules, s.scratch(), red);
  std::string out;
  ASSERT_EQ(sr.write("The quarterly report looks fine, thank", out), errc::ok);
  EXPECT_EQ(out, "The quarterly report looks fine, ");
  EXPECT_EQ(sr.held_bytes(), 5u);
}

TEST(StreamRedactor, RuleWithSeveralLeadsHoldsBackOnlyFromOneOfThem) {
  // A password-like rule whose charset takes in whole sentences: without its leads, a stream would
  // hold back its full width of every sentence.
  const auto rules = ruleset::compile(parse_rule_file(R"(rules:
  - id: secret.pw
    kind: secret
    entity: PASSWORD
    pattern: '(?:pass|pwd)[a-z ]*: [A-Za-z0-9!]{6,20}'
    flags: [caseless]
    stream: {charset: '[A-Za-z0-9 :!]', lead: [pass, pwd], max_width: 60}
)", "leads.yaml"));
  scanner s(rules);
  redactor red;
  stream_redactor sr(rules, s.scratch(), red);
  std::string out;
  ASSERT_EQ(sr.write("We met on Monday and talked about the plan ", out), errc::ok);
  EXPECT_EQ(sr.held_bytes(), 0u);
  ASSERT_EQ(sr.write("and then the PASSWORD is: ", out), errc::ok);  // a lead in upper case
  EXPECT_EQ(out, "We met on Monday and talked about the plan and then the ");
  ASSERT_EQ(sr.write("Hunter22! ok", out), errc::ok);
  ASSERT_EQ(sr.finish(out), errc::ok);
  EXPECT_EQ(out, "We met on Monday and talked about the plan and then the [REDACTED:PASSWORD] ok");
  // A lead cut off by the end of a delta is held back too: "P" may become "PWD".
  ASSERT_EQ(sr.reset(), errc::ok);
  out.clear();
  ASSERT_EQ(sr.write("note P", out), errc::ok);
  EXPECT_EQ(out, "note ");
  ASSERT_EQ(sr.write("Wd: abc123!", out), errc::ok);
  ASSERT_EQ(sr.finish(out), errc::ok);
  EXPECT_EQ(out, "note [REDACTED:PASSWORD]");
}

TEST(StreamRedactor, DefaultCatalogHoldsBackAFewBytesOfProse) {
  // How long a client waits for streamed text: on plain prose, only the unfinished word (the longest
  // here is "assumptions." with its full stop, which an address could continue). A date of birth with
  // a written month could start at any word, but only after its label ("born", "DOB"…): without one
  // nearby, nothing waits for it.
  const auto& rules = testing::default_rules();
  const std::string prose =
      "The quarterly report is ready. Shipping delays in the northern region affected revenue, and the "
      "support team answered more tickets than usual during the holiday season. Please draft a short, "
      "polite summary for the customer, explain why the numbers moved, and suggest what we should do "
      "next year. The budget forecast looks reasonable but depends on growth assumptions.";
  std::mt19937 rng(17);
  std::size_t max_held = 0;
  for (int round = 0; round < 20; ++round) {
    EXPECT_EQ(stream_redaction(rules, prose, random_cuts(prose.size(), rng, 1 + round % 6), &max_held), prose);
  }
  EXPECT_LE(max_held, 12u);
}

TEST(StreamRedactor, AfterItsLabelAWrittenDateOfBirthIsWaitedFor) {
  const auto& rules = testing::default_rules();
  scanner s(rules);
  redactor red;
  stream_redactor sr(rules, s.scratch(), red);
  std::string out;
  ASSERT_EQ(sr.write("The patient was born on March", out), errc::ok);
  EXPECT_EQ(out.find("March"), std::string::npos) << "a date of birth may be starting: " << out;
  ASSERT_EQ(sr.write(" 5, 1980 in Ohio", out), errc::ok);
  ASSERT_EQ(sr.finish(out), errc::ok);
  EXPECT_EQ(out, "The patient was born on [REDACTED:DATE_OF_BIRTH] in Ohio");
  // The same words without a label: the month is not held for a date that cannot count.
  ASSERT_EQ(sr.reset(), errc::ok);
  out.clear();
  ASSERT_EQ(sr.write("The shipment left on March", out), errc::ok);
  ASSERT_EQ(sr.write(" 5, and ", out), errc::ok);
  EXPECT_NE(out.find("March"), std::string::npos) << out;
}

// Rules that need a label before their match (dates of birth, passports, numbers after "phone") are
// only waited for within their context window after such a label: labels at every distance from
// dates and numbers, streamed in random pieces, give exactly the block redaction.
TEST(StreamRedactor, LabelledEntitiesAtAnyDistanceStreamAsInBlocks) {
  const auto& rules = testing::default_rules();
  static const std::vector<std::string> pieces = {
      "born on ", "DOB: ", "date of birth ", "Geburtsdatum ", "passport ", "passport no. ", "phone ",
      "call me at ", "the ", "meeting ", "was ", "really ", "quite a long while ago, ", ", ", ". ", "\n",
      "March 5, 1980", "5 March 1980", "12/03/1975", "1975-03-12", "18. Oktober 2003", "X12345678",
      "123456789", "415 555 0132", "020 7946 0958", "2019", "May", "March ", "5", " "};
  std::mt19937 rng(29);
  for (int round = 0; round < 1500; ++round) {
    std::string text;
    const int n = 3 + static_cast<int>(rng() % 14);
    for (int i = 0; i < n; ++i) {
      text += pieces[rng() % pieces.size()];
    }
    const std::string expected = block_redaction(rules, text);
    const auto cuts = random_cuts(text.size(), rng, 1 + round % 9);
    ASSERT_EQ(stream_redaction(rules, text, cuts), expected) << "text: " << text;
  }
}

// What a reader takes from the text before a value (version words, address words, a phone label, the
// country a text names, a table column's header) decides alike when the text arrives in pieces: the
// stream keeps context_lookbehind bytes of history, and nothing after a value is ever read.
TEST(StreamRedactor, ReadingContextStreamsAsInBlocks) {
  const auto& rules = testing::default_rules();
  static const std::vector<std::string> pieces = {
      "version ", "build ", "agent=", "Chrome/", "ssh admin@", "from ", "client=", "ping ", "3.2.0.7",
      "10.2.3.4", "126.0.0.0", " ", ", ", "\n", "x[::3]", "m[2::4]", "::5", "[::1]:80", "banner@2x.jpg",
      "git@gitlab.com:team/app.git", "jane@example.com", "Telefon: ", "+49 611 98 440 ", "0611 98 4420",
      "913 45 67 89", "IBAN ES91 2100 0418 4502 0005 1332 ", "電話：", "03-6812-3344", "SSN: ", "078-05-1120",
      "078051120", "name,routing_number,account\n", "Ann,021000021,12345678\n", "Bo,011000015,7\n",
      "| Name | SSN |\n|---|---|\n", "| Ann | 078051120 |\n", "name,phone\n", "Ann,0611 98 4420\n"};
  std::mt19937 rng(31);
  for (int round = 0; round < 1500; ++round) {
    std::string text;
    const int n = 2 + static_cast<int>(rng() % 16);
    for (int i = 0; i < n; ++i) {
      text += pieces[rng() % pieces.size()];
    }
    const std::string expected = block_redaction(rules, text);
    const auto cuts = random_cuts(text.size(), rng, 1 + round % 9);
    ASSERT_EQ(stream_redaction(rules, text, cuts), expected) << "text: " << text;
  }
}

// A table column's header counts while it is within context_lookbehind bytes of the cell, in block and
// stream mode alike: rows far below a header that scrolled out of sight get no context from it.
TEST(StreamRedactor, TableHeaderContextReachesAsFarInStreamsAsInBlocks) {
  const auto& rules = testing::default_rules();
  std::string text = "name,routing_number,account\n";
  for (int row = 0; row < 200; ++row) {
    text += "Customer " + std::to_string(row) + ",021000021,12345678\n";
  }
  const std::string expected = block_redaction(rules, text);
  EXPECT_NE(expected.find("Customer 0,[REDACTED:US_BANK_ROUTING]"), std::string::npos);
  EXPECT_NE(expected.find("Customer 199,021000021"), std::string::npos);
  std::mt19937 rng(37);
  for (int round = 0; round < 20; ++round) {
    ASSERT_EQ(stream_redaction(rules, text, random_cuts(text.size(), rng, 1 + round * 7)), expected);
  }
}

TEST(StreamRedactor, WriteAfterFinishIsAnError) {
  const auto rules = stream_rules();
  scanner s(rules);
  redactor red;
  stream_redactor sr(rules, s.scratch(), red);
  std::string out;
  ASSERT_EQ(sr.finish(out), errc::ok);
  EXPECT_EQ(sr.write("x", out), errc::stream_closed);
  ASSERT_EQ(sr.reset(), errc::ok);
  EXPECT_EQ(sr.write("x", out), errc::ok);
}

TEST(StreamRedactor, LongStreamRunsInBoundedMemory) {
  const auto rules = stream_rules();
  scanner s(rules);
  redactor red;
  stream_redactor sr(rules, s.scratch(), red);
  std::string out;
  std::size_t max_held = 0;
  for (int i = 0; i < 100000; ++i) {
    out.clear();
    ASSERT_EQ(sr.write(i % 97 == 0 ? "mail a@b.co now. " : "some ordinary words here. ", out), errc::ok);
    max_held = std::max(max_held, sr.held_bytes());
  }
  EXPECT_LE(max_held, rules->max_redaction_width());
}

TEST(StreamRedactor, DefaultCatalogRandomSplitsMatchBlockRedaction) {
  const auto& rules = testing::default_rules();
  std::mt19937 rng(3);
  for (int round = 0; round < 300; ++round) {
    const std::string text = random_text(rng);
    ASSERT_EQ(stream_redaction(rules, text, random_cuts(text.size(), rng, 1 + round % 8)),
              block_redaction(rules, text))
        << "text: " << text;
  }
}

}  // namespace
}  // namespace sluice::engine
