// The situation board, the room's screen and the summary kept when an
// emergency ends (GRD-3).
#include <map>
#include <memory>
#include <mutex>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "emergencies/emergencies.h"
#include "emergencies/shared.h"
#include "print/pdf.h"

namespace xh::emergencies {

namespace json = boost::json;

namespace {

std::string name_in(const Row& r, const char* zh, const char* en, Lang lang) {
  return lang == Lang::en ? r.str(en) : r.str(zh);
}

// Task counts over the caller's part of the emergency (all of it when
// `scope` is empty).
json::object task_counts(Tx& tx, std::int64_t id, const std::string& scope,
                         const std::vector<storage::Param>& scope_values, Millis now) {
  std::vector<storage::Param> params{id, now};
  for (const auto& v : scope_values) params.push_back(v);
  std::string sql =
      "SELECT SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done, SUM(CASE WHEN status = "
      "'open' AND due_at > $2 THEN 1 ELSE 0 END) AS due, SUM(CASE WHEN status = 'missed' OR "
      "(status = 'open' AND due_at <= $2) THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN status = "
      "'cancelled' THEN 1 ELSE 0 END) AS cancelled FROM emergency_tasks t WHERE emergency_id = $1";
  if (!scope.empty()) sql += " AND " + scope;
  auto r = tx.query_one_v(sql, params);
  return {{"done", r->opt_i64("done").value_or(0)},
          {"due", r->opt_i64("due").value_or(0)},
          {"overdue", r->opt_i64("overdue").value_or(0)},
          {"cancelled", r->opt_i64("cancelled").value_or(0)}};
}

// Scope as $n placeholders after the first two parameters.
std::string numbered(const api::Principal& p, std::vector<storage::Param>& values) {
  auto clause = api::scope_clause(p, "emergency.read", {"t.path"});
  std::string out;
  int n = 3;
  for (char ch : clause.sql) {
    if (ch == '?') out += "$" + std::to_string(n++);
    else out += ch;
  }
  values = clause.values;
  return out;
}

json::array supplies(Tx& tx, const Row& em, Lang lang) {
  // The warehouses within the emergency's place and above it; issued: net
  // of returns, under this emergency.
  json::array out;
  for (const auto& r : tx.query(
           "SELECT i.code, i.name_zh, i.name_en, i.unit_zh, i.unit_en, (SELECT COALESCE(SUM("
           "s.quantity), 0) FROM supply_stock s JOIN warehouses w ON w.id = s.warehouse_id WHERE "
           "s.item = i.code AND (w.path LIKE $2 || '%' OR $2 LIKE w.path || '%')) AS remaining, "
           "(SELECT COALESCE(-SUM(m.quantity), 0) FROM supply_movements m WHERE m.item = i.code "
           "AND m.emergency_id = $1 AND m.kind IN ('issue', 'return')) AS issued FROM supply_items "
           "i ORDER BY i.ordinal",
           em.i64("id"), em.str("path"))) {
    if (r.i64("remaining") == 0 && r.i64("issued") == 0) continue;
    out.push_back({{"item", r.str("code")},
                   {"name", name_in(r, "name_zh", "name_en", lang)},
                   {"unit", name_in(r, "unit_zh", "unit_en", lang)},
                   {"issued", r.i64("issued")},
                   {"remaining", r.i64("remaining")}});
  }
  return out;
}

json::object callup_counts(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      "SELECT COUNT(*) AS called, SUM(CASE WHEN acknowledged_at IS NOT NULL THEN 1 ELSE 0 END) AS "
      "acknowledged, SUM(CASE WHEN arrived_at IS NOT NULL THEN 1 ELSE 0 END) AS arrived, SUM(CASE "
      "WHEN escalated_at IS NOT NULL AND acknowledged_at IS NULL THEN 1 ELSE 0 END) AS escalated, "
      "COALESCE(SUM(people), 0) AS people FROM callups WHERE emergency_id = $1",
      id);
  return {{"called", r->i64("called")},
          {"acknowledged", r->opt_i64("acknowledged").value_or(0)},
          {"arrived", r->opt_i64("arrived").value_or(0)},
          {"escalated", r->opt_i64("escalated").value_or(0)},
          {"people", r->opt_i64("people").value_or(0)}};
}

// The work orders reported within the place while it lasted, by category:
// counted from the index on (path, created_at, status, category) alone.
json::object reports(Tx& tx, const Row& em, Lang lang, Millis until) {
  std::string lo = em.str("path"), hi = lo;
  hi.back() = static_cast<char>('/' + 1);
  json::array by_category;
  std::int64_t total = 0;
  for (const auto& r : tx.query(
           "SELECT x.category, c.zh, c.en, x.n FROM (SELECT w.category, COUNT(*) AS n FROM "
           "work_orders w WHERE w.path >= $1 AND w.path < $2 AND w.created_at >= $3 AND "
           "w.created_at <= $4 GROUP BY w.category) x JOIN wo_categories c ON c.key = x.category "
           "ORDER BY x.n DESC, x.category",
           lo, hi, em.i64("declared_at"), until)) {
    total += r.i64("n");
    by_category.push_back({{"category", r.str("category")},
                           {"name", name_in(r, "zh", "en", lang)},
                           {"count", r.i64("n")}});
  }
  return {{"total", total}, {"by_category", std::move(by_category)}};
}

}  // namespace

// The summary, computed from the records (kept when it ends).
json::object compute_summary(Tx& tx, const Row& em, Lang lang, Millis until) {
  auto id = em.i64("id");
  json::array points;
  for (const auto& r : tx.query(
           "SELECT rp.id, rp.name, k.name_zh, k.name_en, SUM(CASE WHEN t.status = 'done' THEN 1 "
           "ELSE 0 END) AS done, SUM(CASE WHEN t.status = 'missed' THEN 1 ELSE 0 END) AS missed "
           "FROM emergency_tasks t JOIN risk_points rp ON rp.id = t.risk_point_id JOIN risk_kinds "
           "k ON k.code = rp.kind WHERE t.emergency_id = $1 GROUP BY rp.id, rp.name, k.name_zh, "
           "k.name_en ORDER BY rp.id",
           id))
    points.push_back({{"id", r.i64("id")},
                      {"name", r.str("name")},
                      {"kind_name", name_in(r, "name_zh", "name_en", lang)},
                      {"done", r.opt_i64("done").value_or(0)},
                      {"missed", r.opt_i64("missed").value_or(0)}});
  json::array callups;
  for (const auto& c : tx.query(
           "SELECT c.*, o.name FROM callups c JOIN orgs o ON o.id = c.org_id WHERE c.emergency_id "
           "= $1 ORDER BY c.id",
           id)) {
    json::value people = nullptr;
    if (auto n = c.opt_i64("people")) people = *n;
    callups.push_back({{"org", c.str("name")},
                       {"called_at", iso8601(c.i64("called_at"))},
                       {"acknowledged_at", nullable_time(c.opt_i64("acknowledged_at"))},
                       {"arrived_at", nullable_time(c.opt_i64("arrived_at"))},
                       {"escalated", c.opt_i64("escalated_at").has_value()},
                       {"people", people}});
  }
  return {{"emergency", header_of(em, lang)},
          {"tasks", task_counts(tx, id, "", {}, until)},
          {"points", std::move(points)},
          {"callups", std::move(callups)},
          {"supplies", supplies(tx, em, lang)},
          {"reports", reports(tx, em, lang, until)},
          {"timeline", timeline(tx, id)}};
}

namespace {

std::string when(const json::value& v) {
  if (v.is_null()) return "—";
  // "2026-07-12T00:00:00.000Z" → "2026-07-12 08:00", Beijing time.
  auto at = parse_w3c(v.as_string());
  if (!at) return std::string(v.as_string());
  auto s = w3c_beijing(*at);
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

}  // namespace

// The board as it stands (without the reports).
json::object compute_board(Tx& tx, const api::Principal& p, const Row& em, Lang lang, Millis now);

namespace {

// Boards as served (their JSON text), by emergency, language and the
// caller's scopes: each good while the emergency's version is the same (every
// change bumps it, in any process), until the earliest open task falls due
// (a due task becomes overdue) and for at most kReportsFresh (the reports
// count work orders, which bump no version).
struct Cached {
  std::int64_t version = 0;
  Millis until = 0;
  std::shared_ptr<const std::string> text;
};
std::mutex cache_mu;
std::map<std::string, Cached> cache;
constexpr std::size_t kCacheMax = 512;
constexpr Millis kReportsFresh = 10 * 1000;

std::string cache_key(const api::Principal& p, std::int64_t id, Lang lang) {
  std::string key = std::to_string(id) + (lang == Lang::en ? "|en" : "|zh");
  for (const auto& path : api::scope_paths(p, "emergency.read")) key += "|" + path;
  key += "|m";
  for (const auto& path : api::scope_paths(p, "emergency.manage")) key += "|" + path;
  return key;
}

}  // namespace

std::string Emergencies::board(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto em = load_emergency(tx, p, id);
    Millis now = now_ms();
    auto key = cache_key(p, id, lang);
    {
      std::lock_guard lock(cache_mu);
      auto it = cache.find(key);
      if (it != cache.end() && it->second.version == em.i64("version") && now < it->second.until)
        return *it->second.text;
    }
    auto out = compute_board(tx, p, em, lang, now);
    out["reports"] = reports(tx, em, lang, em.opt_i64("ended_at").value_or(now));
    auto text = std::make_shared<const std::string>(json::serialize(out));
    auto next = tx.query_one(
        "SELECT MIN(due_at) AS at FROM emergency_tasks WHERE emergency_id = $1 AND status = "
        "'open' AND due_at > $2",
        id, now);
    Millis until = now + kReportsFresh;
    if (next && next->opt_i64("at")) until = std::min(until, *next->opt_i64("at"));
    {
      std::lock_guard lock(cache_mu);
      if (cache.size() >= kCacheMax) cache.clear();
      cache[key] = Cached{em.i64("version"), until, text};
    }
    return *text;
  });
}

json::object compute_board(Tx& tx, const api::Principal& p, const Row& em, Lang lang, Millis now) {
  auto id = em.i64("id");
  {
    std::vector<storage::Param> scope_values;
    auto scope = numbered(p, scope_values);
    json::object out{{"emergency", header_of(em, lang)}};
    out["tasks"] = task_counts(tx, id, scope, scope_values, now);
    // Per risk point (the caller's), the latest round's and the overdue first.
    std::vector<storage::Param> params{id, now};
    for (const auto& v : scope_values) params.push_back(v);
    json::array points;
    for (const auto& r : tx.query_v(
             "SELECT rp.id, rp.name, rp.kind, k.name_zh, k.name_en, rp.lat_e6, rp.lng_e6, g.name "
             "AS grid_name, SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END) AS done, SUM(CASE "
             "WHEN t.status = 'missed' OR (t.status = 'open' AND t.due_at <= $2) THEN 1 ELSE 0 "
             "END) AS overdue, MIN(CASE WHEN t.status = 'open' THEN t.due_at END) AS next_due, "
             "MAX(t.every_hours) AS every_hours FROM emergency_tasks t JOIN risk_points rp ON rp.id "
             "= t.risk_point_id JOIN risk_kinds k ON k.code = rp.kind LEFT JOIN places g ON g.id = "
             "rp.grid_id WHERE t.emergency_id = $1 AND t.status <> 'cancelled' AND " +
                 scope +
                 " GROUP BY rp.id, rp.name, rp.kind, k.name_zh, k.name_en, rp.lat_e6, rp.lng_e6, "
                 "g.name ORDER BY overdue DESC, rp.id LIMIT 200",
             params)) {
      json::value lat = nullptr, lng = nullptr;
      if (auto v = r.opt_i64("lat_e6")) lat = static_cast<double>(*v) / 1e6;
      if (auto v = r.opt_i64("lng_e6")) lng = static_cast<double>(*v) / 1e6;
      points.push_back(
          {{"id", r.i64("id")},
           {"name", r.str("name")},
           {"kind", r.str("kind")},
           {"kind_name", name_in(r, "name_zh", "name_en", lang)},
           {"grid_name", r.opt_str("grid_name") ? json::value(*r.opt_str("grid_name"))
                                                : json::value(nullptr)},
           {"lat", lat},
           {"lng", lng},
           {"done", r.opt_i64("done").value_or(0)},
           {"overdue", r.opt_i64("overdue").value_or(0)},
           {"next_due_at", nullable_time(r.opt_i64("next_due"))}});
    }
    out["points"] = std::move(points);
    out["callups"] = callup_counts(tx, id);
    out["supplies"] = supplies(tx, em, lang);
    out["may_manage"] = api::in_scope(p, "emergency.manage", em.str("path"));
    return out;
  }
}

json::object display_emergency(Tx& tx, std::int64_t id, Lang lang) {
  auto em = emergency_row(tx, id);
  if (!em) return {};
  Millis now = now_ms();
  return {{"emergency", header_of(*em, lang)},
          {"tasks", task_counts(tx, id, "", {}, now)},
          {"callups", callup_counts(tx, id)},
          {"supplies", supplies(tx, *em, lang)},
          {"reports", reports(tx, *em, lang, em->opt_i64("ended_at").value_or(now))}};
}

json::object Emergencies::end(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body, Lang lang) const {
  JsonInput in(body, {"reason"});
  auto reason = in.opt_str("reason", 300).value_or("");
  return db_.write([&](Tx& tx) {
    auto em = load_emergency(tx, p, id);
    api::require_in_scope(p, "emergency.manage", em.str("path"));
    Millis now = now_ms();
    if (tx.exec("UPDATE emergencies SET status = 'ended', ended_by = $2, ended_at = $3, updated_at "
                "= $3 WHERE id = $1 AND status = 'active'",
                id, p.user_id, now) == 0)
      throw conflict("emergency.ended");
    em = *emergency_row(tx, id);
    auto cancelled = reconcile(tx, events_, em, now).cancelled;
    log(tx, id, now, "ended", static_cast<int>(em.i64("level")), p.user_id,
        {{"reason", reason}, {"tasks_cancelled", cancelled}});
    // The summary is kept as it stands now, in Chinese (the record's language).
    auto summary = compute_summary(tx, em, Lang::zh_CN, now);
    tx.exec("UPDATE emergencies SET summary = $2 WHERE id = $1", id, json::serialize(summary));
    audit::append(tx, actor, {"emergency.end", "emergency", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"tasks_cancelled", cancelled}})});
    changed(tx, events_, actor, em, "ended");
    return header_of(em, lang);
  });
}

json::object Emergencies::summary(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto em = load_emergency(tx, p, id);
    if (auto kept = em.opt_str("summary")) return json::parse(*kept).as_object();
    return compute_summary(tx, em, lang, now_ms());
  });
}

File Emergencies::summary_pdf(const api::Principal& p, std::int64_t id) const {
  auto s = summary(p, id, Lang::zh_CN);
  const auto& e = s.at("emergency").as_object();
  std::string title = std::string(e.at("place").at("name").as_string()) +
                      std::string(e.at("hazard_name").as_string()) + "应急响应总结";
  print::Pdf pdf(title);
  pdf.title(title);
  pdf.subtitle(std::string(e.at("status").as_string()) == "ended" ? "应急响应已结束"
                                                                   : "应急响应进行中（阶段小结）");
  const auto& tasks = s.at("tasks").as_object();
  const auto& reports = s.at("reports").as_object();
  pdf.facts({{"灾种", std::string(e.at("hazard_name").as_string())},
             {"最终等级", std::string(e.at("level_name").as_string())},
             {"启动原因", std::string(e.at("reason").as_string())},
             {"启动时间", when(e.at("declared_at"))},
             {"结束时间", when(e.at("ended_at"))},
             {"巡查任务", "完成 " + std::to_string(tasks.at("done").as_int64()) + " · 超时 " +
                              std::to_string(tasks.at("overdue").as_int64()) + " · 取消 " +
                              std::to_string(tasks.at("cancelled").as_int64())},
             {"群众上报", std::to_string(reports.at("total").as_int64()) + " 件工单"}});
  pdf.heading("过程记录");
  std::vector<std::vector<std::string>> rows;
  auto kind_name = [](std::string_view k) -> std::string {
    if (k == "declared") return "启动响应";
    if (k == "raised") return "提升等级";
    if (k == "lowered") return "降低等级";
    if (k == "ended") return "结束响应";
    if (k == "called_up") return "调度合伙人";
    if (k == "acknowledged") return "合伙人响应";
    if (k == "arrived") return "合伙人到岗";
    if (k == "not_acknowledged") return "未按时响应";
    if (k == "task_missed") return "巡查超时";
    return std::string(k);
  };
  for (const auto& x : s.at("timeline").as_array()) {
    const auto& l = x.as_object();
    std::string what;
    const auto& d = l.at("data").as_object();
    if (auto* lv = l.if_contains("level"); lv && lv->is_int64() &&
                                           (l.at("kind") == "declared" || l.at("kind") == "raised" ||
                                            l.at("kind") == "lowered"))
      what = level_name(static_cast<int>(lv->as_int64()), Lang::zh_CN);
    if (auto* o = d.if_contains("org")) what = std::string(o->as_string());
    if (auto* pt = d.if_contains("point")) what = std::string(pt->as_string());
    if (auto* r = d.if_contains("reason"); r && !r->as_string().empty())
      what += (what.empty() ? "" : "：") + std::string(r->as_string());
    rows.push_back({when(l.at("at")), kind_name(l.at("kind").as_string()), what,
                    l.at("by").is_null() ? "系统" : std::string(l.at("by").as_string())});
  }
  pdf.table({"时间", "事项", "内容", "经办"}, {0.22, 0.16, 0.46, 0.16}, rows);
  pdf.heading("风险点巡查");
  rows.clear();
  for (const auto& x : s.at("points").as_array())
    rows.push_back({std::string(x.at("name").as_string()), std::string(x.at("kind_name").as_string()),
                    std::to_string(x.at("done").as_int64()),
                    std::to_string(x.at("missed").as_int64())});
  pdf.table({"风险点", "类型", "完成", "超时"}, {0.46, 0.22, 0.16, 0.16}, rows);
  pdf.heading("合伙人调度");
  rows.clear();
  for (const auto& x : s.at("callups").as_array())
    rows.push_back({std::string(x.at("org").as_string()), when(x.at("called_at")),
                    when(x.at("acknowledged_at")), when(x.at("arrived_at")),
                    x.at("people").is_null() ? "—" : std::to_string(x.at("people").as_int64())});
  pdf.table({"单位", "调度", "响应", "到岗", "人数"}, {0.32, 0.17, 0.17, 0.17, 0.17}, rows);
  pdf.heading("物资");
  rows.clear();
  for (const auto& x : s.at("supplies").as_array())
    rows.push_back({std::string(x.at("name").as_string()),
                    std::to_string(x.at("issued").as_int64()) + " " +
                        std::string(x.at("unit").as_string()),
                    std::to_string(x.at("remaining").as_int64()) + " " +
                        std::string(x.at("unit").as_string())});
  pdf.table({"物资", "发放", "库存"}, {0.4, 0.3, 0.3}, rows);
  pdf.heading("群众上报");
  rows.clear();
  for (const auto& x : reports.at("by_category").as_array())
    rows.push_back({std::string(x.at("name").as_string()), std::to_string(x.at("count").as_int64())});
  pdf.table({"类别", "工单数"}, {0.7, 0.3}, rows);
  return File{pdf.finish(), "emergency-summary-" + std::to_string(id) + ".pdf", "application/pdf"};
}

}  // namespace xh::emergencies
