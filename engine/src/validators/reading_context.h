#pragma once
// What a reader takes from the text right before a candidate: the words that say what a number is
// (a version, an address, a social security number), and, in a CSV/TSV or Markdown table, the header
// of the column the candidate sits in. Everything here reads only text BEFORE the candidate (at most
// `context_lookbehind` bytes), so a streamed decision never waits for text that has not arrived, and
// block and stream mode decide alike.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::engine::detail {

// Tables found for recent lines, so that the cells of one line (and the hits of several rules in them)
// look for their header once. Valid for one text buffer: keep one per confirmation pass.
struct column_cache {
  struct entry {
    const char* line = nullptr;  // where the cell's line starts (the key)
    std::string_view header;     // the table's header line
    char delim = 0;              // 0: no table
    std::size_t columns = 0;
  };
  std::array<entry, 8> entries{};
  std::size_t next = 0;
};

// The header cell of the table column that the text after `before` sits in, or empty. A table is a
// run of complete lines right before the candidate's line that all hold the same number (at least
// one) of the same delimiter (tab, '|', ';' or ','); its first line is the header, which holds at most
// two digits (a header names columns, it does not hold data). The candidate's column is the number of
// delimiters before it on its own line. Markdown separator lines (|---|) are part of the run. Lines
// are at most 512 bytes, and the header must lie within 1,536 bytes before the cell's line (inside
// `before`, whatever the cell's offset in its line); when the run reaches back further there is no
// header in sight: empty.
[[nodiscard]] std::string_view column_header(std::string_view before, bool before_is_whole,
                                             column_cache* cache = nullptr) noexcept;

// Whether `cell` (a header) names the column after one of `words` (ASCII case ignored; a word counts
// at the start of a word of the cell, trailing ':' or '.' of the word ignored; "tel:" finds "Telefon").
[[nodiscard]] bool header_names(std::string_view cell, std::string_view word) noexcept;

// IPv4 `span` (four valid octets) read in context: false when the text before it says it is a version,
// build, section or user-agent product token, or when it looks like a version and nothing says it is
// an address (see docs/entities.md, "IP addresses and version numbers").
[[nodiscard]] bool ipv4_reads_as_address(std::string_view before, std::string_view span) noexcept;

// IPv6 `span` (already parsed) read in context: not a Python/numpy slice (`x[::3]`, `m[2::4]`), and
// a compressed form of fewer than three groups only when it looks like an address (`::1`, `fe80::1`),
// not like slice or ratio arithmetic (`::5`, `2::4`).
[[nodiscard]] bool ipv6_reads_as_address(std::string_view before, std::string_view span) noexcept;

// Whether the line before a candidate labels it as a social security number ("SSN", "social
// security", "SSN#"…) within the last 48 bytes, or the header of its table column does.
[[nodiscard]] bool labelled_as_ssn(std::string_view before, bool before_is_whole) noexcept;

// Regions the text before a national phone number gives away, as bits of `regions` (index i for
// regions[i]): a phone label in the region's language, its +CC, its IBAN, an address word or its ccTLD.
// `regions` has `count` two-letter codes.
[[nodiscard]] std::uint64_t phone_region_evidence(std::string_view before, const char (*regions)[3],
                                                  std::size_t count) noexcept;

}  // namespace sluice::engine::detail
