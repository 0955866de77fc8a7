#include "volunteers/care_store.h"

namespace xh::volunteers::store {

std::optional<Row> household_of(Tx& tx, std::int64_t resident_id) {
  return tx.query_one(
      "SELECT h.id, h.name, h.path, m.grid_path, COALESCE((SELECT c.path FROM places c WHERE "
      "c.kind = 'compound' AND h.path LIKE c.path || '%' ORDER BY LENGTH(c.path) DESC LIMIT 1), "
      "(SELECT c.path FROM places c WHERE c.kind = 'community' AND h.path LIKE c.path || '%' "
      "LIMIT 1)) AS public_path FROM household_members m JOIN places h ON h.id = m.household_id "
      "JOIN residents r ON r.id = m.resident_id WHERE m.resident_id = $1 AND r.archived_at IS "
      "NULL ORDER BY m.id LIMIT 1",
      resident_id);
}

std::optional<std::int64_t> resident_of_user(Tx& tx, std::int64_t user_id) {
  auto r =
      tx.query_one("SELECT id FROM residents WHERE user_id = $1 AND archived_at IS NULL", user_id);
  if (!r) return std::nullopt;
  return r->i64("id");
}

std::optional<std::string> resident_name(Tx& tx, std::int64_t resident_id) {
  auto r = tx.query_one("SELECT name FROM residents WHERE id = $1", resident_id);
  if (!r) return std::nullopt;
  return r->str("name");
}

bool has_care_tag(Tx& tx, std::int64_t resident_id) {
  return tx.query_one("SELECT 1 FROM resident_tags WHERE resident_id = $1", resident_id)
      .has_value();
}

bool lives_in(Tx& tx, std::int64_t user_id, std::int64_t household_id) {
  return tx
      .query_one(
          "SELECT 1 FROM household_members m JOIN residents r ON r.id = m.resident_id WHERE "
          "r.user_id = $1 AND m.household_id = $2",
          user_id, household_id)
      .has_value();
}

std::string address_of(Tx& tx, std::int64_t place_id) {
  // A household's name holds its compound's, building's and unit's.
  auto r = tx.query_one("SELECT name FROM places WHERE id = $1", place_id);
  return r ? r->str("name") : std::string();
}

// ---- wishes ----

std::int64_t insert_wish(Tx& tx, std::int64_t resident_id, const Row& household,
                         const std::string& public_path, const std::string& title,
                         const std::string& body, std::int64_t posted_by, Millis now) {
  return tx
      .query_one(
          "INSERT INTO wishes (resident_id, household_id, path, public_path, title, body, status, "
          "posted_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, "
          "$8, $8) RETURNING id",
          resident_id, household.i64("id"), household.str("path"), public_path, title, body,
          posted_by, now)
      ->i64("id");
}

std::optional<Row> wish(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT w.*, r.name AS resident_name, r.user_id AS resident_user_id, o.name AS org_name, "
      "cu.display_name AS claimant_name, pl.name AS public_place FROM wishes w JOIN residents r "
      "ON r.id = w.resident_id LEFT JOIN orgs o ON o.id = w.claimed_org_id LEFT JOIN users cu ON "
      "cu.id = w.claimed_by LEFT JOIN places pl ON pl.path = w.public_path WHERE w.id = $1",
      id);
}

bool move_wish(Tx& tx, std::int64_t id, const char* from, const char* to, const std::string& sets,
               std::vector<storage::Param> values) {
  std::vector<storage::Param> params{storage::Param(id), storage::Param(std::string(from)),
                                     storage::Param(std::string(to))};
  for (auto& v : values) params.push_back(std::move(v));
  return tx.exec_v("UPDATE wishes SET status = $3" + (sets.empty() ? "" : ", " + sets) +
                       " WHERE id = $1 AND status = $2",
                   params) == 1;
}

// ---- home services ----

std::int64_t insert_service(Tx& tx, std::int64_t resident_id, const Row& household,
                            const std::string& kind, const std::string& need,
                            std::int64_t requested_by, std::optional<std::int64_t> plan_id,
                            std::optional<std::int64_t> team_id,
                            std::optional<std::int64_t> volunteer_id, std::optional<Millis> due_at,
                            Millis now) {
  bool assigned = team_id || volunteer_id;
  return tx
      .query_one(
          "INSERT INTO home_services (resident_id, household_id, path, grid_path, kind, need, "
          "status, requested_by, plan_id, team_id, volunteer_id, due_at, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
          resident_id, household.i64("id"), household.str("path"), household.opt_str("grid_path"),
          kind, need, assigned ? "assigned" : "requested", requested_by, plan_id, team_id,
          volunteer_id, due_at, now)
      ->i64("id");
}

std::optional<Row> service(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT s.*, r.name AS resident_name, tn.name AS team_name, t.leader_id AS team_leader_id, "
      "vu.display_name AS volunteer_name, v.user_id AS volunteer_user_id FROM home_services s "
      "JOIN residents r ON r.id = s.resident_id LEFT JOIN volunteer_teams t ON t.id = s.team_id "
      "LEFT JOIN orgs tn ON tn.id = t.org_id LEFT JOIN volunteers v ON v.id = s.volunteer_id "
      "LEFT JOIN users vu ON vu.id = v.user_id WHERE s.id = $1",
      id);
}

std::optional<Row> plan(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT * FROM home_visit_plans WHERE id = $1", id);
}

// ---- stewards ----

std::optional<Row> steward(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT s.*, u.display_name AS name, b.name AS building_name FROM stewards s JOIN users u "
      "ON u.id = s.user_id JOIN places b ON b.id = s.building_id WHERE s.id = $1",
      id);
}

bool is_building_leader(Tx& tx, std::int64_t user_id) {
  return tx
      .query_one("SELECT 1 FROM role_assignments WHERE user_id = $1 AND role = 'building_leader'",
                 user_id)
      .has_value();
}

bool is_org_contact(Tx& tx, std::int64_t user_id) {
  return tx.query_one("SELECT 1 FROM org_contacts WHERE user_id = $1", user_id).has_value();
}

}  // namespace xh::volunteers::store
