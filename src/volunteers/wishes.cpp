// Micro-wishes (微心愿, VOL-5): see care.h.
#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "people/identity.h"
#include "places/reach.h"
#include "schedule/schedule.h"
#include "volunteers/care.h"
#include "volunteers/care_store.h"
#include "volunteers/store.h"
#include "workorders/subject_photos.h"

namespace xh::volunteers {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

bool published(const std::string& status) {
  return status == "published" || status == "claimed" || status == "fulfilled" ||
         status == "confirmed";
}

bool on_line(const std::string& a, const std::string& b) {
  return a.rfind(b, 0) == 0 || b.rfind(a, 0) == 0;
}

bool staff_of(const api::Principal& p, const Row& w) {
  return api::in_scope(p, "wish.manage", w.str("path"));
}

bool own(const api::Principal& p, const Row& w) {
  return w.i64("posted_by") == p.user_id || w.opt_i64("resident_user_id") == p.user_id;
}

bool claimant(const api::Principal& p, const Row& w) {
  return w.opt_i64("claimed_by") == p.user_id;
}

std::optional<Row> confirmed_volunteer(Tx& tx, const api::Principal& p) {
  auto v = store::volunteer_of_user(tx, p.user_id);
  if (!v || v->str("status") != "confirmed") return std::nullopt;
  return v;
}

bool sees_published(Tx& tx, const api::Principal& p, const Row& w) {
  if (!published(w.str("status"))) return false;
  if (auto v = confirmed_volunteer(tx, p); v && on_line(v->str("path"), w.str("public_path")))
    return true;
  return places::reaches(tx, p, "wish.read", w.str("public_path"), std::nullopt);
}

Row load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto w = store::wish(tx, id);
  if (!w || !(staff_of(p, *w) || own(p, *w) || claimant(p, *w) || sees_published(tx, p, *w)))
    throw not_found("wish.not_found");
  return *w;
}

bool may_claim(Tx& tx, const api::Principal& p, const Row& w) {
  return w.str("status") == "published" && !own(p, w) &&
         (confirmed_volunteer(tx, p).has_value() ||
          (p.has_permission("branch.register") && store::is_org_contact(tx, p.user_id)));
}

json::object view(Tx& tx, const api::Principal& p, const Row& w) {
  bool full = staff_of(p, w) || own(p, w);
  std::string status = w.str("status");
  json::value claimed = nullptr;
  if (auto by = w.opt_i64("claimed_by")) {
    std::string who =
        w.opt_str("org_name")
            .value_or(full || claimant(p, w) ? w.str("claimant_name")
                                             : people::mask_name(w.str("claimant_name")));
    claimed = json::object{{"name", who},
                           {"mine", *by == p.user_id},
                           {"at", nullable_time(w.opt_i64("claimed_at"))},
                           {"due_at", nullable_time(w.opt_i64("claim_due_at"))}};
  }
  json::object out{{"id", w.i64("id")},
                   {"status", status},
                   {"title", full ? w.str("title") : w.opt_str("public_title").value_or("")},
                   {"body", full ? w.str("body") : w.opt_str("public_body").value_or("")},
                   {"public_title", nullable(w.opt_str("public_title"))},
                   {"public_body", nullable(w.opt_str("public_body"))},
                   {"place", w.opt_str("public_place").value_or("")},
                   {"resident", full ? json::value(w.str("resident_name")) : json::value(nullptr)},
                   {"reason", full ? nullable(w.opt_str("reason")) : json::value(nullptr)},
                   {"claimed", std::move(claimed)},
                   {"fulfil_note", nullable(w.opt_str("fulfil_note"))},
                   {"photos", workorders::photos_json(w.str("photos"))},
                   {"fulfilled_at", nullable_time(w.opt_i64("fulfilled_at"))},
                   {"confirmed_at", nullable_time(w.opt_i64("confirmed_at"))},
                   {"thanks", nullable(w.opt_str("thanks"))},
                   {"created_at", iso8601(w.i64("created_at"))}};
  bool staff = staff_of(p, w);
  out["may_review"] = staff && status == "submitted";
  out["may_claim"] = may_claim(tx, p, w);
  out["may_release"] = claimant(p, w) && status == "claimed";
  out["may_fulfil"] = claimant(p, w) && status == "claimed";
  out["may_confirm"] = staff && status == "fulfilled";
  out["may_thank"] = (staff || w.opt_i64("resident_user_id") == p.user_id) &&
                     status == "confirmed" && !w.opt_str("thanks");
  return out;
}

json::object notice(std::int64_t user, const char* kind, const char* text, json::object params,
                    std::int64_t id) {
  return {{"user_id", user},  {"kind", kind},           {"text", text},
          {"params", params}, {"subject_type", "wish"}, {"subject_id", id}};
}

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& w,
             const char* what, json::array notify = {}) {
  json::object data{{"what", what}};
  if (!notify.empty()) data["notify"] = std::move(notify);
  events.emit(tx, {"wish.changed", "wish", w.i64("id"), actor, w.str("path"), std::nullopt,
                   std::move(data)});
}

// The resident (when they have a login) and whoever posted it.
json::array tell_resident(const Row& w, const api::Actor& actor, const char* kind, const char* text,
                          json::object params) {
  json::array out;
  params["title"] = w.str("title");
  std::vector<std::int64_t> users{w.i64("posted_by")};
  if (auto u = w.opt_i64("resident_user_id"); u && *u != w.i64("posted_by")) users.push_back(*u);
  for (auto u : users)
    if (!actor.user_id || *actor.user_id != u)
      out.push_back(notice(u, kind, text, params, w.i64("id")));
  return out;
}

void audit_wish(Tx& tx, const api::Actor& actor, const char* action, std::int64_t id,
                json::object detail = {}) {
  audit::append(tx, actor,
                {action, "wish", std::to_string(id), std::nullopt, json::serialize(detail)});
}

}  // namespace

void require_wish(Tx& tx, const api::Principal& p, std::int64_t id) { load(tx, p, id); }

std::int64_t wishes_to_review(Tx& tx, const api::Principal& p) {
  if (!p.has_permission("wish.manage")) return 0;
  std::vector<storage::Param> params;
  std::string scope = api::scope_condition(p, "wish.manage", {"path"}, params);
  return tx
      .query_one_v(
          "SELECT COUNT(*) AS n FROM wishes WHERE status IN ('submitted','fulfilled') AND " + scope,
          params)
      ->i64("n");
}

void release_wish(Tx& tx, const api::EventBus& events, std::int64_t id, Millis now) {
  auto w = store::wish(tx, id);
  if (!w || w->str("status") != "claimed" || w->opt_i64("claim_due_at").value_or(now + 1) > now)
    return;
  auto by = *w->opt_i64("claimed_by");
  if (!store::move_wish(tx, id, "claimed", "published",
                        "claimed_by = NULL, claimed_org_id = NULL, claimed_at = NULL, "
                        "claim_due_at = NULL, updated_at = $4",
                        {now}))
    return;
  auto system = api::Actor::system();
  audit_wish(tx, system, "wish.release", id, {{"by", "deadline"}});
  changed(tx, events, system, *w, "released",
          json::array{notice(by, "wish.released", "wish.notice.released",
                             {{"title", w->opt_str("public_title").value_or("")}}, id)});
}

json::object Wishes::post(const api::Principal& p, const api::Actor& actor, const std::string& body,
                          Lang) const {
  JsonInput in(body, {"resident_id", "title", "body"});
  auto resident_id = in.opt_i64("resident_id");
  auto title = in.str("title", 60);
  auto text = in.str("body", 1000);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  if (text.empty()) throw unprocessable("request.missing_field", "body");
  return db_.write([&](Tx& tx) {
    std::int64_t resident;
    if (resident_id) {
      resident = *resident_id;
    } else {
      auto mine = store::resident_of_user(tx, p.user_id);
      if (!mine) throw unprocessable("wish.bad_resident", "resident_id");
      resident = *mine;
    }
    auto household = store::household_of(tx, resident);
    if (!household) throw unprocessable("wish.bad_resident", "resident_id");
    if (resident_id && store::resident_of_user(tx, p.user_id) != resident_id)
      api::require_in_scope(p, "wish.manage", household->str("path"));
    Millis now = now_ms();
    auto id = store::insert_wish(tx, resident, *household, household->str("public_path"), title,
                                 text, p.user_id, now);
    audit_wish(tx, actor, "wish.post", id);
    Row w = *store::wish(tx, id);
    changed(tx, events_, actor, w, "posted");
    return view(tx, p, w);
  });
}

api::Listed Wishes::list(const api::Principal& p, const std::optional<std::string>& status,
                         bool mine, const api::Page& page, Lang) const {
  return db_.read([&](Tx& tx) {
    api::ListQuery l("wishes w");
    // One's own wishes and claims, whatever one's roles.
    api::Clause seen{
        "w.posted_by = ? OR w.claimed_by = ? OR w.resident_id IN (SELECT id FROM "
        "residents WHERE user_id = ?)",
        {p.user_id, p.user_id, p.user_id}};
    if (p.has_permission("wish.read")) {
      auto reach = places::reach_clause(p, "wish.read", "w.public_path", "");
      seen.or_else(
          "w.status IN ('published','claimed','fulfilled','confirmed') AND (" + reach.sql + ")",
          reach.values);
    }
    if (auto v = confirmed_volunteer(tx, p))
      seen.or_else(
          "w.status IN ('published','claimed','fulfilled','confirmed') AND (w.public_path >= ? "
          "AND w.public_path < ? OR ? LIKE w.public_path || '%')",
          {v->str("path"), api::subtree_end(v->str("path")), v->str("path")});
    if (p.has_permission("wish.manage")) {
      auto staff = api::scope_clause(p, "wish.manage", {"w.path"});
      seen.or_else(staff.sql, staff.values);
    }
    l.where(seen.sql, seen.values).where_if("w.status = ?", status);
    if (mine)
      l.where(
          "(w.posted_by = ? OR w.claimed_by = ? OR w.resident_id IN (SELECT id FROM residents "
          "WHERE user_id = ?))",
          {p.user_id, p.user_id, p.user_id});
    l.sort({{"id", "w.id"}}, std::nullopt, "-id").page(page);
    auto found = l.rows(tx, "w.id");
    json::array items;
    for (const auto& r : found.rows) items.push_back(view(tx, p, *store::wish(tx, r.i64("id"))));
    return api::Listed{std::move(items), found.total};
  });
}

json::object Wishes::get(const api::Principal& p, std::int64_t id, Lang) const {
  return db_.read([&](Tx& tx) { return view(tx, p, load(tx, p, id)); });
}

json::object Wishes::review(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body, Lang) const {
  JsonInput in(body, {"action", "public_title", "public_body", "reason"});
  auto action = in.str("action", 10);
  if (action != "publish" && action != "reject") throw unprocessable("wish.bad_action", "action");
  auto public_title = in.opt_str("public_title", 60).value_or("");
  auto public_body = in.opt_str("public_body", 1000).value_or("");
  auto reason = in.opt_str("reason", 200).value_or("");
  if (action == "publish" && public_title.empty())
    throw unprocessable("request.missing_field", "public_title");
  if (action == "reject" && reason.empty()) throw unprocessable("wish.reason_required", "reason");
  return db_.write([&](Tx& tx) {
    Row w = load(tx, p, id);
    api::require_in_scope(p, "wish.manage", w.str("path"));
    Millis now = now_ms();
    bool ok =
        action == "publish"
            ? store::move_wish(tx, id, "submitted", "published",
                               "public_title = $4, public_body = $5, reviewed_by = $6, "
                               "reviewed_at = $7, updated_at = $7",
                               {public_title, public_body, p.user_id, now})
            : store::move_wish(tx, id, "submitted", "rejected",
                               "reason = $4, reviewed_by = $5, reviewed_at = $6, updated_at = $6",
                               {reason, p.user_id, now});
    if (!ok) throw conflict("wish.bad_status");
    audit_wish(tx, actor, "wish.review", id, {{"action", action}});
    changed(tx, events_, actor, w, action == "publish" ? "published" : "rejected",
            tell_resident(w, actor, "wish.reviewed",
                          action == "publish" ? "wish.notice.published" : "wish.notice.rejected",
                          {{"reason", reason}}));
    return view(tx, p, *store::wish(tx, id));
  });
}

json::object Wishes::claim(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body, Lang) const {
  JsonInput in(body, {"org_id"});
  auto org_id = in.opt_i64("org_id");
  return db_.write([&](Tx& tx) {
    Row w = load(tx, p, id);
    // Not for oneself: the resident and whoever posted it do not claim it.
    if (own(p, w)) throw forbidden("wish.own");
    if (org_id) {
      if (!p.has_permission("branch.register") || !store::org_contact(tx, *org_id, p.user_id))
        throw forbidden("wish.not_claimant");
    } else if (!confirmed_volunteer(tx, p)) {
      throw forbidden("wish.not_claimant");
    }
    Millis now = now_ms(), due = now + kWishClaimDays * kDay;
    if (!store::move_wish(
            tx, id, "published", "claimed",
            "claimed_by = $4, claimed_org_id = $5, claimed_at = $6, claim_due_at = "
            "$7, updated_at = $6",
            {p.user_id, org_id ? storage::Param(*org_id) : storage::Param(nullptr), now, due}))
      throw conflict(w.str("status") == "published" || w.str("status") == "claimed"
                         ? "wish.taken"
                         : "wish.bad_status");
    schedule::add(tx, "wish.release", id, due);
    audit_wish(tx, actor, "wish.claim", id, {{"org_id", nullable(org_id)}});
    changed(tx, events_, actor, w, "claimed",
            tell_resident(w, actor, "wish.claimed", "wish.notice.claimed", {}));
    return view(tx, p, *store::wish(tx, id));
  });
}

json::object Wishes::release(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             Lang) const {
  return db_.write([&](Tx& tx) {
    Row w = load(tx, p, id);
    if (!claimant(p, w)) throw forbidden("wish.not_claimant");
    if (!store::move_wish(tx, id, "claimed", "published",
                          "claimed_by = NULL, claimed_org_id = NULL, claimed_at = NULL, "
                          "claim_due_at = NULL, updated_at = $4",
                          {now_ms()}))
      throw conflict("wish.bad_status");
    audit_wish(tx, actor, "wish.release", id, {{"by", "claimant"}});
    changed(tx, events_, actor, w, "released");
    return view(tx, p, *store::wish(tx, id));
  });
}

json::object Wishes::fulfil(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body, Lang) const {
  JsonInput in(body, {"note", "photos"});
  auto note = in.opt_str("note", 500).value_or("");
  auto photos = in.opt_str_array("photos", 9, 64).value_or(std::vector<std::string>{});
  if (photos.empty()) throw unprocessable("wish.evidence_required", "photos");
  return db_.write([&](Tx& tx) {
    Row w = load(tx, p, id);
    if (!claimant(p, w)) throw forbidden("wish.not_claimant");
    workorders::attach_to_subject(tx, photos, p.user_id, "wish", id);
    Millis now = now_ms();
    if (!store::move_wish(tx, id, "claimed", "fulfilled",
                          "fulfil_note = $4, photos = $5, fulfilled_at = $6, updated_at = $6",
                          {note, workorders::photo_ids_json(photos), now}))
      throw conflict("wish.bad_status");
    audit_wish(tx, actor, "wish.fulfil", id);
    json::array notify;
    for (auto u : api::holders(tx, "wish.manage", w.str("path")))
      notify.push_back(
          notice(u, "wish.fulfilled", "wish.notice.fulfilled", {{"title", w.str("title")}}, id));
    changed(tx, events_, actor, w, "fulfilled", std::move(notify));
    return view(tx, p, *store::wish(tx, id));
  });
}

json::object Wishes::confirm(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             Lang) const {
  return db_.write([&](Tx& tx) {
    Row w = load(tx, p, id);
    api::require_in_scope(p, "wish.manage", w.str("path"));
    if (!store::move_wish(tx, id, "fulfilled", "confirmed",
                          "confirmed_by = $4, confirmed_at = $5, updated_at = $5",
                          {p.user_id, now_ms()}))
      throw conflict("wish.bad_status");
    audit_wish(tx, actor, "wish.confirm", id);
    auto by = *w.opt_i64("claimed_by");
    // The claimant earns points by the community's wish_fulfilled rule, once.
    events_.emit(tx, {"wish.fulfilled", "wish", id, actor, w.str("path"), by, json::object{}});
    json::array notify = tell_resident(w, actor, "wish.confirmed", "wish.notice.done", {});
    notify.push_back(notice(by, "wish.confirmed", "wish.notice.confirmed",
                            {{"title", w.opt_str("public_title").value_or("")}}, id));
    changed(tx, events_, actor, w, "confirmed", std::move(notify));
    return view(tx, p, *store::wish(tx, id));
  });
}

json::object Wishes::thank(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body, Lang) const {
  JsonInput in(body, {"text"});
  auto text = in.str("text", 300);
  if (text.empty()) throw unprocessable("request.missing_field", "text");
  return db_.write([&](Tx& tx) {
    Row w = load(tx, p, id);
    if (w.opt_i64("resident_user_id") != p.user_id)
      api::require_in_scope(p, "wish.manage", w.str("path"));
    if (w.str("status") != "confirmed" || w.opt_str("thanks")) throw conflict("wish.bad_status");
    Millis now = now_ms();
    if (tx.exec("UPDATE wishes SET thanks = $2, thanked_at = $3, updated_at = $3 WHERE id = $1 AND "
                "thanks IS NULL",
                id, text, now) == 0)
      throw conflict("wish.bad_status");
    audit_wish(tx, actor, "wish.thank", id);
    changed(tx, events_, actor, w, "thanked",
            json::array{notice(*w.opt_i64("claimed_by"), "wish.thanked", "wish.notice.thanked",
                               {{"title", w.opt_str("public_title").value_or("")}, {"text", text}},
                               id)});
    return view(tx, p, *store::wish(tx, id));
  });
}

}  // namespace xh::volunteers
