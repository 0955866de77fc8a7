#include "core/json_input.h"

#include <cmath>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>

#include "core/error.h"
#include "core/text.h"

namespace xh {

namespace json = boost::json;


JsonInput::JsonInput(std::string_view body, std::initializer_list<std::string_view> allowed) {
  json::error_code ec;
  doc_ = json::parse(body, ec);
  if (ec || !doc_.is_object()) throw bad_request("request.bad_json");
  for (const auto& kv : doc_.as_object()) {
    bool ok = false;
    for (auto a : allowed) ok = ok || kv.key() == a;
    if (!ok) throw unprocessable("request.unknown_field", std::string(kv.key()));
  }
}

const json::value* JsonInput::get(std::string_view field) const {
  const auto* v = doc_.as_object().if_contains(field);
  if (!v || v->is_null()) return nullptr;
  return v;
}

bool JsonInput::has(std::string_view field) const { return get(field) != nullptr; }

std::optional<std::string> JsonInput::opt_str(std::string_view field, std::size_t max_len) const {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->is_string()) throw unprocessable("request.invalid_field", std::string(field));
  std::string s(v->as_string());
  if (!clean_utf8(s)) throw unprocessable("request.bad_text", std::string(field));
  if (utf8_length(s) > max_len) throw unprocessable("request.field_too_long", std::string(field));
  return s;
}

std::string JsonInput::str(std::string_view field, std::size_t max_len) const {
  auto s = opt_str(field, max_len);
  if (!s) throw unprocessable("request.missing_field", std::string(field));
  return *s;
}

std::optional<std::int64_t> JsonInput::opt_i64(std::string_view field) const {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  throw unprocessable("request.invalid_field", std::string(field));
}

std::int64_t JsonInput::i64(std::string_view field) const {
  auto v = opt_i64(field);
  if (!v) throw unprocessable("request.missing_field", std::string(field));
  return *v;
}

std::optional<bool> JsonInput::opt_bool(std::string_view field) const {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->is_bool()) throw unprocessable("request.invalid_field", std::string(field));
  return v->as_bool();
}

std::optional<double> JsonInput::opt_f64(std::string_view field) const {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->is_number()) throw unprocessable("request.invalid_field", std::string(field));
  double d = v->to_number<double>();
  if (!std::isfinite(d)) throw unprocessable("request.invalid_field", std::string(field));
  return d;
}

std::optional<std::string> JsonInput::opt_object(std::string_view field) const {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->is_object()) throw unprocessable("request.invalid_field", std::string(field));
  return boost::json::serialize(*v);
}

bool JsonInput::boolean(std::string_view field) const {
  auto v = opt_bool(field);
  if (!v) throw unprocessable("request.missing_field", std::string(field));
  return *v;
}

std::optional<std::vector<std::string>> JsonInput::opt_str_array(std::string_view field,
                                                                 std::size_t max_items,
                                                                 std::size_t max_len) const {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->is_array() || v->as_array().size() > max_items)
    throw unprocessable("request.invalid_field", std::string(field));
  std::vector<std::string> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_string()) throw unprocessable("request.invalid_field", std::string(field));
    if (!clean_utf8(e.as_string())) throw unprocessable("request.bad_text", std::string(field));
    if (utf8_length(e.as_string()) > max_len)
      throw unprocessable("request.field_too_long", std::string(field));
    out.emplace_back(e.as_string());
  }
  return out;
}

std::optional<std::vector<std::int64_t>> JsonInput::opt_id_array(std::string_view field,
                                                                  std::size_t max_items) const {
  const auto* v = get(field);
  if (!v) return std::nullopt;
  if (!v->is_array() || v->as_array().size() > max_items)
    throw unprocessable("request.invalid_field", std::string(field));
  std::vector<std::int64_t> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_int64() || e.as_int64() <= 0) throw unprocessable("request.invalid_field", std::string(field));
    out.push_back(e.as_int64());
  }
  return out;
}

std::optional<double> parse_finite(std::string_view text) {
  try {
    std::size_t used = 0;
    std::string copy(text);
    double d = std::stod(copy, &used);
    if (used != copy.size() || !std::isfinite(d)) return std::nullopt;
    return d;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::int64_t parse_id(std::string_view text) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v <= 0)
    throw bad_request("request.bad_id", std::string(text.substr(0, 40)));
  return v;
}

}  // namespace xh
