// Owners' votes in the app: called, opened on a frozen roll, voted, decided.
#include "votes/owner_votes.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "core/labels.h"
#include "people/identity.h"
#include "places/places.h"
#include "places/reach.h"
#include "print/pdf.h"
#include "schedule/schedule.h"
#include "votes/store.h"
#include "votes/tally.h"
#include "workorders/photos.h"
#include "workorders/subject_photos.h"

namespace xh::votes {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The caller reaches a vote at `path` as places::reaches says for owner_vote.read: over it, over a
// place under it (a building leader's building, a resident's household), or over a grid governing it
// or a building under it.
bool reaches(Tx& tx, const api::Principal& p, const std::string& path) {
  return places::reaches(tx, p, "owner_vote.read", path, std::nullopt);
}

Row load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto v = store::vote(tx, id);
  if (!v || !reaches(tx, p, v->str("path"))) throw not_found("vote.not_found");
  // A draft is the staff's until it opens.
  if (v->str("status") == "draft" && !api::in_scope(p, "owner_vote.manage", v->str("path")))
    throw not_found("vote.not_found");
  return *v;
}

Row managed(Tx& tx, const api::Principal& p, std::int64_t id) {
  Row v = load(tx, p, id);
  api::require_in_scope(p, "owner_vote.manage", v.str("path"));
  return v;
}

// The households under `path` the caller votes for: those their owner_vote.cast role is held over.
std::vector<std::int64_t> own_households(const api::Principal& p, const std::string& path) {
  std::vector<std::int64_t> out;
  for (const auto& g : p.grants)
    if (g.place_kind == "household" && api::grant_has(g, "owner_vote.cast") && starts_with(g.place_path, path))
      out.push_back(g.place_id);
  return out;
}

std::string owner_key(const Row& h) {
  if (h.flag("developer")) return "developer";
  if (auto buyer = h.opt_str("buyer"); buyer && !buyer->empty()) return "buyer:" + *buyer;
  return "h:" + std::to_string(h.i64("id"));
}

// The roll as it would be frozen now.
struct Roll {
  std::vector<store::RollEntry> entries;
  std::int64_t total_area = 0, owners = 0, missing_area = 0;
};
// "2号楼" before "10号楼": names compared with their runs of digits as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && a[i2] == '0') ++i2;
      while (j2 < b.size() && b[j2] == '0') ++j2;
      std::size_t ie = i2, je = j2;
      while (ie < a.size() && digit(a[ie])) ++ie;
      while (je < b.size() && digit(b[je])) ++je;
      if (ie - i2 != je - j2) return ie - i2 < je - j2;
      int c = a.compare(i2, ie - i2, b, j2, je - j2);
      if (c != 0) return c < 0;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

Roll roll_of(Tx& tx, const std::string& path) {
  std::map<std::int64_t, std::string> buildings;  // id → name, to look up along a path
  for (const auto& b : store::buildings(tx, path)) buildings[b.i64("id")] = b.str("name");
  Roll r;
  std::set<std::string> owners;
  for (const auto& h : store::households(tx, path)) {
    auto area = h.opt_i64("area_centi_m2");
    if (!area || *area <= 0) {
      ++r.missing_area;
      continue;
    }
    store::RollEntry e;
    for (auto id : api::path_ids(h.str("path")))
      if (auto b = buildings.find(id); b != buildings.end()) {
        e.building_id = id;
        e.building = b->second;
      }
    e.household_id = h.i64("id");
    e.path = h.str("path");
    e.grid_path = h.opt_str("grid_path");
    e.unit = h.opt_str("unit");
    e.household = h.str("name");
    e.area = *area;
    e.owner_key = owner_key(h);
    owners.insert(e.owner_key);
    r.total_area += *area;
    r.entries.push_back(std::move(e));
  }
  // The order the doors are walked in: building, unit, household.
  std::stable_sort(r.entries.begin(), r.entries.end(), [](const store::RollEntry& a, const store::RollEntry& b) {
    auto key = [](const store::RollEntry& e) {
      return std::array<std::string, 3>{e.building.value_or(""), e.unit.value_or(""), e.household};
    };
    auto ka = key(a), kb = key(b);
    for (int k = 0; k < 3; ++k) {
      if (natural_less(ka[k], kb[k])) return true;
      if (natural_less(kb[k], ka[k])) return false;
    }
    return false;
  });
  r.owners = static_cast<std::int64_t>(owners.size());
  return r;
}

// Open, and before its deadline (the job that closes it may not have run yet).
void require_open(const Row& v) {
  if (v.str("status") != "open") throw conflict("vote.not_open");
  if (now_ms() > v.i64("closes_at")) throw conflict("vote.past_deadline");
}

Sums sums_of(const Row& v) {
  return {v.opt_i64("total_area").value_or(0),  v.i64("participating_area"), v.i64("agreeing_area"),
          v.opt_i64("total_owners").value_or(0), v.i64("participating_owners"), v.i64("agreeing_owners")};
}

// "2030-01-31 18:00" in Beijing time.
std::string beijing_minute(Millis at) {
  std::string w3c = w3c_beijing(at);
  return w3c.substr(0, 10) + " " + w3c.substr(11, 5);
}

// The role that votes for its household (the one holding owner_vote.cast, module.cpp).
constexpr const char* kOwnerRole = "resident";

void announce(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& v, const char* what,
              json::array notify = {}) {
  json::object data{{"what", what}};
  if (!notify.empty()) data["notify"] = std::move(notify);
  events.emit(tx, {"owner_vote.changed", "owner_vote", v.i64("id"), actor, v.str("path"), std::nullopt,
                   std::move(data)});
}

// A notice to every account voting for a household under the vote's place.
json::array tell_owners(Tx& tx, const Row& v, const char* kind, const char* text, json::object params) {
  json::array notify;
  for (auto user : store::household_users(tx, kOwnerRole, v.str("path")))
    notify.push_back({{"user_id", user},
                      {"kind", kind},
                      {"text", text},
                      {"params", params},
                      {"subject_type", "owner_vote"},
                      {"subject_id", v.i64("id")}});
  return notify;
}

json::object view(Tx& tx, const api::Principal& p, const Row& v, Lang lang) {
  std::int64_t id = v.i64("id");
  const Matter* m = matter(v.str("matter"));
  std::string status = v.str("status");
  json::object out{{"id", id},
                   {"place_id", v.i64("place_id")},
                   {"place", v.str("place_name")},
                   {"title", v.str("title")},
                   {"matter", v.str("matter")},
                   {"matter_label", lang == Lang::en ? m->en : m->zh},
                   {"kind", m->kind == Kind::special ? "special" : "ordinary"},
                   {"secret", v.flag("secret")},
                   {"status", status},
                   {"closes_at", iso8601(v.i64("closes_at"))},
                   {"opened_at", nullable_time(v.opt_i64("opened_at"))},
                   {"closed_at", nullable_time(v.opt_i64("closed_at"))}};
  if (status == "draft") {
    Roll r = roll_of(tx, v.str("path"));
    out["roll"] = {{"total_area", places::format_area(r.total_area)},
                   {"total_owners", r.owners},
                   {"households", static_cast<std::int64_t>(r.entries.size())},
                   {"missing_area", r.missing_area}};
  } else {
    out["roll"] = {{"total_area", places::format_area(v.i64("total_area"))},
                   {"total_owners", v.i64("total_owners")},
                   {"households", nullptr},
                   {"missing_area", 0}};
  }
  json::array turnout;
  std::int64_t households = 0;
  for (const auto& t : store::turnout(tx, id)) {
    households += t.i64("units");
    turnout.push_back({{"building_id", nullable(t.opt_i64("building_id"))},
                       {"building", nullable(t.opt_str("building"))},
                       {"units", t.i64("units")},
                       {"voted_units", t.i64("voted_units")},
                       {"area", places::format_area(t.i64("area"))},
                       {"voted_area", places::format_area(t.i64("voted_area"))}});
  }
  if (status != "draft") out["roll"].as_object()["households"] = households;
  out["turnout"] = std::move(turnout);
  out["participating"] = {{"area", places::format_area(v.i64("participating_area"))},
                          {"owners", v.i64("participating_owners")}};
  // The caller as an owner.
  json::value me = nullptr;
  auto mine = own_households(p, v.str("path"));
  if (!mine.empty() && status != "draft") {
    auto keys = store::owners_of(tx, id, mine);
    if (!keys.empty()) {
      auto ballot = store::ballot_of(tx, id, keys.front().str("owner_key"));
      me = json::object{{"household_id", keys.front().i64("household_id")},
                        {"voted", ballot.has_value()},
                        {"may_vote", !ballot && status == "open" && now_ms() <= v.i64("closes_at")},
                        {"choice", ballot ? nullable(ballot->opt_str("choice")) : json::value(nullptr)}};
    }
  } else if (!mine.empty()) {
    me = json::object{{"household_id", mine.front()}, {"voted", false}, {"may_vote", false}, {"choice", nullptr}};
  }
  out["me"] = std::move(me);
  json::value result = nullptr;
  if (status == "closed") result = to_json(decide(v.str("matter"), sums_of(v)), lang);
  out["result"] = std::move(result);
  out["may_manage"] = api::in_scope(p, "owner_vote.manage", v.str("path"));
  return out;
}

}  // namespace

void require_vote(Tx& tx, const api::Principal& p, std::int64_t id) { load(tx, p, id); }

void require_paper_reader(Tx& tx, const api::Principal& p, std::int64_t id) { managed(tx, p, id); }

VoteFacts vote_facts(Tx& tx, const api::Principal& p, std::int64_t id) {
  Row v = load(tx, p, id);
  return {v.str("title"), v.str("path"), v.str("status"), v.opt_flag("passed")};
}

std::optional<VoteFacts> vote_facts(Tx& tx, std::int64_t id) {
  auto v = store::vote(tx, id);
  if (!v) return std::nullopt;
  return VoteFacts{v->str("title"), v->str("path"), v->str("status"), v->opt_flag("passed")};
}

json::object OwnerVotes::create(const api::Principal& p, const api::Actor& actor, const std::string& body,
                                Lang lang) const {
  api::require(p, "owner_vote.manage");
  JsonInput in(body, {"place_id", "title", "matter", "secret", "closes_at"});
  auto place_id = in.i64("place_id");
  auto title = in.str("title", 100);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto matter_key = in.str("matter", 40);
  if (!matter(matter_key)) throw unprocessable("vote.bad_matter", "matter");
  bool secret = in.opt_bool("secret").value_or(false);
  auto closes = parse_w3c(in.str("closes_at", 40));
  if (!closes || *closes <= now_ms()) throw unprocessable("vote.bad_time", "closes_at");
  auto id = db_.write([&](Tx& tx) {
    auto place = store::place(tx, place_id);
    if (!place || (place->str("kind") != "compound" && place->str("kind") != "building"))
      throw unprocessable("vote.bad_place", "place_id");
    api::require_in_scope(p, "owner_vote.manage", place->str("path"));
    auto id = store::insert_vote(tx, {place_id, place->str("path"), title, matter_key, secret, *closes,
                                      p.user_id ? std::optional<std::int64_t>(p.user_id) : std::nullopt},
                                 now_ms());
    audit::append(tx, actor, {"owner_vote.create", "owner_vote", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"title", title}, {"matter", matter_key}, {"secret", secret}})});
    return id;
  });
  return get(p, id, lang);
}

json::object OwnerVotes::list(const api::Principal& p, const VoteQuery& q, Lang lang) const {
  api::require(p, "owner_vote.read");
  return db_.read([&](Tx& tx) {
    api::ListQuery l("owner_votes v JOIN places pl ON pl.id = v.place_id");
    auto reach = places::reach_clause(p, "owner_vote.read", "v.path", "");
    l.where(reach.sql, reach.values);
    // A draft is the staff's until it opens.
    if (p.has_permission("owner_vote.manage")) {
      auto manage = api::scope_clause(p, "owner_vote.manage", {"v.path"});
      l.where("(v.status <> 'draft' OR " + manage.sql + ")", manage.values);
    } else {
      l.where("v.status <> 'draft'");
    }
    if (q.place_id) {
      // The votes that bind the place: held at it or over it.
      auto place = store::place(tx, *q.place_id);
      if (!place) throw bad_request("request.bad_query", "place_id");
      std::vector<storage::Param> over;
      std::string path = place->str("path"), in;
      for (std::size_t i = 1; i < path.size(); ++i)
        if (path[i] == '/') {
          over.emplace_back(path.substr(0, i + 1));
          in += in.empty() ? "?" : ", ?";
        }
      l.where("v.path IN (" + in + ")", over);
    }
    l.where_if("v.status = ?", q.status);
    l.sort({{"id", "v.id"}}, std::nullopt, "-id").page(q.page);
    auto found = l.rows(tx, "v.id, pl.name AS place_name, v.title, v.matter, v.secret, v.status, v.closes_at, v.passed");
    json::array items;
    for (const auto& v : found.rows) {
      const Matter* m = matter(v.str("matter"));
      json::value passed = nullptr;
      if (auto x = v.opt_flag("passed")) passed = *x;
      items.push_back({{"id", v.i64("id")},
                       {"place", v.str("place_name")},
                       {"title", v.str("title")},
                       {"matter", v.str("matter")},
                       {"matter_label", lang == Lang::en ? m->en : m->zh},
                       {"secret", v.flag("secret")},
                       {"status", v.str("status")},
                       {"closes_at", iso8601(v.i64("closes_at"))},
                       {"passed", passed}});
    }
    return json::object{{"items", std::move(items)}, {"total", found.total}};
  });
}

json::object OwnerVotes::get(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) { return view(tx, p, load(tx, p, id), lang); });
}

json::object OwnerVotes::open(const api::Principal& p, const api::Actor& actor, std::int64_t id, Lang lang) const {
  return db_.write([&](Tx& tx) {
    Row v = managed(tx, p, id);
    if (v.str("status") != "draft") throw conflict("vote.not_draft");
    if (v.i64("closes_at") <= now_ms()) throw conflict("vote.past_deadline");  // it would take no ballot
    Roll r = roll_of(tx, v.str("path"));
    if (r.missing_area > 0) throw conflict("vote.roll_incomplete");  // the draft's view says how many
    if (r.entries.empty()) throw conflict("vote.roll_empty");
    if (!store::open_vote(tx, id, r.entries, r.total_area, r.owners, now_ms())) throw conflict("vote.not_draft");
    schedule::add(tx, "owner_vote.close", id, v.i64("closes_at"));
    audit::append(tx, actor, {"owner_vote.open", "owner_vote", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"total_area", places::format_area(r.total_area)},
                                                           {"total_owners", r.owners}})});
    Row opened = *store::vote(tx, id);
    announce(tx, events_, actor, opened, "opened",
             tell_owners(tx, opened, "owner_vote.opened", "vote.notice.opened",
                         {{"title", opened.str("title")}, {"until", beijing_minute(opened.i64("closes_at"))}}));
    return view(tx, p, opened, lang);
  });
}

json::object OwnerVotes::ballot(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang lang) const {
  JsonInput in(body, {"choice", "household_id"});
  auto choice = choice_of(in.str("choice", 10));
  if (!choice) throw unprocessable("vote.bad_choice", "choice");
  auto household = in.opt_i64("household_id");
  std::string receipt = random_token(12);
  auto answer = db_.write([&](Tx& tx) {
    Row v = load(tx, p, id);
    require_open(v);
    auto mine = own_households(p, v.str("path"));
    if (household) {
      if (std::find(mine.begin(), mine.end(), *household) == mine.end()) throw forbidden("vote.not_owner");
      mine = {*household};
    }
    auto keys = store::owners_of(tx, id, mine);
    if (keys.empty()) throw forbidden("vote.not_owner");
    std::string key = keys.front().str("owner_key");
    bool secret = v.flag("secret");
    std::optional<std::string> kept;
    if (!secret) kept = choice_key(*choice);
    switch (store::cast_ballot(tx, id, key, kept, *choice == Choice::agree, store::owner_area(tx, id, key), "app",
                               p.user_id ? std::optional<std::int64_t>(p.user_id) : std::nullopt,
                               sha256_hex(receipt), now_ms())) {
      case store::Cast::duplicate: throw conflict("vote.already_voted");
      case store::Cast::closed: throw conflict("vote.not_open");
      case store::Cast::cast: break;
    }
    // The owner's own vote wins over a proxy (or a paper entry) still waiting.
    store::supersede_entries(tx, id, key, "owner_voted");
    // Who voted is kept; how, only in a named vote.
    json::object data{{"owner", key}, {"channel", "app"}};
    if (!secret) data["choice"] = choice_key(*choice);
    audit::append(tx, actor, {"owner_vote.ballot", "owner_vote", std::to_string(id), std::nullopt, json::serialize(data)});
    Row now = *store::vote(tx, id);
    announce(tx, events_, actor, now, "ballot");
    return view(tx, p, now, lang);
  });
  return {{"receipt", receipt}, {"vote", std::move(answer)}};
}

namespace {

Row close_vote(Tx& tx, const api::EventBus& events, const api::Actor& actor, Row v) {
  std::int64_t id = v.i64("id");
  if (v.str("status") != "open") throw conflict("vote.not_open");
  bool secret = v.flag("secret");
  Millis now = now_ms();
  // The written proxies confirmed, whose owners did not vote themselves, count now.
  for (const auto& e : store::confirmed_proxies(tx, id)) {
    std::string key = e.str("owner_key");
    std::optional<std::string> kept;
    if (!secret) kept = e.opt_str("choice");
    auto cast = store::cast_ballot(tx, id, key, kept, e.opt_str("choice") == "agree", store::owner_area(tx, id, key),
                                   "proxy", e.opt_i64("confirmed_by"), e.str("receipt_hash"), now);
    if (cast == store::Cast::closed) throw conflict("vote.not_open");
    store::settle_entry(tx, e.i64("id"), cast == store::Cast::cast ? "counted" : "superseded",
                        cast == store::Cast::cast ? std::nullopt : std::optional<std::string>("owner_voted"),
                        std::nullopt, now, secret);
  }
  // What a second person never checked does not count.
  store::refuse_waiting_entries(tx, id, "unchecked_at_close");
  v = *store::vote(tx, id);
  // The sums as they stand when it closes: a ballot committed after this finds it closed.
  Tally t = decide(v.str("matter"), sums_of(v));
  if (!store::close_vote(tx, id, t.passed, now)) throw conflict("vote.not_open");
  Row closed = *store::vote(tx, id);
  audit::append(tx, actor, {"owner_vote.close", "owner_vote", std::to_string(id), std::nullopt,
                            json::serialize(to_json(t, Lang::zh_CN))});
  announce(tx, events, actor, closed, "closed",
           tell_owners(tx, closed, "owner_vote.result", "vote.notice.result",
                       {{"title", closed.str("title")},
                        {"result", t.passed ? json::object{{"zh", "通过"}, {"en", "passed"}}
                                            : json::object{{"zh", "未通过"}, {"en", "not passed"}}}}));
  return closed;
}

}  // namespace

json::object OwnerVotes::close(const api::Principal& p, const api::Actor& actor, std::int64_t id, Lang lang) const {
  return db_.write([&](Tx& tx) { return view(tx, p, close_vote(tx, events_, actor, managed(tx, p, id)), lang); });
}

void close_at_deadline(Tx& tx, const api::EventBus& events, std::int64_t id, Millis now) {
  auto v = store::vote(tx, id);
  // Closed by hand before its deadline: nothing to do.
  if (!v || v->str("status") != "open" || v->i64("closes_at") > now) return;
  close_vote(tx, events, api::Actor::system(), *v);
}

std::int64_t demo_vote(Tx& tx, const api::EventBus& events, const DemoVote& d) {
  auto place = store::place(tx, d.place_id);
  auto id = store::insert_vote(tx, {d.place_id, place->str("path"), d.title, d.matter, false, d.closes_at, d.clerk},
                               d.opened_at - kDay);
  Roll r = roll_of(tx, place->str("path"));
  store::open_vote(tx, id, r.entries, r.total_area, r.owners, d.opened_at);
  std::vector<std::pair<std::string, std::int64_t>> owners;  // in the roll's order, once each
  for (const auto& e : r.entries)
    if (std::none_of(owners.begin(), owners.end(), [&](const auto& o) { return o.first == e.owner_key; }))
      owners.emplace_back(e.owner_key, e.household_id);
  int n = std::min<int>(d.ballots, static_cast<int>(owners.size()));
  for (int i = 0; i < n; ++i) {
    const auto& [key, household] = owners[static_cast<std::size_t>(i)];
    std::string choice = i < d.disagree ? "disagree" : "agree";
    bool proxy = i >= n - d.proxies;
    Millis at = d.opened_at + (i + 1) * kHour;
    auto entry = store::insert_entry(tx, id, household, key, proxy ? "proxy" : "paper", choice,
                                     proxy ? std::optional<std::string>("受托亲属") : std::nullopt, "[]", d.clerk, at);
    store::cast_ballot(tx, id, key, choice, choice == "agree", store::owner_area(tx, id, key), proxy ? "proxy" : "paper",
                       d.checker, sha256_hex(random_token(12)), at);
    store::settle_entry(tx, entry, "counted", std::nullopt, d.checker, at, false);
  }
  if (d.close) {
    close_vote(tx, events, api::Actor::system(), *store::vote(tx, id));
    tx.exec("UPDATE owner_votes SET closed_at = $2 WHERE id = $1", id, d.closes_at);
  }
  return id;
}

api::Listed OwnerVotes::pending(const api::Principal& p, std::int64_t id, std::optional<std::int64_t> building_id,
                                api::Page page) const {
  return db_.read([&](Tx& tx) {
    load(tx, p, id);
    auto found = store::pending(tx, p, id, building_id, page);
    std::vector<std::int64_t> ids;
    for (const auto& r : found.rows) ids.push_back(r.i64("household_id"));
    std::map<std::int64_t, json::array> owners;
    for (const auto& r : store::owner_names(tx, ids)) owners[r.i64("household_id")].emplace_back(people::mask_name(r.str("name")));
    api::Listed out;
    for (const auto& r : found.rows)
      out.items.push_back({{"household_id", r.i64("household_id")},
                           {"household", r.str("household")},
                           {"unit", nullable(r.opt_str("unit"))},
                           {"building", nullable(r.opt_str("building"))},
                           {"owners", std::move(owners[r.i64("household_id")])}});
    out.total = found.total;
    return out;
  });
}

json::object OwnerVotes::receipts(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    Row v = load(tx, p, id);
    if (v.str("status") != "closed") throw conflict("vote.not_closed");
    json::array hashes;
    for (auto& h : store::receipt_hashes(tx, id)) hashes.emplace_back(h);
    return json::object{{"receipts", std::move(hashes)}};
  });
}

namespace {


json::object entry_json(const Row& e) {
  return {{"id", e.i64("id")},
          {"household_id", e.i64("household_id")},
          {"household", e.str("household")},
          {"kind", e.str("kind")},
          {"choice", nullable(e.opt_str("choice"))},
          {"proxy_name", nullable(e.opt_str("proxy_name"))},
          {"status", e.str("status")},
          {"note", nullable(e.opt_str("note"))},
          {"entered_by", e.str("entered_by_name")},
          {"entered_at", iso8601(e.i64("entered_at"))},
          {"confirmed_by", nullable(e.opt_str("confirmed_by_name"))},
          {"confirmed_at", nullable_time(e.opt_i64("confirmed_at"))},
          {"photos", workorders::photos_json(e.str("photos"))}};
}

}  // namespace

json::object OwnerVotes::enter(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                               const std::string& body) const {
  JsonInput in(body, {"household_id", "kind", "choice", "proxy_name", "photos"});
  auto household = in.i64("household_id");
  auto photos = in.opt_str_array("photos", workorders::kMaxPhotosPerReport, 64).value_or(std::vector<std::string>{});
  auto kind = in.str("kind", 10);
  if (kind != "paper" && kind != "proxy") throw unprocessable("vote.bad_kind", "kind");
  auto choice = choice_of(in.str("choice", 10));
  if (!choice) throw unprocessable("vote.bad_choice", "choice");
  auto proxy_name = in.opt_str("proxy_name", 40);
  if (proxy_name && proxy_name->empty()) proxy_name.reset();
  if (kind == "proxy" && !proxy_name) throw unprocessable("vote.proxy_name", "proxy_name");
  if (kind == "paper") proxy_name.reset();
  return db_.write([&](Tx& tx) {
    Row v = managed(tx, p, id);
    require_open(v);
    auto keys = store::owners_of(tx, id, {household});
    if (keys.empty()) throw not_found("vote.not_on_roll");
    std::string key = keys.front().str("owner_key");
    if (store::ballot_of(tx, id, key)) throw conflict("vote.owner_voted");
    if (store::open_entry_of(tx, id, key)) throw conflict("vote.entry_waiting");
    auto entry = store::insert_entry(tx, id, household, key, kind, choice_key(*choice), proxy_name,
                                     workorders::photo_ids_json(photos), p.user_id, now_ms());
    workorders::attach_to_subject(tx, photos, p.user_id, "owner_vote_paper", id);
    audit::append(tx, actor, {"owner_vote.paper_enter", "owner_vote", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"entry_id", entry}, {"household_id", household}, {"kind", kind}})});
    announce(tx, events_, actor, v, "paper");
    return entry_json(*store::entry(tx, id, entry));
  });
}

json::object OwnerVotes::confirm(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 std::int64_t entry_id, const std::string& body) const {
  JsonInput in(body, {"choice"});
  auto choice = choice_of(in.str("choice", 10));
  if (!choice) throw unprocessable("vote.bad_choice", "choice");
  std::string receipt = random_token(12);
  bool handed = false;
  auto out = db_.write([&](Tx& tx) {
    Row v = managed(tx, p, id);
    require_open(v);
    auto e = store::entry(tx, id, entry_id);
    if (!e) throw not_found("vote.entry_not_found");
    std::string status = e->str("status");
    if (status != "pending" && status != "disputed") throw conflict("vote.entry_settled");
    // Never the same person twice: a second pair of eyes on the paper.
    if (e->i64("entered_by") == p.user_id) throw conflict("vote.same_person");
    Millis now = now_ms();
    std::string key = e->str("owner_key");
    bool secret = v.flag("secret");
    if (e->opt_str("choice") != std::optional<std::string>(choice_key(*choice))) {
      // The readings differ: this one becomes the entry a next person checks (anyone but this reader,
      // the first clerk included), so that a mistyped first entry does not block the paper forever.
      store::reread_entry(tx, entry_id, choice_key(*choice), p.user_id);
      announce(tx, events_, actor, v, "paper");
    } else if (e->str("kind") == "proxy") {
      // Counted at the close, unless the owner votes first.
      store::settle_entry(tx, entry_id, "confirmed", std::nullopt, p.user_id, now, false);
      store::set_entry_receipt(tx, entry_id, sha256_hex(receipt));
      handed = true;
      announce(tx, events_, actor, v, "paper");
    } else {
      std::optional<std::string> kept;
      if (!secret) kept = choice_key(*choice);
      auto cast = store::cast_ballot(tx, id, key, kept, *choice == Choice::agree, store::owner_area(tx, id, key), "paper",
                                     p.user_id, sha256_hex(receipt), now);
      if (cast == store::Cast::closed) throw conflict("vote.not_open");
      if (cast == store::Cast::duplicate) {
        store::settle_entry(tx, entry_id, "refused", std::string("owner_voted"), p.user_id, now, true);
      } else {
        store::settle_entry(tx, entry_id, "counted", std::nullopt, p.user_id, now, secret);
        handed = true;
        announce(tx, events_, actor, v, "ballot");
      }
    }
    json::object data{{"entry_id", entry_id}, {"owner", key}};
    if (!secret) data["choice"] = choice_key(*choice);
    audit::append(tx, actor, {"owner_vote.paper_confirm", "owner_vote", std::to_string(id), std::nullopt,
                              json::serialize(data)});
    return entry_json(*store::entry(tx, id, entry_id));
  });
  return {{"entry", std::move(out)}, {"receipt", handed ? json::value(receipt) : json::value(nullptr)}};
}

json::object OwnerVotes::entries(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    managed(tx, p, id);
    json::array items;
    // An entry waiting to be checked keeps its reading to itself: the next reader reads the paper blind.
    for (const auto& e : store::entries(tx, id)) {
      auto item = entry_json(e);
      if (e.str("status") == "pending" || e.str("status") == "disputed") item["choice"] = nullptr;
      items.push_back(std::move(item));
    }
    return json::object{{"items", std::move(items)}};
  });
}

json::object OwnerVotes::mark(const api::Principal& p, const api::Actor& actor, std::int64_t household_id,
                              const std::string& body) const {
  api::require(p, "owner_vote.manage");
  JsonInput in(body, {"developer", "buyer"});
  bool developer = in.opt_bool("developer").value_or(false);
  auto buyer = in.opt_str("buyer", 40);
  if (buyer && buyer->empty()) buyer.reset();
  db_.write([&](Tx& tx) {
    auto h = store::place(tx, household_id);
    if (!h || h->str("kind") != "household") throw not_found("vote.household_not_found");
    api::require_in_scope(p, "owner_vote.manage", h->str("path"));
    store::set_mark(tx, household_id, developer, buyer, p.user_id ? std::optional<std::int64_t>(p.user_id) : std::nullopt,
                    now_ms());
    audit::append(tx, actor, {"owner_vote.mark", "place", std::to_string(household_id), std::nullopt,
                              json::serialize(json::object{{"developer", developer}, {"buyer", nullable(buyer)}})});
  });
  return {{"household_id", household_id}, {"developer", developer}, {"buyer", nullable(buyer)}};
}

OwnerVotes::File OwnerVotes::result_pdf(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    Row v = load(tx, p, id);
    if (v.str("status") != "closed") throw conflict("vote.not_closed");
    const Matter* m = matter(v.str("matter"));
    Tally t = decide(v.str("matter"), sums_of(v));
    print::Pdf doc(v.str("title") + " 表决结果");
    doc.title(v.str("title"));
    doc.subtitle(v.str("place_name") + " · 业主表决结果");
    doc.facts({{"表决事项", m->zh},
               {"事项类别", m->kind == Kind::special ? "《民法典》第二百七十八条第一款第六项至第八项（特别事项）" : "一般事项"},
               {"表决方式", v.flag("secret") ? "无记名（只公开谁已投票，不公开投票意见）" : "记名"},
               {"开始", beijing_minute(v.i64("opened_at"))},
               {"截止", beijing_minute(v.i64("closes_at"))},
               {"结束", beijing_minute(v.i64("closed_at"))}});
    doc.heading("一、计票结果");
    doc.table({"", "专有部分面积（平方米）", "人数"}, {0.34, 0.38, 0.28},
              {{"业主名册总计", places::format_area(t.total_area), std::to_string(t.total_owners)},
               {"参与表决", places::format_area(t.participating_area), std::to_string(t.participating_owners)},
               {"同意", places::format_area(t.agreeing_area), std::to_string(t.agreeing_owners)}});
    const char* share = t.kind == Kind::special ? "参与表决的四分之三以上" : "参与表决的过半数";
    auto met = [](bool b) { return std::string(b ? "达到" : "未达到"); };
    doc.table({"条件", "要求", "是否达到"}, {0.4, 0.4, 0.2},
              {{"参与表决的专有部分面积", "总面积的三分之二以上", met(t.area_quorum)},
               {"参与表决人数", "总人数的三分之二以上", met(t.owners_quorum)},
               {"同意的专有部分面积", share, met(t.area_agrees)},
               {"同意人数", share, met(t.owners_agree)}});
    doc.heading("二、计票说明");
    for (const auto& line : explain(t, Lang::zh_CN)) doc.paragraph(line);
    doc.heading("三、各楼栋参与情况");
    std::vector<std::vector<std::string>> rows;
    for (const auto& b : store::turnout(tx, id))
      rows.push_back({b.opt_str("building").value_or("—"), std::to_string(b.i64("units")), std::to_string(b.i64("voted_units")),
                      places::format_area(b.i64("area")), places::format_area(b.i64("voted_area"))});
    doc.table({"楼栋", "户数", "已投票户数", "面积（平方米）", "已投票面积"}, {0.28, 0.14, 0.18, 0.2, 0.2}, rows);
    doc.heading("四、投票凭证");
    doc.paragraph("每张选票都有一个投票凭证码。本次共 " + std::to_string(store::receipt_hashes(tx, id).size()) +
                  " 张，凭证码的 SHA-256 摘要公开列于本表决的凭证清单中：业主可据此核对自己的选票已被计入，而无须透露投票意见。");
    doc.space(12);
    doc.paragraph(std::string("表决结果：") + (t.passed ? "通过。" : "未通过。"));
    return File{"owner-vote-" + std::to_string(id) + "-result.pdf", doc.finish()};
  });
}

}  // namespace xh::votes
