#include "core/crypto.h"

#include <functional>

#include <fcntl.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace xh {

void crypto_init() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

namespace {
std::string b64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}
std::string unb64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    throw std::invalid_argument("bad base64");
  out.resize(len);
  return out;
}
}  // namespace

std::string random_token(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return b64(raw);
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

std::string from_hex(std::string_view hex) {
  if (hex.size() % 2) throw std::invalid_argument("odd hex length");
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex digit");
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2)
    out.push_back(static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1])));
  return out;
}

static const char* kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string base32_encode(std::string_view bytes) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32[(buffer << (5 - bits)) & 31]);
  return out;
}

std::string base32_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == '=' || ch == ' ') continue;
    char c = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 32) : ch;
    const char* p = std::strchr(kBase32, c);
    if (!p || !c) throw std::invalid_argument("bad base32");
    buffer = (buffer << 5) | static_cast<unsigned>(p - kBase32);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

std::string hmac_sha1(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

bool equal_ct(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

FieldCipher::FieldCipher(std::string key) : key_(std::move(key)) {
  if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    throw std::invalid_argument("field key must be 32 bytes");
}

namespace {

// The hex key in `path` (`bytes` long), made by `make` and written with mode
// 0600 (and fsynced) when the file does not exist yet.
std::string load_or_create_key(const std::string& path, std::size_t bytes,
                               const std::function<std::string()>& make, bool may_create = true) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0 && errno == ENOENT && !may_create)
    throw std::runtime_error("key file " + path + " is missing");
  if (fd < 0 && errno == ENOENT) {
    std::string key = make();
    int out = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (out < 0) throw std::runtime_error("cannot create key file " + path);
    std::string hex = to_hex(key) + "\n";
    if (::write(out, hex.data(), hex.size()) != static_cast<ssize_t>(hex.size()) ||
        ::fsync(out) != 0) {
      ::close(out);
      throw std::runtime_error("cannot write key file " + path);
    }
    ::close(out);
    return key;
  }
  if (fd < 0) throw std::runtime_error("cannot read key file " + path + ": " + std::strerror(errno));
  char buf[256];
  ssize_t n = ::read(fd, buf, sizeof buf);
  int read_error = errno;
  ::close(fd);
  if (n < 0)
    throw std::runtime_error("cannot read key file " + path + ": " + std::strerror(read_error));
  if (n < static_cast<ssize_t>(2 * bytes))
    throw std::runtime_error("key file " + path + " is too short (" + std::to_string(2 * bytes) +
                             " hex digits expected)");
  try {
    return from_hex(std::string_view(buf, 2 * bytes));
  } catch (const std::invalid_argument&) {
    throw std::runtime_error("key file " + path + " holds something other than hex digits");
  }
}

}  // namespace

FieldCipher FieldCipher::from_key_file(const std::string& path, bool may_create) {
  return FieldCipher(load_or_create_key(
      path, crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
      [] {
        std::string key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES, '\0');
        crypto_aead_xchacha20poly1305_ietf_keygen(reinterpret_cast<unsigned char*>(key.data()));
        return key;
      },
      may_create));
}

std::string FieldCipher::check_value() const { return blind_index("field-key-check", "xinghuo"); }

std::string FieldCipher::encrypt(std::string_view plain) const {
  std::string out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plain.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &clen,
      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), nullptr, 0, nullptr,
      nonce, reinterpret_cast<const unsigned char*>(key_.data()));
  return "v1:" + b64(out);
}

std::string FieldCipher::blind_index(std::string_view purpose, std::string_view value) const {
  unsigned char out[32];
  std::string input = std::string(purpose) + '\0' + std::string(value);
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
  return to_hex(std::string_view(reinterpret_cast<char*>(out), sizeof out));
}

std::string FieldCipher::decrypt(std::string_view sealed) const {
  if (sealed.substr(0, 3) != "v1:") throw std::invalid_argument("unknown field cipher version");
  std::string raw = unb64(sealed.substr(3));
  const size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (raw.size() < nb + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    throw std::invalid_argument("sealed field too short");
  std::string plain(raw.size() - nb - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long plen = 0;
  auto* p = reinterpret_cast<const unsigned char*>(raw.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()),
                                                 &plen, nullptr, p + nb, raw.size() - nb, nullptr,
                                                 0, p,
                                                 reinterpret_cast<const unsigned char*>(key_.data())) != 0)
    throw std::invalid_argument("sealed field failed authentication");
  plain.resize(plen);
  return plain;
}

SigningKey SigningKey::from_key_file(const std::string& path) {
  return SigningKey(load_or_create_key(path, crypto_sign_SECRETKEYBYTES, [] {
    std::string pk(crypto_sign_PUBLICKEYBYTES, '\0'), sk(crypto_sign_SECRETKEYBYTES, '\0');
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                        reinterpret_cast<unsigned char*>(sk.data()));
    return sk;
  }));
}

std::string SigningKey::public_key_hex() const {
  return to_hex(std::string_view(secret_).substr(crypto_sign_SECRETKEYBYTES - crypto_sign_PUBLICKEYBYTES));
}

std::string SigningKey::sign_hex(std::string_view message) const {
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       reinterpret_cast<const unsigned char*>(secret_.data()));
  return to_hex(sig);
}

bool SigningKey::verify_hex(std::string_view public_key_hex, std::string_view message,
                            std::string_view signature_hex) {
  try {
    std::string pk = from_hex(public_key_hex), sig = from_hex(signature_hex);
    if (pk.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES) return false;
    return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                       reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(),
                                       reinterpret_cast<const unsigned char*>(pk.data())) == 0;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace xh
