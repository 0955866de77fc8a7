// The demo street's councils (FND-6): 泉星社区's 圆桌议事会, seated as the seed
// describes it — the community's Party secretary, a branch secretary, a
// building leader, resident representatives, the grid worker, the property
// company and a partner — with a meeting on the 泉星花园 renovation plan held
// last month and one called for next week. The demo logins hold seats.
#include <boost/json.hpp>

#include "api/module.h"
#include "auth/accounts.h"
#include "councils/councils.h"
#include "councils/minutes.h"
#include "councils/store.h"
#include "places/places.h"

namespace xh::councils {

namespace json = boost::json;

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
    auto branch = member(tx, council, "branch_secretary", "刘支书", std::nullopt);
    auto leader = member(tx, council, "building_leader", "张楼长", login("building_leader"));
    auto rep = member(tx, council, "resident_rep", "居民代表（演示）", login("resident"));
    auto chen = member(tx, council, "resident_rep", "陈阿姨", std::nullopt);
    member(tx, council, "resident_rep", "赵大爷", std::nullopt);
    auto grid = member(tx, council, "grid_worker", "网格员（演示）", login("grid_worker"));
    auto property = member(tx, council, "property", "红管家", login("property_staff"), org("山东双城环境服务有限公司"));
    member(tx, council, "partner", "睿星教育", login("partner_admin"), org("睿星教育"));

    auto system = api::Actor::system();
    // Last month: the renovation plan, held and closed, with its minutes.
    Millis held = beijing_day_start(now_ms() - 30 * kDay) + 19 * kHour;
    auto past = call_unchecked(tx, ctx.events, system, council, qx->path, "泉星花园老旧小区改造方案议事会", held,
                               std::string("泉星社区党群服务中心二楼会议室"),
                               {{"motion", "改造方案：口袋公园、充电桩、扶手与防滑条", leader, 30},
                                {"motion", "线缆入地与管网改造的施工时间安排", property, 20},
                                {"discussion", "施工期间的安全监督与居民出行", secretary, 15}},
                               std::nullopt, false);
    // Held: everyone came but 赵大爷; what was said, voted and recorded, and the minutes signed.
    Millis opened = held + 5 * kMinute;
    tx.exec("UPDATE meetings SET status = 'closed', opened_at = $2, closed_at = $3 WHERE id = $1", past, opened,
            held + 70 * kMinute);
    tx.exec("UPDATE meeting_attendance SET reply = 'attending', checked_in_at = $2 WHERE meeting_id = $1", past,
            held);
    tx.exec("UPDATE meeting_attendance SET reply = 'absent', reason = '外出就医', checked_in_at = NULL WHERE "
            "meeting_id = $1 AND member_id IN (SELECT id FROM council_members WHERE name = '赵大爷')",
            past);
    auto items = store::agenda(tx, past);
    std::int64_t plan = items.at(0).i64("id"), cables = items.at(1).i64("id"), safety = items.at(2).i64("id");
    Millis at = opened;
    auto speech = [&](std::int64_t item, std::int64_t who, const char* side, int seconds) {
      auto id = store::insert_speech(tx, past, item, who, side, std::nullopt, at, 180000, std::nullopt, login("community_admin"));
      store::end_speech(tx, id, at + seconds * 1000LL);
      at += seconds * 1000LL + 20000;
    };
    speech(plan, leader, "pro", 170);
    speech(plan, chen, "con", 205);  // 25 s over
    speech(plan, rep, "pro", 150);
    speech(plan, property, "neutral", 120);
    store::insert_record(tx, past, plan, "violation", chen, std::string("no_interrupting"),
                         std::string("打断张楼长发言，主持人提醒后改正"), std::nullopt, login("community_admin"), at);
    auto vote = [&](std::int64_t item, std::int64_t f, std::int64_t a, std::int64_t s) {
      auto id = store::insert_vote(tx, {past, item, "hands", false, "more_than_half_present", 8, 9, login("community_admin")}, at);
      store::decide_vote(tx, id, f, a, s, f * 2 > 8, at + kMinute);
      at += 2 * kMinute;
    };
    vote(plan, 7, 1, 0);
    speech(cables, property, "pro", 160);
    speech(cables, grid, "neutral", 90);
    store::insert_record(tx, past, cables, "point_of_order", branch, std::nullopt,
                         std::string("施工时间应先征求底层住户意见"), std::string("主持人同意，纳入施工告知"),
                         login("community_admin"), at);
    vote(cables, 8, 0, 0);
    speech(safety, secretary, "neutral", 140);
    sign_unchecked(tx, past,
                   "会议通过泉星花园老旧小区改造方案（口袋公园、充电桩、扶手与防滑条）及线缆入地、管网改造的施工时间安排。"
                   "施工期间由楼长、网格员和居民监督员每日巡查，物业公司在各单元张贴施工告知。",
                   json::array{json::object{{"text", "口袋公园与充电桩选址在 1 号楼东侧空地，下月开工"}, {"owner", "红管家"}},
                               json::object{{"text", "施工前一周在各单元张贴告知，征求底层住户意见"}, {"owner", "张楼长"}},
                               json::object{{"text", "组织居民监督员每日巡查施工安全"}, {"owner", "网格员（演示）"}}},
                   login("community_admin"), held + 2 * kDay);
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
