#include "validators/reading_context.h"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string>

#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

constexpr char ascii_lower(char c) noexcept { return is_upper(c) ? static_cast<char>(c + 32) : c; }

// The last `n` bytes of the line `before` ends in (a window a reader takes in with the candidate),
// lower-cased into `buf`.
std::string_view line_tail_lower(std::string_view before, std::size_t n, char* buf) noexcept {
  std::size_t from = before.size() > n ? before.size() - n : 0;
  if (const std::size_t nl = before.substr(from).rfind('\n'); nl != std::string_view::npos) {
    from += nl + 1;
  }
  const std::size_t len = before.size() - from;
  for (std::size_t i = 0; i < len; ++i) {
    buf[i] = ascii_lower(before[from + i]);
  }
  return {buf, len};
}

// Position just past the last occurrence of `word` in `s`, or 0 when there is none. With
// `word_start`, only occurrences not preceded by an ASCII letter count.
std::size_t last_end_of(std::string_view s, std::string_view word, bool word_start) noexcept {
  std::size_t at = s.size();
  while (at > 0) {
    const std::size_t pos = s.rfind(word, at - 1);
    if (pos == std::string_view::npos) {
      return 0;
    }
    const bool starts = pos == 0 || !is_alpha(s[pos - 1]);
    if (!word_start || starts) {
      // A short word must also end there ("ip" is not "pipeline"; "ver" is not "server").
      const std::size_t end = pos + word.size();
      if (word.size() > 3 || end == s.size() || !is_alpha(s[end])) {
        return end;
      }
    }
    if (pos == 0) {
      return 0;
    }
    at = pos;
  }
  return 0;
}

// Words that say the number is a version, build or section, found anywhere inside a word of the text
// (AssemblyVersion, client_version, versione, "前のバージョン").
constexpr std::string_view version_infixes[] = {
    "version", "versión", "versão", "versie", "バージョン", "版本", "build", "release", "firmware",
    "agent", "revision", "hotfix", "upgrade", "changelog", "bump"};
// Version words that are a whole word ("v", "rfc") or, from four letters on, start one ("patched").
constexpr std::string_view version_words[] = {
    "ver", "rev", "v", "fw", "sdk", "patch", "kernel", "driver", "section", "sect", "rfc", "§", "chapter", "oid"};

// Words that say the number is an address, matched like version_words. A reader needs one of these to
// read a version-shaped number (3.2.0.7) as an address.
constexpr std::string_view address_words[] = {
    "ip", "ips", "ipv4", "ipaddr", "addr", "address", "adresse", "dirección", "host", "ssh", "sshd",
    "ping", "client", "server", "remote", "peer", "src", "dst", "source", "dest", "gateway", "gw", "dns",
    "nameserver", "resolver", "proxy", "connect", "listen", "bind", "inet", "route", "subnet", "allow",
    "deny", "firewall", "upstream", "backend", "endpoint", "forwarded", "login", "blocked", "banned",
    "サーバー", "服务器", "servidor", "serveur"};

// A bare "from" reads as an address unless a version word is around ("upgraded the agent from …").
constexpr std::string_view from_words[] = {"from", "von", "desde", "depuis"};

// The first bytes of a list's words, so that most words of a text are ruled out by one lookup.
template <std::size_t N>
constexpr std::array<bool, 256> first_bytes(const std::string_view (&words)[N]) noexcept {
  std::array<bool, 256> t{};
  for (std::string_view w : words) {
    t[static_cast<unsigned char>(w[0])] = true;
  }
  return t;
}

// A word of the text matches `w`: equal, or, for words of four letters or more, a prefix of it.
bool word_is(std::string_view token, std::string_view w) noexcept {
  if (token[0] != w[0]) {
    return false;
  }
  return token == w || (w.size() >= 4 && token.size() > w.size() && token.substr(0, w.size()) == w);
}

template <std::size_t N>
bool word_in(std::string_view token, const std::string_view (&words)[N], const std::array<bool, 256>& first) noexcept {
  if (!first[static_cast<unsigned char>(token[0])]) {
    return false;
  }
  for (std::string_view w : words) {
    if (word_is(token, w)) {
      return true;
    }
  }
  return false;
}

template <std::size_t N>
bool infix_in(std::string_view token, const std::string_view (&words)[N], const std::array<bool, 256>& first) noexcept {
  for (std::size_t i = 0; i + 4 <= token.size(); ++i) {  // every infix is at least four bytes long
    if (!first[static_cast<unsigned char>(token[i])]) {
      continue;
    }
    for (std::string_view w : words) {
      if (w[0] == token[i] && token.substr(i, w.size()) == w) {
        return true;
      }
    }
  }
  return false;
}

constexpr auto version_infix_first = first_bytes(version_infixes);
constexpr auto version_word_first = first_bytes(version_words);
constexpr auto address_word_first = first_bytes(address_words);
constexpr auto from_word_first = first_bytes(from_words);

// A byte of a word: ASCII letters and every byte of a multi-byte UTF-8 character ('_', '-' and
// digits split words: remote_addr, node-agent).
constexpr bool word_byte(char c) noexcept { return is_alpha(c) || static_cast<unsigned char>(c) >= 0x80 || c == '\xa7'; }

bool version_shaped(std::string_view span) noexcept {
  int octet[4] = {0, 0, 0, 0};
  int n = 0;
  for (char c : span) {
    if (c == '.') {
      if (++n == 4) {
        return false;
      }
    } else if (is_digit(c)) {
      octet[n] = octet[n] * 10 + (c - '0');
    } else {
      return false;  // a host name label joined the match: an address (10.0.3.17.nip.io)
    }
  }
  if (n != 3) {
    return false;
  }
  if (octet[0] == octet[1] && octet[1] == octet[2] && octet[2] == octet[3]) {
    return false;  // 8.8.8.8, 1.1.1.1, 0.0.0.0: famous addresses, not versions
  }
  // Public resolvers that look like versions.
  constexpr std::array<std::array<int, 4>, 4> famous{{{8, 8, 4, 4}, {1, 0, 0, 1}, {9, 9, 9, 10}, {4, 2, 2, 1}}};
  for (const auto& f : famous) {
    if (f[0] == octet[0] && f[1] == octet[1] && f[2] == octet[2] && f[3] == octet[3]) {
      return false;
    }
  }
  return octet[0] <= 9 && octet[1] <= 30 && octet[2] <= 30 && octet[3] <= 30;
}

// Whether the text between a version word and the candidate holds nothing but other version numbers
// and the words that link them ("5.2.1.4 auf 5.3.0.0", "1.0.0.1 to 1.2.0.0", "4.0.0.1 → 4.1.0.0"): then
// the word names the candidate too. `between` is lower case.
bool only_versions_between(std::string_view between) noexcept {
  constexpr std::string_view links[] = {"to", "auf", "nach", "zu", "bis", "and", "und", "or", "oder", "y", "et",
                                        "a", "à", "vs", "→", "から", "へ"};
  std::size_t i = 0;
  while (i < between.size()) {
    const char c = between[i];
    if (is_digit(c) || c == '.' || c == ' ' || c == ',' || c == '-' || c == '>' || c == '/' || c == '=' ||
        c == ':' || c == '"' || c == '\'' || c == '(' || c == 'v') {
      ++i;
      continue;
    }
    bool linked = false;
    for (std::string_view w : links) {
      if (between.substr(i, w.size()) == w &&
          (i + w.size() == between.size() || !is_alpha(between[i + w.size()]))) {
        i += w.size();
        linked = true;
        break;
      }
    }
    if (!linked) {
      return false;
    }
  }
  return true;
}

// 255.255.255.0, 255.255.240.0: a netmask (ones, then zeros), which names no machine.
bool netmask_shaped(std::string_view span) noexcept {
  std::uint32_t bits = 0;
  std::uint32_t octet = 0;
  int parts = 0;
  for (char c : span) {
    if (c == '.') {
      bits = bits << 8 | octet;
      octet = 0;
      ++parts;
    } else if (is_digit(c)) {
      octet = octet * 10 + static_cast<std::uint32_t>(c - '0');
    } else {
      return false;
    }
  }
  bits = bits << 8 | octet;
  if (parts != 3 || (bits >> 24) != 255) {
    return false;
  }
  const std::uint32_t inverted = ~bits;
  return (inverted & (inverted + 1)) == 0;  // the zeros form one run at the end
}

// "Chrome/126.0.0.0", "Safari/537.36": a product token and a slash right before the number (a URL
// path "//host/1.2.3.4" is not one: its token follows a '/' or ':').
bool after_product_token(std::string_view before) noexcept {
  if (before.size() < 2 || before.back() != '/' || !is_alnum(before[before.size() - 2])) {
    return false;
  }
  std::size_t i = before.size() - 1;
  while (i > 0 && (is_alnum(before[i - 1]) || before[i - 1] == '.' || before[i - 1] == '_' || before[i - 1] == '-')) {
    --i;
  }
  if (!is_alpha(before[i])) {
    return false;
  }
  return i == 0 || (before[i - 1] != '/' && before[i - 1] != ':' && before[i - 1] != '@');
}

int digits_of(std::string_view s) noexcept {
  int n = 0;
  for (char c : s) {
    n += is_digit(c) ? 1 : 0;
  }
  return n;
}

std::size_t count_of(std::string_view s, char c) noexcept {
  std::size_t n = 0;
  for (char x : s) {
    n += x == c ? 1 : 0;
  }
  return n;
}

// A table row or header is at most this long; a longer line is prose, and looking no further back
// keeps the lookup cheap wherever numbers are dense.
constexpr std::size_t max_table_line = 512;
// How far before a cell's line its table's header may lie. With the cell at most max_table_line bytes
// into its line, this stays inside the context_lookbehind bytes every candidate sees, and depends on
// the line alone (every cell of a line gets the same header).
constexpr std::size_t max_table_lookup = 1536;
static_assert(max_table_lookup + max_table_line <= 2048, "the table lookup must stay inside context_lookbehind");

// Where the line ending just before `end` (exclusive, `end` at a '\n' or the text's end) starts, or
// npos when it may start before what `before` holds or is longer than a table line.
std::size_t line_start_before(std::string_view before, std::size_t end, bool whole) noexcept {
  const std::size_t floor = end > max_table_line ? end - max_table_line : 0;
  if (const void* nl = memrchr(before.data() + floor, '\n', end - floor); nl != nullptr) {
    return static_cast<std::size_t>(static_cast<const char*>(nl) - before.data()) + 1;
  }
  return (floor == 0 && whole) ? 0 : std::string_view::npos;
}

std::string_view trim_cell(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '"' || s.front() == '\'' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\'' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

struct region_words {
  const char* region;
  const char* tld;                              // without the dot
  std::array<std::string_view, 6> words;        // labels and address words, lower case
};

// A phone label in the region's language, or a word of an address there. English labels are no
// evidence of a region (they are written everywhere).
constexpr std::array<region_words, 14> region_table{{
    {"DE", "de", {"telefon", "handy", "festnetz", "rufnummer", "straße", "deutschland"}},
    {"AT", "at", {"telefon", "handy", "österreich", "wien", "", ""}},
    {"CH", "ch", {"telefon", "natel", "schweiz", "zürich", "", ""}},
    {"FR", "fr", {"téléphone", "portable", "france", "", "", ""}},
    {"ES", "es", {"teléfono", "telefono", "móvil", "tlf", "calle", "españa"}},
    {"IT", "it", {"telefono", "cellulare", "italia", "", "", ""}},
    {"PT", "pt", {"telefone", "telemóvel", "portugal", "", "", ""}},
    {"BR", "br", {"telefone", "celular", "brasil", "", "", ""}},
    {"NL", "nl", {"telefoon", "mobiel", "straat", "nederland", "", ""}},
    {"GB", "uk", {"united kingdom", "", "", "", "", ""}},
    {"JP", "jp", {"電話", "携帯", "東京", "〒", "日本", "大阪"}},
    {"CN", "cn", {"电话", "手机", "中国", "北京", "上海", ""}},
    {"KR", "kr", {"전화", "휴대폰", "서울", "", "", ""}},
    {"PL", "pl", {"telefon", "polska", "", "", "", ""}},
}};

// The calling code of every two-letter region ("49" for DE; empty when libphonenumber knows none),
// worked out once so that a '+' in the text costs no library call.
std::string_view country_code_of(const char* region) noexcept {
  struct table {
    std::array<std::array<char, 4>, 26 * 26> codes{};
    table() {
      const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
      std::string r(2, 'A');
      for (int a = 0; a < 26; ++a) {
        for (int b = 0; b < 26; ++b) {
          r[0] = static_cast<char>('A' + a);
          r[1] = static_cast<char>('A' + b);
          const int cc = util.GetCountryCodeForRegion(r);
          if (cc > 0 && cc < 1000) {
            std::snprintf(codes[a * 26 + b].data(), 4, "%d", cc);
          }
        }
      }
    }
  };
  static const table t;
  if (!is_upper(region[0]) || !is_upper(region[1])) {
    return {};
  }
  const auto& c = t.codes[(region[0] - 'A') * 26 + (region[1] - 'A')];
  return {c.data(), std::strlen(c.data())};
}

int region_index(const char (*regions)[3], std::size_t count, const char* code) noexcept {
  for (std::size_t i = 0; i < count; ++i) {
    if (regions[i][0] == code[0] && regions[i][1] == code[1]) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

}  // namespace

namespace {

// The header line of the table the line starting at before[line] belongs to, looked for in the
// max_table_lookup bytes before that line (empty when there is none). Depends only on the text before
// the line, so every cell of a line shares it.
column_cache::entry find_table(std::string_view before, std::size_t line, bool whole) noexcept {
  column_cache::entry none;
  const std::size_t floor = line > max_table_lookup ? line - max_table_lookup : 0;
  const std::string_view region = before.substr(floor, line - floor);
  const bool region_whole = whole && floor == 0;
  if (region.empty()) {
    return none;  // the candidate's line is the text's first
  }
  // The previous line decides the delimiter.
  const std::size_t prev_end = region.size() - 1;
  const std::size_t prev_start = line_start_before(region, prev_end, region_whole);
  if (prev_start == std::string_view::npos) {
    return none;
  }
  const std::string_view prev = region.substr(prev_start, prev_end - prev_start);
  char delim = 0;
  for (char c : {'\t', '|', ';', ','}) {
    if (prev.find(c) != std::string_view::npos) {
      delim = c;
      break;
    }
  }
  if (delim == 0) {
    return none;
  }
  const std::size_t columns = count_of(prev, delim);
  // Walk up the run of lines with the same delimiter count; its first line is the header.
  std::size_t header_start = prev_start;
  while (header_start > 0) {
    const std::size_t end = header_start - 1;
    const std::size_t start = line_start_before(region, end, region_whole);
    if (start == std::string_view::npos) {
      return none;  // the run goes on beyond what can be seen: its header is out of sight
    }
    if (count_of(region.substr(start, end - start), delim) != columns) {
      break;
    }
    header_start = start;
  }
  const std::size_t header_end = region.find('\n', header_start);
  const std::string_view header = region.substr(header_start, header_end - header_start);
  if (digits_of(header) > 2) {
    return none;
  }
  return {nullptr, header, delim, columns};
}

}  // namespace

std::string_view column_header(std::string_view before, bool whole, column_cache* cache) noexcept {
  const std::size_t line = line_start_before(before, before.size(), whole);
  if (line == std::string_view::npos || line == 0) {
    return {};  // no complete line before the candidate's
  }
  column_cache::entry table;
  const char* key = before.data() + line;
  bool cached = false;
  if (cache != nullptr) {
    for (const column_cache::entry& e : cache->entries) {
      if (e.line == key) {
        table = e;
        cached = true;
        break;
      }
    }
  }
  if (!cached) {
    table = find_table(before, line, whole);
    table.line = key;
    if (cache != nullptr) {
      cache->entries[cache->next++ % cache->entries.size()] = table;
    }
  }
  if (table.delim == 0) {
    return {};
  }
  const std::size_t column = count_of(before.substr(line), table.delim);
  if (column > table.columns) {
    return {};
  }
  const std::string_view header = table.header;
  std::size_t from = 0;
  for (std::size_t i = 0; i < column; ++i) {
    from = header.find(table.delim, from) + 1;
  }
  const std::size_t to = header.find(table.delim, from);
  const std::string_view cell = trim_cell(header.substr(from, to == std::string_view::npos ? header.size() - from : to - from));
  return cell.size() <= 64 ? cell : std::string_view{};
}

bool header_names(std::string_view cell, std::string_view word) noexcept {
  while (!word.empty() && (word.back() == ':' || word.back() == '.')) {
    word.remove_suffix(1);
  }
  if (word.empty() || cell.size() < word.size() || cell.size() > 64) {
    return false;
  }
  char buf[64];
  for (std::size_t i = 0; i < cell.size(); ++i) {
    buf[i] = ascii_lower(cell[i]);
  }
  const std::string_view lower(buf, cell.size());
  for (std::size_t pos = lower.find(word); pos != std::string_view::npos; pos = lower.find(word, pos + 1)) {
    if (pos == 0 || !is_alpha(lower[pos - 1])) {
      return true;
    }
  }
  return false;
}

bool ipv4_reads_as_address(std::string_view before, std::string_view span) noexcept {
  if (after_product_token(before) || netmask_shaped(span)) {
    return false;
  }
  char buf[48];
  const std::string_view tail = line_tail_lower(before, sizeof buf, buf);
  // Words from the nearest back; the nearest address or version word decides. A version word counts
  // for the number right after it ("build 12.0.7.1", AssemblyVersion("15.2.3.1")), and for any
  // version-shaped one after it on the line ("Version 5.2.1.4 auf 5.3.0.0"); it outweighs a bare "from"
  // ("upgraded the agent from 5.2.1.4"), which otherwise reads as an address ("publickey for deploy
  // from 3.2.0.7").
  bool from = false;
  std::size_t end = tail.size();
  while (end > 0) {
    while (end > 0 && !word_byte(tail[end - 1])) {
      --end;
    }
    std::size_t start = end;
    while (start > 0 && word_byte(tail[start - 1])) {
      --start;
    }
    if (start == end) {
      break;
    }
    const std::string_view token = tail.substr(start, end - start);
    if (word_in(token, address_words, address_word_first)) {
      return true;
    }
    if (infix_in(token, version_infixes, version_infix_first) || word_in(token, version_words, version_word_first)) {
      return !(only_versions_between(tail.substr(end)) || version_shaped(span));
    }
    from = from || word_in(token, from_words, from_word_first);
    end = start;
  }
  return from || !version_shaped(span);
}

bool ipv6_reads_as_address(std::string_view before, std::string_view span) noexcept {
  // x[::3], m[2::4], arr[:, ::2]: a subscript right after a name or another bracket is a slice.
  if (!before.empty() && before.back() == '[' && before.size() >= 2) {
    const char c = before[before.size() - 2];
    if (is_alnum(c) || c == '_' || c == ']' || c == ')') {
      return false;
    }
  }
  if (!before.empty() && (before.back() == ':' || before.back() == ',') && before.size() >= 2 &&
      before.find('[') != std::string_view::npos) {
    // a[1:, ::2] and b[:, 2::4]: further dimensions of a subscript
    const std::size_t open = before.rfind('[');
    const std::size_t close = before.rfind(']');
    if (close == std::string_view::npos || close < open) {
      return false;
    }
  }
  if (span.size() >= 2 && span.front() == '[') {
    span = span.substr(1, span.size() - 2);
  }
  if (span.find("::") == std::string_view::npos || span.find('.') != std::string_view::npos) {
    return true;
  }
  std::size_t groups = 0;
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : span) {
    if (c == ':') {
      run = 0;
    } else {
      if (run++ == 0) {
        ++groups;
      }
      longest = std::max(longest, run);
    }
  }
  if (groups >= 3) {
    return true;
  }
  return span == "::1" || longest >= 3;
}

bool labelled_as_ssn(std::string_view before, bool before_is_whole) noexcept {
  constexpr std::string_view labels[] = {"ssn", "social security", "social sec", "ss#", "soc. sec", "sozialversicherung"};
  char buf[48];
  const std::string_view tail = line_tail_lower(before, sizeof buf, buf);
  for (std::string_view w : labels) {
    if (last_end_of(tail, w, true) > 0) {
      return true;
    }
  }
  // A column headed "SSN" labels every cell below it.
  const std::string_view header = column_header(before, before_is_whole);
  for (std::string_view w : labels) {
    if (!header.empty() && header_names(header, w)) {
      return true;
    }
  }
  return false;
}

std::uint64_t phone_region_evidence(std::string_view before, const char (*regions)[3], std::size_t count) noexcept {
  std::uint64_t found = 0;
  // Words in the last 256 bytes: a label or an address line near the number.
  char buf[256];
  const std::size_t from = before.size() > sizeof buf ? before.size() - sizeof buf : 0;
  for (std::size_t i = from; i < before.size(); ++i) {
    buf[i - from] = ascii_lower(before[i]);
  }
  const std::string_view near(buf, before.size() - from);
  for (const region_words& r : region_table) {
    const int index = region_index(regions, count, r.region);
    if (index < 0) {
      continue;
    }
    for (std::string_view w : r.words) {
      if (!w.empty() && near.find(w) != std::string_view::npos) {
        found |= std::uint64_t{1} << index;
        break;
      }
    }
  }
  // +CC, IBAN and ccTLD anywhere in the lookbehind: one pass.
  for (std::size_t i = 0; i + 2 < before.size(); ++i) {
    const char c = before[i];
    if (c == '+' && is_digit(before[i + 1]) && (i == 0 || !is_alnum(before[i - 1]))) {
      // Country codes are prefix-free: the one the digits after '+' start with is the country.
      for (std::size_t k = 0; k < count && regions[k][0] != '\0'; ++k) {
        const std::string_view code = country_code_of(regions[k]);
        if (!code.empty() && before.compare(i + 1, code.size(), code) == 0) {
          found |= std::uint64_t{1} << k;
        }
      }
    } else if (is_upper(c) && is_upper(before[i + 1]) && i + 5 < before.size() && is_digit(before[i + 2]) &&
               is_digit(before[i + 3]) && (i == 0 || !is_alnum(before[i - 1])) &&
               (is_alnum(before[i + 4]) || before[i + 4] == ' ') && is_alnum(before[i + 5])) {
      const char code[3] = {c, before[i + 1], '\0'};
      if (const int k = region_index(regions, count, code); k >= 0) {
        found |= std::uint64_t{1} << k;  // the start of an IBAN of that country
      }
    } else if (c == '.' && i > 0 && is_alnum(before[i - 1]) && is_alpha(before[i + 1]) && is_alpha(before[i + 2]) &&
               (i + 3 == before.size() || !is_alnum(before[i + 3]))) {
      const char tld[3] = {ascii_lower(before[i + 1]), ascii_lower(before[i + 2]), '\0'};
      for (std::size_t k = 0; k < count && regions[k][0] != '\0'; ++k) {
        const char expect0 = (regions[k][0] == 'G' && regions[k][1] == 'B') ? 'u' : ascii_lower(regions[k][0]);
        const char expect1 = (regions[k][0] == 'G' && regions[k][1] == 'B') ? 'k' : ascii_lower(regions[k][1]);
        if (tld[0] == expect0 && tld[1] == expect1) {
          found |= std::uint64_t{1} << k;
        }
      }
    }
  }
  return found;
}

}  // namespace sluice::engine::detail
