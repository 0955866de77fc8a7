#pragma once
// The request and response as the rest of Xinghuo sees them: plain values,
// independent of Beast, so domain modules never include the transport.
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xh::http {

struct Request {
  std::string method;  // "GET", "POST" …
  std::string path;    // decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string remote_ip;
  bool http10 = false;  // an HTTP/1.0 request

  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  std::optional<std::string> query_param(std::string_view name) const;
};

// True when an Accept-Encoding value accepts `coding` ("gzip", "br"): named
// with a non-zero q, or covered by "*" without being refused by name.
bool accepts_encoding(std::string_view accept_encoding, std::string_view coding);

// Decodes an application/x-www-form-urlencoded body ("a=1&b=x+y%21").
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body);

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response json(int status, const boost::json::value& v);
  static Response text(int status, std::string body, std::string content_type);
};

}  // namespace xh::http
