#pragma once
// The partners module's SQL: organisations, agreements, contacts, needs,
// resources and projects, read by column name. Contacts' phones are sealed
// and unsealed here, with the field cipher.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/list.h"
#include "core/crypto.h"
#include "partners/partners.h"
#include "storage/database.h"

namespace xh::partners::store {

// A live organisation; nullopt when there is none.
std::optional<Org> find_org(storage::Tx& tx, std::int64_t id);
// Inserts at `path`, the path of its place; returns the new id. Throws
// storage::UniqueViolation for a name already used.
std::int64_t insert_org(storage::Tx& tx, const OrgFields& f, const std::string& path, Millis now);
// Writes every field of `o`; throws storage::UniqueViolation as insert_org.
void update_org(storage::Tx& tx, const Org& o, Millis now);
bool is_contact(storage::Tx& tx, std::int64_t org_id, std::int64_t user_id);
// The live organisations `user_id` is a contact of, by id.
std::vector<Org> orgs_of_contact(storage::Tx& tx, std::int64_t user_id);
// Takes the organisation off every list (its row and history stay); its
// available resources are withdrawn with it.
void archive_org(storage::Tx& tx, std::int64_t id, Millis now);

// An organisation's agreements, the latest signed first, and its contacts.
std::vector<Agreement> agreements_of(storage::Tx& tx, std::int64_t org_id);
std::vector<Contact> contacts_of(storage::Tx& tx, const FieldCipher& cipher, std::int64_t org_id);
Agreement insert_agreement(storage::Tx& tx, std::int64_t org_id, const AgreementFields& f,
                           Millis now);
std::optional<Agreement> find_agreement(storage::Tx& tx, std::int64_t org_id, std::int64_t id);
void update_agreement(storage::Tx& tx, std::int64_t id, const AgreementFields& f);
void delete_agreement(storage::Tx& tx, std::int64_t id);
// Throws storage::UniqueViolation when the user is a contact already.
Contact insert_contact(storage::Tx& tx, const FieldCipher& cipher, std::int64_t org_id,
                       const ContactFields& f, Millis now);
std::optional<Contact> find_contact(storage::Tx& tx, const FieldCipher& cipher, std::int64_t org_id,
                                    std::int64_t id);
// Writes every field of `c`; throws storage::UniqueViolation as insert_contact.
void update_contact(storage::Tx& tx, const FieldCipher& cipher, const Contact& c);
void delete_contact(storage::Tx& tx, std::int64_t id);
// True when `user_id` is an account (the auth module's table, read only).
bool user_exists(storage::Tx& tx, std::int64_t user_id);

std::optional<Need> find_need(storage::Tx& tx, std::int64_t id);
std::int64_t insert_need(storage::Tx& tx, const NeedFields& f, const std::string& path,
                         std::optional<std::int64_t> created_by, Millis now);
void set_need_status(storage::Tx& tx, std::int64_t id, const std::string& status, Millis now);
// True when a planned or active project meets the need.
bool has_live_project(storage::Tx& tx, std::int64_t need_id);
// Writes the need's category, title, description and status.
void update_need(storage::Tx& tx, const Need& n, Millis now);

std::optional<Resource> find_resource(storage::Tx& tx, std::int64_t id);
std::int64_t insert_resource(storage::Tx& tx, const ResourceFields& f, const std::string& path,
                             Millis now);
// Writes the resource's place (and path), category, title, description,
// capacity and status.
void update_resource(storage::Tx& tx, const Resource& r, Millis now);

// With its resources.
std::optional<Project> find_project(storage::Tx& tx, std::int64_t id);
// A project's resources, by id.
std::vector<Resource> resources_of(storage::Tx& tx, std::int64_t project_id);
std::int64_t insert_project(storage::Tx& tx, const Need& need, const std::string& title,
                            Millis now);
// Adds the resource to the project once.
void add_project_resource(storage::Tx& tx, std::int64_t project_id, std::int64_t resource_id);
void set_project_status(storage::Tx& tx, std::int64_t id, const std::string& status, Millis now);

// The pages of the lists, newest first (organisations by id), in the caller's
// partner.read scope; organisations and resources also when registered above
// it.
api::ListQuery::Result list_orgs(storage::Tx& tx, const api::Principal& p, const OrgQuery& q);
api::ListQuery::Result list_needs(storage::Tx& tx, const api::Principal& p, const ListQuery& q);
api::ListQuery::Result list_resources(storage::Tx& tx, const api::Principal& p,
                                      const ListQuery& q);
api::ListQuery::Result list_projects(storage::Tx& tx, const api::Principal& p, const ListQuery& q);
// The records of the lists' rows (a project without its resources).
Org org_from(const storage::Row& r);
Need need_from(const storage::Row& r);
Resource resource_from(const storage::Row& r);
Project project_from(const storage::Row& r);

// A resource that could meet a need, and how many planned or active projects
// it serves.
struct Candidate {
  Resource resource;
  std::int64_t commitments = 0;
};
// The available resources of `category` of live organisations, by id.
std::vector<Candidate> candidates(storage::Tx& tx, const std::string& category);

}  // namespace xh::partners::store
