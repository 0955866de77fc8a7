#pragma once
// TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as ordinary
// authenticator apps implement it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xh::auth {

// A new random secret, base32 (160 bits, as RFC 4226 recommends).
std::string new_totp_secret();

// The code for time step `step` (= unix seconds / 30).
std::string totp_code(std::string_view secret_base32, std::int64_t step);

// The step a code matches within ±1 step of `unix_seconds` (clock drift), or
// nullopt.
std::optional<std::int64_t> totp_match(std::string_view secret_base32, std::string_view code,
                                       std::int64_t unix_seconds);

// The otpauth:// URI that authenticator apps read from a QR code.
std::string totp_uri(std::string_view secret_base32, std::string_view username);

}  // namespace xh::auth
