#include "people/people.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "people/identity.h"
#include "storage/search.h"

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

namespace {

constexpr std::string_view kIdPurpose = "national-id";


std::string in_list(std::vector<storage::Param>& params, const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) {
    params.push_back(id);
    out += (out.empty() ? "$" : ",$") + std::to_string(params.size());
  }
  return out;
}

// Loads residents with their memberships, tags and consents, in `ids` order.
std::vector<Resident> load(Tx& tx, const FieldCipher& cipher, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return {};
  std::vector<storage::Param> p;
  std::string list = in_list(p, ids);
  std::map<std::int64_t, Resident> by_id;
  for (const auto& r : tx.query_v(
           "SELECT id, name, gender, birth_date, id_number_enc, phone_enc, created_at, updated_at "
           "FROM residents WHERE id IN (" + list + ")", p)) {
    Resident res{r.i64(0), r.str(1), r.opt_str(2), r.opt_str(3), std::nullopt, std::nullopt,
                 {},       {},       {},           r.i64(6),     r.i64(7)};
    if (auto enc = r.opt_str(4)) res.id_number = cipher.decrypt(*enc);
    if (auto enc = r.opt_str(5)) res.phone = cipher.decrypt(*enc);
    by_id.emplace(res.id, std::move(res));
  }
  for (const auto& r : tx.query_v(
           "SELECT m.resident_id, m.household_id, m.relation, pl.name, m.path, m.grid_path FROM "
           "household_members m JOIN places pl ON pl.id = m.household_id WHERE m.resident_id IN (" +
               list + ") ORDER BY m.id", p))
    by_id.at(r.i64(0)).memberships.push_back({r.i64(1), r.str(2), r.str(3), r.str(4), r.opt_str(5)});
  // Tags and consents in one statement (the latest consent of each kind decides).
  for (const auto& r : tx.query_v(
           "SELECT resident_id, 't', tag, 1 FROM resident_tags WHERE resident_id IN (" + list +
               ") UNION ALL SELECT c.resident_id, 'c', c.kind, c.granted FROM consents c WHERE "
               "c.resident_id IN (" + list + ") AND c.id = (SELECT MAX(c2.id) FROM consents c2 "
               "WHERE c2.resident_id = c.resident_id AND c2.kind = c.kind) ORDER BY 1, 2, 3", p)) {
    auto& res = by_id.at(r.i64(0));
    if (r.str(1) == "t") res.tags.push_back(r.str(2));
    else if (r.i64(3)) res.consents.push_back(r.str(2));
  }
  std::vector<Resident> out;
  for (auto id : ids)
    if (auto it = by_id.find(id); it != by_id.end()) out.push_back(std::move(it->second));
  return out;
}

bool covers(const api::Principal& p, std::string_view permission, const Resident& r) {
  for (const auto& m : r.memberships)
    if (api::in_scope_any(p, permission, {m.path, m.grid_path.value_or("")})) return true;
  return false;
}

Resident load_in_scope(Tx& tx, const FieldCipher& cipher, const api::Principal& p,
                       std::string_view permission, std::int64_t id) {
  api::require(p, permission);
  auto found = load(tx, cipher, {id});
  if (found.empty()) throw not_found("resident.not_found");
  if (!covers(p, permission, found[0])) throw forbidden("auth.scope_denied", std::string(permission));
  return std::move(found[0]);
}

struct Household {
  std::string path;
  std::optional<std::string> grid_path;
};

Household household(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(
      "SELECT path, grid_path, kind FROM places WHERE id = $1 AND archived_at IS NULL", id);
  if (!r || r->str(2) != "household") throw unprocessable("resident.bad_household", "household_id");
  return {r->str(0), r->opt_str(1)};
}

void check_relation(const std::string& relation) {
  if (relation != "owner" && relation != "tenant" && relation != "family")
    throw unprocessable("resident.bad_relation", "relation");
}

void check_tags(const std::vector<std::string>& tags) {
  for (const auto& t : tags)
    if (std::find(care_tags().begin(), care_tags().end(), t) == care_tags().end())
      throw unprocessable("resident.bad_tag", t);
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
      {"tags", tags}});
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
                 {"gender", r.gender ? json::value(*r.gender) : json::value(nullptr)},
                 // The full date with the masked ID would give the ID back: the year only.
                 {"birth_date", r.birth_date ? json::value(full_id ? *r.birth_date : r.birth_date->substr(0, 4))
                                             : json::value(nullptr)},
                 {"households", households},
                 {"consents", json::array(r.consents.begin(), r.consents.end())},
                 {"created_at", r.created_at},
                 {"updated_at", r.updated_at}};
  o["phone"] = r.phone ? json::value(full_phone ? *r.phone : mask_phone(*r.phone)) : nullptr;
  o["id_number"] = r.id_number ? json::value(full_id ? *r.id_number : mask_national_id(*r.id_number))
                               : nullptr;
  o["phone_masked"] = !full_phone;
  o["id_number_masked"] = !full_id;
  if (care) o["tags"] = json::array(r.tags.begin(), r.tags.end());
  return o;
}

CleanIdentity clean_identity(const ResidentInput& in) {
  CleanIdentity out;
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

std::optional<std::int64_t> find_by_id_number(Tx& tx, const FieldCipher& cipher,
                                              const std::string& id_number) {
  auto r = tx.query_one("SELECT id FROM residents WHERE id_number_index = $1",
                        cipher.blind_index(kIdPurpose, id_number));
  return r ? std::optional<std::int64_t>(r->i64(0)) : std::nullopt;
}

void add_membership_unchecked(Tx& tx, std::int64_t resident_id, std::int64_t household_id,
                              const std::string& relation) {
  check_relation(relation);
  Household h = household(tx, household_id);
  if (tx.query_one("SELECT 1 FROM household_members WHERE household_id = $1 AND resident_id = $2",
                   household_id, resident_id))
    return;
  tx.exec(
      "INSERT INTO household_members (household_id, resident_id, relation, path, grid_path, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      household_id, resident_id, relation, h.path, h.grid_path, now_ms());
}

std::int64_t create_unchecked(Tx& tx, const FieldCipher& cipher, const api::Actor& actor,
                              const NewResident& in) {
  if (!in.fields.name || in.fields.name->empty() || utf8_length(*in.fields.name) > 50)
    throw unprocessable("resident.bad_name", "name");
  CleanIdentity id = clean_identity(in.fields);
  check_tags(in.tags);
  check_relation(in.relation);
  household(tx, in.household_id);
  std::set<std::string> tags(in.tags.begin(), in.tags.end());
  Millis now = now_ms();
  std::int64_t rid;
  try {
    rid = tx.query_one(
                "INSERT INTO residents (name, gender, birth_date, id_number_enc, id_number_index, "
                "phone_enc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
                "RETURNING id",
                *in.fields.name, id.gender, id.birth_date,
                id.id_number ? std::optional(cipher.encrypt(*id.id_number)) : std::nullopt,
                id.id_number ? std::optional(cipher.blind_index(kIdPurpose, *id.id_number)) : std::nullopt,
                id.phone ? std::optional(cipher.encrypt(*id.phone)) : std::nullopt, now)
              ->i64(0);
  } catch (const storage::UniqueViolation&) {
    throw conflict("resident.exists", "id_number");
  }
  add_membership_unchecked(tx, rid, in.household_id, in.relation);
  for (const auto& t : tags)
    tx.exec("INSERT INTO resident_tags (resident_id, tag, created_at) VALUES ($1, $2, $3)", rid, t, now);
  Resident created{rid, *in.fields.name, id.gender, id.birth_date, id.id_number, id.phone,
                   {{in.household_id, in.relation, "", "", std::nullopt}}, in.tags, {}, now, now};
  audit::append(tx, actor, {"resident.create", "resident", std::to_string(rid), std::nullopt,
                            audit_json(created)});
  return rid;
}

Resident create(Services& s, const api::Principal& p, const api::Actor& actor,
                const NewResident& in) {
  api::require(p, "resident.write");
  if (!in.tags.empty()) api::require(p, "resident.care");
  return s.db.write([&](Tx& tx) {
    Household h = household(tx, in.household_id);
    api::require_in_scope_any(p, "resident.write", {h.path, h.grid_path.value_or("")});
    return load(tx, s.cipher, {create_unchecked(tx, s.cipher, actor, in)})[0];
  });
}

Resident get(Services& s, const api::Principal& p, std::int64_t id) {
  return s.db.read([&](Tx& tx) { return load_in_scope(tx, s.cipher, p, "resident.read", id); });
}

Resident update(Services& s, const api::Principal& p, const api::Actor& actor, std::int64_t id,
                const ResidentInput& patch) {
  return s.db.write([&](Tx& tx) {
    Resident before = load_in_scope(tx, s.cipher, p, "resident.write", id);
    if (patch.name && (patch.name->empty() || utf8_length(*patch.name) > 50))
      throw unprocessable("resident.bad_name", "name");
    CleanIdentity clean = clean_identity(patch);
    try {
      tx.exec("UPDATE residents SET name = $2, updated_at = $3 WHERE id = $1", id,
              patch.name.value_or(before.name), now_ms());
      if (clean.id_number)
        tx.exec(
            "UPDATE residents SET id_number_enc = $2, id_number_index = $3, gender = $4, "
            "birth_date = $5 WHERE id = $1",
            id, s.cipher.encrypt(*clean.id_number), s.cipher.blind_index(kIdPurpose, *clean.id_number),
            clean.gender, clean.birth_date);
      if (clean.phone)
        tx.exec("UPDATE residents SET phone_enc = $2 WHERE id = $1", id, s.cipher.encrypt(*clean.phone));
    } catch (const storage::UniqueViolation&) {
      throw conflict("resident.exists", "id_number");
    }
    Resident after = load(tx, s.cipher, {id})[0];
    audit::append(tx, actor, {"resident.update", "resident", std::to_string(id), audit_json(before),
                              audit_json(after)});
    return after;
  });
}

Resident set_tags(Services& s, const api::Principal& p, const api::Actor& actor,
                  std::int64_t id, const std::vector<std::string>& tags) {
  check_tags(tags);
  return s.db.write([&](Tx& tx) {
    Resident before = load_in_scope(tx, s.cipher, p, "resident.care", id);
    tx.exec("DELETE FROM resident_tags WHERE resident_id = $1", id);
    std::set<std::string> unique(tags.begin(), tags.end());
    for (const auto& t : unique)
      tx.exec("INSERT INTO resident_tags (resident_id, tag, created_at) VALUES ($1, $2, $3)", id, t,
              now_ms());
    Resident after = load(tx, s.cipher, {id})[0];
    audit::append(tx, actor, {"resident.tags", "resident", std::to_string(id), audit_json(before),
                              audit_json(after)});
    return after;
  });
}

Resident add_membership(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::int64_t id, std::int64_t household_id, const std::string& relation) {
  return s.db.write([&](Tx& tx) {
    Resident before = load_in_scope(tx, s.cipher, p, "resident.write", id);
    Household h = household(tx, household_id);
    api::require_in_scope_any(p, "resident.write", {h.path, h.grid_path.value_or("")});
    add_membership_unchecked(tx, id, household_id, relation);
    Resident after = load(tx, s.cipher, {id})[0];
    audit::append(tx, actor, {"resident.add_membership", "resident", std::to_string(id),
                              audit_json(before), audit_json(after)});
    return after;
  });
}

Resident remove_membership(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t id, std::int64_t household_id) {
  return s.db.write([&](Tx& tx) {
    Resident before = load_in_scope(tx, s.cipher, p, "resident.write", id);
    Household h = household(tx, household_id);
    api::require_in_scope_any(p, "resident.write", {h.path, h.grid_path.value_or("")});
    if (before.memberships.size() == 1 && before.memberships[0].household_id == household_id)
      throw conflict("resident.last_household");
    if (tx.exec("DELETE FROM household_members WHERE resident_id = $1 AND household_id = $2", id,
                household_id) == 0)
      throw not_found("resident.membership_not_found");
    Resident after = load(tx, s.cipher, {id})[0];
    audit::append(tx, actor, {"resident.remove_membership", "resident", std::to_string(id),
                              audit_json(before), audit_json(after)});
    return after;
  });
}

Resident record_consent(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::int64_t id, const std::string& kind, bool granted) {
  if (std::find(consent_kinds().begin(), consent_kinds().end(), kind) == consent_kinds().end())
    throw unprocessable("resident.bad_consent", "kind");
  return s.db.write([&](Tx& tx) {
    load_in_scope(tx, s.cipher, p, "resident.write", id);
    tx.exec(
        "INSERT INTO consents (resident_id, kind, granted, recorded_by, recorded_at) VALUES ($1, "
        "$2, $3, $4, $5)",
        id, kind, granted ? 1 : 0, p.user_id, now_ms());
    audit::append(tx, actor, {"resident.consent", "resident", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"kind", kind}, {"granted", granted}})});
    return load(tx, s.cipher, {id})[0];
  });
}

Resident add_helper(Services& s, const api::Principal& p, const api::Actor& actor,
                    std::int64_t id, std::int64_t user_id) {
  return s.db.write([&](Tx& tx) {
    load_in_scope(tx, s.cipher, p, "resident.care", id);
    if (!tx.query_one("SELECT 1 FROM users WHERE id = $1 AND disabled = 0", user_id))
      throw unprocessable("user.not_found", "user_id");
    if (!tx.query_one("SELECT 1 FROM care_helpers WHERE resident_id = $1 AND user_id = $2", id, user_id))
      tx.exec("INSERT INTO care_helpers (resident_id, user_id, created_at) VALUES ($1, $2, $3)", id,
              user_id, now_ms());
    audit::append(tx, actor, {"resident.add_helper", "resident", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"user_id", user_id}})});
    return load(tx, s.cipher, {id})[0];
  });
}

ListResult list(Services& s, const api::Principal& p, const ListQuery& q) {
  static const std::map<std::string, std::string> sorts = {
      {"id", "r.id"}, {"name", "r.name"}, {"created_at", "r.created_at"}};
  bool desc = !q.sort.empty() && q.sort[0] == '-';
  auto sort = sorts.find(desc ? q.sort.substr(1) : q.sort);
  if (sort == sorts.end()) throw bad_request("request.bad_sort", q.sort);
  api::require(p, "resident.read");
  if (q.tag) api::require(p, "resident.care");
  return s.db.read([&](Tx& tx) {
    std::vector<storage::Param> params;
    // Driven from the memberships (indexed by path), then the residents by id.
    std::string members = "SELECT m.resident_id FROM household_members m WHERE 1=1";
    // Filtering by tag is itself care data: only within the caller's care scope.
    std::string_view permission = q.tag ? "resident.care" : "resident.read";
    // A place inside the caller's scope has its whole subtree inside it too, so
    // filtering by it is enough (and lets the index use the narrow range).
    bool narrowed = false;
    if (q.household_id) {
      params.push_back(*q.household_id);
      members += " AND m.household_id = $" + std::to_string(params.size());
    }
    if (q.under_id || q.household_id) {
      auto root = tx.query_one("SELECT path, grid_path FROM places WHERE id = $1",
                               q.under_id ? *q.under_id : *q.household_id);
      if (!root) throw not_found("place.not_found");
      narrowed = api::in_scope_any(p, permission, {root->str(0), root->opt_str(1).value_or("")});
      if (q.under_id) {
        std::string upper = root->str(0);
        upper.back() = '0';
        params.push_back(root->str(0));
        params.push_back(upper);
        members += " AND m.path >= $" + std::to_string(params.size() - 1) + " AND m.path < $" +
                   std::to_string(params.size());
      }
    }
    if (!narrowed) {
      api::require(p, permission);
      api::append_scope_condition(p, permission, {"m.path", "m.grid_path"}, members, params);
    }
    std::string where = " FROM residents r WHERE r.archived_at IS NULL AND r.id IN (" + members + ")";
    if (q.tag) {
      params.push_back(*q.tag);
      where += " AND EXISTS (SELECT 1 FROM resident_tags t WHERE t.resident_id = r.id AND t.tag = $" +
               std::to_string(params.size()) + ")";
    }
    if (q.q && !q.q->empty())
      storage::append_search(tx.dialect(), {"r.id", "residents_fts", {"r.name"}}, *q.q, where, params);
    ListResult out{{}, 0};
    auto page = params;
    page.push_back(static_cast<std::int64_t>(q.limit));
    page.push_back(static_cast<std::int64_t>(q.offset));
    // The page and the total in one statement (a window count over the match).
    std::vector<std::int64_t> ids;
    for (const auto& r : tx.query_v("SELECT r.id, COUNT(*) OVER ()" + where + " ORDER BY " +
                                        sort->second + (desc ? " DESC" : "") + ", r.id LIMIT $" +
                                        std::to_string(page.size() - 1) + " OFFSET $" +
                                        std::to_string(page.size()),
                                    page)) {
      ids.push_back(r.i64(0));
      out.total = r.i64(1);
    }
    if (ids.empty() && q.offset > 0) out.total = tx.query_one_v("SELECT COUNT(*)" + where, params)->i64(0);
    // Large pages (exports) are loaded in chunks to keep statements small.
    for (std::size_t i = 0; i < ids.size(); i += 500) {
      std::vector<std::int64_t> chunk(ids.begin() + i, ids.begin() + std::min(ids.size(), i + 500));
      for (auto& r : load(tx, s.cipher, chunk)) out.items.push_back(std::move(r));
    }
    return out;
  });
}

bool care_covers_read(const api::Principal& p) {
  auto care = api::scope_paths(p, "resident.care");
  for (const auto& path : api::scope_paths(p, "resident.read"))
    if (!api::in_scope(p, "resident.care", path)) return false;
  return !care.empty();
}

std::vector<std::int64_t> helper_of(storage::Database& db, const api::Principal& p) {
  // Whoever sees tags wherever they may read residents gains nothing from help.
  if (care_covers_read(p)) return {};
  std::int64_t user_id = p.user_id;
  return db.read_once([&](Tx& tx) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx.query("SELECT resident_id FROM care_helpers WHERE user_id = $1", user_id))
      out.push_back(r.i64(0));
    return out;
  });
}

}  // namespace xh::people
