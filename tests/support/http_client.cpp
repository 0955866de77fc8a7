#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>

namespace xh::test {

namespace json = boost::json;

std::string HttpResponse::header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return "";
}

json::value HttpResponse::json() const { return json::parse(body); }

std::string HttpResponse::error_code() const {
  json::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  auto* e = v.as_object().if_contains("error");
  if (!e || !e->is_object()) return "";
  auto* c = e->as_object().if_contains("code");
  return c && c->is_string() ? std::string(c->as_string()) : "";
}

namespace {

int connect_to(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed on port " + std::to_string(port));
  }
  return fd;
}

void send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may close early (e.g. 413): read what it said
    sent += static_cast<std::size_t>(n);
  }
}

std::string read_all(int fd, int timeout_ms) {
  std::string out;
  char buf[65536];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

HttpResponse parse(const std::string& raw) {
  HttpResponse r;
  auto head_end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || head_end == std::string::npos)
    throw std::runtime_error("no HTTP response: '" + raw.substr(0, 200) + "'");
  r.status = std::stoi(raw.substr(9, 3));
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < head_end) {
    auto eol = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers.emplace_back(name, value);
    }
    pos = eol + 2;
  }
  r.body = raw.substr(head_end + 4);
  return r;
}

// With XH_API_ANSWERS set, every exchange of the suite is written to that file,
// one JSON object a line (the test, the request, the answer), for the check
// of real answers against the OpenAPI document (web/tests/openapi.test.mjs).
// The file is started afresh by each run.
class AnswerLog {
 public:
  static AnswerLog& instance() {
    static AnswerLog log;
    return log;
  }
  void write(const std::string& method, const std::string& target,
             const std::vector<std::pair<std::string, std::string>>& request_headers,
             const std::string& request_body, const HttpResponse& r) {
    if (!out_.is_open()) return;
    json::object line{{"method", method}, {"target", target}, {"status", r.status}};
    if (const auto* t = ::testing::UnitTest::GetInstance()->current_test_info())
      line["test"] = std::string(t->test_suite_name()) + "." + t->name();
    for (const auto& [k, v] : request_headers)
      if (lower(k) == "content-type") line["request_type"] = v;
    if (request_body.size() <= kMaxBody) line["request_body"] = request_body;
    line["type"] = r.header("content-type");
    if (!r.header("content-encoding").empty()) line["encoding"] = r.header("content-encoding");
    if (r.body.size() <= kMaxBody && r.header("content-encoding").empty() &&
        r.header("content-type").starts_with("application/json"))
      line["body"] = r.body;
    std::lock_guard lock(mu_);
    out_ << json::serialize(line) << '\n';
    out_.flush();
  }

 private:
  static constexpr std::size_t kMaxBody = 4 << 20;
  AnswerLog() {
    if (const char* path = std::getenv("XH_API_ANSWERS"); path && *path)
      out_.open(path, std::ios::trunc);
  }
  static std::string lower(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  }
  std::mutex mu_;
  std::ofstream out_;
};

}  // namespace

std::string raw_exchange(int port, const std::string& bytes, int timeout_ms) {
  int fd = connect_to(port);
  send_all(fd, bytes);
  std::string out = read_all(fd, timeout_ms);
  ::close(fd);
  return out;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 std::vector<std::pair<std::string, std::string>> headers) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!cookies.empty()) {
    std::string c;
    for (const auto& [k, v] : cookies) c += (c.empty() ? "" : "; ") + k + "=" + v;
    req += "Cookie: " + c + "\r\n";
  }
  if (!bearer.empty()) req += "Authorization: Bearer " + bearer + "\r\n";
  if (!accept_language.empty()) req += "Accept-Language: " + accept_language + "\r\n";
  for (const auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  int fd = connect_to(port_);
  send_all(fd, req);
  std::string raw = read_all(fd, 30000);
  ::close(fd);
  HttpResponse r = parse(raw);
  for (const auto& [k, v] : r.headers) {
    if (k != "set-cookie") continue;
    auto eq = v.find('='), semi = v.find(';');
    std::string name = v.substr(0, eq), value = v.substr(eq + 1, semi - eq - 1);
    if (v.find("Max-Age=0") != std::string::npos)
      cookies.erase(name);
    else
      cookies[name] = value;
  }
  AnswerLog::instance().write(method, target, headers, body, r);
  return r;
}

HttpResponse HttpClient::post(const std::string& target, const std::string& json_body) {
  std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
  if (!csrf.empty()) h.emplace_back("X-CSRF-Token", csrf);
  return request("POST", target, json_body, h);
}

HttpResponse HttpClient::patch(const std::string& target, const std::string& json_body) {
  std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
  if (!csrf.empty()) h.emplace_back("X-CSRF-Token", csrf);
  return request("PATCH", target, json_body, h);
}

HttpResponse HttpClient::put(const std::string& target, const std::string& json_body) {
  std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"}};
  if (!csrf.empty()) h.emplace_back("X-CSRF-Token", csrf);
  return request("PUT", target, json_body, h);
}

HttpResponse HttpClient::del(const std::string& target) {
  std::vector<std::pair<std::string, std::string>> h;
  if (!csrf.empty()) h.emplace_back("X-CSRF-Token", csrf);
  return request("DELETE", target, "", h);
}

HttpResponse HttpClient::login(const std::string& username, const std::string& password,
                               const std::string& totp) {
  json::object body{{"username", username}, {"password", password}};
  if (!totp.empty()) body["totp"] = totp;
  auto r = post("/api/auth/login", json::serialize(body));
  if (r.status == 200) csrf = std::string(r.json().at("csrf_token").as_string());
  return r;
}

}  // namespace xh::test
