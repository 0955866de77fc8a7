#pragma once
// The API pipeline: routing, authentication (session cookie or bearer token),
// CSRF, content-type checks, error translation, the audit of every denial and
// the security headers. Thread-safe: one Api serves all worker threads.
#include <optional>

#include "app/call.h"
#include "auth/accounts.h"
#include "http/message.h"

namespace xh::app {

class Api {
 public:
  // `site` (the built web app) may be empty; it must outlive the Api.
  // Uploaded files go under `data_dir`.
  Api(auth::Services& services, const class StaticSite* site = nullptr,
      const std::string& data_dir = "data");

  // Requests answered without blocking, on the network thread (/hello).
  std::optional<http::Response> fast(const http::Request& req) const;
  // Everything else, on a worker thread.
  http::Response handle(const http::Request& req) const;

  const ApiRouter& router() const { return router_; }

 private:
  http::Response dispatch(const http::Request& req, Lang lang) const;
  auth::Services& s_;
  const StaticSite* site_;
  ApiRouter router_;
};

// The body of an error answer: {"error":{"code","message","field"?}}.
http::Response error_response(int status, const std::string& code, const std::string& detail,
                              Lang lang);

}  // namespace xh::app
