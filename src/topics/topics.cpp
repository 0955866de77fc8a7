#include "topics/topics.h"

#include <algorithm>
#include <boost/json.hpp>

#include "api/list.h"
#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "councils/councils.h"
#include "people/identity.h"
#include "places/reach.h"
#include "topics/store.h"
#include "votes/owner_votes.h"
#include "workorders/photos.h"
#include "workorders/subject_photos.h"

namespace xh::topics {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

using places::reaches;

Row load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto t = store::topic(tx, id);
  if (!t || !reaches(tx, p, "topic.read", t->str("path"), t->opt_str("grid_path")))
    throw not_found("topic.not_found");
  return *t;
}

bool reviewer(const api::Principal& p, const Row& t) {
  return api::in_scope(p, "topic.review", t.str("path"));
}

Row reviewed(Tx& tx, const api::Principal& p, std::int64_t id) {
  Row t = load(tx, p, id);
  api::require_in_scope(p, "topic.review", t.str("path"));
  return t;
}

bool open_status(const std::string& s) { return s == "raised" || s == "accepted"; }

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& t,
             const char* what, json::array notify = {}) {
  json::object data{{"what", what}};
  if (!notify.empty()) data["notify"] = std::move(notify);
  events.emit(tx, {"topic.changed", "topic", t.i64("id"), actor, t.str("path"), std::nullopt,
                   std::move(data)});
}

// A notice to the topic's raiser and supporters, the one acting aside.
json::array tell_followers(Tx& tx, const Row& t, const api::Principal& actor, const char* kind,
                           const char* text, json::object params) {
  json::array notify;
  params["title"] = t.str("title");
  for (auto user : store::followers(tx, t.i64("id"))) {
    if (user == actor.user_id) continue;
    notify.push_back({{"user_id", user},
                      {"kind", kind},
                      {"text", text},
                      {"params", params},
                      {"subject_type", "topic"},
                      {"subject_id", t.i64("id")}});
  }
  return notify;
}

json::value ref(const std::optional<std::int64_t>& id, const std::optional<std::string>& title) {
  if (!id) return nullptr;
  return json::object{{"id", *id}, {"title", title.value_or("")}};
}

json::object view(Tx& tx, const api::Principal& p, const Row& t) {
  std::int64_t id = t.i64("id");
  std::string status = t.str("status");
  bool staff = reviewer(p, t);
  bool mine = t.i64("raised_by") == p.user_id;
  bool supported = store::supports(tx, id, p.user_id);
  json::object out{
      {"id", id},
      {"place_id", t.i64("place_id")},
      {"place", t.str("place_name")},
      {"title", t.str("title")},
      {"body", t.str("body")},
      {"status", status},
      {"supports", t.i64("supports")},
      {"supported", supported},
      {"mine", mine},
      // Neighbours see who raised it as 王**; staff over the place in full.
      {"raiser", staff || mine ? t.str("raiser_name") : people::mask_name(t.str("raiser_name"))},
      {"org", nullable(t.opt_str("org_name"))},
      {"raised_at", iso8601(t.i64("created_at"))},
      {"photos", workorders::photos_json(t.str("photos"))}};
  json::value council = nullptr;
  if (auto c = t.opt_i64("council_id"))
    council = json::object{{"id", *c}, {"name", t.str("council_name")}};
  out["council"] = std::move(council);
  json::value meeting = nullptr;
  if (auto m = t.opt_i64("meeting_id"))
    meeting = json::object{{"id", *m},
                           {"title", t.str("meeting_title")},
                           {"starts_at", iso8601(t.i64("meeting_starts_at"))},
                           {"status", t.str("meeting_status")}};
  out["meeting"] = std::move(meeting);
  out["merged_into"] = ref(t.opt_i64("merged_into"), t.opt_str("merged_into_title"));
  json::array merged;
  for (const auto& m : store::merged_into_it(tx, id))
    merged.push_back({{"id", m.i64("id")}, {"title", m.str("title")}});
  out["merged"] = std::move(merged);
  out["reason"] = nullable(t.opt_str("reason"));
  out["reviewed_at"] = nullable_time(t.opt_i64("reviewed_at"));
  json::value decision = nullptr;
  if (auto at = t.opt_i64("decided_at")) {
    json::value carrier_org = nullptr;
    if (auto o = t.opt_i64("carrier_org_id"))
      carrier_org = json::object{{"id", *o}, {"name", t.str("carrier_org_name")}};
    decision = json::object{
        {"outcome", status == "rejected" ? "rejected" : "adopted"},
        {"text", t.str("decision")},
        {"meeting", ref(t.opt_i64("decided_in_meeting"), t.opt_str("decided_meeting_title"))},
        {"owner_vote", ref(t.opt_i64("owner_vote_id"), t.opt_str("owner_vote_title"))},
        {"carrier", nullable(t.opt_str("carrier"))},
        {"carrier_org", std::move(carrier_org)},
        {"decided_at", iso8601(*at)}};
  }
  out["decision"] = std::move(decision);
  out["progress"] = t.i64("progress");
  out["done_at"] = nullable_time(t.opt_i64("done_at"));
  json::array updates;
  for (const auto& u : store::updates(tx, id)) {
    json::value pct = nullptr;
    if (auto x = u.opt_i64("progress")) pct = *x;
    updates.push_back({{"id", u.i64("id")},
                       {"kind", u.str("kind")},
                       {"text", nullable(u.opt_str("text"))},
                       {"progress", pct},
                       {"photos", workorders::photos_json(u.str("photos"))},
                       {"by", nullable(u.opt_str("by_name"))},
                       {"at", iso8601(u.i64("created_at"))}});
  }
  out["updates"] = std::move(updates);
  out["may_support"] = open_status(status) && !mine &&
                       reaches(tx, p, "topic.support", t.str("path"), t.opt_str("grid_path"));
  out["may_review"] = staff && status == "raised";
  out["may_decide"] = staff && open_status(status);
  out["may_update"] = staff && status == "decided";
  return out;
}

// The place a topic is raised on, checked: 422 topic.bad_place.
Row topic_place(Tx& tx, const api::Principal& p, std::int64_t place_id) {
  auto pl = store::place(tx, place_id);
  if (!pl) throw unprocessable("topic.bad_place", "place_id");
  auto kind = pl->str("kind");
  if (kind != "community" && kind != "compound" && kind != "building")
    throw unprocessable("topic.bad_place", "place_id");
  if (!reaches(tx, p, "topic.raise", pl->str("path"), pl->opt_str("grid_path")))
    throw unprocessable("topic.bad_place", "place_id");
  return *pl;
}

}  // namespace

void require_topic(Tx& tx, const api::Principal& p, std::int64_t id) { load(tx, p, id); }

std::int64_t waiting_review(Tx& tx, const api::Principal& p) {
  if (!p.has_permission("topic.review")) return 0;
  std::vector<storage::Param> params;
  std::string scope = api::scope_condition(p, "topic.review", {"path"}, params);
  return tx
      .query_one_v("SELECT COUNT(*) AS n FROM topics WHERE status = 'raised' AND " + scope, params)
      ->i64("n");
}

json::object Topics::raise(const api::Principal& p, const api::Actor& actor,
                           const std::string& body, Lang) const {
  api::require(p, "topic.raise");
  JsonInput in(body, {"place_id", "title", "body", "photos", "org_id"});
  auto place_id = in.i64("place_id");
  auto title = in.str("title", 60);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto text = in.str("body", 2000);
  if (text.empty()) throw unprocessable("request.missing_field", "body");
  auto photos = in.opt_str_array("photos", workorders::kMaxPhotosPerReport, 64)
                    .value_or(std::vector<std::string>{});
  auto org_id = in.opt_i64("org_id");
  auto id = db_.write([&](Tx& tx) {
    Row pl = topic_place(tx, p, place_id);
    if (org_id && !store::org_contact(tx, *org_id, p.user_id))
      throw unprocessable("topic.bad_org", "org_id");
    auto id = store::insert_topic(tx,
                                  {place_id, pl.str("path"), pl.opt_str("grid_path"), title, text,
                                   workorders::photo_ids_json(photos), p.user_id, org_id},
                                  now_ms());
    workorders::attach_to_subject(tx, photos, p.user_id, "topic", id);
    audit::append(tx, actor,
                  {"topic.raise", "topic", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"title", title}, {"place_id", place_id}})});
    auto t = store::topic(tx, id);
    changed(tx, events_, actor, *t, "raised");
    return id;
  });
  return db_.read([&](Tx& tx) { return view(tx, p, load(tx, p, id)); });
}

json::object Topics::list(const api::Principal& p, const TopicQuery& q, Lang) const {
  api::require(p, "topic.read");
  static const std::vector<std::string> statuses = {"open",     "raised",  "accepted", "merged",
                                                    "declined", "decided", "rejected", "done"};
  if (q.status && std::find(statuses.begin(), statuses.end(), *q.status) == statuses.end())
    throw bad_request("request.bad_query", "status");
  return db_.read([&](Tx& tx) {
    static const api::SortTable sorts = {{"created_at", "t.created_at, t.id"},
                                         {"supports", "t.supports, t.id"}};
    api::ListQuery l("topics t JOIN places pl ON pl.id = t.place_id");
    auto scope = places::reach_clause(p, "topic.read", "t.path", "t.grid_path");
    l.where(scope.sql, scope.values);
    if (q.status == "open")
      l.where("t.status IN ('raised', 'accepted')");
    else
      l.where_if("t.status = ?", q.status);
    if (q.place_id) {
      auto pl = store::place(tx, *q.place_id);
      if (!pl) throw bad_request("request.bad_query", "place_id");
      l.under("t.path", pl->str("path"));
    }
    if (q.mine)
      l.where(
          "(t.raised_by = ? OR EXISTS (SELECT 1 FROM topic_supports s WHERE s.topic_id = t.id AND "
          "s.user_id = ?))",
          {p.user_id, p.user_id});
    if (q.q && !q.q->empty()) {
      std::string like = "%";
      for (char c : *q.q) {
        if (c == '%' || c == '_' || c == '\\') like += '\\';
        like += c;
      }
      like += "%";
      l.where("(t.title LIKE ? ESCAPE '\\' OR t.body LIKE ? ESCAPE '\\')", {like, like});
    }
    l.sort(sorts, q.sort, "-created_at").page(q.page);
    auto found = l.rows(tx,
                        "t.id, t.place_id, pl.name AS place_name, t.title, t.status, t.supports, "
                        "t.created_at, t.photos, "
                        "t.progress, CASE WHEN EXISTS (SELECT 1 FROM topic_supports s WHERE "
                        "s.topic_id = t.id AND s.user_id = " +
                            std::to_string(p.user_id) +
                            ") THEN 1 ELSE 0 END AS supported, CASE WHEN t.raised_by = " +
                            std::to_string(p.user_id) + " THEN 1 ELSE 0 END AS mine");
    json::array items;
    for (const auto& r : found.rows)
      items.push_back({{"id", r.i64("id")},
                       {"place_id", r.i64("place_id")},
                       {"place", r.str("place_name")},
                       {"title", r.str("title")},
                       {"status", r.str("status")},
                       {"supports", r.i64("supports")},
                       {"supported", r.flag("supported")},
                       {"mine", r.flag("mine")},
                       {"progress", r.i64("progress")},
                       {"raised_at", iso8601(r.i64("created_at"))},
                       {"photos", workorders::photos_json(r.str("photos"))}});
    return json::object{{"items", std::move(items)}, {"total", found.total}};
  });
}

json::object Topics::get(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return view(tx, p, load(tx, p, id)); });
}

json::object Topics::support(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             bool on, Lang) const {
  api::require(p, "topic.support");
  return db_.write([&](Tx& tx) {
    Row t = load(tx, p, id);
    if (!reaches(tx, p, "topic.support", t.str("path"), t.opt_str("grid_path")))
      throw forbidden("auth.scope_denied", "topic.support");
    if (t.i64("raised_by") == p.user_id) throw conflict("topic.own");
    if (!open_status(t.str("status"))) throw conflict("topic.closed");
    if (on ? !store::add_support(tx, id, p.user_id, now_ms())
           : !store::remove_support(tx, id, p.user_id))
      throw conflict(on ? "topic.supported" : "topic.not_supported");
    changed(tx, events_, actor, t, on ? "supported" : "unsupported");
    return view(tx, p, load(tx, p, id));
  });
}

json::object Topics::review(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body, Lang) const {
  api::require(p, "topic.review");
  JsonInput in(body, {"action", "council_id", "meeting_id", "minutes", "into_id", "reason"});
  auto action = in.str("action", 20);
  if (action != "accept" && action != "merge" && action != "decline")
    throw unprocessable("topic.bad_action", "action");
  auto reason = in.opt_str("reason", 500);
  if (reason && reason->empty()) reason.reset();
  return db_.write([&](Tx& tx) {
    Row t = reviewed(tx, p, id);
    if (t.str("status") != "raised") throw conflict("topic.not_raised");
    Millis now = now_ms();
    json::array notify;
    if (action == "accept") {
      auto council_id = in.i64("council_id");
      auto c = store::council(tx, council_id);
      // A council over the topic's place (or under the caller's scope, at it).
      if (!c || !api::in_scope(p, "council.manage", c->str("path")) ||
          !(starts_with(t.str("path"), c->str("path")) ||
            starts_with(c->str("path"), t.str("path"))))
        throw unprocessable("topic.bad_council", "council_id");
      std::optional<std::int64_t> meeting_id = in.opt_i64("meeting_id"), item;
      if (meeting_id) {
        auto m = store::meeting(tx, *meeting_id);
        if (!m || m->i64("council_id") != council_id)
          throw unprocessable("topic.bad_meeting", "meeting_id");
        auto minutes = in.opt_i64("minutes").value_or(15);
        if (minutes < 1 || minutes > 240) throw unprocessable("topic.bad_minutes", "minutes");
        item = councils::put_on_agenda(
            tx, events_, actor, *meeting_id,
            {"discussion", t.str("title"), std::nullopt, static_cast<int>(minutes)});
      }
      if (!store::accept(tx, id, council_id, meeting_id, item, p.user_id, now))
        throw conflict("topic.not_raised");
      store::add_update(tx, id, "accepted", std::nullopt, std::nullopt, "[]", p.user_id, now);
      notify = tell_followers(tx, t, p, "topic.reviewed", "topic.notice.accepted",
                              {{"council", c->str("name")}});
    } else if (action == "merge") {
      auto into_id = in.i64("into_id");
      auto into = into_id == id ? std::nullopt : store::topic(tx, into_id);
      if (!into || into->str("path") != t.str("path") || !open_status(into->str("status")))
        throw unprocessable("topic.bad_merge", "into_id");
      if (!store::merge(tx, id, into_id, reason, p.user_id, now))
        throw conflict("topic.not_raised");
      store::move_supports(tx, id, into_id, t.i64("raised_by"), now);
      store::add_update(tx, id, "merged", reason, std::nullopt, "[]", p.user_id, now);
      notify = tell_followers(tx, t, p, "topic.reviewed", "topic.notice.merged",
                              {{"into", into->str("title")}});
      changed(tx, events_, actor, *into, "merged_in");
    } else {
      if (!reason) throw unprocessable("topic.reason_required", "reason");
      if (!store::decline(tx, id, *reason, p.user_id, now)) throw conflict("topic.not_raised");
      store::add_update(tx, id, "declined", reason, std::nullopt, "[]", p.user_id, now);
      notify = tell_followers(tx, t, p, "topic.reviewed", "topic.notice.declined",
                              {{"reason", *reason}});
    }
    audit::append(tx, actor,
                  {"topic.review", "topic", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"action", action}})});
    changed(tx, events_, actor, t, "reviewed", std::move(notify));
    return view(tx, p, load(tx, p, id));
  });
}

json::object Topics::decide(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body, Lang) const {
  api::require(p, "topic.review");
  JsonInput in(body,
               {"outcome", "text", "meeting_id", "owner_vote_id", "carrier", "carrier_org_id"});
  auto outcome = in.str("outcome", 20);
  if (outcome != "adopted" && outcome != "rejected")
    throw unprocessable("topic.bad_outcome", "outcome");
  store::Decision d;
  d.adopted = outcome == "adopted";
  d.text = in.str("text", 2000);
  if (d.text.empty()) throw unprocessable("request.missing_field", "text");
  d.meeting_id = in.opt_i64("meeting_id");
  d.owner_vote_id = in.opt_i64("owner_vote_id");
  if (d.meeting_id.has_value() == d.owner_vote_id.has_value())
    throw unprocessable("topic.bad_forum", "meeting_id");
  d.carrier = in.opt_str("carrier", 100);
  if (d.carrier && d.carrier->empty()) d.carrier.reset();
  d.carrier_org_id = in.opt_i64("carrier_org_id");
  if (d.adopted && !d.carrier && !d.carrier_org_id)
    throw unprocessable("topic.carrier_required", "carrier");
  if (!d.adopted) {  // nothing to carry out
    d.carrier.reset();
    d.carrier_org_id.reset();
  }
  return db_.write([&](Tx& tx) {
    Row t = reviewed(tx, p, id);
    if (!open_status(t.str("status"))) throw conflict("topic.not_open");
    if (d.carrier_org_id && !store::org_exists(tx, *d.carrier_org_id))
      throw unprocessable("topic.bad_carrier", "carrier_org_id");
    if (d.meeting_id) {
      auto m = store::meeting(tx, *d.meeting_id);
      if (!m || !api::in_scope(p, "council.read", m->str("path")) ||
          !(starts_with(t.str("path"), m->str("path")) ||
            starts_with(m->str("path"), t.str("path"))))
        throw unprocessable("topic.bad_meeting", "meeting_id");
      if (m->str("status") != "closed") throw unprocessable("topic.meeting_not_held", "meeting_id");
    } else {
      votes::VoteFacts v;
      try {
        v = votes::vote_facts(tx, p, *d.owner_vote_id);
      } catch (const Error&) {
        throw unprocessable("topic.bad_vote", "owner_vote_id");
      }
      // Held over the topic's place (at it or above it): a building's vote does not bind its
      // compound.
      if (!starts_with(t.str("path"), v.path))
        throw unprocessable("topic.bad_vote", "owner_vote_id");
      if (v.status != "closed") throw unprocessable("topic.vote_not_closed", "owner_vote_id");
      if (v.passed.value_or(false) != d.adopted)
        throw unprocessable("topic.vote_outcome", "outcome");
    }
    Millis now = now_ms();
    if (!store::decide(tx, id, d, now)) throw conflict("topic.not_open");
    store::add_update(tx, id, d.adopted ? "decided" : "rejected", d.text, std::nullopt, "[]",
                      p.user_id, now);
    audit::append(tx, actor,
                  {"topic.decide", "topic", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"outcome", outcome}})});
    auto notify = tell_followers(tx, t, p, "topic.decided",
                                 d.adopted ? "topic.notice.adopted" : "topic.notice.rejected",
                                 {{"decision", d.text}});
    changed(tx, events_, actor, t, "decided", std::move(notify));
    return view(tx, p, load(tx, p, id));
  });
}

json::object Topics::update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body, Lang) const {
  api::require(p, "topic.review");
  JsonInput in(body, {"text", "progress", "photos", "done"});
  auto text = in.str("text", 2000);
  if (text.empty()) throw unprocessable("request.missing_field", "text");
  bool done = in.opt_bool("done").value_or(false);
  auto progress = in.opt_i64("progress").value_or(done ? 100 : -1);
  if (progress < 0 || progress > 100 || (done && progress != 100))
    throw unprocessable("topic.bad_progress", "progress");
  auto photos = in.opt_str_array("photos", workorders::kMaxPhotosPerReport, 64)
                    .value_or(std::vector<std::string>{});
  return db_.write([&](Tx& tx) {
    Row t = reviewed(tx, p, id);
    if (t.str("status") != "decided") throw conflict("topic.not_decided");
    if (progress < t.i64("progress")) throw unprocessable("topic.bad_progress", "progress");
    Millis now = now_ms();
    workorders::attach_to_subject(tx, photos, p.user_id, "topic", id);
    if (!store::set_progress(tx, id, static_cast<int>(progress), done, now))
      throw conflict("topic.not_decided");
    store::add_update(tx, id, done ? "done" : "progress", text, static_cast<int>(progress),
                      workorders::photo_ids_json(photos), p.user_id, now);
    audit::append(tx, actor,
                  {done ? "topic.done" : "topic.progress", "topic", std::to_string(id),
                   std::nullopt, json::serialize(json::object{{"progress", progress}})});
    json::array notify;
    if (done)
      notify = tell_followers(tx, t, p, "topic.done", "topic.notice.done", {{"text", text}});
    changed(tx, events_, actor, t, done ? "done" : "progress", std::move(notify));
    return view(tx, p, load(tx, p, id));
  });
}

}  // namespace xh::topics
