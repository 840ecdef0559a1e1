#pragma once
// Ways attackers disguise an instruction, applied to a text: the trainer adds some as twins of its
// texts (ROT13, reversed, base64) and `sluice model eval --disguises` measures how much recall each one
// costs on held-out attacks (letter-spacing, look-alike letters, zero-width characters, leetspeak, base64).
// Offline tools only (they allocate freely).
#include <string>
#include <string_view>
#include <vector>

namespace sluice::engine {

// ROT13 of the ASCII letters.
[[nodiscard]] std::string rot13(std::string_view text);
// The text's code points in reverse order (UTF-8 sequences kept whole).
[[nodiscard]] std::string reversed(std::string_view text);
// Standard base64 with padding.
[[nodiscard]] std::string base64(std::string_view text);
// Every ASCII letter of a word followed by a space ("ignore" -> "i g n o r e"); words stay apart by
// three spaces so the split between words survives.
[[nodiscard]] std::string letter_spaced(std::string_view text);
// Latin letters that have a Cyrillic look-alike (a c e i o p x y, and their capitals A B C E H K M O P T X)
// written as that look-alike.
[[nodiscard]] std::string homoglyphs(std::string_view text);
// A zero-width space (U+200B) after every ASCII letter that another letter follows.
[[nodiscard]] std::string zero_width_spaced(std::string_view text);
// Common leetspeak inside words: a->4, e->3, i->1, o->0, s->5, t->7 (either case).
[[nodiscard]] std::string leetspeak(std::string_view text);

// The evaluation disguises by name, in report order: "spacing", "homoglyph", "zero_width", "leetspeak",
// "base64".
[[nodiscard]] const std::vector<std::string>& evaluation_disguises();
// The text disguised as `kind` names (one of evaluation_disguises()); the text unchanged for another name.
[[nodiscard]] std::string disguise(std::string_view text, std::string_view kind);

}  // namespace sluice::engine
