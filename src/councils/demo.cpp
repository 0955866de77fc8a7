// The demo street's councils (FND-6): 泉星社区's 圆桌议事会, seated as the seed
// describes it — the community's Party secretary, a branch secretary, a
// building leader, resident representatives, the grid worker, the property
// company and a partner — with a meeting on the 泉星花园 renovation plan held
// last month and one called for next week. The demo logins hold seats.
#include "api/module.h"
#include "auth/accounts.h"
#include "councils/councils.h"
#include "councils/store.h"
#include "places/places.h"

namespace xh::councils {

namespace {
std::int64_t member(storage::Tx& tx, std::int64_t council, const char* seat, const char* name,
                    std::optional<std::int64_t> user, std::optional<std::int64_t> org = std::nullopt) {
  return store::insert_member(tx, council, seat, name, user, std::nullopt, org, now_ms() - 90 * kDay);
}
}  // namespace

void load_demo(api::Context& ctx) {
  ctx.db.write([&](storage::Tx& tx) {
    auto qx = places::find_by_code(tx, "NC-QX");
    auto login = [&](const char* username) { return auth::principal_of(tx, username).user_id; };
    auto org = [&](const char* name) {
      auto r = tx.query_one("SELECT id FROM orgs WHERE name = $1", std::string(name));
      return r ? std::optional<std::int64_t>(r->i64("id")) : std::nullopt;
    };
    auto council = store::insert_council(tx, {"roundtable", qx->id, qx->path, "泉星社区圆桌议事会",
                                              store::default_rule_set(tx), std::string("2024-01-01"),
                                              std::string("2026-12-31"), std::nullopt, std::nullopt},
                                         now_ms() - 90 * kDay);
    auto secretary = member(tx, council, "party_secretary", "王书记", login("community_admin"));
    member(tx, council, "branch_secretary", "刘支书", std::nullopt);
    auto leader = member(tx, council, "building_leader", "张楼长", login("building_leader"));
    member(tx, council, "resident_rep", "居民代表（演示）", login("resident"));
    member(tx, council, "resident_rep", "陈阿姨", std::nullopt);
    member(tx, council, "resident_rep", "赵大爷", std::nullopt);
    member(tx, council, "grid_worker", "网格员（演示）", login("grid_worker"));
    auto property = member(tx, council, "property", "红管家", login("property_staff"), org("山东双城环境服务有限公司"));
    member(tx, council, "partner", "睿星教育", login("partner_admin"), org("睿星教育"));

    auto system = api::Actor::system();
    // Last month: the renovation plan, held and closed (its minutes come with the live meeting).
    Millis held = now_ms() - 30 * kDay;
    auto past = call_unchecked(tx, ctx.events, system, council, qx->path, "泉星花园老旧小区改造方案议事会", held,
                               std::string("泉星社区党群服务中心二楼会议室"),
                               {{"motion", "改造方案：口袋公园、充电桩、扶手与防滑条", leader, 30},
                                {"motion", "线缆入地与管网改造的施工时间安排", property, 20},
                                {"discussion", "施工期间的安全监督与居民出行", secretary, 15}},
                               std::nullopt, false);
    // Held: everyone came but 赵大爷 (the check-in and the minutes come with the live meeting).
    tx.exec("UPDATE meetings SET status = 'closed' WHERE id = $1", past);
    tx.exec("UPDATE meeting_attendance SET reply = 'attending', checked_in_at = $2 WHERE meeting_id = $1", past,
            held);
    tx.exec("UPDATE meeting_attendance SET reply = 'absent', reason = '外出就医', checked_in_at = NULL WHERE "
            "meeting_id = $1 AND member_id IN (SELECT id FROM council_members WHERE name = '赵大爷')",
            past);
    // Next week: the lifts.
    call_unchecked(tx, ctx.events, system, council, qx->path, "泉星花园加装电梯意愿征集议事会",
                   beijing_day_start(now_ms()) + 7 * kDay + 19 * kHour,
                   std::string("泉星社区党群服务中心二楼会议室"),
                   {{"motion", "1号楼、2号楼加装电梯的意愿征集方案", leader, 30},
                    {"discussion", "低层住户的采光与通行顾虑", std::nullopt, 20}},
                   std::nullopt);
  });
}

}  // namespace xh::councils
