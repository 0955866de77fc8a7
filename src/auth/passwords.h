#pragma once
// Password hashing (argon2id through libsodium) and the password rules.
#include <string>
#include <string_view>

namespace xh::auth {

// An argon2id hash string in the PHC format, with libsodium's interactive cost.
std::string hash_password(std::string_view password);

// True when `password` matches `hash`. Takes tens of milliseconds by design:
// never call it on a network thread.
bool verify_password(std::string_view password, const std::string& hash);

// Throws 422 auth.weak_password unless `password` has 8 to 128 characters,
// at least three of (lower case, upper case, digit, symbol) and does not
// contain the username.
void check_password_rules(std::string_view password, std::string_view username);

}  // namespace xh::auth
