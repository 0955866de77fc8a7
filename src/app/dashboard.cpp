// The street and community dashboard's figures (RPT-1), each within the
// caller's scope: places by kind, residents, partners, needs by status.
#include <boost/json.hpp>

#include "app/call.h"
#include "auth/roles.h"

namespace xh::app {

namespace json = boost::json;
using http::Access;

namespace {

json::object counts_by(storage::Tx& tx, const auth::Principal& p, std::string_view permission,
                       const std::string& from, const std::string& group_column,
                       std::initializer_list<std::string_view> path_columns) {
  std::vector<storage::Param> params;
  std::string sql = "SELECT " + group_column + ", COUNT(*) FROM " + from + " WHERE 1=1";
  auth::append_scope_condition(p, permission, path_columns, sql, params);
  sql += " GROUP BY " + group_column;
  json::object out;
  for (const auto& r : tx.query_v(sql, params)) out[r.str(0)] = r.i64(1);
  return out;
}

}  // namespace

void add_dashboard_routes(ApiRouter& r, auth::Services& s) {
  r.add("GET", "/api/dashboard/summary", Access::authenticated, [&s](Call& c) {
    const auth::Principal& p = c.who();
    return ok(s.db.read([&](storage::Tx& tx) {
      json::object out;
      if (p.has_permission("place.read"))
        out["places"] = counts_by(tx, p, "place.read", "places", "kind", {"path", "grid_path"});
      if (p.has_permission("resident.read")) {
        std::vector<storage::Param> params;
        std::string sql =
            "SELECT COUNT(DISTINCT m.resident_id) FROM household_members m WHERE 1=1";
        auth::append_scope_condition(p, "resident.read", {"m.path", "m.grid_path"}, sql, params);
        out["residents"] = tx.query_one_v(sql, params)->i64(0);
      }
      if (p.has_permission("partner.read")) {
        out["partners"] = counts_by(tx, p, "partner.read", "orgs", "kind", {"path"});
        out["needs"] = counts_by(tx, p, "partner.read", "needs", "status", {"path"});
      }
      return json::value(out);
    }));
  });
}

}  // namespace xh::app
