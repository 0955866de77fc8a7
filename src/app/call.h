#pragma once
// What an API handler receives: the request, its path parameters, the caller
// (for authenticated routes) and the caller's language. Handlers map HTTP to a
// module's commands and back; they hold no domain rules.
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>

#include "audit/audit.h"
#include "auth/accounts.h"
#include "core/labels.h"
#include "core/messages.h"
#include "http/message.h"
#include "http/router.h"

namespace xh::app {

struct Call {
  const http::Request& req;
  const http::PathParams& params;
  Lang lang;
  const auth::Principal* principal = nullptr;

  // The authenticated caller; only on routes registered as authenticated.
  const auth::Principal& who() const { return *principal; }
  audit::Actor actor() const;
  std::int64_t id_param(std::string_view name) const;
  // An integer query parameter within [lo, hi]; 400 request.bad_query otherwise.
  int query_int(std::string_view name, int fallback, int lo, int hi) const;
  std::optional<std::int64_t> query_id(std::string_view name) const;
  std::optional<std::string> query(std::string_view name) const { return req.query_param(name); }
  // "true"/"1" or "false"/"0"; `fallback` when absent; 400 request.bad_query otherwise.
  bool query_bool(std::string_view name, bool fallback = false) const;
};

using Handler = std::function<http::Response(Call&)>;
using ApiRouter = http::Router<Handler>;

// Stored keys with their words in the caller's language: {items:[{key,label}]} lists.
boost::json::array label_list(const std::vector<Label>& all, Lang lang);

inline http::Response ok(const boost::json::value& v) { return http::Response::json(200, v); }
inline http::Response created(const boost::json::value& v) { return http::Response::json(201, v); }

// Each module adds its routes here.
void add_system_routes(ApiRouter& r, auth::Services& s);
void add_auth_routes(ApiRouter& r, auth::Services& s);
void add_user_routes(ApiRouter& r, auth::Services& s);
void add_place_routes(ApiRouter& r, auth::Services& s);
void add_audit_routes(ApiRouter& r, auth::Services& s);
void add_resident_routes(ApiRouter& r, auth::Services& s);
void add_partner_routes(ApiRouter& r, auth::Services& s);
void add_import_routes(ApiRouter& r, auth::Services& s);
void add_dashboard_routes(ApiRouter& r, auth::Services& s);
// Work orders keep their photos under `data_dir`.
void add_workorder_routes(ApiRouter& r, auth::Services& s, const std::string& data_dir);
void add_open311_routes(ApiRouter& r, auth::Services& s, const std::string& data_dir);
// The ledger's signing key lives under `data_dir`.
void add_points_routes(ApiRouter& r, auth::Services& s, const std::string& data_dir);

}  // namespace xh::app
