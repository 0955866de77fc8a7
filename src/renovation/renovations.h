#pragma once
// Renovation of old compounds (老旧小区改造, GOV-4). Staff (renovation.manage
// over the place) open a project on a compound or a building with its items
// (renovation_item_kinds) and its contractor (a partner), and move it through
// the stages of renovation_stages in order: 宣传发动 publicity → 意愿征集
// intention → 方案讨论确定 plan → 施工安全监管 construction → 长效管理
// maintenance. A stage closes only with what it needs (the stage's `needs`):
// a publicity notice sent; the intention vote passed; the plan vote passed
// and one option chosen; every defect checked and closed. Every move is
// audited and published on the live topic renovation:<id>.
//
// Publicity notices go to the inbox of every resident account under the
// place; their read counts are shown. During construction, staff, building
// leaders, grid workers and the project's resident supervisors log
// inspections with photos; a defect becomes a work order of the kind
// renovation_defect for the contractor with its rectification deadline, and
// counts as closed once checked (verified or closed). In long-term management
// recurring tasks file a work order at each due time (job renovation.upkeep).
//
// Who sees a project: as places::reaches says for renovation.read — the
// residents of its place follow it on their phones.
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "api/call.h"
#include "api/events.h"
#include "api/principal.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::renovation {

class Renovations {
 public:
  Renovations(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {items: [{key, label}], stages: [{key, label, needs}]}.
  boost::json::object vocabulary(Lang lang) const;
  // {items: [{id, place, title, stage, stage_label, items: [keys], defects_open}], total}: the
  // projects the caller reaches, the latest first, a page at a time.
  boost::json::object list(const api::Principal& p, api::Page page, Lang lang) const;
  // {place_id, title, description?, items: [keys], contractor_org_id?}: 201 the
  // project at its first stage. 422 renovation.bad_place (a compound or a
  // building), renovation.bad_item, renovation.bad_org.
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body, Lang lang) const;
  // The project: its stages (done, current, to come; what the current one
  // still needs), votes, plan options, notices with read counts, supervisors,
  // inspections, defects with their orders' statuses, upkeep tasks, and
  // what the caller may do. 404 renovation.not_found outside the caller's reach.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {note?}: closes the current stage and enters the next; 409 with the
  // unmet need as its code (renovation.needs_notice, needs_vote, vote_open,
  // vote_failed, needs_option, defects_open), renovation.last_stage, or
  // renovation.moved when another request moved it first.
  boost::json::object advance(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body, Lang lang) const;
  // {stage: intention|plan, owner_vote_id}: the owners' vote that decides the
  // stage — one held at the project's place or over it. 422
  // renovation.bad_vote, renovation.vote_used (it decides the other stage);
  // 409 renovation.stage_passed once that stage closed.
  boost::json::object link_vote(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& body, Lang lang) const;
  // {title, description?}: a plan option (during the plan stage or before;
  // 409 renovation.stage_passed after it).
  boost::json::object add_option(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body, Lang lang) const;
  // Chooses the option (the others unchosen); 404 renovation.option_not_found.
  boost::json::object choose_option(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, std::int64_t option_id, Lang lang) const;
  // {text}: a publicity notice to every resident account under the place.
  boost::json::object notify(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // {username}: a resident under the place becomes a supervisor; 422
  // renovation.bad_supervisor.
  boost::json::object add_supervisor(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t id, const std::string& body, Lang lang) const;
  // {text, photos?, defect?: {title, deadline_at}}: an inspection log during
  // construction (409 renovation.not_construction), by staff, a building
  // leader or grid worker over the place, or a supervisor; a defect files its
  // work order for the contractor (422 renovation.no_contractor, renovation.bad_deadline).
  boost::json::object inspect(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body, Lang lang) const;
  // {title, every_days, org_id?, first_due_at?}: an upkeep task that recurs
  // (from construction on; 409 renovation.too_early).
  boost::json::object add_upkeep(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body, Lang lang) const;
  // A publicity notice, for the inbox's link: {id, project_id, project, place, text, created_at}.
  boost::json::object notice(const api::Principal& p, std::int64_t notice_id) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

// The live topic's check: the caller reaches the project (404 otherwise).
void require_project(storage::Tx& tx, const api::Principal& p, std::int64_t id);

// The job renovation.upkeep: files the task's work order and schedules the next.
void upkeep_due(storage::Tx& tx, const api::EventBus& events, std::int64_t task_id, Millis now);

}  // namespace xh::renovation
