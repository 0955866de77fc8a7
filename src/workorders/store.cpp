#include "workorders/store.h"

#include <algorithm>

#include <boost/json.hpp>

#include "api/scope.h"
#include "workorders/tasks.h"

namespace xh::workorders::store {

using storage::Param;
using storage::Row;
using storage::Rows;
using storage::Tx;

namespace {

// "$3, $4, $5" for values appended to `params`.
std::string placeholders(std::vector<Param>& params, const std::vector<Param>& values) {
  std::string out;
  for (const auto& v : values) {
    params.push_back(v);
    out += (out.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  return out;
}

}  // namespace

// ---- orders ------------------------------------------------------------------

std::optional<Order> find_order(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      "SELECT id, category, place_id, path, grid_path, compound_id, status, body, body_org_id, "
      "escalation_level, deadline_hours, deadline_at, reporter_id, anonymous, created_at, rating, "
      "followup_asked_at, followup_answer, closed_at, assignee_id FROM work_orders WHERE id = $1",
      id);
  if (!r) return std::nullopt;
  Order o;
  o.id = r->i64("id");
  o.category = r->str("category");
  o.place_id = r->i64("place_id");
  o.path = r->str("path");
  o.grid_path = r->opt_str("grid_path");
  o.compound_id = r->opt_i64("compound_id");
  o.status = r->str("status");
  o.body = r->str("body");
  o.body_org_id = r->opt_i64("body_org_id");
  o.escalation_level = static_cast<int>(r->i64("escalation_level"));
  o.deadline_hours = static_cast<int>(r->i64("deadline_hours"));
  o.deadline_at = r->i64("deadline_at");
  o.reporter_id = r->opt_i64("reporter_id");
  o.anonymous = r->flag("anonymous");
  o.created_at = r->i64("created_at");
  o.rating = r->opt_i64("rating");
  o.followup_asked_at = r->opt_i64("followup_asked_at");
  o.followup_answer = r->opt_i64("followup_answer");
  o.assignee_id = r->opt_i64("assignee_id");
  o.closed_at = r->opt_i64("closed_at");
  return o;
}

std::int64_t insert_order(Tx& tx, const OrderRow& o) {
  return tx.query_one(
               "INSERT INTO work_orders (category, place_id, path, grid_path, compound_id, lat_e6, "
               "lng_e6, text, status, urgent, body, body_org_id, deadline_hours, deadline_at, "
               "reporter_id, reporter_name, reporter_phone_enc, anonymous, channel, filed_by, "
               "recurrence_of, open311_token, created_at, updated_at, public_text, address_text, "
               "media_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $11, $12, "
               "$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22, $23, $24, $25) RETURNING id",
               o.category, o.place_id, o.path, o.grid_path, o.compound_id, o.lat_e6, o.lng_e6,
               o.text, o.urgent, o.body, o.body_org_id, o.deadline_hours, o.deadline_at,
               o.reporter_id, o.reporter_name, o.reporter_phone_enc, o.anonymous, o.channel,
               o.filed_by, o.recurrence_of, o.open311_token, o.created_at, o.public_text,
               o.address_text, o.media_url)
      ->i64("id");
}

std::optional<std::int64_t> latest_closed(Tx& tx, std::int64_t place_id, const std::string& category,
                                          Millis since) {
  auto r = tx.query_one(
      "SELECT id FROM work_orders WHERE place_id = $1 AND category = $2 AND status = 'closed' "
      "AND closed_at >= $3 ORDER BY closed_at DESC LIMIT 1",
      place_id, category, since);
  if (!r) return std::nullopt;
  return r->i64("id");
}

std::int64_t recurrences_since(Tx& tx, std::int64_t place_id, const std::string& category,
                               Millis since) {
  return tx.query_one(
               "SELECT COUNT(*) AS n FROM work_orders WHERE place_id = $1 AND category = $2 AND "
               "recurrence_of IS NOT NULL AND created_at >= $3",
               place_id, category, since)
      ->i64("n");
}

bool move(Tx& tx, std::int64_t id, const std::string& from, const Transition& t, Millis now,
          const std::optional<std::string>& reason, std::optional<Millis> new_deadline) {
  // The effects are columns named in the transitions table, never input.
  std::vector<Param> params = {id, from, std::string(t.to), now};
  std::string sql = "UPDATE work_orders SET status = $3, updated_at = $4";
  if (!t.stamps_first.empty()) {
    std::string c(t.stamps_first);
    sql += ", " + c + " = COALESCE(" + c + ", $4)";
  }
  if (!t.stamps.empty()) sql += ", " + std::string(t.stamps) + " = $4";
  if (t.needs_reason) {
    params.push_back(reason.value_or(""));
    sql += ", reject_reason = $" + std::to_string(params.size());
  }
  if (t.asks_followup) sql += ", followup_asked_at = NULL, followup_answer = NULL";
  if (t.restarts_clock) {
    params.push_back(*new_deadline);
    sql += ", deadline_at = $" + std::to_string(params.size()) + ", escalation_level = 0";
  }
  return tx.exec_v(sql + " WHERE id = $1 AND status = $2", params) == 1;
}

bool escalate(Tx& tx, std::int64_t id, int from_level, int level, Millis now) {
  return tx.exec("UPDATE work_orders SET escalation_level = $2, updated_at = $3 WHERE id = $1 AND "
                 "escalation_level = $4 AND status IN " +
                     open_statuses_sql(),
                 id, level, now, from_level) == 1;
}

void mark_followup_asked(Tx& tx, std::int64_t id, Millis now) {
  tx.exec("UPDATE work_orders SET followup_asked_at = $2 WHERE id = $1", id, now);
}

bool answer_followup(Tx& tx, std::int64_t id, bool stayed_fixed, Millis now) {
  return tx.exec("UPDATE work_orders SET followup_answer = $2, updated_at = $3 WHERE id = $1 AND "
                 "status = 'closed' AND followup_answer IS NULL",
                 id, stayed_fixed, now) == 1;
}

bool rate(Tx& tx, std::int64_t id, int score, const std::optional<std::string>& comment,
          Millis now) {
  return tx.exec("UPDATE work_orders SET rating = $2, rating_comment = $3, updated_at = $4 "
                 "WHERE id = $1 AND rating IS NULL",
                 id, score, comment, now) == 1;
}

void add_event(Tx& tx, std::int64_t order_id, const api::Actor& actor, std::string_view action,
               const std::optional<std::string>& from, const std::optional<std::string>& to,
               const std::optional<std::string>& note, Millis now,
               const std::optional<Note>& server_note) {
  std::optional<std::string> key, params;
  if (server_note) {
    boost::json::object o;
    for (const auto& [k, v] : server_note->params) o[k] = v;
    key = server_note->code;
    params = boost::json::serialize(o);
  }
  tx.exec(
      "INSERT INTO wo_events (order_id, at, actor_id, actor_name, action, from_status, to_status, "
      "note, note_key, note_params) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      order_id, now, actor.user_id, actor.name, action, from, to, note, key, params);
}

// ---- photos ------------------------------------------------------------------

bool photo_exists(Tx& tx, const std::string& photo_id) {
  return tx.query_one("SELECT 1 FROM photos WHERE id = $1", photo_id).has_value();
}

bool photo_uploaded_by(Tx& tx, const std::string& photo_id, std::int64_t user_id) {
  return tx.query_one("SELECT 1 FROM photo_uploads WHERE photo_id = $1 AND user_id = $2", photo_id,
                      user_id)
      .has_value();
}

void attach_photo(Tx& tx, std::int64_t order_id, const std::string& photo_id,
                  std::string_view stage) {
  tx.exec("INSERT INTO wo_photos (order_id, photo_id, stage) VALUES ($1, $2, $3) "
          "ON CONFLICT DO NOTHING",
          order_id, photo_id, stage);
}

std::int64_t record_upload(Tx& tx, const std::string& photo_id, const std::string& mime,
                           std::int64_t size, std::int64_t user_id, Millis now) {
  auto n = tx.exec(
      "INSERT INTO photos (id, mime, size, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT DO NOTHING",
      photo_id, mime, size, user_id, now);
  return n + tx.exec("INSERT INTO photo_uploads (photo_id, user_id, created_at) VALUES ($1, $2, "
                     "$3) ON CONFLICT DO NOTHING",
                     photo_id, user_id, now);
}

std::optional<std::string> photo_mime(Tx& tx, const std::string& photo_id) {
  auto r = tx.query_one("SELECT mime FROM photos WHERE id = $1", photo_id);
  if (!r) return std::nullopt;
  return r->str("mime");
}

std::vector<std::int64_t> orders_showing(Tx& tx, const std::string& photo_id) {
  std::vector<std::int64_t> out;
  for (const auto& r : tx.query("SELECT order_id FROM wo_photos WHERE photo_id = $1", photo_id))
    out.push_back(r.i64("order_id"));
  return out;
}

// ---- followers ---------------------------------------------------------------

std::vector<std::int64_t> followers(Tx& tx, std::int64_t order_id) {
  std::vector<std::int64_t> out;
  for (const auto& r : tx.query("SELECT user_id FROM wo_followers WHERE order_id = $1 ORDER BY user_id", order_id))
    out.push_back(r.i64("user_id"));
  return out;
}

bool is_follower(Tx& tx, std::int64_t order_id, std::int64_t user_id) {
  return tx.query_one("SELECT 1 FROM wo_followers WHERE order_id = $1 AND user_id = $2", order_id,
                      user_id)
      .has_value();
}

namespace {
std::int64_t count_followers(Tx& tx, std::int64_t order_id, std::int64_t delta) {
  if (delta != 0)
    tx.exec("UPDATE work_orders SET followers = followers + $2 WHERE id = $1", order_id, delta);
  return tx.query_one("SELECT followers FROM work_orders WHERE id = $1", order_id)->i64("followers");
}
}  // namespace

std::int64_t follow(Tx& tx, std::int64_t order_id, std::int64_t user_id, Millis now) {
  auto added = tx.exec("INSERT INTO wo_followers (order_id, user_id, at) VALUES ($1, $2, $3) "
                       "ON CONFLICT DO NOTHING",
                       order_id, user_id, now);
  return count_followers(tx, order_id, added);
}

std::int64_t unfollow(Tx& tx, std::int64_t order_id, std::int64_t user_id) {
  auto removed =
      tx.exec("DELETE FROM wo_followers WHERE order_id = $1 AND user_id = $2", order_id, user_id);
  return count_followers(tx, order_id, -removed);
}

void set_assignee(Tx& tx, std::int64_t id, std::optional<std::int64_t> assignee, Millis now) {
  tx.exec("UPDATE work_orders SET assignee_id = $2, updated_at = $3 WHERE id = $1", id, assignee, now);
}

Rows handlers(Tx& tx, const Order& o) {
  // The roles that handle orders, and of them those that act for a company.
  // A company's staff handle only what is routed to their company (no org has id 0).
  std::int64_t company_org = o.body == "property" ? o.body_org_id.value_or(0) : 0;
  std::vector<Param> params{o.path, o.grid_path.value_or(""), company_org};
  std::string roles, company_roles;
  for (const auto& role : api::roles()) {
    const auto& perms = api::role_permissions(role.name);
    if (std::find(perms.begin(), perms.end(), "workorder.handle") == perms.end()) continue;
    params.emplace_back(std::string(role.name));
    std::string n = "$" + std::to_string(params.size());
    roles += (roles.empty() ? "" : ", ") + n;
    if (role.acts_for_company) company_roles += (company_roles.empty() ? "" : ", ") + n;
  }
  if (roles.empty()) return {};
  std::string company = company_roles.empty()
                            ? ""
                            : " AND (ra.role NOT IN (" + company_roles +
                                  ") OR EXISTS (SELECT 1 FROM org_contacts oc WHERE oc.user_id = "
                                  "u.id AND oc.org_id = $3))";
  return tx.query_v(
      "SELECT DISTINCT u.id, u.display_name, ra.role FROM role_assignments ra "
      "JOIN users u ON u.id = ra.user_id JOIN places pl ON pl.id = ra.place_id "
      "WHERE u.disabled = 0 AND ra.role IN (" + roles + ") AND ($1 LIKE pl.path || '%' OR "
      "($2 <> '' AND $2 LIKE pl.path || '%'))" + company + " ORDER BY u.display_name, u.id",
      params);
}

// ---- reading -----------------------------------------------------------------

const std::string& summary_select() {
  static const std::string sql =
      "SELECT w.id, w.category, c.zh AS category_zh, c.en AS category_en, w.place_id, "
      "pl.name AS place_name, w.status, w.body, w.body_org_id, o.name AS body_org_name, w.urgent, "
      "w.escalation_level, w.deadline_at, w.created_at, w.updated_at, w.recurrence_of, w.text, "
      "w.followers, w.resolved_at, w.lat_e6, w.lng_e6, w.path, w.assignee_id, "
      "au.display_name AS assignee_name "
      "FROM work_orders w JOIN wo_categories c ON c.key = w.category "
      "JOIN places pl ON pl.id = w.place_id LEFT JOIN orgs o ON o.id = w.body_org_id "
      "LEFT JOIN users au ON au.id = w.assignee_id";
  return sql;
}

Rows summaries(Tx& tx, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return {};
  std::vector<Param> params;
  std::vector<Param> values(ids.begin(), ids.end());
  return tx.query_v(summary_select() + " WHERE w.id IN (" + placeholders(params, values) + ")",
                    params);
}

std::optional<Row> detail_extras(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT w.lat_e6, w.lng_e6, w.reporter_name, w.reporter_phone_enc, w.channel, "
      "w.reject_reason, w.rating_comment, w.accepted_at, w.closed_at, u.display_name AS "
      "reporter_display_name FROM work_orders w LEFT JOIN users u ON u.id = w.reporter_id WHERE "
      "w.id = $1",
      id);
}

Rows photos_of(Tx& tx, std::int64_t order_id) {
  return tx.query("SELECT photo_id, stage FROM wo_photos WHERE order_id = $1 "
                  "ORDER BY stage DESC, photo_id",
                  order_id);
}

Rows timeline(Tx& tx, std::int64_t order_id) {
  // People by their display names; system steps and Open311 clients by name.
  return tx.query("SELECT e.at, e.action, e.from_status, e.to_status, "
                  "COALESCE(u.display_name, e.actor_name) AS actor, e.note, e.note_key, e.note_params, "
                  "e.actor_id FROM "
                  "wo_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.order_id = $1 "
                  "ORDER BY e.id",
                  order_id);
}

std::vector<std::int64_t> recurrences_of(Tx& tx, std::int64_t order_id) {
  std::vector<std::int64_t> out;
  for (const auto& r :
       tx.query("SELECT id FROM work_orders WHERE recurrence_of = $1 ORDER BY id", order_id))
    out.push_back(r.i64("id"));
  return out;
}

std::optional<std::int64_t> consultation_of(Tx& tx, std::int64_t order_id) {
  auto r = tx.query_one("SELECT id FROM consultation_topics WHERE order_id = $1", order_id);
  if (!r) return std::nullopt;
  return r->i64("id");
}

Rows open_near(Tx& tx, const std::string& category, std::int64_t place_id,
               std::optional<std::int64_t> lat_e6, std::optional<std::int64_t> lng_e6,
               std::int64_t dlat_e6, std::int64_t dlng_e6) {
  std::vector<Param> params = {category, place_id};
  std::string sql = summary_select() + " WHERE w.category = $1 AND w.status IN " +
                    open_statuses_sql() + " AND (w.place_id = $2";
  if (lat_e6 && lng_e6)
    sql += " OR (w.lat_e6 BETWEEN " + placeholders(params, {*lat_e6 - dlat_e6}) + " AND " +
           placeholders(params, {*lat_e6 + dlat_e6}) + " AND w.lng_e6 BETWEEN " +
           placeholders(params, {*lng_e6 - dlng_e6}) + " AND " +
           placeholders(params, {*lng_e6 + dlng_e6}) + ")";
  return tx.query_v(sql + ") ORDER BY w.id DESC LIMIT 200", params);
}

std::optional<std::pair<std::int64_t, std::int64_t>> point_above(Tx& tx, std::string_view path) {
  auto ids = api::path_ids(path);
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    auto r = tx.query_one("SELECT lat_e6, lng_e6 FROM places WHERE id = $1", *it);
    if (r && !r->is_null("lat_e6")) return std::make_pair(r->i64("lat_e6"), r->i64("lng_e6"));
  }
  return std::nullopt;
}

Rows hotspots(Tx& tx, const api::Principal& p, Millis since, int threshold) {
  std::vector<Param> params = {since};
  std::string where = " WHERE w.recurrence_of IS NOT NULL AND w.created_at >= $1";
  api::append_scope_condition(p, "workorder.read", {"w.path", "w.grid_path"}, where, params);
  params.push_back(std::int64_t{threshold});
  std::string n = "$" + std::to_string(params.size());
  return tx.query_v(
      "SELECT w.place_id, pl.name AS place_name, w.category, c.zh AS category_zh, c.en AS "
      "category_en, COUNT(*) AS recurrences, MAX(w.created_at) AS last_at, "
      "(SELECT COUNT(*) FROM work_orders x WHERE x.place_id = w.place_id AND x.category = "
      "w.category AND x.created_at >= $1) AS orders, "
      "(SELECT COUNT(*) FROM wo_inspections i WHERE i.place_id = w.place_id AND i.category = "
      "w.category AND i.done_at IS NULL) AS inspections_open "
      "FROM work_orders w JOIN places pl ON pl.id = w.place_id JOIN wo_categories c ON c.key = "
      "w.category" +
          where +
          " GROUP BY w.place_id, pl.name, w.category, c.zh, c.en HAVING COUNT(*) >= " + n +
          " ORDER BY COUNT(*) DESC, MAX(w.created_at) DESC LIMIT 200",
      params);
}

Rows scorecard_rows(Tx& tx, const api::Principal& p, Millis from, Millis to) {
  std::vector<Param> params = {from, to};
  std::string where =
      " WHERE w.body = 'property' AND w.compound_id IS NOT NULL AND w.created_at >= $1 AND "
      "w.created_at < $2";
  api::append_scope_condition(p, "workorder.read", {"w.path", "w.grid_path"}, where, params);
  return tx.query_v(
      "SELECT w.compound_id, cp.name AS compound_name, w.body_org_id, o.name AS org_name, "
      "w.created_at, w.accepted_at, w.resolved_at, w.deadline_at, w.rating, w.recurrence_of FROM "
      "work_orders w JOIN places cp ON cp.id = w.compound_id JOIN orgs o ON o.id = w.body_org_id" +
          where,
      params);
}

Rows public_orders(Tx& tx, const PublicFilter& f) {
  std::string where = " WHERE 1=1";
  std::vector<Param> params;
  if (!f.ids.empty())
    where += " AND w.id IN (" +
             placeholders(params, std::vector<Param>(f.ids.begin(), f.ids.end())) + ")";
  if (!f.categories.empty())
    where += " AND w.category IN (" +
             placeholders(params, std::vector<Param>(f.categories.begin(), f.categories.end())) +
             ")";
  if (f.open) where += (*f.open ? " AND w.status IN " : " AND w.status NOT IN ") + open_statuses_sql();
  if (f.start) where += " AND w.created_at >= " + placeholders(params, {*f.start});
  if (f.end) where += " AND w.created_at <= " + placeholders(params, {*f.end});
  return tx.query_v(
      "SELECT w.id, w.status, w.category, c.zh AS category_zh, w.body, CASE WHEN w.public_text = "
      "1 THEN w.text END AS text, CASE WHEN w.public_text = 1 THEN w.address_text END AS "
      "address_text, CASE WHEN w.public_text = 1 THEN w.media_url END AS media_url, pl.name AS "
      "place_name, COALESCE(pl.address, cp.address) AS address, pl.code AS place_code, o.name AS "
      "body_name, w.reject_reason, w.lat_e6, w.lng_e6, w.created_at, w.updated_at, w.deadline_at "
      "FROM work_orders w JOIN wo_categories c ON c.key = w.category JOIN places pl ON pl.id = "
      "w.place_id LEFT JOIN places cp ON cp.id = w.compound_id LEFT JOIN orgs o ON o.id = "
      "w.body_org_id" +
          where + " ORDER BY w.created_at DESC, w.id DESC LIMIT " +
          placeholders(params, {std::int64_t{f.limit}}),
      params);
}

std::optional<std::int64_t> order_of_token(Tx& tx, const std::string& token) {
  auto r = tx.query_one("SELECT id FROM work_orders WHERE open311_token = $1", token);
  if (!r) return std::nullopt;
  return r->i64("id");
}

std::optional<std::int64_t> place_by_code(Tx& tx, const std::string& code) {
  auto r = tx.query_one("SELECT id FROM places WHERE code = $1", code);
  if (!r) return std::nullopt;
  return r->i64("id");
}

std::vector<Point> compounds_near(Tx& tx, std::int64_t lat_e6, std::int64_t lng_e6,
                                  std::int64_t dlat_e6, std::int64_t dlng_e6) {
  std::vector<Point> out;
  for (const auto& r : tx.query(
           "SELECT id, lat_e6, lng_e6 FROM places WHERE kind = 'compound' AND archived_at IS NULL "
           "AND lat_e6 BETWEEN $1 AND $2 AND lng_e6 BETWEEN $3 AND $4",
           lat_e6 - dlat_e6, lat_e6 + dlat_e6, lng_e6 - dlng_e6, lng_e6 + dlng_e6))
    out.push_back({r.i64("id"), r.i64("lat_e6"), r.i64("lng_e6")});
  return out;
}

std::optional<std::int64_t> place_by_address(Tx& tx, const std::string& text) {
  auto r = tx.query_one(
      "SELECT id FROM places WHERE kind IN ('compound','building') AND archived_at IS NULL AND "
      "(name = $1 OR address = $1) ORDER BY id LIMIT 1",
      text);
  if (r) return r->i64("id");
  // Free text as people write it ("泉星花园3号楼楼下"): the place whose name
  // it holds, the longest such name (the building before its compound).
  r = tx.query_one(
      "SELECT id FROM places WHERE kind IN ('compound','building') AND archived_at IS NULL AND "
      "LENGTH(name) >= 2 AND $1 LIKE '%' || name || '%' ORDER BY LENGTH(name) DESC, id LIMIT 1",
      text);
  if (!r) return std::nullopt;
  return r->i64("id");
}


std::pair<std::vector<std::int64_t>, std::int64_t> order_page(
    Tx& tx, const api::Principal& p, const OrderQuery& q,
    const std::optional<std::string>& under_path, Millis now) {
  static const api::SortTable sorts = {{"created_at", "w.created_at, w.id"},
                                       {"deadline_at", "w.deadline_at, w.id"}};
  api::ListQuery l("work_orders w");
  if (q.mine)
    l.where("w.reporter_id = ? OR w.id IN (SELECT order_id FROM wo_followers WHERE user_id = ?)",
            {p.user_id, p.user_id});
  else
    l.scope(p, "workorder.read", {"w.path", "w.grid_path"});
  l.where_if("w.status = ?", q.status)
      .where_if("w.category = ?", q.category)
      .where_if("w.body = ?", q.body);
  if (under_path) l.under("w.path", *under_path);
  if (q.overdue) l.where("w.status IN " + open_statuses_sql() + " AND w.deadline_at < ?", {now});
  if (q.todo) {
    auto waiting = todo_clause(p, *q.todo);
    l.where(waiting.sql, waiting.values);
  }
  if (q.q && !q.q->empty())
    l.where("w.text LIKE ? ESCAPE '\\'", {"%" + storage::escape_like(*q.q) + "%"});
  l.sort(sorts, q.sort, "-created_at").page(q.page);
  // The total, then the page's ids from the covering index alone.
  auto total = l.count(tx);
  return {l.page_ids(tx, "w.id"), total};
}

// ---- re-inspections ------------------------------------------------------------

bool has_pending_inspection(Tx& tx, std::int64_t place_id, const std::string& category) {
  return tx.query_one("SELECT 1 FROM wo_inspections WHERE place_id = $1 AND category = $2 AND "
                      "done_at IS NULL",
                      place_id, category)
      .has_value();
}

std::int64_t add_inspection(Tx& tx, std::int64_t place_id, const std::string& path,
                            const std::optional<std::string>& grid_path, const std::string& category,
                            Millis due_at, Millis now) {
  return tx.query_one("INSERT INTO wo_inspections (place_id, path, grid_path, category, due_at, "
                      "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                      place_id, path, grid_path, category, due_at, now)
      ->i64("id");
}

std::optional<Row> find_inspection(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT i.path, i.grid_path, i.done_at, i.due_at, pl.name AS place_name, "
                      "c.zh AS category_zh, c.en AS category_en FROM wo_inspections i JOIN places pl "
                      "ON pl.id = i.place_id JOIN wo_categories c ON c.key = i.category WHERE i.id = $1",
                      id);
}

bool complete_inspection(Tx& tx, std::int64_t id, std::int64_t user_id, const std::string& note,
                         bool problem_found, Millis now) {
  return tx.exec("UPDATE wo_inspections SET done_at = $2, done_by = $3, note = $4, problem_found = "
                 "$5 WHERE id = $1 AND done_at IS NULL",
                 id, now, user_id, note, problem_found) == 1;
}

api::ListQuery::Result inspections(Tx& tx, const api::Principal& p,
                                   const std::optional<std::string>& status, api::Page page) {
  api::ListQuery l(
      "wo_inspections i JOIN places pl ON pl.id = i.place_id JOIN wo_categories c ON c.key = "
      "i.category LEFT JOIN users u ON u.id = i.done_by");
  l.scope(p, "workorder.inspect", {"i.path", "i.grid_path"});
  if (status) l.where(*status == "open" ? "i.done_at IS NULL" : "i.done_at IS NOT NULL");
  l.sort({{"due", "i.done_at IS NOT NULL, i.due_at, i.id"}}, std::nullopt, "due").page(page);
  return l.rows(tx,
                "i.id, i.place_id, pl.name AS place_name, i.category, c.zh AS category_zh, c.en AS "
                "category_en, i.due_at, i.done_at, i.note, i.problem_found, u.display_name AS "
                "done_by");
}

// ---- consultations -------------------------------------------------------------

std::int64_t insert_consultation(Tx& tx, std::int64_t order_id, std::int64_t community_id,
                                 const std::string& path, const std::string& title,
                                 const std::optional<std::string>& description,
                                 std::optional<std::int64_t> org_id, const std::string& reps_json,
                                 std::int64_t created_by, Millis now) {
  return tx.query_one(
               "INSERT INTO consultation_topics (order_id, place_id, path, title, description, "
               "property_org_id, resident_reps, created_by, created_at) VALUES ($1, $2, $3, $4, "
               "$5, $6, $7, $8, $9) RETURNING id",
               order_id, community_id, path, title, description, org_id, reps_json, created_by, now)
      ->i64("id");
}

std::optional<Row> find_consultation(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT t.id, t.order_id, t.place_id, pl.name AS community_name, t.path, t.title, "
      "t.description, t.property_org_id, o.name AS property_org_name, t.resident_reps, t.status, "
      "t.created_at FROM consultation_topics t JOIN places pl ON pl.id = t.place_id LEFT JOIN "
      "orgs o ON o.id = t.property_org_id WHERE t.id = $1",
      id);
}

std::pair<std::vector<std::int64_t>, std::int64_t> consultation_page(Tx& tx,
                                                                     const api::Principal& p,
                                                                     api::Page page) {
  api::ListQuery l("consultation_topics t");
  l.scope(p, "workorder.read", {"t.path"}).sort({{"id", "t.id"}}, std::nullopt, "-id").page(page);
  auto total = l.count(tx);
  return {l.page_ids(tx, "t.id"), total};
}

// ---- configuration -------------------------------------------------------------

namespace {
constexpr const char* kCategorySelect =
    "SELECT key, zh, en, body, deadline_hours, urgent, active, sort FROM wo_categories ";

Category category_of(const Row& r) {
  return {r.str("key"),
          r.str("zh"),
          r.str("en"),
          r.str("body"),
          static_cast<int>(r.i64("deadline_hours")),
          r.flag("urgent"),
          r.flag("active"),
          static_cast<int>(r.i64("sort"))};
}
}  // namespace

std::vector<Category> categories(Tx& tx) {
  std::vector<Category> out;
  for (const auto& r : tx.query(std::string(kCategorySelect) + "ORDER BY sort, key"))
    out.push_back(category_of(r));
  return out;
}

std::optional<Category> find_category(Tx& tx, std::string_view key) {
  auto r = tx.query_one(std::string(kCategorySelect) + "WHERE key = $1", key);
  if (!r) return std::nullopt;
  return category_of(*r);
}

void insert_category(Tx& tx, const Category& c) {
  tx.exec("INSERT INTO wo_categories (key, zh, en, body, deadline_hours, urgent, active, sort) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          c.key, c.zh, c.en, c.body, c.deadline_hours, c.urgent, c.active, c.sort);
}

void update_category(Tx& tx, const Category& c) {
  tx.exec("UPDATE wo_categories SET zh = $2, en = $3, body = $4, deadline_hours = $5, urgent = $6, "
          "active = $7 WHERE key = $1",
          c.key, c.zh, c.en, c.body, c.deadline_hours, c.urgent, c.active);
}

int next_category_sort(Tx& tx) {
  return static_cast<int>(
      tx.query_one("SELECT COALESCE(MAX(sort), 0) + 10 AS next FROM wo_categories")->i64("next"));
}

Routing route(Tx& tx, const Category& c, std::string_view place_path) {
  Routing out{c.body, c.deadline_hours, c.urgent};
  auto rule = tx.query_one(
      "SELECT body, deadline_hours, urgent FROM wo_rules WHERE category = $1 "
      "AND substr($2, 1, length(path)) = path ORDER BY length(path) DESC LIMIT 1",
      c.key, place_path);
  if (rule) {
    out.body = rule->str("body");
    if (auto h = rule->opt_i64("deadline_hours")) out.deadline_hours = static_cast<int>(*h);
    if (auto u = rule->opt_flag("urgent")) out.urgent = *u;
  }
  return out;
}

Rows rules(Tx& tx) {
  return tx.query(
      "SELECT r.id, r.category, r.place_id, pl.name AS place_name, r.body, r.deadline_hours, "
      "r.urgent FROM wo_rules r JOIN places pl ON pl.id = r.place_id ORDER BY r.category, r.path");
}

std::optional<Row> find_rule(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT path, category, place_id, body FROM wo_rules WHERE id = $1", id);
}

bool rule_exists(Tx& tx, const std::string& category, std::int64_t place_id) {
  return tx.query_one("SELECT 1 FROM wo_rules WHERE category = $1 AND place_id = $2", category,
                      place_id)
      .has_value();
}

std::int64_t insert_rule(Tx& tx, const std::string& category, std::int64_t place_id,
                         const std::string& path, const std::string& body,
                         std::optional<std::int64_t> deadline_hours, std::optional<bool> urgent,
                         Millis now) {
  return tx.query_one(
               "INSERT INTO wo_rules (category, place_id, path, body, deadline_hours, urgent, "
               "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
               category, place_id, path, body, deadline_hours, urgent, now)
      ->i64("id");
}

void delete_rule(Tx& tx, std::int64_t id) { tx.exec("DELETE FROM wo_rules WHERE id = $1", id); }

Settings settings(Tx& tx) {
  Settings s;
  for (const auto& r : tx.query("SELECT key, value FROM wo_settings"))
    for (const auto& d : setting_defs())
      if (d.key == r.str("key")) s.*(d.field) = static_cast<int>(r.i64("value"));
  return s;
}

void set_setting(Tx& tx, std::string_view key, std::int64_t value) {
  tx.exec("UPDATE wo_settings SET value = $2 WHERE key = $1", key, value);
}

std::int64_t insert_open311_key(Tx& tx, const std::string& name, const std::string& key_hash,
                                std::int64_t created_by, Millis now) {
  return tx.query_one("INSERT INTO open311_keys (name, key_hash, created_by, created_at) VALUES "
                      "($1, $2, $3, $4) RETURNING id",
                      name, key_hash, created_by, now)
      ->i64("id");
}

Rows open311_keys(Tx& tx) {
  return tx.query("SELECT id, name, created_at, revoked_at FROM open311_keys ORDER BY id");
}

std::optional<Row> find_open311_key(Tx& tx, const std::string& key_hash) {
  return tx.query_one("SELECT id, name FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL",
                      key_hash);
}

bool revoke_open311_key(Tx& tx, std::int64_t id, Millis now) {
  return tx.exec("UPDATE open311_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", id,
                 now) == 1;
}

}  // namespace xh::workorders::store
