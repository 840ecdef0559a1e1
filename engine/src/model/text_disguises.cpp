// Text disguises for training twins and robustness measurements (text_disguises.h).
#include "sluice/engine/text_disguises.h"

#include <cstdint>

namespace sluice::engine {
namespace {

bool ascii_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

std::string rot13(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>('A' + (c - 'A' + 13) % 26);
    }
  }
  return out;
}

std::string reversed(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t end = text.size();
  while (end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0u) == 0x80u) {
      --start;
    }
    out.append(text.substr(start, end - start));
    end = start;
  }
  return out;
}

std::string base64(std::string_view in) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size()) {
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    }
    if (i + 2 < in.size()) {
      v |= static_cast<unsigned char>(in[i + 2]);
    }
    out += alphabet[v >> 18 & 63u];
    out += alphabet[v >> 12 & 63u];
    out += i + 1 < in.size() ? alphabet[v >> 6 & 63u] : '=';
    out += i + 2 < in.size() ? alphabet[v & 63u] : '=';
  }
  return out;
}

std::string letter_spaced(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ') {
      out += "   ";
      continue;
    }
    out += c;
    if (ascii_letter(c) && i + 1 < text.size() && text[i + 1] != ' ') {
      out += ' ';
    }
  }
  return out;
}

std::string homoglyphs(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (const char c : text) {
    const char* look_alike = nullptr;
    switch (c) {
      case 'a': look_alike = "\u0430"; break;
      case 'c': look_alike = "\u0441"; break;
      case 'e': look_alike = "\u0435"; break;
      case 'i': look_alike = "\u0456"; break;
      case 'o': look_alike = "\u043E"; break;
      case 'p': look_alike = "\u0440"; break;
      case 'x': look_alike = "\u0445"; break;
      case 'y': look_alike = "\u0443"; break;
      case 'A': look_alike = "\u0410"; break;
      case 'B': look_alike = "\u0412"; break;
      case 'C': look_alike = "\u0421"; break;
      case 'E': look_alike = "\u0415"; break;
      case 'H': look_alike = "\u041D"; break;
      case 'K': look_alike = "\u041A"; break;
      case 'M': look_alike = "\u041C"; break;
      case 'O': look_alike = "\u041E"; break;
      case 'P': look_alike = "\u0420"; break;
      case 'T': look_alike = "\u0422"; break;
      case 'X': look_alike = "\u0425"; break;
      default: break;
    }
    if (look_alike != nullptr) {
      out += look_alike;
    } else {
      out += c;
    }
  }
  return out;
}

std::string zero_width_spaced(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (ascii_letter(text[i]) && i + 1 < text.size() && ascii_letter(text[i + 1])) {
      out += "\u200B";
    }
  }
  return out;
}

std::string leetspeak(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    switch (c) {
      case 'a': case 'A': c = '4'; break;
      case 'e': case 'E': c = '3'; break;
      case 'i': case 'I': c = '1'; break;
      case 'o': case 'O': c = '0'; break;
      case 's': case 'S': c = '5'; break;
      case 't': case 'T': c = '7'; break;
      default: break;
    }
  }
  return out;
}

const std::vector<std::string>& evaluation_disguises() {
  static const std::vector<std::string> names{"spacing", "homoglyph", "zero_width", "leetspeak", "base64"};
  return names;
}

std::string disguise(std::string_view text, std::string_view kind) {
  if (kind == "spacing") {
    return letter_spaced(text);
  }
  if (kind == "homoglyph") {
    return homoglyphs(text);
  }
  if (kind == "zero_width") {
    return zero_width_spaced(text);
  }
  if (kind == "leetspeak") {
    return leetspeak(text);
  }
  if (kind == "base64") {
    return base64(text);
  }
  return std::string(text);
}

}  // namespace sluice::engine
