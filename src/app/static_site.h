#pragma once
// The built web app (web/dist), loaded into memory at start and served from
// the network thread: the staff console at /, the mobile pages at /m/, with
// SPA fallback to each face's index.html. Hashed assets are cached for a
// year; HTML is revalidated every time. A file's precompressed copies
// (`x.br`, `x.gz`, made by the build) are sent to browsers that accept them,
// with `Vary: Accept-Encoding`. Thread-safe after construction.
#include <map>
#include <optional>
#include <string>

#include "http/message.h"

namespace xh::app {

class StaticSite {
 public:
  // Loads every file under `dir`; an absent directory gives an empty site.
  explicit StaticSite(const std::string& dir);

  bool empty() const { return files_.empty(); }
  std::size_t size() const { return files_.size(); }

  // The file for a GET/HEAD of a non-API path, or nullopt.
  std::optional<http::Response> serve(const http::Request& req) const;

 private:
  struct File {
    std::string body, content_type, etag;
    std::string br, gzip;  // precompressed copies, when the build made them
  };
  std::optional<http::Response> respond(const http::Request& req, const std::string& path) const;
  std::map<std::string, File> files_;  // "/index.html", "/assets/app-1a2b.js" …
};

}  // namespace xh::app
