#pragma once
// What an API handler receives: the request, its path parameters, the caller
// (on authenticated routes) and the caller's language. Handlers map HTTP to a
// module's commands and back; they hold no domain rules. A Call lives for one
// request on one worker thread.
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/principal.h"
#include "core/labels.h"
#include "core/messages.h"
#include "core/time.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/database.h"

namespace xh::api {

class Recorder;

// The largest page of a JSON list, and of a CSV/XLSX export.
inline constexpr int kPageMax = 500;
inline constexpr int kExportMax = 100000;
inline constexpr int kPageDefault = 50;

// How exports read their list: in pages of `chunk_rows`, all inside one read
// transaction of `db` (one snapshot), so that memory stays that of a page
// whatever the list's length.
struct Exports {
  storage::Database* db = nullptr;  // none: each page reads on its own
  int chunk_rows = 2000;
};

// The page a list request asks for.
struct Page {
  int limit = kPageDefault;
  int offset = 0;
  bool counted = true;  // false: the total is not wanted (an export's chunks), and not computed
};

struct Call {
  const http::Request& req;
  const http::PathParams& params;
  Lang lang;
  const Principal* principal = nullptr;
  const http::RouteOptions* route = nullptr;
  const Recorder* recorder = nullptr;  // records exports
  const Exports* exports = nullptr;

  // The authenticated caller; only on routes registered as authenticated.
  const Principal& who() const { return *principal; }
  // The caller as the audit log records it ("anonymous" on public routes).
  Actor actor() const;
  // A path parameter as an id; 400 request.bad_id otherwise.
  std::int64_t id_param(std::string_view name) const;
  // An integer query parameter within [lo, hi]; 400 request.bad_query otherwise.
  int query_int(std::string_view name, int fallback, int lo, int hi) const;
  // An id query parameter; 400 request.bad_query when it is not one.
  std::optional<std::int64_t> query_id(std::string_view name) const;
  // A query parameter; 400 request.bad_query when it holds what no stored
  // text may (see clean_utf8), so it never reaches a search or a filter.
  std::optional<std::string> query(std::string_view name) const;
  // "true"/"1" or "false"/"0"; `fallback` when absent; 400 request.bad_query otherwise.
  bool query_bool(std::string_view name, bool fallback = false) const;
  // A finite decimal query parameter; 400 request.bad_query otherwise.
  std::optional<double> query_number(std::string_view name) const;
  // A time query parameter in ISO 8601 / W3C form ("2026-12-01T00:00:00Z",
  // "2026-12-01T08:00:00+08:00"); 400 request.bad_query otherwise.
  std::optional<Millis> query_time(std::string_view name) const;
  // `limit` (1 … kPageMax, default kPageDefault; for an export on a route
  // that exports 1 … kExportMax, default kExportMax: the whole list) and `offset` (≥ 0); 400 request.bad_query.
  Page page() const;
  // "json" unless the caller asks for "csv" or "xlsx" on a route that exports;
  // 400 request.bad_format for another value there.
  std::string format() const;
};

using Handler = std::function<http::Response(Call&)>;
using Router = http::Router<Handler>;
using http::Access;
using http::Body;
using http::Export;
using http::RouteOptions;

// Stored keys with their words in the caller's language: {key, label} items.
boost::json::array label_list(const std::vector<Label>& all, Lang lang);

inline http::Response ok(const boost::json::value& v) { return http::Response::json(200, v); }
inline http::Response created(const boost::json::value& v) { return http::Response::json(201, v); }
// {items, total} (total omitted when nullopt).
http::Response list(boost::json::array items, std::optional<std::int64_t> total);

// The body of an error answer: {"error":{"code","message", <kind of detail>?}}.
// The detail is labelled by what it is: "permission" on 403, "field" for a
// request field, "parameter" for a query parameter, "status" for a
// transition refused from a status.
http::Response error_response(int status, const std::string& code, const std::string& detail,
                              Lang lang);

}  // namespace xh::api
