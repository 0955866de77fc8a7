// The work orders of a generated street (`xinghuo gen`): a year of residents'
// reports on every building, 35 a building (25,200 a street, a million at city
// scale), at every stage of the closed loop with the times each stage stamps,
// each with the first row of its timeline.
#include "api/list.h"
#include "api/module.h"
#include "storage/bulk.h"

namespace xh::workorders {

namespace {

constexpr int kOrdersPerBuilding = 35;
const char* kCategories[] = {"tangled_cables", "clutter", "dirty_hallway", "small_ads",
                             "broken_structure", "blocked_drain", "lighting", "greenery",
                             "parking", "noise", "water_leak", "lift"};
// Most are closed, as in a year's history.
const char* kStatuses[] = {"closed", "closed", "closed", "closed", "closed", "verified",
                           "resolved", "in_progress", "dispatched", "accepted", "submitted",
                           "rejected"};
const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
                           "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢"};

}  // namespace

api::GenCounts gen_street(storage::Tx& tx, api::Context&, api::GenStreet& street) {
  auto rng = street.random("workorders");
  Millis now = now_ms();
  std::int64_t order = storage::next_id(tx, "work_orders"), event = storage::next_id(tx, "wo_events"),
               first = order;
  auto buildings = tx.query(
      "SELECT id, parent_id, name, path, grid_path FROM places WHERE kind = 'building' AND "
      "path >= $1 AND path < $2 ORDER BY id",
      street.path, api::subtree_end(street.path));
  {
    storage::BulkInsert orders(tx, "work_orders",
                               {"id", "category", "place_id", "path", "grid_path", "compound_id",
                                "text", "status", "urgent", "body", "deadline_hours", "deadline_at",
                                "channel", "accepted_at", "resolved_at", "closed_at", "rating",
                                "created_at", "updated_at"});
    storage::BulkInsert events(tx, "wo_events",
                               {"id", "order_id", "at", "actor_name", "action", "to_status"});
    events.depends_on(orders);
    for (const auto& b : buildings) {
      for (int w = 0; w < kOrdersPerBuilding; ++w) {
        std::string category = kCategories[rng.below(12)], status = kStatuses[rng.below(12)];
        Millis created = now - rng.below(365 * 24) * kHour - rng.below(3600) * 1000LL;
        int hours = 24 + 24 * rng.below(3);
        bool accepted = status != "submitted";
        bool resolved = status == "resolved" || status == "verified" || status == "closed";
        bool closed = status == "closed";
        Millis accepted_at = created + (1 + rng.below(8)) * kHour;
        Millis resolved_at = accepted_at + (1 + rng.below(hours + 24)) * kHour;
        Millis closed_at = resolved_at + (1 + rng.below(48)) * kHour;
        auto at = [](bool stamped, Millis t) { return stamped ? std::optional(t) : std::nullopt; };
        std::string text = std::string(kSurnames[rng.below(24)]) + "女士反映：" + b.str("name") +
                           (w % 2 ? "楼道" : "门前") + "问题，请尽快处理";
        bool urgent = rng.below(10) == 0;
        std::optional<std::int64_t> rating;
        if (closed && rng.below(2)) rating = 3 + rng.below(3);
        orders.add(order, category, b.i64("id"), b.str("path"), b.opt_str("grid_path"),
                   b.i64("parent_id"), text, status, urgent, "community", hours,
                   created + hours * kHour, "console", at(accepted, accepted_at),
                   at(resolved, resolved_at), at(closed, closed_at), rating, created,
                   resolved ? closed_at : created);
        events.add(event++, order, created, "gen", "file", "submitted");
        ++order;
      }
    }
  }
  storage::advance_id_sequence(tx, "work_orders");
  storage::advance_id_sequence(tx, "wo_events");
  return {{"work orders", order - first}};
}

}  // namespace xh::workorders
