// Door-to-door campaigns (GRD-4): see grid.h.
#include <boost/json.hpp>
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "grid/grid.h"

namespace xh::grid {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

constexpr const char* kCampaign =
    "SELECT c.*, pl.name AS place_name, u.display_name AS creator FROM campaigns c JOIN places pl "
    "ON pl.id = c.place_id JOIN users u ON u.id = c.created_by ";

// Seen by the staff over its place (or within it) and the grid workers of
// its grids.
bool sees(Tx& tx, const api::Principal& p, const Row& c) {
  for (const auto& g : p.grants) {
    if (!api::grant_has(g, "grid.read")) continue;
    if (std::string_view(c.str("path")).rfind(g.place_path, 0) == 0 ||
        std::string_view(g.place_path).rfind(c.str("path"), 0) == 0)
      return true;
  }
  (void)tx;
  return false;
}

Row load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto c = tx.query_one(std::string(kCampaign) + "WHERE c.id = $1", id);
  if (!c || !sees(tx, p, *c)) throw not_found("campaign.not_found");
  return *c;
}

// The caller's households of it, as a condition on h.
api::Clause mine(const api::Principal& p) {
  return api::scope_clause(p, "grid.read", {"h.path", "h.grid_path"});
}

json::object view(Tx& tx, const api::Principal& p, const Row& c, bool full) {
  auto scope = mine(p);
  std::vector<storage::Param> params{c.i64("id")};
  std::string cond;
  {
    int n = 2;
    for (char ch : scope.sql) {
      if (ch == '?') cond += "$" + std::to_string(n++);
      else cond += ch;
    }
    for (const auto& v : scope.values) params.push_back(v);
  }
  auto totals = tx.query_one_v(
      "SELECT COUNT(*) AS total, SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END) AS pending, "
      "SUM(CASE WHEN outcome = 'visited' THEN 1 ELSE 0 END) AS visited, SUM(CASE WHEN outcome = "
      "'not_home' THEN 1 ELSE 0 END) AS not_home, SUM(CASE WHEN outcome = 'refused' THEN 1 ELSE 0 "
      "END) AS refused, SUM(CASE WHEN outcome = 'follow_up' THEN 1 ELSE 0 END) AS follow_up FROM "
      "campaign_households h WHERE h.campaign_id = $1 AND " + cond,
      params);
  auto count = [&](const char* k) { return totals->opt_i64(k).value_or(0); };
  json::object out{{"id", c.i64("id")},
                   {"title", c.str("title")},
                   {"description", c.str("description")},
                   {"place", {{"id", c.i64("place_id")}, {"name", c.str("place_name")}}},
                   {"status", c.str("status")},
                   {"form", json::parse(c.str("form"))},
                   {"created_by", c.str("creator")},
                   {"created_at", iso8601(c.i64("created_at"))},
                   {"closed_at", nullable_time(c.opt_i64("closed_at"))},
                   {"progress",
                    {{"total", count("total")},
                     {"pending", count("pending")},
                     {"visited", count("visited")},
                     {"not_home", count("not_home")},
                     {"refused", count("refused")},
                     {"follow_up", count("follow_up")}}}};
  if (full) {
    auto by = [&](const char* select, const char* group) {
      json::array rows;
      for (const auto& r : tx.query_v(
               std::string("SELECT ") + select +
                   ", COUNT(*) AS total, SUM(CASE WHEN h.outcome IS NULL THEN 0 ELSE 1 END) AS "
                   "done, SUM(CASE WHEN h.outcome = 'visited' THEN 1 ELSE 0 END) AS visited FROM "
                   "campaign_households h " +
                   group + " WHERE h.campaign_id = $1 AND " + cond + " GROUP BY x.id, x.name ORDER BY x.path",
               params))
        rows.push_back({{"id", r.i64("id")},
                        {"name", r.str("name")},
                        {"total", r.i64("total")},
                        {"done", r.opt_i64("done").value_or(0)},
                        {"visited", r.opt_i64("visited").value_or(0)}});
      return rows;
    };
    out["grids"] = by("x.id, x.name, x.path", "JOIN places x ON x.path = h.grid_path");
    out["buildings"] = by("x.id, x.name, x.path", "JOIN places x ON x.id = h.building_id");
    out["may_manage"] = api::in_scope(p, "campaign.manage", c.str("path"));
  }
  return out;
}

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& c,
             const char* what) {
  events.emit(tx, {"campaign.changed", "campaign", c.i64("id"), actor, c.str("path"), std::nullopt,
                   json::object{{"what", what}}});
}

// The form: [{key, label, type: text | choice | yesno, options?}], ≤ 10.
std::string check_form(const json::value* form) {
  if (!form || form->is_null()) return "[]";
  if (!form->is_array() || form->as_array().size() > 10) throw unprocessable("campaign.bad_form", "form");
  std::set<std::string> keys;
  for (const auto& q : form->as_array()) {
    const auto* o = q.if_object();
    if (!o || !o->contains("key") || !o->contains("label") || !o->contains("type") ||
        !o->at("key").is_string() || !o->at("label").is_string() || !o->at("type").is_string())
      throw unprocessable("campaign.bad_form", "form");
    std::string key(o->at("key").as_string()), type(o->at("type").as_string());
    if (key.empty() || key.size() > 40 || o->at("label").as_string().empty() ||
        o->at("label").as_string().size() > 200 || (type != "choice" && o->contains("options")) ||
        !keys.insert(key).second || (type != "text" && type != "choice" && type != "yesno"))
      throw unprocessable("campaign.bad_form", "form");
    if (type == "choice") {
      const auto* opts = o->if_contains("options");
      if (!opts || !opts->is_array() || opts->as_array().size() < 2)
        throw unprocessable("campaign.bad_form", "form");
      if (opts->as_array().size() > 20) throw unprocessable("campaign.bad_form", "form");
      for (const auto& x : opts->as_array())
        if (!x.is_string() || x.as_string().empty() || x.as_string().size() > 100)
          throw unprocessable("campaign.bad_form", "form");
    }
    for (const auto& [k, v] : *o)
      if (k != "key" && k != "label" && k != "type" && k != "options")
        throw unprocessable("campaign.bad_form", "form");
  }
  return json::serialize(*form);
}

// The answers, checked against the form.
std::string check_answers(const json::value* answers, const json::array& form) {
  if (!answers || answers->is_null()) return "{}";
  const auto* o = answers->if_object();
  if (!o) throw unprocessable("campaign.bad_answers", "answers");
  for (const auto& [k, v] : *o) {
    const json::object* q = nullptr;
    for (const auto& f : form)
      if (f.at("key").as_string() == k) q = &f.as_object();
    if (!q) throw unprocessable("campaign.bad_answers", "answers");
    auto type = q->at("type").as_string();
    bool ok = false;
    if (type == "yesno") ok = v.is_bool();
    else if (type == "text") ok = v.is_string() && v.as_string().size() <= 300;
    else
      for (const auto& opt : q->at("options").as_array()) ok |= v.is_string() && v == opt;
    if (!ok) throw unprocessable("campaign.bad_answers", "answers");
  }
  return json::serialize(*o);
}

}  // namespace

void require_campaign(Tx& tx, const api::Principal& p, std::int64_t id) { load(tx, p, id); }

json::object Campaigns::create(const api::Principal& p, const api::Actor& actor,
                               const std::string& body) const {
  JsonInput in(body, {"title", "description", "place_id", "form", "select"});
  auto title = in.str("title", 60);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto description = in.opt_str("description", 1000).value_or("");
  auto place_id = in.i64("place_id");
  auto doc = json::parse(body).as_object();
  auto form = check_form(doc.if_contains("form"));
  const auto* select = doc.if_contains("select");
  if (!select || !select->is_object() || select->as_object().size() != 1)
    throw unprocessable("campaign.bad_select", "select");
  const auto& sel = select->as_object();
  return db_.write([&](Tx& tx) {
    auto pl = tx.query_one("SELECT id, kind, path FROM places WHERE id = $1 AND archived_at IS NULL",
                           place_id);
    if (!pl || (pl->str("kind") != "street" && pl->str("kind") != "community"))
      throw unprocessable("campaign.bad_place", "place_id");
    api::require_in_scope(p, "campaign.manage", pl->str("path"));
    std::string lo = pl->str("path"), hi = lo;
    hi.back() = static_cast<char>('/' + 1);
    // The households chosen, all within the place.
    std::vector<std::int64_t> ids;
    const char* base =
        "SELECT h.id FROM places h WHERE h.kind = 'household' AND h.archived_at IS NULL AND h.path "
        ">= $1 AND h.path < $2 ";
    if (const auto* places = sel.if_contains("place_ids")) {
      if (!places->is_array() || places->as_array().empty() || places->as_array().size() > 200)
        throw unprocessable("campaign.bad_select", "select");
      std::set<std::int64_t> seen;
      for (const auto& x : places->as_array()) {
        if (!x.is_int64()) throw unprocessable("campaign.bad_select", "select");
        auto under = tx.query_one("SELECT path FROM places WHERE id = $1 AND path >= $2 AND path < $3",
                                  x.as_int64(), lo, hi);
        if (!under) throw unprocessable("campaign.bad_select", "select");
        std::string ulo = under->str("path"), uhi = ulo;
        uhi.back() = static_cast<char>('/' + 1);
        for (const auto& r : tx.query(std::string(base) + "AND h.path >= $3 AND h.path < $4 ORDER BY h.path",
                                      lo, hi, ulo, uhi))
          if (seen.insert(r.i64("id")).second) ids.push_back(r.i64("id"));
      }
    } else if (const auto* tag = sel.if_contains("tag")) {
      if (!tag->is_string() || tag->as_string().empty())
        throw unprocessable("campaign.bad_select", "select");
      for (const auto& r : tx.query(
               std::string(base) +
                   "AND EXISTS (SELECT 1 FROM household_members m JOIN resident_tags t ON "
                   "t.resident_id = m.resident_id WHERE m.household_id = h.id AND t.tag = $3) ORDER "
                   "BY h.path",
               lo, hi, std::string(tag->as_string())))
        ids.push_back(r.i64("id"));
    } else if (const auto* codes = sel.if_contains("household_codes")) {
      if (!codes->is_array() || codes->as_array().empty() || codes->as_array().size() > 20000)
        throw unprocessable("campaign.bad_select", "select");
      std::vector<std::string> bad;
      std::set<std::int64_t> seen;
      for (const auto& x : codes->as_array()) {
        if (!x.is_string()) throw unprocessable("campaign.bad_select", "select");
        auto r = tx.query_one(std::string(base) + "AND h.code = $3", lo, hi,
                              std::string(x.as_string()));
        if (!r) {
          if (bad.size() < 20) bad.emplace_back(x.as_string());
          continue;
        }
        if (seen.insert(r->i64("id")).second) ids.push_back(r->i64("id"));
      }
      if (!bad.empty()) {
        std::string list;
        for (const auto& b : bad) list += (list.empty() ? "" : "、") + b;
        throw unprocessable("campaign.bad_codes", list);
      }
    } else {
      throw unprocessable("campaign.bad_select", "select");
    }
    if (ids.empty()) throw unprocessable("campaign.empty", "select");
    Millis now = now_ms();
    auto id = tx.query_one(
                    "INSERT INTO campaigns (title, description, place_id, path, form, selection, "
                    "status, households, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
                    "'active', $7, $8, $9) RETURNING id",
                    title, description, place_id, pl->str("path"), form, json::serialize(sel),
                    static_cast<std::int64_t>(ids.size()), p.user_id, now)
                  ->i64("id");
    for (auto h : ids)
      tx.exec(
          "INSERT INTO campaign_households (campaign_id, household_id, path, grid_path, "
          "building_id) SELECT $1, h.id, h.path, h.grid_path, b.id FROM places h JOIN places u ON "
          "u.id = h.parent_id LEFT JOIN places b ON b.id = u.parent_id AND b.kind = 'building' "
          "WHERE h.id = $2",
          id, h);
    audit::append(tx, actor, {"campaign.create", "campaign", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"households", ids.size()}})});
    auto c = *tx.query_one(std::string(kCampaign) + "WHERE c.id = $1", id);
    changed(tx, events_, actor, c, "created");
    return view(tx, p, c, true);
  });
}

api::Listed Campaigns::list(const api::Principal& p, const std::optional<std::string>& status,
                            const api::Page& page) const {
  if (status && *status != "active" && *status != "closed")
    throw bad_request("request.bad_query", "status");
  return db_.read([&](Tx& tx) {
    std::vector<std::string> lines;
    for (const auto& g : p.grants)
      if (api::grant_has(g, "grid.read")) lines.push_back(g.place_path);
    if (lines.empty()) throw forbidden("auth.permission_denied");
    api::ListQuery l("campaigns c");
    std::string cond;
    std::vector<storage::Param> values;
    for (const auto& path : lines) {
      if (!cond.empty()) cond += " OR ";
      cond += "c.path LIKE ? || '%' OR ? LIKE c.path || '%'";
      values.emplace_back(path);
      values.emplace_back(path);
    }
    l.where(cond, values).where_if("c.status = ?", status);
    l.sort({{"created_at", "c.created_at"}, {"id", "c.id"}}, std::nullopt, "-id").page(page);
    auto found = l.rows(tx, "c.id");
    json::array items;
    for (const auto& r : found.rows)
      items.push_back(
          view(tx, p, *tx.query_one(std::string(kCampaign) + "WHERE c.id = $1", r.i64("id")), false));
    return api::Listed{std::move(items), found.total};
  });
}

json::object Campaigns::get(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) { return view(tx, p, load(tx, p, id), true); });
}

json::object Campaigns::close(const api::Principal& p, const api::Actor& actor,
                              std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    auto c = load(tx, p, id);
    api::require_in_scope(p, "campaign.manage", c.str("path"));
    if (tx.exec("UPDATE campaigns SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = "
                "'active'",
                id, now_ms()) == 0)
      throw conflict("campaign.closed");
    audit::append(tx, actor, {"campaign.close", "campaign", std::to_string(id), std::nullopt, std::nullopt});
    changed(tx, events_, actor, c, "closed");
    return view(tx, p, *tx.query_one(std::string(kCampaign) + "WHERE c.id = $1", id), true);
  });
}

api::Listed Campaigns::households(const api::Principal& p, std::int64_t id,
                                  std::optional<std::int64_t> grid_id,
                                  std::optional<std::int64_t> building_id,
                                  const std::optional<std::string>& outcome,
                                  const api::Page& page) const {
  if (outcome && *outcome != "pending" && label_of(outcomes(), *outcome, Lang::zh_CN) == *outcome)
    throw bad_request("request.bad_query", "outcome");
  return db_.read([&](Tx& tx) {
    load(tx, p, id);
    api::ListQuery l(
        "campaign_households h JOIN places hh ON hh.id = h.household_id LEFT JOIN places b ON b.id "
        "= h.building_id LEFT JOIN places g ON g.path = h.grid_path LEFT JOIN users u ON u.id = "
        "h.visited_by");
    l.where("h.campaign_id = ?", {id}).scope(p, "grid.read", {"h.path", "h.grid_path"});
    if (grid_id) {
      auto g = tx.query_one("SELECT path FROM places WHERE id = $1", *grid_id);
      if (!g) throw bad_request("request.bad_query", "grid_id");
      l.where("h.grid_path = ?", {g->str("path")});
    }
    l.where_if("h.building_id = ?", building_id);
    if (outcome && *outcome == "pending") l.where("h.outcome IS NULL");
    else l.where_if("h.outcome = ?", outcome);
    l.sort({{"household", "hh.path"}}, std::nullopt, "household").page(page);
    auto found = l.rows(tx,
                        "h.*, hh.name AS household_name, hh.code AS household_code, b.name AS "
                        "building_name, g.name AS grid_name, u.display_name AS visitor");
    json::array items;
    for (const auto& r : found.rows) {
      auto opt = [&](const char* k) {
        auto v = r.opt_str(k);
        return v ? json::value(*v) : json::value(nullptr);
      };
      items.push_back({{"household_id", r.i64("household_id")},
                       {"household", r.str("household_name")},
                       {"code", opt("household_code")},
                       {"building", opt("building_name")},
                       {"grid", opt("grid_name")},
                       {"outcome", opt("outcome")},
                       {"note", opt("note")},
                       {"answers", json::parse(r.str("answers"))},
                       {"visits", r.i64("visits")},
                       {"visitor", opt("visitor")},
                       {"visited_at", nullable_time(r.opt_i64("visited_at"))},
                       {"may_record", api::in_scope_any(p, "campaign.visit",
                                                        {r.str("path"), r.opt_str("grid_path").value_or("")})}});
    }
    return api::Listed{std::move(items), found.total};
  });
}

json::object Campaigns::record(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                               std::int64_t household_id, const std::string& body) const {
  JsonInput in(body, {"outcome", "note", "answers"});
  auto outcome = in.str("outcome", 20);
  if (label_of(outcomes(), outcome, Lang::zh_CN) == outcome)
    throw unprocessable("campaign.bad_outcome", "outcome");
  auto note = in.opt_str("note", 500);
  if (outcome == "follow_up" && (!note || note->empty()))
    throw unprocessable("campaign.note_required", "note");
  auto doc = json::parse(body).as_object();
  return db_.write([&](Tx& tx) {
    auto c = load(tx, p, id);
    auto h = tx.query_one(
        "SELECT * FROM campaign_households WHERE campaign_id = $1 AND household_id = $2", id,
        household_id);
    if (!h || !api::in_scope_any(p, "grid.read", {h->str("path"), h->opt_str("grid_path").value_or("")}))
      throw not_found("campaign.household_not_found");
    api::require_in_scope_any(p, "campaign.visit", {h->str("path"), h->opt_str("grid_path").value_or("")});
    if (c.str("status") != "active") throw conflict("campaign.closed");
    auto answers = check_answers(doc.if_contains("answers"), json::parse(c.str("form")).as_array());
    Millis now = now_ms();
    tx.exec(
        "UPDATE campaign_households SET outcome = $3, note = $4, answers = $5, visits = visits + 1, "
        "visited_by = $6, visited_at = $7 WHERE campaign_id = $1 AND household_id = $2",
        id, household_id, outcome, note, answers, p.user_id, now);
    audit::append(tx, actor, {"campaign.record", "campaign", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"household_id", household_id},
                                                           {"outcome", outcome}})});
    changed(tx, events_, actor, c, "recorded");
    return view(tx, p, c, false);
  });
}

}  // namespace xh::grid
