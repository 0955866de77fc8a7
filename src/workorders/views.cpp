#include "workorders/views.h"

#include <boost/json.hpp>

#include <algorithm>

#include "api/scope.h"
#include "core/error.h"
#include "core/json_output.h"
#include "people/identity.h"
#include "workorders/access.h"
#include "workorders/rules.h"
#include "workorders/store.h"

namespace xh::workorders::views {

namespace json = boost::json;
using storage::Tx;

namespace {
std::string label(const std::vector<Label>& labels, std::string_view key, Lang lang) {
  return std::string(label_of(labels, key, lang));
}
// What the timeline says of a step: the server's note in the reader's
// language, then what the person wrote.
std::optional<std::string> note_of(const storage::Row& r, Lang lang) {
  auto written = r.opt_str("note");
  auto key = r.opt_str("note_key");
  if (!key) return written;
  std::vector<std::pair<std::string, std::string>> params;
  json::value parsed = r.is_null("note_params") ? json::value(json::object{})
                                                  : json::parse(r.str("note_params"));
  for (const auto& [k, v] : parsed.as_object())
    params.emplace_back(std::string(k), v.is_string() ? std::string(v.as_string()) : json::serialize(v));
  std::string text = message(*key, lang, params);
  return written ? text + " " + *written : text;
}

}  // namespace

json::object summary(const storage::Row& r, Lang lang, Millis now) {
  std::string status = r.str("status"), body = r.str("body");
  auto org = r.opt_str("body_org_name");
  return {{"id", r.i64("id")},
          {"category", r.str("category")},
          {"category_label", lang == Lang::en ? r.str("category_en") : r.str("category_zh")},
          {"place_id", r.i64("place_id")},
          {"place_name", r.str("place_name")},
          {"status", status},
          {"status_label", label(status_labels(), status, lang)},
          {"body", body},
          {"body_label", label(bodies(), body, lang)},
          {"body_org_id", nullable(r.opt_i64("body_org_id"))},
          {"body_name", org ? json::value(*org) : json::value(label(bodies(), body, lang))},
          {"urgent", r.flag("urgent")},
          {"overdue", is_open(status) && now > r.i64("deadline_at")},
          {"escalation_level", r.i64("escalation_level")},
          {"deadline_at", iso8601(r.i64("deadline_at"))},
          {"created_at", iso8601(r.i64("created_at"))},
          {"updated_at", iso8601(r.i64("updated_at"))},
          {"recurrence_of", nullable(r.opt_i64("recurrence_of"))},
          {"text", r.str("text")},
          {"followers", r.i64("followers")},
          {"resolved_at", nullable_time(r.opt_i64("resolved_at"))},
          {"assignee", r.is_null("assignee_id")
                           ? json::value(nullptr)
                           : json::value(json::object{{"id", r.i64("assignee_id")},
                                                      {"name", r.str("assignee_name")}})}};
}

json::object public_summary(const storage::Row& r, Lang lang) {
  std::string status = r.str("status");
  return {{"id", r.i64("id")},
          {"category", r.str("category")},
          {"category_label", lang == Lang::en ? r.str("category_en") : r.str("category_zh")},
          {"place_id", r.i64("place_id")},
          {"place_name", r.str("place_name")},
          {"status", status},
          {"status_label", label(status_labels(), status, lang)},
          {"followers", r.i64("followers")},
          {"created_at", iso8601(r.i64("created_at"))},
          {"reduced", true}};
}

json::object consultation(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = store::find_consultation(tx, id);
  if (!r) throw not_found("consultation.not_found");
  api::require_in_scope(p, "workorder.read", r->str("path"));
  return {{"id", r->i64("id")},
          {"order_id", nullable(r->opt_i64("order_id"))},
          {"community_id", r->i64("place_id")},
          {"community_name", r->str("community_name")},
          {"title", r->str("title")},
          {"description", nullable(r->opt_str("description"))},
          {"property_org_id", nullable(r->opt_i64("property_org_id"))},
          {"property_org_name", nullable(r->opt_str("property_org_name"))},
          {"resident_reps", json::parse(r->str("resident_reps"))},
          {"status", r->str("status")},
          {"created_at", iso8601(r->i64("created_at"))}};
}

json::object order_detail(Tx& tx, const FieldCipher& cipher, const api::Principal& p,
                          std::int64_t id, Lang lang) {
  auto found = store::find_order(tx, id);
  if (!found) throw not_found("workorder.not_found");
  const store::Order& o = *found;
  access::require_read(tx, p, o);
  bool staff = access::staff_may(tx, p, "workorder.read", o);
  json::object d = summary(store::summaries(tx, {id}).front(), lang, now_ms());
  auto more = store::detail_extras(tx, id);
  auto lat = more->opt_i64("lat_e6"), lng = more->opt_i64("lng_e6");
  d["lat"] = lat ? json::value(*lat / 1e6) : json::value(nullptr);
  d["lng"] = lng ? json::value(*lng / 1e6) : json::value(nullptr);
  std::string channel = more->str("channel");
  d["channel"] = channel;
  d["channel_label"] = label(channels(), channel, lang);
  d["reject_reason"] = nullable(more->opt_str("reject_reason"));
  d["rating"] = nullable(o.rating);
  d["rating_comment"] = nullable(more->opt_str("rating_comment"));
  d["accepted_at"] = nullable_time(more->opt_i64("accepted_at"));
  d["closed_at"] = nullable_time(more->opt_i64("closed_at"));
  d["followup_asked_at"] = nullable_time(o.followup_asked_at);
  d["followup_answer"] =
      o.followup_answer ? json::value(*o.followup_answer != 0) : json::value(nullptr);
  d["anonymous"] = o.anonymous;
  if (staff) {
    // Anonymous to the public, never to staff; the phone in full only to
    // those who may see residents' phones there.
    auto name = more->opt_str("reporter_name");
    if (!name) name = more->opt_str("reporter_display_name");
    json::value phone = nullptr;
    if (auto enc = more->opt_str("reporter_phone_enc")) {
      std::string plain = cipher.decrypt(*enc);
      bool full = api::in_scope_any(p, "resident.phone", {o.path, o.grid_path.value_or("")});
      phone = json::string(full ? plain : people::mask_phone(plain));
    }
    d["reporter"] = json::object{{"name", nullable(name)}, {"phone", phone}, {"anonymous", o.anonymous}};
  }
  bool reporter = access::is_reporter(p, o);
  d["is_reporter"] = reporter;
  d["following"] = store::is_follower(tx, id, p.user_id);

  json::array actions;
  auto has = [&](const std::vector<std::string_view>& from) {
    return std::find(from.begin(), from.end(), o.status) != from.end();
  };
  for (const auto& t : transitions())
    if (has(t.from) && ((reporter && has(t.reporter_from)) || access::staff_may(tx, p, t.permission, o)))
      actions.push_back(json::string(t.action));
  d["actions"] = actions;
  d["can_rate"] = reporter && !o.rating && is_rateable(o.status);
  d["can_answer_followup"] =
      reporter && o.status == "closed" && o.followup_asked_at && !o.followup_answer;
  auto topic = store::consultation_of(tx, id);
  d["consultation_id"] = nullable(topic);
  d["can_consult"] = !topic && access::staff_may(tx, p, "workorder.consult", o);
  static const std::vector<std::string_view> assignable = {"accepted", "reopened", "dispatched",
                                                           "in_progress"};
  d["can_assign"] = has(assignable) && (access::staff_may(tx, p, "workorder.dispatch", o) ||
                                        access::staff_may(tx, p, "workorder.handle", o));

  json::array photos;
  for (const auto& r : store::photos_of(tx, id))
    photos.push_back({{"id", r.str("photo_id")},
                      {"url", "/api/photos/" + r.str("photo_id")},
                      {"thumb_url", "/api/photos/" + r.str("photo_id") + "?size=thumb"},
                      {"stage", r.str("stage")}});
  d["photos"] = photos;

  json::array timeline;
  for (const auto& r : store::timeline(tx, id)) {
    std::string action = r.str("action");
    auto actor_id = r.opt_i64("actor_id");
    // Nobody but staff learns who an anonymous reporter is, in any step.
    bool hide = o.anonymous && !staff && o.reporter_id && actor_id == o.reporter_id &&
                actor_id != p.user_id;
    timeline.push_back({{"at", iso8601(r.i64("at"))},
                        {"action", action},
                        {"action_label", label(event_labels(), action, lang)},
                        {"from", nullable(r.opt_str("from_status"))},
                        {"to", nullable(r.opt_str("to_status"))},
                        {"actor", hide ? json::value(nullptr) : json::value(r.str("actor"))},
                        {"note", nullable(note_of(r, lang))}});
  }
  d["timeline"] = timeline;
  json::array recurrences;
  for (auto r : store::recurrences_of(tx, id)) recurrences.push_back(r);
  d["recurrences"] = recurrences;
  return d;
}

}  // namespace xh::workorders::views
