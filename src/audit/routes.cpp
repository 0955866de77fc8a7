// HTTP ↔ the audit log: /api/audit (audit_admin only).
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "api/scope.h"
#include "audit/audit.h"
#include "api/scope.h"
#include "audit/audit.h"

namespace xh::audit {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ExportColumn;
using api::label_list;
using api::list_response;
using api::ok;
using http::Access;

void add_audit_routes(api::Router& r, api::Context& s) {
  r.add("GET", "/api/audit", Access::authenticated, [&s](Call& c) {
    api::require(c.who(), "audit.read");
    audit::Query q;
    q.action = c.query("action");
    q.actor_id = c.query_id("actor_id");
    q.before_seq = c.query_id("before_seq");
    q.limit = c.page().limit;
    auto rows = s.db.read([&](storage::Tx& tx) { return audit::list(tx, q); });
    json::array items;
    for (const auto& e : rows) {
      json::object o{{"seq", e.seq},           {"at", e.at},
                     {"actor_name", e.actor_name}, {"action", e.action},
                     {"target_type", e.target_type}, {"target_id", e.target_id},
                     {"ip", e.ip},             {"hash", e.hash}};
      o["actor_id"] = e.actor_id ? json::value(*e.actor_id) : json::value(nullptr);
      o["before"] = e.before_json ? json::parse(*e.before_json) : json::value(nullptr);
      o["after"] = e.after_json ? json::parse(*e.after_json) : json::value(nullptr);
      items.push_back(std::move(o));
    }
    static const std::vector<ExportColumn> cols = {
        {"seq", "序号", "Seq"},          {"at", "时间(毫秒)", "At (ms)"},
        {"actor_name", "操作人", "Actor"}, {"action", "操作", "Action"},
        {"target_type", "对象类型", "Target type"}, {"target_id", "对象", "Target"},
        {"ip", "来源地址", "From"},       {"hash", "哈希", "Hash"}};
    return list_response(c, std::move(items), std::nullopt, cols, "audit");
  }, {.exports = api::Export::yes});

  r.add("GET", "/api/audit/verify", Access::authenticated, [&s](Call& c) {
    api::require(c.who(), "audit.read");
    auto v = audit::verify(s.db);
    return ok(json::object{{"ok", v.ok},
                           {"entries", v.entries},
                           {"first_bad_seq", v.first_bad_seq},
                           {"reason", v.reason}});
  });
}

}  // namespace xh::audit
