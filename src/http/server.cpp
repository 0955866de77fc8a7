// The only translation unit that compiles Beast.
#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>

#include <atomic>
#include <ctime>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>

namespace xh::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

using Strand = asio::strand<asio::io_context::executor_type>;

// One live connection, so shutdown can wake those idling between requests.
struct Conn {
  Strand strand;
  tcp::socket* socket = nullptr;
  bool busy = false;  // a request has begun arriving, or is being handled
  std::function<void()> interrupt;  // a WebSocket's: says goodbye (on the strand)
};

using WsStream = websocket::stream<tcp::socket>;

// A WebSocket's outgoing side: messages queued from any thread, written one
// at a time on the connection's strand. The stream is shared with the
// session, so a write in flight never outlives it.
class WsPeer : public Peer, public std::enable_shared_from_this<WsPeer> {
 public:
  WsPeer(Strand strand, std::shared_ptr<WsStream> ws, std::size_t limit)
      : strand_(std::move(strand)), ws_(std::move(ws)), limit_(limit) {}

  bool send(std::string text) override {
    return send_shared(std::make_shared<const std::string>(std::move(text)));
  }

  bool send_shared(std::shared_ptr<const std::string> text) override {
    if (ended_) return false;
    std::size_t size = text->size();
    if (queued_.fetch_add(size) + size > limit_) {
      queued_ -= size;
      close(kClosePolicy, "too slow");
      return false;
    }
    asio::post(strand_, [self = shared_from_this(), t = std::move(text)]() mutable {
      self->push({std::move(t), false, 0});
    });
    return true;
  }

  void close(std::uint16_t code, std::string reason) override {
    if (ended_ || closing_.exchange(true)) return;
    asio::post(strand_, [self = shared_from_this(), code, r = std::make_shared<const std::string>(std::move(reason))]() mutable {
      self->push({std::move(r), true, code});
    });
  }

  // On the strand, when the connection is over: nothing more is written.
  void end() {
    ended_ = true;
    queue_.clear();
  }
  bool ended() const { return ended_; }

 private:
  struct Item {
    std::shared_ptr<const std::string> text;
    bool close;
    std::uint16_t code;
  };

  void push(Item item) {
    if (ended_) return;
    queue_.push_back(std::move(item));
    if (writing_) return;
    writing_ = true;
    write_next();
  }

  // Writes the queue's first message, then the next (callbacks on the
  // strand: cheaper than a coroutine per message when one event goes to
  // thousands of peers).
  void write_next() {
    if (ended_ || queue_.empty()) {
      writing_ = false;
      return;
    }
    Item& item = queue_.front();
    if (item.close) {
      websocket::close_reason why(static_cast<websocket::close_code>(item.code), *item.text);
      queue_.clear();
      ws_->async_close(why, asio::bind_executor(strand_, [self = shared_from_this()](beast::error_code) {
                         self->writing_ = false;
                       }));
      return;
    }
    ws_->text(true);
    ws_->async_write(asio::buffer(*item.text),
                     asio::bind_executor(strand_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       // (end() may have emptied the queue meanwhile.)
                       if (!self->queue_.empty()) {
                         self->queued_ -= self->queue_.front().text->size();
                         self->queue_.pop_front();
                       }
                       if (ec) {
                         self->writing_ = false;
                         return;
                       }
                       self->write_next();
                     }));
  }

  Strand strand_;
  std::shared_ptr<WsStream> ws_;
  std::size_t limit_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<bool> ended_{false}, closing_{false};
  std::deque<Item> queue_;  // on the strand
  bool writing_ = false;    // on the strand
};

// What is wrong with a request's framing, before its body is read (RFC 9112):
// a Transfer-Encoding other than exactly "chunked" (a body a proxy might frame
// differently, run as a second request), one together with a Content-Length,
// an HTTP/1.1 request without exactly one valid Host. Empty when all is well.
std::string framing_problem(const bhttp::request<bhttp::string_body>& in) {
  int hosts = 0;
  bool bad_host = false;
  for (const auto& f : in) {
    if (f.name() != bhttp::field::host) continue;
    ++hosts;
    // reg-name / IP literal with an optional port: no spaces, no userinfo, no path.
    for (char c : f.value())
      if (c == ' ' || c == '@' || c == '/' || c == '\\' || c == '?' || c == '#' ||
          static_cast<unsigned char>(c) < 0x21)
        bad_host = true;
  }
  if (in.version() >= 11 && (hosts != 1 || bad_host)) return "host";
  if (in.version() < 11 && (hosts > 1 || bad_host)) return "host";
  int encodings = 0;
  for (const auto& f : in) {
    if (f.name() != bhttp::field::transfer_encoding) continue;
    ++encodings;
    std::string v(f.value());
    for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (v != "chunked") return "transfer-encoding";
  }
  if (encodings > 1) return "transfer-encoding";
  if (encodings == 1 && in.find(bhttp::field::content_length) != in.end()) return "content-length";
  return "";
}

// The request as the rest of the server sees it; nullopt when its target is
// not a valid origin-form or absolute-form target (a bad percent escape).
// The body is moved out of `in`: an upload is held once, not twice.
std::optional<Request> to_request(bhttp::request<bhttp::string_body>& in, const std::string& ip) {
  Request r;
  r.method = std::string(in.method_string());
  r.remote_ip = ip;
  std::string_view target = in.target();
  if (target.starts_with("http://") || target.starts_with("https://")) {
    // Absolute-form (RFC 9112 §3.2.2): the path and query are what count.
    auto absolute = boost::urls::parse_absolute_uri(target);
    if (!absolute) return std::nullopt;
    r.path = absolute->path();
    if (r.path.empty()) r.path = "/";
    for (auto p : absolute->params()) r.query.emplace_back(p.key, p.value);
  } else {
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return std::nullopt;
    r.path = parsed->path();
    for (auto p : parsed->params()) r.query.emplace_back(p.key, p.value);
  }
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  r.body = std::move(in.body());
  r.http10 = in.version() < 11;
  return r;
}

// The IMF-fixdate of now ("Tue, 01 Dec 2026 20:36:29 GMT"), for the Date
// header every answer carries (RFC 9110 §6.6.1).
std::string http_date() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

Response plain_error(int status, const char* code, const char* zh) {
  Response r;
  r.status = status;
  r.body = std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + zh + "\"}}";
  return r;
}

}  // namespace

struct Server::Impl {
  ServerOptions opt;
  FastHandler fast;
  BlockingHandler blocking;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor{ioc};
  std::atomic<bool> draining{false};
  std::thread drain_thread;  // joined by run() before it returns
  std::mutex conns_mu;
  std::unordered_set<std::shared_ptr<Conn>> conns;  // erased in O(1): thousands of live connections

  Impl(ServerOptions o, FastHandler f, BlockingHandler b)
      : opt(std::move(o)), fast(std::move(f)), blocking(std::move(b)),
        workers(static_cast<std::size_t>(std::max(1, opt.worker_threads))) {}

  // Runs `f()` on the worker pool and awaits its result.
  template <class F>
  awaitable<std::invoke_result_t<F>> on_workers(F f) {
    co_return co_await asio::co_spawn(
        workers.get_executor(),
        [f = std::move(f)]() mutable -> awaitable<std::invoke_result_t<F>> { co_return f(); },
        use_awaitable);
  }

  enum class ChannelCall { opened, received, heartbeat, closed };
  // One call of a connection's channel on the workers; the calls of one
  // connection never overlap, and what one throws ends the connection.
  awaitable<void> call_channel(Channel* ch, std::mutex* calls, WsPeer* peer, ChannelCall what,
                               const std::string* text) {
    bool failed = co_await on_workers([ch, calls, peer, what, text] {
      std::lock_guard lock(*calls);
      try {
        switch (what) {
          case ChannelCall::opened: ch->opened(peer->shared_from_this()); break;
          case ChannelCall::received: ch->received(*text); break;
          case ChannelCall::heartbeat: ch->heartbeat(); break;
          case ChannelCall::closed: ch->closed(); break;
        }
        return false;
      } catch (...) {
        return true;
      }
    });
    if (failed) peer->close(kClosePolicy, "internal error");
  }

  // An accepted WebSocket: its messages to the channel, one call at a time on
  // the workers; pings after a quiet interval; the channel's heartbeat.
  awaitable<void> ws_session(tcp::socket socket, bhttp::request<bhttp::string_body> head,
                             std::shared_ptr<Channel> ch, std::shared_ptr<Conn> conn) {
    auto ws = std::make_shared<WsStream>(std::move(socket));
    ws->set_option(websocket::stream_base::timeout{std::chrono::seconds(15),
                                                   opt.ws_ping_interval * 2, true});
    ws->set_option(websocket::stream_base::decorator(
        [](websocket::response_type& r) { r.set(bhttp::field::server, "xinghuo"); }));
    ws->read_message_max(opt.ws_message_limit);
    auto [accepted] = co_await ws->async_accept(head, asio::as_tuple(use_awaitable));
    auto peer = std::make_shared<WsPeer>(conn->strand, ws, opt.ws_queue_limit);
    auto calls = std::make_shared<std::mutex>();
    // (Only trivially destructible values are passed in co_await
    // expressions: GCC 12 may destroy other temporaries there twice.)
    if (!accepted) {
      conn->interrupt = [peer] { peer->close(kCloseGoingAway, "server shutting down"); };
      conn->busy = false;
      if (draining.load()) peer->close(kCloseGoingAway, "server shutting down");
      co_await call_channel(ch.get(), calls.get(), peer.get(), ChannelCall::opened, nullptr);
      // The heartbeat, while the connection lasts.
      asio::co_spawn(
          conn->strand,
          [this, peer, ch, calls]() -> awaitable<void> {
            asio::steady_timer timer(co_await asio::this_coro::executor);
            while (!peer->ended()) {
              timer.expires_after(opt.ws_ping_interval);
              co_await timer.async_wait(asio::as_tuple(use_awaitable));
              if (peer->ended()) break;
              co_await call_channel(ch.get(), calls.get(), peer.get(), ChannelCall::heartbeat, nullptr);
            }
          },
          asio::detached);
      for (;;) {
        beast::flat_buffer buffer;
        auto [ec, n] = co_await ws->async_read(buffer, asio::as_tuple(use_awaitable));
        if (ec) break;
        if (!ws->got_text()) {
          peer->close(1003, "text only");
          continue;
        }
        std::string text = beast::buffers_to_string(buffer.data());
        co_await call_channel(ch.get(), calls.get(), peer.get(), ChannelCall::received, &text);
      }
      peer->end();
      co_await call_channel(ch.get(), calls.get(), peer.get(), ChannelCall::closed, nullptr);
    }
    beast::error_code ignored;
    beast::get_lowest_layer(*ws).shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(*ws).close(ignored);
    std::lock_guard lock(conns_mu);
    conns.erase(conn);
  }

  // `req` outlives the call: the session awaits it.
  awaitable<Response> offload(const Request& req) {
    co_return co_await asio::co_spawn(
        workers.get_executor(),
        [this, &req]() -> awaitable<Response> { co_return blocking(req); }, use_awaitable);
  }

  awaitable<void> write(tcp::socket& socket, const Request* req, Response res, bool keep_alive,
                        clock_type::time_point started) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
    out.set(bhttp::field::server, "xinghuo");
    out.set(bhttp::field::date, http_date());
    out.set(bhttp::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) out.insert(k, v);
    std::size_t bytes = res.body.size();
    bool head = req && req->method == "HEAD";
    if (!head) out.body() = std::move(res.body);
    out.prepare_payload();
    if (head) out.content_length(bytes);
    out.keep_alive(keep_alive);
    // An HTTP/1.0 client keeps the connection only when told so.
    if (keep_alive && req && req->http10) out.set(bhttp::field::connection, "keep-alive");
    co_await bhttp::async_write(socket, out, asio::as_tuple(use_awaitable));
    if (req && opt.access_log) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - started);
      opt.access_log(AccessRecord{*req, res.status, bytes, us.count()});
    }
  }

  awaitable<void> session(tcp::socket socket, std::shared_ptr<Conn> conn) {
    conn->socket = &socket;
    beast::flat_buffer buffer;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    std::string ip;
    {
      beast::error_code ec;
      auto ep = socket.remote_endpoint(ec);
      if (!ec) ip = ep.address().to_string();
    }
    bool first = true;
    bool timed_out = false;
    // Each arming has its own generation, so a timer that fired just as its
    // operation finished cannot cancel the next one.
    std::uint64_t generation = 0;
    auto arm = [&](std::chrono::milliseconds after) {
      timer.expires_after(after);
      std::uint64_t mine = ++generation;
      timer.async_wait([&, mine](beast::error_code e) {
        if (!e && mine == generation) {
          timed_out = true;
          beast::error_code ignored;
          socket.cancel(ignored);
        }
      });
    };
    auto disarm = [&] {
      ++generation;
      timer.cancel();
    };
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
      // The largest body any path accepts; narrowed once the target is known.
      parser.body_limit(std::max(opt.body_limit, opt.upload_limit));
      timed_out = false;
      // Keep-alive waits use the idle timeout until the first byte arrives;
      // a request, once begun, must arrive whole within the request timeout.
      arm(first ? opt.request_timeout : opt.idle_timeout);
      beast::error_code ec;
      if (buffer.size() == 0) {
        // Wait for the first byte of the next request (under the idle
        // timeout between requests): until then the connection is idle, and
        // a shutdown closes it.
        auto [e] = co_await socket.async_wait(tcp::socket::wait_read, asio::as_tuple(use_awaitable));
        ec = e;
        if (!ec && !timed_out && !first) arm(opt.request_timeout);
      }
      if (!ec && !timed_out) {
        // A request has begun: a shutdown lets it arrive whole (a slow photo
        // upload) and be answered, within the grace period.
        conn->busy = true;
        auto [e, n] = co_await bhttp::async_read_header(socket, buffer, parser,
                                                         asio::as_tuple(use_awaitable));
        ec = e;
        if (!ec) {
          if (auto problem = framing_problem(parser.get()); !problem.empty()) {
            // Answered and closed: what follows cannot be trusted to be a request.
            disarm();
            co_await write(socket, nullptr, plain_error(400, "request.malformed", "请求格式错误"),
                           false, clock_type::now());
            break;
          }
        }
        if (!ec && !parser.is_done()) {
          // Uploads (roster files) may be larger than ordinary JSON bodies.
          bool upload = false;
          for (const auto& prefix : opt.upload_prefixes)
            upload = upload || parser.get().target().starts_with(prefix);
          std::size_t limit = upload ? opt.upload_limit : opt.body_limit;
          auto length = parser.content_length();
          if (length && *length > limit) {
            ec = bhttp::error::body_limit;
          } else {
            parser.body_limit(limit);
            auto [e2, n2] = co_await bhttp::async_read(socket, buffer, parser, asio::as_tuple(use_awaitable));
            ec = e2;
          }
        }
      }
      disarm();
      first = false;
      auto started = clock_type::now();
      // A refusal before routing, in the format of the target's routes when
      // the target is known.
      auto refuse = [&](int status, const char* code, const char* zh) {
        if (opt.early_error && parser.is_header_done()) {
          const auto& in = parser.get();
          Request head;
          std::string_view target = in.target();
          head.path = std::string(target.substr(0, target.find('?')));
          head.headers.emplace_back("accept-language", std::string(in[bhttp::field::accept_language]));
          if (auto r = opt.early_error(head, status, code)) return std::move(*r);
        }
        return plain_error(status, code, zh);
      };
      if (ec) {
        if (timed_out && (parser.got_some() || buffer.size() > 0))
          co_await write(socket, nullptr, refuse(408, "request.timeout", "请求超时"), false, started);
        else if (ec == bhttp::error::header_limit)
          co_await write(socket, nullptr, plain_error(431, "request.headers_too_large", "请求头过大"),
                         false, started);
        else if (ec == bhttp::error::body_limit)
          co_await write(socket, nullptr, refuse(413, "request.too_large", "请求内容过大"), false,
                         started);
        else if (ec != bhttp::error::end_of_stream && ec != asio::error::eof &&
                 ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                 !timed_out)
          co_await write(socket, nullptr, refuse(400, "request.malformed", "请求格式错误"), false,
                         started);
        break;
      }
      auto parsed = to_request(parser.get(), ip);
      if (!parsed) {
        co_await write(socket, nullptr, plain_error(400, "request.bad_target", "请求地址格式错误"),
                       false, started);
        break;
      }
      conn->busy = true;
      Request req = std::move(*parsed);
      if (opt.upgrade && req.path == opt.websocket_path && websocket::is_upgrade(parser.get())) {
        // The upgrade is decided like any request that needs the database.
        Upgrade up = co_await on_workers([this, &req] { return opt.upgrade(req); });
        if (up.refusal || !up.channel) {
          // Made before the co_await: GCC 12 destroys a conditional's temporary
          // inside a co_await expression twice.
          Response refusal = plain_error(404, "request.not_found", "未找到");
          if (up.refusal) refusal = std::move(*up.refusal);
          co_await write(socket, &req, std::move(refusal), false, started);
          break;
        }
        if (opt.access_log) opt.access_log(AccessRecord{req, 101, 0, 0});
        conn->socket = nullptr;
        co_await ws_session(std::move(socket), parser.release(), std::move(up.channel), conn);
        co_return;
      }
      bool keep_alive = parser.get().keep_alive();
      std::optional<Response> res = fast(req);
      if (!res) res = co_await offload(req);
      keep_alive = keep_alive && !draining.load();
      arm(opt.request_timeout);  // a client that stops reading does not hold us for ever
      co_await write(socket, &req, std::move(*res), keep_alive, started);
      disarm();
      conn->busy = false;
      if (!keep_alive || timed_out || draining.load()) break;
    }
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
    conn->socket = nullptr;
    std::lock_guard lock(conns_mu);
    conns.erase(conn);
  }

  awaitable<void> accept_loop() {
    for (;;) {
      auto strand = asio::make_strand(ioc);
      tcp::socket socket(strand);
      auto [ec] = co_await acceptor.async_accept(socket, asio::as_tuple(use_awaitable));
      if (ec) {
        if (!acceptor.is_open()) co_return;
        continue;  // e.g. too many open files: keep serving the others
      }
      socket.set_option(tcp::no_delay(true));
      auto conn = std::make_shared<Conn>(Conn{strand, nullptr, false, {}});
      {
        std::lock_guard lock(conns_mu);
        conns.insert(conn);
      }
      asio::co_spawn(strand, session(std::move(socket), conn), asio::detached);
    }
  }

  void begin_drain() {
    if (draining.exchange(true)) return;
    asio::post(ioc, [this] {
      beast::error_code ignored;
      acceptor.close(ignored);
      std::lock_guard lock(conns_mu);
      for (auto& c : conns)
        asio::post(c->strand, [c] {
          if (c->interrupt) c->interrupt();
          if (!c->busy && c->socket) {
            beast::error_code e;
            c->socket->cancel(e);
          }
        });
    });
    // Stop the loop once every connection is gone or the grace period ends.
    drain_thread = std::thread([this] {
      auto deadline = clock_type::now() + opt.shutdown_grace;
      while (clock_type::now() < deadline) {
        {
          std::lock_guard lock(conns_mu);
          if (conns.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      ioc.stop();
    });
  }
};

Server::Server(ServerOptions options, FastHandler fast, BlockingHandler blocking)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(fast), std::move(blocking))) {}

Server::~Server() = default;

void Server::stop() { impl_->begin_drain(); }

void Server::run(const std::function<void(unsigned short)>& on_listening) {
  auto& im = *impl_;
  tcp::endpoint ep(asio::ip::make_address(im.opt.bind), im.opt.port);
  im.acceptor.open(ep.protocol());
  im.acceptor.set_option(asio::socket_base::reuse_address(true));
  im.acceptor.bind(ep);
  im.acceptor.listen(asio::socket_base::max_listen_connections);
  if (on_listening) on_listening(im.acceptor.local_endpoint().port());

  asio::signal_set signals(im.ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code ec, int) {
    if (!ec) im.begin_drain();
  });
  asio::co_spawn(im.ioc, im.accept_loop(), asio::detached);

  std::vector<std::thread> threads;
  for (int i = 1; i < im.opt.io_threads; ++i) threads.emplace_back([&] { im.ioc.run(); });
  im.ioc.run();
  for (auto& t : threads) t.join();
  // Requests still queued after the grace period are dropped (their
  // connections are gone, nothing was acknowledged); those running finish.
  im.workers.stop();
  im.workers.join();
  if (im.drain_thread.joinable()) im.drain_thread.join();
}

}  // namespace xh::http
