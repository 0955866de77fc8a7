#include "renovation/store.h"

namespace xh::renovation::store {

// ---- vocabulary ----

Rows item_kinds(Tx& tx) {
  return tx.query(
      "SELECT key, zh, en FROM renovation_item_kinds WHERE active = 1 ORDER BY ordinal");
}

bool item_kind_exists(Tx& tx, const std::string& key) {
  return tx.query_one("SELECT 1 FROM renovation_item_kinds WHERE key = $1 AND active = 1", key)
      .has_value();
}

Rows stages(Tx& tx) {
  return tx.query("SELECT key, zh, en, ordinal, needs FROM renovation_stages ORDER BY ordinal");
}

// ---- places, people, partners ----

std::optional<Row> place(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT id, kind, name, path, grid_path FROM places WHERE id = $1 AND archived_at IS NULL",
      id);
}

bool org_exists(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT 1 FROM orgs WHERE id = $1", id).has_value();
}

std::optional<std::int64_t> user_named(Tx& tx, const std::string& username) {
  auto r = tx.query_one("SELECT id FROM users WHERE username = $1 AND disabled = 0", username);
  return r ? std::optional<std::int64_t>(r->i64("id")) : std::nullopt;
}

std::vector<std::int64_t> household_users(Tx& tx, const std::string& role,
                                          const std::string& path) {
  std::vector<std::int64_t> out;
  for (const auto& r :
       tx.query("SELECT DISTINCT ra.user_id FROM role_assignments ra JOIN places p ON p.id = "
                "ra.place_id "
                "JOIN users u ON u.id = ra.user_id WHERE ra.role = $1 AND p.kind = 'household' AND "
                "p.path LIKE $2 AND u.disabled = 0 ORDER BY ra.user_id",
                role, path + "%"))
    out.push_back(r.i64("user_id"));
  return out;
}

bool holds_role_under(Tx& tx, std::int64_t user_id, const std::string& role,
                      const std::string& path) {
  return tx
      .query_one(
          "SELECT 1 FROM role_assignments ra JOIN places p ON p.id = ra.place_id WHERE ra.user_id "
          "= $1 AND "
          "ra.role = $2 AND p.path LIKE $3",
          user_id, role, path + "%")
      .has_value();
}

// ---- projects ----

std::int64_t insert_project(Tx& tx, const NewProject& n, Millis now) {
  return tx
      .query_one(
          "INSERT INTO renovation_projects (place_id, path, grid_path, title, description, "
          "contractor_org_id, "
          "stage, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
          "$9) "
          "RETURNING id",
          n.place_id, n.path, n.grid_path, n.title, n.description, n.contractor_org_id, n.stage,
          n.created_by, now)
      ->i64("id");
}

void add_item(Tx& tx, std::int64_t project_id, const std::string& kind) {
  tx.exec(
      "INSERT INTO renovation_project_items (project_id, kind) VALUES ($1, $2) ON CONFLICT DO "
      "NOTHING",
      project_id, kind);
}

std::optional<Row> project(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT r.*, pl.name AS place_name, o.name AS contractor_name, s.zh AS stage_zh, s.en AS "
      "stage_en, "
      "s.ordinal AS stage_ordinal, s.needs AS stage_needs FROM renovation_projects r JOIN places "
      "pl ON pl.id = "
      "r.place_id JOIN renovation_stages s ON s.key = r.stage LEFT JOIN orgs o ON o.id = "
      "r.contractor_org_id "
      "WHERE r.id = $1",
      id);
}

std::vector<std::string> items(Tx& tx, std::int64_t project_id) {
  std::vector<std::string> out;
  for (const auto& r : tx.query(
           "SELECT i.kind FROM renovation_project_items i JOIN renovation_item_kinds k ON k.key = "
           "i.kind WHERE i.project_id = $1 ORDER BY k.ordinal",
           project_id))
    out.push_back(r.str("kind"));
  return out;
}

bool set_stage(Tx& tx, std::int64_t id, const std::string& from, const std::string& to,
               Millis now) {
  return tx.exec(
             "UPDATE renovation_projects SET stage = $3, updated_at = $4 WHERE id = $1 AND stage = "
             "$2",
             id, from, to, now) > 0;
}

void set_vote(Tx& tx, std::int64_t id, const std::string& stage, std::int64_t vote_id, Millis now) {
  if (stage == "intention")
    tx.exec("UPDATE renovation_projects SET intention_vote_id = $2, updated_at = $3 WHERE id = $1",
            id, vote_id, now);
  else
    tx.exec("UPDATE renovation_projects SET plan_vote_id = $2, updated_at = $3 WHERE id = $1", id,
            vote_id, now);
}

void add_move(Tx& tx, std::int64_t project_id, const std::string& stage, const std::string& move,
              const std::optional<std::string>& note, std::optional<std::int64_t> user_id,
              Millis now) {
  tx.exec(
      "INSERT INTO renovation_stage_moves (project_id, stage, move, note, user_id, created_at) "
      "VALUES ($1, $2, $3, "
      "$4, $5, $6)",
      project_id, stage, move, note, user_id, now);
}

Rows moves(Tx& tx, std::int64_t project_id) {
  return tx.query(
      "SELECT m.stage, m.move, m.note, u.display_name AS by_name, m.created_at FROM "
      "renovation_stage_moves m "
      "LEFT JOIN users u ON u.id = m.user_id WHERE m.project_id = $1 ORDER BY m.id",
      project_id);
}

// ---- plan options ----

std::int64_t insert_option(Tx& tx, std::int64_t project_id, const std::string& title,
                           const std::optional<std::string>& description, Millis now) {
  return tx
      .query_one(
          "INSERT INTO renovation_plan_options (project_id, title, description, created_at) VALUES "
          "($1, $2, $3, "
          "$4) RETURNING id",
          project_id, title, description, now)
      ->i64("id");
}

bool choose_option(Tx& tx, std::int64_t project_id, std::int64_t option_id) {
  if (!tx.query_one("SELECT 1 FROM renovation_plan_options WHERE id = $1 AND project_id = $2",
                    option_id, project_id))
    return false;
  tx.exec(
      "UPDATE renovation_plan_options SET chosen = CASE WHEN id = $2 THEN 1 ELSE 0 END WHERE "
      "project_id = $1",
      project_id, option_id);
  return true;
}

Rows options(Tx& tx, std::int64_t project_id) {
  return tx.query(
      "SELECT id, title, description, chosen FROM renovation_plan_options WHERE project_id = $1 "
      "ORDER BY id",
      project_id);
}

// ---- notices ----

std::int64_t insert_notice(Tx& tx, std::int64_t project_id, const std::string& text,
                           std::optional<std::int64_t> by, Millis now) {
  return tx
      .query_one(
          "INSERT INTO renovation_notices (project_id, text, created_by, created_at) VALUES ($1, "
          "$2, $3, $4) "
          "RETURNING id",
          project_id, text, by, now)
      ->i64("id");
}

Rows notices(Tx& tx, std::int64_t project_id) {
  return tx.query(
      "SELECT id, text, created_at FROM renovation_notices WHERE project_id = $1 ORDER BY id DESC",
      project_id);
}

std::optional<Row> notice(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT id, project_id, text, created_at FROM renovation_notices WHERE id = $1", id);
}

// ---- supervisors, inspections, defects ----

bool add_supervisor(Tx& tx, std::int64_t project_id, std::int64_t user_id, Millis now) {
  return tx.exec(
             "INSERT INTO renovation_supervisors (project_id, user_id, created_at) VALUES ($1, $2, "
             "$3) ON CONFLICT "
             "DO NOTHING",
             project_id, user_id, now) > 0;
}

bool is_supervisor(Tx& tx, std::int64_t project_id, std::int64_t user_id) {
  return tx
      .query_one("SELECT 1 FROM renovation_supervisors WHERE project_id = $1 AND user_id = $2",
                 project_id, user_id)
      .has_value();
}

Rows supervisors(Tx& tx, std::int64_t project_id) {
  return tx.query(
      "SELECT s.user_id, u.display_name AS name FROM renovation_supervisors s JOIN users u ON u.id "
      "= "
      "s.user_id WHERE s.project_id = $1 ORDER BY s.created_at",
      project_id);
}

std::int64_t insert_inspection(Tx& tx, std::int64_t project_id, std::int64_t user_id,
                               bool as_supervisor, const std::string& text,
                               const std::string& photos, Millis now) {
  return tx
      .query_one(
          "INSERT INTO renovation_inspections (project_id, user_id, as_supervisor, text, photos, "
          "created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
          project_id, user_id, as_supervisor, text, photos, now)
      ->i64("id");
}

Rows inspections(Tx& tx, std::int64_t project_id, int limit) {
  return tx.query(
      "SELECT i.id, i.user_id, u.display_name AS by_name, i.as_supervisor, i.text, i.photos, "
      "i.created_at "
      "FROM "
      "renovation_inspections i JOIN users u ON u.id = i.user_id WHERE i.project_id = $1 ORDER BY "
      "i.id "
      "DESC LIMIT $2",
      project_id, static_cast<std::int64_t>(limit));
}

std::int64_t insert_defect(Tx& tx, std::int64_t project_id,
                           std::optional<std::int64_t> inspection_id, std::int64_t order_id,
                           const std::string& title, Millis deadline_at, Millis now) {
  return tx
      .query_one(
          "INSERT INTO renovation_defects (project_id, inspection_id, order_id, title, "
          "deadline_at, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
          project_id, inspection_id, order_id, title, deadline_at, now)
      ->i64("id");
}

Rows defects(Tx& tx, std::int64_t project_id) {
  return tx.query(
      "SELECT d.id, d.inspection_id, d.order_id, d.title, d.deadline_at, w.status, d.created_at "
      "FROM "
      "renovation_defects d JOIN work_orders w ON w.id = d.order_id WHERE d.project_id = $1 ORDER "
      "BY d.id",
      project_id);
}

// ---- upkeep ----

std::int64_t insert_upkeep(Tx& tx, std::int64_t project_id, const std::string& title,
                           int every_days, std::optional<std::int64_t> org_id, Millis next_due_at,
                           Millis now) {
  return tx
      .query_one(
          "INSERT INTO renovation_maintenance (project_id, title, every_days, org_id, next_due_at, "
          "created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
          project_id, title, static_cast<std::int64_t>(every_days), org_id, next_due_at, now)
      ->i64("id");
}

Rows upkeep(Tx& tx, std::int64_t project_id) {
  return tx.query(
      "SELECT m.id, m.title, m.every_days, o.name AS org_name, m.next_due_at, m.last_order_id FROM "
      "renovation_maintenance m LEFT JOIN orgs o ON o.id = m.org_id WHERE m.project_id = $1 ORDER "
      "BY m.id",
      project_id);
}

std::optional<Row> upkeep_task(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT m.id, m.project_id, m.title, m.every_days, m.org_id, m.next_due_at, r.place_id, "
      "r.path, r.title AS project_title, r.contractor_org_id, r.created_by FROM "
      "renovation_maintenance "
      "m JOIN renovation_projects r ON r.id = m.project_id WHERE m.id = $1",
      id);
}

void upkeep_filed(Tx& tx, std::int64_t id, std::int64_t order_id, Millis next_due_at) {
  tx.exec("UPDATE renovation_maintenance SET last_order_id = $2, next_due_at = $3 WHERE id = $1",
          id, order_id, next_due_at);
}

}  // namespace xh::renovation::store
