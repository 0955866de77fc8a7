// The demo street's reports (FND-6): a few at every stage of the closed loop,
// filed and moved through the module's own commands by the demo logins; and
// half a year of history — orders phoned in, answered, resolved and closed
// over the past months, each at its own place and category (so none is a
// recurrence of another), their times then set back to when they happened,
// so that the scorecard, the trends and the response times mean something.
#include "api/module.h"
#include "core/random.h"
#include "core/time.h"
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

  // Half a year of history.
  struct Past {
    const char* code;
    const char* category;
    const char* text;
  };
  const std::vector<Past> history = {
      {"NC-QX-C1-B4", "dirty_hallway", "4号楼楼道堆放杂物"},      {"NC-QX-C1-B5", "lighting", "5号楼地下室灯不亮"},
      {"NC-QX-C1-B6", "tangled_cables", "6号楼外墙飞线"},         {"NC-QX-C2-B3", "water_leak", "3号楼顶楼漏雨"},
      {"NC-QX-C2-B5", "blocked_drain", "5号楼下水道返味"},        {"NC-QX-C2-B6", "broken_structure", "6号楼单元门闭门器坏了"},
      {"NC-QX-C3-B1", "greenery", "星光苑1号楼前树枝遮挡路灯"},   {"NC-QX-C3-B4", "lift", "4号楼电梯异响"},
      {"NC-QX-C3-B5", "clutter", "5号楼车棚堆放废旧家具"},        {"NC-QX-C3-B6", "dirty_hallway", "6号楼楼道有小广告和污渍"},
      {"NC-GSH-C2-B1", "lighting", "河畔人家1号楼楼道灯坏了"},    {"NC-GSH-C2-B2", "water_leak", "2号楼暖气管道渗水"},
      {"NC-GSH-C2-B3", "tangled_cables", "3号楼电线杂乱"},        {"NC-GSH-C2-B4", "blocked_drain", "4号楼雨水井堵塞"},
      {"NC-GSH-C2-B5", "broken_structure", "5号楼楼梯扶手松动"},  {"NC-GSH-C2-B6", "clutter", "6号楼楼道堆放纸箱"},
      {"NC-GSH-C3-B1", "lift", "工人新村北区1号楼电梯停运"},      {"NC-GSH-C3-B2", "greenery", "2号楼绿地杂草丛生"},
      {"NC-GSH-C3-B3", "dirty_hallway", "3号楼楼道垃圾未清"},     {"NC-GSH-C3-B4", "lighting", "4号楼声控灯失灵"},
      {"NC-GSH-C3-B5", "water_leak", "5号楼水表井漏水"},          {"NC-GSH-C3-B6", "broken_structure", "6号楼窗户玻璃破损"},
  };
  struct Done {
    std::int64_t id;
    int days_ago;
    double answer_h, resolve_h;
    int rating;
  };
  std::vector<Done> done;
  SplitMix64 dice(20261207);
  for (std::size_t i = 0; i < history.size(); ++i) {
    const auto& h = history[i];
    // Across two communities: the street office takes every step.
    auto id = file(street, h.category, h.code, h.text, OnBehalf{"居民来电", std::nullopt, "phone"});
    steps(id, street, {"accept", "dispatch", "start"});
    steps(id, street, {"resolve"}, "已处理完毕");
    steps(id, street, {"verify", "close"});
    // Spread over the past six months; most answered within hours, a few late.
    int days_ago = 5 + static_cast<int>(i * 170 / history.size()) + static_cast<int>(dice.next() % 5);
    double answer_h = 0.3 + static_cast<double>(dice.next() % 60) / 10.0;
    double resolve_h = answer_h + 4 + static_cast<double>(dice.next() % 600) / 10.0;
    int rating = 3 + static_cast<int>(dice.next() % 3);
    done.push_back({id, days_ago, answer_h, resolve_h, rating});
  }
  // When it happened: the order's times and its timeline set back together.
  ctx.db.write([&](storage::Tx& tx) {
    Millis now = now_ms();
    for (const auto& d : done) {
      Millis filed = now - d.days_ago * kDay - 3 * kHour;
      Millis answered = filed + static_cast<Millis>(d.answer_h * kHour);
      Millis resolved = filed + static_cast<Millis>(d.resolve_h * kHour);
      Millis verified = resolved + 6 * kHour, closed = verified + 2 * kHour;
      tx.exec("UPDATE work_orders SET created_at = $2, accepted_at = $3, resolved_at = $4, "
              "closed_at = $5, updated_at = $5, "
              "deadline_at = CAST($2 AS BIGINT) + CAST(deadline_hours AS BIGINT) * 3600000, "
              "rating = $6 WHERE id = $1",
              d.id, filed, answered, resolved, closed, d.rating);
      const std::vector<std::pair<const char*, Millis>> at = {
          {"file", filed},          {"accept", answered},       {"dispatch", answered + 10 * kMinute},
          {"assign", answered + 10 * kMinute}, {"start", answered + kHour}, {"resolve", resolved},
          {"verify", verified},     {"close", closed}};
      for (const auto& [action, when] : at)
        tx.exec("UPDATE wo_events SET at = $3 WHERE order_id = $1 AND action = $2", d.id,
                std::string(action), when);
    }
  });
}

}  // namespace xh::workorders
