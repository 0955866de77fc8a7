#pragma once
// Small wrappers over libsodium and OpenSSL: random tokens, hashes, and the
// authenticated encryption of personal fields at rest. All functions are
// thread-safe once `crypto_init()` has run.
#include <string>
#include <string_view>

namespace xh {

// Initialises libsodium; call once at start. Throws on failure.
void crypto_init();

// `bytes` random bytes, URL-safe base64 without padding.
std::string random_token(std::size_t bytes = 32);

// Lower-case hex of SHA-256(data).
std::string sha256_hex(std::string_view data);

std::string to_hex(std::string_view bytes);
std::string from_hex(std::string_view hex);  // throws std::invalid_argument

// Base32 (RFC 4648, no padding), as authenticator apps expect for TOTP secrets.
std::string base32_encode(std::string_view bytes);
std::string base32_decode(std::string_view text);  // throws std::invalid_argument

// HMAC-SHA1(key, data), raw bytes (TOTP needs SHA-1 by RFC 6238's default).
std::string hmac_sha1(std::string_view key, std::string_view data);

// Constant-time equality of two strings.
bool equal_ct(std::string_view a, std::string_view b);

// Encrypts personal fields with XChaCha20-Poly1305 under a 32-byte key. The
// output is "v1:" + base64(nonce || ciphertext); decrypting checks integrity.
class FieldCipher {
 public:
  // Loads the key from `path`; when it does not exist, creates it with mode
  // 0600 if `may_create`, else throws. Every error names the file.
  static FieldCipher from_key_file(const std::string& path, bool may_create = true);
  explicit FieldCipher(std::string key);

  // A value derived from the key alone, stored beside the data it seals, so
  // that a server can tell at start whether a key opens that data.
  std::string check_value() const;

  std::string encrypt(std::string_view plain) const;
  std::string decrypt(std::string_view sealed) const;  // throws on tampering
  // A keyed hash (BLAKE2b) of `value` in the domain `purpose`, hex: lets the
  // database find a person by national ID without holding it in the clear.
  std::string blind_index(std::string_view purpose, std::string_view value) const;

 private:
  std::string key_;
};

// An Ed25519 signing key (libsodium), for digests others must be able to
// check with the public key alone.
class SigningKey {
 public:
  // Loads the secret key from `path`, creating it with mode 0600 if it does not exist.
  static SigningKey from_key_file(const std::string& path);

  std::string public_key_hex() const;
  std::string sign_hex(std::string_view message) const;  // detached signature, hex
  // True when `signature_hex` is a valid signature of `message` by `public_key_hex`.
  static bool verify_hex(std::string_view public_key_hex, std::string_view message,
                         std::string_view signature_hex);

 private:
  explicit SigningKey(std::string secret) : secret_(std::move(secret)) {}
  std::string secret_;  // 64 bytes: seed and public key
};

}  // namespace xh
