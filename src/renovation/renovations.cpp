#include "renovation/renovations.h"

#include <algorithm>
#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "core/messages.h"
#include "core/time.h"
#include "live/reads.h"
#include "people/identity.h"
#include "places/reach.h"
#include "renovation/store.h"
#include "schedule/schedule.h"
#include "votes/owner_votes.h"
#include "workorders/module_orders.h"
#include "workorders/photos.h"
#include "workorders/subject_photos.h"

namespace xh::renovation {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

// The accounts told of a publicity notice: the residents under the place.
constexpr const char* kResidentRole = "resident";

Row load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = store::project(tx, id);
  if (!r || !places::reaches(tx, p, "renovation.read", r->str("path"), r->opt_str("grid_path")))
    throw not_found("renovation.not_found");
  return *r;
}

Row managed(Tx& tx, const api::Principal& p, std::int64_t id) {
  Row r = load(tx, p, id);
  api::require_in_scope(p, "renovation.manage", r.str("path"));
  return r;
}

std::string word(const Row& r, const char* zh, const char* en, Lang lang) {
  return r.str(lang == Lang::en ? en : zh);
}

// Where the project stands against `stage`: > 0 past it, 0 at it, < 0 before it.
std::int64_t compare_stage(Tx& tx, const Row& r, const std::string& stage) {
  for (const auto& s : store::stages(tx))
    if (s.str("key") == stage) return r.i64("stage_ordinal") - s.i64("ordinal");
  return 0;
}

// What the current stage still needs before it closes: a message key, or none.
std::optional<std::string> unmet(Tx& tx, const Row& r) {
  std::string needs = r.str("stage_needs");
  std::int64_t id = r.i64("id");
  if (needs == "notice") {
    if (store::notices(tx, id).empty()) return "renovation.needs_notice";
  } else if (needs == "vote" || needs == "plan") {
    auto vote_id = r.opt_i64(needs == "vote" ? "intention_vote_id" : "plan_vote_id");
    if (!vote_id) return "renovation.needs_vote";
    auto v = votes::vote_facts(tx, *vote_id);
    if (!v || v->status != "closed") return "renovation.vote_open";
    if (!v->passed.value_or(false)) return "renovation.vote_failed";
    if (needs == "plan") {
      bool chosen = false;
      for (const auto& o : store::options(tx, id)) chosen = chosen || o.flag("chosen");
      if (!chosen) return "renovation.needs_option";
    }
  } else if (needs == "defects") {
    for (const auto& d : store::defects(tx, id))
      if (!workorders::settled(d.str("status"))) return "renovation.defects_open";
  } else {
    return "renovation.last_stage";
  }
  return std::nullopt;
}

json::value vote_json(Tx& tx, const std::optional<std::int64_t>& id) {
  if (!id) return nullptr;
  auto v = votes::vote_facts(tx, *id);
  if (!v) return nullptr;
  json::value passed = nullptr;
  if (v->passed) passed = *v->passed;
  return json::object{{"id", *id}, {"title", v->title}, {"status", v->status}, {"passed", passed}};
}

bool may_inspect(Tx& tx, const api::Principal& p, const Row& r) {
  return places::reaches(tx, p, "renovation.inspect", r.str("path"), r.opt_str("grid_path")) ||
         store::is_supervisor(tx, r.i64("id"), p.user_id);
}

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& r,
             const char* what, json::array notify = {}) {
  json::object data{{"what", what}};
  if (!notify.empty()) data["notify"] = std::move(notify);
  events.emit(tx, {"renovation.changed", "renovation", r.i64("id"), actor, r.str("path"),
                   std::nullopt, std::move(data)});
}

void audit_move(Tx& tx, const api::Actor& actor, const char* action, std::int64_t id,
                json::object detail) {
  audit::append(tx, actor,
                {action, "renovation", std::to_string(id), std::nullopt, json::serialize(detail)});
}

json::object view(Tx& tx, const api::Principal& p, const Row& r, Lang lang) {
  std::int64_t id = r.i64("id");
  bool manager = api::in_scope(p, "renovation.manage", r.str("path"));
  json::object out{{"id", id},
                   {"place_id", r.i64("place_id")},
                   {"place", r.str("place_name")},
                   {"title", r.str("title")},
                   {"description", nullable(r.opt_str("description"))},
                   {"contractor", nullable(r.opt_str("contractor_name"))},
                   {"contractor_org_id", nullable(r.opt_i64("contractor_org_id"))},
                   {"stage", r.str("stage")},
                   {"created_at", iso8601(r.i64("created_at"))}};
  json::array items;
  for (const auto& k : store::items(tx, id)) items.push_back(json::string(k));
  out["items"] = std::move(items);

  // The stages in order, each done, current or to come, with its moves' times.
  auto moves = store::moves(tx, id);
  auto need = unmet(tx, r);
  json::array stages;
  for (const auto& s : store::stages(tx)) {
    std::int64_t ord = s.i64("ordinal"), current = r.i64("stage_ordinal");
    json::value entered = nullptr, closed = nullptr;
    for (const auto& m : moves)
      if (m.str("stage") == s.str("key"))
        (m.str("move") == "entered" ? entered : closed) = iso8601(m.i64("created_at"));
    json::object st{{"key", s.str("key")},
                    {"label", word(s, "zh", "en", lang)},
                    {"state", ord < current    ? "done"
                              : ord == current ? "current"
                                               : "todo"},
                    {"entered_at", entered},
                    {"closed_at", closed}};
    if (ord == current) {
      st["ready"] = !need.has_value();
      st["needs"] = need && *need != "renovation.last_stage" ? json::value(message(*need, lang))
                                                             : json::value(nullptr);
    }
    stages.push_back(std::move(st));
  }
  out["stages"] = std::move(stages);
  json::array history;
  for (const auto& m : moves)
    history.push_back({{"stage", m.str("stage")},
                       {"move", m.str("move")},
                       {"note", nullable(m.opt_str("note"))},
                       {"by", nullable(m.opt_str("by_name"))},
                       {"at", iso8601(m.i64("created_at"))}});
  out["history"] = std::move(history);
  out["votes"] = {{"intention", vote_json(tx, r.opt_i64("intention_vote_id"))},
                  {"plan", vote_json(tx, r.opt_i64("plan_vote_id"))}};
  json::array options;
  for (const auto& o : store::options(tx, id))
    options.push_back({{"id", o.i64("id")},
                       {"title", o.str("title")},
                       {"description", nullable(o.opt_str("description"))},
                       {"chosen", o.flag("chosen")}});
  out["options"] = std::move(options);
  json::array notices;
  for (const auto& n : store::notices(tx, id)) {
    auto reads = live::reads_of(tx, "renovation_notice", n.i64("id"));
    notices.push_back({{"id", n.i64("id")},
                       {"text", n.str("text")},
                       {"created_at", iso8601(n.i64("created_at"))},
                       {"sent", reads.sent},
                       {"read", reads.read}});
  }
  out["notices"] = std::move(notices);
  json::array supervisors;
  for (const auto& s : store::supervisors(tx, id))
    supervisors.push_back(json::string(manager || s.i64("user_id") == p.user_id
                                           ? s.str("name")
                                           : people::mask_name(s.str("name"))));
  out["supervisors"] = std::move(supervisors);
  json::array inspections;
  for (const auto& i : store::inspections(tx, id, 50))
    inspections.push_back(
        {{"id", i.i64("id")},
         {"by", manager || i.i64("user_id") == p.user_id ? i.str("by_name")
                                                         : people::mask_name(i.str("by_name"))},
         {"supervisor", i.flag("as_supervisor")},
         {"text", i.str("text")},
         {"photos", workorders::photos_json(i.str("photos"))},
         {"at", iso8601(i.i64("created_at"))}});
  out["inspections"] = std::move(inspections);
  json::array defects;
  Millis now = now_ms();
  std::int64_t open_defects = 0;
  for (const auto& d : store::defects(tx, id)) {
    bool settled = workorders::settled(d.str("status"));
    if (!settled) ++open_defects;
    defects.push_back({{"id", d.i64("id")},
                       {"title", d.str("title")},
                       {"order_id", d.i64("order_id")},
                       {"order_status", d.str("status")},
                       {"closed", settled},
                       {"deadline_at", iso8601(d.i64("deadline_at"))},
                       {"overdue", !settled && d.i64("deadline_at") < now},
                       {"inspection_id", nullable(d.opt_i64("inspection_id"))}});
  }
  out["defects"] = std::move(defects);
  out["defects_open"] = open_defects;
  json::array upkeep;
  for (const auto& u : store::upkeep(tx, id))
    upkeep.push_back({{"id", u.i64("id")},
                      {"title", u.str("title")},
                      {"every_days", u.i64("every_days")},
                      {"org", nullable(u.opt_str("org_name"))},
                      {"next_due_at", iso8601(u.i64("next_due_at"))},
                      {"last_order_id", nullable(u.opt_i64("last_order_id"))}});
  out["upkeep"] = std::move(upkeep);
  out["may_manage"] = manager;
  out["may_inspect"] = r.str("stage") == "construction" && may_inspect(tx, p, r);
  return out;
}

}  // namespace

void require_project(Tx& tx, const api::Principal& p, std::int64_t id) { load(tx, p, id); }

json::object Renovations::vocabulary(Lang lang) const {
  return db_.read([&](Tx& tx) {
    json::array items, stages;
    for (const auto& k : store::item_kinds(tx))
      items.push_back({{"key", k.str("key")}, {"label", word(k, "zh", "en", lang)}});
    for (const auto& s : store::stages(tx))
      stages.push_back(
          {{"key", s.str("key")}, {"label", word(s, "zh", "en", lang)}, {"needs", s.str("needs")}});
    return json::object{{"items", std::move(items)}, {"stages", std::move(stages)}};
  });
}

json::object Renovations::list(const api::Principal& p, api::Page page, Lang lang) const {
  api::require(p, "renovation.read");
  return db_.read([&](Tx& tx) {
    api::ListQuery l(
        "renovation_projects r JOIN places pl ON pl.id = r.place_id JOIN renovation_stages s ON "
        "s.key = "
        "r.stage");
    auto reach = places::reach_clause(p, "renovation.read", "r.path", "r.grid_path");
    l.where(reach.sql, reach.values);
    l.sort({{"created_at", "r.created_at, r.id"}}, std::nullopt, "-created_at").page(page);
    auto found =
        l.rows(tx,
               "r.id, pl.name AS place_name, r.title, r.stage, s.zh, s.en, (SELECT COUNT(*) FROM "
               "renovation_defects d JOIN work_orders w ON w.id = d.order_id WHERE d.project_id = "
               "r.id AND "
               "w.status NOT IN ('verified', 'closed')) AS defects_open");
    json::array items;
    for (const auto& r : found.rows) {
      json::array kinds;
      for (const auto& k : store::items(tx, r.i64("id"))) kinds.push_back(json::string(k));
      items.push_back({{"id", r.i64("id")},
                       {"place", r.str("place_name")},
                       {"title", r.str("title")},
                       {"stage", r.str("stage")},
                       {"stage_label", word(r, "zh", "en", lang)},
                       {"items", std::move(kinds)},
                       {"defects_open", r.i64("defects_open")}});
    }
    return json::object{{"items", std::move(items)}, {"total", found.total}};
  });
}

json::object Renovations::create(const api::Principal& p, const api::Actor& actor,
                                 const std::string& body, Lang lang) const {
  api::require(p, "renovation.manage");
  JsonInput in(body, {"place_id", "title", "description", "items", "contractor_org_id"});
  auto place_id = in.i64("place_id");
  auto title = in.str("title", 60);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto description = in.opt_str("description", 2000);
  auto items = in.opt_str_array("items", 20, 40).value_or(std::vector<std::string>{});
  auto contractor = in.opt_i64("contractor_org_id");
  auto id = db_.write([&](Tx& tx) {
    auto pl = store::place(tx, place_id);
    if (!pl || (pl->str("kind") != "compound" && pl->str("kind") != "building"))
      throw unprocessable("renovation.bad_place", "place_id");
    api::require_in_scope(p, "renovation.manage", pl->str("path"));
    for (const auto& k : items)
      if (!store::item_kind_exists(tx, k)) throw unprocessable("renovation.bad_item", "items");
    if (contractor && !store::org_exists(tx, *contractor))
      throw unprocessable("renovation.bad_org", "contractor_org_id");
    Millis now = now_ms();
    std::string first = store::stages(tx).at(0).str("key");
    auto id = store::insert_project(tx,
                                    {place_id, pl->str("path"), pl->opt_str("grid_path"), title,
                                     description, contractor, p.user_id, first},
                                    now);
    for (const auto& k : items) store::add_item(tx, id, k);
    store::add_move(tx, id, first, "entered", std::nullopt, p.user_id, now);
    audit_move(tx, actor, "renovation.create", id, {{"title", title}, {"place_id", place_id}});
    changed(tx, events_, actor, *store::project(tx, id), "created");
    return id;
  });
  return get(p, id, lang);
}

json::object Renovations::get(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) { return view(tx, p, load(tx, p, id), lang); });
}

json::object Renovations::advance(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const std::string& body, Lang lang) const {
  JsonInput in(body, {"note"});
  auto note = in.opt_str("note", 500);
  return db_.write([&](Tx& tx) {
    Row r = managed(tx, p, id);
    if (auto need = unmet(tx, r)) throw conflict(*need);
    auto stages = store::stages(tx);
    std::string next;
    for (std::size_t i = 0; i + 1 < stages.size(); ++i)
      if (stages[i].str("key") == r.str("stage")) next = stages[i + 1].str("key");
    if (next.empty()) throw conflict("renovation.last_stage");
    Millis now = now_ms();
    // Only from the stage read: of two moves at once, one wins.
    if (!store::set_stage(tx, id, r.str("stage"), next, now)) throw conflict("renovation.moved");
    store::add_move(tx, id, r.str("stage"), "closed", note, p.user_id, now);
    store::add_move(tx, id, next, "entered", std::nullopt, p.user_id, now);
    audit_move(tx, actor, "renovation.advance", id, {{"from", r.str("stage")}, {"to", next}});
    changed(tx, events_, actor, r, "advanced");
    return view(tx, p, load(tx, p, id), lang);
  });
}

json::object Renovations::link_vote(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, const std::string& body, Lang lang) const {
  JsonInput in(body, {"stage", "owner_vote_id"});
  auto stage = in.str("stage", 20);
  if (stage != "intention" && stage != "plan") throw unprocessable("renovation.bad_stage", "stage");
  auto vote_id = in.i64("owner_vote_id");
  return db_.write([&](Tx& tx) {
    Row r = managed(tx, p, id);
    if (compare_stage(tx, r, stage) > 0) throw conflict("renovation.stage_passed");
    votes::VoteFacts v;
    try {
      v = votes::vote_facts(tx, p, vote_id);
    } catch (const Error&) {
      throw unprocessable("renovation.bad_vote", "owner_vote_id");
    }
    // Held at the project's place or over it: a building's vote does not bind its compound.
    if (!r.str("path").starts_with(v.path))
      throw unprocessable("renovation.bad_vote", "owner_vote_id");
    // One vote decides one stage.
    if (r.opt_i64(stage == "intention" ? "plan_vote_id" : "intention_vote_id") ==
        std::optional<std::int64_t>(vote_id))
      throw unprocessable("renovation.vote_used", "owner_vote_id");
    store::set_vote(tx, id, stage, vote_id, now_ms());
    audit_move(tx, actor, "renovation.vote", id, {{"stage", stage}, {"owner_vote_id", vote_id}});
    changed(tx, events_, actor, r, "vote");
    return view(tx, p, load(tx, p, id), lang);
  });
}

json::object Renovations::add_option(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t id, const std::string& body, Lang lang) const {
  JsonInput in(body, {"title", "description"});
  auto title = in.str("title", 100);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto description = in.opt_str("description", 2000);
  return db_.write([&](Tx& tx) {
    Row r = managed(tx, p, id);
    if (compare_stage(tx, r, "plan") > 0) throw conflict("renovation.stage_passed");
    auto option = store::insert_option(tx, id, title, description, now_ms());
    audit_move(tx, actor, "renovation.option", id, {{"option_id", option}, {"title", title}});
    changed(tx, events_, actor, r, "option");
    return view(tx, p, load(tx, p, id), lang);
  });
}

json::object Renovations::choose_option(const api::Principal& p, const api::Actor& actor,
                                        std::int64_t id, std::int64_t option_id, Lang lang) const {
  return db_.write([&](Tx& tx) {
    Row r = managed(tx, p, id);
    if (compare_stage(tx, r, "plan") > 0) throw conflict("renovation.stage_passed");
    if (!store::choose_option(tx, id, option_id)) throw not_found("renovation.option_not_found");
    audit_move(tx, actor, "renovation.choose", id, {{"option_id", option_id}});
    changed(tx, events_, actor, r, "option");
    return view(tx, p, load(tx, p, id), lang);
  });
}

json::object Renovations::notify(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body, Lang lang) const {
  JsonInput in(body, {"text"});
  auto text = in.str("text", 1000);
  if (text.empty()) throw unprocessable("request.missing_field", "text");
  return db_.write([&](Tx& tx) {
    Row r = managed(tx, p, id);
    auto notice = store::insert_notice(tx, id, text, p.user_id, now_ms());
    json::array notify;
    for (auto user : store::household_users(tx, kResidentRole, r.str("path")))
      notify.push_back({{"user_id", user},
                        {"kind", "renovation.notice"},
                        {"text", "renovation.notice.text"},
                        {"params", {{"title", r.str("title")}, {"text", text}}},
                        {"subject_type", "renovation_notice"},
                        {"subject_id", notice}});
    audit_move(tx, actor, "renovation.notice", id,
               {{"notice_id", notice}, {"sent", notify.size()}});
    changed(tx, events_, actor, r, "notice", std::move(notify));
    return view(tx, p, load(tx, p, id), lang);
  });
}

json::object Renovations::add_supervisor(const api::Principal& p, const api::Actor& actor,
                                         std::int64_t id, const std::string& body,
                                         Lang lang) const {
  JsonInput in(body, {"username"});
  auto username = in.str("username", 64);
  return db_.write([&](Tx& tx) {
    Row r = managed(tx, p, id);
    auto user = store::user_named(tx, username);
    if (!user || !store::holds_role_under(tx, *user, kResidentRole, r.str("path")))
      throw unprocessable("renovation.bad_supervisor", "username");
    if (!store::add_supervisor(tx, id, *user, now_ms()))
      return view(tx, p, r, lang);  // one already
    audit_move(tx, actor, "renovation.supervisor", id, {{"user_id", *user}});
    changed(tx, events_, actor, r, "supervisor");
    return view(tx, p, load(tx, p, id), lang);
  });
}

json::object Renovations::inspect(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const std::string& body, Lang lang) const {
  JsonInput in(body, {"text", "photos", "defect"});
  auto text = in.str("text", 2000);
  if (text.empty()) throw unprocessable("request.missing_field", "text");
  auto photos = in.opt_str_array("photos", workorders::kMaxPhotosPerReport, 64)
                    .value_or(std::vector<std::string>{});
  std::optional<std::string> defect_title;
  std::optional<Millis> deadline;
  if (auto d = in.opt_object("defect")) {
    JsonInput din(*d, {"title", "deadline_at"});
    defect_title = din.str("title", 100);
    if (defect_title->empty()) throw unprocessable("request.missing_field", "defect.title");
    deadline = parse_w3c(din.str("deadline_at", 40));
    if (!deadline || *deadline <= now_ms())
      throw unprocessable("renovation.bad_deadline", "defect.deadline_at");
  }
  return db_.write([&](Tx& tx) {
    Row r = load(tx, p, id);
    if (!may_inspect(tx, p, r)) throw forbidden("auth.scope_denied", "renovation.inspect");
    if (r.str("stage") != "construction") throw conflict("renovation.not_construction");
    Millis now = now_ms();
    bool supervisor =
        !places::reaches(tx, p, "renovation.inspect", r.str("path"), r.opt_str("grid_path"));
    auto inspection = store::insert_inspection(tx, id, p.user_id, supervisor, text,
                                               workorders::photo_ids_json(photos), now);
    workorders::attach_to_subject(tx, photos, p.user_id, "renovation", id);
    json::object detail{{"inspection_id", inspection}};
    if (defect_title) {
      auto contractor = r.opt_i64("contractor_org_id");
      if (!contractor) throw unprocessable("renovation.no_contractor", "defect");
      auto order = workorders::file_for_module(tx, actor,
                                               {"renovation_defect", r.i64("place_id"),
                                                r.str("title") + "：" + *defect_title + "\n" + text,
                                                photos, contractor, deadline, p.user_id});
      auto defect = store::insert_defect(tx, id, inspection, order, *defect_title, *deadline, now);
      detail["defect_id"] = defect;
      detail["order_id"] = order;
    }
    audit_move(tx, actor, "renovation.inspect", id, std::move(detail));
    changed(tx, events_, actor, r, "inspection");
    return view(tx, p, load(tx, p, id), lang);
  });
}

json::object Renovations::add_upkeep(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t id, const std::string& body, Lang lang) const {
  JsonInput in(body, {"title", "every_days", "org_id", "first_due_at"});
  auto title = in.str("title", 100);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto every = in.i64("every_days");
  if (every < 1 || every > 366) throw unprocessable("renovation.bad_interval", "every_days");
  auto org = in.opt_i64("org_id");
  std::optional<Millis> first;
  if (auto at = in.opt_str("first_due_at", 40)) {
    first = parse_w3c(*at);
    if (!first || *first <= now_ms())
      throw unprocessable("renovation.bad_deadline", "first_due_at");
  }
  return db_.write([&](Tx& tx) {
    Row r = managed(tx, p, id);
    if (compare_stage(tx, r, "construction") < 0) throw conflict("renovation.too_early");
    if (org && !store::org_exists(tx, *org)) throw unprocessable("renovation.bad_org", "org_id");
    Millis now = now_ms();
    Millis due = first.value_or(now + every * kDay);
    auto task = store::insert_upkeep(tx, id, title, static_cast<int>(every), org, due, now);
    schedule::add(tx, "renovation.upkeep", task, due);
    audit_move(tx, actor, "renovation.upkeep", id,
               {{"task_id", task}, {"title", title}, {"every_days", every}});
    changed(tx, events_, actor, r, "upkeep");
    return view(tx, p, load(tx, p, id), lang);
  });
}

json::object Renovations::notice(const api::Principal& p, std::int64_t notice_id) const {
  return db_.read([&](Tx& tx) {
    auto n = store::notice(tx, notice_id);
    if (!n) throw not_found("renovation.notice_not_found");
    auto r = store::project(tx, n->i64("project_id"));
    if (!r || !places::reaches(tx, p, "renovation.read", r->str("path"), r->opt_str("grid_path")))
      throw not_found("renovation.notice_not_found");
    return json::object{{"id", notice_id},
                        {"project_id", r->i64("id")},
                        {"project", r->str("title")},
                        {"place", r->str("place_name")},
                        {"text", n->str("text")},
                        {"created_at", iso8601(n->i64("created_at"))}};
  });
}

void upkeep_due(Tx& tx, const api::EventBus& events, std::int64_t task_id, Millis now) {
  auto t = store::upkeep_task(tx, task_id);
  if (!t || t->i64("next_due_at") > now) return;
  auto org = t->opt_i64("org_id");
  if (!org) org = t->opt_i64("contractor_org_id");
  auto actor = api::Actor::system("renovation.upkeep");
  // Filed in the name of the project's creator (the console's staff), due in a week or at the next
  // time.
  Millis every = t->i64("every_days") * kDay;
  auto order = workorders::file_for_module(tx, actor,
                                           {"renovation_maintenance",
                                            t->i64("place_id"),
                                            t->str("project_title") + "：" + t->str("title"),
                                            {},
                                            org,
                                            now + std::min<Millis>(every, 7 * kDay),
                                            t->opt_i64("created_by")});
  Millis next = t->i64("next_due_at") + every;
  while (next <= now) next += every;
  store::upkeep_filed(tx, task_id, order, next);
  schedule::add(tx, "renovation.upkeep", task_id, next);
  auto r = store::project(tx, t->i64("project_id"));
  changed(tx, events, actor, *r, "upkeep_due");
}

}  // namespace xh::renovation
