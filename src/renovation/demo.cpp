// The demo street's renovation (FND-6): 泉星花园's old-compound renovation,
// run through the same commands as in the app and now at its construction
// stage — publicity sent, the intention vote passed (on paper, some by
// written proxy), two plan options and the plan vote passed, a resident
// supervisor, the week's inspection logs and one defect still open with the
// contractor.
#include <boost/json.hpp>

#include "api/module.h"
#include "auth/accounts.h"
#include "renovation/renovations.h"
#include "votes/owner_votes.h"

namespace xh::renovation {

namespace json = boost::json;

void load_demo(api::Context& ctx) {
  Renovations rn(ctx.db, ctx.events);
  auto who = [&](const char* username) {
    return ctx.db.read([&](storage::Tx& tx) { return auth::principal_of(tx, username); });
  };
  auto actor = [](const api::Principal& p) { return api::Actor{p.user_id, p.username, "local"}; };
  auto id_of = [&](const char* sql) {
    return ctx.db.read([&](storage::Tx& tx) { return tx.query_one(sql)->i64("id"); });
  };
  auto staff = who("community_admin"), street = who("street_admin"),
       leader = who("building_leader"), resident = who("resident");
  auto as = [&](const api::Principal& p, auto method, std::int64_t id, json::object body) {
    return (rn.*method)(p, actor(p), id, json::serialize(body), Lang::zh_CN);
  };
  std::int64_t compound = id_of("SELECT id FROM places WHERE code = 'NC-QX-C1'");
  std::int64_t contractor = id_of("SELECT id FROM orgs WHERE name = '山东双城环境服务有限公司'");
  Millis now = now_ms(), day = beijing_day_start(now);

  auto project =
      rn.create(staff, actor(staff),
                json::serialize(json::object{
                    {"place_id", compound},
                    {"title", "泉星花园老旧小区改造"},
                    {"description",
                     "2001年建成的6栋多层住宅：增设口袋公园和电动车充电桩，楼道加装扶手和防滑条，"
                     "架空线缆入地，更换雨污管网，屋面防水与外墙保温。"},
                    {"items", json::array{"pocket_park", "ev_chargers", "handrails", "anti_slip",
                                          "cable_burial", "pipe_network", "waterproofing"}},
                    {"contractor_org_id", contractor}}),
                Lang::zh_CN)
          .at("id")
          .as_int64();
  as(staff, &Renovations::notify, project,
     {{"text",
       "泉星花园老旧小区改造即将启动，改造内容和效果图已在各单元公示栏张贴。下周起开展入户意愿征集"
       "，请各位业主参与表决。"}});
  as(staff, &Renovations::advance, project, {{"note", "公示栏、业主群、入户宣传均已完成"}});

  // The owners' votes, counted as Article 278 counts them (most on paper, some by written proxy).
  auto held = [&](const char* title, Millis opened, int ballots, int disagree, int proxies) {
    return ctx.db.write([&](storage::Tx& tx) {
      return votes::demo_vote(tx, ctx.events,
                              {compound, title, "rebuild_or_renovate", opened, opened + 7 * kDay,
                               ballots, disagree, proxies, staff.user_id, street.user_id, true});
    });
  };
  auto intention = held("泉星花园老旧小区改造意愿征集", day - 48 * kDay, 188, 17, 12);
  as(staff, &Renovations::link_vote, project,
     {{"stage", "intention"}, {"owner_vote_id", intention}});
  as(staff, &Renovations::advance, project, {});

  auto plan_a = as(
      staff, &Renovations::add_option, project,
      {{"title", "方案一：全面改造"},
       {"description", "口袋公园、充电桩、扶手与防滑条、线缆入地、雨污管网、屋面防水与外墙保温"}});
  as(staff, &Renovations::add_option, project,
     {{"title", "方案二：基础改造"}, {"description", "仅线缆入地与雨污管网"}});
  auto option = plan_a.at("options").at(0).at("id").as_int64();
  rn.choose_option(staff, actor(staff), project, option, Lang::zh_CN);
  auto plan = held("泉星花园老旧小区改造方案表决", day - 36 * kDay, 181, 24, 8);
  as(staff, &Renovations::link_vote, project, {{"stage", "plan"}, {"owner_vote_id", plan}});
  as(staff, &Renovations::advance, project, {{"note", "圆桌议事会讨论通过方案一，业主表决通过"}});

  // Construction: a resident supervisor, the inspections, a defect with the contractor.
  as(staff, &Renovations::add_supervisor, project, {{"username", "resident"}});
  as(staff, &Renovations::inspect, project,
     {{"text", "施工区域围挡完整，脚手架安全网齐全，施工人员均佩戴安全帽。"}});
  as(leader, &Renovations::inspect, project,
     {{"text", "1号楼线缆入地沟槽已回填，路面临时恢复，居民出行无障碍。"}});
  as(resident, &Renovations::inspect, project,
     {{"text", "2号楼2单元新装防滑条有两处翘起，老人上下楼容易绊倒。"},
      {"defect",
       {{"title", "2号楼2单元防滑条翘起"},
        {"deadline_at", w3c_beijing(day + 3 * kDay + 18 * kHour)}}}});

  // Their days, as they happened: opened two months ago, each stage closed after its vote.
  ctx.db.write([&](storage::Tx& tx) {
    tx.exec("UPDATE renovation_projects SET created_at = $2 WHERE id = $1", project,
            day - 60 * kDay);
    tx.exec("UPDATE renovation_notices SET created_at = $2 WHERE project_id = $1", project,
            day - 58 * kDay + 10 * kHour);
    auto moved = [&](const char* stage, const char* move, Millis at) {
      tx.exec(
          "UPDATE renovation_stage_moves SET created_at = $4 WHERE project_id = $1 AND stage = $2 "
          "AND move = $3",
          project, std::string(stage), std::string(move), at);
    };
    moved("publicity", "entered", day - 60 * kDay);
    moved("publicity", "closed", day - 50 * kDay);
    moved("intention", "entered", day - 50 * kDay);
    moved("intention", "closed", day - 40 * kDay);
    moved("plan", "entered", day - 40 * kDay);
    moved("plan", "closed", day - 28 * kDay);
    moved("construction", "entered", day - 28 * kDay);
    tx.exec("UPDATE renovation_plan_options SET created_at = $2 WHERE project_id = $1", project,
            day - 39 * kDay);
    tx.exec(
        "UPDATE renovation_inspections SET created_at = $2 + id * 7200000 WHERE project_id = $1",
        project, day - 2 * kDay + 8 * kHour);
  });
}

}  // namespace xh::renovation
