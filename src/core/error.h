#pragma once
// The one error type of Xinghuo: a stable machine code, an HTTP status and a
// message key that is translated for the caller. Thrown by domain commands and
// turned into the API's error body by the HTTP layer.
#include <stdexcept>
#include <string>
#include <utility>

namespace xh {

class Error : public std::runtime_error {
 public:
  // `code` is stable and machine-readable ("auth.scope_denied"); it is also the
  // message key. `detail` (for example a field name) is appended to the
  // translated message and returned separately.
  Error(int status, std::string code, std::string detail = {})
      : std::runtime_error(code), status_(status), code_(std::move(code)),
        detail_(std::move(detail)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& detail() const { return detail_; }

 private:
  int status_;
  std::string code_;
  std::string detail_;
};

// Shorthands for the statuses the API uses.
inline Error bad_request(std::string code, std::string detail = {}) {
  return Error(400, std::move(code), std::move(detail));
}
inline Error unprocessable(std::string code, std::string detail = {}) {
  return Error(422, std::move(code), std::move(detail));
}
inline Error not_found(std::string code, std::string detail = {}) {
  return Error(404, std::move(code), std::move(detail));
}
inline Error conflict(std::string code, std::string detail = {}) {
  return Error(409, std::move(code), std::move(detail));
}
inline Error forbidden(std::string code, std::string detail = {}) {
  return Error(403, std::move(code), std::move(detail));
}
inline Error unauthorized(std::string code, std::string detail = {}) {
  return Error(401, std::move(code), std::move(detail));
}

}  // namespace xh
