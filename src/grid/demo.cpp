// The demo's grid work: the epidemic-time door-to-door campaign over 泉星花园
// (December 2022), every household given an outcome by the grid workers and
// closed; a campaign under way in 第一网格 (gas safety, with a short form);
// and this morning's patrol of 第一网格 by the demo grid worker, two
// buildings visited, an event resolved on the spot and one open.
#include <boost/json.hpp>

#include "api/module.h"
#include "auth/accounts.h"
#include "grid/grid.h"

namespace xh::grid {

namespace json = boost::json;
using storage::Tx;

void load_demo(api::Context& ctx) {
  GridWork gw(ctx.db, ctx.cipher, ctx.events);
  Campaigns cs(ctx.db, ctx.events);
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
  auto staff = who("community_admin"), grid = who("grid_worker");

  // ---- the epidemic-time campaign, December 2022 ----
  auto epidemic = cs.create(staff, actor(staff),
                            json::serialize(json::object{
                                {"title", "疫情防控入户排查"},
                                {"description", "逐户摸排常住人口、重点人群和健康状况，做到不漏一户、不落一人"},
                                {"place_id", place("NC-QX")},
                                {"form", json::array{{{"key", "elderly"}, {"label", "有 60 岁以上老人"}, {"type", "yesno"}},
                                                     {{"key", "health"}, {"label", "健康状况"}, {"type", "choice"},
                                                      {"options", json::array{"正常", "发热", "居家观察"}}}}},
                                {"select", {{"place_ids", json::array{place("NC-QX-C1")}}}}}))
                      .at("id")
                      .as_int64();
  ctx.db.write([&](Tx& tx) {
    Millis start = *parse_w3c("2022-12-05T09:00:00+08:00");
    std::int64_t k = 0;
    for (const auto& h : tx.query(
             "SELECT household_id FROM campaign_households WHERE campaign_id = $1 ORDER BY "
             "household_id",
             epidemic)) {
      const char* outcome = k % 29 == 7 ? "refused" : k % 17 == 3 ? "follow_up" : "visited";
      const char* note = std::string(outcome) == "follow_up" ? "独居老人，需每日电话问候" : nullptr;
      json::object answers{{"elderly", k % 3 == 0}, {"health", k % 23 == 5 ? "居家观察" : "正常"}};
      tx.exec(
          "UPDATE campaign_households SET outcome = $3, note = $4, answers = $5, visits = $6, "
          "visited_by = $7, visited_at = $8 WHERE campaign_id = $1 AND household_id = $2",
          epidemic, h.i64("household_id"), outcome, note ? std::optional<std::string>(note) : std::nullopt,
          json::serialize(answers), k % 5 == 0 ? 2 : 1, grid.user_id, start + k * 20 * kMinute);
      ++k;
    }
    tx.exec("UPDATE campaigns SET status = 'closed', created_at = $2, closed_at = $3 WHERE id = $1",
            epidemic, start - kDay, start + 10 * kDay);
  });

  // ---- under way: gas safety in 第一网格 (泉星花园1、2号楼) ----
  cs.create(staff, actor(staff),
            json::serialize(json::object{
                {"title", "燃气安全入户宣传"},
                {"description", "入户检查燃气软管、报警器，发放燃气安全告知书"},
                {"place_id", place("NC-QX")},
                {"form", json::array{{{"key", "hose"}, {"label", "软管是否老化"}, {"type", "yesno"}},
                                     {{"key", "alarm"}, {"label", "报警器"}, {"type", "choice"},
                                      {"options", json::array{"已安装", "未安装", "已损坏"}}}}},
                {"select", {{"place_ids", json::array{place("NC-QX-C1-B1"), place("NC-QX-C1-B2")}}}}}));

  // ---- this morning's patrol ----
  auto patrol = gw.start(grid, actor(grid), "{}").at("id").as_int64();
  gw.track(grid, patrol,
           json::serialize(json::object{{"points", json::array{{{"lat", 36.6951}, {"lng", 116.9978}},
                                                               {{"lat", 36.6955}, {"lng", 116.9984}},
                                                               {{"lat", 36.6960}, {"lng", 116.9990}}}}}));
  for (const char* b : {"NC-QX-C1-B1", "NC-QX-C1-B2"})
    gw.visit(grid, patrol, json::serialize(json::object{{"place_id", place(b)}}));
  auto fixed = gw.report(grid, actor(grid),
                         json::serialize(json::object{{"place_id", place("NC-QX-C1-B1")},
                                                      {"kind", "hazard"},
                                                      {"text", "1号楼楼道堆放纸箱，已劝导住户清理"},
                                                      {"patrol_id", patrol}}));
  gw.resolve(grid, actor(grid), fixed.at("id").as_int64());
  gw.report(grid, actor(grid),
            json::serialize(json::object{{"place_id", place("NC-QX-C1-B2")},
                                         {"kind", "facility"},
                                         {"text", "2号楼单元门禁损坏，待物业维修"},
                                         {"patrol_id", patrol}}));
  gw.finish(grid, actor(grid), patrol, R"({"note":"第一网格早间巡查"})");
}

}  // namespace xh::grid
