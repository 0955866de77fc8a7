#pragma once
// The HTTP/1.1 server (Boost.Beast, C++20 coroutines). Network threads only
// parse, route and write; handlers that may block (database, password hashing)
// run on a separate worker pool. Limits: header size (431), body size (413),
// slow or stalled clients (408). SIGTERM/SIGINT stop accepting, let in-flight
// requests finish, then return from run().
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/websocket.h"

namespace xh::http {

struct AccessRecord {
  const Request& request;
  int status;
  std::size_t bytes;
  std::int64_t micros;
};

struct ServerOptions {
  std::string bind = "127.0.0.1";
  unsigned short port = 8080;
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  std::size_t upload_limit = 32 * 1024 * 1024;  // bodies of paths under upload_prefixes
  std::vector<std::string> upload_prefixes = {"/api/imports/", "/api/uploads/"};
  std::chrono::milliseconds request_timeout{15000};  // to receive one whole request
  std::chrono::milliseconds idle_timeout{60000};     // keep-alive wait for the next one
  std::chrono::milliseconds shutdown_grace{20000};
  std::function<void(const AccessRecord&)> access_log;  // called on a network thread
  // The answer to a request refused before it reached the router (413, 408,
  // 400) whose headers arrived, in the format of its path's routes (GeoReport
  // errors under /open311/v2/) and the language it asks for; nullopt: the
  // plain API error. Called on a network thread; must not block.
  std::function<std::optional<Response>(const Request& head, int status, std::string_view code)>
      early_error;
  // WebSocket: requests to upgrade on `websocket_path` go to `upgrade` (none:
  // they are ordinary requests). Messages larger than `ws_message_limit` are
  // refused with 1009, and peers whose unsent messages exceed
  // `ws_queue_limit` bytes closed with 1008; a ping is sent after
  // `ws_ping_interval` without traffic, and a
  // peer silent for two intervals is dropped.
  std::string websocket_path = "/api/live";
  UpgradeHandler upgrade;
  std::size_t ws_message_limit = 16 * 1024;
  std::size_t ws_queue_limit = 1024 * 1024;
  std::chrono::milliseconds ws_ping_interval{30000};
};

// Answers a request on the network thread when it can do so without blocking;
// nullopt passes it to the blocking handler on the worker pool.
using FastHandler = std::function<std::optional<Response>(const Request&)>;
using BlockingHandler = std::function<Response(const Request&)>;

class Server {
 public:
  Server(ServerOptions options, FastHandler fast, BlockingHandler blocking);
  ~Server();
  // Binds (throws when the address is taken), serves until SIGTERM/SIGINT or
  // stop(), drains, and returns. `on_listening` runs once the socket is bound.
  void run(const std::function<void(unsigned short port)>& on_listening = {});
  void stop();  // thread-safe

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xh::http
