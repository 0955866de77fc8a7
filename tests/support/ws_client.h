#pragma once
// A minimal WebSocket client (RFC 6455) over POSIX sockets for the API tests:
// the upgrade handshake with the headers a test chooses (Origin, Cookie,
// Authorization), masked text frames out, text and close frames in, pings
// answered. Written by hand on purpose: the server's side is Beast, so the
// two do not share a parser's mistakes.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace xh::test {

class WsClient {
 public:
  // Connects to 127.0.0.1:`port` and asks to upgrade `target`; a
  // `receive_buffer` (bytes) makes a client that reads slowly fill up soon.
  WsClient(int port, const std::string& target,
           std::vector<std::pair<std::string, std::string>> headers, int receive_buffer = 0);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  int status() const { return status_; }       // the handshake's (101 when upgraded)
  const std::string& body() const { return body_; }  // a refusal's body
  bool open() const { return status_ == 101 && !close_code_; }

  void send_text(const std::string& text);
  // Sends a frame of `size` bytes at once (to test the server's limit).
  void send_raw_text(std::size_t size);
  // The next text message, answering pings on the way; nullopt when none
  // came within `timeout` or the server closed (then close_code() says why).
  std::optional<std::string> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Text messages until one holds `needle` (returned), or nullopt.
  std::optional<std::string> until(const std::string& needle,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(5));
  std::optional<int> close_code() const { return close_code_; }

 private:
  bool read_exact(char* out, std::size_t n, std::chrono::steady_clock::time_point deadline);
  void write_frame(int opcode, const std::string& payload);

  int fd_ = -1;
  int status_ = 0;
  std::string body_;
  std::string pending_;  // bytes read past the handshake
  std::optional<int> close_code_;
};

// Cookie and Origin headers for a logged-in client of the server at `port`.
std::vector<std::pair<std::string, std::string>> live_headers(
    int port, const std::string& session_cookie, const std::string& origin = "");

}  // namespace xh::test
