// The minutes of a meeting: the record made from its rows, the chair's text,
// sign-off and versions.
#include "councils/minutes.h"

#include <boost/json.hpp>

#include <map>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "core/labels.h"
#include "councils/room.h"
#include "councils/rules.h"
#include "councils/store.h"

namespace xh::councils {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

constexpr std::size_t kSummaryMax = 8000, kDecisionMax = 500, kOwnerMax = 100, kDecisionsMax = 30;

// What happened, as keys and names (fixed as it is when the minutes are
// signed; words in the reader's language are added by readable()).
json::object record(Tx& tx, std::int64_t id) {
  auto facts = store::session_facts(tx, id);
  auto row = store::meeting(tx, id);
  RuleSet rules = parse_rules(json::parse(facts->str("params")).as_object());
  json::object out{{"title", row->str("title")},
                   {"council", row->str("council_name")},
                   {"place", row->str("place_name")},
                   {"location", nullable(row->opt_str("location"))},
                   {"starts_at", iso8601(row->i64("starts_at"))},
                   {"opened_at", nullable_time(facts->opt_i64("opened_at"))},
                   {"closed_at", nullable_time(facts->opt_i64("closed_at"))},
                   {"rules", to_json(rules)}};
  json::array attendance;
  std::map<std::int64_t, std::string> names;
  auto rows = store::attendance(tx, id, Lang::zh_CN);
  for (const auto& a : rows) names[a.i64("member_id")] = a.str("name");
  for (const auto& a : rows) {
    json::value proxy = nullptr;
    if (auto p = a.opt_i64("proxy_id"); p && names.count(*p)) proxy = json::value(names[*p]);
    attendance.push_back({{"member_id", a.i64("member_id")},
                          {"name", a.str("name")},
                          {"seat", a.str("seat")},
                          {"reply", a.str("reply")},
                          {"reason", nullable(a.opt_str("reason"))},
                          {"proxy", proxy},
                          {"checked_in_at", nullable_time(a.opt_i64("checked_in_at"))}});
  }
  out["attendance"] = std::move(attendance);
  Row c = store::attendance_counts(tx, id);
  out["quorum"] = {{"members", c.i64("members")},
                   {"present", c.i64("present")},
                   {"by_proxy", c.i64("by_proxy")},
                   {"quorate", quorate(rules, c.i64("present") + c.i64("by_proxy"), c.i64("members"))}};

  std::map<std::int64_t, json::array> speeches, records;
  for (const auto& s : store::speeches(tx, id)) {
    std::int64_t started = s.i64("started_at");
    auto ended = s.opt_i64("ended_at");
    std::int64_t ms = ended ? *ended - started : 0;
    speeches[s.i64("item_id")].push_back(
        {{"name", s.str("name")},
         {"side", s.str("side")},
         {"started_at", iso8601(started)},
         {"duration_s", ms / 1000},
         {"limit_s", s.i64("limit_ms") / 1000},
         {"overtime_s", std::max<std::int64_t>(0, ms - s.i64("limit_ms")) / 1000},
         {"extensions", s.i64("extensions")},
         {"override_reason", nullable(s.opt_str("override_reason"))}});
  }
  json::array loose;
  auto all_records = store::records(tx, id);
  for (auto it = all_records.rbegin(); it != all_records.rend(); ++it) {  // in the order they happened
    if (auto item = it->opt_i64("item_id"))
      records[*item].push_back(room::record_json(*it));
    else
      loose.push_back(room::record_json(*it));
  }
  json::array items;
  for (const auto& a : store::agenda(tx, id)) {
    std::int64_t item = a.i64("id");
    json::array votes;
    for (const auto& v : store::item_votes(tx, item)) votes.push_back(room::vote_json(tx, v));
    items.push_back({{"id", item},
                     {"ordinal", a.i64("ordinal")},
                     {"kind", a.str("kind")},
                     {"title", a.str("title")},
                     {"presenter", nullable(a.opt_str("presenter"))},
                     {"minutes", a.i64("minutes")},
                     {"speeches", std::move(speeches[item])},
                     {"votes", std::move(votes)},
                     {"records", std::move(records[item])}});
  }
  out["items"] = std::move(items);
  out["records"] = std::move(loose);
  return out;
}

// The record with its words in `lang`: each member's seat, each rule's text.
void readable(Tx& tx, json::object& r, Lang lang) {
  std::map<std::string, std::string> seats;
  for (const auto& s : store::seats(tx, lang)) seats[s.str("key")] = s.str("label");
  for (auto& a : r["attendance"].as_array()) {
    auto& o = a.as_object();
    std::string seat(o["seat"].as_string());
    o["seat_label"] = seats.count(seat) ? seats[seat] : seat;
  }
  auto words = [&](json::array& records) {
    for (auto& v : records) {
      auto& o = v.as_object();
      json::value text = nullptr;
      if (o["rule"].is_string())
        for (const auto& rule : ten_rules())
          if (o["rule"].as_string() == rule.key) text = json::value(lang == Lang::en ? rule.en : rule.zh);
      o["rule_text"] = std::move(text);
    }
  };
  for (auto& item : r["items"].as_array()) words(item.as_object()["records"].as_array());
  words(r["records"].as_array());
}

// The meeting, closed, as the caller may read it (or chair it).
room::Meeting closed(Tx& tx, const api::Principal& p, std::int64_t id, bool chair = false) {
  room::Meeting m = chair ? room::chaired(tx, p, id) : room::load(tx, p, id);
  if (m.status != "closed") throw conflict("council.meeting_not_closed");
  return m;
}

json::object answer(Tx& tx, const api::Principal& p, const room::Meeting& m, std::optional<std::int64_t> version,
                    Lang lang) {
  auto row = store::minutes(tx, m.id, version);
  // Version 1 is the draft of the record before anyone has written to it.
  if (version && !row && (*version != 1 || store::minutes(tx, m.id, std::nullopt)))
    throw not_found("council.minutes_not_found");
  // A signed version shows the record it was signed on; a draft, the record as it is.
  json::object out = row && row->opt_str("content") ? json::parse(*row->opt_str("content")).as_object() : record(tx, m.id);
  readable(tx, out, lang);
  out["meeting_id"] = m.id;
  out["version"] = row ? row->i64("version") : 1;
  out["status"] = row ? row->str("status") : "draft";
  out["summary"] = row ? row->str("summary") : "";
  out["decisions"] = row ? json::parse(row->str("decisions")) : json::array{};
  out["edited_at"] = row ? json::value(iso8601(row->i64("edited_at"))) : json::value(nullptr);
  out["signed_at"] = row ? nullable_time(row->opt_i64("signed_at")) : json::value(nullptr);
  out["signed_by"] = row ? nullable(row->opt_str("signed_by_name")) : json::value(nullptr);
  json::array versions;
  for (const auto& v : store::minutes_versions(tx, m.id))
    versions.push_back({{"version", v.i64("version")},
                        {"status", v.str("status")},
                        {"signed_at", nullable_time(v.opt_i64("signed_at"))}});
  if (versions.empty()) versions.push_back({{"version", 1}, {"status", "draft"}, {"signed_at", nullptr}});
  out["versions"] = std::move(versions);
  out["may_edit"] = api::in_scope(p, "council.manage", m.path);
  return out;
}

}  // namespace

json::object Minutes::get(const api::Principal& p, std::int64_t id, std::optional<std::int64_t> version,
                          Lang lang) const {
  return db_.read([&](Tx& tx) { return answer(tx, p, closed(tx, p, id), version, lang); });
}

json::object Minutes::edit(const api::Principal& p, const api::Actor& actor, std::int64_t id, const std::string& body,
                           Lang lang) const {
  JsonInput in(body, {"summary", "decisions"});
  auto summary = in.opt_str("summary", kSummaryMax).value_or("");
  json::array decisions;
  json::value whole = json::parse(body);  // an object: JsonInput checked it
  if (const auto* list = whole.as_object().if_contains("decisions")) {
    if (!list->is_array() || list->as_array().size() > kDecisionsMax) throw unprocessable("council.bad_minutes", "decisions");
    for (const auto& d : list->as_array()) {
      if (!d.is_object()) throw unprocessable("council.bad_minutes", "decisions");
      JsonInput one(json::serialize(d), {"text", "owner"});
      auto text = one.str("text", kDecisionMax);
      auto owner = one.opt_str("owner", kOwnerMax).value_or("");
      if (text.empty()) throw unprocessable("council.bad_minutes", "decisions");
      decisions.push_back({{"text", text}, {"owner", owner}});
    }
  }
  std::string kept = json::serialize(decisions);
  return db_.write([&](Tx& tx) {
    room::Meeting m = closed(tx, p, id, true);
    Millis now = now_ms();
    auto latest = store::minutes(tx, id, std::nullopt);
    std::optional<std::int64_t> by = p.user_id ? std::optional<std::int64_t>(p.user_id) : std::nullopt;
    std::int64_t version = latest ? latest->i64("version") : 1;
    if (!latest)
      store::insert_minutes(tx, id, version, summary, kept, by, now);
    else if (latest->str("status") == "signed")
      store::insert_minutes(tx, id, ++version, summary, kept, by, now);  // signed stays as it was
    else
      store::update_minutes(tx, id, version, summary, kept, by, now);
    audit::append(tx, actor, {"council.minutes_edit", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"version", version}})});
    room::announce(tx, events_, actor, m, {{"what", "minutes"}, {"version", version}});
    return answer(tx, p, m, std::nullopt, lang);
  });
}

json::object Minutes::sign(const api::Principal& p, const api::Actor& actor, std::int64_t id, Lang lang) const {
  return db_.write([&](Tx& tx) {
    room::Meeting m = closed(tx, p, id, true);
    Millis now = now_ms();
    std::optional<std::int64_t> by = p.user_id ? std::optional<std::int64_t>(p.user_id) : std::nullopt;
    auto latest = store::minutes(tx, id, std::nullopt);
    if (!latest) store::insert_minutes(tx, id, 1, "", "[]", by, now);  // signed as written by the meeting alone
    std::int64_t version = latest ? latest->i64("version") : 1;
    if (!store::sign_minutes(tx, id, version, json::serialize(record(tx, id)), by, now))
      throw conflict("council.minutes_signed");
    audit::append(tx, actor, {"council.minutes_sign", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"version", version}})});
    room::announce(tx, events_, actor, m, {{"what", "minutes"}, {"version", version}});
    return answer(tx, p, m, std::nullopt, lang);
  });
}

void sign_unchecked(Tx& tx, std::int64_t id, const std::string& summary, const json::array& decisions,
                    std::optional<std::int64_t> by, Millis now) {
  store::insert_minutes(tx, id, 1, summary, json::serialize(decisions), by, now);
  store::sign_minutes(tx, id, 1, json::serialize(record(tx, id)), by, now);
}

Minutes::File Minutes::pdf(const api::Principal& p, std::int64_t id, std::optional<std::int64_t> version) const {
  auto minutes = get(p, id, version, Lang::zh_CN);
  File f;
  f.name = "minutes-" + std::to_string(id) + "-v" + std::to_string(minutes.at("version").as_int64()) + ".pdf";
  f.bytes = minutes_pdf(minutes);
  return f;
}

}  // namespace xh::councils
