// The live meeting's commands: the chair's and the members'.
#include "councils/session.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "councils/councils.h"
#include "councils/queue.h"
#include "councils/room.h"
#include "councils/rules.h"
#include "councils/store.h"

namespace xh::councils {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

std::string checkin_code(const std::string& secret, Millis at) {
  auto digest = sha256_hex(secret + ":" + std::to_string(at / kCodeWindow));
  char code[8];
  std::snprintf(code, sizeof code, "%06llu", std::stoull(digest.substr(0, 12), nullptr, 16) % 1000000ULL);
  return code;
}

namespace room {

Meeting load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto council_id = require_meeting(tx, p, id);
  auto r = store::session_facts(tx, id);
  return {id, council_id, r->str("path"), r->str("status"), parse_rules(json::parse(r->str("params")).as_object()),
          r->opt_str("checkin_secret"), r->opt_i64("current_item_id")};
}

Meeting chaired(Tx& tx, const api::Principal& p, std::int64_t id) {
  Meeting m = load(tx, p, id);
  api::require_in_scope(p, "council.manage", m.path);
  return m;
}

Meeting in_session(Tx& tx, const api::Principal& p, std::int64_t id, bool chair) {
  Meeting m = chair ? chaired(tx, p, id) : load(tx, p, id);
  if (m.status != "open") throw conflict("council.meeting_not_open");
  return m;
}

Row seat(Tx& tx, const api::Principal& p, const Meeting& m) {
  auto s = p.user_id ? store::seat_of(tx, m.council_id, p.user_id) : std::nullopt;
  if (!s) throw forbidden("council.not_member");
  return *s;
}

void announce(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Meeting& m, json::object data) {
  events.emit(tx, {"council.session", "meeting", m.id, actor, m.path, std::nullopt, std::move(data)});
}

}  // namespace room

namespace {

using room::Meeting;
using room::chaired;
using room::in_session;
using room::load;
using room::seat;

Spoken spoken_on(Tx& tx, std::int64_t item) {
  Spoken out;
  for (const auto& s : store::speeches_on(tx, item)) {
    ++out.speeches[s.i64("member_id")];
    Side side = side_of(s.str("side"));
    if (side != Side::neutral) out.last = side;
  }
  return out;
}

// The waiting requests in the order the rules give the floor.
std::vector<FloorRequest> queue_of(Tx& tx, const Meeting& m, std::map<std::int64_t, std::string>* names = nullptr) {
  if (!m.item) return {};
  std::vector<FloorRequest> waiting;
  for (const auto& r : store::waiting(tx, *m.item)) {
    waiting.push_back({r.i64("id"), r.i64("member_id"), side_of(r.str("side"))});
    if (names) (*names)[r.i64("id")] = r.str("name");
  }
  return speaking_order(std::move(waiting), spoken_on(tx, *m.item), m.rules.alternate_sides);
}

using room::announce;

}  // namespace

json::object screen_view(Tx& tx, std::int64_t id, Lang lang) {
  (void)lang;
  auto facts = store::session_facts(tx, id);
  if (!facts) throw not_found("council.meeting_not_found");
  auto row = store::meeting(tx, id);
  Meeting m{id, facts->i64("council_id"), facts->str("path"), facts->str("status"),
            parse_rules(json::parse(facts->str("params")).as_object()), facts->opt_str("checkin_secret"),
            facts->opt_i64("current_item_id")};
  Millis now = now_ms();
  json::object out{{"title", row->str("title")}, {"council", row->str("council_name")}, {"status", m.status},
                   {"server_now_ms", now}};
  json::value item = nullptr, speaker = nullptr, checkin = nullptr;
  if (m.item)
    if (auto r = store::item(tx, id, *m.item))
      item = json::object{{"ordinal", r->i64("ordinal")}, {"kind", r->str("kind")}, {"title", r->str("title")}};
  if (auto s = store::open_speech(tx, id))
    speaker = json::object{{"name", s->str("name")}, {"side", s->str("side")},
                           {"started_at_ms", s->i64("started_at")}, {"limit_ms", s->i64("limit_ms")}};
  std::map<std::int64_t, std::string> names;
  json::array queue;
  for (const auto& r : queue_of(tx, m, &names)) queue.push_back({{"name", names[r.id]}, {"side", side_key(r.side)}});
  Row c = store::attendance_counts(tx, id);
  if (m.status == "open" && m.secret)
    checkin = json::object{{"code", checkin_code(*m.secret, now)}, {"changes_at_ms", (now / kCodeWindow + 1) * kCodeWindow}};
  out["item"] = std::move(item);
  out["speaker"] = std::move(speaker);
  out["queue"] = std::move(queue);
  out["quorum"] = {{"members", c.i64("members")},
                   {"present", c.i64("present")},
                   {"quorate", quorate(m.rules, c.i64("present") + c.i64("by_proxy"), c.i64("members"))}};
  out["checkin"] = std::move(checkin);
  json::value vote = nullptr, last = nullptr;
  if (auto v = store::open_vote(tx, id))
    vote = json::object{{"cast", v->i64("cast_count")}, {"present", v->i64("present")}, {"secret", v->flag("secret")}};
  if (auto v = store::last_closed_vote(tx, id))
    last = json::object{{"item_title", v->str("item_title")}, {"for", v->i64("votes_for")},
                        {"against", v->i64("votes_against")}, {"abstain", v->i64("votes_abstain")},
                        {"passed", v->opt_flag("passed").value_or(false)}, {"pass", v->str("pass")}};
  out["vote"] = std::move(vote);
  out["last_vote"] = std::move(last);
  return out;
}

json::object MeetingRoom::view(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    Meeting m = load(tx, p, id);
    Millis now = now_ms();
    json::object out{{"id", id}, {"status", m.status}, {"server_now", iso8601(now)}, {"server_now_ms", now}};
    json::value item = nullptr;
    if (m.item)
      if (auto r = store::item(tx, id, *m.item))
        item = json::object{{"id", r->i64("id")}, {"ordinal", r->i64("ordinal")}, {"kind", r->str("kind")},
                            {"title", r->str("title")}, {"minutes", r->i64("minutes")}};
    out["item"] = std::move(item);
    json::value speaker = nullptr;
    if (auto s = store::open_speech(tx, id))
      speaker = json::object{{"speech_id", s->i64("id")},
                             {"member_id", s->i64("member_id")},
                             {"name", s->str("name")},
                             {"side", s->str("side")},
                             {"started_at", iso8601(s->i64("started_at"))},
                             {"started_at_ms", s->i64("started_at")},
                             {"limit_ms", s->i64("limit_ms")},
                             {"extensions", s->i64("extensions")},
                             {"extensions_left", std::max<std::int64_t>(0, m.rules.extensions_per_speech - s->i64("extensions"))}};
    out["speaker"] = std::move(speaker);
    std::map<std::int64_t, std::string> names;
    auto queue = queue_of(tx, m, &names);
    json::array q;
    for (const auto& r : queue)
      q.push_back({{"request_id", r.id}, {"member_id", r.member_id}, {"name", names[r.id]}, {"side", side_key(r.side)}});
    out["queue"] = std::move(q);
    Spoken spoken = m.item ? spoken_on(tx, *m.item) : Spoken{};
    json::array counts;
    for (const auto& [member, n] : spoken.speeches) counts.push_back({{"member_id", member}, {"speeches", n}});
    out["spoken"] = std::move(counts);
    Row c = store::attendance_counts(tx, id);
    out["quorum"] = {{"members", c.i64("members")},
                     {"present", c.i64("present")},
                     {"quorate", quorate(m.rules, c.i64("present") + c.i64("by_proxy"), c.i64("members"))}};
    out["rules"] = to_json(m.rules);
    json::value me = nullptr;
    if (auto s = p.user_id ? store::seat_of(tx, m.council_id, p.user_id) : std::nullopt) {
      std::int64_t member = s->i64("id");
      json::value request = nullptr, place = nullptr;
      for (std::size_t k = 0; k < queue.size(); ++k)
        if (queue[k].member_id == member) {
          request = queue[k].id;
          place = static_cast<std::int64_t>(k + 1);
        }
      int given = spoken.speeches.count(member) ? spoken.speeches.at(member) : 0;
      bool in = store::checked_in(tx, id, member);
      me = json::object{{"member_id", member},
                        {"checked_in", in},
                        {"request_id", request},
                        {"place", place},
                        {"speeches", given},
                        {"may_request", m.status == "open" && in && request.is_null() && m.item &&
                                            given < m.rules.speeches_per_motion}};
    }
    json::value vote = nullptr, last = nullptr;
    if (auto v = store::open_vote(tx, id)) {
      json::object o = room::vote_json(tx, *v);
      bool voted = false, may = false;
      if (!me.is_null()) {
        std::int64_t member = me.as_object().at("member_id").as_int64();
        voted = store::has_voted(tx, v->i64("id"), member);
        may = !voted && v->str("method") == "phones" && me.as_object().at("checked_in").as_bool();
      }
      o["me"] = {{"voted", voted}, {"may_vote", may}};
      vote = std::move(o);
    }
    if (auto v = store::last_closed_vote(tx, id)) last = room::vote_json(tx, *v);
    out["vote"] = std::move(vote);
    out["last_vote"] = std::move(last);
    json::array records;
    for (const auto& r : store::records(tx, id)) records.push_back(room::record_json(r));
    out["records"] = std::move(records);
    out["me"] = std::move(me);
    out["chair"] = api::in_scope(p, "council.manage", m.path);
    return out;
  });
}

json::object MeetingRoom::open(const api::Principal& p, const api::Actor& actor, std::int64_t id) const {
  db_.write([&](Tx& tx) {
    Meeting m = chaired(tx, p, id);
    if (m.status != "scheduled") throw conflict("council.meeting_not_scheduled");
    store::open_meeting(tx, id, random_token(32), store::first_item(tx, id), now_ms());
    audit::append(tx, actor, {"council.meeting_open", "meeting", std::to_string(id), std::nullopt, std::nullopt});
    announce(tx, events_, actor, m, {{"what", "opened"}});
  });
  return view(p, id);
}

json::object MeetingRoom::close(const api::Principal& p, const api::Actor& actor, std::int64_t id) const {
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    Millis now = now_ms();
    if (auto s = store::open_speech(tx, id)) store::end_speech(tx, s->i64("id"), now);
    store::settle_requests(tx, id, std::nullopt, "withdrawn");
    // A vote still open is counted as it stands.
    if (auto v = store::open_vote(tx, id)) room::count_vote(tx, m, v->i64("id"), now);
    store::close_meeting(tx, id, now);
    audit::append(tx, actor, {"council.meeting_close", "meeting", std::to_string(id), std::nullopt, std::nullopt});
    announce(tx, events_, actor, m, {{"what", "closed"}});
    // Each member who came attended (points may pay for it: meeting_attended).
    for (const auto& r : store::present(tx, id))
      events_.emit(tx, {"council.meeting_attended", "meeting", id, api::Actor::system(), m.path, r.opt_i64("user_id"),
                        {{"member_id", r.i64("member_id")},
                         {"occasion", std::to_string(id) + ":" + std::to_string(r.i64("member_id"))}}});
  });
  return view(p, id);
}

json::object MeetingRoom::code(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    Millis now = now_ms();
    return json::object{{"code", checkin_code(*m.secret, now)},
                        {"changes_at", iso8601((now / kCodeWindow + 1) * kCodeWindow)}};
  });
}

json::object MeetingRoom::move_to(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const std::string& body) const {
  JsonInput in(body, {"item_id"});
  auto item = in.i64("item_id");
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    if (!store::item(tx, id, item)) throw unprocessable("council.bad_item", "item_id");
    if (m.item == item) return;  // there already
    // One motion at a time: not while someone has the floor.
    if (store::open_speech(tx, id)) throw conflict("council.floor_taken");
    if (store::open_vote(tx, id)) throw conflict("council.vote_open");
    store::settle_requests(tx, id, std::nullopt, "withdrawn");
    store::set_current_item(tx, id, item);
    audit::append(tx, actor, {"council.item", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"item_id", item}})});
    announce(tx, events_, actor, m, {{"what", "item"}, {"item_id", item}});
  });
  return view(p, id);
}

json::object MeetingRoom::check_in_member(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                          std::int64_t member_id) const {
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    if (!store::invited(tx, id, member_id)) throw not_found("council.member_not_found");
    if (store::check_in(tx, id, member_id, p.user_id, now_ms())) {
      audit::append(tx, actor, {"council.check_in", "meeting", std::to_string(id), std::nullopt,
                                json::serialize(json::object{{"member_id", member_id}, {"by", "chair"}})});
      announce(tx, events_, actor, m, {{"what", "checked_in"}, {"member_id", member_id}});
    }
  });
  return view(p, id);
}

json::object MeetingRoom::grant(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body) const {
  JsonInput in(body, {"request_id", "reason"});
  auto chosen = in.opt_i64("request_id");
  auto reason = in.opt_str("reason", 200);
  if (reason && reason->empty()) reason.reset();
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    if (store::open_speech(tx, id)) throw conflict("council.floor_taken");
    if (store::open_vote(tx, id)) throw conflict("council.vote_open");  // no debate while a vote is taken
    auto queue = queue_of(tx, m);
    if (queue.empty()) throw conflict("council.queue_empty");
    FloorRequest next = queue.front();
    std::optional<std::string> override_reason;
    if (chosen && *chosen != next.id) {
      auto it = std::find_if(queue.begin(), queue.end(), [&](const FloorRequest& r) { return r.id == *chosen; });
      if (it == queue.end()) throw not_found("council.request_not_found");
      if (!reason) throw unprocessable("council.override_reason", "reason");
      next = *it;
      override_reason = reason;
    }
    Millis now = now_ms();
    if (!store::grant_request(tx, next.id)) throw conflict("council.floor_taken");
    std::int64_t speech;
    try {
      speech = store::insert_speech(tx, id, *m.item, next.member_id, side_key(next.side), next.id, now,
                                    m.rules.speech_seconds * 1000LL, override_reason, p.user_id);
    } catch (const storage::UniqueViolation&) {
      throw conflict("council.floor_taken");  // another grant committed first
    }
    audit::append(tx, actor, {"council.grant", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"member_id", next.member_id},
                                                           {"override_reason", nullable(override_reason)}})});
    announce(tx, events_, actor, m, {{"what", "granted"}, {"speech_id", speech}, {"member_id", next.member_id}});
  });
  return view(p, id);
}

json::object MeetingRoom::end_speech(const api::Principal& p, const api::Actor& actor, std::int64_t id) const {
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    auto s = store::open_speech(tx, id);
    if (!s || !store::end_speech(tx, s->i64("id"), now_ms())) throw conflict("council.no_speech");
    audit::append(tx, actor, {"council.speech_end", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"speech_id", s->i64("id")}})});
    announce(tx, events_, actor, m, {{"what", "ended"}, {"speech_id", s->i64("id")}});
  });
  return view(p, id);
}

json::object MeetingRoom::extend(const api::Principal& p, const api::Actor& actor, std::int64_t id) const {
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, true);
    auto s = store::open_speech(tx, id);
    if (!s) throw conflict("council.no_speech");
    if (!store::extend_speech(tx, s->i64("id"), m.rules.extension_seconds * 1000LL, m.rules.extensions_per_speech))
      throw conflict("council.no_extension");
    audit::append(tx, actor, {"council.extend", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"speech_id", s->i64("id")}})});
    announce(tx, events_, actor, m, {{"what", "extended"}, {"speech_id", s->i64("id")}});
  });
  return view(p, id);
}

json::object MeetingRoom::check_in(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                   const std::string& body) const {
  JsonInput in(body, {"code"});
  auto code = in.str("code", 10);
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, false);
    Row member = seat(tx, p, m);
    Millis now = now_ms();
    // This window's code, or the one before (it changed while being typed).
    if (code != checkin_code(*m.secret, now) && code != checkin_code(*m.secret, now - kCodeWindow))
      throw unprocessable("council.bad_code", "code");
    if (store::check_in(tx, id, member.i64("id"), std::nullopt, now))
      announce(tx, events_, actor, m, {{"what", "checked_in"}, {"member_id", member.i64("id")}});
  });
  return view(p, id);
}

json::object MeetingRoom::request_floor(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                        const std::string& body) const {
  JsonInput in(body, {"side"});
  auto side = in.str("side", 10);
  if (side != "pro" && side != "con" && side != "neutral") throw unprocessable("council.bad_side", "side");
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, false);
    Row member = seat(tx, p, m);
    std::int64_t who = member.i64("id");
    if (!store::checked_in(tx, id, who)) throw conflict("council.not_checked_in");
    if (!m.item) throw conflict("council.meeting_not_open");
    if (store::waiting_of(tx, *m.item, who)) throw conflict("council.already_waiting");
    auto spoken = spoken_on(tx, *m.item);
    if (spoken.speeches[who] >= m.rules.speeches_per_motion) throw unprocessable("council.speech_limit", "side");
    auto request = store::insert_request(tx, id, *m.item, who, side, now_ms());
    announce(tx, events_, actor, m, {{"what", "requested"}, {"request_id", request}, {"member_id", who}});
  });
  return view(p, id);
}

json::object MeetingRoom::withdraw(const api::Principal& p, const api::Actor& actor, std::int64_t id) const {
  db_.write([&](Tx& tx) {
    Meeting m = in_session(tx, p, id, false);
    Row member = seat(tx, p, m);
    if (store::settle_requests(tx, id, member.i64("id"), "withdrawn") == 0) throw conflict("council.not_waiting");
    announce(tx, events_, actor, m, {{"what", "withdrawn"}, {"member_id", member.i64("id")}});
  });
  return view(p, id);
}

}  // namespace xh::councils
