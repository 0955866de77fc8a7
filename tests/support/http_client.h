#pragma once
// A minimal HTTP/1.1 client over POSIX sockets for the API tests: one request
// per connection, a cookie jar, and the CSRF token of the last login.
#include <map>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace xh::test {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& lower_name) const;
  boost::json::value json() const;  // throws when the body is not JSON
  std::string error_code() const;   // error.code of an error body, or ""
};

// Sends raw bytes and reads whatever comes back until the peer closes or
// `timeout_ms` passes (for malformed-request tests).
std::string raw_exchange(int port, const std::string& bytes, int timeout_ms = 5000);

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  HttpResponse request(const std::string& method, const std::string& target,
                       const std::string& body = "",
                       std::vector<std::pair<std::string, std::string>> headers = {});
  HttpResponse get(const std::string& target) { return request("GET", target); }
  // JSON body, with the CSRF token when one is known.
  HttpResponse post(const std::string& target, const std::string& json_body);
  HttpResponse patch(const std::string& target, const std::string& json_body);
  HttpResponse put(const std::string& target, const std::string& json_body);
  HttpResponse del(const std::string& target);

  // Logs in; stores the session cookie and CSRF token. Returns the response.
  HttpResponse login(const std::string& username, const std::string& password,
                     const std::string& totp = "");

  std::string csrf;
  std::string bearer;  // when set, sent as Authorization: Bearer
  std::map<std::string, std::string> cookies;
  std::string accept_language;

 private:
  int port_;
};

}  // namespace xh::test
