// The places of a generated street (`xinghuo gen`): the street GEN-S<number>
// (numbered after those already in the database) with 8 communities, each of 4 grids and 9 compounds of 10 buildings (given to
// the grids in turn) of 3 units of 12 households, with their areas: 25,920
// households a street.
#include <cstdio>
#include <optional>

#include "api/module.h"
#include "storage/bulk.h"

namespace xh::places {

namespace {

constexpr int kCommunities = 8, kGridsPerCommunity = 4, kCompoundsPerCommunity = 9,
              kBuildingsPerCompound = 10, kUnitsPerBuilding = 3, kHomesPerUnit = 12;

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
                           "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢"};

struct Placed {
  std::int64_t id;
  std::string path;
};

}  // namespace

api::GenCounts gen_street(storage::Tx& tx, api::Context&, api::GenStreet& street) {
  street.number = 1 + static_cast<int>(
                          tx.query_one("SELECT COUNT(*) AS n FROM places WHERE kind = 'street' AND "
                                       "code LIKE 'GEN-S%'")
                              ->i64("n"));
  auto rng = street.random("places");
  Millis now = now_ms();
  std::int64_t next = storage::next_id(tx, "places"), households = 0;
  storage::BulkInsert places(tx, "places",
                             {"id", "parent_id", "kind", "name", "code", "path", "area_centi_m2",
                              "grid_id", "grid_path", "created_at", "updated_at"});
  struct Place {
    const char* kind;
    std::string name;
    std::optional<std::string> code = std::nullopt;
    std::optional<std::int64_t> area = std::nullopt, grid_id = std::nullopt;
    std::optional<std::string> grid_path = std::nullopt;
  };
  auto add = [&](const Placed* parent, Place p) {
    std::int64_t id = next++;
    Placed placed{id, (parent ? parent->path : "/") + std::to_string(id) + "/"};
    places.add(id, parent ? std::optional(parent->id) : std::nullopt, p.kind, p.name, p.code,
               placed.path, p.area, p.grid_id, p.grid_path, now, now);
    return placed;
  };
  char code[64];
  std::snprintf(code, sizeof code, "GEN-S%03d", street.number);
  const std::string street_code = code, street_name = "生成街道" + std::to_string(street.number);
  Placed s = add(nullptr, {"street", street_name, street_code});
  street.id = s.id;
  street.path = s.path;
  for (int c = 1; c <= kCommunities; ++c) {
    std::snprintf(code, sizeof code, "%s-C%02d", street_code.c_str(), c);
    const std::string community_code = code;
    Placed community =
        add(&s, {"community", street_name + "第" + std::to_string(c) + "社区", community_code});
    std::vector<Placed> grids;
    for (int g = 1; g <= kGridsPerCommunity; ++g) {
      std::snprintf(code, sizeof code, "%s-G%d", community_code.c_str(), g);
      grids.push_back(add(&community, {"grid", "第" + std::to_string(g) + "网格", code}));
    }
    for (int k = 1; k <= kCompoundsPerCommunity; ++k) {
      std::snprintf(code, sizeof code, "%s-K%02d", community_code.c_str(), k);
      Placed compound = add(&community, {"compound",
                                         std::string(kSurnames[rng.below(24)]) + "家" +
                                             std::to_string(k) + "号院",
                                         code});
      for (int b = 1; b <= kBuildingsPerCompound; ++b) {
        const Placed& grid = grids[static_cast<std::size_t>((b - 1) % kGridsPerCommunity)];
        Placed building = add(&compound, {"building", std::to_string(b) + "号楼", std::nullopt,
                                          std::nullopt, grid.id, grid.path});
        for (int u = 1; u <= kUnitsPerBuilding; ++u) {
          Placed unit = add(&building, {"unit", std::to_string(u) + "单元", std::nullopt,
                                        std::nullopt, std::nullopt, grid.path});
          for (int h = 0; h < kHomesPerUnit; ++h) {
            int room = (h / 2 + 1) * 100 + h % 2 + 1;
            add(&unit, {"household", std::to_string(room) + "室", std::nullopt,
                        4500 + rng.below(9500), std::nullopt, grid.path});
            ++households;
          }
        }
      }
    }
  }
  places.flush();
  storage::advance_id_sequence(tx, "places");
  return {{"places", static_cast<std::int64_t>(places.written())}, {"households", households}};
}

}  // namespace xh::places
