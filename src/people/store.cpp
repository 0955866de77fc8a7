#include "people/store.h"

#include <map>

#include "api/scope.h"

namespace xh::people::store {

using storage::Param;
using storage::Tx;

namespace {

// "$1,$2 …" for `ids`, appended to `params`.
std::string in_list(std::vector<Param>& params, const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) {
    params.push_back(id);
    out += (out.empty() ? "$" : ",$") + std::to_string(params.size());
  }
  return out;
}

std::optional<std::string> seal(const FieldCipher& cipher, const std::optional<std::string>& v) {
  return v ? std::optional(cipher.encrypt(*v)) : std::nullopt;
}


const api::SortTable& sorts() {
  static const api::SortTable all = {
      {"id", "r.id"}, {"name", "r.name, r.id"}, {"created_at", "r.created_at, r.id"}};
  return all;
}

}  // namespace

std::vector<Resident> load(Tx& tx, const FieldCipher& cipher,
                           const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return {};
  std::vector<Param> params;
  std::string list = in_list(params, ids);
  std::map<std::int64_t, Resident> by_id;
  for (const auto& r : tx.query_v(
           "SELECT id, name, gender, birth_date, id_number_enc, phone_enc, created_at, updated_at, "
           "archived_at FROM residents WHERE id IN (" + list + ")",
           params)) {
    Resident res{r.i64("id"),         r.str("name"),        r.opt_str("gender"),
                 r.opt_str("birth_date"), std::nullopt,     std::nullopt,
                 {},                  {},                   {},
                 r.i64("created_at"), r.i64("updated_at"), r.opt_i64("archived_at")};
    if (auto enc = r.opt_str("id_number_enc")) res.id_number = cipher.decrypt(*enc);
    if (auto enc = r.opt_str("phone_enc")) res.phone = cipher.decrypt(*enc);
    by_id.emplace(res.id, std::move(res));
  }
  for (const auto& r : tx.query_v(
           "SELECT m.resident_id AS resident_id, m.household_id AS household_id, m.relation AS "
           "relation, pl.name AS household_name, m.path AS path, m.grid_path AS grid_path FROM "
           "household_members m JOIN places pl ON pl.id = m.household_id WHERE m.resident_id IN (" +
               list + ") ORDER BY m.id",
           params))
    by_id.at(r.i64("resident_id"))
        .memberships.push_back({r.i64("household_id"), r.str("relation"), r.str("household_name"),
                                r.str("path"), r.opt_str("grid_path")});
  // Tags and consents in one statement (the latest consent of each kind decides).
  for (const auto& r : tx.query_v(
           "SELECT resident_id, 't' AS what, tag AS value, 1 AS granted FROM resident_tags WHERE "
           "resident_id IN (" + list + ") UNION ALL SELECT c.resident_id, 'c', c.kind, c.granted "
           "FROM consents c WHERE c.resident_id IN (" + list + ") AND c.id = (SELECT MAX(c2.id) "
           "FROM consents c2 WHERE c2.resident_id = c.resident_id AND c2.kind = c.kind) ORDER BY "
           "resident_id, what, value",
           params)) {
    auto& res = by_id.at(r.i64("resident_id"));
    if (r.str("what") == "t")
      res.tags.push_back(r.str("value"));
    else if (r.flag("granted"))
      res.consents.push_back(r.str("value"));
  }
  std::vector<Resident> out;
  for (auto id : ids)
    if (auto it = by_id.find(id); it != by_id.end()) out.push_back(std::move(it->second));
  return out;
}

std::optional<Resident> find(Tx& tx, const FieldCipher& cipher, std::int64_t id) {
  auto found = load(tx, cipher, {id});
  if (found.empty()) return std::nullopt;
  return std::move(found[0]);
}

void set_archived(Tx& tx, std::int64_t id, std::optional<Millis> at) {
  tx.exec("UPDATE residents SET archived_at = $2 WHERE id = $1", id, at);
}

bool archived(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT 1 FROM residents WHERE id = $1 AND archived_at IS NOT NULL", id)
      .has_value();
}

std::int64_t insert(Tx& tx, const FieldCipher& cipher, const std::string& name, const Identity& id,
                    Millis now) {
  return tx
      .query_one(
          "INSERT INTO residents (name, gender, birth_date, id_number_enc, id_number_index, "
          "phone_enc, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
          name, id.gender, id.birth_date, seal(cipher, id.id_number),
          id.id_number ? std::optional(cipher.blind_index(kIdPurpose, *id.id_number))
                       : std::nullopt,
          seal(cipher, id.phone), now)
      ->i64("id");
}

void update(Tx& tx, const FieldCipher& cipher, std::int64_t id, const std::string& name,
            const Identity& changed, Millis now) {
  tx.exec("UPDATE residents SET name = $2, updated_at = $3 WHERE id = $1", id, name, now);
  if (changed.id_number)
    tx.exec(
        "UPDATE residents SET id_number_enc = $2, id_number_index = $3, gender = $4, "
        "birth_date = $5 WHERE id = $1",
        id, cipher.encrypt(*changed.id_number), cipher.blind_index(kIdPurpose, *changed.id_number),
        changed.gender, changed.birth_date);
  if (changed.phone)
    tx.exec("UPDATE residents SET phone_enc = $2 WHERE id = $1", id,
            cipher.encrypt(*changed.phone));
}

std::optional<std::int64_t> find_by_id_number(Tx& tx, const FieldCipher& cipher,
                                              const std::string& id_number) {
  auto r = tx.query_one("SELECT id FROM residents WHERE id_number_index = $1",
                        cipher.blind_index(kIdPurpose, id_number));
  if (!r) return std::nullopt;
  return r->i64("id");
}

std::optional<std::int64_t> find_unidentified(Tx& tx, std::int64_t household_id,
                                              const std::string& name) {
  auto r = tx.query_one(
      "SELECT r.id AS id FROM residents r JOIN household_members m ON m.resident_id = r.id WHERE "
      "m.household_id = $1 AND r.name = $2 AND r.id_number_index IS NULL",
      household_id, name);
  if (!r) return std::nullopt;
  return r->i64("id");
}

bool is_member(Tx& tx, std::int64_t resident_id, std::int64_t household_id) {
  return tx
      .query_one("SELECT 1 FROM household_members WHERE household_id = $1 AND resident_id = $2",
                 household_id, resident_id)
      .has_value();
}

void insert_membership(Tx& tx, std::int64_t resident_id, const places::Place& household,
                       const std::string& relation, Millis now) {
  tx.exec(
      "INSERT INTO household_members (household_id, resident_id, relation, path, grid_path, "
      "created_at) VALUES ($1, $2, $3, $4, $5, $6)",
      household.id, resident_id, relation, household.path, household.grid_path, now);
}

bool delete_membership(Tx& tx, std::int64_t resident_id, std::int64_t household_id) {
  return tx.exec("DELETE FROM household_members WHERE resident_id = $1 AND household_id = $2",
                 resident_id, household_id) > 0;
}

bool registered_under(Tx& tx, std::int64_t resident_id, const std::string& path) {
  return tx
      .query_one(
          "SELECT 1 FROM household_members WHERE resident_id = $1 AND path >= $2 AND path < $3",
          resident_id, path, api::subtree_end(path))
      .has_value();
}

bool household_has_members(Tx& tx, std::int64_t household_id) {
  return tx
      .query_one(
          "SELECT 1 FROM household_members m JOIN residents r ON r.id = m.resident_id WHERE "
          "m.household_id = $1 AND r.archived_at IS NULL",
          household_id)
      .has_value();
}

void regrid_memberships(Tx& tx, const std::string& path,
                        const std::optional<std::string>& grid_path) {
  tx.exec("UPDATE household_members SET grid_path = $3 WHERE path >= $1 AND path < $2", path,
          api::subtree_end(path), grid_path);
}

bool has_tag(Tx& tx, std::int64_t resident_id, const std::string& tag) {
  return tx
      .query_one("SELECT 1 FROM resident_tags WHERE resident_id = $1 AND tag = $2", resident_id,
                 tag)
      .has_value();
}

void insert_tag(Tx& tx, std::int64_t resident_id, const std::string& tag, Millis now) {
  tx.exec("INSERT INTO resident_tags (resident_id, tag, created_at) VALUES ($1, $2, $3)",
          resident_id, tag, now);
}

void replace_tags(Tx& tx, std::int64_t resident_id, const std::set<std::string>& tags, Millis now) {
  tx.exec("DELETE FROM resident_tags WHERE resident_id = $1", resident_id);
  for (const auto& t : tags) insert_tag(tx, resident_id, t, now);
}

void insert_consent(Tx& tx, std::int64_t resident_id, const std::string& kind, bool granted,
                    std::int64_t recorded_by, Millis now) {
  tx.exec(
      "INSERT INTO consents (resident_id, kind, granted, recorded_by, recorded_at) VALUES ($1, "
      "$2, $3, $4, $5)",
      resident_id, kind, granted, recorded_by, now);
}

bool active_user(Tx& tx, std::int64_t user_id) {
  return tx.query_one("SELECT 1 FROM users WHERE id = $1 AND disabled = 0", user_id).has_value();
}

bool is_helper(Tx& tx, std::int64_t resident_id, std::int64_t user_id) {
  return tx
      .query_one("SELECT 1 FROM care_helpers WHERE resident_id = $1 AND user_id = $2", resident_id,
                 user_id)
      .has_value();
}

void insert_helper(Tx& tx, std::int64_t resident_id, std::int64_t user_id, Millis now) {
  tx.exec("INSERT INTO care_helpers (resident_id, user_id, created_at) VALUES ($1, $2, $3)",
          resident_id, user_id, now);
}

std::vector<std::int64_t> helped_by(Tx& tx, std::int64_t user_id) {
  std::vector<std::int64_t> out;
  for (const auto& r : tx.query("SELECT resident_id FROM care_helpers WHERE user_id = $1", user_id))
    out.push_back(r.i64("resident_id"));
  return out;
}

void check_sort(const std::optional<std::string>& sort) {
  api::ListQuery("residents r").sort(sorts(), sort, "id");
}

api::ListQuery::Result list(Tx& tx, const api::Principal& p, const ResidentQuery& q,
                            std::string_view permission, const std::optional<places::Place>& under,
                            bool narrowed) {
  // Driven from the memberships (indexed by path), then the residents by id.
  // A place inside the caller's scope has its whole subtree inside it too, so
  // filtering by it is enough (and lets the index use the narrow range).
  std::string members = "SELECT m.resident_id FROM household_members m WHERE 1=1";
  std::vector<Param> values;
  if (q.household_id) {
    members += " AND m.household_id = ?";
    values.push_back(*q.household_id);
  }
  if (under) {
    members += " AND m.path >= ? AND m.path < ?";
    values.push_back(under->path);
    values.push_back(api::subtree_end(under->path));
  }
  if (!narrowed) {
    auto scope = api::scope_clause(p, permission, {"m.path", "m.grid_path"});
    members += " AND " + scope.sql;
    for (auto& v : scope.values) values.push_back(std::move(v));
  }
  api::ListQuery l("residents r");
  l.sort(sorts(), q.sort, "id")
      .where(q.archived ? "r.archived_at IS NOT NULL" : "r.archived_at IS NULL")
      .where("r.id IN (" + members + ")", std::move(values))
      .where_if("EXISTS (SELECT 1 FROM resident_tags t WHERE t.resident_id = r.id AND t.tag = ?)",
                q.tag)
      .search(tx.dialect(), {"r.id", "residents_fts", {"r.name"}}, q.q)
      .page(q.page);
  return l.rows(tx, "r.id AS id");
}

std::int64_t count_in_scope(Tx& tx, const api::Principal& p) {
  std::vector<Param> params;
  std::string sql =
      "SELECT COUNT(DISTINCT m.resident_id) AS residents FROM household_members m WHERE NOT "
      "EXISTS (SELECT 1 FROM residents r WHERE r.id = m.resident_id AND r.archived_at IS NOT "
      "NULL)";
  api::append_scope_condition(p, "resident.read", {"m.path", "m.grid_path"}, sql, params);
  return tx.query_one_v(sql, params)->i64("residents");
}

}  // namespace xh::people::store
