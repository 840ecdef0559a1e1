// The normalizer: one forward pass over (validated) UTF-8 that removes invisible characters, folds
// compatibility forms to ASCII, folds Cyrillic/Greek look-alikes in mixed-script words, collapses
// letter-spaced runs ("i g n o r e") and leetspeak words ("1gn0r3"), and records for every output byte
// the offset of the input character it came from.
//
// Decisions that need context (is this word mixed-script? is this a spaced run?) look ahead in the input
// instead of buffering, so the only memory used is the output's own reused buffers. ASCII case is kept:
// the rules that read the normalized text are compiled case-insensitive.
#include "sluice/engine/normalizer.h"

#include "simd/ascii_check.h"
#include "text/normalizer_detail.h"
#include "text/ascii_text.h"
#include "text/unicode_folding.h"

namespace sluice::engine {
namespace {

using detail::script;

// One input character after compatibility folding.
struct unit {
  std::uint32_t cp = 0;     // code point, or its ASCII compatibility fold
  std::uint32_t start = 0;  // input offset of its first byte
  std::uint32_t len = 0;    // input bytes
  bool folded = false;      // cp differs from the input character
  bool invisible = false;   // to be removed
};

// Decodes the character at `pos` of well-formed UTF-8.
unit decode(std::string_view in, std::size_t pos) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(in[pos + k]); };
  unit u;
  u.start = static_cast<std::uint32_t>(pos);
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) {
    u.cp = b0;
    u.len = 1;
    return u;
  }
  if (b0 < 0xE0) {
    u.cp = ((b0 & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
    u.len = 2;
  } else if (b0 < 0xF0) {
    u.cp = ((b0 & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
    u.len = 3;
  } else {
    u.cp = ((b0 & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
    u.len = 4;
  }
  if (detail::is_invisible(u.cp)) {
    u.invisible = true;
  } else if (const char a = detail::compatibility_ascii(u.cp); a != 0) {
    u.cp = static_cast<unsigned char>(a);
    u.folded = true;
  }
  return u;
}

bool is_letter_script(script s) noexcept {
  return s == script::latin || s == script::cyrillic || s == script::greek || s == script::other;
}
bool is_cyrillic_or_greek(script s) noexcept { return s == script::cyrillic || s == script::greek; }
bool is_leet_char(std::uint32_t cp) noexcept {
  return cp == '0' || cp == '1' || cp == '3' || cp == '4' || cp == '5' || cp == '7' || cp == '@' || cp == '$';
}
bool is_sigil(std::uint32_t cp) noexcept { return cp == '@' || cp == '$'; }
bool is_run_separator(std::uint32_t cp) noexcept { return cp == ' ' || cp == '.' || cp == '-'; }
// What may sit between two letter-spaced runs that belong together ("i g n o r e   a l l").
bool is_gap_char(std::uint32_t cp) noexcept {
  return cp == ' ' || cp == '\t' || cp == '.' || cp == '-' || cp == '/' || cp == '|' || cp == '_' || cp == '*';
}

char leet_letter(std::uint32_t cp) noexcept {
  switch (cp) {
    case '0': return 'o';
    case '1': return 'i';
    case '3': return 'e';
    case '4': return 'a';
    case '5': return 's';
    case '7': return 't';
    case '@': return 'a';
    case '$': return 's';
    default: return 0;
  }
}

class pass {
 public:
  pass(std::string_view in, normalized_text& out, bool shortcuts) noexcept
      : in_(in), out_(out), shortcuts_(shortcuts) {}

  bool run() noexcept {
    std::size_t pos = 0;
    while (pos < in_.size()) {
      if (const std::size_t next = shortcuts_ ? plain_block(pos) : pos; next != pos) {
        pos = next;
        continue;
      }
      if (const std::size_t next = shortcuts_ ? plain_ascii(pos) : pos; next != pos) {
        pos = next;
        continue;
      }
      const unit u = decode(in_, pos);
      if (u.invisible) {
        mark_changed(u.start);
        pos += u.len;
        continue;
      }
      if (!starts_word(u)) {
        emit(u);
        pos += u.len;
        continue;
      }
      if (pos >= plain_until_) {
        if (const std::size_t end = try_spaced_run(pos); end != 0) {
          pos = end;
          continue;
        }
      }
      pos = word(pos);
    }
    return changed_;
  }

 private:
  // An ASCII byte that never starts or continues a word (not a letter, digit or sigil).
  static bool is_plain_ascii_gap(unsigned char b) noexcept {
    return b < 0x80 && !detail::is_alnum(b) && b != '@' && b != '$';
  }

  // The common case, copied without decoding or measuring: ASCII bytes outside words, and words of
  // ASCII letters and digits that end at such a byte (or at the end) and cannot change:
  // - one-character words only where they cannot start a letter-spaced run;
  // - a word with digits only when it cannot read as leetspeak: it has no leetspeak digit, a digit that
  //   never stands for a letter (2 6 8 9: hex ids, versions, timestamps), fewer than two letters
  //   ("23T10", "113Z"), or more than twice as many leetspeak digits as letters ("30000ms"; a word
  //   with more digits than letters but under that bound goes to the general path, which reads it as
  //   leetspeak only when digits and letters alternate, see is_leet_word). Logs and code are made of
  //   such words, and each one used to be decoded and measured by the general path.
  // Nothing in them can change (no leetspeak, no spaced run, no mark or look-alike), and a word leaves
  // the state as the general path would: a Latin neighbour, or none after a number. Copies the longest
  // such stretch at `pos` in one append and returns the position after it, or `pos` when the general
  // path must look.
  std::size_t plain_ascii(std::size_t pos) noexcept {
    const auto at = [this](std::size_t k) { return static_cast<unsigned char>(in_[k]); };
    std::size_t end = pos;
    bool word = false;
    bool letters_in_last_word = false;
    while (end < in_.size()) {
      const unsigned char b = at(end);
      if (is_plain_ascii_gap(b)) {
        ++end;
        continue;
      }
      if (!detail::is_alnum(b)) {
        break;
      }
      std::size_t w = end;
      std::size_t letters = 0;
      std::size_t leet_digits = 0;
      bool other_digit = false;
      for (; w < in_.size() && detail::is_alnum(at(w)); ++w) {
        const unsigned char c = at(w);
        if (detail::is_alpha(c)) {
          ++letters;
        } else if (is_leet_char(c)) {
          ++leet_digits;
        } else {
          other_digit = true;
        }
      }
      if (w < in_.size() && !is_plain_ascii_gap(at(w))) {
        break;
      }
      if (w - end == 1 ? !lone_letter(w)
                       : !(leet_digits == 0 || other_digit || letters < 2 || 2 * letters < leet_digits)) {
        break;
      }
      end = w;
      word = true;
      letters_in_last_word = letters > 0;
    }
    if (end == pos) {
      return pos;
    }
    if (writing()) {
      append_plain(pos, end);
    }
    last_ascii_letter_ = detail::is_alpha(at(end - 1));
    if (word) {
      prev_word_ = letters_in_last_word ? neighbour::latin : neighbour::none;
    }
    return end;
  }

  // A whole block of ASCII text that the SIMD profile finds nothing to change in (no leetspeak digit
  // before or after a letter, no two single letters in a row: the only ways ASCII text changes) is passed
  // over in one step, up to its last gap byte so that no word is cut. The profile starts one byte before
  // `pos` and reads past the block, so a pattern across either edge is seen. Returns the position after
  // the block, or `pos` when the word-by-word path must look.
  std::size_t plain_block(std::size_t pos) noexcept {
    constexpr std::size_t block = 256;
    if (in_.size() - pos < 2 * block) {
      return pos;
    }
    const std::size_t from = pos == 0 ? 0 : pos - 1;
    const std::size_t length = std::min(in_.size() - from, block + 16);
    if (known_suspicious_ != no_run && from + 1 <= known_suspicious_ && known_suspicious_ + 3 < from + length) {
      return pos;  // a position already found to stop the shortcut lies inside this block too
    }
    const detail::ascii_profile profile = detail::active_ascii_kernels().profile(in_.data() + from, length);
    if (!profile.ascii || profile.suspicious) {
      remember_blocker(from, length, profile.ascii);
      return pos;
    }
    std::size_t end = pos + block;
    while (end > pos && !is_plain_ascii_gap(static_cast<unsigned char>(in_[end - 1]))) --end;
    if (end == pos) {
      return pos;
    }
    if (writing()) {
      append_plain(pos, end);
    }
    // The state the general path would leave: the last word's script (Latin, or none for a number).
    std::size_t w = end;
    while (w > pos && is_plain_ascii_gap(static_cast<unsigned char>(in_[w - 1]))) --w;
    bool letters = false;
    bool alnum = false;  // sigils alone ("@") are not a word
    while (w > pos && !is_plain_ascii_gap(static_cast<unsigned char>(in_[w - 1]))) {
      letters = letters || detail::is_alpha(static_cast<unsigned char>(in_[w - 1]));
      alnum = alnum || detail::is_alnum(static_cast<unsigned char>(in_[w - 1]));
      --w;
    }
    if (alnum) {
      prev_word_ = letters ? neighbour::latin : neighbour::none;
    }
    last_ascii_letter_ = false;  // the block ends with a gap byte
    return end;
  }

  // After a suspicious profile the general path takes the block word by word, and would profile the
  // block again at each word (in logs and code, a profile of 272 bytes every few bytes cost more than
  // the rest of the pass). So the last suspicious position with a byte before it and three after it
  // inside the block is kept: every later block that holds it the same way is suspicious too.
  // A block that is not all ASCII is kept the same way, by its last non-ASCII byte (CJK text, or curly
  // quotes in English, would otherwise be profiled again at every character).
  void remember_blocker(std::size_t from, std::size_t length, bool ascii) noexcept {
    for (std::size_t j = length >= 4 ? length - 4 : 0; j >= 1; --j) {
      if (ascii ? detail::suspicious_at(in_.data() + from, length, j)
                : static_cast<unsigned char>(in_[from + j]) >= 0x80) {
        known_suspicious_ = from + j;
        return;
      }
    }
  }

  // Whether a one-character word (a letter or a digit) ending at `after` stays as it is: it cannot
  // start a letter-spaced run of two or more tokens when the text ends there, when a gap other than a
  // run separator follows, when what follows its separator cannot be a token (code: "i = 0", "x - y"),
  // or when the word after its separator has two letters or more.
  bool lone_letter(std::size_t after) const noexcept {
    const auto at = [this](std::size_t k) { return static_cast<unsigned char>(in_[k]); };
    if (after == in_.size()) {
      return true;
    }
    if (!is_run_separator(at(after))) {
      return true;
    }
    if (after + 1 == in_.size()) {
      return true;
    }
    const unsigned char next = at(after + 1);
    if (next < 0x80 && !detail::is_alpha(next) && !is_leet_char(next)) {
      return true;
    }
    return after + 2 < in_.size() && detail::is_alpha(next) && detail::is_alpha(at(after + 2));
  }

  // The next visible character at or after `pos` (a unit with len 0 at the end of the input).
  unit visible(std::size_t pos) const noexcept {
    while (pos < in_.size()) {
      const unit u = decode(in_, pos);
      if (!u.invisible) {
        return u;
      }
      pos += u.len;
    }
    unit end;
    end.start = static_cast<std::uint32_t>(in_.size());
    return end;
  }

  static bool is_word_unit(const unit& u) noexcept {
    return u.len != 0 && (detail::script_of(u.cp) != script::none || is_sigil(u.cp));
  }

  bool starts_word(const unit& u) const noexcept {
    const script s = detail::script_of(u.cp);
    if (s == script::mark) {
      return false;  // a stray mark with no letter before it is kept as it is
    }
    if (s != script::none) {
      return true;
    }
    if (!is_sigil(u.cp)) {
      return false;
    }
    const unit next = visible(u.start + u.len);
    const script ns = detail::script_of(next.cp);
    return next.len != 0 && (is_letter_script(ns) || ns == script::digit);
  }

  // A single-character word that can be part of a letter-spaced run: one letter or leet character, not
  // followed by another word character. Sets `after` to the position after it.
  bool single_token(std::size_t pos, std::size_t& after) const noexcept {
    const unit u = visible(pos);
    if (u.len == 0) {
      return false;
    }
    const script s = detail::script_of(u.cp);
    if (!(s == script::latin || is_cyrillic_or_greek(s) || is_leet_char(u.cp))) {
      return false;
    }
    after = u.start + u.len;
    return !is_word_unit(visible(after));
  }

  struct run_shape {
    std::size_t tokens = 0;
    std::size_t letters = 0;
    std::size_t latin = 0;
    bool all_confusable = true;  // every Cyrillic/Greek letter has a Latin look-alike
    std::size_t end = 0;         // after the last token
  };

  // Measures the letter-spaced run starting at `pos`: tokens separated by one and the same separator.
  run_shape measure_run(std::size_t pos) const noexcept {
    run_shape r;
    std::uint32_t sep = 0;
    std::size_t after = 0;
    while (single_token(pos, after)) {
      const unit t = visible(pos);
      const script s = detail::script_of(t.cp);
      ++r.tokens;
      if (s == script::latin) {
        ++r.letters;
        ++r.latin;
      } else if (is_cyrillic_or_greek(s)) {
        ++r.letters;
        r.all_confusable = r.all_confusable && detail::confusable_latin(t.cp) != 0;
      }
      r.end = after;
      const unit gap = visible(after);
      if (!is_run_separator(gap.cp) || (sep != 0 && gap.cp != sep)) {
        break;
      }
      sep = gap.cp;
      pos = gap.start + gap.len;
    }
    return r;
  }

  // The start of the next run after a gap of separators, or 0 when there is none nearby.
  std::size_t after_gap(std::size_t pos) const noexcept {
    std::size_t gap = 0;
    while (gap < 8) {
      const unit u = visible(pos);
      if (u.len == 0 || !is_gap_char(u.cp)) {
        return gap == 0 ? 0 : u.start;
      }
      pos = u.start + u.len;
      ++gap;
    }
    return 0;
  }

  bool collapses(const run_shape& r) const noexcept { return r.tokens >= 4 && r.letters >= 2; }

  // Collapses the letter-spaced run at `pos` if there is one; returns the position after it, or 0.
  std::size_t try_spaced_run(std::size_t pos) noexcept {
    const run_shape r = measure_run(pos);
    if (r.tokens >= 4 && !collapses(r)) {
      plain_until_ = r.end;  // "1 0 1 1 0": measured once, not again from each of its tokens
    }
    if (r.tokens < 2 || r.letters == 0) {
      return 0;
    }
    bool collapse = collapses(r);
    if (!collapse) {
      // A short run ("a l l") belongs to a collapsed neighbour: the run before it, or the one after.
      collapse = joined_to_previous(pos);
      if (!collapse) {
        if (const std::size_t next = after_gap(r.end); next != 0) {
          collapse = collapses(measure_run(next));
        }
      }
    }
    if (!collapse) {
      return 0;
    }
    const bool fold = r.latin > 0 || r.all_confusable;
    const bool leet = r.letters >= 2;
    std::size_t p = pos;
    while (p < r.end) {
      const unit u = decode(in_, p);
      p += u.len;
      if (u.invisible || is_run_separator(u.cp)) {
        mark_changed(u.start);
        continue;
      }
      emit_token_char(u, fold, leet);
    }
    last_collapse_end_ = r.end;
    prev_word_ = neighbour::latin;
    return r.end;
  }

  bool joined_to_previous(std::size_t pos) const noexcept {
    if (last_collapse_end_ == no_run || last_collapse_end_ >= pos) {
      return false;
    }
    return after_gap(last_collapse_end_) == pos;
  }

  struct word_shape {
    std::size_t end = 0;
    std::size_t letters = 0;
    std::size_t latin = 0;
    std::size_t cyrillic_greek = 0;
    bool all_confusable = true;
    std::size_t leet = 0;          // 0 1 3 4 5 7 @ $
    std::size_t other_digits = 0;  // 2 6 8 9
    bool leet_before_letter = false;
    bool sigil_first = false;
    bool has_at = false;
    bool ordinal = false;          // 1st, 3rd, 4th...
    bool soft_final = false;       // ends in 0 or 3 after a letter ("th3", "t0"): leetspeak, unlike "md5"
    std::size_t alternations = 0;  // changes between a run of letters and a run of leet characters
  };

  word_shape measure_word(std::size_t pos) const noexcept {
    word_shape w;
    bool first = true;
    bool prev_leet = false;
    bool prev_letter = false;
    std::uint32_t last = 0;
    std::uint32_t before_last = 0;
    bool in_leading_digits = true;
    std::size_t leading_digits = 0;
    while (true) {
      const unit u = visible(pos);
      if (!is_word_unit(u)) {
        w.end = u.start;
        break;
      }
      const script s = detail::script_of(u.cp);
      if (s == script::latin || is_cyrillic_or_greek(s) || s == script::other) {
        ++w.letters;
        w.leet_before_letter = w.leet_before_letter || prev_leet;
        if (s == script::latin) {
          ++w.latin;
        } else if (is_cyrillic_or_greek(s)) {
          ++w.cyrillic_greek;
          w.all_confusable = w.all_confusable && detail::confusable_latin(u.cp) != 0;
        }
      } else if (s == script::digit || is_sigil(u.cp)) {
        if (is_leet_char(u.cp)) {
          ++w.leet;
        } else {
          ++w.other_digits;
        }
        w.has_at = w.has_at || u.cp == '@';
        w.sigil_first = w.sigil_first || (first && is_sigil(u.cp));
      }
      in_leading_digits = in_leading_digits && s == script::digit;
      leading_digits += in_leading_digits ? 1 : 0;
      w.soft_final = (u.cp == '0' || u.cp == '3') && prev_letter;
      const bool letter_now = s == script::latin || is_cyrillic_or_greek(s);
      if (!first && ((letter_now && prev_leet) || (is_leet_char(u.cp) && prev_letter))) {
        ++w.alternations;
      }
      prev_letter = s == script::latin || is_cyrillic_or_greek(s);
      prev_leet = is_leet_char(u.cp);
      first = false;
      before_last = last;
      last = u.cp | 0x20;
      pos = u.start + u.len;
    }
    const bool ordinal_suffix = (before_last == 's' && last == 't') || (before_last == 'n' && last == 'd') ||
                                (before_last == 'r' && last == 'd') || (before_last == 't' && last == 'h');
    w.ordinal = leading_digits > 0 && w.letters == 2 && w.leet + w.other_digits == leading_digits && ordinal_suffix;
    return w;
  }

  bool is_leet_word(const word_shape& w) const noexcept {
    // More leet characters than letters only when they alternate like a disguised word ("1n57ruc710n5",
    // "5y573m"), never a number followed by its unit ("1000ms", "3000px") or more than twice as many.
    const bool enough_letters = w.letters >= w.leet || (w.alternations >= 3 && 2 * w.letters >= w.leet);
    if (w.leet == 0 || w.other_digits != 0 || w.letters < 2 || !enough_letters || !(w.leet_before_letter || w.soft_final) ||
        w.ordinal || (w.leet == 1 && w.sigil_first)) {
      return false;
    }
    if (w.has_at) {
      // user@example.com: a word with @ followed by ".letter" is an address, not leetspeak.
      const unit dot = visible(w.end);
      if (dot.cp == '.') {
        const unit after = visible(dot.start + dot.len);
        if (is_word_unit(after)) {
          return false;
        }
      }
    }
    return true;
  }

  // The script of a neighbouring word, for deciding whether a look-alike word is disguised Latin.
  enum class neighbour : std::uint8_t { none, latin, other };

  static neighbour neighbour_of(const word_shape& w, bool folded) noexcept {
    if (w.latin > 0 || folded) {
      return neighbour::latin;
    }
    return w.letters > 0 ? neighbour::other : neighbour::none;
  }

  // The next word after spaces and punctuation (none when there is none nearby).
  neighbour next_word(std::size_t pos) const noexcept {
    for (int skipped = 0; skipped < 16; ++skipped) {
      const unit u = visible(pos);
      if (u.len == 0) {
        return neighbour::none;
      }
      if (is_word_unit(u)) {
        return neighbour_of(measure_word(u.start), false);
      }
      pos = u.start + u.len;
    }
    return neighbour::none;
  }

  std::size_t word(std::size_t pos) noexcept {
    const word_shape w = measure_word(pos);
    bool fold = w.cyrillic_greek > 0 && w.latin > 0;  // mixed script: "іgnоre"
    if (!fold && w.cyrillic_greek > 0 && w.latin == 0 && w.all_confusable &&
        w.cyrillic_greek == w.letters) {
      // A word wholly of look-alikes ("ехес") among Latin words. Real Russian or Greek text has
      // neighbours of its own script, and a Russian word next to an address or a brand name ("на
      // example.com") has one on the other side, so both neighbours must be Latin or absent.
      const neighbour next = next_word(w.end);
      fold = prev_word_ != neighbour::other && next != neighbour::other &&
             (prev_word_ == neighbour::latin || next == neighbour::latin);
    }
    const bool leet = is_leet_word(w);
    std::size_t p = pos;
    while (p < w.end) {
      const unit u = decode(in_, p);
      p += u.len;
      if (u.invisible) {
        mark_changed(u.start);
        continue;
      }
      emit_token_char(u, fold, leet);
    }
    prev_word_ = neighbour_of(w, fold);
    return w.end;
  }

  void emit_token_char(const unit& u, bool fold, bool leet) noexcept {
    const script s = detail::script_of(u.cp);
    if (fold && is_cyrillic_or_greek(s)) {
      if (const char a = detail::confusable_latin(u.cp); a != 0) {
        emit_ascii(a, u.start);
        return;
      }
    }
    if (leet) {
      if (const char a = leet_letter(u.cp); a != 0) {
        emit_ascii(a, u.start);
        return;
      }
    }
    if (s == script::mark && last_ascii_letter_) {
      mark_changed(u.start);  // "i̸g̸n̸o̸r̸e̸": marks stacked on ASCII letters are decoration
      return;
    }
    emit(u);
  }

  void emit_ascii(char c, std::uint32_t origin) noexcept {
    mark_changed(origin);
    push(c, origin);
  }

  // Until the first change the output would equal the input byte for byte, so it is not written (the
  // scanner then uses the input itself); at the first change, at input offset `at`, everything before
  // it is copied at once. The reference path used by tests writes eagerly.
  void mark_changed(std::uint32_t at) noexcept {
    if (changed_) {
      return;
    }
    changed_ = true;
    if (shortcuts_) {
      append_plain(0, at);
    }
  }

  void append_plain(std::size_t from, std::size_t to) noexcept {
    out_.text.append(in_.data() + from, to - from);
    const std::size_t at = out_.origin.size();
    out_.origin.resize(at + (to - from));
    for (std::size_t k = 0; k < to - from; ++k) {
      out_.origin[at + k] = static_cast<std::uint32_t>(from + k);
    }
  }

  bool writing() const noexcept { return changed_ || !shortcuts_; }

  void emit(const unit& u) noexcept {
    if (u.folded) {
      emit_ascii(static_cast<char>(u.cp), u.start);
      return;
    }
    for (std::uint32_t k = 0; k < u.len; ++k) {
      push(in_[u.start + k], u.start + k);
    }
  }

  void push(char c, std::uint32_t origin) noexcept {
    if (writing()) {
      out_.text.push_back(c);
      out_.origin.push_back(origin);
    }
    const auto b = static_cast<unsigned char>(c);
    last_ascii_letter_ = static_cast<unsigned char>((b | 0x20) - 'a') < 26;
  }

  static constexpr std::size_t no_run = static_cast<std::size_t>(-1);

  std::string_view in_;
  normalized_text& out_;
  bool shortcuts_ = true;
  bool changed_ = false;
  neighbour prev_word_ = neighbour::none;
  bool last_ascii_letter_ = false;
  std::size_t last_collapse_end_ = no_run;
  std::size_t plain_until_ = 0;  // tokens before this offset belong to a run already found not to collapse
  std::size_t known_suspicious_ = no_run;  // see remember_blocker
};

void mark_unchanged(normalized_text& out) noexcept {
  out.text.clear();
  out.origin.clear();
  out.changed = false;
}

errc normalize_with(std::string_view input, normalized_text& out, bool shortcuts) noexcept {
  const detail::ascii_profile profile = detail::active_ascii_kernels().profile(input.data(), input.size());
  if (profile.ascii && !profile.suspicious) {
    mark_unchanged(out);
    return errc::ok;
  }
  if (!profile.ascii && !is_valid_utf8(input)) {
    mark_unchanged(out);
    return errc::invalid_utf8;
  }
  if (input.size() >= 0xffffffffu) {
    mark_unchanged(out);
    return errc::input_too_large;
  }
  out.text.clear();
  out.origin.clear();
  // Output is never longer than the input (every fold maps a character to one no longer than itself),
  // so one reservation covers the pass; buffers keep their capacity across calls.
  out.text.reserve(input.size());
  out.origin.reserve(input.size() + 1);
  pass p(input, out, shortcuts);
  if (!p.run()) {
    mark_unchanged(out);
    return errc::ok;
  }
  out.origin.push_back(static_cast<std::uint32_t>(input.size()));
  out.changed = true;
  return errc::ok;
}

}  // namespace

errc normalizer::normalize(std::string_view input, normalized_text& out) const noexcept {
  return normalize_with(input, out, true);
}

namespace detail {

errc normalize_without_shortcuts(std::string_view input, normalized_text& out) noexcept {
  return normalize_with(input, out, false);
}

}  // namespace detail

}  // namespace sluice::engine
