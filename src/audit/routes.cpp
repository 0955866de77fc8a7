// HTTP ↔ the audit log: /api/audit (audit_admin only).
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "audit/audit.h"

namespace xh::audit {

namespace json = boost::json;
using api::Call;
using http::Access;

const std::vector<api::ExportColumn>& audit_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"seq", "序号", "Seq"},           {"at", "时间", "Time"},
      {"actor_name", "操作人", "Actor"},
      {"action", "操作", "Action", &api::installed_label_set("audit.action")},
      {"target_type", "对象类型", "Target type", &api::installed_label_set("audit.target")},
      {"target_id", "对象编号", "Target ID"},
      {"target_name", "对象", "Target"},
      {"ip", "来源地址", "From"},        {"hash", "哈希", "Hash"}};
  return cols;
}

void add_routes(api::Router& r, std::shared_ptr<const AuditLog> log) {
  r.add("GET", "/api/audit", Access::authenticated, [log](Call& c) {
    Query q;
    q.action = c.query("action");
    q.actor_id = c.query_id("actor_id");
    q.before_seq = c.query_id("before_seq");
    q.from = c.query_time("from");
    q.to = c.query_time("to");
    q.limit = c.page().limit;
    return list_response(c, log->list(c.who(), q), std::nullopt, audit_columns(), "audit");
  }, {.exports = api::Export::yes});

  r.add("GET", "/api/audit/actors", Access::authenticated, [log](Call& c) {
    return api::ok(json::object{{"items", log->actors(c.who(), c.query("q"))}});
  });

  r.add("GET", "/api/audit/verify", Access::authenticated,
        [log](Call& c) { return api::ok(log->verify(c.who())); });
}

}  // namespace xh::audit
