// The demo street's topics (FND-6), in 泉星花园 and raised through the same
// commands as in the app: chargers for e-bikes, raised by the demo resident,
// put to the round table and adopted last month, now being carried out by the
// property company; motion-sensor lights in the stairwells, on next week's
// agenda; parking east of building 1, waiting for review with two supporters;
// square-dance music, declined with its reason.
#include <boost/json.hpp>

#include "api/module.h"
#include "auth/accounts.h"
#include "topics/topics.h"

namespace xh::topics {

namespace json = boost::json;

void load_demo(api::Context& ctx) {
  Topics topics(ctx.db, ctx.events);
  auto who = [&](const char* username) {
    return ctx.db.read([&](storage::Tx& tx) { return auth::principal_of(tx, username); });
  };
  auto actor = [](const api::Principal& p) { return api::Actor{p.user_id, p.username, "local"}; };
  auto id_of = [&](const char* sql) {
    return ctx.db.read([&](storage::Tx& tx) { return tx.query_one(sql)->i64("id"); });
  };
  auto resident = who("resident"), volunteer = who("volunteer"), leader = who("building_leader"),
       staff = who("community_admin");
  std::int64_t compound = id_of("SELECT id FROM places WHERE code = 'NC-QX-C1'");
  std::int64_t building = id_of("SELECT id FROM places WHERE code = 'NC-QX-C1-B1'");
  std::int64_t council = id_of("SELECT id FROM councils WHERE name = '泉星社区圆桌议事会'");
  std::int64_t held =
      id_of("SELECT id FROM meetings WHERE title = '泉星花园老旧小区改造方案议事会'");
  std::int64_t coming =
      id_of("SELECT id FROM meetings WHERE title = '泉星花园加装电梯意愿征集议事会'");
  std::int64_t property = id_of("SELECT id FROM orgs WHERE name = '山东双城环境服务有限公司'");
  auto raise = [&](const api::Principal& p, std::int64_t place, const char* title,
                   const char* body) {
    return topics
        .raise(p, actor(p),
               json::serialize(json::object{{"place_id", place}, {"title", title}, {"body", body}}),
               Lang::zh_CN)
        .at("id")
        .as_int64();
  };
  auto post = [&](const char* what, std::int64_t id, json::object body) {
    std::string text = json::serialize(body);
    if (std::string_view(what) == "review")
      topics.review(staff, actor(staff), id, text, Lang::zh_CN);
    if (std::string_view(what) == "decide")
      topics.decide(staff, actor(staff), id, text, Lang::zh_CN);
    if (std::string_view(what) == "update")
      topics.update(staff, actor(staff), id, text, Lang::zh_CN);
  };

  auto chargers = raise(
      resident, compound, "小区加装电动自行车充电桩",
      "小区电动自行车越来越多，楼道里充电、飞线充电很危险。建议在1号楼东侧空地集中建设充电桩，"
      "按次扫码付费。");
  topics.support(volunteer, actor(volunteer), chargers, true, Lang::zh_CN);
  topics.support(leader, actor(leader), chargers, true, Lang::zh_CN);
  post("review", chargers, {{"action", "accept"}, {"council_id", council}});
  post("decide", chargers,
       {{"outcome", "adopted"},
        {"text",
         "圆桌议事会表决通过：在1号楼东侧空地建设20个充电车位，随老旧小区改造一并施工，由物业公司负"
         "责建设和日常管理。"},
        {"meeting_id", held},
        {"carrier_org_id", property},
        {"carrier", "红管家"}});
  post("update", chargers,
       {{"text", "充电车位选址已确定，地面硬化完成，充电设备已进场。"}, {"progress", 60}});

  auto lights =
      raise(leader, building, "楼道照明改为声控灯",
            "1号楼楼道灯常亮，电费由住户分摊，晚上老人上下楼又嫌暗。建议全部换成声控节能灯。");
  topics.support(resident, actor(resident), lights, true, Lang::zh_CN);
  post("review", lights,
       {{"action", "accept"}, {"council_id", council}, {"meeting_id", coming}, {"minutes", 10}});

  auto parking = raise(volunteer, compound, "1号楼东侧停车难",
                       "晚上下班回来，1号楼东侧车位停满，车只能停在消防通道上。建议划定临时停车位，"
                       "错峰共享附近单位车位。");
  topics.support(resident, actor(resident), parking, true, Lang::zh_CN);
  topics.support(leader, actor(leader), parking, true, Lang::zh_CN);

  auto dance = raise(resident, compound, "小区广场舞音量过大",
                     "每晚七点到九点广场舞音响声音很大，影响老人和孩子休息。");
  post("review", dance,
       {{"action", "decline"},
        {"reason", "已作为诉求转物业办理：舞队同意音量减半、八点半前结束，请继续反映实际情况。"}});

  // Their days, as they happened: the chargers raised six weeks ago and decided at last month's
  // meeting.
  Millis now = now_ms();
  Millis meeting_day = ctx.db.read([&](storage::Tx& tx) {
    return tx.query_one("SELECT starts_at FROM meetings WHERE id = $1", held)->i64("starts_at");
  });
  ctx.db.write([&](storage::Tx& tx) {
    auto days = [&](std::int64_t topic, Millis raised, std::optional<Millis> reviewed,
                    std::optional<Millis> decided) {
      tx.exec(
          "UPDATE topics SET created_at = $2, reviewed_at = $3, decided_at = $4, updated_at = $5 "
          "WHERE id = $1",
          topic, raised, reviewed, decided, decided.value_or(reviewed.value_or(raised)));
      tx.exec(
          "UPDATE topic_updates SET created_at = $2 WHERE topic_id = $1 AND kind IN ('accepted', "
          "'merged', "
          "'declined')",
          topic, reviewed.value_or(raised));
      if (decided)
        tx.exec(
            "UPDATE topic_updates SET created_at = $2 WHERE topic_id = $1 AND kind IN ('decided', "
            "'rejected')",
            topic, *decided);
    };
    days(chargers, meeting_day - 14 * kDay, meeting_day - 10 * kDay, meeting_day + 2 * kHour);
    tx.exec("UPDATE topic_updates SET created_at = $2 WHERE topic_id = $1 AND kind = 'progress'",
            chargers, now - 5 * kDay);
    days(lights, now - 9 * kDay, now - 3 * kDay, std::nullopt);
    days(parking, now - 2 * kDay, std::nullopt, std::nullopt);
    days(dance, now - 20 * kDay, now - 18 * kDay, std::nullopt);
    tx.exec(
        "UPDATE topic_supports SET created_at = (SELECT created_at FROM topics WHERE id = "
        "topic_id) + $1",
        kHour);
  });
}

}  // namespace xh::topics
