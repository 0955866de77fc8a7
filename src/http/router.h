#pragma once
// Routes: method + path pattern ("/api/places/{id}") → handler. Matching is by
// whole path segments; {name} captures one segment. Thread-safe for lookups
// once built.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace xh::http {

struct PathParams {
  std::vector<std::pair<std::string, std::string>> values;
  // The captured segment; throws std::out_of_range for an unknown name.
  const std::string& get(std::string_view name) const;
};

// What a route needs from the pipeline before its handler runs.
enum class Access { public_route, authenticated };
// What its request body is: JSON (checked by content type), or a file.
enum class Body { json, file };
// Writes a refusal in a format of the route's own (GeoReport v2's list of
// errors for Open311 clients); `message` is already in the caller's language.
using ErrorWriter = Response (*)(const Request& req, int status, const std::string& message);
// Whether the list it answers can also be exported (?format=csv|xlsx).
enum class Export { no, yes };

// How a route is served, besides its handler.
struct RouteOptions {
  Body body = Body::json;
  ErrorWriter errors = nullptr;  // nullptr: the API's error body
  Export exports = Export::no;
};

template <class Handler>
class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    Access access;
    Handler handler;
    RouteOptions options;
    std::vector<std::string> segments;
  };
  struct Match {
    const Route* route = nullptr;
    PathParams params;
    bool path_known = false;  // some route has this path under another method
    ErrorWriter errors = nullptr;  // of the routes under this path
    std::vector<std::string> methods;  // every method the path answers (HEAD with GET)
  };

  // Refusals of paths under `prefix` that no route answers (404, 405, 501,
  // and those of the HTTP layer) are written by `w`.
  void errors_under(std::string prefix, ErrorWriter w) { prefixes_.emplace_back(std::move(prefix), w); }
  ErrorWriter errors_for(std::string_view path) const {
    for (const auto& [prefix, w] : prefixes_)
      if (path.substr(0, prefix.size()) == prefix) return w;
    return nullptr;
  }

  void add(std::string method, std::string pattern, Access access, Handler handler,
           RouteOptions options = {}) {
    Route r{std::move(method), pattern, access, std::move(handler), options, split(pattern)};
    routes_.push_back(std::move(r));
  }

  Match find(std::string_view method, std::string_view path) const {
    Match m;
    auto segs = split(path);
    for (const auto& r : routes_) {
      PathParams params;
      if (!match(r.segments, segs, params)) continue;
      m.path_known = true;
      m.errors = r.options.errors;
      m.methods.push_back(r.method);
      if (r.method == "GET") m.methods.push_back("HEAD");
      if (!m.route && (r.method == method || (method == "HEAD" && r.method == "GET"))) {
        m.route = &r;
        m.params = std::move(params);
      }
    }
    return m;
  }

  const std::vector<Route>& routes() const { return routes_; }

  static std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '/') { ++i; continue; }
      std::size_t j = path.find('/', i);
      if (j == std::string_view::npos) j = path.size();
      out.emplace_back(path.substr(i, j - i));
      i = j;
    }
    return out;
  }

 private:
  static bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& segs,
                    PathParams& params) {
    if (pattern.size() != segs.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const auto& p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}')
        params.values.emplace_back(p.substr(1, p.size() - 2), segs[i]);
      else if (p != segs[i])
        return false;
    }
    return true;
  }
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, ErrorWriter>> prefixes_;
};

}  // namespace xh::http
