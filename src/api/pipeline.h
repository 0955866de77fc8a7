#pragma once
// The API pipeline: routing, authentication (session cookie or bearer token,
// through the Authenticator), CSRF, content-type checks, error translation in
// the route's format, the record of every denial and export (through the
// Recorder), and the security headers. Thread-safe: one Pipeline serves all
// worker threads once built.
#include <functional>
#include <memory>
#include <optional>

#include "api/call.h"
#include "api/module.h"
#include "http/message.h"

namespace xh::api {

class Pipeline {
 public:
  using Fast = std::function<std::optional<http::Response>(const http::Request&)>;

  // `static_files` answers what needs no blocking work (the web app) on the
  // network thread; it may be empty. The authenticator and recorder must be
  // set (the auth and audit modules provide them).
  Pipeline(Router router, std::unique_ptr<Authenticator> authenticator,
           std::unique_ptr<Recorder> recorder, Fast static_files = {}, Exports exports = {});

  // Requests answered without blocking, on the network thread (/hello, files).
  std::optional<http::Response> fast(const http::Request& req) const;
  // Everything else, on a worker thread.
  http::Response handle(const http::Request& req) const;
  // A refusal of the HTTP layer (413, 408, 400) of a request of which only
  // the head is known (its path and Accept-Language), in the format its
  // routes answer errors in (see Router::errors_under) and its language;
  // nullopt for the plain API error. Thread-safe, non-blocking.
  std::optional<http::Response> early_error(const http::Request& head, int status,
                                            std::string_view code) const;

  const Router& router() const { return router_; }

  // The live module's door for WebSocket upgrades on /api/live.
  void set_live_door(LiveDoor door) { live_door_ = std::move(door); }
  // What the modules asked to run when the server stops (Setup::on_stop):
  // run by the destructor, in reverse order.
  void on_stop(std::vector<std::function<void()>> stops) {
    for (auto& f : stops) stops_.push_back(std::move(f));
  }
  ~Pipeline();
  // A WebSocket upgrade request, on a worker thread: refused unless it comes
  // from the server's own origin (a page elsewhere may not ride the user's
  // cookie: cross-site WebSocket hijacking) and authenticates like any API
  // call (session cookie or bearer token); then the live module's to open.
  http::Upgrade upgrade(const http::Request& req) const;

 private:
  http::Response dispatch(const http::Request& req, Lang lang) const;
  Router router_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<Recorder> recorder_;
  Fast static_files_;
  Exports exports_;
  LiveDoor live_door_;
  std::vector<std::function<void()>> stops_;
};

// Compresses a text answer of 4 KiB or more with gzip when the request
// accepts it (large lists, the OpenAPI document); leaves others as they are.
void compress(const http::Request& req, http::Response& r);

// The answer of /hello: what every endpoint is measured against.
http::Response hello();

// The headers every page and API answer carries (CSP without inline script,
// no framing, no sniffing, no referrer).
void add_security_headers(http::Response& r);

}  // namespace xh::api
