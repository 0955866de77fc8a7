// The work-order commands: filing (also by Open311 clients), the steps of the
// closed loop, rating, follow-up, following, consultation, and the scheduled
// escalation and follow-up question.
#include "workorders/workorders.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_output.h"
#include "people/identity.h"
#include "places/places.h"
#include "schedule/schedule.h"
#include "workorders/access.h"
#include "workorders/geo.h"
#include "workorders/module_orders.h"
#include "workorders/photos.h"
#include "workorders/store.h"
#include "workorders/views.h"

namespace xh::workorders {

namespace json = boost::json;
using storage::Tx;
using store::Order;

namespace {

const api::Actor kSystem = api::Actor::system();

Order load(Tx& tx, std::int64_t id) {
  auto o = store::find_order(tx, id);
  if (!o) throw not_found("workorder.not_found");
  return *o;
}

// The place a report is about, with what routing needs.
struct Spot {
  std::int64_t id;
  std::string kind, path;
  std::optional<std::string> grid_path;
  std::optional<std::int64_t> compound_id, property_org_id, lat_e6, lng_e6;
};

Spot find_spot(Tx& tx, std::int64_t place_id) {
  static const std::vector<std::string> kinds = {"community", "grid", "micro_grid", "compound",
                                                 "building", "unit"};
  auto place = places::find(tx, place_id);
  if (!place || place->archived_at ||
      std::find(kinds.begin(), kinds.end(), place->kind) == kinds.end())
    throw unprocessable("workorder.bad_place", "place_id");
  Spot s{place->id, place->kind, place->path, place->grid_path, {}, {}, {}, {}};
  // The compound above it, and the nearest point on the way up.
  auto ids = api::path_ids(s.path);
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    auto up = *it == place->id ? place : places::find(tx, *it);
    if (!s.lat_e6 && up->lat_e6) {
      s.lat_e6 = up->lat_e6;
      s.lng_e6 = up->lng_e6;
    }
    if (up->kind == "compound" && !s.compound_id) {
      s.compound_id = up->id;
      s.property_org_id = up->property_org_id;
    }
  }
  return s;
}

std::optional<std::int64_t> to_e6(std::optional<double> deg) {
  if (!deg) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(*deg * 1e6));
}

void check_point(std::optional<double> lat, std::optional<double> lng) {
  if ((lat && !std::isfinite(*lat)) || (lng && !std::isfinite(*lng)))
    throw unprocessable("workorder.bad_point", "lat");
  if (lat.has_value() != lng.has_value() ||
      (lat && (*lat < -90 || *lat > 90 || *lng < -180 || *lng > 180)))
    throw unprocessable("workorder.bad_point", "lat");
}

bool blank(const std::optional<std::string>& s) {
  return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
}

// What a new order needs once the caller is checked.
struct NewOrder {
  store::Category category;
  Spot spot;
  std::string text, channel;
  std::optional<std::int64_t> lat_e6, lng_e6;
  std::optional<std::int64_t> reporter_id, filed_by;
  std::optional<std::string> reporter_name, reporter_phone_enc, open311_token;
  bool anonymous = false, urgent = false;
  bool public_text = false;
  std::optional<std::string> address_text, media_url;
  std::optional<std::int64_t> body_org_id;  // another module's order: who handles it
  std::optional<Millis> deadline_at;        // and by when
};

// A place where a category came back often enough gets re-inspections for
// its grid worker, unless some are still pending.
void plan_reinspections(Tx& tx, const Settings& st, const NewOrder& n, Millis now) {
  if (store::recurrences_since(tx, n.spot.id, n.category.key, now - st.hotspot_window_days * kDay) <
      st.hotspot_threshold)
    return;
  if (store::has_pending_inspection(tx, n.spot.id, n.category.key)) return;
  for (int k = 1; k <= st.reinspection_count; ++k) {
    Millis due = now + k * st.reinspection_interval_days * kDay;
    auto id = store::add_inspection(tx, n.spot.id, n.spot.path, n.spot.grid_path, n.category.key,
                                    due, now);
    schedule::add(tx, "workorder.inspection_due", id, std::max(now, due - kDay));
  }
}

std::int64_t insert_order(Tx& tx, const api::Actor& actor, NewOrder n) {
  Millis now = now_ms();
  store::Routing r = store::route(tx, n.category, n.spot.path);
  std::optional<std::int64_t> org;
  if (n.body_org_id) {
    r.body = "property";
    org = n.body_org_id;
  } else if (r.body == "property") {
    org = n.spot.property_org_id;
    if (!org) r.body = "community";  // no property company: the community looks after it
  }
  if (n.deadline_at) r.deadline_hours = static_cast<int>(std::max<Millis>(1, (*n.deadline_at - now + kHour - 1) / kHour));
  Settings st = store::settings(tx);
  auto recurrence_of =
      store::latest_closed(tx, n.spot.id, n.category.key, now - st.recurrence_window_days * kDay);
  if (!n.lat_e6) {
    n.lat_e6 = n.spot.lat_e6;
    n.lng_e6 = n.spot.lng_e6;
  }
  Millis deadline = n.deadline_at ? *n.deadline_at : now + r.deadline_hours * kHour;
  auto id = store::insert_order(
      tx, {n.category.key, n.spot.id, n.spot.path, n.spot.grid_path, n.spot.compound_id, n.lat_e6,
           n.lng_e6, n.text, r.urgent || n.urgent, r.body, org, r.deadline_hours, deadline,
           n.reporter_id, n.reporter_name, n.reporter_phone_enc, n.anonymous, n.channel, n.filed_by,
           recurrence_of, n.open311_token, now, n.public_text, n.address_text, n.media_url});
  store::add_event(tx, id, actor, "file", std::nullopt, std::string("submitted"), std::nullopt, now);
  schedule::add(tx, "workorder.escalate", id, deadline);
  if (recurrence_of) plan_reinspections(tx, st, n, now);
  json::object after{{"category", n.category.key}, {"place_id", n.spot.id}, {"body", r.body},
                     {"deadline_at", deadline}, {"channel", n.channel}};
  if (recurrence_of) after["recurrence_of"] = *recurrence_of;
  audit::append(tx, actor, {"workorder.file", "work_order", std::to_string(id), std::nullopt,
                            json::serialize(after)});
  return id;
}

store::Category active_category(Tx& tx, const std::string& key) {
  auto c = store::find_category(tx, key);
  if (!c || !c->active) throw unprocessable("workorder.bad_category", "category");
  return *c;
}

// The place an Open311 request is about: its address_id (a place code), else
// the nearest compound within a kilometre of its point, else a compound or
// building of that name or address.
// Where an Open311 request is: the place its address_id names; else the
// place its address_string names (free text as people write it, matched by
// the longest place name it holds); else the compound nearest its point.
// The address_string is kept as written in any case (see file_open311).
std::int64_t open311_place(Tx& tx, const Open311Report& r) {
  if (r.address_id) {
    auto id = store::place_by_code(tx, *r.address_id);
    if (!id) throw bad_request("open311.bad_address_id", "address_id");
    return *id;
  }
  if (r.address_string)
    if (auto id = store::place_by_address(tx, *r.address_string)) return *id;
  if (r.lat) {
    auto lat = *to_e6(r.lat), lng = *to_e6(r.lng);
    double best = 1000;
    std::optional<std::int64_t> place;
    for (const auto& c : store::compounds_near(tx, lat, lng, 9000, 12000)) {
      double d = distance_m(lat, lng, c.lat_e6, c.lng_e6);
      if (d <= best) {
        best = d;
        place = c.id;
      }
    }
    if (!place) throw bad_request("open311.outside_area", "lat");
    return *place;
  }
  if (r.address_string) throw bad_request("open311.unknown_address", "address_string");
  throw bad_request("open311.location_required", "lat");
}

// Attaches uploaded photos (uploaded by `uploader`); 422 workorder.bad_photo
// for one that is not theirs.
void attach_photos(Tx& tx, std::int64_t order_id, const std::vector<std::string>& ids,
                   std::string_view stage, std::int64_t uploader) {
  for (const auto& id : ids) {
    if (!store::photo_uploaded_by(tx, id, uploader))
      throw unprocessable("workorder.bad_photo", "photos");
    store::attach_photo(tx, order_id, id, stage);
  }
}

}  // namespace

json::object WorkOrders::file_report(const api::Principal& p, const api::Actor& actor,
                                     const Report& r, Lang lang) const {
  check_point(r.lat, r.lng);
  if (r.photos.size() > kMaxPhotosPerReport)
    throw unprocessable("workorder.too_many_photos", "photos");
  return db_.write([&](Tx& tx) {
    NewOrder n{active_category(tx, r.category), find_spot(tx, r.place_id), r.text};
    if (blank(r.text)) throw unprocessable("workorder.text_required", "text");
    if (r.on_behalf) {
      api::require(p, "workorder.on_behalf");
      if (!api::in_scope_any(p, "workorder.on_behalf", {n.spot.path, n.spot.grid_path.value_or("")}))
        throw forbidden("auth.scope_denied", "workorder.on_behalf");
      const auto& ob = *r.on_behalf;
      if (ob.name.empty()) throw unprocessable("request.missing_field", "on_behalf.name");
      if (ob.channel != "phone" && ob.channel != "walk_in")
        throw unprocessable("workorder.bad_channel", "on_behalf.channel");
      if (ob.phone) {
        auto phone = people::parse_phone(*ob.phone);
        if (!phone) throw unprocessable("workorder.bad_phone", "on_behalf.phone");
        n.reporter_phone_enc = cipher_.encrypt(*phone);
      }
      n.reporter_name = ob.name;
      n.channel = ob.channel;
    } else {
      api::require(p, "workorder.file");
      if (!access::may_file_at(p, "workorder.file", n.spot.path))
        throw forbidden("auth.scope_denied", "workorder.file");
      n.reporter_id = p.user_id;
      n.channel = p.is_staff() ? "console" : "mobile";
    }
    if (r.urgent && !p.is_staff()) throw forbidden("auth.permission_denied", "workorder.urgent");
    n.filed_by = p.user_id;
    n.anonymous = r.anonymous;
    n.public_text = r.public_text;
    n.urgent = r.urgent;
    n.lat_e6 = to_e6(r.lat);
    n.lng_e6 = to_e6(r.lng);
    auto id = insert_order(tx, actor, n);
    attach_photos(tx, id, r.photos, "report", p.user_id);
    return views::order_detail(tx, cipher_, p, id, lang);
  });
}

json::object WorkOrders::follow(const api::Principal& p, const api::Actor& actor,
                                std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    Order o = load(tx, id);
    if (!access::can_read(tx, p, o) && !access::may_look_at(p, o.path))
      throw forbidden("auth.scope_denied", "workorder.read");
    if (access::is_reporter(p, o)) throw conflict("workorder.own_report");
    if (!is_open(o.status)) throw conflict("workorder.not_open");
    auto followers = store::follow(tx, id, p.user_id, now_ms());
    audit::append(tx, actor, {"workorder.follow", "work_order", std::to_string(id), std::nullopt,
                              std::nullopt});
    return json::object{{"following", true}, {"followers", followers}};
  });
}

json::object WorkOrders::unfollow(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    Order o = load(tx, id);
    if (!access::can_read(tx, p, o) && !access::may_look_at(p, o.path))
      throw forbidden("auth.scope_denied", "workorder.read");
    auto followers = store::unfollow(tx, id, p.user_id);
    audit::append(tx, actor, {"workorder.unfollow", "work_order", std::to_string(id), std::nullopt,
                              std::nullopt});
    return json::object{{"following", false}, {"followers", followers}};
  });
}

namespace {

// Tells whoever watches the order that it moved (workorder.changed: its live
// topic, and a notice to the reporter and the followers — not to whoever took
// the step).
void announce_change(const api::EventBus& events, Tx& tx, const Order& o, const std::string& status,
                     const api::Actor& actor) {
  std::set<std::int64_t> told;
  if (o.reporter_id) told.insert(*o.reporter_id);
  for (auto id : store::followers(tx, o.id)) told.insert(id);
  if (actor.user_id) told.erase(*actor.user_id);
  json::array notify;
  for (auto user : told)
    notify.push_back({{"user_id", user},
                      {"kind", "workorder.status"},
                      {"text", "workorder.notice.status"},
                      {"params", {{"id", std::to_string(o.id)},
                                  {"status", {{"label", "workorder.status"}, {"key", status}}}}},
                      {"subject_type", "work_order"},
                      {"subject_id", o.id}});
  events.emit(tx, {"workorder.changed", "work_order", o.id, actor, o.path, o.reporter_id,
                   {{"status", status}, {"notify", std::move(notify)}}});
}

// Moves `o` by step `t` with every effect the step carries (rules.h): the
// status and its time stamps, the timeline entry, the photos, the follow-up
// question, a new deadline with its escalation, the announcement.
void apply(const api::EventBus& events, Tx& tx, const Order& o, const Transition& t,
           const api::Actor& actor, const StepInput& in, std::int64_t user_id, Millis now) {
  std::optional<Millis> deadline;
  if (t.restarts_clock) deadline = now + o.deadline_hours * kHour;
  if (!store::move(tx, o.id, o.status, t, now, in.reason, deadline))
    throw conflict("workorder.bad_transition", o.status);
  store::add_event(tx, o.id, actor, t.action, o.status, std::string(t.to),
                   t.needs_reason ? in.reason : in.note, now);
  if (!t.photo_stage.empty()) attach_photos(tx, o.id, in.photos, t.photo_stage, user_id);
  if (deadline) schedule::add(tx, "workorder.escalate", o.id, *deadline);
  if (t.asks_followup)
    schedule::add(tx, "workorder.followup", o.id, now + store::settings(tx).followup_days * kDay);
  if (!t.announces.empty())
    events.emit(tx, {std::string(t.announces), "work_order", o.id, actor, o.path, o.reporter_id,
                     {{"anonymous", o.anonymous}}});
  announce_change(events, tx, o, std::string(t.to), actor);
}

// Gives `o` to `assignee_id`, who must be one of its handlers (422
// workorder.bad_assignee otherwise): the timeline says to whom.
void give_to(Tx& tx, const Order& o, const std::string& status, std::int64_t assignee_id,
             const api::Actor& actor, const std::optional<std::string>& note, Millis now) {
  std::optional<std::string> name;
  for (const auto& h : store::handlers(tx, o))
    if (h.i64("id") == assignee_id) name = h.str("display_name");
  if (!name) throw unprocessable("workorder.bad_assignee", "assignee_id");
  store::set_assignee(tx, o.id, assignee_id, now);
  store::add_event(tx, o.id, actor, "assign", status, status, note, now,
                   store::Note{"workorder.note.assigned", {{"name", *name}}});
}

}  // namespace

json::array WorkOrders::handlers(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    Order o = load(tx, id);
    if (!access::staff_may(tx, p, "workorder.dispatch", o) &&
        !access::staff_may(tx, p, "workorder.handle", o))
      access::refuse(tx, p, o, "workorder.dispatch");
    json::array out;
    for (const auto& h : store::handlers(tx, o)) {
      bool seen = std::any_of(out.begin(), out.end(),
                              [&](const json::value& v) { return v.at("id").as_int64() == h.i64("id"); });
      if (!seen) out.push_back({{"id", h.i64("id")}, {"name", h.str("display_name")}, {"role", h.str("role")}});
    }
    return out;
  });
}

json::object WorkOrders::assign(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                std::int64_t assignee_id, const std::optional<std::string>& note,
                                Lang lang) const {
  return db_.write([&](Tx& tx) {
    Order o = load(tx, id);
    if (!access::staff_may(tx, p, "workorder.dispatch", o) &&
        !access::staff_may(tx, p, "workorder.handle", o))
      access::refuse(tx, p, o, "workorder.dispatch");
    static const std::vector<std::string_view> assignable = {"accepted", "reopened", "dispatched",
                                                             "in_progress"};
    if (std::find(assignable.begin(), assignable.end(), o.status) == assignable.end())
      throw conflict("workorder.not_assignable", o.status);
    auto before = o.assignee_id;
    give_to(tx, o, o.status, assignee_id, actor, note, now_ms());
    audit::append(tx, actor,
                  {"workorder.assign", "work_order", std::to_string(id),
                   json::serialize(json::object{{"assignee_id", nullable(before)}}),
                   json::serialize(json::object{{"assignee_id", assignee_id}})});
    return views::order_detail(tx, cipher_, p, id, lang);
  });
}

json::object WorkOrders::take_step(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t id, const std::string& action,
                                   const StepInput& in, Lang lang) const {
  const Transition* t = find_transition(action);
  if (!t) throw not_found("workorder.unknown_action", action);
  return db_.write([&](Tx& tx) {
    Order o = load(tx, id);
    auto from = [&](const std::vector<std::string_view>& statuses) {
      return std::find(statuses.begin(), statuses.end(), o.status) != statuses.end();
    };
    bool as_reporter = access::is_reporter(p, o) && from(t->reporter_from);
    if (!as_reporter && !access::staff_may(tx, p, t->permission, o))
      access::refuse(tx, p, o, t->permission);
    if (!from(t->from)) throw conflict("workorder.bad_transition", o.status);
    if (t->needs_reason && blank(in.reason)) throw unprocessable("workorder.reason_required", "reason");
    if (!in.photos.empty() && t->photo_stage.empty())
      throw unprocessable("request.unknown_field", "photos");
    if (in.assignee_id && action != "dispatch")
      throw unprocessable("request.unknown_field", "assignee_id");
    Millis now = now_ms();
    apply(events_, tx, o, *t, actor, in, p.user_id, now);
    // Dispatched to a person; or taken by the one who starts an order given to nobody.
    if (in.assignee_id) give_to(tx, o, std::string(t->to), *in.assignee_id, actor, std::nullopt, now);
    else if (action == "start" && !o.assignee_id) store::set_assignee(tx, o.id, p.user_id, now);
    audit::append(tx, actor, {"workorder." + action, "work_order", std::to_string(id),
                              json::serialize(json::object{{"status", o.status}}),
                              json::serialize(json::object{{"status", t->to}})});
    return views::order_detail(tx, cipher_, p, id, lang);
  });
}

json::object WorkOrders::rate(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              int score, const std::optional<std::string>& comment,
                              Lang lang) const {
  if (score < 1 || score > 5) throw unprocessable("workorder.bad_score", "score");
  return db_.write([&](Tx& tx) {
    Order o = load(tx, id);
    if (!access::is_reporter(p, o)) {
      access::require_read(tx, p, o);
      throw forbidden("workorder.not_reporter");
    }
    if (!is_rateable(o.status)) throw conflict("workorder.not_resolved", o.status);
    Millis now = now_ms();
    if (!store::rate(tx, id, score, comment, now)) throw conflict("workorder.already_rated");
    store::add_event(tx, id, actor, "rate", std::nullopt, std::nullopt, comment, now,
                     store::Note{"workorder.note.rated", {{"score", std::to_string(score)}}});
    audit::append(tx, actor, {"workorder.rate", "work_order", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"score", score}})});
    return views::order_detail(tx, cipher_, p, id, lang);
  });
}

json::object WorkOrders::answer_followup(const api::Principal& p, const api::Actor& actor,
                                         std::int64_t id, bool stayed_fixed,
                                         const std::optional<std::string>& comment,
                                         Lang lang) const {
  return db_.write([&](Tx& tx) {
    Order o = load(tx, id);
    if (!access::is_reporter(p, o)) {
      access::require_read(tx, p, o);
      throw forbidden("workorder.not_reporter");
    }
    if (o.status != "closed" || !o.followup_asked_at || o.followup_answer)
      throw conflict("workorder.no_followup");
    Millis now = now_ms();
    if (!store::answer_followup(tx, id, stayed_fixed, now)) throw conflict("workorder.no_followup");
    store::add_event(tx, id, actor, stayed_fixed ? "followup_fixed" : "followup_not_fixed",
                     std::nullopt, std::nullopt, comment, now);
    // "Not fixed" reopens it, as the reopen step does.
    if (!stayed_fixed) apply(events_, tx, o, *find_transition("reopen"), actor, {comment}, p.user_id, now);
    audit::append(tx, actor, {"workorder.followup", "work_order", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"stayed_fixed", stayed_fixed}})});
    return views::order_detail(tx, cipher_, p, id, lang);
  });
}

json::object WorkOrders::open_consultation(const api::Principal& p, const api::Actor& actor,
                                           std::int64_t order_id, const TopicInput& in) const {
  if (in.title.empty()) throw unprocessable("request.missing_field", "title");
  return db_.write([&](Tx& tx) {
    Order o = load(tx, order_id);
    if (!access::staff_may(tx, p, "workorder.consult", o)) access::refuse(tx, p, o, "workorder.consult");
    if (store::consultation_of(tx, order_id)) throw conflict("workorder.consultation_exists");
    auto ids = api::path_ids(o.path);
    if (ids.size() < 2) throw unprocessable("workorder.bad_place");
    std::optional<std::int64_t> org = o.body_org_id;
    if (!org && o.compound_id) org = places::find(tx, *o.compound_id)->property_org_id;
    json::array reps;
    for (const auto& r : in.resident_reps) reps.push_back(json::string(r));
    Millis now = now_ms();
    auto id = store::insert_consultation(tx, order_id, ids[1], api::community_path(o.path), in.title,
                                         in.description, org, json::serialize(reps), p.user_id, now);
    store::add_event(tx, order_id, actor, "consult", std::nullopt, std::nullopt, in.title, now);
    audit::append(tx, actor,
                  {"consultation.open", "consultation", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"order_id", order_id}, {"title", in.title}})});
    // The councils module makes it a 三方协商 council with its first meeting.
    events_.emit(tx, {"workorder.consultation_opened", "consultation", id, actor, api::community_path(o.path),
                      std::nullopt,
                      {{"order_id", order_id},
                       {"place_id", ids[1]},
                       {"title", in.title},
                       {"property_org_id", org ? json::value(*org) : json::value(nullptr)},
                       {"resident_reps", reps}}});
    return views::consultation(tx, p, id);
  });
}

json::object WorkOrders::complete_inspection(const api::Principal& p, const api::Actor& actor,
                                             std::int64_t id, const std::string& note,
                                             bool problem_found) const {
  return db_.write([&](Tx& tx) {
    auto r = store::find_inspection(tx, id);
    if (!r) throw not_found("workorder.inspection_not_found");
    api::require_in_scope_any(p, "workorder.inspect",
                              {r->str("path"), r->opt_str("grid_path").value_or("")});
    if (!r->is_null("done_at")) throw conflict("workorder.inspection_done");
    Millis now = now_ms();
    if (!store::complete_inspection(tx, id, p.user_id, note, problem_found, now))
      throw conflict("workorder.inspection_done");
    audit::append(tx, actor, {"workorder.inspect", "inspection", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"problem_found", problem_found}})});
    return json::object{{"id", id}, {"done_at", iso8601(now)}, {"note", note},
                        {"problem_found", problem_found}};
  });
}

// ---- scheduled work --------------------------------------------------------

void WorkOrders::escalate_overdue(Tx& tx, std::int64_t id, Millis now) const {
  Order o = load(tx, id);
  if (!is_open(o.status) || now < o.deadline_at || o.body == "street" || o.escalation_level >= 2)
    return;
  int level = std::max(o.escalation_level + 1, o.body == "community" ? 2 : 1);
  if (!store::escalate(tx, id, o.escalation_level, level, now)) return;
  store::add_event(tx, id, kSystem, level == 1 ? "escalate_community" : "escalate_street",
                   std::nullopt, std::nullopt, std::nullopt, now);
  audit::append(tx, kSystem,
                {"workorder.escalate", "work_order", std::to_string(id),
                 json::serialize(json::object{{"escalation_level", o.escalation_level}}),
                 json::serialize(json::object{{"escalation_level", level}})});
  if (level < 2) schedule::add(tx, "workorder.escalate", id, now + o.deadline_hours * kHour);
  // Whoever holds it, and those who now oversee it (the community's
  // dispatchers, or the street's), are told.
  std::set<std::int64_t> told;
  if (o.assignee_id) told.insert(*o.assignee_id);
  for (auto user : api::holders(tx, "workorder.dispatch", o.path,
                                level == 1 ? api::community_path(o.path) : std::string()))
    told.insert(user);
  json::array notify;
  for (auto user : told)
    notify.push_back({{"user_id", user},
                      {"kind", "workorder.overdue"},
                      {"text", level == 1 ? "workorder.notice.overdue_community" : "workorder.notice.overdue_street"},
                      {"params", {{"id", std::to_string(id)}}},
                      {"subject_type", "work_order"},
                      {"subject_id", id}});
  events_.emit(tx, {"workorder.escalated", "work_order", id, kSystem, o.path, o.reporter_id,
                    {{"escalation_level", level}, {"notify", std::move(notify)}}});
}

void WorkOrders::remind_inspection(Tx& tx, std::int64_t id, Millis now) const {
  (void)now;
  auto i = store::find_inspection(tx, id);
  if (!i || !i->is_null("done_at")) return;
  std::string path = i->str("path");
  auto grid = i->opt_str("grid_path");
  // A grid is a place of its own beside the buildings: its workers hold their role there.
  auto told = grid ? api::holders(tx, "workorder.inspect", *grid, *grid) : std::vector<std::int64_t>{};
  if (told.empty()) told = api::holders(tx, "workorder.inspect", path, api::community_path(path));
  json::array notify;
  for (auto user : told)
    notify.push_back({{"user_id", user},
                      {"kind", "workorder.inspection_due"},
                      {"text", "workorder.notice.inspection_due"},
                      {"params", {{"place", i->str("place_name")},
                                  {"category", {{"zh", i->str("category_zh")}, {"en", i->str("category_en")}}},
                                  {"due", w3c_beijing(i->i64("due_at")).substr(0, 10)}}},
                      {"subject_type", "inspection"},
                      {"subject_id", id}});
  events_.emit(tx, {"workorder.inspection_due", "inspection", id, kSystem, path, std::nullopt,
                    {{"notify", std::move(notify)}}});
}

void WorkOrders::ask_followup(Tx& tx, std::int64_t id, Millis now) const {
  Order o = load(tx, id);
  if (o.status != "closed" || o.followup_asked_at || !o.reporter_id) return;
  // Closed, reopened and closed again: the later closing's job asks.
  if (!o.closed_at || now < *o.closed_at + store::settings(tx).followup_days * kDay) return;
  store::mark_followup_asked(tx, id, now);
  store::add_event(tx, id, kSystem, "followup_asked", std::nullopt, std::nullopt, std::nullopt, now);
}

// ---- Open311 filing ----------------------------------------------------------

Open311Filed WorkOrders::file_open311(const std::string& api_key, const std::string& ip,
                                      const Open311Report& r) const {
  check_point(r.lat, r.lng);
  return db_.write([&](Tx& tx) {
    auto key = store::find_open311_key(tx, sha256_hex(api_key));
    if (!key) throw forbidden("open311.bad_key");
    api::Actor actor{std::nullopt, "open311:" + key->str("name"), ip};
    auto category = store::find_category(tx, r.service_code);
    if (!category || !category->active) throw not_found("open311.unknown_service", "service_code");
    auto place = open311_place(tx, r);
    if (blank(r.description)) throw bad_request("open311.description_required", "description");
    NewOrder n{*category, find_spot(tx, place), r.description, "open311"};
    n.lat_e6 = to_e6(r.lat);
    n.lng_e6 = to_e6(r.lng);
    std::string name = r.last_name.value_or("") + r.first_name.value_or("");
    if (!name.empty()) n.reporter_name = name;
    if (r.phone) {
      auto phone = people::parse_phone(*r.phone);
      if (!phone) throw bad_request("open311.bad_phone", "phone");
      n.reporter_phone_enc = cipher_.encrypt(*phone);
    }
    n.anonymous = true;
    n.public_text = r.public_text;
    n.address_text = r.address_string;
    n.media_url = r.media_url;
    n.open311_token = random_token(16);
    auto id = insert_order(tx, actor, n);
    return Open311Filed{id, *n.open311_token};
  });
}

std::int64_t file_for_module(Tx& tx, const api::Actor& actor, const ModuleOrder& o) {
  if (o.photos.size() > kMaxPhotosPerReport) throw unprocessable("workorder.too_many_photos", "photos");
  NewOrder n{active_category(tx, o.category), find_spot(tx, o.place_id), o.text};
  n.channel = "console";
  n.filed_by = o.filed_by;
  n.reporter_id = o.filed_by;  // who found it hears how it goes
  n.body_org_id = o.org_id;
  n.deadline_at = o.deadline_at;
  auto id = insert_order(tx, actor, n);
  if (!o.photos.empty()) attach_photos(tx, id, o.photos, "report", o.filed_by.value_or(0));
  return id;
}

std::optional<std::string> order_status(Tx& tx, std::int64_t id) {
  auto o = store::find_order(tx, id);
  return o ? std::optional<std::string>(o->status) : std::nullopt;
}

bool settled(std::string_view status) { return status == "verified" || status == "closed"; }

}  // namespace xh::workorders
