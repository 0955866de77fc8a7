// What the chair takes and records in session beside the floor: votes on a
// motion (a show of hands counted by the chair, or ballots on the members'
// phones, secret where the rules say so), violations of the ten rules and
// points of order.
#include <boost/json.hpp>

#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "councils/room.h"
#include "councils/rules.h"
#include "councils/session.h"
#include "councils/store.h"

namespace xh::councils {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace room {

json::object vote_json(Tx& tx, const Row& v) {
  bool open = v.str("status") == "open";
  bool secret = v.flag("secret");
  auto count = [&](const char* column) -> json::value {
    if (open) return nullptr;  // how it stands is not shown before it closes
    return v.i64(column);
  };
  json::array ballots;
  if (v.str("method") == "phones")
    for (const auto& b : store::ballots(tx, v.i64("id")))
      ballots.push_back({{"member_id", b.i64("member_id")},
                         {"name", b.str("name")},
                         {"choice", open || secret ? json::value(nullptr) : json::value(nullable(b.opt_str("choice")))}});
  json::value passed = nullptr;
  if (auto p = v.opt_flag("passed")) passed = *p;
  return {{"id", v.i64("id")},
          {"item_id", v.i64("item_id")},
          {"item_title", v.str("item_title")},
          {"method", v.str("method")},
          {"secret", secret},
          {"status", v.str("status")},
          {"for", count("votes_for")},
          {"against", count("votes_against")},
          {"abstain", count("votes_abstain")},
          {"cast", v.i64("cast_count")},
          {"present", v.i64("present")},
          {"members", v.i64("members")},
          {"pass", v.str("pass")},
          {"passed", passed},
          {"opened_at", iso8601(v.i64("opened_at"))},
          {"closed_at", nullable_time(v.opt_i64("closed_at"))},
          {"ballots", std::move(ballots)}};
}

std::optional<Row> count_vote(Tx& tx, const Meeting& m, std::int64_t vote_id, Millis now) {
  // Closed first: no ballot counts after this; then the counts as they are.
  if (!store::close_vote(tx, vote_id, now)) return std::nullopt;
  auto v = store::vote(tx, m.id, vote_id);
  store::set_passed(tx, vote_id,
                    passes(m.rules, v->i64("votes_for"), v->i64("votes_against"), v->i64("present"), v->i64("members")));
  return store::vote(tx, m.id, vote_id);
}

json::object record_json(const Row& r) {
  bool point = r.str("kind") == "point_of_order";
  return {{"text", point ? nullable(r.opt_str("note")) : json::value(nullptr)},
          {"id", r.i64("id")},          {"kind", r.str("kind")},        {"item_id", nullable(r.opt_i64("item_id"))},
          {"member_id", nullable(r.opt_i64("member_id"))}, {"name", nullable(r.opt_str("name"))},
          {"rule", nullable(r.opt_str("rule"))}, {"note", nullable(r.opt_str("note"))},
          {"ruling", nullable(r.opt_str("ruling"))}, {"at", iso8601(r.i64("at"))}};
}

}  // namespace room

namespace {

using room::announce;
using room::in_session;
using room::Meeting;

// Present for a vote: those checked in and the absent members whose proxy is.
std::int64_t present_with_proxies(Tx& tx, std::int64_t meeting_id) {
  Row c = store::attendance_counts(tx, meeting_id);
  return c.i64("present") + c.i64("by_proxy");
}

// The motion under way, with nobody speaking and no vote open.
Row motion_for_vote(Tx& tx, const Meeting& m) {
  if (!m.item) throw conflict("council.no_item");
  auto item = store::item(tx, m.id, *m.item);
  if (item->str("kind") != "motion") throw unprocessable("council.not_motion", "method");
  if (store::open_speech(tx, m.id)) throw conflict("council.floor_taken");
  if (store::open_vote(tx, m.id)) throw conflict("council.vote_open");
  return *item;
}

}  // namespace

json::object MeetingRoom::open_vote(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                    const std::string& body) const {
  JsonInput in(body, {"method", "for", "against", "abstain"});
  auto method = in.str("method", 10);
  if (method != "hands" && method != "phones") throw unprocessable("council.bad_method", "method");
  std::optional<std::int64_t> f, a, s;
  if (method == "hands") {
    f = in.i64("for");
    a = in.i64("against");
    s = in.i64("abstain");
  }
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    motion_for_vote(tx, m);
    Millis now = now_ms();
    std::int64_t present = present_with_proxies(tx, id);
    std::int64_t members = store::attendance_counts(tx, id).i64("members");
    store::NewVote v{id, *m.item, method, method == "phones" && m.rules.secret_votes, threshold_key(m.rules.pass),
                     present, members, p.user_id ? std::optional<std::int64_t>(p.user_id) : std::nullopt};
    std::int64_t vote;
    try {
      vote = store::insert_vote(tx, v, now);
    } catch (const storage::UniqueViolation&) {
      throw conflict("council.vote_open");  // another chair opened one first
    }
    json::object audit_data{{"vote_id", vote}, {"item_id", *m.item}, {"method", method}};
    if (method == "hands") {
      if (*f < 0 || *a < 0 || *s < 0) throw unprocessable("council.bad_count", "for");
      if (*f + *a + *s > present) throw unprocessable("council.bad_count", "for");
      bool passed = passes(m.rules, *f, *a, present, members);
      store::decide_vote(tx, vote, *f, *a, *s, passed, now);
      audit_data["for"] = *f;
      audit_data["against"] = *a;
      audit_data["abstain"] = *s;
      audit_data["passed"] = passed;
    }
    audit::append(tx, actor, {"council.vote", "meeting", std::to_string(id), std::nullopt, json::serialize(audit_data)});
    announce(tx, events_, actor, m, {{"what", method == "hands" ? "vote_closed" : "vote_opened"}, {"vote_id", vote}});
  });
  return view(p, id);
}

json::object MeetingRoom::ballot(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 std::int64_t vote_id, const std::string& body) const {
  JsonInput in(body, {"choice"});
  auto choice = in.str("choice", 10);
  if (choice != "for" && choice != "against" && choice != "abstain") throw unprocessable("council.bad_choice", "choice");
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, false);
    Row member = room::seat(tx, p, m);
    std::int64_t who = member.i64("id");
    auto v = store::vote(tx, id, vote_id);
    if (!v) throw not_found("council.vote_not_found");
    if (v->str("status") != "open" || v->str("method") != "phones") throw conflict("council.vote_closed");
    if (!store::checked_in(tx, id, who)) throw conflict("council.not_checked_in");
    bool secret = v->flag("secret");
    switch (store::cast_ballot(tx, vote_id, who, choice, store::ballot_weight(tx, id, who), !secret)) {
      case store::Cast::duplicate: throw conflict("council.already_voted");
      case store::Cast::closed: throw conflict("council.vote_closed");
      case store::Cast::cast: break;
    }
    // Who voted is kept; how, only when the vote is named.
    json::object data{{"vote_id", vote_id}, {"member_id", who}};
    if (!secret) data["choice"] = choice;
    audit::append(tx, actor, {"council.ballot", "meeting", std::to_string(id), std::nullopt, json::serialize(data)});
    announce(tx, events_, actor, m, {{"what", "ballot"}, {"vote_id", vote_id}});
  });
  return view(p, id);
}

json::object MeetingRoom::close_vote(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                     std::int64_t vote_id) const {
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    if (!store::vote(tx, id, vote_id)) throw not_found("council.vote_not_found");
    auto v = room::count_vote(tx, m, vote_id, now_ms());
    if (!v) throw conflict("council.vote_closed");
    bool passed = v->flag("passed");
    audit::append(tx, actor, {"council.vote_close", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"vote_id", vote_id},
                                                           {"for", v->i64("votes_for")},
                                                           {"against", v->i64("votes_against")},
                                                           {"abstain", v->i64("votes_abstain")},
                                                           {"passed", passed}})});
    announce(tx, events_, actor, m, {{"what", "vote_closed"}, {"vote_id", vote_id}});
  });
  return view(p, id);
}

json::object MeetingRoom::votes(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    room::load(tx, p, id);
    json::array items;
    for (const auto& v : store::votes(tx, id)) items.push_back(room::vote_json(tx, v));
    return json::object{{"items", std::move(items)}};
  });
}

json::object MeetingRoom::violation(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                    const std::string& body) const {
  JsonInput in(body, {"member_id", "rule", "note"});
  auto member = in.i64("member_id");
  auto rule = in.str("rule", 40);
  auto note = in.opt_str("note", 500);
  if (note && note->empty()) note.reset();
  bool known = false;
  for (const auto& r : ten_rules()) known = known || rule == r.key;
  if (!known) throw unprocessable("council.bad_rule", "rule");
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    if (!store::invited(tx, id, member)) throw not_found("council.member_not_found");
    auto record = store::insert_record(tx, id, m.item, "violation", member, rule, note, std::nullopt,
                                       p.user_id ? std::optional<std::int64_t>(p.user_id) : std::nullopt, now_ms());
    audit::append(tx, actor, {"council.violation", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"member_id", member}, {"rule", rule}})});
    announce(tx, events_, actor, m, {{"what", "recorded"}, {"record_id", record}});
  });
  return view(p, id);
}

json::object MeetingRoom::point_of_order(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                         const std::string& body) const {
  JsonInput in(body, {"member_id", "text", "ruling"});
  auto member = in.opt_i64("member_id");
  auto text = in.opt_str("text", 500);
  auto ruling = in.opt_str("ruling", 500);
  if (!text || text->empty()) throw unprocessable("council.text_required", "text");
  if (ruling && ruling->empty()) ruling.reset();
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    if (member && !store::invited(tx, id, *member)) throw not_found("council.member_not_found");
    auto record = store::insert_record(tx, id, m.item, "point_of_order", member, std::nullopt, text, ruling,
                                       p.user_id ? std::optional<std::int64_t>(p.user_id) : std::nullopt, now_ms());
    audit::append(tx, actor, {"council.point_of_order", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"member_id", nullable(member)}})});
    announce(tx, events_, actor, m, {{"what", "recorded"}, {"record_id", record}});
  });
  return view(p, id);
}

}  // namespace xh::councils
