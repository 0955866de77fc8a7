#include "auth/passwords.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/error.h"

namespace xh::auth {

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id hashing failed (out of memory?)");
  return out;
}

bool verify_password(std::string_view password, const std::string& hash) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void check_password_rules(std::string_view password, std::string_view username) {
  std::size_t chars = 0;
  bool lower = false, upper = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if ((c & 0xC0) != 0x80) ++chars;
    if (std::islower(c)) lower = true;
    else if (std::isupper(c)) upper = true;
    else if (std::isdigit(c)) digit = true;
    else symbol = true;
  }
  int classes = lower + upper + digit + symbol;
  if (chars < 8 || chars > 128 || classes < 3) throw unprocessable("auth.weak_password");
  if (!username.empty()) {
    std::string p(password), u(username);
    auto low = [](std::string& s) {
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    };
    low(p);
    low(u);
    if (p.find(u) != std::string::npos) throw unprocessable("auth.weak_password");
  }
}

}  // namespace xh::auth
