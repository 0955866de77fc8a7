#pragma once
// Validated reading of a JSON request body. A JsonInput is built from the raw
// body and the set of fields the endpoint accepts; any other field, a body that
// is not a JSON object, a missing required field or a field of the wrong type
// throws an xh::Error (400 or 422) naming the field, before anything is written.
#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xh {

class JsonInput {
 public:
  // Throws 400 request.bad_json when `body` is not a JSON object, and 422
  // request.unknown_field when it has a key outside `allowed`.
  JsonInput(std::string_view body, std::initializer_list<std::string_view> allowed);

  bool has(std::string_view field) const;

  // Required fields: 422 request.missing_field or request.invalid_field.
  std::string str(std::string_view field, std::size_t max_len = 1000) const;
  std::int64_t i64(std::string_view field) const;
  bool boolean(std::string_view field) const;

  // Optional fields: nullopt when absent or JSON null.
  std::optional<std::string> opt_str(std::string_view field, std::size_t max_len = 1000) const;
  std::optional<std::int64_t> opt_i64(std::string_view field) const;
  std::optional<bool> opt_bool(std::string_view field) const;
  // A finite number (integer or decimal).
  std::optional<double> opt_f64(std::string_view field) const;
  // A nested object, for its own JsonInput (re-serialised).
  std::optional<std::string> opt_object(std::string_view field) const;
  // An array of positive integer ids, at most `max_items`.
  std::optional<std::vector<std::int64_t>> opt_id_array(std::string_view field,
                                                         std::size_t max_items = 50) const;
  // An array of strings; each at most `max_len` characters, at most `max_items`.
  std::optional<std::vector<std::string>> opt_str_array(std::string_view field,
                                                        std::size_t max_items = 50,
                                                        std::size_t max_len = 100) const;

 private:
  const boost::json::value* get(std::string_view field) const;
  boost::json::value doc_;
};

// A finite decimal number written in full ("36.7", "-1e3"); nullopt for
// anything else, "nan" and "inf" included.
std::optional<double> parse_finite(std::string_view text);

// Parses a decimal id from a path or query parameter; 400 request.bad_id otherwise.
std::int64_t parse_id(std::string_view text);

}  // namespace xh
