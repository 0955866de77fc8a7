// Risk points and emergencies (GRD-2, GRD-3): a level makes exactly the
// patrol tasks the frequency table says and a change of level cancels the
// ones it no longer needs — once, with two server processes changing it at
// the same moment; a task falls due, is missed and escalated, and the next
// round starts; a patrol's scan of a risk point's plate does its task; the
// partners on the call-up list are called at their level, acknowledge only
// as their organisation's contacts, and are escalated when silent — across a
// restart; supplies never go below zero, a transfer is both sides or
// neither, the ledger replays to the stock; scope.
#include <set>
#include <thread>

#include "api_test.h"
#include "support/pdf.h"

namespace xh::test {

namespace {

std::int64_t num(const json::value& v, const char* key) { return v.at(key).as_int64(); }

}  // namespace

class Emergencies : public ApiTest {
 protected:
  static void SetUpTestSuite() {
    server_ =
        std::make_unique<TestServer>(std::vector<std::string>{"--scheduler-interval-ms", "200"});
  }

  static std::int64_t declare(HttpClient& staff, const char* place, int level,
                              const char* hazard = "flood") {
    auto r = staff.post("/api/emergencies",
                        json::serialize(json::object{{"hazard", hazard},
                                                     {"level", level},
                                                     {"place_id", place_id(place)},
                                                     {"reason", "测试预警"}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? num(r.json(), "id") : 0;
  }
  static void end(HttpClient& staff, std::int64_t id) {
    auto r = staff.post("/api/emergencies/" + std::to_string(id) + "/end", R"({"reason":"解除"})");
    EXPECT_EQ(r.status, 200) << r.body;
  }
  static json::value level(HttpClient& staff, std::int64_t id, int to) {
    auto r = staff.post("/api/emergencies/" + std::to_string(id) + "/level",
                        json::serialize(json::object{{"level", to}, {"reason", "调整"}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  // The open tasks of an emergency: risk point name → every_hours.
  static std::map<std::string, std::int64_t> open_tasks(std::int64_t id) {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) {
      std::map<std::string, std::int64_t> out;
      for (const auto& r : tx.query(
               "SELECT rp.name, t.every_hours FROM emergency_tasks t JOIN risk_points rp ON rp.id "
               "= t.risk_point_id WHERE t.emergency_id = $1 AND t.status = 'open'",
               id))
        out[r.str(0)] += r.i64(1);
      return out;
    });
  }
  static std::int64_t count(const std::string& sql, std::int64_t id) {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) { return tx.query_one(sql, id)->i64(0); });
  }
};

TEST_F(Emergencies, ALevelMakesTheTasksItsTableSaysAndAChangeCancelsTheRest) {
  auto staff = as("community_admin");
  // 泉星社区's risk points: two low-lying areas, a school, an old house.
  auto id = declare(staff, "NC-QX", 4);
  // IV patrols low-lying areas every 24 hours, nothing else there.
  EXPECT_EQ(open_tasks(id), (std::map<std::string, std::int64_t>{{"泉星花园地下车库入口", 24},
                                                                  {"泉星小区北侧低洼路段", 24}}));
  // One emergency of a hazard at a place at a time.
  auto again = staff.post("/api/emergencies",
                          json::serialize(json::object{{"hazard", "flood"},
                                                       {"level", 2},
                                                       {"place_id", place_id("NC-QX")},
                                                       {"reason", "再次"}}));
  EXPECT_EQ(again.error_code(), "emergency.active");
  // III: the low-lying every 6 hours (their 24-hour tasks cancelled), the
  // school and the old house every 12.
  auto up = level(staff, id, 3);
  EXPECT_EQ(num(up, "tasks_created"), 4);
  EXPECT_EQ(num(up, "tasks_cancelled"), 2);
  EXPECT_EQ(open_tasks(id), (std::map<std::string, std::int64_t>{{"泉星花园地下车库入口", 6},
                                                                  {"泉星小区北侧低洼路段", 6},
                                                                  {"睿星教育校区门前", 12},
                                                                  {"星光苑老旧平房", 12}}));
  EXPECT_EQ(staff.post("/api/emergencies/" + std::to_string(id) + "/level",
                       R"({"level":3,"reason":"x"})")
                .error_code(),
            "emergency.same_level");
  // Back to IV: the school and the old house are no longer patrolled.
  auto down = level(staff, id, 4);
  EXPECT_EQ(num(down, "tasks_created"), 2);
  EXPECT_EQ(num(down, "tasks_cancelled"), 4);
  EXPECT_EQ(open_tasks(id).size(), 2u);
  // Bad input changes nothing.
  EXPECT_EQ(staff.post("/api/emergencies/" + std::to_string(id) + "/level",
                       R"({"level":0,"reason":"x"})")
                .error_code(),
            "emergency.bad_level");
  EXPECT_EQ(staff.post("/api/emergencies",
                       json::serialize(json::object{{"hazard", "volcano"},
                                                    {"level", 2},
                                                    {"place_id", place_id("NC-GSH")},
                                                    {"reason", "x"}}))
                .error_code(),
            "emergency.bad_hazard");
  end(staff, id);
  EXPECT_TRUE(open_tasks(id).empty());
  EXPECT_EQ(staff.post("/api/emergencies/" + std::to_string(id) + "/end", "{}").error_code(),
            "emergency.ended");
}

TEST_F(Emergencies, TwoProcessesChangingTheLevelAtOnceMakeTheTasksOnce) {
  auto staff = as("street_admin");
  auto id = declare(staff, "NC-GSH", 4);
  TestServer second(*server_, {"--scheduler-interval-ms", "200"});
  HttpClient other = second.client();
  ASSERT_EQ(other.login("street_admin", kDemoPassword).status, 200);
  for (int to : {2, 1, 3}) {
    HttpResponse a, b;
    std::thread t1([&] {
      HttpClient c = staff;
      a = c.post("/api/emergencies/" + std::to_string(id) + "/level",
                 json::serialize(json::object{{"level", to}, {"reason", "并发"}}));
    });
    std::thread t2([&] {
      HttpClient c = other;
      b = c.post("/api/emergencies/" + std::to_string(id) + "/level",
                 json::serialize(json::object{{"level", to}, {"reason", "并发"}}));
    });
    t1.join();
    t2.join();
    // One changes it; the other finds it at that level already.
    EXPECT_EQ((a.status == 200) + (b.status == 200), 1) << a.body << b.body;
    EXPECT_TRUE(a.error_code() == "emergency.same_level" || b.error_code() == "emergency.same_level")
        << a.body << b.body;
    // One open task a risk point, each at the level's pace.
    EXPECT_EQ(count("SELECT COUNT(*) FROM (SELECT risk_point_id FROM emergency_tasks WHERE "
                    "emergency_id = $1 AND status = 'open' GROUP BY risk_point_id HAVING COUNT(*) "
                    "> 1) x",
                    id),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM emergency_tasks WHERE emergency_id = $1 AND status = "
                    "'open' AND level <> (SELECT level FROM emergencies WHERE id = $1)",
                    id),
              0);
  }
  // 工商河社区's four points are all patrolled at III.
  EXPECT_EQ(open_tasks(id).size(), 3u);  // river, underpass, station: III patrols all three
  end(staff, id);
}

TEST_F(Emergencies, AMissedTaskEscalatesAndTheNextRoundStarts) {
  auto staff = as("community_admin"), grid = as("grid_worker");
  auto id = declare(staff, "NC-QX", 3);
  // The board as first read (and cached): nothing done yet.
  auto first = staff.get("/api/emergencies/" + std::to_string(id) + "/board").json();
  EXPECT_EQ(num(first.at("tasks"), "done"), 0);
  EXPECT_EQ(num(first.at("tasks"), "due"), 4);
  auto mine = grid.get("/api/emergency-tasks").json();
  // The grid worker of 第一网格 sees their grid's two, not 第二网格's or 第三网格's.
  std::set<std::string> names;
  for (const auto& t : mine.at("items").as_array())
    names.insert(std::string(t.at("risk_point").at("name").as_string()));
  EXPECT_EQ(names, (std::set<std::string>{"泉星花园地下车库入口", "睿星教育校区门前"}));
  EXPECT_GE(inbox_count(grid, "emergency.tasks"), 1);
  // The tasks of 第二网格 are not theirs to do.
  auto other = count(
      "SELECT t.id FROM emergency_tasks t JOIN risk_points rp ON rp.id = t.risk_point_id WHERE "
      "t.emergency_id = $1 AND rp.name = '泉星小区北侧低洼路段' AND t.status = 'open'",
      id);
  EXPECT_EQ(grid.post("/api/emergency-tasks/" + std::to_string(other) + "/done", "{}").status, 404);
  // Done by the grid worker: once.
  auto garage = count(
      "SELECT t.id FROM emergency_tasks t JOIN risk_points rp ON rp.id = t.risk_point_id WHERE "
      "t.emergency_id = $1 AND rp.name = '泉星花园地下车库入口' AND t.status = 'open'",
      id);
  auto done = grid.post("/api/emergency-tasks/" + std::to_string(garage) + "/done",
                        R"({"note":"排水通畅"})");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(str(done.json(), "status"), "done");
  EXPECT_EQ(grid.post("/api/emergency-tasks/" + std::to_string(garage) + "/done", "{}").error_code(),
            "emergency.task_closed");
  // Both fall due: the open one is missed and escalated to the community's
  // staff; each point's next round starts.
  {
    auto db = server_->open_db();
    db->write([&](storage::Tx& tx) {
      tx.exec("UPDATE emergency_tasks SET due_at = 1 WHERE id IN ($1, $2)", garage, other);
      tx.exec("UPDATE scheduled_jobs SET due_at = 0 WHERE kind = 'emergency.task_due' AND ref_id "
              "IN ($1, $2) AND done_at IS NULL",
              garage, other);
    });
  }
  EXPECT_TRUE(eventually([&] {
    return count("SELECT COUNT(*) FROM emergency_tasks WHERE emergency_id = $1 AND round = 2", id) ==
           2;
  }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM emergency_tasks WHERE id = $1 AND status = 'missed'", other),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM emergency_tasks WHERE id = $1 AND status = 'done'", garage),
            1);
  EXPECT_EQ(inbox_count(staff, "emergency.missed"), 1);
  auto board = staff.get("/api/emergencies/" + std::to_string(id) + "/board").json();
  EXPECT_EQ(num(board.at("tasks"), "done"), 1);
  EXPECT_EQ(num(board.at("tasks"), "overdue"), 1);
  end(staff, id);
}

TEST_F(Emergencies, APatrolScanOfARiskPointsPlateDoesItsTask) {
  auto staff = as("street_admin"), volunteer = as("volunteer"), resident = as("resident");
  auto id = declare(staff, "NC-GSH", 4);
  auto task = count(
      "SELECT t.id FROM emergency_tasks t JOIN risk_points rp ON rp.id = t.risk_point_id WHERE "
      "t.emergency_id = $1 AND rp.kind = 'river' AND t.status = 'open'",
      id);
  ASSERT_GT(task, 0);
  // The river point's team (河小工, led by `volunteer`) sees it among its tasks.
  bool listed = false;
  auto theirs = volunteer.get("/api/emergency-tasks").json();
  for (const auto& t : theirs.at("items").as_array()) listed |= num(t, "id") == task;
  EXPECT_TRUE(listed);
  std::int64_t route = 0;
  std::string code;
  {
    auto db = server_->open_db();
    db->read([&](storage::Tx& tx) {
      auto r = tx.query_one(
          "SELECT c.id, c.secret, c.route_id FROM patrol_checkpoints c WHERE c.name = '北岸闸口'");
      route = r->i64("route_id");
      code = "XH-CP:" + std::to_string(r->i64("id")) + ":" + r->str("secret");
    });
  }
  // A member of the team walks the route.
  auto patrol = resident.post("/api/patrols", json::serialize(json::object{{"route_id", route}}));
  ASSERT_EQ(patrol.status, 201) << patrol.body;
  auto scan = resident.post("/api/patrols/" + std::to_string(num(patrol.json(), "id")) + "/scans",
                             json::serialize(json::object{{"code", code}}));
  ASSERT_EQ(scan.status, 200) << scan.body;
  EXPECT_EQ(count("SELECT COUNT(*) FROM emergency_tasks WHERE id = $1 AND status = 'done' AND via "
                  "= 'scan'",
                  task),
            1);
  resident.post("/api/patrols/" + std::to_string(num(patrol.json(), "id")) + "/finish", "{}");
  end(staff, id);
}

TEST_F(Emergencies, PartnersAreCalledAtTheirLevelAndOnlyTheirContactsAnswer) {
  auto staff = as("street_admin"), property = as("property_staff"), partner = as("partner_admin");
  auto id = declare(staff, "NC-QX", 3);
  // The street's list: 双城 at every level, 河小工 from III, 睿星教育 from II.
  auto called = staff.get("/api/emergencies/" + std::to_string(id) + "/callups").json();
  std::map<std::string, std::int64_t> by_org;
  for (const auto& c : called.at("items").as_array())
    by_org[std::string(c.at("org").at("name").as_string())] = num(c, "id");
  EXPECT_EQ(by_org.size(), 2u);
  ASSERT_TRUE(by_org.count("山东双城环境服务有限公司"));
  EXPECT_FALSE(by_org.count("睿星教育"));
  auto shuangcheng = by_org["山东双城环境服务有限公司"];
  EXPECT_GE(inbox_count(property, "emergency.callup"), 1);
  // Only the called organisation's contacts answer.
  EXPECT_EQ(partner.post("/api/callups/" + std::to_string(shuangcheng) + "/acknowledge", "{}").status,
            404);
  EXPECT_EQ(staff.post("/api/callups/" + std::to_string(shuangcheng) + "/acknowledge", "{}").error_code(),
            "emergency.not_contact");
  auto ack = property.post("/api/callups/" + std::to_string(shuangcheng) + "/acknowledge",
                           R"({"people":12})");
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_FALSE(ack.json().at("acknowledged_at").is_null());
  EXPECT_EQ(property.post("/api/callups/" + std::to_string(shuangcheng) + "/acknowledge", "{}")
                .error_code(),
            "emergency.acknowledged");
  ASSERT_EQ(property.post("/api/callups/" + std::to_string(shuangcheng) + "/arrive", "{}").status, 200);
  // II calls 睿星教育 too.
  auto up = level(staff, id, 2);
  EXPECT_EQ(num(up, "called_up"), 1);
  auto mine = partner.get("/api/callups/mine").json();
  ASSERT_FALSE(mine.at("items").as_array().empty());
  auto ruixing = num(mine.at("items").as_array().front(), "id");
  EXPECT_EQ(str(mine.at("items").as_array().front().at("org"), "name"), "睿星教育");

  // Nobody from 河小工 or 睿星教育 answers: when their time runs out — the
  // server stopped meanwhile — staff are told, once each.
  server_->stop();
  {
    auto db = server_->open_db();
    db->write([&](storage::Tx& tx) {
      tx.exec("UPDATE callups SET due_at = 1 WHERE emergency_id = $1", id);
      tx.exec("UPDATE scheduled_jobs SET due_at = 0 WHERE kind = 'emergency.callup_due' AND "
              "done_at IS NULL AND ref_id IN (SELECT id FROM callups WHERE emergency_id = $1)",
              id);
    });
  }
  server_->start();
  staff = as("street_admin");
  EXPECT_TRUE(eventually([&] {
    return count("SELECT COUNT(*) FROM callups WHERE emergency_id = $1 AND escalated_at IS NOT NULL",
                 id) == 2;
  }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM callups WHERE id = $1 AND escalated_at IS NULL",
                  shuangcheng),
            1);
  EXPECT_EQ(inbox_count(staff, "emergency.not_acknowledged"), 2);
  partner = as("partner_admin");
  // A late acknowledgement is still recorded.
  EXPECT_EQ(partner.post("/api/callups/" + std::to_string(ruixing) + "/acknowledge", "{}").status,
            200);
  auto board = staff.get("/api/emergencies/" + std::to_string(id) + "/board").json();
  EXPECT_EQ(num(board.at("callups"), "called"), 3);
  EXPECT_EQ(num(board.at("callups"), "acknowledged"), 2);
  EXPECT_EQ(num(board.at("callups"), "people"), 12);
  end(staff, id);
  // The summary is kept and printable.
  auto pdf = staff.get("/api/emergencies/" + std::to_string(id) + "/summary.pdf");
  ASSERT_EQ(pdf.status, 200);
  auto text = pdf_text(pdf.body);
  if (!text.empty()) {
    EXPECT_NE(text.find("应急响应总结"), std::string::npos) << text;
    EXPECT_NE(text.find("睿星教育"), std::string::npos);
    EXPECT_NE(text.find("未按时响应"), std::string::npos);
  }
  auto kept = staff.get("/api/emergencies/" + std::to_string(id) + "/summary").json();
  EXPECT_EQ(kept.at("callups").as_array().size(), 3u);
  EXPECT_EQ(partner.post("/api/callups/" + std::to_string(ruixing) + "/arrive", "{}").error_code(),
            "emergency.ended");
}

TEST_F(Emergencies, TheLastUnitsGoToOneIssueAndTheLedgerReplaysToTheStock) {
  auto staff = as("community_admin");
  auto houses = staff.get("/api/warehouses").json();
  std::int64_t qx = 0, street = 0;
  for (const auto& w : houses.at("items").as_array()) {
    if (str(w, "name") == "泉星社区防汛物资点") qx = num(w, "id");
    if (str(w, "name") == "南村街道防汛物资仓库") street = num(w, "id");
  }
  ASSERT_GT(qx, 0);
  ASSERT_GT(street, 0);  // seen from the community, not managed by it
  // A warning is on: its board shows what the stores hold, as they change.
  auto warning = declare(staff, "NC-QX", 4, "snowstorm");
  auto jackets = [&] {
    auto board = staff.get("/api/emergencies/" + std::to_string(warning) + "/board").json();
    for (const auto& s : board.at("supplies").as_array())
      if (str(s, "item") == "lifejacket") return num(s, "remaining");
    return std::int64_t{0};
  };
  auto before_jackets = jackets();
  auto move = [&](HttpClient& c, json::object body) {
    return c.post("/api/supply-movements", json::serialize(body));
  };
  EXPECT_EQ(move(staff, {{"kind", "issue"}, {"warehouse_id", street}, {"item", "torch"},
                         {"quantity", 1}, {"counterpart", "张三"}})
                .status,
            403);
  ASSERT_EQ(move(staff, {{"kind", "receive"}, {"warehouse_id", qx}, {"item", "lifejacket"},
                         {"quantity", 1}, {"counterpart", "街道"}})
                .status,
            201);
  EXPECT_EQ(jackets(), before_jackets + 1);
  // Eight staff issue the last life jacket at once: one gets it.
  std::vector<int> statuses(8);
  std::vector<std::thread> all;
  for (int i = 0; i < 8; ++i)
    all.emplace_back([&, i] {
      HttpClient c = staff;
      statuses[static_cast<std::size_t>(i)] =
          c.post("/api/supply-movements",
                 json::serialize(json::object{{"kind", "issue"}, {"warehouse_id", qx},
                                              {"item", "lifejacket"}, {"quantity", 1},
                                              {"counterpart", "巡查员" + std::to_string(i)}}))
              .status;
    });
  for (auto& t : all) t.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 409), 7);
  EXPECT_EQ(jackets(), before_jackets);
  end(staff, warning);
  // A transfer beyond the stock writes neither side.
  auto movements = [&] { return count("SELECT COUNT(*) FROM supply_movements WHERE $1 = $1", 0); };
  auto before = movements();
  auto too_many = move(staff, {{"kind", "transfer"}, {"warehouse_id", qx}, {"to_warehouse_id", qx},
                               {"item", "sandbag"}, {"quantity", 1}});
  EXPECT_EQ(too_many.error_code(), "supply.bad_transfer");
  auto admin = as("street_admin");
  auto over = move(admin, {{"kind", "transfer"}, {"warehouse_id", qx}, {"to_warehouse_id", street},
                           {"item", "sandbag"}, {"quantity", 100000}});
  EXPECT_EQ(over.error_code(), "supply.insufficient");
  EXPECT_EQ(movements(), before);
  // Within it: both sides, one transfer id.
  auto moved = move(admin, {{"kind", "transfer"}, {"warehouse_id", qx}, {"to_warehouse_id", street},
                            {"item", "sandbag"}, {"quantity", 10}});
  ASSERT_EQ(moved.status, 201) << moved.body;
  auto pair = moved.json().at("movements").as_array();
  ASSERT_EQ(pair.size(), 2u);
  EXPECT_EQ(num(pair[0], "quantity"), -10);
  EXPECT_EQ(num(pair[1], "quantity"), 10);
  EXPECT_EQ(num(pair[0], "transfer_id"), num(pair[1], "transfer_id"));
  // Below the threshold (50 sandbags): staff are told, once.
  auto low = move(staff, {{"kind", "issue"}, {"warehouse_id", qx}, {"item", "sandbag"},
                          {"quantity", 100}, {"counterpart", "泉星花园地下车库入口"}});
  ASSERT_EQ(low.status, 201) << low.body;
  move(staff, {{"kind", "issue"}, {"warehouse_id", qx}, {"item", "sandbag"}, {"quantity", 1},
               {"counterpart", "泉星花园"}});
  EXPECT_EQ(inbox_count(staff, "supply.low"), 1);
  EXPECT_EQ(move(staff, {{"kind", "write_off"}, {"warehouse_id", qx}, {"item", "sandbag"},
                         {"quantity", 1}})
                .error_code(),
            "supply.reason_required");
  // The ledger replays to the stock; a tampered stock is found.
  std::string out;
  EXPECT_EQ(server_->cli({"supplies", "verify"}, &out), 0) << out;
  EXPECT_NE(out.find("ok"), std::string::npos) << out;
  {
    auto db = server_->open_db();
    db->write([&](storage::Tx& tx) {
      tx.exec("UPDATE supply_stock SET quantity = quantity + 5 WHERE warehouse_id = $1 AND item = "
              "'torch'",
              qx);
    });
  }
  EXPECT_EQ(server_->cli({"supplies", "verify"}, &out), 1) << out;
  EXPECT_NE(out.find("torch"), std::string::npos) << out;
  {
    auto db = server_->open_db();
    db->write([&](storage::Tx& tx) {
      tx.exec("UPDATE supply_stock SET quantity = quantity - 5 WHERE warehouse_id = $1 AND item = "
              "'torch'",
              qx);
    });
  }
}

TEST_F(Emergencies, StaffAndGridWorkersSeeTheirOwnPlacesOnly) {
  auto qx = as("community_admin"), gsh = elsewhere(), grid = as("grid_worker");
  // A community's staff cannot declare for the street, nor see another
  // community's emergency; they see the street's.
  auto street_wide = qx.post("/api/emergencies",
                             json::serialize(json::object{{"hazard", "snowstorm"},
                                                          {"level", 3},
                                                          {"place_id", place_id("NC")},
                                                          {"reason", "x"}}));
  EXPECT_EQ(street_wide.status, 403);
  auto id = declare(gsh, "NC-GSH", 3, "snowstorm");
  EXPECT_EQ(qx.get("/api/emergencies/" + std::to_string(id)).status, 404);
  EXPECT_EQ(qx.get("/api/emergencies/" + std::to_string(id) + "/board").status, 404);
  auto admin = as("street_admin");
  EXPECT_EQ(admin.get("/api/emergencies/" + std::to_string(id) + "/board").status, 200);
  // The demo's July flood, street-wide: the community sees it, its board
  // counting its own places' tasks only.
  auto july = admin.get("/api/emergencies?status=ended").json();
  std::int64_t flood = 0;
  for (const auto& e : july.at("items").as_array())
    if (str(e.at("place"), "name") == "南村街道") flood = num(e, "id");
  ASSERT_GT(flood, 0);
  auto all = admin.get("/api/emergencies/" + std::to_string(flood) + "/board").json();
  auto own = qx.get("/api/emergencies/" + std::to_string(flood) + "/board").json();
  EXPECT_GT(num(all.at("tasks"), "cancelled"), num(own.at("tasks"), "cancelled"));
  // A grid worker's risk points are their grid's.
  auto points = grid.get("/api/risk-points").json();
  EXPECT_EQ(num(points, "total"), 2);
  EXPECT_EQ(grid.get("/api/emergencies/" + std::to_string(flood)).status, 404);
  // Contact phones are sealed at rest and masked on screen.
  auto listed = admin.get("/api/risk-points?q=%E8%BD%A6%E5%BA%93").json();
  ASSERT_EQ(num(listed, "total"), 1);
  EXPECT_EQ(str(listed.at("items").as_array().front(), "contact_phone"), "139****0021");
  EXPECT_EQ(count("SELECT COUNT(*) FROM risk_points WHERE contact_phone_enc LIKE '%0021%' AND $1 = "
                  "$1",
                  0),
            0);
  EXPECT_EQ(gsh.post("/api/risk-points",
                     json::serialize(json::object{{"kind", "low_lying"},
                                                  {"name", "越界"},
                                                  {"place_id", place_id("NC-QX-C1")}}))
                .status,
            403);
  auto made = gsh.post("/api/risk-points",
                       json::serialize(json::object{{"kind", "low_lying"},
                                                    {"name", "工商河小区地库"},
                                                    {"place_id", place_id("NC-GSH-C1")},
                                                    {"grid_id", place_id("NC-QX-G1")}}));
  EXPECT_EQ(made.error_code(), "risk.bad_grid");
  end(gsh, id);
}

TEST_F(Emergencies, TheStreetKeepsItsTableListsStoresAndRiskPoints) {
  auto street = as("street_admin"), qx = as("community_admin");
  auto catalog = street.get("/api/emergency-catalog").json();
  EXPECT_EQ(catalog.at("levels").as_array().size(), 4u);
  EXPECT_FALSE(catalog.at("risk_kinds").as_array().empty());
  auto nc = std::to_string(place_id("NC"));
  // The street's own table for snowstorms replaces the defaults for it.
  auto defaults = street.get("/api/patrol-frequencies/" + nc).json();
  EXPECT_TRUE(defaults.at("may_manage").as_bool());
  EXPECT_EQ(qx.put("/api/patrol-frequencies/" + nc,
                   R"({"hazard":"snowstorm","rows":[{"level":2,"kind":"school","every_hours":4}]})")
                .status,
            403);
  EXPECT_EQ(street.put("/api/patrol-frequencies/" + nc,
                       R"({"hazard":"snowstorm","rows":[{"level":2,"kind":"school","every_hours":0}]})")
                .error_code(),
            "risk.bad_frequencies");
  auto own = street.put("/api/patrol-frequencies/" + nc,
                        R"({"hazard":"snowstorm","rows":[{"level":2,"kind":"school","every_hours":4}]})");
  ASSERT_EQ(own.status, 200) << own.body;
  std::int64_t snow_rows = 0;
  auto table = own.json();
  for (const auto& r : table.at("rows").as_array())
    if (str(r, "hazard") == "snowstorm") {
      ++snow_rows;
      EXPECT_TRUE(r.at("own").as_bool());
    }
  EXPECT_EQ(snow_rows, 1);
  auto id = declare(qx, "NC-QX", 2, "snowstorm");
  EXPECT_EQ(open_tasks(id), (std::map<std::string, std::int64_t>{{"睿星教育校区门前", 4}}));
  end(qx, id);
  // A call-up list entry, once.
  auto lists = street.get("/api/callup-lists");
  ASSERT_EQ(lists.status, 200) << lists.body;
  auto listed = lists.json();
  ASSERT_FALSE(listed.at("items").as_array().empty()) << lists.body;
  auto org = listed.at("items").as_array().front().at("org");
  // The community's staff see the street's list that calls for them.
  EXPECT_EQ(qx.get("/api/callup-lists").json().at("items").as_array().size(),
            listed.at("items").as_array().size());
  auto entry = json::serialize(json::object{{"place_id", place_id("NC-QX")}, {"hazard", "snowstorm"},
                                            {"level", 3}, {"org_id", num(org, "id")}, {"minutes", 20}});
  auto added = qx.post("/api/callup-lists", entry);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(qx.post("/api/callup-lists", entry).error_code(), "risk.callup_exists");
  EXPECT_EQ(qx.del("/api/callup-lists/" + std::to_string(num(added.json(), "id"))).status, 200);
  // A risk point read and changed; its phone masked.
  auto made = qx.post("/api/risk-points",
                      json::serialize(json::object{{"kind", "construction"},
                                                   {"name", "星光苑加装电梯工地"},
                                                   {"place_id", place_id("NC-QX-C3")},
                                                   {"contact_name", "施工方"},
                                                   {"contact_phone", "13905310099"}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto point = "/api/risk-points/" + std::to_string(num(made.json(), "id"));
  EXPECT_EQ(str(made.json(), "contact_phone"), "139****0099");
  EXPECT_TRUE(made.json().at("grid").is_null());  // a compound has no grid of its own
  auto changed = qx.patch(point, json::serialize(json::object{
                                     {"grid_id", place_id("NC-QX-G3")}, {"active", false}}));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(str(changed.json().at("grid"), "name"), "泉星社区第三网格");
  EXPECT_FALSE(qx.get(point).json().at("active").as_bool());
  EXPECT_EQ(qx.patch(point, R"({"kind":"volcano"})").error_code(), "risk.bad_kind");
  // A store of the community's, its threshold and its ledger.
  auto store = qx.post("/api/warehouses",
                       json::serialize(json::object{{"place_id", place_id("NC-QX-C3")},
                                                    {"name", "星光苑应急物资柜"}}));
  ASSERT_EQ(store.status, 201) << store.body;
  auto sid = std::to_string(num(store.json(), "id"));
  auto low_before = inbox_count(qx, "supply.low");
  ASSERT_EQ(qx.put("/api/warehouses/" + sid + "/thresholds/torch", R"({"low_at":5})").status, 200);
  ASSERT_EQ(qx.post("/api/supply-movements",
                    json::serialize(json::object{{"kind", "receive"}, {"warehouse_id", num(store.json(), "id")},
                                                 {"item", "torch"}, {"quantity", 3},
                                                 {"counterpart", "社区"}}))
                .status,
            201);
  EXPECT_EQ(inbox_count(qx, "supply.low"), low_before + 1);  // 3 is under 5
  auto ledger = qx.get("/api/warehouses/" + sid + "/movements").json();
  EXPECT_EQ(num(ledger, "total"), 1);
  ASSERT_EQ(ledger.at("items").as_array().size(), 1u);
  EXPECT_EQ(num(ledger.at("items").as_array().front(), "balance"), 3);
  EXPECT_EQ(elsewhere().get("/api/warehouses/" + sid + "/movements").status, 404);
}

}  // namespace xh::test
