#pragma once
// Volunteers and teams (VOL-1). A resident — or a partner's member who lives
// elsewhere — registers as a volunteer with a community (报到在社区): skills,
// availability, the compounds they serve in (服务在小区); the community's
// staff (volunteer.manage over it) confirm or decline. Teams are the
// partners' volunteer-team organisations, each at the place it serves from,
// with its kind of service, the places it serves, a leader (one of its
// members) and members. 双报到: a partner's Party branch registers with a
// community (by the partner's contact or staff), and its Party members
// register as volunteers where they live, naming the branch; their service
// counts per branch per month (branch_report).
//
// Who sees what: staff see the volunteers, teams and branches in their
// scope (volunteer.read); a volunteer sees their own record; anyone signed
// in sees the teams whose place they reach (team.read), a team's members
// named in full to its leader and staff, masked to others.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/call.h"
#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/crypto.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::volunteers {

struct VolunteerQuery {
  std::optional<std::string> status;  // applied | confirmed | declined
  std::optional<std::int64_t> community_id, team_id, branch_id;
  std::optional<std::string> q;  // in the name
  api::Page page;
};

class Volunteers {
 public:
  Volunteers(storage::Database& db, const FieldCipher& cipher, const api::EventBus& events)
      : db_(db), cipher_(cipher), events_(events) {}

  // {community_id?, skills?, availability?, serves?, branch_id?}: 201 the
  // caller's record, applied. A resident registers with the community of
  // their household (community_id, when given, must be it); anyone else
  // names a community. 409 volunteer.exists (applied or confirmed already;
  // a declined one applies again); 422 volunteer.bad_community,
  // volunteer.bad_serves (compounds of that community), volunteer.bad_branch
  // (a branch registered in the street).
  boost::json::object register_self(const api::Principal& p, const api::Actor& actor,
                                    const std::string& body, Lang lang) const;
  // The caller's record with their teams and confirmed hours; 404
  // volunteer.not_registered.
  boost::json::object mine(const api::Principal& p, Lang lang) const;
  // volunteer.read: {items, total}.
  api::Listed list(const api::Principal& p, const VolunteerQuery& q, Lang lang) const;
  // volunteer.read over the community, or oneself; 404 volunteer.not_found.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {action: confirm | decline, reason?}: volunteer.manage over the
  // community; 409 volunteer.reviewed when not applied; 422
  // volunteer.reason_required to decline. The volunteer is told.
  boost::json::object review(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             const std::string& body, Lang lang) const;

  // ---- teams ----
  // team.read: the teams whose place the caller reaches, or in scope.
  api::Listed teams(const api::Principal& p, std::optional<std::int64_t> place_id,
                    const api::Page& page, Lang lang) const;
  // {org_id, place_id, service, places?, leader_id?}: volunteer.manage over
  // the place; 422 team.bad_org (a volunteer-team partner without a team),
  // team.bad_service, team.bad_places, team.bad_leader (a confirmed
  // volunteer, who becomes a member).
  boost::json::object create_team(const api::Principal& p, const api::Actor& actor,
                                  const std::string& body, Lang lang) const;
  // The team with its members; 404 team.not_found outside team.read.
  boost::json::object team(const api::Principal& p, std::int64_t id, Lang lang) const;
  // {service?, places?, leader_id?}: volunteer.manage over its place.
  boost::json::object update_team(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const std::string& body, Lang lang) const;
  // {volunteer_id}: staff or the leader add a confirmed volunteer (409
  // team.member_exists); staff, the leader or the member themself remove
  // one (404 team.not_member; the leader stays: 409 team.leader_stays).
  boost::json::object add_member(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const std::string& body, Lang lang) const;
  boost::json::object remove_member(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, std::int64_t volunteer_id, Lang lang) const;

  // ---- 双报到 ----
  // {org_id, community_id, name, secretary?}: by a contact of the partner or
  // volunteer.manage over the community; 409 branch.exists.
  boost::json::object register_branch(const api::Principal& p, const api::Actor& actor,
                                      const std::string& body, Lang lang) const;
  // The branches in scope (volunteer.read), or the caller's partners'.
  api::Listed branches(const api::Principal& p, const api::Page& page, Lang lang) const;
  // Per branch in scope, for the Beijing month YYYY-MM: its Party members
  // registered, those who served, the activities, the confirmed minutes.
  api::Listed branch_report(const api::Principal& p, const std::string& month,
                            const api::Page& page, Lang lang) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
  const api::EventBus& events_;
};

// The volunteer a caller may see (oneself, or volunteer.read over the
// community); 404 volunteer.not_found.
void require_volunteer(storage::Tx& tx, const api::Principal& p, std::int64_t id);
// The team a caller may see (team.read); 404 team.not_found.
void require_team(storage::Tx& tx, const api::Principal& p, std::int64_t id);
// The applications waiting for the caller's review, for the to-do list.
std::int64_t waiting_review(storage::Tx& tx, const api::Principal& p);

}  // namespace xh::volunteers
