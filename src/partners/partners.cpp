// The partner commands: each checks permission and scope, validates, writes
// through the store and audits, in one transaction.
#include "partners/partners.h"

#include <boost/json.hpp>

#include <algorithm>
#include <regex>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/text.h"
#include "partners/store.h"
#include "people/identity.h"
#include "places/places.h"

namespace xh::partners {

namespace json = boost::json;
using storage::Tx;

const std::vector<Label>& org_kinds() {
  static const std::vector<Label> kinds = {
      {"company", "企业", "Company"},
      {"institution", "事业单位", "Public institution"},
      {"school", "学校及教育机构", "School or education provider"},
      {"property_company", "物业服务企业", "Property management company"},
      {"social_org", "社会组织", "Social organisation"},
      {"volunteer_team", "志愿服务队", "Volunteer team"}};
  return kinds;
}

const std::vector<Label>& categories() {
  static const std::vector<Label> cats = {
      {"education", "教育辅导", "Education and tutoring"},
      {"health", "健康义诊", "Health checks"},
      {"elderly", "为老服务", "Care for the elderly"},
      {"sanitation", "环境卫生", "Cleaning and sanitation"},
      {"repair", "维修服务", "Repairs"},
      {"culture", "文体活动", "Culture and sport"},
      {"safety", "平安守护", "Safety patrols"},
      {"legal", "法律咨询", "Legal advice"},
      {"employment", "就业帮扶", "Employment support"},
      {"goods", "物资捐赠", "Donated goods"},
      {"epidemic", "防疫支援", "Epidemic support"},
      {"flood", "防汛应急", "Flood response"}};
  return cats;
}

const std::vector<Label>& need_statuses() {
  static const std::vector<Label> s = {
      {"open", "待认领", "Open"}, {"matched", "已匹配", "Matched"}, {"closed", "已关闭", "Closed"}};
  return s;
}

const std::vector<Label>& resource_statuses() {
  static const std::vector<Label> s = {{"available", "可用", "Available"},
                                       {"withdrawn", "已撤回", "Withdrawn"}};
  return s;
}

const std::vector<Label>& project_statuses() {
  static const std::vector<Label> s = {{"planned", "筹备中", "Planned"},
                                       {"active", "进行中", "Active"},
                                       {"done", "已完成", "Done"},
                                       {"cancelled", "已取消", "Cancelled"}};
  return s;
}

json::object to_json(const Org& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"kind", o.kind},
          {"credit_code", json::value_from(o.credit_code)},
          {"address", json::value_from(o.address)},
          {"party_branch", json::value_from(o.party_branch)},
          {"description", json::value_from(o.description)},
          {"place_id", o.place_id},
          {"created_at", iso8601(o.created_at)},
          {"updated_at", iso8601(o.updated_at)}};
}

json::object to_json(const Agreement& a) {
  return {{"id", a.id},
          {"title", a.title},
          {"signed_on", a.signed_on},
          {"term_start", a.term_start},
          {"term_end", a.term_end},
          {"commitments", a.commitments},
          {"created_at", iso8601(a.created_at)}};
}

json::object to_json(const Contact& c, bool full_phone) {
  json::object o{{"id", c.id},
                 {"name", c.name},
                 {"title", json::value_from(c.title)},
                 {"user_id", json::value_from(c.user_id)}};
  if (c.phone)
    o["phone"] = full_phone ? *c.phone : people::mask_phone(*c.phone);
  else
    o["phone"] = nullptr;
  return o;
}

json::object to_json(const Need& n) {
  return {{"id", n.id},
          {"place_id", n.place_id},
          {"place_name", n.place_name},
          {"category", n.category},
          {"title", n.title},
          {"description", json::value_from(n.description)},
          {"status", n.status},
          {"created_at", iso8601(n.created_at)}};
}

json::object to_json(const Resource& r) {
  return {{"id", r.id},
          {"org_id", r.org_id},
          {"org_name", r.org_name},
          {"place_id", r.place_id},
          {"place_name", r.place_name},
          {"category", r.category},
          {"title", r.title},
          {"description", json::value_from(r.description)},
          {"capacity", json::value_from(r.capacity)},
          {"status", r.status},
          {"created_at", iso8601(r.created_at)}};
}

json::object to_json(const Project& p) {
  json::array resources;
  for (const auto& r : p.resources) resources.push_back(to_json(r));
  return {{"id", p.id},
          {"need_id", p.need_id},
          {"need_title", p.need_title},
          {"title", p.title},
          {"status", p.status},
          {"created_at", iso8601(p.created_at)},
          {"resources", std::move(resources)}};
}

namespace {

void check_text(const std::optional<std::string>& v, const char* field, std::size_t max,
                bool required = false) {
  // A required field may be left out of a patch, but never emptied.
  if (v && v->empty() && required) throw unprocessable("request.missing_field", field);
  if ((required && (!v || v->empty())) || (v && utf8_length(*v) > max))
    throw unprocessable(required && (!v || v->empty()) ? "request.missing_field" : "request.field_too_long",
                        field);
}

void check_date(const std::string& d, const char* field) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2})");
  if (!std::regex_match(d, re)) throw unprocessable("partner.bad_date", field);
  int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || day < 1 || day > days[m - 1] + (m == 2 && leap ? 1 : 0))
    throw unprocessable("partner.bad_date", field);
}

void check_category(const std::string& category) {
  if (!has_key(categories(), category)) throw unprocessable("partner.bad_category", "category");
}

// The path of a live place; 422 place.not_found naming `field` otherwise.
std::string place_path(Tx& tx, std::int64_t place_id, const char* field) {
  auto place = places::find(tx, place_id);
  if (!place || place->archived_at) throw unprocessable("place.not_found", field);
  return place->path;
}

// "/street/community/…": the first three slashes close the community.
std::string community_of(const std::string& path) {
  std::size_t slashes = 0, cut = 0;
  for (; cut < path.size() && slashes < 3; ++cut) slashes += path[cut] == '/';
  return path.substr(0, cut);
}

// Partner data is visible within the caller's scope and also when registered
// above it: the street's volunteer teams serve every community.
bool partner_visible(const api::Principal& p, const std::string& path) {
  if (api::in_scope(p, "partner.read", path)) return true;
  auto above = api::ancestor_paths(p, "partner.read");
  return std::find(above.begin(), above.end(), path) != above.end();
}

Org find_org(Tx& tx, std::int64_t id) {
  auto org = store::find_org(tx, id);
  if (!org) throw not_found("partner.not_found");
  return *org;
}

// Reading an organisation: partner.read over its place, or being its contact.
Org readable_org(Tx& tx, const api::Principal& p, std::int64_t id) {
  Org org = find_org(tx, id);
  if (!partner_visible(p, org.path) && !store::is_contact(tx, id, p.user_id)) {
    api::require(p, "partner.read");
    throw forbidden("auth.scope_denied", "partner.read");
  }
  return org;
}

// Managing an organisation's offers: partner.write over its place, or being its contact.
Org manageable_org(Tx& tx, const api::Principal& p, std::int64_t id) {
  Org org = find_org(tx, id);
  if (!api::in_scope(p, "partner.write", org.path) && !store::is_contact(tx, id, p.user_id)) {
    api::require(p, "partner.write");
    throw forbidden("auth.scope_denied", "partner.write");
  }
  return org;
}

// Changing who an organisation is, or its agreements and contacts:
// partner.write over its place.
Org writable_org(Tx& tx, const api::Principal& p, std::int64_t id) {
  Org org = find_org(tx, id);
  api::require_in_scope(p, "partner.write", org.path);
  return org;
}

// The organisation with its agreements and contacts, phones in full for who
// may manage it.
json::object org_detail(Tx& tx, const FieldCipher& cipher, const api::Principal& p,
                        const Org& org) {
  bool full =
      api::in_scope(p, "partner.write", org.path) || store::is_contact(tx, org.id, p.user_id);
  json::object o = to_json(org);
  json::array agreements, contacts;
  for (const auto& a : store::agreements_of(tx, org.id)) agreements.push_back(to_json(a));
  for (const auto& c : store::contacts_of(tx, cipher, org.id)) contacts.push_back(to_json(c, full));
  o["agreements"] = std::move(agreements);
  o["contacts"] = std::move(contacts);
  return o;
}

void check_org(const OrgFields& f, bool creating) {
  if (f.name || creating) check_text(f.name, "name", 100, true);
  if (creating && !f.kind) throw unprocessable("request.missing_field", "kind");
  if (f.kind && !has_key(org_kinds(), *f.kind)) throw unprocessable("partner.bad_kind", "kind");
  check_text(f.credit_code, "credit_code", 18);
  check_text(f.address, "address", 200);
  check_text(f.party_branch, "party_branch", 100);
  check_text(f.description, "description", 2000);
  if (creating && !f.place_id) throw unprocessable("request.missing_field", "place_id");
}

std::string audit_json(const Org& o) { return json::serialize(to_json(o)); }

}  // namespace

Org create_org_unchecked(Tx& tx, const api::Actor& actor, const OrgFields& f) {
  check_org(f, true);
  std::string path = place_path(tx, *f.place_id, "place_id");
  std::int64_t id;
  try {
    id = store::insert_org(tx, f, path, now_ms());
  } catch (const storage::UniqueViolation&) {
    throw conflict("partner.exists", "name");
  }
  Org org = *store::find_org(tx, id);
  audit::append(tx, actor,
                {"partner.create", "org", std::to_string(id), std::nullopt, audit_json(org)});
  return org;
}

json::object Partners::create_org(const api::Principal& p, const api::Actor& actor,
                                  const OrgFields& f) const {
  api::require(p, "partner.write");
  return db_.write([&](Tx& tx) {
    check_org(f, true);
    api::require_in_scope(p, "partner.write", place_path(tx, *f.place_id, "place_id"));
    return to_json(create_org_unchecked(tx, actor, f));
  });
}

json::object Partners::get_org(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) { return org_detail(tx, cipher_, p, readable_org(tx, p, id)); });
}

json::object Partners::update_org(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t id, const OrgFields& f) const {
  check_org(f, false);
  return db_.write([&](Tx& tx) {
    Org before = manageable_org(tx, p, id);
    // An organisation's own contacts keep its description and address; who it
    // is (name, kind, credit code, Party branch) is for the community's staff.
    if (!api::in_scope(p, "partner.write", before.path) &&
        (f.name || f.kind || f.credit_code || f.party_branch || f.place_id))
      throw forbidden("auth.scope_denied", "partner.write");
    Org after = before;
    // Moving an organisation to another place is staff work, not the partner's own.
    if (f.place_id) {
      after.path = place_path(tx, *f.place_id, "place_id");
      after.place_id = *f.place_id;
      api::require_in_scope(p, "partner.write", before.path);
      api::require_in_scope(p, "partner.write", after.path);
    }
    if (f.name) after.name = *f.name;
    if (f.kind) after.kind = *f.kind;
    if (f.credit_code) after.credit_code = f.credit_code;
    if (f.address) after.address = f.address;
    if (f.party_branch) after.party_branch = f.party_branch;
    if (f.description) after.description = f.description;
    try {
      store::update_org(tx, after, now_ms());
    } catch (const storage::UniqueViolation&) {
      throw conflict("partner.exists", "name");
    }
    Org stored = *store::find_org(tx, id);
    audit::append(tx, actor, {"partner.update", "org", std::to_string(id), audit_json(before),
                              audit_json(stored)});
    return to_json(stored);
  });
}

json::array Partners::mine(const api::Principal& p) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& org : store::orgs_of_contact(tx, p.user_id))
      out.push_back(org_detail(tx, cipher_, p, org));
    return out;
  });
}

json::object Partners::archive_org(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    Org before = writable_org(tx, p, id);
    events_.emit(tx, {"partner.archiving", "org", id, actor, before.path, std::nullopt, {}});
    store::archive_org(tx, id, now_ms());
    json::object out = to_json(before);
    out["archived"] = true;
    audit::append(tx, actor, {"partner.archive", "org", std::to_string(id), audit_json(before),
                              json::serialize(out)});
    return out;
  });
}

namespace {
// An unknown filter value is a bad query, not an empty list.
void check_filter(const std::optional<std::string>& value, const std::vector<Label>& known,
                  const char* parameter) {
  if (value && !has_key(known, *value)) throw bad_request("request.bad_query", parameter);
}
}  // namespace

api::Listed Partners::list_orgs(const api::Principal& p, const OrgQuery& q) const {
  api::require(p, "partner.read");
  check_filter(q.kind, org_kinds(), "kind");
  return db_.read([&](Tx& tx) {
    auto page = store::list_orgs(tx, p, q);
    api::Listed out{{}, page.total};
    for (const auto& r : page.rows) out.items.push_back(to_json(store::org_from(r)));
    return out;
  });
}

namespace {
void check_agreement(const AgreementFields& f) {
  check_text(f.title, "title", 100, true);
  check_text(f.commitments, "commitments", 5000, true);
  check_date(f.signed_on, "signed_on");
  check_date(f.term_start, "term_start");
  check_date(f.term_end, "term_end");
  if (f.term_end < f.term_start) throw unprocessable("partner.bad_term", "term_end");
}

std::string audit_json(const Agreement& a) { return json::serialize(to_json(a)); }
}  // namespace

Agreement add_agreement_unchecked(Tx& tx, const api::Actor& actor, std::int64_t org_id,
                                  const AgreementFields& f) {
  check_agreement(f);
  Agreement a = store::insert_agreement(tx, org_id, f, now_ms());
  audit::append(tx, actor, {"partner.agreement", "org", std::to_string(org_id), std::nullopt,
                            json::serialize(json::object{{"agreement_id", a.id}, {"title", f.title},
                                                         {"signed_on", f.signed_on}})});
  return a;
}

json::object Partners::add_agreement(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t org_id, const AgreementFields& f) const {
  return db_.write([&](Tx& tx) {
    Org org = writable_org(tx, p, org_id);
    add_agreement_unchecked(tx, actor, org_id, f);
    return org_detail(tx, cipher_, p, org);
  });
}

json::object Partners::update_agreement(const api::Principal& p, const api::Actor& actor,
                                        std::int64_t org_id, std::int64_t id,
                                        const AgreementFields& f) const {
  check_agreement(f);
  return db_.write([&](Tx& tx) {
    Org org = writable_org(tx, p, org_id);
    auto before = store::find_agreement(tx, org_id, id);
    if (!before) throw not_found("partner.agreement_not_found");
    store::update_agreement(tx, id, f);
    audit::append(tx, actor, {"partner.agreement_update", "org", std::to_string(org_id),
                              audit_json(*before), audit_json(*store::find_agreement(tx, org_id, id))});
    return org_detail(tx, cipher_, p, org);
  });
}

json::object Partners::remove_agreement(const api::Principal& p, const api::Actor& actor,
                                        std::int64_t org_id, std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    Org org = writable_org(tx, p, org_id);
    auto before = store::find_agreement(tx, org_id, id);
    if (!before) throw not_found("partner.agreement_not_found");
    store::delete_agreement(tx, id);
    audit::append(tx, actor, {"partner.agreement_remove", "org", std::to_string(org_id),
                              audit_json(*before), std::nullopt});
    return org_detail(tx, cipher_, p, org);
  });
}

namespace {
// The contact's fields checked, the phone normalised.
ContactFields checked_contact(Tx& tx, const ContactFields& f) {
  check_text(f.name, "name", 50, true);
  check_text(f.title, "title", 50);
  ContactFields clean = f;
  if (f.phone && f.phone->empty()) clean.phone.reset();
  if (clean.phone) {
    clean.phone = people::parse_phone(*f.phone);
    if (!clean.phone) throw unprocessable("resident.bad_phone", "phone");
  }
  if (f.user_id && !store::user_exists(tx, *f.user_id))
    throw unprocessable("user.not_found", "user_id");
  return clean;
}

// What the audit log keeps of a contact: no phone.
std::string audit_json(const Contact& c) {
  return json::serialize(json::object{{"contact_id", c.id},
                                      {"name", c.name},
                                      {"title", json::value_from(c.title)},
                                      {"user_id", json::value_from(c.user_id)}});
}
}  // namespace

Contact add_contact_unchecked(Tx& tx, const FieldCipher& cipher, const api::Actor& actor,
                              std::int64_t org_id, const ContactFields& f) {
  ContactFields clean = checked_contact(tx, f);
  Contact c;
  try {
    c = store::insert_contact(tx, cipher, org_id, clean, now_ms());
  } catch (const storage::UniqueViolation&) {
    throw conflict("partner.contact_exists", "user_id");
  }
  audit::append(
      tx, actor,
      {"partner.contact", "org", std::to_string(org_id), std::nullopt,
       json::serialize(json::object{{"name", f.name}, {"user_id", json::value_from(f.user_id)}})});
  return c;
}

json::object Partners::add_contact(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t org_id, const ContactFields& f) const {
  return db_.write([&](Tx& tx) {
    Org org = writable_org(tx, p, org_id);
    add_contact_unchecked(tx, cipher_, actor, org_id, f);
    return org_detail(tx, cipher_, p, org);
  });
}

json::object Partners::update_contact(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t org_id, std::int64_t id,
                                      const ContactFields& f) const {
  return db_.write([&](Tx& tx) {
    Org org = writable_org(tx, p, org_id);
    auto before = store::find_contact(tx, cipher_, org_id, id);
    if (!before) throw not_found("partner.contact_not_found");
    ContactFields clean = checked_contact(tx, f);
    Contact after{id, clean.name, clean.title, clean.phone, clean.user_id};
    try {
      store::update_contact(tx, cipher_, after);
    } catch (const storage::UniqueViolation&) {
      throw conflict("partner.contact_exists", "user_id");
    }
    audit::append(tx, actor, {"partner.contact_update", "org", std::to_string(org_id),
                              audit_json(*before), audit_json(after)});
    return org_detail(tx, cipher_, p, org);
  });
}

json::object Partners::remove_contact(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t org_id, std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    Org org = writable_org(tx, p, org_id);
    auto before = store::find_contact(tx, cipher_, org_id, id);
    if (!before) throw not_found("partner.contact_not_found");
    store::delete_contact(tx, id);
    audit::append(tx, actor, {"partner.contact_remove", "org", std::to_string(org_id),
                              audit_json(*before), std::nullopt});
    return org_detail(tx, cipher_, p, org);
  });
}

Need create_need_unchecked(Tx& tx, const api::Actor& actor, const NeedFields& f) {
  check_category(f.category);
  check_text(f.title, "title", 100, true);
  check_text(f.description, "description", 2000);
  std::string path = place_path(tx, f.place_id, "place_id");
  auto id = store::insert_need(tx, f, path, actor.user_id, now_ms());
  audit::append(tx, actor,
                {"need.create", "need", std::to_string(id), std::nullopt,
                 json::serialize(json::object{{"title", f.title}, {"category", f.category}})});
  return *store::find_need(tx, id);
}

json::object Partners::create_need(const api::Principal& p, const api::Actor& actor,
                                   const NeedFields& f) const {
  api::require(p, "partner.write");
  return db_.write([&](Tx& tx) {
    api::require_in_scope(p, "partner.write", place_path(tx, f.place_id, "place_id"));
    return to_json(create_need_unchecked(tx, actor, f));
  });
}

json::object Partners::update_need(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t id, const NeedPatch& f) const {
  if (f.category) check_category(*f.category);
  if (f.title) check_text(f.title, "title", 100, true);
  check_text(f.description, "description", 2000);
  if (f.status && *f.status != "open" && *f.status != "closed")
    throw unprocessable("need.bad_status", "status");
  return db_.write([&](Tx& tx) {
    auto before = store::find_need(tx, id);
    if (!before) throw not_found("need.not_found");
    api::require_in_scope(p, "partner.write", before->path);
    Need after = *before;
    if (f.category) after.category = *f.category;
    if (f.title) after.title = *f.title;
    if (f.description) after.description = f.description->empty() ? std::nullopt : f.description;
    if (f.status && *f.status != before->status) {
      // A need met by a live project stays matched until the project ends.
      if (*f.status == "open" && store::has_live_project(tx, id)) throw conflict("need.matched");
      after.status = *f.status;
    }
    store::update_need(tx, after, now_ms());
    audit::append(tx, actor, {"need.update", "need", std::to_string(id),
                              json::serialize(to_json(*before)), json::serialize(to_json(after))});
    return to_json(*store::find_need(tx, id));
  });
}

api::Listed Partners::list_needs(const api::Principal& p, const ListQuery& q) const {
  api::require(p, "partner.read");
  check_filter(q.category, categories(), "category");
  check_filter(q.status, need_statuses(), "status");
  return db_.read([&](Tx& tx) {
    auto page = store::list_needs(tx, p, q);
    api::Listed out{{}, page.total};
    for (const auto& r : page.rows) out.items.push_back(to_json(store::need_from(r)));
    return out;
  });
}

json::array Partners::suggest_resources(const api::Principal& p, std::int64_t need_id) const {
  api::require(p, "partner.read");
  return db_.read([&](Tx& tx) {
    auto need = store::find_need(tx, need_id);
    if (!need) throw not_found("need.not_found");
    api::require_in_scope(p, "partner.read", need->path);
    std::string community = community_of(need->path);
    std::string community_end = api::subtree_end(community);
    struct Match {
      int score;
      std::int64_t load;
      json::object item;
    };
    std::vector<Match> out;
    for (auto& c : store::candidates(tx, need->category)) {
      const std::string& path = c.resource.path;
      int score =
          need->path.rfind(path, 0) == 0 ? 2 : (path >= community && path < community_end ? 1 : 0);
      if (score == 0 || !partner_visible(p, path)) continue;
      json::object item = to_json(c.resource);
      item["match"] = score == 2 ? "covers_place" : "same_community";
      out.push_back({score, c.commitments, std::move(item)});
    }
    std::stable_sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
      return a.score != b.score ? a.score > b.score : a.load < b.load;
    });
    json::array items;
    for (auto& m : out) items.push_back(std::move(m.item));
    return items;
  });
}

Resource create_resource_unchecked(Tx& tx, const api::Actor& actor, const ResourceFields& f) {
  check_category(f.category);
  check_text(f.title, "title", 100, true);
  check_text(f.description, "description", 2000);
  check_text(f.capacity, "capacity", 100);
  std::string path = place_path(tx, f.place_id, "place_id");
  auto id = store::insert_resource(tx, f, path, now_ms());
  audit::append(tx, actor,
                {"resource.create", "resource", std::to_string(id), std::nullopt,
                 json::serialize(json::object{{"org_id", f.org_id}, {"title", f.title}})});
  return *store::find_resource(tx, id);
}

json::object Partners::create_resource(const api::Principal& p, const api::Actor& actor,
                                       const ResourceFields& f) const {
  return db_.write([&](Tx& tx) {
    Org org = manageable_org(tx, p, f.org_id);
    // An organisation offers within its own area; staff may place offers anywhere they govern.
    std::string path = place_path(tx, f.place_id, "place_id");
    if (path.rfind(org.path, 0) != 0 && !api::in_scope(p, "partner.write", path))
      throw forbidden("auth.scope_denied", "partner.write");
    return to_json(create_resource_unchecked(tx, actor, f));
  });
}

json::object Partners::update_resource(const api::Principal& p, const api::Actor& actor,
                                       std::int64_t id, const ResourcePatch& f) const {
  if (f.category) check_category(*f.category);
  if (f.title) check_text(f.title, "title", 100, true);
  check_text(f.description, "description", 2000);
  check_text(f.capacity, "capacity", 100);
  if (f.status && *f.status != "available" && *f.status != "withdrawn")
    throw unprocessable("resource.bad_status", "status");
  return db_.write([&](Tx& tx) {
    auto before = store::find_resource(tx, id);
    if (!before) throw not_found("resource.not_found");
    Org org = manageable_org(tx, p, before->org_id);
    Resource after = *before;
    if (f.place_id) {
      after.path = place_path(tx, *f.place_id, "place_id");
      after.place_id = *f.place_id;
      if (after.path.rfind(org.path, 0) != 0 && !api::in_scope(p, "partner.write", after.path))
        throw forbidden("auth.scope_denied", "partner.write");
    }
    if (f.category) after.category = *f.category;
    if (f.title) after.title = *f.title;
    if (f.description) after.description = f.description->empty() ? std::nullopt : f.description;
    if (f.capacity) after.capacity = f.capacity->empty() ? std::nullopt : f.capacity;
    if (f.status) after.status = *f.status;
    store::update_resource(tx, after, now_ms());
    audit::append(tx, actor, {"resource.update", "resource", std::to_string(id),
                              json::serialize(to_json(*before)), json::serialize(to_json(after))});
    return to_json(*store::find_resource(tx, id));
  });
}

api::Listed Partners::list_resources(const api::Principal& p, const ListQuery& q) const {
  api::require(p, "partner.read");
  check_filter(q.category, categories(), "category");
  check_filter(q.status, resource_statuses(), "status");
  return db_.read([&](Tx& tx) {
    auto page = store::list_resources(tx, p, q);
    api::Listed out{{}, page.total};
    for (const auto& r : page.rows) out.items.push_back(to_json(store::resource_from(r)));
    return out;
  });
}

json::object Partners::create_project(const api::Principal& p, const api::Actor& actor,
                                      const ProjectFields& f) const {
  api::require(p, "partner.write");
  check_text(f.title, "title", 100, true);
  if (f.resource_ids.empty()) throw unprocessable("request.missing_field", "resource_ids");
  return db_.write([&](Tx& tx) {
    auto need = store::find_need(tx, f.need_id);
    if (!need) throw unprocessable("need.not_found", "need_id");
    api::require_in_scope(p, "partner.write", need->path);
    if (need->status == "closed") throw conflict("need.closed");
    Millis now = now_ms();
    auto id = store::insert_project(tx, *need, f.title, now);
    for (auto rid : f.resource_ids) {
      auto res = store::find_resource(tx, rid);
      if (!res || res->status != "available" || !partner_visible(p, res->path))
        throw unprocessable("resource.not_available", "resource_ids");
      store::add_project_resource(tx, id, rid);
    }
    store::set_need_status(tx, f.need_id, "matched", now);
    audit::append(tx, actor,
                  {"project.create", "project", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"need_id", f.need_id}, {"title", f.title}})});
    return to_json(*store::find_project(tx, id));
  });
}

json::object Partners::set_project_status(const api::Principal& p, const api::Actor& actor,
                                          std::int64_t id, const std::string& status) const {
  if (!has_key(project_statuses(), status)) throw unprocessable("project.bad_status", "status");
  return db_.write([&](Tx& tx) {
    auto before = store::find_project(tx, id);
    if (!before) throw not_found("project.not_found");
    api::require_in_scope(p, "partner.write", before->path);
    Millis now = now_ms();
    store::set_project_status(tx, id, status, now);
    // A project done has met its need.
    if (status == "done") store::set_need_status(tx, before->need_id, "closed", now);
    audit::append(tx, actor, {"project.status", "project", std::to_string(id),
                              json::serialize(json::object{{"status", before->status}}),
                              json::serialize(json::object{{"status", status}})});
    return to_json(*store::find_project(tx, id));
  });
}

api::Listed Partners::list_projects(const api::Principal& p, const ListQuery& q) const {
  api::require(p, "partner.read");
  check_filter(q.status, project_statuses(), "status");
  return db_.read([&](Tx& tx) {
    auto page = store::list_projects(tx, p, q);
    api::Listed out{{}, page.total};
    for (const auto& r : page.rows) {
      Project pj = store::project_from(r);
      pj.resources = store::resources_of(tx, pj.id);
      out.items.push_back(to_json(pj));
    }
    return out;
  });
}

}  // namespace xh::partners
