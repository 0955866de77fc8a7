// The measuring client of bench/live_fanout.py: many WebSocket connections
// to /api/live on one epoll loop, each subscribed to one topic, timing when
// each event reaches each connection. Written in C++ so that the client's
// own share of the machine's cores is small next to the server's (the same
// figures taken by a Python client were mostly the client's).
//
//   xh_live_client PORTS COOKIE TOPIC CLIENTS STEPS
//     PORTS    comma-separated; connection i goes to PORTS[i % n]
//     COOKIE   "xh_session=…" of the user the connections sign in as
// Prints "ready <subscribed>" once every connection is subscribed (or after
// two minutes), then "got <k> <count> <first> <p50> <p99> <max>" when the
// k-th event (0-based) has reached every connection (or after 30 s): times
// are CLOCK_REALTIME in nanoseconds, for the driver to subtract its own.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// A masked client text frame (the mask is zero: allowed, and the server
// unmasks either way).
std::string frame(const std::string& payload, int opcode = 1) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  if (payload.size() < 126) {
    f += static_cast<char>(0x80 | payload.size());
  } else {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>((payload.size() >> 8) & 0xff);
    f += static_cast<char>(payload.size() & 0xff);
  }
  f.append(4, '\0');
  return f + payload;
}

struct Conn {
  int fd = -1;
  int port = 0;
  bool sent = false, upgraded = false, subscribed = false;
  std::string buf;
  std::vector<std::int64_t> events;  // arrival of each event, in order
};

void send_all(int fd, const std::string& s) {
  std::size_t at = 0;
  while (at < s.size()) {
    auto n = ::send(fd, s.data() + at, s.size() - at, MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      return;
    }
    at += static_cast<std::size_t>(n);
  }
}

// Reads what the server sent: the handshake's answer, then frames.
void on_readable(Conn& c, const std::string& subscribe) {
  char chunk[65536];
  for (;;) {
    auto n = ::recv(c.fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    c.buf.append(chunk, static_cast<std::size_t>(n));
    if (n < static_cast<ssize_t>(sizeof chunk)) break;
  }
  std::int64_t now = now_ns();
  if (!c.upgraded) {
    auto end = c.buf.find("\r\n\r\n");
    if (end == std::string::npos) return;
    if (c.buf.compare(0, 12, "HTTP/1.1 101") != 0) {
      ::close(c.fd);
      c.fd = -1;
      return;
    }
    c.upgraded = true;
    c.buf.erase(0, end + 4);
    send_all(c.fd, subscribe);
  }
  std::size_t at = 0;
  while (c.buf.size() - at >= 2) {
    auto b = reinterpret_cast<const unsigned char*>(c.buf.data() + at);
    std::size_t len = b[1] & 0x7f, head = 2;
    if (len == 126) {
      if (c.buf.size() - at < 4) break;
      len = (static_cast<std::size_t>(b[2]) << 8) | b[3];
      head = 4;
    } else if (len == 127) {
      if (c.buf.size() - at < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | b[2 + i];
      head = 10;
    }
    if (c.buf.size() - at < head + len) break;
    int opcode = b[0] & 0x0f;
    std::string_view payload(c.buf.data() + at + head, len);
    if (opcode == 9) {
      send_all(c.fd, frame(std::string(payload), 10));  // pong
    } else if (opcode == 1) {
      if (payload.rfind("{\"op\":\"event\"", 0) == 0) c.events.push_back(now);
      else if (payload.rfind("{\"op\":\"subscribed\"", 0) == 0) c.subscribed = true;
    }
    at += head + len;
  }
  c.buf.erase(0, at);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s PORTS COOKIE TOPIC CLIENTS STEPS\n", argv[0]);
    return 2;
  }
  std::vector<int> ports;
  for (const char* p = argv[1]; *p;) {
    ports.push_back(std::atoi(p));
    const char* comma = std::strchr(p, ',');
    if (!comma) break;
    p = comma + 1;
  }
  std::string cookie = argv[2], topic = argv[3];
  int clients = std::atoi(argv[4]), steps = std::atoi(argv[5]);
  std::string subscribe = frame("{\"op\":\"subscribe\",\"topic\":\"" + topic + "\"}");

  int ep = epoll_create1(0);
  std::vector<Conn> conns(static_cast<std::size_t>(clients));
  for (int i = 0; i < clients; ++i) {
    Conn& c = conns[static_cast<std::size_t>(i)];
    c.port = ports[static_cast<std::size_t>(i) % ports.size()];
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(c.port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(c.fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &ev);
  }

  std::vector<epoll_event> ready(4096);
  auto serve = [&](int timeout_ms) {
    int n = epoll_wait(ep, ready.data(), static_cast<int>(ready.size()), timeout_ms);
    for (int k = 0; k < n; ++k) {
      Conn& c = conns[ready[static_cast<std::size_t>(k)].data.u32];
      if (c.fd < 0) continue;
      if ((ready[static_cast<std::size_t>(k)].events & EPOLLOUT) && !c.sent) {
        std::string req = "GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(c.port) +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                          "dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: "
                          "http://127.0.0.1:" + std::to_string(c.port) + "\r\nCookie: " + cookie + "\r\n\r\n";
        send_all(c.fd, req);
        c.sent = true;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u32 = ready[static_cast<std::size_t>(k)].data.u32;
        epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &ev);
        continue;
      }
      if (ready[static_cast<std::size_t>(k)].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) on_readable(c, subscribe);
    }
  };

  auto deadline = now_ns() + 120LL * 1000000000;
  int subscribed = 0;
  while (now_ns() < deadline) {
    serve(50);
    subscribed = static_cast<int>(std::count_if(conns.begin(), conns.end(), [](const Conn& c) { return c.subscribed; }));
    if (subscribed == clients) break;
  }
  std::printf("ready %d\n", subscribed);
  std::fflush(stdout);

  for (int k = 0; k < steps; ++k) {
    auto until = now_ns() + 30LL * 1000000000;
    auto done = [&] {
      for (const auto& c : conns)
        if (c.subscribed && c.fd >= 0 && static_cast<int>(c.events.size()) <= k) return false;
      return true;
    };
    while (!done() && now_ns() < until) serve(5);
    std::vector<std::int64_t> at;
    for (const auto& c : conns)
      if (static_cast<int>(c.events.size()) > k) at.push_back(c.events[static_cast<std::size_t>(k)]);
    std::sort(at.begin(), at.end());
    if (at.empty()) {
      std::printf("got %d 0 0 0 0 0\n", k);
    } else {
      auto pick = [&](double q) { return at[std::min(at.size() - 1, static_cast<std::size_t>(at.size() * q))]; };
      std::printf("got %d %zu %lld %lld %lld %lld\n", k, at.size(), static_cast<long long>(at.front()),
                  static_cast<long long>(pick(0.5)), static_cast<long long>(pick(0.99)),
                  static_cast<long long>(at.back()));
    }
    std::fflush(stdout);
  }
  for (auto& c : conns)
    if (c.fd >= 0) ::close(c.fd);
  return 0;
}
