#pragma once
// Partners (FND-3): partner organisations (红色合伙人) with their cooperation
// agreements (合作意向书) and contacts, and the three lists (三张清单):
// community needs, partner resources, and projects matching one to the other.
// An organisation, a need and a resource each belong to a place; partner.read
// and partner.write are scoped by that place, and a partner's own contacts
// may manage their organisation's resources. Organisations and resources
// registered above the caller's scope are visible too: the street's volunteer
// teams serve every community.
//
// Events emitted: partner.archiving (inside the transaction that archives an
// organisation; a handler that throws keeps it).
//
// Events handled (inside the emitting transaction): place.company (refused
// with 422 place.bad_property_org unless the organisation is a live property
// company).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/crypto.h"
#include "core/labels.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::partners {

using xh::Label;
const std::vector<Label>& org_kinds();
const std::vector<Label>& categories();  // of needs and resources
const std::vector<Label>& need_statuses();
const std::vector<Label>& resource_statuses();
const std::vector<Label>& project_statuses();

// A stored partner organisation.
struct Org {
  std::int64_t id = 0;
  std::string name, kind, path;
  std::optional<std::string> credit_code, address, party_branch, description;
  std::int64_t place_id = 0;
  Millis created_at = 0, updated_at = 0;
};

struct Agreement {
  std::int64_t id = 0;
  std::string title, signed_on, term_start, term_end, commitments;
  Millis created_at = 0;
};

// A contact of an organisation, the phone decrypted.
struct Contact {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> title, phone;
  std::optional<std::int64_t> user_id;
};

struct Need {
  std::int64_t id = 0, place_id = 0;
  std::string place_name, path, category, title, status;
  std::optional<std::string> description;
  Millis created_at = 0;
};

struct Resource {
  std::int64_t id = 0, org_id = 0, place_id = 0;
  std::string org_name, place_name, path, category, title, status;
  std::optional<std::string> description, capacity;
  Millis created_at = 0;
};

struct Project {
  std::int64_t id = 0, need_id = 0;
  std::string need_title, path, title, status;
  Millis created_at = 0;
  std::vector<Resource> resources;
};

// The records as the API shows them (no paths); a contact's phone is masked
// unless `full_phone`.
boost::json::object to_json(const Org& o);
boost::json::object to_json(const Agreement& a);
boost::json::object to_json(const Contact& c, bool full_phone);
boost::json::object to_json(const Need& n);
boost::json::object to_json(const Resource& r);
boost::json::object to_json(const Project& p);

struct OrgFields {
  std::optional<std::string> name, kind, credit_code, address, party_branch, description;
  std::optional<std::int64_t> place_id;
};

struct OrgQuery {
  std::optional<std::string> kind, q;  // q: Chinese substring of the name
  api::Page page;
};

struct AgreementFields {
  std::string title, signed_on, term_start, term_end, commitments;
};

struct ContactFields {
  std::string name;
  std::optional<std::string> title, phone;
  std::optional<std::int64_t> user_id;  // links a login to the organisation
};

struct NeedFields {
  std::int64_t place_id;
  std::string category, title;
  std::optional<std::string> description;
};

struct ResourceFields {
  std::int64_t org_id, place_id;
  std::string category, title;
  std::optional<std::string> description, capacity;
};

// A change to a need or a resource: the fields given.
struct NeedPatch {
  std::optional<std::string> category, title, description, status;
};
struct ResourcePatch {
  std::optional<std::int64_t> place_id;
  std::optional<std::string> category, title, description, capacity, status;
};

struct ProjectFields {
  std::int64_t need_id;
  std::string title;
  std::vector<std::int64_t> resource_ids;
};

// Filters of the lists of needs, resources and projects (newest first).
struct ListQuery {
  std::optional<std::string> category, status;  // projects: status only
  std::optional<std::int64_t> org_id;           // resources only
  api::Page page;
};

// For the demo loader: the records below are written without a caller to
// check, inside `tx`, validated and audited (as `actor`) like the commands of
// the same name, and returned as stored.
Org create_org_unchecked(storage::Tx& tx, const api::Actor& actor, const OrgFields& f);
Agreement add_agreement_unchecked(storage::Tx& tx, const api::Actor& actor, std::int64_t org_id,
                                  const AgreementFields& f);
Contact add_contact_unchecked(storage::Tx& tx, const FieldCipher& cipher, const api::Actor& actor,
                              std::int64_t org_id, const ContactFields& f);
Need create_need_unchecked(storage::Tx& tx, const api::Actor& actor, const NeedFields& f);
Resource create_resource_unchecked(storage::Tx& tx, const api::Actor& actor,
                                   const ResourceFields& f);

// The partner organisations and the three lists as the street and its
// communities keep them. Thread-safe: holds the database and the field
// cipher; every method runs in one transaction of its own.
//
// The field errors of every command: 422 request.missing_field and
// request.field_too_long naming the field, place.not_found for a place that
// is not a live one.
class Partners {
 public:
  Partners(storage::Database& db, const FieldCipher& cipher, const api::EventBus& events)
      : db_(db), cipher_(cipher), events_(events) {}

  // Needs partner.write over the place (403 auth.permission_denied or
  // auth.scope_denied). 422 partner.bad_kind; 409 partner.exists for a name
  // already registered. Returns the new organisation.
  boost::json::object create_org(const api::Principal& p, const api::Actor& actor,
                                 const OrgFields& f) const;

  // Needs partner.read over the organisation's place, or over a place below
  // it, or being its contact (403 auth.permission_denied or
  // auth.scope_denied); 404 partner.not_found. Returns the organisation with
  // its "agreements" (latest first) and "contacts", phones in full only for
  // who may manage it (partner.write over it, or its contacts).
  boost::json::object get_org(const api::Principal& p, std::int64_t id) const;

  // Needs partner.write over the organisation, or being its contact: a
  // contact changes its description and address only (403
  // auth.scope_denied); moving it to another place needs partner.write over
  // both. 404 partner.not_found; the field errors of create_org. Returns the
  // organisation after.
  boost::json::object update_org(const api::Principal& p, const api::Actor& actor,
                                 std::int64_t id, const OrgFields& f) const;

  // The organisations the caller is a contact of (no permission needed: a
  // contact manages their own), each as get_org; an empty list for anyone
  // else.
  boost::json::array mine(const api::Principal& p) const;

  // Needs partner.write over the organisation. Emits partner.archiving (the
  // places module refuses with 409 partner.serves_places while it is the
  // property company of a live place; the points module takes its items off
  // the catalogue), withdraws its available resources and takes it off every
  // list; 404 partner.not_found. Returns the organisation, "archived": true.
  boost::json::object archive_org(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t id) const;

  // The organisations visible to the caller (partner.read, 403 without),
  // by id.
  api::Listed list_orgs(const api::Principal& p, const OrgQuery& q) const;

  // Needs partner.write over the organisation; 404 partner.not_found, 422
  // partner.bad_date, partner.bad_term. Returns the organisation as get_org.
  boost::json::object add_agreement(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t org_id, const AgreementFields& f) const;

  // Needs partner.write over the organisation. Replaces every field of the
  // agreement (the checks of add_agreement), or removes one recorded by
  // mistake; 404 partner.not_found, partner.agreement_not_found. Return the
  // organisation as get_org.
  boost::json::object update_agreement(const api::Principal& p, const api::Actor& actor,
                                       std::int64_t org_id, std::int64_t id,
                                       const AgreementFields& f) const;
  boost::json::object remove_agreement(const api::Principal& p, const api::Actor& actor,
                                       std::int64_t org_id, std::int64_t id) const;

  // Needs partner.write over the organisation; 404 partner.not_found, 422
  // resident.bad_phone, user.not_found; 409 partner.contact_exists when the
  // user is one already. Returns the organisation as get_org.
  boost::json::object add_contact(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t org_id, const ContactFields& f) const;

  // Needs partner.write over the organisation. Replaces every field of the
  // contact (the checks of add_contact), or removes it: its account, if any,
  // no longer manages the organisation. 404 partner.not_found,
  // partner.contact_not_found. Return the organisation as get_org.
  boost::json::object update_contact(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t org_id, std::int64_t id,
                                     const ContactFields& f) const;
  boost::json::object remove_contact(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t org_id, std::int64_t id) const;

  // Needs partner.write over the place; 422 partner.bad_category. Returns the
  // new need, open.
  boost::json::object create_need(const api::Principal& p, const api::Actor& actor,
                                  const NeedFields& f) const;

  // Needs partner.write over the need. Changes the fields given; "status"
  // closes it ("closed") or opens it again ("open"; 409 need.matched while a
  // planned or active project meets it); 422 need.bad_status, the field
  // errors of create_need; 404 need.not_found. Returns the need after.
  boost::json::object update_need(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t id, const NeedPatch& f) const;

  // The needs in the caller's partner.read scope (403 without).
  api::Listed list_needs(const api::Principal& p, const ListQuery& q) const;

  // Resources that could meet a need: same category, offered to the need's
  // place or a place above it first ("match": "covers_place"), then elsewhere
  // in the same community ("same_community"); the least committed first.
  // Needs partner.read over the need; 404 need.not_found.
  boost::json::array suggest_resources(const api::Principal& p, std::int64_t need_id) const;

  // Needs partner.write over the organisation, or being its contact, and an
  // offer within the organisation's area unless the caller has partner.write
  // over the place (403 auth.scope_denied). 404 partner.not_found; 422
  // partner.bad_category. Returns the new resource, available.
  boost::json::object create_resource(const api::Principal& p, const api::Actor& actor,
                                      const ResourceFields& f) const;

  // Needs partner.write over the resource's organisation, or being its
  // contact, and a new place within the organisation's area unless the caller
  // has partner.write over it (403 auth.scope_denied). Changes the fields
  // given; "status" withdraws it ("withdrawn") or offers it again
  // ("available"); 422 resource.bad_status, the field errors of
  // create_resource; 404 resource.not_found. Returns the resource after.
  boost::json::object update_resource(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t id, const ResourcePatch& f) const;

  // The resources visible to the caller (partner.read, 403 without).
  api::Listed list_resources(const api::Principal& p, const ListQuery& q) const;

  // Needs partner.write over the need; 422 request.missing_field
  // (resource_ids), need.not_found, resource.not_available (not available,
  // or not visible to the caller); 409 need.closed. The need becomes
  // matched. Returns the new project, planned, with its resources.
  boost::json::object create_project(const api::Principal& p, const api::Actor& actor,
                                     const ProjectFields& f) const;

  // Needs partner.write over the project; 422 project.bad_status, 404
  // project.not_found. A project done closes its need. Returns the project.
  boost::json::object set_project_status(const api::Principal& p, const api::Actor& actor,
                                         std::int64_t id, const std::string& status) const;

  // The projects in the caller's partner.read scope (403 without), with
  // their resources.
  api::Listed list_projects(const api::Principal& p, const ListQuery& q) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
  const api::EventBus& events_;
};

}  // namespace xh::partners
