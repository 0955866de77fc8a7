// The demo street's volunteers (FND-6), through the same commands as in the
// app: the demo resident, the demo volunteer and the two team leaders
// register with 泉星社区 and are confirmed; the seed's six teams are set up
// on their partners' organisations with their leaders; their activities
// recur as the seed tells (河小工 patrol the river every day at 06:30 and
// 18:00, 朝乐磨刀队 sharpen knives every Saturday at 09:00, 义工奶奶队 guard
// the school gate on weekdays at 07:30 and 16:30, 啄木鸟 check the
// stairwells monthly); 睿星教育's Party branch has registered with 泉星社区
// (双报到); and the resident patrolled the river three days ago, hours
// confirmed by the leader (so their record, certificate and points show it).
// For those in need: a micro-wish waiting for review and one published for
// anyone to claim; a haircut at home assigned to 花剪子理发队 and a weekly
// visit to an elder living alone by 泉心愿; the building leader is the 红管家
// of 泉星花园1号楼, the property company's steward of 2号楼. 河小工's river
// route has four checkpoints along the 西工商河, walked every 12 hours.
#include <boost/json.hpp>

#include "api/module.h"
#include "auth/accounts.h"
#include "volunteers/activities.h"
#include "volunteers/care.h"
#include "volunteers/patrols.h"
#include "volunteers/store.h"
#include "volunteers/volunteers.h"

namespace xh::volunteers {

namespace json = boost::json;

void load_demo(api::Context& ctx) {
  Volunteers vs(ctx.db, ctx.cipher, ctx.events);
  Activities as(ctx.db, ctx.cipher, ctx.events);
  auto who = [&](const char* username) {
    return ctx.db.read([&](storage::Tx& tx) { return auth::principal_of(tx, username); });
  };
  auto actor = [](const api::Principal& p) { return api::Actor{p.user_id, p.username, "local"}; };
  auto id_of = [&](const std::string& sql) {
    return ctx.db.read([&](storage::Tx& tx) { return tx.query_one(sql)->i64("id"); });
  };
  auto place = [&](const char* code) {
    return id_of(std::string("SELECT id FROM places WHERE code = '") + code + "'");
  };
  auto org = [&](const char* name) {
    return id_of(std::string("SELECT id FROM orgs WHERE name = '") + name + "'");
  };
  auto resident = who("resident"), volunteer = who("volunteer"), modao = who("modao"),
       lifa = who("lifa"), staff = who("community_admin"), street = who("street_admin"),
       partner = who("partner_admin");
  std::int64_t qx = place("NC-QX"), gsh = place("NC-GSH"), nc = place("NC"),
               garden = place("NC-QX-C1");

  // 双报到: 睿星教育's Party branch with 泉星社区.
  auto branch = vs.register_branch(partner, actor(partner),
                                   json::serialize(json::object{{"org_id", org("睿星教育")},
                                                                {"community_id", qx},
                                                                {"name", "睿星教育党支部"},
                                                                {"secretary", "颜红"}}),
                                   Lang::zh_CN)
                    .at("id")
                    .as_int64();

  auto enrol = [&](const api::Principal& p, json::object body) {
    auto id = vs.register_self(p, actor(p), json::serialize(body), Lang::zh_CN).at("id").as_int64();
    vs.review(staff, actor(staff), id, R"({"action":"confirm"})", Lang::zh_CN);
    return id;
  };
  auto v_resident = enrol(resident, {{"skills", json::array{"巡河", "环境卫生"}},
                                     {"availability", "工作日早晚、周末全天"},
                                     {"serves", json::array{garden}}});
  auto v_volunteer = enrol(volunteer, {{"community_id", qx},
                                       {"skills", json::array{"巡河", "急救"}},
                                       {"availability", "每天早晚"},
                                       {"branch_id", branch}});
  auto v_modao = enrol(modao, {{"community_id", qx},
                               {"skills", json::array{"磨刀", "修理"}},
                               {"availability", "每周六上午"}});
  auto v_lifa = enrol(
      lifa,
      {{"community_id", qx}, {"skills", json::array{"理发"}}, {"availability", "每月两次上门"}});

  auto team = [&](const char* name, std::int64_t at, const char* service,
                  std::optional<std::int64_t> leader, json::array places) {
    json::object body{{"org_id", org(name)},
                      {"place_id", at},
                      {"service", service},
                      {"places", std::move(places)}};
    if (leader) body["leader_id"] = *leader;
    return vs.create_team(street, actor(street), json::serialize(body), Lang::zh_CN)
        .at("id")
        .as_int64();
  };
  auto river = team("河小工护河队", gsh, "patrol", v_volunteer, {gsh});
  auto knives = team("朝乐磨刀队", nc, "repair", v_modao, {qx});
  auto grannies = team("义工奶奶队", qx, "school_safety", std::nullopt, {});
  team("花剪子理发队", nc, "home_care", v_lifa, {qx});
  auto wishes_team = team("泉心愿志愿服务队", qx, "wishes", std::nullopt, {});
  auto woodpecker = team("啄木鸟志愿服务队", nc, "hygiene", std::nullopt, {qx});
  auto join = [&](std::int64_t t, std::int64_t v) {
    vs.add_member(street, actor(street), t, json::serialize(json::object{{"volunteer_id", v}}),
                  Lang::zh_CN);
  };
  join(river, v_resident);
  join(wishes_team, v_resident);
  join(knives, v_volunteer);

  Millis now = now_ms();
  std::string today = w3c_beijing(now).substr(0, 10);
  std::string weeks_ago = w3c_beijing(now - 14 * kDay).substr(0, 10);
  auto activity = [&](const api::Principal& p, json::object body) {
    return as.create(p, actor(p), json::serialize(body), Lang::zh_CN).at("id").as_int64();
  };
  auto patrol =
      activity(volunteer,
               {{"team_id", river},
                {"title", "西工商河早晚巡河"},
                {"description", "沿西工商河巡查河道垃圾、违规垂钓和安全隐患，发现问题随手拍上报。"},
                {"place_id", gsh},
                {"address", "西工商河沿岸（工商河社区段）"},
                {"first_date", weeks_ago},
                {"times", json::array{"06:30", "18:00"}},
                {"duration_minutes", 60},
                {"rrule", "FREQ=DAILY"},
                {"capacity", 6},
                {"open_to_all", true}});
  activity(modao, {{"team_id", knives},
                   {"title", "义务磨刀磨剪子"},
                   {"description", "定时定点为居民义务磨刀、磨剪子。"},
                   {"place_id", qx},
                   {"address", "泉星社区党群服务中心门前"},
                   {"first_date", weeks_ago},
                   {"times", json::array{"09:00"}},
                   {"duration_minutes", 180},
                   {"rrule", "FREQ=WEEKLY;BYDAY=SA"},
                   {"capacity", 4}});
  activity(street, {{"team_id", grannies},
                    {"title", "校门口护学岗"},
                    {"description", "上学、放学时段在校门口维护秩序，守护学生安全。"},
                    {"place_id", qx},
                    {"address", "泉星小学校门口"},
                    {"first_date", weeks_ago},
                    {"times", json::array{"07:30", "16:30"}},
                    {"duration_minutes", 45},
                    {"rrule", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"},
                    {"capacity", 8},
                    {"open_to_all", true}});
  activity(street, {{"team_id", woodpecker},
                    {"title", "楼道环境卫生监督"},
                    {"description", "检查楼道杂物、小广告和保洁情况，发现问题及时反映。"},
                    {"place_id", garden},
                    {"first_date", today},
                    {"times", json::array{"09:00"}},
                    {"duration_minutes", 120},
                    {"rrule", "FREQ=MONTHLY;BYMONTHDAY=15"},
                    {"capacity", 10},
                    {"open_to_all", true}});

  // Three days ago at 06:30 the resident patrolled the river; the leader
  // confirmed the hour. The past cannot be signed up for through the app,
  // so its rows are written here, and the confirmation goes through the app.
  Millis day = now - 3 * kDay;
  Millis start = *parse_beijing_date(w3c_beijing(day).substr(0, 10)) + 6 * kHour + 30 * kMinute;
  auto signup = ctx.db.write([&](storage::Tx& tx) {
    auto occ = store::occurrence_at(tx, patrol, start, start + 60 * kMinute, 6);
    auto s = store::sign_up(tx, occ, v_resident, random_token(16), start - kDay);
    store::check_in(tx, s->id, std::nullopt, start - 5 * kMinute);
    store::check_out(tx, s->id, std::nullopt, start + 70 * kMinute, false);
    return s->id;
  });
  as.confirm(volunteer, actor(volunteer), signup, "{}", Lang::zh_CN);

  Patrols patrols(ctx.db, ctx.events);
  patrols.create_route(
      volunteer, actor(volunteer),
      json::serialize(json::object{
          {"team_id", river},
          {"name", "西工商河巡河路线"},
          {"place_id", gsh},
          {"every_hours", 12},
          {"window_minutes", 60},
          {"checkpoints", json::array{{{"name", "工商河桥"}, {"place_id", gsh}},
                                      {{"name", "北岸闸口"}, {"place_id", place("NC-GSH-C1")}},
                                      {{"name", "东段护栏"}, {"place_id", place("NC-GSH-C2")}},
                                      {{"name", "小区南门河段"}, {"place_id", place("NC-GSH-C3")}}}}}),
      Lang::zh_CN);

  // ---- those in need ----
  // Elders of 泉星社区 with a special-care tag (the people demo gives some 独居老人).
  auto elders = ctx.db.read([&](storage::Tx& tx) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx.query(
             "SELECT DISTINCT t.resident_id FROM resident_tags t JOIN household_members m ON "
             "m.resident_id = t.resident_id JOIN places c ON c.code = 'NC-QX' WHERE m.path LIKE "
             "c.path || '%' ORDER BY t.resident_id LIMIT 3"))
      out.push_back(r.i64("resident_id"));
    return out;
  });
  Wishes wishes(ctx.db, ctx.events);
  HomeServices services(ctx.db, ctx.events);
  Stewards stewards(ctx.db, ctx.events);
  if (elders.size() >= 2) {
    auto wish = [&](std::int64_t resident, const char* title, const char* text) {
      return wishes
          .post(staff, actor(staff),
                json::serialize(json::object{{"resident_id", resident}, {"title", title}, {"body", text}}),
                Lang::zh_CN)
          .at("id")
          .as_int64();
    };
    auto radio = wish(elders[0], "想修好老伴留下的收音机", "家里一台老式收音机坏了，是老伴留下的，想请人帮忙修好。");
    wishes.review(staff, actor(staff), radio,
                  json::serialize(json::object{{"action", "publish"},
                                               {"public_title", "修好一台老式收音机"},
                                               {"public_body", "一位独居老人希望有人帮忙修理家中的老式收音机。"}}),
                  Lang::zh_CN);
    wish(elders[1], "想要一副老花镜", "看报纸越来越吃力，想配一副老花镜。");
    auto haircut = services
                       .request(staff, actor(staff),
                                json::serialize(json::object{{"resident_id", elders[0]},
                                                             {"kind", "haircut"},
                                                             {"need", "行动不便，需上门理发，下午三点后在家"}}),
                                Lang::zh_CN)
                       .at("id")
                       .as_int64();
    auto barbers = id_of("SELECT t.id FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id WHERE o.name = '花剪子理发队'");
    services.assign(staff, actor(staff), haircut, json::serialize(json::object{{"team_id", barbers}}),
                    Lang::zh_CN);
    services.plan(staff, actor(staff),
                  json::serialize(json::object{{"resident_id", elders[1]},
                                               {"kind", "visit"},
                                               {"need", "每周探访独居老人，聊聊天、看看身体和家里水电"},
                                               {"team_id", wishes_team},
                                               {"every_days", 7},
                                               {"first_at", iso8601(now + kDay)}}),
                  Lang::zh_CN);
  }
  auto leader_user = who("building_leader").user_id, property = who("property_staff").user_id;
  stewards.assign(staff, actor(staff),
                  json::serialize(json::object{{"building_id", place("NC-QX-C1-B1")}, {"user_id", leader_user}}),
                  Lang::zh_CN);
  stewards.assign(staff, actor(staff),
                  json::serialize(json::object{{"building_id", place("NC-QX-C1-B2")}, {"user_id", property}}),
                  Lang::zh_CN);
}

}  // namespace xh::volunteers
