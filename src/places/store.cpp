#include "places/store.h"

#include <algorithm>

namespace xh::places::store {

using storage::Tx;

const char* const kColumns =
    "id, parent_id, kind, name, code, address, path, lat_e6, lng_e6, area_centi_m2, grid_id, "
    "grid_path, property_org_id, created_at, updated_at, archived_at";

Place from_row(const storage::Row& r) {
  Place p;
  p.id = r.i64("id");
  p.parent_id = r.opt_i64("parent_id");
  p.kind = r.str("kind");
  p.name = r.str("name");
  p.code = r.opt_str("code");
  p.address = r.opt_str("address");
  p.path = r.str("path");
  p.lat_e6 = r.opt_i64("lat_e6");
  p.lng_e6 = r.opt_i64("lng_e6");
  p.area_centi_m2 = r.opt_i64("area_centi_m2");
  p.grid_id = r.opt_i64("grid_id");
  p.grid_path = r.opt_str("grid_path");
  p.property_org_id = r.opt_i64("property_org_id");
  p.created_at = r.i64("created_at");
  p.updated_at = r.i64("updated_at");
  p.archived_at = r.opt_i64("archived_at");
  return p;
}

std::optional<Place> find(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(std::string("SELECT ") + kColumns + " FROM places WHERE id = $1", id);
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::int64_t insert(Tx& tx, const NewPlace& in, const std::string& parent_path,
                    const std::optional<std::string>& grid_path, Millis now) {
  const PlaceFields& f = in.fields;
  auto id = tx.query_one(
                  "INSERT INTO places (parent_id, kind, name, code, address, path, lat_e6, lng_e6, "
                  "area_centi_m2, grid_id, grid_path, property_org_id, created_at, updated_at) "
                  "VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
                  in.parent_id, in.kind, *f.name, f.code, f.address, f.lat_e6, f.lng_e6,
                  f.area_centi_m2, f.grid_id, grid_path, f.property_org_id, now)
                ->i64("id");
  tx.exec("UPDATE places SET path = $2 WHERE id = $1", id, parent_path + std::to_string(id) + "/");
  return id;
}

void update(Tx& tx, const Place& p, Millis now) {
  tx.exec(
      "UPDATE places SET name = $2, code = $3, address = $4, lat_e6 = $5, lng_e6 = $6, "
      "area_centi_m2 = $7, grid_id = $8, grid_path = $9, property_org_id = $10, updated_at = $11 "
      "WHERE id = $1",
      p.id, p.name, p.code, p.address, p.lat_e6, p.lng_e6, p.area_centi_m2, p.grid_id, p.grid_path,
      p.property_org_id, now);
}

void regrid_below(Tx& tx, const std::string& building_path,
                  const std::optional<std::string>& grid_path) {
  std::string end = building_path;
  end.back() = '0';
  tx.exec("UPDATE places SET grid_path = $3 WHERE path > $1 AND path < $2", building_path, end,
          grid_path);
}

api::ListQuery::Result list(Tx& tx, const api::Principal& p, const PlaceQuery& q,
                            const std::optional<Place>& under, bool under_in_scope) {
  static const api::SortTable sorts = {
      {"id", "id"}, {"name", "name, id"}, {"code", "code, id"}, {"created_at", "created_at, id"}};
  api::ListQuery l("places");
  l.sort(sorts, q.sort, "id");
  if (!q.include_archived) l.where("archived_at IS NULL");
  // Descendants of a place inside the caller's scope are inside it too: the
  // filter alone is the scope, and the index scans the narrower range. (A
  // parent_id filter needs no such help: its index is an equality.)
  if (under) l.under("path", under->path);
  if (!under_in_scope) l.scope(p, "place.read", {"path", "grid_path"});
  l.where_if("parent_id = ?", q.parent_id)
      .where_if("kind = ?", q.kind)
      .search(tx.dialect(), {"id", "places_fts", {"name", "address", "code"}}, q.q)
      .page(q.page);
  return l.rows(tx, kColumns);
}

std::vector<Place> subtree(Tx& tx, const api::Principal& p, const Place& root, int depth,
                           int limit) {
  // Depth is the number of '/' in the path; filtered in SQL so the row limit
  // applies to the levels asked for.
  std::int64_t levels = std::count(root.path.begin(), root.path.end(), '/') + depth;
  api::ListQuery l("places");
  l.where("archived_at IS NULL")
      .where("path > ? AND path < ?", {root.path, api::subtree_end(root.path)})
      .where("LENGTH(path) - LENGTH(REPLACE(path, '/', '')) <= ?", {levels})
      .scope(p, "place.read", {"path", "grid_path"})
      .sort({{"path", "path"}}, std::nullopt, "path")
      .page({limit, 0});
  std::vector<Place> out;
  for (const auto& r : l.rows(tx, kColumns).rows) out.push_back(from_row(r));
  return out;
}

std::optional<Place> find_by_code(Tx& tx, const std::string& code) {
  auto r = tx.query_one(std::string("SELECT ") + kColumns + " FROM places WHERE code = $1", code);
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::optional<Place> find_child(Tx& tx, std::int64_t parent_id, const std::string& kind,
                                const std::string& name) {
  auto r = tx.query_one(std::string("SELECT ") + kColumns +
                            " FROM places WHERE parent_id = $1 AND name = $2 AND kind = $3 AND "
                            "archived_at IS NULL",
                        parent_id, name, kind);
  if (!r) return std::nullopt;
  return from_row(*r);
}

bool manages_live_place(Tx& tx, std::int64_t org_id) {
  return tx
      .query_one("SELECT 1 FROM places WHERE property_org_id = $1 AND archived_at IS NULL", org_id)
      .has_value();
}

bool has_live_children(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT 1 FROM places WHERE parent_id = $1 AND archived_at IS NULL", id)
      .has_value();
}

void archive(Tx& tx, std::int64_t id, Millis now) {
  tx.exec("UPDATE places SET archived_at = $2, updated_at = $2 WHERE id = $1", id, now);
}

}  // namespace xh::places::store
