#pragma once
// Text helpers shared by every module.
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

namespace xh {

// The number of Unicode code points in UTF-8 `s`: a limit of 50 means 50
// Chinese characters, not 50 bytes.
inline std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The longest prefix of `s` of at most `max_bytes` that ends on a character
// boundary (for fields cut to a length, such as an audit entry's actor).
inline std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

// True when `s` is well-formed UTF-8 without control characters other than
// tab, CR and LF — no NUL, C0 or C1 control, DEL, nor the noncharacters
// U+FFFE and U+FFFF: what may be stored as text and written into JSON, XML,
// XLSX and a terminal. The one rule for every text the server stores.
inline bool clean_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) return false;
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) ||
        (c == 0xF4 && c1 >= 0x90))
      return false;  // overlong forms, surrogates, beyond U+10FFFF
    if (c == 0xC2 && c1 < 0xA0) return false;  // C1 controls, U+0080–U+009F
    if (c == 0xEF && c1 == 0xBF && static_cast<unsigned char>(s[i + 2]) >= 0xBE)
      return false;  // U+FFFE, U+FFFF
    i += len;
  }
  return true;
}

// A number as people write it: plain decimals, never an exponent
// (36.700651, not 3.6700651E1; 89.5, not 8.95E1), the fewest digits that
// read back as the same value.
inline std::string plain_decimal(double v) {
  char buf[400];  // the longest fixed form of a double fits
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(buf, end) : std::string("0");
}

}  // namespace xh
