#pragma once
// WebSocket connections as the rest of the server sees them: plain
// interfaces, so that Beast stays inside server.cpp. The server upgrades a
// request on its WebSocket path when the UpgradeHandler accepts it, then
// hands the connection's messages to the Channel it returned and lets the
// channel write through its Peer.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"

namespace xh::http {

// Close codes (RFC 6455 §7.4 and the application range).
inline constexpr std::uint16_t kCloseNormal = 1000;
inline constexpr std::uint16_t kCloseGoingAway = 1001;   // the server is shutting down
inline constexpr std::uint16_t kClosePolicy = 1008;      // a rule broken (too slow, too big)
inline constexpr std::uint16_t kCloseUnauthorized = 4401;  // the session ended or expired

// The server's side of one open WebSocket. Thread-safe; calls after the
// connection ended do nothing.
class Peer {
 public:
  virtual ~Peer() = default;
  // Queues a text message. A peer whose queue already holds more than the
  // server's queue limit is a consumer too slow to keep: it is closed
  // (1008) rather than let grow, and false is returned.
  virtual bool send(std::string text) = 0;
  // The same, for a message sent to many peers: held once, not copied.
  virtual bool send_shared(std::shared_ptr<const std::string> text) = 0;
  // Sends the close frame after what is queued, then ends the connection.
  virtual void close(std::uint16_t code, std::string reason) = 0;
};

// Serves one accepted WebSocket. Its calls come one at a time, on a worker
// thread (they may block): opened() first, then received() for each text
// message and heartbeat() every ping interval, then closed() once.
class Channel {
 public:
  virtual ~Channel() = default;
  virtual void opened(std::shared_ptr<Peer> peer) = 0;
  virtual void received(const std::string& text) = 0;
  // Every ping interval: check that the connection may still see what it
  // subscribed to (the session alive, the roles held), and close it if not.
  virtual void heartbeat() = 0;
  virtual void closed() = 0;
};

// The answer to a WebSocket upgrade request: a refusal as a plain HTTP
// answer, or the channel that serves the connection.
struct Upgrade {
  std::optional<Response> refusal;
  std::shared_ptr<Channel> channel;
};
// Called on a worker thread (it may block: it authenticates).
using UpgradeHandler = std::function<Upgrade(const Request&)>;

}  // namespace xh::http
