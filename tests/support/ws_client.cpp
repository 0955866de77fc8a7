#include "support/ws_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <random>
#include <stdexcept>

namespace xh::test {

namespace {
void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("ws send failed");
    sent += static_cast<std::size_t>(n);
  }
}
}  // namespace

WsClient::WsClient(int port, const std::string& target,
                   std::vector<std::pair<std::string, std::string>> headers, int receive_buffer) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    throw std::runtime_error("connect failed");
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                    "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "\r\n";
  send_all(fd_, req);
  // The response head, then (a refusal) its body.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string head;
  while (head.find("\r\n\r\n") == std::string::npos) {
    char c;
    if (!read_exact(&c, 1, deadline)) throw std::runtime_error("no handshake answer");
    head += c;
  }
  status_ = std::stoi(head.substr(9, 3));
  if (status_ != 101) {
    std::size_t length = 0;
    std::string lower = head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto at = lower.find("content-length:");
    if (at != std::string::npos) length = std::stoul(lower.substr(at + 15));
    body_.resize(length);
    if (length) read_exact(body_.data(), length, deadline);
  }
}

WsClient::~WsClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool WsClient::read_exact(char* out, std::size_t n, std::chrono::steady_clock::time_point deadline) {
  std::size_t got = 0;
  while (got < n) {
    if (!pending_.empty()) {
      std::size_t take = std::min(n - got, pending_.size());
      std::memcpy(out + got, pending_.data(), take);
      pending_.erase(0, take);
      got += take;
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[65536];
    auto r = ::recv(fd_, buf, sizeof buf, 0);
    if (r <= 0) return false;
    pending_.append(buf, static_cast<std::size_t>(r));
  }
  return true;
}

void WsClient::write_frame(int opcode, const std::string& payload) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  std::size_t n = payload.size();
  if (n < 126) {
    f += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>((n >> 8) & 0xff);
    f += static_cast<char>(n & 0xff);
  } else {
    f += static_cast<char>(0x80 | 127);
    for (int i = 7; i >= 0; --i) f += static_cast<char>((n >> (8 * i)) & 0xff);
  }
  static std::mt19937 rng(42);
  unsigned char mask[4];
  for (auto& m : mask) m = static_cast<unsigned char>(rng());
  f.append(reinterpret_cast<char*>(mask), 4);
  for (std::size_t i = 0; i < n; ++i) f += static_cast<char>(payload[i] ^ mask[i % 4]);
  send_all(fd_, f);
}

void WsClient::send_text(const std::string& text) { write_frame(1, text); }

void WsClient::send_raw_text(std::size_t size) { write_frame(1, std::string(size, 'x')); }

std::optional<std::string> WsClient::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string message;
  for (;;) {
    unsigned char h[2];
    if (!read_exact(reinterpret_cast<char*>(h), 2, deadline)) return std::nullopt;
    bool fin = h[0] & 0x80;
    int opcode = h[0] & 0x0f;
    std::uint64_t n = h[1] & 0x7f;
    if (n == 126) {
      unsigned char e[2];
      if (!read_exact(reinterpret_cast<char*>(e), 2, deadline)) return std::nullopt;
      n = (std::uint64_t{e[0]} << 8) | e[1];
    } else if (n == 127) {
      unsigned char e[8];
      if (!read_exact(reinterpret_cast<char*>(e), 8, deadline)) return std::nullopt;
      n = 0;
      for (auto b : e) n = (n << 8) | b;
    }
    std::string payload(n, '\0');
    if (n && !read_exact(payload.data(), n, deadline)) return std::nullopt;
    if (opcode == 9) {  // ping
      write_frame(10, payload);
      continue;
    }
    if (opcode == 10) continue;  // pong
    if (opcode == 8) {
      close_code_ = payload.size() >= 2 ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]) : 1005;
      try {
        write_frame(8, payload.substr(0, 2));
      } catch (...) {
      }
      return std::nullopt;
    }
    message += payload;
    if (fin) return message;
  }
}

std::optional<std::string> WsClient::until(const std::string& needle, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto m = next(left);
    if (!m) return std::nullopt;
    if (m->find(needle) != std::string::npos) return m;
  }
}

std::vector<std::pair<std::string, std::string>> live_headers(int port, const std::string& session_cookie,
                                                               const std::string& origin) {
  std::vector<std::pair<std::string, std::string>> h;
  if (!session_cookie.empty()) h.emplace_back("Cookie", "xh_session=" + session_cookie);
  h.emplace_back("Origin", origin.empty() ? "http://127.0.0.1:" + std::to_string(port) : origin);
  return h;
}

}  // namespace xh::test
