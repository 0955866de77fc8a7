#pragma once
// Text helpers shared by every module.
#include <cstddef>
#include <string_view>

namespace xh {

// The number of Unicode code points in UTF-8 `s`: a limit of 50 means 50
// Chinese characters, not 50 bytes.
inline std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace xh
