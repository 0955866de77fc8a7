#include "auth/totp.h"

#include <sodium.h>

#include <cstdio>

#include "core/crypto.h"

namespace xh::auth {

std::string new_totp_secret() {
  std::string raw(20, '\0');
  randombytes_buf(raw.data(), raw.size());
  return base32_encode(raw);
}

std::string totp_code(std::string_view secret_base32, std::int64_t step) {
  std::string key = base32_decode(secret_base32);
  std::string counter(8, '\0');
  for (int i = 7; i >= 0; --i) {
    counter[i] = static_cast<char>(step & 0xff);
    step >>= 8;
  }
  std::string mac = hmac_sha1(key, counter);
  int offset = mac[19] & 0x0f;
  std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                      (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
                      (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
                      static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06u", bin % 1000000u);
  return buf;
}

std::optional<std::int64_t> totp_match(std::string_view secret_base32, std::string_view code,
                                       std::int64_t unix_seconds) {
  if (code.size() != 6) return std::nullopt;
  std::int64_t now = unix_seconds / 30;
  for (std::int64_t step = now - 1; step <= now + 1; ++step)
    if (equal_ct(totp_code(secret_base32, step), code)) return step;
  return std::nullopt;
}

std::string totp_uri(std::string_view secret_base32, std::string_view username) {
  // Issuer "Xinghuo" in ASCII keeps the URI readable by every app.
  return "otpauth://totp/Xinghuo:" + std::string(username) + "?secret=" +
         std::string(secret_base32) + "&issuer=Xinghuo&algorithm=SHA1&digits=6&period=30";
}

}  // namespace xh::auth
