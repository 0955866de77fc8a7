#include "app/static_site.h"

#include "api/pipeline.h"
#include "core/crypto.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace xh::app {

namespace fs = std::filesystem;

namespace {

std::string content_type_of(const fs::path& p) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  };
  auto it = types.find(p.extension().string());
  return it == types.end() ? "application/octet-stream" : it->second;
}

}  // namespace

StaticSite::StaticSite(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  std::map<std::string, std::string> compressed;  // "/assets/a.js.br" → bytes
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string rel = "/" + fs::relative(entry.path(), dir).generic_string();
    std::string body = ss.str();
    auto ext = entry.path().extension().string();
    if (ext == ".br" || ext == ".gz") {
      compressed[rel] = std::move(body);
      continue;
    }
    files_[rel] = {body, content_type_of(entry.path()), "\"" + sha256_hex(body).substr(0, 32) + "\"", "", ""};
  }
  for (auto& [rel, bytes] : compressed) {
    auto original = files_.find(rel.substr(0, rel.size() - 3));
    if (original == files_.end()) continue;  // a file of its own, never served
    (rel.ends_with(".br") ? original->second.br : original->second.gzip) = std::move(bytes);
  }
}

std::optional<http::Response> StaticSite::respond(const http::Request& req,
                                                  const std::string& path) const {
  auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  const File& f = it->second;
  bool hashed = path.rfind("/assets/", 0) == 0 || path.rfind("/m/assets/", 0) == 0;
  // The smallest copy the browser accepts; each has its own ETag.
  std::string accept(req.header("accept-encoding").value_or(""));
  const std::string* body = &f.body;
  std::string encoding, etag = f.etag;
  if (!f.br.empty() && http::accepts_encoding(accept, "br")) {
    body = &f.br;
    encoding = "br";
  } else if (!f.gzip.empty() && http::accepts_encoding(accept, "gzip")) {
    body = &f.gzip;
    encoding = "gzip";
  }
  if (!encoding.empty()) etag.insert(etag.size() - 1, "-" + encoding);
  http::Response r;
  // A revalidation that finds the same file answers 304 without it.
  if (req.header("if-none-match").value_or("") == etag) {
    r.status = 304;
  } else {
    r = http::Response::text(200, *body, f.content_type);
    if (!encoding.empty()) r.headers.emplace_back("Content-Encoding", encoding);
  }
  if (!f.br.empty() || !f.gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  api::add_security_headers(r);
  return r;
}

std::optional<http::Response> StaticSite::serve(const http::Request& req) const {
  if (files_.empty() || (req.method != "GET" && req.method != "HEAD")) return std::nullopt;
  const std::string& p = req.path;
  if (p.rfind("/api/", 0) == 0 || p.rfind("/open311/", 0) == 0 || p == "/healthz" || p == "/hello")
    return std::nullopt;
  if (p.find("..") != std::string::npos) return std::nullopt;
  if (auto r = respond(req, p)) return r;
  // A missing file (an asset, /robots.txt, /favicon.ico, /x.json) is a 404, not
  // the app; only a page's path (no file extension) is a page of the app.
  auto last = p.substr(p.rfind('/') + 1);
  if (last.find('.') != std::string::npos || p.rfind("/assets/", 0) == 0 ||
      p.rfind("/m/assets/", 0) == 0)
    return std::nullopt;
  if (p == "/m" || p.rfind("/m/", 0) == 0) return respond(req, "/m/index.html");
  return respond(req, "/index.html");
}

}  // namespace xh::app
