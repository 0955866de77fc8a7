#pragma once
// What residents in need receive from the volunteers and partners:
// micro-wishes (微心愿, VOL-5), home services (上门服务, VOL-4) and the
// building's 红管家 steward (VOL-6).
//
// Micro-wishes. Staff (wish.manage) post one for a resident in their scope,
// or a resident for themselves; until staff review it nobody else sees it.
// Published, it shows in staff's words, without name or address, to those
// who reach its compound (wish.read) and the confirmed volunteers of its
// community; one partner (by its contact) or volunteer claims it — released
// when not fulfilled within kWishClaimDays — and fulfils it with a note and
// photos; staff confirm (the claimant earns points through wish.fulfilled
// and the community's wish_fulfilled rule); the resident thanks.
//
// Home services. For a resident with a special-care tag, requested by the
// resident, a member of their household, or staff (homeservice.manage);
// assigned by staff to a team or a volunteer, who sees what the visit needs
// — the resident's name, address and the need, never the care tag — and
// marks it done with a note or photos; the resident's household or staff
// rate it. A visit plan makes a visit every N days, assigned; a visit not
// done by its due time alerts the community's staff and shows as overdue in
// their to-do list.
//
// Stewards. Staff (steward.manage) make a building leader or a partner's
// contact the steward of a building; its residents see their steward on the
// phone and message them through the inbox; the steward sees their
// buildings' open reports and home services.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/call.h"
#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::volunteers {

inline constexpr int kWishClaimDays = 7;
inline constexpr Millis kVisitGrace = 24 * 60 * 60 * 1000LL;  // a planned visit is due a day after

class Wishes {
 public:
  Wishes(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {resident_id?, title, body}: 201. A resident posts for themselves (no
  // resident_id); staff for a resident of a household in scope. 422
  // wish.bad_resident.
  boost::json::object post(const api::Principal& p, const api::Actor& actor,
                           const std::string& body, Lang lang) const;
  // status?, mine (posted for or by the caller, or claimed by them).
  api::Listed list(const api::Principal& p, const std::optional<std::string>& status, bool mine,
                   const api::Page& page, Lang lang) const;
  // 404 wish.not_found outside what the caller sees.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {action: publish, public_title, public_body} | {action: reject, reason}:
  // wish.manage; 409 wish.bad_status unless submitted.
  boost::json::object review(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // {org_id?}: a confirmed volunteer, or a contact of the partner; one
  // claimant (409 wish.taken when another was first). 403 wish.not_claimant.
  boost::json::object claim(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body, Lang lang) const;
  boost::json::object release(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              Lang lang) const;
  // {note, photos}: the claimant; 422 wish.evidence_required (a photo).
  boost::json::object fulfil(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // wish.manage: confirms the fulfilment (the claimant earns points once).
  boost::json::object confirm(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              Lang lang) const;
  // {text}: the resident (their login) or staff for them, once confirmed.
  boost::json::object thank(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body, Lang lang) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

class HomeServices {
 public:
  HomeServices(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {resident_id?, kind, need}: 201. 422 homeservice.not_eligible (no care
  // tag), homeservice.bad_resident, homeservice.bad_kind.
  boost::json::object request(const api::Principal& p, const api::Actor& actor,
                              const std::string& body, Lang lang) const;
  api::Listed list(const api::Principal& p, const std::optional<std::string>& status,
                   const api::Page& page, Lang lang) const;
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {team_id? | volunteer_id?}: homeservice.manage; the assignees are told.
  boost::json::object assign(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // {note?, photos?}: the assigned volunteer, or a member of the assigned team.
  boost::json::object done(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body, Lang lang) const;
  // {rating 1–5, comment?}: the resident's household or staff, once done.
  boost::json::object rate(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body, Lang lang) const;
  // {reason}: staff or the requester, while not done.
  boost::json::object cancel(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;
  // {resident_id, kind, need, team_id? | volunteer_id?, every_days, first_at}:
  // homeservice.manage; visits are made by the job homeservice.visit.
  boost::json::object plan(const api::Principal& p, const api::Actor& actor,
                           const std::string& body, Lang lang) const;
  boost::json::object plans(const api::Principal& p, Lang lang) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

class Stewards {
 public:
  Stewards(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {building_id, user_id}: steward.manage over the building; 422
  // steward.bad_user (neither a building leader nor a partner's contact),
  // steward.bad_building; 409 steward.exists.
  boost::json::object assign(const api::Principal& p, const api::Actor& actor,
                             const std::string& body, Lang lang) const;
  void remove(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;
  api::Listed list(const api::Principal& p, std::optional<std::int64_t> place_id,
                   const api::Page& page, Lang lang) const;
  // The stewards of the buildings the caller lives in.
  boost::json::object mine(const api::Principal& p, Lang lang) const;
  // {text}: a resident of the steward's building messages them (an inbox
  // notice); 404 steward.not_found for a steward not of one's building.
  boost::json::object message(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body, Lang lang) const;
  // The steward's buildings with their open reports and home services.
  boost::json::object work(const api::Principal& p, Lang lang) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

// Live topics' checks (and who sees a wish's or a service's photos).
void require_wish(storage::Tx& tx, const api::Principal& p, std::int64_t id);
void require_home_service(storage::Tx& tx, const api::Principal& p, std::int64_t id);
// Jobs: a claim not fulfilled in time is released; a planned visit is made;
// a visit not done by its due time alerts staff.
void release_wish(storage::Tx& tx, const api::EventBus& events, std::int64_t id, Millis now);
void make_planned_visit(storage::Tx& tx, const api::EventBus& events, std::int64_t plan_id,
                        Millis now);
void visit_overdue(storage::Tx& tx, const api::EventBus& events, std::int64_t id, Millis now);
// To-do counts.
std::int64_t wishes_to_review(storage::Tx& tx, const api::Principal& p);
std::int64_t services_waiting(storage::Tx& tx, const api::Principal& p, std::int64_t* overdue);

}  // namespace xh::volunteers
