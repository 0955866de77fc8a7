#pragma once
// Partners (FND-3): partner organisations (红色合伙人) with their cooperation
// agreements (合作意向书) and contacts, and the three lists (三张清单):
// community needs, partner resources, and projects matching one to the other.
// An organisation, a need and a resource each belong to a place; partner.read
// and partner.write are scoped by that place, and a partner's own contacts
// may manage their organisation's resources.
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "api/scope.h"
#include "core/crypto.h"
#include "core/labels.h"
#include "storage/database.h"

namespace xh::partners {

using xh::Label;
const std::vector<Label>& org_kinds();
const std::vector<Label>& categories();  // of needs and resources
const std::vector<Label>& need_statuses();
const std::vector<Label>& resource_statuses();
const std::vector<Label>& project_statuses();

struct Services {
  storage::Database& db;
  const FieldCipher& cipher;
};

struct OrgFields {
  std::optional<std::string> name, kind, credit_code, address, party_branch, description;
  std::optional<std::int64_t> place_id;
};

// For the demo loader: no permission check.
std::int64_t create_org_unchecked(storage::Tx& tx, const api::Actor& actor, const OrgFields& f);

boost::json::object create_org(Services& s, const api::Principal& p, const api::Actor& actor,
                               const OrgFields& f);
// With agreements and contacts (phones masked unless the caller may write).
boost::json::object get_org(Services& s, const api::Principal& p, std::int64_t id);
boost::json::object update_org(Services& s, const api::Principal& p, const api::Actor& actor,
                               std::int64_t id, const OrgFields& f);

struct OrgQuery {
  std::optional<std::string> kind, q;
  int limit = 50, offset = 0;
};
std::pair<boost::json::array, std::int64_t> list_orgs(Services& s, const api::Principal& p,
                                                      const OrgQuery& q);

struct AgreementFields {
  std::string title, signed_on, term_start, term_end, commitments;
};
std::int64_t add_agreement_unchecked(storage::Tx& tx, const api::Actor& actor,
                                     std::int64_t org_id, const AgreementFields& f);
boost::json::object add_agreement(Services& s, const api::Principal& p, const api::Actor& actor,
                                  std::int64_t org_id, const AgreementFields& f);

struct ContactFields {
  std::string name;
  std::optional<std::string> title, phone;
  std::optional<std::int64_t> user_id;  // links a login to the organisation
};
boost::json::object add_contact(Services& s, const api::Principal& p, const api::Actor& actor,
                                std::int64_t org_id, const ContactFields& f);
void add_contact_unchecked(storage::Tx& tx, const FieldCipher& cipher, const api::Actor& actor,
                           std::int64_t org_id, const ContactFields& f);

struct NeedFields {
  std::int64_t place_id;
  std::string category, title;
  std::optional<std::string> description;
};
std::int64_t create_need_unchecked(storage::Tx& tx, const api::Actor& actor, const NeedFields& f);
boost::json::object create_need(Services& s, const api::Principal& p, const api::Actor& actor,
                                const NeedFields& f);

struct ResourceFields {
  std::int64_t org_id, place_id;
  std::string category, title;
  std::optional<std::string> description, capacity;
};
std::int64_t create_resource_unchecked(storage::Tx& tx, const api::Actor& actor,
                                       const ResourceFields& f);
boost::json::object create_resource(Services& s, const api::Principal& p,
                                    const api::Actor& actor, const ResourceFields& f);

struct ProjectFields {
  std::int64_t need_id;
  std::string title;
  std::vector<std::int64_t> resource_ids;
};
boost::json::object create_project(Services& s, const api::Principal& p, const api::Actor& actor,
                                   const ProjectFields& f);
boost::json::object set_project_status(Services& s, const api::Principal& p,
                                       const api::Actor& actor, std::int64_t id,
                                       const std::string& status);

struct ListQuery {
  std::optional<std::string> category, status;
  std::optional<std::int64_t> org_id;
  int limit = 50, offset = 0;
};
std::pair<boost::json::array, std::int64_t> list_needs(Services& s, const api::Principal& p,
                                                       const ListQuery& q);
std::pair<boost::json::array, std::int64_t> list_resources(Services& s, const api::Principal& p,
                                                           const ListQuery& q);
std::pair<boost::json::array, std::int64_t> list_projects(Services& s, const api::Principal& p,
                                                          const ListQuery& q);

// Resources that could meet a need: same category, offered to the need's place
// or a place above it first, then elsewhere in the same community; the least
// committed first.
boost::json::array suggest_resources(Services& s, const api::Principal& p, std::int64_t need_id);

}  // namespace xh::partners
