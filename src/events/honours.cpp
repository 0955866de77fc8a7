// Honours (EVT-3): rounds, nominations, review, the public vote and its
// guard against ballot stuffing (刷票), and the result.
#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "events/events.h"
#include "events/shared.h"
#include "workorders/subject_photos.h"

namespace xh::events {

namespace json = boost::json;

namespace {

// The anomaly report: this many votes from one address within the window is a burst …
constexpr std::int64_t kBurstVotes = 5;
constexpr Millis kBurstWindow = 10 * kMinute;
// … and this many accounts made within an hour of each other, lately, a cluster.
constexpr std::int64_t kClusterAccounts = 5;
constexpr Millis kClusterWindow = kHour;
constexpr Millis kNewAccount = 7 * kDay;  // made this long before voting opened, or after
constexpr std::size_t kMaxIdsShown = 500;

std::optional<Row> round_row(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT r.*, pl.name AS place_name FROM honour_rounds r JOIN places pl ON "
                      "pl.id = r.place_id WHERE r.id = $1",
                      id);
}

bool manages(const api::Principal& p, const Row& r) {
  return api::in_scope(p, "honour.manage", r.str("path"));
}

Row load_round(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = round_row(tx, id);
  if (!r || !(on_line(p, "honour.manage", r->str("path")) || on_line(p, "honour.vote", r->str("path"))))
    throw not_found("honour.not_found");
  return *r;
}

Row require_manage(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = load_round(tx, p, id);
  if (!manages(p, r)) throw forbidden("auth.scope_denied", "honour.manage");
  return r;
}

// The household a verified resident votes from: their resident grant within the round's place.
std::optional<std::int64_t> household_of(const api::Principal& p, const std::string& path) {
  for (const auto& g : p.grants)
    if (g.role == "resident" && api::grant_has(g, "honour.vote") && g.place_path.rfind(path, 0) == 0 &&
        g.place_kind == "household")
      return g.place_id;
  return std::nullopt;
}

json::object round_view(const Row& r) {
  return {{"id", r.i64("id")},
          {"title", r.str("title")},
          {"kind", r.str("kind")},
          {"description", nullable(r.opt_str("description"))},
          {"status", r.str("status")},
          {"place", {{"id", r.i64("place_id")}, {"name", r.str("place_name")}}},
          {"residents_nominate", r.flag("residents_nominate")},
          {"votes_per_voter", r.i64("votes_per_voter")},
          {"household_cap", nullable(r.opt_i64("household_cap"))},
          {"exclude_new_accounts", r.flag("exclude_new_accounts")},
          {"per_address_per_minute", r.i64("per_address_per_minute")},
          {"criteria", json::parse(r.str("criteria"))},
          {"voting_opened_at", nullable_time(r.opt_i64("voting_opened_at"))},
          {"voting_closed_at", nullable_time(r.opt_i64("voting_closed_at"))},
          {"published_at", nullable_time(r.opt_i64("published_at"))}};
}

// The SQL condition of a vote that counts: not void, and not from an account
// made after voting opened where the round excludes those.
std::string counts(const Row& r) {
  std::string c = "v.voided_at IS NULL";
  if (r.flag("exclude_new_accounts") && r.opt_i64("voting_opened_at"))
    c += " AND v.account_created_at <= " + std::to_string(*r.opt_i64("voting_opened_at"));
  return c;
}

json::object nominee_view(const Row& n, bool staff) {
  json::value org = nullptr, grid = nullptr;
  if (auto o = n.opt_i64("org_id")) org = *o;
  if (auto g = n.opt_i64("grid_id")) grid = *g;
  json::object out{{"id", n.i64("id")},
                   {"round_id", n.i64("round_id")},
                   {"name", n.str("name")},
                   {"org_id", org},
                   {"grid_id", grid},
                   {"text", n.str("text")},
                   {"photos", workorders::photos_json(n.str("photos"))},
                   {"status", n.str("status")},
                   {"scores", json::parse(n.str("scores"))},
                   {"score_total", n.i64("score_total")}};
  if (staff) out["review_note"] = nullable(n.opt_str("review_note"));
  return out;
}

json::array read_criteria(const std::string& body) {
  json::array out;
  auto doc = json::parse(body).as_object();  // checked by JsonInput: an object
  const auto* v = doc.if_contains("criteria");
  if (!v || v->is_null()) return out;
  static const std::regex key("[a-z][a-z0-9_]{0,19}");
  if (!v->is_array() || v->as_array().size() > 10) throw unprocessable("honour.bad_criteria", "criteria");
  std::set<std::string> keys;
  for (const auto& c : v->as_array()) {
    if (!c.is_object()) throw unprocessable("honour.bad_criteria", "criteria");
    const auto& o = c.as_object();
    const auto* k = o.if_contains("key");
    const auto* l = o.if_contains("label");
    const auto* m = o.if_contains("max");
    if (!k || !k->is_string() || !std::regex_match(std::string(k->as_string()), key) ||
        !keys.insert(std::string(k->as_string())).second || !l || !l->is_string() ||
        l->as_string().empty() || l->as_string().size() > 120 || !m || !m->is_int64() ||
        m->as_int64() < 1 || m->as_int64() > 100 || o.size() != 3)
      throw unprocessable("honour.bad_criteria", "criteria");
    out.push_back(c);
  }
  return out;
}

}  // namespace

json::object Honours::create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body) const {
  JsonInput in(body, {"place_id", "title", "kind", "description", "residents_nominate",
                      "votes_per_voter", "household_cap", "exclude_new_accounts",
                      "per_address_per_minute", "criteria"});
  auto place_id = in.i64("place_id");
  auto title = in.str("title", 100);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto kind = in.str("kind", 20);
  bool known = false;
  for (const auto& l : honour_kinds()) known = known || l.key == kind;
  if (!known) throw unprocessable("honour.bad_kind", "kind");
  auto description = in.opt_str("description", 4000);
  auto nominate = in.opt_bool("residents_nominate").value_or(true);
  auto per_voter = in.opt_i64("votes_per_voter").value_or(1);
  if (per_voter < 1 || per_voter > 20) throw unprocessable("honour.bad_limits", "votes_per_voter");
  auto cap = in.opt_i64("household_cap");
  if (cap && (*cap < 1 || *cap > 100)) throw unprocessable("honour.bad_limits", "household_cap");
  auto exclude = in.opt_bool("exclude_new_accounts").value_or(true);
  auto rate = in.opt_i64("per_address_per_minute").value_or(20);
  if (rate < 1 || rate > 10000) throw unprocessable("honour.bad_limits", "per_address_per_minute");
  auto criteria = read_criteria(body);
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto pl = tx.query_one("SELECT id, path FROM places WHERE id = $1 AND archived_at IS NULL", place_id);
    if (!pl) throw unprocessable("honour.bad_place", "place_id");
    if (!api::in_scope(p, "honour.manage", pl->str("path")))
      throw forbidden("auth.scope_denied", "honour.manage");
    auto id = tx.query_one(
                    "INSERT INTO honour_rounds (place_id, path, title, kind, description, status, "
                    "residents_nominate, votes_per_voter, household_cap, exclude_new_accounts, "
                    "per_address_per_minute, criteria, created_by, created_at, updated_at) VALUES "
                    "($1, $2, $3, $4, $5, 'nominating', $6, $7, $8, $9, $10, $11, $12, $13, $13) "
                    "RETURNING id",
                    place_id, pl->str("path"), title, kind, description, nominate ? 1 : 0,
                    per_voter, cap, exclude ? 1 : 0, rate, json::serialize(criteria), p.user_id, now)
                  ->i64("id");
    audit::append(tx, actor, {"honour.create", "honour_round", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"title", title}})});
    return round_view(*round_row(tx, id));
  });
}

json::object Honours::set_status(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body) const {
  JsonInput in(body, {"status"});
  auto status = in.str("status", 20);
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto r = require_manage(tx, p, id);
    const auto& from = r.str("status");
    if (!((from == "nominating" && status == "voting") || (from == "voting" && status == "closed") ||
          (from == "closed" && status == "published")))
      throw conflict("honour.bad_transition");
    if (status == "voting" &&
        !tx.query_one("SELECT 1 AS x FROM honour_nominees WHERE round_id = $1 AND status = 'approved'", id))
      throw conflict("honour.no_nominees");
    const char* column = status == "voting" ? "voting_opened_at"
                         : status == "closed" ? "voting_closed_at"
                                              : "published_at";
    tx.exec(std::string("UPDATE honour_rounds SET status = $2, ") + column +
                " = $3, updated_at = $3 WHERE id = $1",
            id, status, now);
    audit::append(tx, actor, {"honour.status", "honour_round", std::to_string(id),
                              json::serialize(json::object{{"status", from}}),
                              json::serialize(json::object{{"status", status}})});
    emit(tx, events_, actor, "honour.changed", "honour_round", id, r.str("path"), {{"status", status}});
    return round_view(*round_row(tx, id));
  });
}

json::array Honours::list(const api::Principal& p, Lang) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& r : tx.query("SELECT r.*, pl.name AS place_name FROM honour_rounds r JOIN "
                                  "places pl ON pl.id = r.place_id ORDER BY r.id DESC")) {
      // Rounds are few (a handful a year a community): read them all, keep the caller's.
      if (!on_line(p, "honour.manage", r.str("path")) && !on_line(p, "honour.vote", r.str("path")))
        continue;
      bool staff = manages(p, r);
      auto v = round_view(r);
      v["nominees"] = tx.query_one("SELECT COUNT(*) AS n FROM honour_nominees WHERE round_id = $1 "
                                   "AND status = 'approved'",
                                   r.i64("id"))
                          ->i64("n");
      if (staff)
        v["pending"] = tx.query_one("SELECT COUNT(*) AS n FROM honour_nominees WHERE round_id = $1 "
                                    "AND status = 'pending'",
                                    r.i64("id"))
                           ->i64("n");
      out.push_back(std::move(v));
    }
    return out;
  });
}

json::object Honours::get(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) {
    auto r = load_round(tx, p, id);
    bool staff = manages(p, r);
    auto out = round_view(r);
    bool show_counts = staff || r.str("status") == "published";
    std::map<std::int64_t, std::int64_t> tally;
    if (show_counts)
      for (const auto& c : tx.query("SELECT v.nominee_id, COUNT(*) AS n FROM honour_votes v WHERE "
                                    "v.round_id = $1 AND " + counts(r) + " GROUP BY v.nominee_id",
                                    id))
        tally[c.i64("nominee_id")] = c.i64("n");
    json::array nominees;
    for (const auto& n : tx.query("SELECT * FROM honour_nominees WHERE round_id = $1 AND (status = "
                                  "'approved' OR $2 = 1 OR nominated_by = $3) ORDER BY id",
                                  id, staff ? 1 : 0, p.user_id)) {
      auto v = nominee_view(n, staff);
      v["mine"] = n.opt_i64("nominated_by") == p.user_id;
      v["votes"] = show_counts ? json::value(tally[n.i64("id")]) : json::value(nullptr);
      nominees.push_back(std::move(v));
    }
    out["nominees"] = std::move(nominees);
    json::array mine;
    for (const auto& v : tx.query("SELECT nominee_id FROM honour_votes WHERE round_id = $1 AND user_id = $2",
                                  id, p.user_id))
      mine.push_back(v.i64("nominee_id"));
    out["votes_left"] = r.i64("votes_per_voter") - static_cast<std::int64_t>(mine.size());
    out["my_votes"] = std::move(mine);
    out["can_vote"] = household_of(p, r.str("path")).has_value();
    out["can_manage"] = staff;
    if (staff) {
      auto t = tx.query_one(
          "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN v.voided_at IS NOT NULL THEN 1 ELSE 0 "
          "END), 0) AS voided, COALESCE(SUM(CASE WHEN " + counts(r) +
              " THEN 1 ELSE 0 END), 0) AS valid FROM honour_votes v WHERE v.round_id = $1",
          id);
      out["totals"] = {{"votes", t->i64("total")},
                       {"voided", t->i64("voided")},
                       {"valid", t->i64("valid")},
                       {"excluded", t->i64("total") - t->i64("voided") - t->i64("valid")}};
    }
    return out;
  });
}

json::object Honours::nominate(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                               const std::string& body) const {
  JsonInput in(body, {"name", "text", "photos", "org_id", "grid_id"});
  auto name = in.str("name", 60);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto text = in.str("text", 2000);
  if (text.empty()) throw unprocessable("request.missing_field", "text");
  auto photos = in.opt_str_array("photos", 9, 64).value_or(std::vector<std::string>{});
  auto org = in.opt_i64("org_id");
  auto grid = in.opt_i64("grid_id");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto r = load_round(tx, p, id);
    bool staff = manages(p, r);
    if (!staff) {
      if (!r.flag("residents_nominate") || !household_of(p, r.str("path")))
        throw forbidden("auth.scope_denied", "honour.vote");
    }
    if (r.str("status") != "nominating") throw conflict("honour.not_nominating");
    if (org && !tx.query_one("SELECT 1 AS x FROM orgs WHERE id = $1 AND archived_at IS NULL", *org))
      throw unprocessable("honour.bad_org", "org_id");
    if (grid && !tx.query_one("SELECT 1 AS x FROM places WHERE id = $1 AND kind = 'grid' AND path "
                              "LIKE $2 || '%'",
                              *grid, r.str("path")))
      throw unprocessable("honour.bad_grid", "grid_id");
    auto nid = tx.query_one("INSERT INTO honour_nominees (round_id, name, org_id, grid_id, text, "
                            "status, nominated_by, created_at, updated_at) VALUES ($1, $2, $3, $4, "
                            "$5, 'pending', $6, $7, $7) RETURNING id",
                            id, name, org, grid, text, p.user_id, now)
                   ->i64("id");
    workorders::attach_to_subject(tx, photos, p.user_id, "honour_nominee", nid);
    tx.exec("UPDATE honour_nominees SET photos = $2 WHERE id = $1", nid,
            workorders::photo_ids_json(photos));
    audit::append(tx, actor, {"honour.nominate", "honour_nominee", std::to_string(nid), std::nullopt,
                              json::serialize(json::object{{"round_id", id}, {"name", name}})});
    return nominee_view(*tx.query_one("SELECT * FROM honour_nominees WHERE id = $1", nid), staff);
  });
}

json::object Honours::review(const api::Principal& p, const api::Actor& actor,
                             std::int64_t nominee_id, const std::string& body) const {
  JsonInput in(body, {"approve", "note"});
  bool approve = in.boolean("approve");
  auto note = in.opt_str("note", 300);
  if (!approve && (!note || note->empty())) throw unprocessable("honour.reason_required", "note");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto n = tx.query_one("SELECT * FROM honour_nominees WHERE id = $1", nominee_id);
    if (!n) throw not_found("honour.nominee_not_found");
    auto r = require_manage(tx, p, n->i64("round_id"));
    if (r.str("status") != "nominating") throw conflict("honour.not_nominating");
    tx.exec("UPDATE honour_nominees SET status = $2, review_note = $3, reviewed_by = $4, "
            "updated_at = $5 WHERE id = $1",
            nominee_id, approve ? "approved" : "rejected", note, p.user_id, now);
    audit::append(tx, actor, {approve ? "honour.approve" : "honour.reject", "honour_nominee",
                              std::to_string(nominee_id), std::nullopt,
                              json::serialize(json::object{{"note", nullable(note)}})});
    json::array notify;
    if (auto by = n->opt_i64("nominated_by"); by && *by != p.user_id)
      notify.push_back(notice(*by, "honour.reviewed",
                              approve ? "honour.notice.approved" : "honour.notice.rejected",
                              {{"round", r.str("title")}, {"name", n->str("name")}},
                              "honour_round", r.i64("id")));
    emit(tx, events_, actor, "honour.changed", "honour_round", r.i64("id"), r.str("path"), {},
         std::move(notify));
    return nominee_view(*tx.query_one("SELECT * FROM honour_nominees WHERE id = $1", nominee_id), true);
  });
}

json::object Honours::set_scores(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t nominee_id, const std::string& body) const {
  JsonInput in(body, {"scores"});
  auto doc = json::parse(body).as_object();  // checked by JsonInput: an object
  const auto* v = doc.if_contains("scores");
  if (!v || !v->is_object()) throw unprocessable("honour.bad_scores", "scores");
  auto given = v->as_object();
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto n = tx.query_one("SELECT * FROM honour_nominees WHERE id = $1", nominee_id);
    if (!n) throw not_found("honour.nominee_not_found");
    auto r = require_manage(tx, p, n->i64("round_id"));
    if (r.str("status") == "published") throw conflict("honour.published");
    auto criteria = json::parse(r.str("criteria")).as_array();
    if (criteria.empty()) throw conflict("honour.no_criteria");
    json::object scores;
    std::int64_t total = 0;
    for (const auto& c : criteria) {
      std::string key(c.at("key").as_string());
      auto max = c.at("max").as_int64();
      const auto* s = given.if_contains(key);
      if (!s) continue;
      if (!s->is_int64() || s->as_int64() < 0 || s->as_int64() > max)
        throw unprocessable("honour.bad_scores", key);
      scores[key] = s->as_int64();
      total += s->as_int64();
    }
    if (scores.size() != given.size()) throw unprocessable("honour.bad_scores", "scores");
    tx.exec("UPDATE honour_nominees SET scores = $2, score_total = $3, updated_at = $4 WHERE id = $1",
            nominee_id, json::serialize(scores), total, now);
    audit::append(tx, actor, {"honour.score", "honour_nominee", std::to_string(nominee_id),
                              n->str("scores"), json::serialize(scores)});
    return nominee_view(*tx.query_one("SELECT * FROM honour_nominees WHERE id = $1", nominee_id), true);
  });
}

json::object Honours::vote(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body) const {
  JsonInput in(body, {"nominee_id"});
  auto nominee_id = in.i64("nominee_id");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto r = load_round(tx, p, id);
    auto household = household_of(p, r.str("path"));
    if (!household) throw forbidden("honour.not_voter");
    if (r.str("status") != "voting") throw conflict("honour.not_voting");
    if (!tx.query_one("SELECT 1 AS x FROM honour_nominees WHERE id = $1 AND round_id = $2 AND "
                      "status = 'approved'",
                      nominee_id, id))
      throw unprocessable("honour.bad_nominee", "nominee_id");
    if (tx.query_one("SELECT 1 AS x FROM honour_votes WHERE round_id = $1 AND user_id = $2 AND "
                     "nominee_id = $3",
                     id, p.user_id, nominee_id))
      throw conflict("honour.already_voted");
    auto recent = tx.query_one("SELECT COUNT(*) AS n FROM honour_votes WHERE round_id = $1 AND "
                               "address = $2 AND created_at > $3",
                               id, actor.ip, now - kMinute);
    if (recent->i64("n") >= r.i64("per_address_per_minute")) throw Error(429, "honour.rate_limited");
    // The voter's and the household's ballots: taken with their limit in one
    // statement each, so concurrent votes wait their turn and cannot pass it.
    auto take = [&](const std::string& who, std::int64_t limit) {
      return tx.exec("INSERT INTO honour_ballots (round_id, voter, used) VALUES ($1, $2, 1) ON "
                     "CONFLICT (round_id, voter) DO UPDATE SET used = honour_ballots.used + 1 "
                     "WHERE honour_ballots.used < $3",
                     id, who, limit) == 1;
    };
    if (!take("u:" + std::to_string(p.user_id), r.i64("votes_per_voter")))
      throw conflict("honour.no_votes_left");
    if (auto cap = r.opt_i64("household_cap"); cap && !take("h:" + std::to_string(*household), *cap))
      throw conflict("honour.household_cap");
    auto created = tx.query_one("SELECT created_at FROM users WHERE id = $1", p.user_id)->i64("created_at");
    if (tx.exec("INSERT INTO honour_votes (round_id, nominee_id, user_id, household_id, address, "
                "account_created_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT "
                "(round_id, user_id, nominee_id) DO NOTHING",
                id, nominee_id, p.user_id, *household, actor.ip, created, now) != 1)
      throw conflict("honour.already_voted");
    auto used = tx.query_one("SELECT used FROM honour_ballots WHERE round_id = $1 AND voter = $2", id,
                             "u:" + std::to_string(p.user_id))
                    ->i64("used");
    return json::object{{"round_id", id}, {"nominee_id", nominee_id},
                        {"votes_left", r.i64("votes_per_voter") - used}};
  });
}

json::object Honours::anomalies(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    auto r = require_manage(tx, p, id);
    auto votes = tx.query("SELECT id, address, user_id, account_created_at, created_at, voided_at "
                          "FROM honour_votes WHERE round_id = $1 ORDER BY address, created_at, id",
                          id);
    // Bursts: the widest run of votes from one address within the window.
    json::array bursts;
    for (std::size_t i = 0; i < votes.size();) {
      std::size_t j = i;
      while (j < votes.size() && votes[j].str("address") == votes[i].str("address")) ++j;
      // [i, j) is one address; slide a window over it and merge overlapping runs.
      std::size_t lo = i;
      std::optional<std::pair<std::size_t, std::size_t>> run;
      auto flush = [&] {
        if (!run) return;
        json::array ids;
        std::set<std::int64_t> users;
        std::int64_t voided = 0;
        for (auto k = run->first; k < run->second; ++k) {
          if (ids.size() < kMaxIdsShown) ids.push_back(votes[k].i64("id"));
          users.insert(votes[k].i64("user_id"));
          if (votes[k].opt_i64("voided_at")) ++voided;
        }
        bursts.push_back({{"address", votes[run->first].str("address")},
                          {"from", iso8601(votes[run->first].i64("created_at"))},
                          {"to", iso8601(votes[run->second - 1].i64("created_at"))},
                          {"votes", static_cast<std::int64_t>(run->second - run->first)},
                          {"voters", static_cast<std::int64_t>(users.size())},
                          {"voided", voided},
                          {"vote_ids", std::move(ids)}});
        run.reset();
      };
      for (std::size_t hi = i; hi < j; ++hi) {
        while (votes[hi].i64("created_at") - votes[lo].i64("created_at") > kBurstWindow) ++lo;
        if (static_cast<std::int64_t>(hi - lo + 1) >= kBurstVotes) {
          if (run && lo <= run->second) run->second = hi + 1;
          else {
            flush();
            run = std::make_pair(lo, hi + 1);
          }
        }
      }
      flush();
      i = j;
    }
    // Clusters: accounts made lately, close together, that voted.
    Millis opened = r.opt_i64("voting_opened_at").value_or(now_ms());
    std::map<std::int64_t, Millis> accounts;  // user → made
    for (const auto& v : votes)
      if (v.i64("account_created_at") >= opened - kNewAccount)
        accounts[v.i64("user_id")] = v.i64("account_created_at");
    std::vector<std::pair<Millis, std::int64_t>> made;
    for (const auto& [u, at] : accounts) made.emplace_back(at, u);
    std::sort(made.begin(), made.end());
    json::array clusters;
    for (std::size_t i = 0; i < made.size();) {
      std::size_t j = i + 1;
      while (j < made.size() && made[j].first - made[j - 1].first <= kClusterWindow) ++j;
      if (static_cast<std::int64_t>(j - i) >= kClusterAccounts) {
        std::set<std::int64_t> users;
        for (auto k = i; k < j; ++k) users.insert(made[k].second);
        json::array ids;
        std::int64_t n = 0, voided = 0;
        for (const auto& v : votes)
          if (users.count(v.i64("user_id"))) {
            ++n;
            if (v.opt_i64("voided_at")) ++voided;
            if (ids.size() < kMaxIdsShown) ids.push_back(v.i64("id"));
          }
        clusters.push_back({{"accounts_from", iso8601(made[i].first)},
                            {"accounts_to", iso8601(made[j - 1].first)},
                            {"accounts", static_cast<std::int64_t>(j - i)},
                            {"after_opening", made[i].first > opened},
                            {"votes", n},
                            {"voided", voided},
                            {"vote_ids", std::move(ids)}});
      }
      i = j;
    }
    return json::object{{"round_id", id},
                        {"votes", static_cast<std::int64_t>(votes.size())},
                        {"bursts", std::move(bursts)},
                        {"clusters", std::move(clusters)},
                        {"burst_votes", kBurstVotes},
                        {"burst_minutes", kBurstWindow / kMinute},
                        {"cluster_accounts", kClusterAccounts}};
  });
}

json::object Honours::void_votes(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body) const {
  JsonInput in(body, {"vote_ids", "reason"});
  auto ids = in.opt_id_array("vote_ids", 5000);
  if (!ids || ids->empty()) throw unprocessable("request.missing_field", "vote_ids");
  auto reason = in.str("reason", 200);
  if (reason.empty()) throw unprocessable("honour.reason_required", "reason");
  Millis now = now_ms();
  return db_.write([&](Tx& tx) {
    auto r = require_manage(tx, p, id);
    if (r.str("status") == "published") throw conflict("honour.published");
    std::int64_t voided = 0;
    for (auto v : std::set<std::int64_t>(ids->begin(), ids->end())) {
      auto row = tx.query_one("SELECT voided_at FROM honour_votes WHERE id = $1 AND round_id = $2", v, id);
      if (!row) throw unprocessable("honour.bad_votes", "vote_ids");
      if (row->opt_i64("voided_at")) continue;
      voided += tx.exec("UPDATE honour_votes SET voided_at = $2, void_reason = $3 WHERE id = $1", v,
                        now, reason);
    }
    audit::append(tx, actor, {"honour.void", "honour_round", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"voided", voided}, {"reason", reason}})});
    return json::object{{"voided", voided}};
  });
}

void require_nominee(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto n = tx.query_one("SELECT round_id, status, nominated_by FROM honour_nominees WHERE id = $1", id);
  if (!n) throw not_found("honour.nominee_not_found");
  auto r = load_round(tx, p, n->i64("round_id"));
  if (n->str("status") != "approved" && !manages(p, r) && n->opt_i64("nominated_by") != p.user_id)
    throw not_found("honour.nominee_not_found");
}

}  // namespace xh::events
