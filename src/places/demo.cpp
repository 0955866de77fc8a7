// The demo street's places (FND-6): Nancun Street (南村街道) with its four
// communities, their grids (and the micro-grid 巧智), twelve compounds after
// urban renewal, six buildings each, three units a building and twelve homes a
// unit with their exclusive areas. Deterministic: the same on every machine.
#include "api/module.h"
#include "core/random.h"
#include "places/places.h"

namespace xh::places {

namespace {
struct CommunityPlan {
  const char* name;
  const char* code;
  std::vector<const char*> compounds;
};
}  // namespace

void load_demo(api::Context& ctx) {
  auto system = api::Actor::system();
  ctx.db.write([&](storage::Tx& tx) {
    SplitMix64 dice(20260601);
    auto place = [&](std::optional<std::int64_t> parent, const char* kind, const std::string& name,
                     const std::string& code, PlaceFields extra = {}) {
      NewPlace p{parent, kind, std::move(extra)};
      p.fields.name = name;
      p.fields.code = code;
      return create_unchecked(tx, ctx.events, system, p).id;
    };
    auto street = place(std::nullopt, "street", "南村街道", "NC");
    const std::vector<CommunityPlan> plan = {
        {"泉星社区", "NC-QX", {"泉星花园", "泉星小区", "星光苑"}},
        {"工商河社区", "NC-GSH", {"工商河小区", "河畔人家", "工人新村北区"}},
        {"南村社区", "NC-NC", {"南村东苑", "南村西苑", "南村新苑"}},
        {"成丰社区", "NC-CF", {"成丰里", "成丰花园", "铁路宿舍"}},
    };
    for (const auto& c : plan) {
      std::string cc = c.code;
      auto community = place(street, "community", c.name, cc);
      std::vector<std::int64_t> grids;
      const char* grid_names[] = {"第一网格", "第二网格", "第三网格"};
      for (int g = 0; g < 3; ++g)
        grids.push_back(place(community, "grid", std::string(c.name) + grid_names[g],
                              cc + "-G" + std::to_string(g + 1)));
      if (cc == "NC-QX") place(grids[0], "micro_grid", "巧智", "NC-QX-G1-QZ");
      for (std::size_t k = 0; k < c.compounds.size(); ++k) {
        std::string ccode = cc + "-C" + std::to_string(k + 1);
        std::string cname = c.compounds[k];
        PlaceFields cf;
        cf.address = std::string("济南市天桥区") + c.name + cname;
        cf.lat_e6 = 36690000 + dice.below(20000);
        cf.lng_e6 = 116990000 + dice.below(20000);
        auto compound = place(community, "compound", cname, ccode, cf);
        for (int b = 1; b <= 6; ++b) {
          std::string bname = cname + std::to_string(b) + "号楼";
          std::string bcode = ccode + "-B" + std::to_string(b);
          PlaceFields bf;
          bf.grid_id = grids[static_cast<std::size_t>((b - 1) / 2)];  // two buildings per grid
          auto building = place(compound, "building", bname, bcode, bf);
          for (int u = 1; u <= 3; ++u) {
            std::string uname = bname + std::to_string(u) + "单元";
            std::string ucode = bcode + "-U" + std::to_string(u);
            auto unit = place(building, "unit", uname, ucode);
            for (int floor = 1; floor <= 6; ++floor)
              for (int door = 1; door <= 2; ++door) {
                std::string room = std::to_string(floor * 100 + door);
                PlaceFields hf;
                hf.area_centi_m2 = 4500 + dice.below(9500);
                place(unit, "household", uname + room + "室", ucode + "-" + room, hf);
              }
          }
        }
      }
    }
  });
}

}  // namespace xh::places
