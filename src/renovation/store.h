#pragma once
// The renovation module's SQL.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "storage/database.h"

namespace xh::renovation::store {

using storage::Row;
using storage::Rows;
using storage::Tx;

// ---- vocabulary ----
Rows item_kinds(Tx& tx);  // key, zh, en (the active ones, in order)
bool item_kind_exists(Tx& tx, const std::string& key);
Rows stages(Tx& tx);  // key, zh, en, ordinal, needs; in order

// ---- places, people, partners ----
std::optional<Row> place(Tx& tx, std::int64_t id);  // id, kind, name, path, grid_path
bool org_exists(Tx& tx, std::int64_t id);
std::optional<std::int64_t> user_named(Tx& tx, const std::string& username);
// The active accounts holding `role` over a household under `path`.
std::vector<std::int64_t> household_users(Tx& tx, const std::string& role, const std::string& path);
bool holds_role_under(Tx& tx, std::int64_t user_id, const std::string& role,
                      const std::string& path);

// ---- projects ----
struct NewProject {
  std::int64_t place_id = 0;
  std::string path;
  std::optional<std::string> grid_path;
  std::string title;
  std::optional<std::string> description;
  std::optional<std::int64_t> contractor_org_id, created_by;
  std::string stage;
};
std::int64_t insert_project(Tx& tx, const NewProject& n, Millis now);
void add_item(Tx& tx, std::int64_t project_id, const std::string& kind);
// The project with its place's, contractor's and votes' names.
std::optional<Row> project(Tx& tx, std::int64_t id);
std::vector<std::string> items(Tx& tx, std::int64_t project_id);
// From `from` to `to`; false when another request moved it first.
bool set_stage(Tx& tx, std::int64_t id, const std::string& from, const std::string& to, Millis now);
void set_vote(Tx& tx, std::int64_t id, const std::string& stage, std::int64_t vote_id, Millis now);
void add_move(Tx& tx, std::int64_t project_id, const std::string& stage, const std::string& move,
              const std::optional<std::string>& note, std::optional<std::int64_t> user_id,
              Millis now);
Rows moves(Tx& tx, std::int64_t project_id);  // stage, move, note, by_name, created_at

// ---- plan options ----
std::int64_t insert_option(Tx& tx, std::int64_t project_id, const std::string& title,
                           const std::optional<std::string>& description, Millis now);
bool choose_option(Tx& tx, std::int64_t project_id, std::int64_t option_id);
Rows options(Tx& tx, std::int64_t project_id);  // id, title, description, chosen

// ---- notices ----
std::int64_t insert_notice(Tx& tx, std::int64_t project_id, const std::string& text,
                           std::optional<std::int64_t> by, Millis now);
Rows notices(Tx& tx, std::int64_t project_id);       // id, text, created_at
std::optional<Row> notice(Tx& tx, std::int64_t id);  // id, project_id, text, created_at

// ---- supervisors, inspections, defects ----
bool add_supervisor(Tx& tx, std::int64_t project_id, std::int64_t user_id, Millis now);
bool is_supervisor(Tx& tx, std::int64_t project_id, std::int64_t user_id);
Rows supervisors(Tx& tx, std::int64_t project_id);  // user_id, name
std::int64_t insert_inspection(Tx& tx, std::int64_t project_id, std::int64_t user_id,
                               bool as_supervisor, const std::string& text,
                               const std::string& photos, Millis now);
Rows inspections(Tx& tx, std::int64_t project_id,
                 int limit);  // id, user_id, by_name, as_supervisor, text, photos, created_at
std::int64_t insert_defect(Tx& tx, std::int64_t project_id,
                           std::optional<std::int64_t> inspection_id, std::int64_t order_id,
                           const std::string& title, Millis deadline_at, Millis now);
// id, inspection_id, order_id, title, deadline_at, status (of its order), created_at
Rows defects(Tx& tx, std::int64_t project_id);

// ---- upkeep ----
std::int64_t insert_upkeep(Tx& tx, std::int64_t project_id, const std::string& title,
                           int every_days, std::optional<std::int64_t> org_id, Millis next_due_at,
                           Millis now);
Rows upkeep(
    Tx& tx,
    std::int64_t project_id);  // id, title, every_days, org_name, next_due_at, last_order_id
std::optional<Row> upkeep_task(Tx& tx,
                               std::int64_t id);  // with its project's place_id and contractor
void upkeep_filed(Tx& tx, std::int64_t id, std::int64_t order_id, Millis next_due_at);

}  // namespace xh::renovation::store
