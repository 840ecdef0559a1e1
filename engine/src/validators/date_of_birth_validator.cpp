// Dates of birth: the span must be a real calendar date (1985-02-30 is not), in a format people write,
// between 1900 and today. Rules pair this with context words ("born", "DOB"), since any date could
// otherwise be a birthday.
#include <array>
#include <ctime>

#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

constexpr int earliest_year = 1900;

struct ymd {
  int year = 0;
  int month = 0;
  int day = 0;
};

bool leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in(int year, int month) noexcept {
  constexpr int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : days[month - 1];
}

ymd today() noexcept {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return {utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday};
}

bool plausible(const ymd& d) noexcept {
  if (d.year < earliest_year || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in(d.year, d.month)) {
    return false;
  }
  // Allow for time zones: "today" somewhere on Earth is at most one day ahead of UTC.
  const ymd now = today();
  if (d.year != now.year) {
    return d.year < now.year;
  }
  if (d.month != now.month) {
    return d.month < now.month;
  }
  return d.day <= now.day + 1;
}

// Numeric forms: three groups of digits with one separator used twice.
//   YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD        year first (1985-3-12 too)
//   DD.MM.YYYY                                 dots: day first (European)
//   MM/DD/YYYY, MM-DD-YYYY                     US order, or day first when that is the only real date
bool numeric_date(std::string_view s) noexcept {
  const std::size_t a = s.find_first_of("-/.");
  if (a == std::string_view::npos) {
    return false;
  }
  const char sep = s[a];
  const std::size_t b = s.find(sep, a + 1);
  if (b == std::string_view::npos || s.find_first_of("-/.", b + 1) != std::string_view::npos ||
      s.find_first_of("-/.", a + 1) != b) {
    return false;
  }
  const std::string_view g1 = s.substr(0, a), g2 = s.substr(a + 1, b - a - 1), g3 = s.substr(b + 1);
  if (!all_digits(g1) || !all_digits(g2) || !all_digits(g3)) {
    return false;
  }
  const auto short_group = [](std::string_view g) { return g.size() == 1 || g.size() == 2; };
  if (g1.size() == 4) {
    return short_group(g2) && short_group(g3) && plausible({number_of(g1), number_of(g2), number_of(g3)});
  }
  if (!short_group(g1) || !short_group(g2) || g3.size() != 4) {
    return false;
  }
  const int first = number_of(g1), second = number_of(g2), year = number_of(g3);
  if (sep == '.') {
    return plausible({year, second, first});
  }
  return plausible({year, first, second}) || plausible({year, second, first});
}

// Month names in the languages the catalog's context words cover, lower case (UTF-8; iequals folds
// ASCII letters only, which is enough: no month name starts with an accented capital).
constexpr std::array<std::array<std::string_view, 12>, 7> month_names{{
    {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"},
    {"januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
     "november", "dezember"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre"},
    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
     "noviembre", "diciembre"},
    {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
     "novembre", "dicembre"},
    {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
     "novembro", "dezembro"},
    {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
     "november", "december"},
}};

// 1-12 for a month name of any of those languages, an English three-letter abbreviation ("Sept"
// too), else 0.
int month_from_name(std::string_view w) noexcept {
  for (const auto& language : month_names) {
    for (std::size_t i = 0; i < language.size(); ++i) {
      if (iequals(w, language[i])) {
        return static_cast<int>(i) + 1;
      }
    }
  }
  const auto& english = month_names[0];
  for (std::size_t i = 0; i < english.size(); ++i) {
    if ((w.size() == 3 && iequals(w, english[i].substr(0, 3))) || (i == 8 && iequals(w, "sept"))) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

// A day of the month, with an optional ordinal suffix: 1, 01, 12th, 3rd.
int day_from_token(std::string_view t) noexcept {
  std::size_t digits = 0;
  while (digits < t.size() && is_digit(t[digits])) {
    ++digits;
  }
  if (digits == 0 || digits > 2) {
    return 0;
  }
  const std::string_view suffix = t.substr(digits);
  const int day = number_of(t.substr(0, digits));
  if (iequals(suffix, "er")) {
    return day == 1 ? 1 : 0;  // French "1er janvier"
  }
  if (!suffix.empty() && !iequals(suffix, "st") && !iequals(suffix, "nd") && !iequals(suffix, "rd") &&
      !iequals(suffix, "th")) {
    return 0;
  }
  return day;
}

bool word_byte(char c) noexcept { return is_alnum(c) || static_cast<unsigned char>(c) >= 0x80; }

// Written forms: "12 March 1985", "12th Mar 1985", "12-Mar-1985", "March 12, 1985", "Mar. 12 1985",
// "18. Oktober 2003", "23 décembre 1965", "31 de agosto de 1949" (Spanish and Portuguese "de").
bool written_date(std::string_view s) noexcept {
  if (s.empty() || !is_alnum(s.back())) {
    return false;
  }
  std::array<std::string_view, 3> tokens;
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && word_byte(s[i])) {
      ++i;
    }
    const std::string_view token = s.substr(start, i - start);
    const bool connector = (count == 1 || count == 2) && iequals(token, "de");
    if (token.empty() || (count == tokens.size() && !connector)) {
      return false;
    }
    if (!connector) {
      tokens[count++] = token;
    }
    // Separators: an optional '.' (abbreviation) or ',' then at most one space or dash.
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
    }
    if (i < s.size() && (s[i] == ' ' || s[i] == '-')) {
      ++i;
    }
  }
  if (count != 3 || tokens[2].size() != 4 || !all_digits(tokens[2])) {
    return false;
  }
  const int year = number_of(tokens[2]);
  if (const int m = month_from_name(tokens[1]); m != 0) {
    return plausible({year, m, day_from_token(tokens[0])});
  }
  if (const int m = month_from_name(tokens[0]); m != 0) {
    return plausible({year, m, day_from_token(tokens[1])});
  }
  return false;
}

// Chinese and Japanese: "1986年6月20日" (year, month and day each followed by its character).
bool cjk_date(std::string_view s) noexcept {
  constexpr std::string_view year_mark = "年", month_mark = "月", day_mark = "日";
  const std::size_t y = s.find(year_mark);
  if (y != 4 || !all_digits(s.substr(0, 4))) {
    return false;
  }
  const std::size_t m = s.find(month_mark, y + year_mark.size());
  if (m == std::string_view::npos || !s.ends_with(day_mark)) {
    return false;
  }
  const std::string_view month = s.substr(y + year_mark.size(), m - y - year_mark.size());
  const std::string_view day = s.substr(m + month_mark.size(), s.size() - day_mark.size() - m - month_mark.size());
  if (month.empty() || month.size() > 2 || day.empty() || day.size() > 2 || !all_digits(month) ||
      !all_digits(day)) {
    return false;
  }
  return plausible({number_of(s.substr(0, 4)), number_of(month), number_of(day)});
}

}  // namespace

bool valid_date_of_birth(std::string_view span) noexcept {
  if (span.size() < 6 || span.size() > 32) {
    return false;
  }
  if (is_digit(span[0]) && is_digit(span.back()) && span.find(' ') == std::string_view::npos &&
      numeric_date(span)) {
    return true;
  }
  if (static_cast<unsigned char>(span.back()) >= 0x80) {
    return cjk_date(span);
  }
  return written_date(span);
}

}  // namespace sluice::engine::detail
