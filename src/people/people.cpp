// The resident commands: each checks permission and scope, validates, writes
// through the store and audits, in one transaction, and returns the resident
// as the caller may see them.
#include "people/people.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_output.h"
#include "core/text.h"
#include "people/identity.h"
#include "people/store.h"
#include "places/places.h"

namespace xh::people {

namespace json = boost::json;
using storage::Tx;

const std::vector<std::string>& care_tags() {
  static const std::vector<std::string> tags = {"独居老人", "空巢老人", "残疾人", "低保户",
                                                "重病患者", "困境儿童", "退役军人", "特困人员"};
  return tags;
}

const std::vector<Label>& gender_labels() {
  static const std::vector<Label> g = {{"male", "男", "Male"}, {"female", "女", "Female"}};
  return g;
}

const std::vector<Label>& relation_labels() {
  static const std::vector<Label> r = {
      {"owner", "业主", "Owner"}, {"tenant", "租户", "Tenant"}, {"family", "家庭成员", "Family member"}};
  return r;
}

const std::vector<std::string>& consent_kinds() {
  static const std::vector<std::string> kinds = {"public_name", "contact_by_partners",
                                                 "photo_publication"};
  return kinds;
}

const std::vector<Label>& consent_labels() {
  static const std::vector<Label> all = {
      {"public_name", "同意公开姓名（积分榜、公示）", "Name may be shown publicly (leaderboard, notices)"},
      {"contact_by_partners", "同意合伙人单位联系", "Partner organisations may contact them"},
      {"photo_publication", "同意发布含本人的照片", "Photos showing them may be published"}};
  return all;
}

namespace {

bool covers(const api::Principal& p, std::string_view permission, const Resident& r) {
  for (const auto& m : r.memberships)
    if (api::in_scope_any(p, permission, {m.path, m.grid_path.value_or("")})) return true;
  return false;
}

// The resident, for a caller holding `permission` over one of their households.
Resident in_scope(Tx& tx, const FieldCipher& cipher, const api::Principal& p,
                  std::string_view permission, std::int64_t id) {
  api::require(p, permission);
  auto found = store::find(tx, cipher, id);
  if (!found) throw not_found("resident.not_found");
  if (!covers(p, permission, *found)) throw forbidden("auth.scope_denied", std::string(permission));
  return std::move(*found);
}

// A live household; 422 resident.bad_household otherwise.
places::Place household(Tx& tx, std::int64_t id) {
  auto h = places::find(tx, id);
  if (!h || h->archived_at || h->kind != "household")
    throw unprocessable("resident.bad_household", "household_id");
  return *h;
}

void require_household(const api::Principal& p, const places::Place& h) {
  api::require_in_scope_any(p, "resident.write", {h.path, h.grid_path.value_or("")});
}

void check_name(const std::optional<std::string>& name) {
  if (name && (name->empty() || utf8_length(*name) > 50))
    throw unprocessable("resident.bad_name", "name");
}

void check_relation(const std::string& relation) {
  if (!has_key(relation_labels(), relation))
    throw unprocessable("resident.bad_relation", "relation");
}

void check_tags(const std::vector<std::string>& tags) {
  for (const auto& t : tags)
    if (std::find(care_tags().begin(), care_tags().end(), t) == care_tags().end())
      throw unprocessable("resident.bad_tag", t);
}

// Validates and normalises; 422 resident.bad_id_number / resident.bad_phone.
store::Identity clean_identity(const ResidentInput& in) {
  store::Identity out;
  if (in.id_number && !in.id_number->empty()) {
    auto id = parse_national_id(*in.id_number);
    if (!id) throw unprocessable("resident.bad_id_number", "id_number");
    out.id_number = id->number;
    out.birth_date = id->birth_date;
    out.gender = id->gender;
  }
  if (in.phone && !in.phone->empty()) {
    out.phone = parse_phone(*in.phone);
    if (!out.phone) throw unprocessable("resident.bad_phone", "phone");
  }
  return out;
}

// Audit records never hold personal data in the clear.
std::string audit_json(const Resident& r) {
  json::array households;
  for (const auto& m : r.memberships)
    households.push_back({{"household_id", m.household_id}, {"relation", m.relation}});
  json::array tags(r.tags.begin(), r.tags.end());
  return json::serialize(json::object{
      {"name", r.name},
      {"phone", r.phone ? json::value(mask_phone(*r.phone)) : json::value(nullptr)},
      {"id_number", r.id_number ? json::value(mask_national_id(*r.id_number)) : json::value(nullptr)},
      {"households", households},
      {"tags", tags},
      {"archived", r.archived_at.has_value()}});
}

// True when the caller sees tags wherever they may read residents: helping
// gains them nothing.
bool care_covers_read(const api::Principal& p) {
  auto care = api::scope_paths(p, "resident.care");
  for (const auto& path : api::scope_paths(p, "resident.read"))
    if (!api::in_scope(p, "resident.care", path)) return false;
  return !care.empty();
}

// The residents the caller is an assigned helper of (they see their tags).
std::vector<std::int64_t> helper_of(Tx& tx, const api::Principal& p) {
  if (care_covers_read(p)) return {};
  return store::helped_by(tx, p.user_id);
}

json::object view(Tx& tx, const FieldCipher& cipher, const api::Principal& p, std::int64_t id) {
  return to_json(*store::find(tx, cipher, id), p, helper_of(tx, p));
}

// One change of a resident the caller holds `permission` over: `write` makes
// it (given the resident before); the resident before and after are audited
// as `action`. Returns the resident after, as the caller sees them.
template <class F>
json::object change(Tx& tx, const FieldCipher& cipher, const api::Principal& p,
                    const api::Actor& actor, std::string_view permission, std::int64_t id,
                    const char* action, F&& write) {
  Resident before = in_scope(tx, cipher, p, permission, id);
  write(before);
  Resident after = *store::find(tx, cipher, id);
  audit::append(tx, actor, {action, "resident", std::to_string(id), audit_json(before),
                            audit_json(after)});
  return to_json(after, p, helper_of(tx, p));
}

json::object record_consent(Tx& tx, const FieldCipher& cipher, const api::Principal& p,
                            const api::Actor& actor, std::int64_t id, const std::string& kind,
                            bool granted) {
  in_scope(tx, cipher, p, "resident.write", id);
  store::insert_consent(tx, id, kind, granted, p.user_id, now_ms());
  audit::append(tx, actor, {"resident.consent", "resident", std::to_string(id), std::nullopt,
                            json::serialize(json::object{{"kind", kind}, {"granted", granted}})});
  return view(tx, cipher, p, id);
}

void check_consent(const std::string& kind) {
  if (std::find(consent_kinds().begin(), consent_kinds().end(), kind) == consent_kinds().end())
    throw unprocessable("resident.bad_consent", "kind");
}

}  // namespace

json::object to_json(const Resident& r, const api::Principal& viewer,
                     const std::vector<std::int64_t>& helper_of) {
  bool full_phone = covers(viewer, "resident.phone", r);
  bool full_id = covers(viewer, "resident.id_number", r);
  bool care = covers(viewer, "resident.care", r) ||
              std::find(helper_of.begin(), helper_of.end(), r.id) != helper_of.end();
  json::array households;
  for (const auto& m : r.memberships)
    households.push_back({{"household_id", m.household_id},
                          {"household_name", m.household_name},
                          {"relation", m.relation}});
  json::object o{{"id", r.id},
                 {"name", r.name},
                 {"gender", json::value_from(r.gender)},
                 // The full date with the masked ID would give the ID back: the year only.
                 {"birth_date", r.birth_date ? json::value(full_id ? *r.birth_date : r.birth_date->substr(0, 4))
                                             : json::value(nullptr)},
                 {"households", households},
                 {"consents", json::array(r.consents.begin(), r.consents.end())},
                 {"archived", r.archived_at.has_value()},
                 {"created_at", iso8601(r.created_at)},
                 {"updated_at", iso8601(r.updated_at)}};
  o["phone"] = r.phone ? json::value(full_phone ? *r.phone : mask_phone(*r.phone)) : nullptr;
  o["id_number"] = r.id_number ? json::value(full_id ? *r.id_number : mask_national_id(*r.id_number))
                               : nullptr;
  o["phone_masked"] = !full_phone;
  o["id_number_masked"] = !full_id;
  if (care) o["tags"] = json::array(r.tags.begin(), r.tags.end());
  return o;
}

std::optional<std::int64_t> find_by_id_number(Tx& tx, const FieldCipher& cipher,
                                              const std::string& id_number) {
  return store::find_by_id_number(tx, cipher, id_number);
}

std::optional<std::int64_t> find_unidentified(Tx& tx, std::int64_t household_id,
                                              const std::string& name) {
  return store::find_unidentified(tx, household_id, name);
}

bool registered_under(Tx& tx, std::int64_t resident_id, const std::string& path) {
  return store::registered_under(tx, resident_id, path);
}

bool add_membership_unchecked(Tx& tx, std::int64_t resident_id, std::int64_t household_id,
                              const std::string& relation) {
  check_relation(relation);
  places::Place h = household(tx, household_id);
  if (store::is_member(tx, resident_id, household_id)) return false;
  store::insert_membership(tx, resident_id, h, relation, now_ms());
  return true;
}

bool add_tag_unchecked(Tx& tx, std::int64_t resident_id, const std::string& tag) {
  check_tags({tag});
  if (store::has_tag(tx, resident_id, tag)) return false;
  store::insert_tag(tx, resident_id, tag, now_ms());
  return true;
}

std::int64_t create_unchecked(Tx& tx, const FieldCipher& cipher, const api::Actor& actor,
                              const NewResident& in) {
  if (!in.fields.name) throw unprocessable("resident.bad_name", "name");
  check_name(in.fields.name);
  store::Identity id = clean_identity(in.fields);
  check_tags(in.tags);
  check_relation(in.relation);
  household(tx, in.household_id);
  if (id.id_number)
    if (auto existing = store::find_by_id_number(tx, cipher, *id.id_number))
      throw conflict(store::archived(tx, *existing) ? "resident.exists_archived" : "resident.exists",
                     "id_number");
  Millis now = now_ms();
  std::int64_t rid;
  try {
    rid = store::insert(tx, cipher, *in.fields.name, id, now);
  } catch (const storage::UniqueViolation&) {
    throw conflict("resident.exists", "id_number");
  }
  add_membership_unchecked(tx, rid, in.household_id, in.relation);
  for (const auto& t : std::set<std::string>(in.tags.begin(), in.tags.end()))
    store::insert_tag(tx, rid, t, now);
  Resident created{rid, *in.fields.name, id.gender, id.birth_date, id.id_number, id.phone,
                   {{in.household_id, in.relation, "", "", std::nullopt}}, in.tags, {}, now, now};
  audit::append(tx, actor, {"resident.create", "resident", std::to_string(rid), std::nullopt,
                            audit_json(created)});
  return rid;
}

json::object People::create(const api::Principal& p, const api::Actor& actor,
                            const NewResident& in) const {
  api::require(p, "resident.write");
  if (!in.tags.empty()) api::require(p, "resident.care");
  return db_.write([&](Tx& tx) {
    require_household(p, household(tx, in.household_id));
    return view(tx, cipher_, p, create_unchecked(tx, cipher_, actor, in));
  });
}

json::object People::get(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) {
    return to_json(in_scope(tx, cipher_, p, "resident.read", id), p, helper_of(tx, p));
  });
}

api::Listed People::list(const api::Principal& p, const ResidentQuery& q) const {
  store::check_sort(q.sort);
  api::require(p, "resident.read");
  if (q.tag) api::require(p, "resident.care");
  return db_.read([&](Tx& tx) {
    // Filtering by tag is itself care data: only within the caller's care scope.
    std::string_view permission = q.tag ? "resident.care" : "resident.read";
    std::optional<places::Place> under;
    bool narrowed = false;
    if (q.under_id || q.household_id) {
      auto root = places::find(tx, q.under_id ? *q.under_id : *q.household_id);
      if (!root) throw not_found("place.not_found");
      narrowed = api::in_scope_any(p, permission, {root->path, root->grid_path.value_or("")});
      if (q.under_id) under = std::move(root);
    }
    if (!narrowed) api::require(p, permission);
    auto page = store::list(tx, p, q, permission, under, narrowed);
    std::vector<std::int64_t> ids;
    for (const auto& r : page.rows) ids.push_back(r.i64("id"));
    auto helpers = helper_of(tx, p);
    api::Listed out{{}, page.total};
    // Large pages (exports) are loaded in chunks to keep statements small.
    for (std::size_t i = 0; i < ids.size(); i += 500) {
      std::vector<std::int64_t> chunk(ids.begin() + i, ids.begin() + std::min(ids.size(), i + 500));
      for (const auto& r : store::load(tx, cipher_, chunk)) {
        json::object o = to_json(r, p, helpers);
        json::array names;
        for (const auto& m : r.memberships) names.emplace_back(m.household_name);
        o["household_names"] = std::move(names);
        out.items.push_back(std::move(o));
      }
    }
    return out;
  });
}

json::object People::update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const ResidentInput& patch) const {
  return db_.write([&](Tx& tx) {
    return change(tx, cipher_, p, actor, "resident.write", id, "resident.update",
                  [&](const Resident& before) {
                    check_name(patch.name);
                    store::Identity changed = clean_identity(patch);
                    try {
                      store::update(tx, cipher_, id, patch.name.value_or(before.name), changed,
                                    now_ms());
                    } catch (const storage::UniqueViolation&) {
                      throw conflict("resident.exists", "id_number");
                    }
                  });
  });
}

json::object People::set_tags(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::vector<std::string>& tags) const {
  check_tags(tags);
  return db_.write([&](Tx& tx) {
    return change(tx, cipher_, p, actor, "resident.care", id, "resident.tags",
                  [&](const Resident&) {
                    store::replace_tags(tx, id, {tags.begin(), tags.end()}, now_ms());
                  });
  });
}

json::object People::add_membership(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id, std::int64_t household_id,
                                    const std::string& relation) const {
  return db_.write([&](Tx& tx) {
    return change(tx, cipher_, p, actor, "resident.write", id, "resident.add_membership",
                  [&](const Resident&) {
                    require_household(p, household(tx, household_id));
                    add_membership_unchecked(tx, id, household_id, relation);
                  });
  });
}

json::object People::remove_membership(const api::Principal& p, const api::Actor& actor,
                                       std::int64_t id, std::int64_t household_id) const {
  return db_.write([&](Tx& tx) {
    return change(tx, cipher_, p, actor, "resident.write", id, "resident.remove_membership",
                  [&](const Resident& before) {
                    require_household(p, household(tx, household_id));
                    if (before.memberships.size() == 1 &&
                        before.memberships[0].household_id == household_id)
                      throw conflict("resident.last_household");
                    if (!store::delete_membership(tx, id, household_id))
                      throw not_found("resident.membership_not_found");
                  });
  });
}

json::object People::archive(const api::Principal& p, const api::Actor& actor,
                             std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    return change(tx, cipher_, p, actor, "resident.write", id, "resident.archive",
                  [&](const Resident& before) {
                    if (before.archived_at) throw conflict("resident.archived");
                    store::set_archived(tx, id, now_ms());
                  });
  });
}

json::object People::restore(const api::Principal& p, const api::Actor& actor,
                             std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    return change(tx, cipher_, p, actor, "resident.write", id, "resident.restore",
                  [&](const Resident& before) {
                    if (!before.archived_at) throw conflict("resident.not_archived");
                    store::set_archived(tx, id, std::nullopt);
                  });
  });
}

json::object People::grant_consent(const api::Principal& p, const api::Actor& actor,
                                   std::int64_t id, const std::string& kind) const {
  check_consent(kind);
  return db_.write(
      [&](Tx& tx) { return record_consent(tx, cipher_, p, actor, id, kind, /*granted=*/true); });
}

json::object People::withdraw_consent(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t id, const std::string& kind) const {
  check_consent(kind);
  return db_.write(
      [&](Tx& tx) { return record_consent(tx, cipher_, p, actor, id, kind, /*granted=*/false); });
}

json::object People::add_helper(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                std::int64_t user_id) const {
  return db_.write([&](Tx& tx) {
    in_scope(tx, cipher_, p, "resident.care", id);
    if (!store::active_user(tx, user_id)) throw unprocessable("user.not_found", "user_id");
    if (!store::is_helper(tx, id, user_id)) store::insert_helper(tx, id, user_id, now_ms());
    audit::append(tx, actor, {"resident.add_helper", "resident", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"user_id", user_id}})});
    return view(tx, cipher_, p, id);
  });
}

}  // namespace xh::people
