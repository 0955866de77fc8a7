// The demo's events: the 7th community festival (“漱玉平民杯”第七届社区文化节)
// at three of its stops — 成丰社区 two weeks ago, finished, with its results
// and prizes handed out; 泉星社区 today, live, its queues calling; 工商河社区 in
// two weeks, open for registration — with its five fitness challenges and the
// pharmacy's health house; the Red Partner invitation ceremony with its
// thirty invited organisations answering; and two honours rounds: 最美抗疫集体
// open for the vote and the 双星双优网格 evaluation taking nominations.
#include <boost/json.hpp>

#include "api/module.h"
#include "auth/accounts.h"
#include "core/random.h"
#include "events/events.h"
#include "events/shared.h"
#include "partners/partners.h"

namespace xh::events {

namespace json = boost::json;

namespace {

// Thirty organisations of the street, as a ceremony invites them: the demo's
// partners and these.
const char* const kMoreOrgs[][2] = {
    {"漱玉平民大药房（南村店）", "company"},      {"齐鲁晚报·齐鲁壹点", "company"},
    {"南村社区卫生服务站", "institution"},         {"工人新村南村小学", "school"},
    {"南村街道中心幼儿园", "school"},             {"济南市第五十中学", "school"},
    {"中国银行济南天桥支行", "company"},           {"国网济南天桥供电中心", "institution"},
    {"济南公交第三分公司", "company"},             {"天桥区消防救援大队南村站", "institution"},
    {"济南市天桥区图书馆南村分馆", "institution"}, {"山东新华书店工人新村店", "company"},
    {"银座超市工人新村店", "company"},             {"济南港华燃气天桥营业所", "company"},
    {"济南水务天桥供水所", "institution"},         {"天桥区人民法院南村法官工作室", "institution"},
    {"南村派出所", "institution"},                 {"泉城律师事务所", "social_org"},
    {"天桥区老年大学南村教学点", "school"},       {"济南爱心助老服务中心", "social_org"},
    {"工人新村商会", "social_org"},                {"鲁能物业南村项目部", "property_company"},
};

const char* const kSurnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗";
const char* const kGiven[] = {"桂兰", "建国", "秀英", "志强", "丽华", "海燕", "春生", "雅琪",
                              "子涵", "浩然", "淑珍", "国庆", "红梅", "晓东", "玉芬", "明轩"};

std::string name_of(SplitMix64& dice) {
  std::string surnames = kSurnames;
  auto k = dice.next() % (surnames.size() / 3);
  return surnames.substr(k * 3, 3) + kGiven[dice.next() % 16];
}

// Beijing's today at hh:00, moved by `days`.
Millis beijing_at(int days, int hour) {
  return beijing_day_start(now_ms()) + days * kDay + hour * kHour;
}

std::string w3c(Millis at) { return w3c_beijing(at); }

}  // namespace

void load_demo(api::Context& ctx) {
  Events ev(ctx.db, ctx.cipher, ctx.events);
  Honours hs(ctx.db, ctx.events);
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
  auto street_admin = who("street_admin");
  auto sa = actor(street_admin);
  SplitMix64 dice(20220601);

  // ---- the organisations, and the pharmacy that runs the health house ----
  std::int64_t pharmacy = 0;
  ctx.db.write([&](Tx& tx) {
    auto street = place("NC");
    for (const auto& o : kMoreOrgs) {
      partners::OrgFields f;
      f.name = o[0];
      f.kind = o[1];
      f.place_id = street;
      auto id = partners::create_org_unchecked(tx, api::Actor::system(), f).id;
      if (std::string(o[0]).rfind("漱玉", 0) == 0) pharmacy = id;
    }
  });

  // ---- the festival ----
  Millis now = now_ms();
  // Today's stop runs 09:00–21:00 Beijing; loaded outside those hours, it runs around now.
  Millis today_start = beijing_at(0, 9), today_end = beijing_at(0, 21);
  if (now < today_start + kHour || now > today_end - 2 * kHour) {
    today_start = (now / kHour) * kHour - 2 * kHour;
    today_end = today_start + 12 * kHour;
  }
  json::array dates{
      {{"place_id", place("NC-CF")}, {"venue", "成丰花园中心广场"}, {"starts_at", w3c(beijing_at(-14, 9))},
       {"ends_at", w3c(beijing_at(-14, 21))}, {"capacity", 300}},
      {{"place_id", place("NC-QX")}, {"venue", "泉星花园文化广场"}, {"starts_at", w3c(today_start)},
       {"ends_at", w3c(today_end)}, {"capacity", 300}},
      {{"place_id", place("NC-GSH")}, {"venue", "工商河小区健身广场"}, {"starts_at", w3c(beijing_at(14, 9))},
       {"ends_at", w3c(beijing_at(14, 21))}, {"capacity", 300}}};
  auto festival = ev.create(street_admin, sa,
                            json::serialize(json::object{
                                {"place_id", place("NC")},
                                {"kind", "festival"},
                                {"title", "“漱玉平民杯”第七届社区文化节"},
                                {"description",
                                 "倡导全民运动，共筑健康生活。走进 30 个社区，每站两天、早九点至晚九点："
                                 "行动系统健康科普小屋免费检测，耐力、柔韧、平衡、力量、敏捷五项挑战，"
                                 "闯关成功可到领奖处领取小礼品。"},
                                {"audience", "residents"},
                                {"dates", dates}}))
                      .at("id")
                      .as_int64();
  struct StationPlan {
    const char* name;
    const char* type;
    bool required;
  };
  const std::vector<StationPlan> stations = {
      {"耐力挑战（登山机）", "count", true},  {"柔韧挑战（避障通道）", "pass", true},
      {"平衡掌控（滚动仓）", "duration", true}, {"力量挑战（击锤）", "points", true},
      {"敏捷挑战（追灯）", "time", true},       {"骨骼健康检测", "check", false}};
  std::vector<std::int64_t> station_ids;
  auto partner_admin = who("partner_admin");
  for (const auto& s : stations) {
    json::object body{{"name", s.name}, {"score_type", s.type}, {"required", s.required}};
    if (std::string(s.type) == "check") body["org_id"] = pharmacy;
    // 睿星教育's volunteer runs the strength challenge (the partner's contact scores there).
    if (std::string(s.type) == "points") body["operator_ids"] = json::array{partner_admin.user_id};
    station_ids.push_back(
        ev.add_station(street_admin, sa, festival, json::serialize(body)).at("id").as_int64());
  }
  auto prize = ev.add_prize(street_admin, sa, festival,
                            R"({"name": "健康运动礼包（跳绳、毛巾）", "stock": 200})")
                   .at("id")
                   .as_int64();
  ev.add_prize(street_admin, sa, festival, R"({"name": "漱玉平民大药房钙片（小盒）", "stock": 100})");
  ev.update(street_admin, sa, festival, R"({"status": "published"})");

  std::vector<std::int64_t> date_ids;
  ctx.db.read([&](Tx& tx) {
    for (const auto& d : tx.query("SELECT id FROM event_dates WHERE event_id = $1 ORDER BY starts_at",
                                  festival))
      date_ids.push_back(d.i64("id"));
  });

  // The finished stop at 成丰社区: 46 came, most cleared the stations, prizes handed out.
  ctx.db.write([&](Tx& tx) {
    auto d = *date_row(tx, date_ids[0]);
    Millis start = d.i64("starts_at");
    std::int64_t completed = 0;
    for (int k = 0; k < 46; ++k) {
      Millis at = start + 20 * kMinute + k * 14 * kMinute;
      auto rid = tx.query_one(
                       "INSERT INTO event_registrations (event_id, date_id, path, name, status, "
                       "walk_in, public_name, code, checked_in_at, created_at, updated_at) VALUES "
                       "($1, $2, $3, $4, 'registered', $5, $6, $7, $8, $8, $8) RETURNING id",
                       festival, date_ids[0], d.str("path"), name_of(dice), k % 3 == 0 ? 1 : 0,
                       k % 4 == 0 ? 1 : 0, new_code(), at)
                     ->i64("id");
      int done = k % 7 == 6 ? 3 : 5;  // one in seven left after three challenges
      for (int s = 0; s < done; ++s) {
        std::optional<std::int64_t> value;
        switch (s) {
          case 0: value = (40 + dice.next() % 80) * 100; break;        // 40–119 steps
          case 1: value = dice.next() % 6 == 0 ? 0 : 100; break;       // passed
          case 2: value = (30 + dice.next() % 31) * 100; break;        // 30–60 s held
          case 3: value = (180 + dice.next() % 800) * 100; break;       // 180–979 points
          case 4: value = static_cast<std::int64_t>(800 + dice.next() % 1500); break;  // 8–23 s
        }
        tx.exec("INSERT INTO event_scores (station_id, registration_id, date_id, value_x100, "
                "scored_by, scored_at) VALUES ($1, $2, $3, $4, $5, $6)",
                station_ids[s], rid, date_ids[0], value, street_admin.user_id, at + (s + 1) * 6 * kMinute);
      }
      if (k % 5 == 0)
        tx.exec("INSERT INTO event_scores (station_id, registration_id, date_id, scored_by, "
                "scored_at) VALUES ($1, $2, $3, $4, $5)",
                station_ids[5], rid, date_ids[0], street_admin.user_id, at + 40 * kMinute);
      if (done == 5) {
        tx.exec("UPDATE event_registrations SET completed_at = $2 WHERE id = $1", rid, at + 30 * kMinute);
        tx.exec("INSERT INTO event_prize_awards (registration_id, prize_id, handed_by, handed_at) "
                "VALUES ($1, $2, $3, $4)",
                rid, prize, street_admin.user_id, at + 35 * kMinute);
        ++completed;
      }
    }
    tx.exec("UPDATE event_dates SET taken = 46, checked_in = 46 WHERE id = $1", date_ids[0]);
    tx.exec("UPDATE event_prizes SET stock = stock - $2, handed = handed + $2 WHERE id = $1", prize,
            completed);
  });

  // Today's stop at 泉星社区: the demo resident registered and checked in, two
  // challenges done; the health house and the strength challenge give numbers.
  auto resident = who("resident"), community_admin = who("community_admin");
  auto ca = actor(community_admin);
  auto ticket = ev.register_self(resident, actor(resident), date_ids[1], R"({"public_name": true})");
  auto code = std::string(ticket.at("code").as_string());
  ev.check_in(community_admin, ca, date_ids[1], json::serialize(json::object{{"code", code}}));
  ev.score(community_admin, ca, station_ids[0], json::serialize(json::object{{"code", code}, {"value", 86}}),
           Lang::zh_CN);
  ev.score(community_admin, ca, station_ids[1], json::serialize(json::object{{"code", code}, {"passed", true}}),
           Lang::zh_CN);
  for (int k = 0; k < 24; ++k) {
    auto w = ev.walk_in(community_admin, ca, date_ids[1],
                        json::serialize(json::object{{"name", name_of(dice)}, {"public_name", k % 3 == 0}}));
    auto c = std::string(w.at("code").as_string());
    for (int s = 0; s < 1 + k % 5; ++s) {
      json::object body{{"code", c}};
      if (s == 1) body["passed"] = k % 6 != 0;
      else if (s == 0) body["value"] = 50 + (k * 7) % 60;
      else if (s == 2) body["value"] = 30 + (k * 5) % 31;
      else if (s == 3) body["value"] = 240 + (k * 37) % 700;
      else body["value"] = 9.5 + (k % 9) * 1.25;
      ev.score(community_admin, ca, station_ids[s], json::serialize(body), Lang::zh_CN);
    }
  }
  auto house = ev.create_queue(street_admin, sa, date_ids[1],
                               json::serialize(json::object{{"name", "骨骼健康检测小屋"}, {"prefix", "A"},
                                                            {"station_id", station_ids[5]}}))
                   .at("id")
                   .as_int64();
  ev.create_queue(street_admin, sa, date_ids[1],
                  json::serialize(json::object{{"name", "力量挑战"}, {"prefix", "B"},
                                               {"station_id", station_ids[3]}}));
  for (int k = 0; k < 9; ++k) ev.take_number(community_admin, ca, house, R"({"print": true})");
  for (int k = 0; k < 4; ++k) ev.call_next(community_admin, ca, house);

  // ---- the Red Partner invitation ceremony, in ten days ----
  auto ceremony = ev.create(street_admin, sa,
                            json::serialize(json::object{
                                {"place_id", place("NC")},
                                {"kind", "ceremony"},
                                {"title", "“最美抗疫集体”“最美抗疫个人”座谈会暨“红色合伙人”邀约仪式"},
                                {"description", "共聚一堂，共叙情谊，共商合作，共谋发展。"},
                                {"audience", "organisations"},
                                {"dates", json::array{{{"place_id", place("NC")},
                                                       {"venue", "南村街道党群服务中心一楼会议室"},
                                                       {"starts_at", w3c(beijing_at(10, 9))},
                                                       {"ends_at", w3c(beijing_at(10, 11) + 30 * kMinute)},
                                                       {"capacity", 80},
                                                       {"waitlist", false}}}}}))
                      .at("id")
                      .as_int64();
  ev.update(street_admin, sa, ceremony, R"({"status": "published"})");
  auto ceremony_date = id_of("SELECT id FROM event_dates WHERE event_id = " + std::to_string(ceremony));
  json::array orgs;
  ctx.db.read([&](Tx& tx) {
    for (const auto& o : tx.query("SELECT id FROM orgs WHERE archived_at IS NULL ORDER BY id LIMIT 30"))
      orgs.push_back(o.i64("id"));
  });
  ev.invite(street_admin, sa, ceremony_date, json::serialize(json::object{{"org_ids", orgs}}));
  // Two in three have answered (the demo's partner 睿星教育 has not yet: its contact answers on the phone).
  ctx.db.write([&](Tx& tx) {
    std::int64_t k = 0, accepted = 0;
    for (const auto& r : tx.query("SELECT r.id, o.name FROM event_registrations r JOIN orgs o ON o.id "
                                  "= r.org_id WHERE r.date_id = $1 ORDER BY r.id",
                                  ceremony_date)) {
      ++k;
      if (r.str("name") == "睿星教育" || k % 3 == 0) continue;
      bool accept = k % 10 != 4;
      tx.exec("UPDATE event_registrations SET status = $2, party = $3 WHERE id = $1", r.i64("id"),
              accept ? "registered" : "declined", accept ? 1 + k % 3 : 1);
      if (accept) ++accepted;
    }
    tx.exec("UPDATE event_dates SET taken = $2 WHERE id = $1", ceremony_date, accepted);
  });

  // ---- honours ----
  auto round = hs.create(street_admin, sa,
                         json::serialize(json::object{
                             {"place_id", place("NC")},
                             {"title", "南村街道“最美抗疫集体”评选"},
                             {"kind", "collective"},
                             {"description", "表彰在疫情防控中挺身而出、守护社区的集体。每位居民可投 3 票，每户至多 6 票。"},
                             {"votes_per_voter", 3},
                             {"household_cap", 6}}))
                   .at("id")
                   .as_int64();
  struct Nominee {
    const char* name;
    const char* text;
  };
  const std::vector<Nominee> nominees = {
      {"睿星教育", "疫情防控中给予社区人力、物力支持，组织教师志愿者参与核酸检测秩序维护和物资配送。"},
      {"山东双城环境服务有限公司", "“红管家·服务365”：封控期间承担小区环境消杀、垃圾清运和生活物资配送。"},
      {"泉星社区网格员团队", "逐户摸排 216 户，做到不漏一户、不落一人，为独居老人每日电话问候。"},
      {"义工奶奶队", "风雨无阻守护学生上下学安全，疫情期间在小区门口协助测温、登记。"},
      {"河小工护河队", "封控期间转为物资配送志愿者，为行动不便的居民送菜送药。"}};
  for (const auto& n : nominees) {
    auto nid = hs.nominate(street_admin, sa, round,
                           json::serialize(json::object{{"name", n.name}, {"text", n.text}}))
                   .at("id")
                   .as_int64();
    hs.review(street_admin, sa, nid, R"({"approve": true})");
  }
  hs.set_status(street_admin, sa, round, R"({"status": "voting"})");

  auto grids = hs.create(street_admin, sa,
                         json::serialize(json::object{
                             {"place_id", place("NC")},
                             {"title", "2026 年度“双星双优”网格评选"},
                             {"kind", "grid"},
                             {"description", "按服务群众、矛盾化解、安全稳定、环境整治四项标准评分，并参考居民推荐。"},
                             {"residents_nominate", false},
                             {"criteria", json::array{{{"key", "service"}, {"label", "服务群众"}, {"max", 30}},
                                                      {{"key", "mediation"}, {"label", "矛盾化解"}, {"max", 25}},
                                                      {{"key", "safety"}, {"label", "安全稳定"}, {"max", 25}},
                                                      {{"key", "environment"}, {"label", "环境整治"}, {"max", 20}}}}}))
                   .at("id")
                   .as_int64();
  auto g1 = place("NC-QX-G1");
  auto nid = hs.nominate(street_admin, sa, grids,
                         json::serialize(json::object{{"name", "泉星社区第一网格"}, {"grid_id", g1},
                                                      {"text", "网格员每日巡查，入户走访覆盖率 100%，全年无安全事故。"}}))
                 .at("id")
                 .as_int64();
  hs.review(street_admin, sa, nid, R"({"approve": true})");
  hs.set_scores(street_admin, sa, nid,
                R"({"scores": {"service": 27, "mediation": 22, "safety": 24, "environment": 17}})");
}

}  // namespace xh::events
