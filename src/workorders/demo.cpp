// The demo street's reports (FND-6): a few at every stage of the closed loop,
// filed and moved through the module's own commands by the demo logins.
#include "api/module.h"
#include "auth/accounts.h"
#include "places/places.h"
#include "workorders/workorders.h"

namespace xh::workorders {

void load_demo(api::Context& ctx) {
  WorkOrders wo(ctx.db, ctx.cipher, ctx.data_dir + "/photos", ctx.events);
  auto who = [&](const std::string& username) {
    return ctx.db.read([&](storage::Tx& tx) { return auth::principal_of(tx, username); });
  };
  auto place = [&](const std::string& code) {
    return ctx.db.read([&](storage::Tx& tx) {
      return tx.query_one("SELECT id FROM places WHERE code = $1", code)->i64("id");
    });
  };
  auto actor = [](const api::Principal& p) { return api::Actor{p.user_id, p.username, "127.0.0.1"}; };
  auto resident = who("resident"), leader = who("building_leader"), grid = who("grid_worker"),
       community = who("community_admin"), property = who("property_staff"),
       street = who("street_admin");
  auto file = [&](const api::Principal& p, const char* category, const char* code, const char* text,
                  std::optional<OnBehalf> on_behalf = std::nullopt) {
    Report r;
    r.category = category;
    r.place_id = place(code);
    r.text = text;
    r.on_behalf = std::move(on_behalf);
    return wo.file_report(p, actor(p), r, Lang::zh_CN).at("id").as_int64();
  };
  auto steps = [&](std::int64_t id, const api::Principal& p,
                   std::initializer_list<const char*> actions, const char* note = nullptr) {
    for (const char* a : actions) {
      StepInput in;
      if (note) in.note = note;
      wo.take_step(p, actor(p), id, a, in, Lang::zh_CN);
    }
  };
  auto hallway =
      file(resident, "dirty_hallway", "NC-QX-C1-B1", "1号楼1单元楼道堆放纸箱杂物，还贴了不少小广告");
  steps(hallway, property, {"accept", "dispatch", "start"});
  steps(hallway, property, {"resolve"}, "已清理楼道杂物并铲除小广告");
  steps(hallway, grid, {"verify"});
  steps(hallway, community, {"close"});
  wo.rate(resident, actor(resident), hallway, 5, std::string("红管家处理很及时"), Lang::zh_CN);

  auto cables = file(resident, "tangled_cables", "NC-QX-C1-B2", "2号楼外墙飞线缠绕，雨天有安全隐患");
  steps(cables, property, {"accept", "dispatch", "start"}, "已联系通信运营商共同整治");
  file(leader, "small_ads", "NC-QX-C1-B1", "单元门和电梯间又贴满了开锁、通下水道小广告");
  auto drain = file(grid, "blocked_drain", "NC-QX-C2-B1", "楼前下水道堵塞，污水外溢");
  steps(drain, community, {"accept"});
  auto window = file(community, "broken_structure", "NC-QX-C3-B2", "3号楼2单元二楼楼道窗户玻璃破损",
                     OnBehalf{"刘桂兰", std::string("13905310001"), "phone"});
  steps(window, community, {"accept", "dispatch"});
  auto light = file(resident, "lighting", "NC-QX-C1-B1", "1单元三楼楼道声控灯不亮");
  steps(light, property, {"accept", "dispatch", "start"});
  steps(light, property, {"resolve"}, "已更换声控灯");
  file(street, "clutter", "NC-GSH-C1", "工商河小区车棚内堆放废旧自行车");
}

}  // namespace xh::workorders
