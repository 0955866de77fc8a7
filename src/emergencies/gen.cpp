// The risk points and stores of a generated street (`xinghuo gen`): a risk
// point at each compound (the kinds in turn, patrolled by the grid of its
// first building) and a flood store at the street, so that declaring a
// city-wide warning makes thousands of tasks.
#include <string>

#include "api/module.h"
#include "storage/bulk.h"

namespace xh::emergencies {

api::GenCounts gen_street(storage::Tx& tx, api::Context&, api::GenStreet& street) {
  Millis now = now_ms();
  static const char* kinds[] = {"low_lying", "underpass", "river", "station",
                                "school",    "construction", "old_house"};
  auto compounds = tx.query(
      "SELECT c.id, c.path, c.name, c.lat_e6, c.lng_e6, b.grid_id, b.grid_path FROM places c JOIN "
      "places b ON b.id = (SELECT MIN(id) FROM places WHERE parent_id = c.id) WHERE c.kind = "
      "'compound' AND c.path LIKE $1 || '%' ORDER BY c.id",
      street.path);
  std::int64_t point = storage::next_id(tx, "risk_points"), first = point;
  {
    storage::BulkInsert points(tx, "risk_points",
                               {"id", "kind", "name", "place_id", "path", "grid_id", "grid_path",
                                "lat_e6", "lng_e6", "created_at", "updated_at"});
    std::size_t k = 0;
    for (const auto& c : compounds) {
      const char* kind = kinds[k++ % 7];
      points.add(point++, kind, c.str("name") + "风险点", c.i64("id"), c.str("path"),
                 c.opt_i64("grid_id"), c.opt_str("grid_path"), c.opt_i64("lat_e6"),
                 c.opt_i64("lng_e6"), now, now);
    }
  }
  storage::advance_id_sequence(tx, "risk_points");
  auto store = tx.query_one(
      "INSERT INTO warehouses (place_id, path, name, created_at) VALUES ($1, $2, $3, $4) "
      "RETURNING id",
      street.id, street.path, "街道防汛物资仓库", now);
  auto creator = tx.query_one("SELECT MIN(id) AS id FROM users")->i64("id");
  for (auto [item, n] : std::vector<std::pair<const char*, int>>{
           {"sandbag", 2000}, {"pump", 10}, {"raincoat", 200}, {"torch", 100}}) {
    tx.exec("INSERT INTO supply_stock (warehouse_id, item, quantity) VALUES ($1, $2, $3)",
            store->i64("id"), item, n);
    tx.exec(
        "INSERT INTO supply_movements (warehouse_id, item, kind, quantity, balance, counterpart, "
        "user_id, at) VALUES ($1, $2, 'receive', $3, $3, '区应急管理局', $4, $5)",
        store->i64("id"), item, n, creator, now);
  }
  return {{"risk points", point - first}};
}

}  // namespace xh::emergencies
