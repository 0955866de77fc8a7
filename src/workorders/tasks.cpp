#include "workorders/tasks.h"

#include <boost/json.hpp>

#include "api/access.h"
#include "api/scope.h"

namespace xh::workorders {

namespace json = boost::json;
using storage::Param;

namespace {

struct Todo {
  std::string_view key;         // ?todo= and the task's key "workorder.<key>"
  std::string_view permission;  // the step's
  std::string_view statuses;    // SQL list of the statuses it starts from
  bool mine_or_nobodys = false;  // handling: given to the caller or to nobody yet
};

const std::vector<Todo>& todos() {
  static const std::vector<Todo> all = {
      {"accept", "workorder.accept", "('submitted')"},
      {"dispatch", "workorder.dispatch", "('accepted','reopened')"},
      {"handle", "workorder.handle", "('dispatched','in_progress')", true},
      {"verify", "workorder.verify", "('resolved')"},
      {"close", "workorder.close", "('verified')"},
  };
  return all;
}

const Todo* find_todo(std::string_view key) {
  for (const auto& t : todos())
    if (t.key == key) return &t;
  return nullptr;
}

}  // namespace

bool todo_known(std::string_view todo) { return find_todo(todo) != nullptr; }

api::Clause todo_clause(const api::Principal& p, std::string_view todo) {
  const Todo* t = find_todo(todo);
  api::Clause out{"1=0", {}};
  if (!t) return out;
  // One alternative per grant carrying the permission: the order's place or
  // its governing grid under the grant's place ("/1/4/" … "/1/40"), and for a
  // company's staff only orders routed to their company.
  std::string any;
  for (const auto& g : p.grants) {
    if (!api::grant_has(g, t->permission)) continue;
    std::string upper = g.place_path;
    upper.back() = '0';
    std::string one = "((w.path >= ? AND w.path < ?) OR (w.grid_path >= ? AND w.grid_path < ?))";
    out.values.insert(out.values.end(), {g.place_path, upper, g.place_path, upper});
    const auto* role = api::find_role(g.role);
    if (role && role->acts_for_company) {
      one += " AND w.body = 'property' AND w.body_org_id IN (SELECT org_id FROM org_contacts WHERE user_id = ?)";
      out.values.emplace_back(p.user_id);
    }
    any += (any.empty() ? "" : " OR ") + ("(" + one + ")");
  }
  if (any.empty()) {
    out.values.clear();
    return out;
  }
  out.sql = "w.status IN " + std::string(t->statuses) + " AND (" + any + ")";
  if (t->mine_or_nobodys) {
    out.sql += " AND (w.assignee_id = ? OR w.assignee_id IS NULL)";
    out.values.emplace_back(p.user_id);
  }
  return out;
}

void tasks(storage::Tx& tx, const api::Principal& p, Millis now, json::array& out) {
  for (const auto& t : todos()) {
    if (!p.has_permission(t.permission)) continue;
    auto c = todo_clause(p, t.key);
    // The clause's ?s numbered for a statement of its own; `now` last.
    std::string sql;
    std::size_t n = 0;
    for (char ch : c.sql) sql += ch == '?' ? "$" + std::to_string(++n) : std::string(1, ch);
    auto values = c.values;
    values.emplace_back(now);
    auto r = tx.query_one_v(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(CASE WHEN w.deadline_at < $" + std::to_string(n + 1) +
            " THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue FROM work_orders w WHERE " + sql,
        values);
    out.push_back({{"key", "workorder." + std::string(t.key)},
                   {"count", r->i64("n")},
                   {"overdue", r->i64("overdue")}});
  }
  // Re-inspections due by tomorrow, in the caller's area.
  if (p.has_permission("workorder.inspect")) {
    std::vector<Param> params{now + kDay, now};
    std::string scope = api::scope_condition(p, "workorder.inspect", {"i.path", "i.grid_path"}, params);
    auto r = tx.query_one_v(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(CASE WHEN i.due_at < $2 THEN 1 ELSE 0 END), 0) AS "
        "BIGINT) AS overdue FROM wo_inspections i WHERE i.done_at IS NULL AND i.due_at <= $1 AND " + scope,
        params);
    out.push_back({{"key", "workorder.inspect"}, {"count", r->i64("n")}, {"overdue", r->i64("overdue")}});
  }
}

}  // namespace xh::workorders
