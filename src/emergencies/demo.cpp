// The demo's flood season: the street's risk points (低洼易涝点, 下穿通道, the
// 西工商河 section on 河小工's route, a school, a station, a building site),
// the street's and 泉星社区's flood stores, the street's call-up list (the
// property company at every level, 河小工护河队 from III, 睿星教育 from II),
// and last July's flood emergency, run through the module's own commands and
// moved back in time: IV, raised to III, the grid worker's patrols done, the
// partners acknowledging, sandbags issued, ended (the rest cancelled) and summarised. No
// emergency is active: the demo's visitor declares one.
#include <boost/json.hpp>

#include "api/module.h"
#include "auth/accounts.h"
#include "emergencies/emergencies.h"
#include "emergencies/shared.h"

namespace xh::emergencies {

namespace json = boost::json;

void load_demo(api::Context& ctx) {
  RiskPoints rps(ctx.db, ctx.cipher);
  Emergencies es(ctx.db, ctx.events);
  Supplies ss(ctx.db, ctx.events);
  auto who = [&](const char* username) {
    return ctx.db.read([&](Tx& tx) { return auth::principal_of(tx, username); });
  };
  auto actor = [](const api::Principal& p) { return api::Actor{p.user_id, p.username, "local"}; };
  auto id_of = [&](const std::string& sql) {
    return ctx.db.read([&](Tx& tx) { return tx.query_one(sql)->i64("id"); });
  };
  auto place = [&](const char* code) {
    return id_of(std::string("SELECT id FROM places WHERE code = '") + code + "'");
  };
  auto org = [&](const char* name) {
    return id_of(std::string("SELECT id FROM orgs WHERE name = '") + name + "'");
  };
  auto street = who("street_admin"), grid = who("grid_worker"), property = who("property_staff"),
       volunteer = who("volunteer");
  auto nc = place("NC");

  // ---- risk points ----
  auto checkpoint = id_of(
      "SELECT c.id FROM patrol_checkpoints c JOIN patrol_routes r ON r.id = c.route_id WHERE "
      "r.name = '西工商河巡河路线' AND c.name = '北岸闸口'");
  auto river_team = id_of(
      "SELECT t.id FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id WHERE o.name = "
      "'河小工护河队'");
  struct Point {
    const char* kind;
    const char* name;
    const char* place;
    const char* grid;
    double lat, lng;
    const char* contact;
    const char* phone;
  };
  const std::vector<Point> points = {
      {"low_lying", "泉星花园地下车库入口", "NC-QX-C1", "NC-QX-G1", 36.6953, 116.9981, "泉星花园物业",
       "13905310021"},
      {"school", "睿星教育校区门前", "NC-QX", "NC-QX-G1", 36.6962, 117.0012, "颜红", "13905310001"},
      {"low_lying", "泉星小区北侧低洼路段", "NC-QX-C2", "NC-QX-G2", 36.6991, 117.0043, nullptr,
       nullptr},
      {"old_house", "星光苑老旧平房", "NC-QX-C3", "NC-QX-G3", 36.7012, 117.0075, nullptr, nullptr},
      {"river", "西工商河北岸闸口", "NC-GSH-C1", "NC-GSH-G1", 36.7035, 116.9952, nullptr, nullptr},
      {"underpass", "工商河桥下穿通道", "NC-GSH", "NC-GSH-G2", 36.7051, 116.9990, nullptr, nullptr},
      {"station", "北园大街公交站", "NC-GSH-C2", "NC-GSH-G2", 36.7068, 117.0031, nullptr, nullptr},
      {"construction", "南村东苑在建工地", "NC-NC-C1", "NC-NC-G1", 36.6921, 117.0102, nullptr,
       nullptr},
  };
  for (const auto& pt : points) {
    json::object body{{"kind", pt.kind}, {"name", pt.name}, {"place_id", place(pt.place)},
                      {"grid_id", place(pt.grid)}, {"lat", pt.lat}, {"lng", pt.lng}};
    if (pt.contact) body["contact_name"] = pt.contact;
    if (pt.phone) body["contact_phone"] = pt.phone;
    if (std::string(pt.kind) == "river") {
      body["team_id"] = river_team;
      body["checkpoint_id"] = checkpoint;
    }
    rps.create(street, actor(street), json::serialize(body), Lang::zh_CN);
  }

  // ---- the call-up list ----
  for (auto [name, level] : std::vector<std::pair<const char*, int>>{
           {"山东双城环境服务有限公司", 4}, {"河小工护河队", 3}, {"睿星教育", 2}})
    rps.add_callup(street, actor(street),
                   json::serialize(json::object{{"place_id", nc},
                                                {"hazard", "flood"},
                                                {"level", level},
                                                {"org_id", org(name)},
                                                {"minutes", 30}}));

  // ---- the stores ----
  auto store = [&](std::int64_t at, const char* name, const char* address) {
    return ss.create_warehouse(street, actor(street),
                               json::serialize(json::object{
                                   {"place_id", at}, {"name", name}, {"address", address}}))
        .at("id")
        .as_int64();
  };
  auto main_store = store(nc, "南村街道防汛物资仓库", "济南市天桥区南村街道办事处院内");
  auto qx_store = store(place("NC-QX"), "泉星社区防汛物资点", "泉星社区党群服务中心一楼");
  auto move = [&](json::object body) {
    return ss.move(street, actor(street), json::serialize(body), Lang::zh_CN);
  };
  for (auto [item, n] : std::vector<std::pair<const char*, int>>{
           {"sandbag", 600}, {"pump", 6}, {"raincoat", 80}, {"boots", 60}, {"torch", 60},
           {"lifejacket", 30}, {"shovel", 40}, {"cone", 50}})
    move({{"kind", "receive"}, {"warehouse_id", main_store}, {"item", item}, {"quantity", n},
          {"counterpart", "天桥区应急管理局"}});
  for (auto [item, n] :
       std::vector<std::pair<const char*, int>>{{"sandbag", 150}, {"raincoat", 20}, {"torch", 20}})
    move({{"kind", "transfer"}, {"warehouse_id", main_store}, {"to_warehouse_id", qx_store},
          {"item", item}, {"quantity", n}, {"note", "汛前预置"}});
  ss.set_threshold(street, actor(street), qx_store, "sandbag",
                   json::serialize(json::object{{"low_at", 50}}));
  ss.set_threshold(street, actor(street), main_store, "sandbag",
                   json::serialize(json::object{{"low_at", 200}}));

  // ---- last July's flood ----
  auto declared = es.declare(street, actor(street),
                             json::serialize(json::object{{"hazard", "flood"},
                                                          {"level", 4},
                                                          {"place_id", nc},
                                                          {"reason", "市防指发布防汛IV级应急响应"}}),
                             Lang::zh_CN);
  auto em_id = declared.at("id").as_int64();
  es.set_level(street, actor(street), em_id,
               json::serialize(json::object{{"level", 3}, {"reason", "暴雨黄色预警，河道水位上涨"}}),
               Lang::zh_CN);
  auto callups = es.callups(street, em_id, Lang::zh_CN);
  for (const auto& c : callups.at("items").as_array()) {
    std::string name(c.at("org").at("name").as_string());
    auto by = name == "河小工护河队" ? volunteer : property;
    if (name == "睿星教育") continue;
    es.acknowledge(by, actor(by), c.at("id").as_int64(),
                   json::serialize(json::object{{"people", name == "河小工护河队" ? 8 : 15}}),
                   Lang::zh_CN);
    es.arrive(by, actor(by), c.at("id").as_int64(), "{}", Lang::zh_CN);
  }
  // The grid worker walks their points; the river is patrolled by the team.
  auto open = es.tasks(grid, em_id, std::string("open"), api::Page{100, 0, true}, Lang::zh_CN);
  for (const auto& t : open.items)
    es.task_done(grid, actor(grid), t.at("id").as_int64(),
                 json::serialize(json::object{{"note", "已巡查，排水通畅，设置警示"}}), Lang::zh_CN);
  move({{"kind", "issue"}, {"warehouse_id", main_store}, {"item", "sandbag"}, {"quantity", 120},
        {"counterpart", "工商河桥下穿通道"}, {"emergency_id", em_id}});
  move({{"kind", "issue"}, {"warehouse_id", main_store}, {"item", "pump"}, {"quantity", 2},
        {"counterpart", "工商河桥下穿通道"}, {"emergency_id", em_id}});
  move({{"kind", "return"}, {"warehouse_id", main_store}, {"item", "pump"}, {"quantity", 2},
        {"counterpart", "工商河桥下穿通道"}, {"emergency_id", em_id}});
  es.set_level(street, actor(street), em_id,
               json::serialize(json::object{{"level", 4}, {"reason", "降雨减弱，水位回落"}}),
               Lang::zh_CN);
  es.end(street, actor(street), em_id,
         json::serialize(json::object{{"reason", "市防指解除防汛应急响应"}}), Lang::zh_CN);

  // Moved back to 10–16 July: every time of it shifted by the same amount,
  // the summary recomputed from the shifted records.
  ctx.db.write([&](Tx& tx) {
    auto em = *emergency_row(tx, em_id);
    Millis shift = em.i64("declared_at") - *parse_w3c("2026-07-10T08:00:00+08:00");
    // The steps 6 hours apart, as they were: declared, raised, patrols,
    // lowered, ended.
    auto spread = [&](const char* table, const char* column, const char* where) {
      tx.exec(std::string("UPDATE ") + table + " SET " + column + " = " + column +
                  " - $1 WHERE " + where + " AND " + column + " IS NOT NULL",
              shift, em_id);
    };
    spread("emergencies", "declared_at", "id = $2");
    spread("emergencies", "ended_at", "id = $2");
    spread("emergencies", "updated_at", "id = $2");
    spread("emergency_log", "at", "emergency_id = $2");
    for (const char* c : {"starts_at", "due_at", "done_at"})
      spread("emergency_tasks", c, "emergency_id = $2");
    for (const char* c : {"called_at", "due_at", "acknowledged_at", "arrived_at"})
      spread("callups", c, "emergency_id = $2");
    spread("supply_movements", "at", "emergency_id = $2");
    // Spread the log over the six days by its order, the end on the last.
    auto entries = tx.query("SELECT id FROM emergency_log WHERE emergency_id = $1 ORDER BY id", em_id);
    Millis step = entries.size() > 1 ? 6 * kDay / static_cast<Millis>(entries.size() - 1) : 0;
    std::int64_t k = 0;
    for (const auto& l : entries)
      tx.exec("UPDATE emergency_log SET at = $2 WHERE id = $1", l.i64("id"),
              em.i64("declared_at") - shift + (k++) * step);
    tx.exec("UPDATE emergencies SET ended_at = $2 WHERE id = $1", em_id,
            em.i64("declared_at") - shift + 6 * kDay);
    tx.exec("UPDATE emergency_tasks SET done_at = starts_at + $2 WHERE emergency_id = $1 AND "
            "done_at IS NOT NULL",
            em_id, 2 * kHour);
    tx.exec("UPDATE callups SET acknowledged_at = called_at + $2, arrived_at = called_at + $3 "
            "WHERE emergency_id = $1 AND acknowledged_at IS NOT NULL",
            em_id, 12 * kMinute, 50 * kMinute);
    tx.exec("DELETE FROM scheduled_jobs WHERE kind IN ('emergency.task_due', "
            "'emergency.callup_due') AND done_at IS NULL");
    em = *emergency_row(tx, em_id);
    tx.exec("UPDATE emergencies SET summary = $2 WHERE id = $1", em_id,
            json::serialize(compute_summary(tx, em, Lang::zh_CN, em.i64("ended_at"))));
  });
}

}  // namespace xh::emergencies
