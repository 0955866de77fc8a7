// Grid work and campaigns (GRD-1, GRD-4): a grid worker's patrol with its
// track and visited buildings (the week's coverage), events found on the way
// filed as work orders in one step; door-to-door campaigns chosen by place,
// tag or a list of codes, an outcome for each household from its grid's
// worker, progress per grid and building, the unfinished exported; scope.
#include "api_test.h"
#include "support/images.h"

namespace xh::test {

namespace {

std::int64_t num(const json::value& v, const char* key) { return v.at(key).as_int64(); }

// The lines of a CSV body (after its BOM), the header first.
std::vector<std::string> csv_lines(const std::string& body) {
  std::vector<std::string> out;
  std::string line;
  for (char ch : body.substr(body.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0)) {
    if (ch == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      out.push_back(line);
      line.clear();
    } else {
      line += ch;
    }
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

class Grid : public ApiTest {};

TEST_F(Grid, AGridWorkersPatrolLogsItsTrackVisitsAndEventsAsWorkOrders) {
  auto grid = as("grid_worker"), staff = as("community_admin");
  auto started = grid.post("/api/grid-patrols", "{}");
  ASSERT_EQ(started.status, 201) << started.body;
  auto id = num(started.json(), "id");
  auto path = "/api/grid-patrols/" + std::to_string(id);
  EXPECT_EQ(str(started.json().at("grid"), "name"), "泉星社区第一网格");
  EXPECT_EQ(grid.post("/api/grid-patrols", "{}").error_code(), "grid.patrol_ongoing");
  // The track: coordinates checked, at most 500 a call.
  EXPECT_EQ(grid.post(path + "/track", R"({"points":[{"lat":91,"lng":117}]})").error_code(),
            "grid.bad_points");
  json::array many;
  for (int i = 0; i < 501; ++i) many.push_back({{"lat", 36.69}, {"lng", 117.0}});
  EXPECT_EQ(grid.post(path + "/track", json::serialize(json::object{{"points", many}})).error_code(),
            "grid.bad_points");
  auto tracked = grid.post(path + "/track",
                           R"({"points":[{"lat":36.6951,"lng":116.9978},{"lat":36.6953,"lng":116.998}]})");
  ASSERT_EQ(tracked.status, 200) << tracked.body;
  EXPECT_EQ(num(tracked.json(), "points"), 2);
  // Visits: the grid's buildings only (泉星花园3号楼 is 第二网格's).
  EXPECT_EQ(grid.post(path + "/visits",
                      json::serialize(json::object{{"place_id", place_id("NC-QX-C1-B3")}}))
                .error_code(),
            "grid.bad_place");
  for (const char* b : {"NC-QX-C2-B1", "NC-QX-C2-B1-U2"})
    ASSERT_EQ(grid.post(path + "/visits", json::serialize(json::object{{"place_id", place_id(b)}}))
                  .status,
              200);
  // A unit counts for its building: one visit.
  EXPECT_EQ(num(grid.get(path).json(), "visited"), 1);
  // An event that needs fixing: the work order filed in the same step.
  auto found = grid.post("/api/grid-events",
                         json::serialize(json::object{{"place_id", place_id("NC-QX-C2-B1-U1")},
                                                      {"kind", "facility"},
                                                      {"text", "单元门闭门器损坏"},
                                                      {"patrol_id", id},
                                                      {"category", "broken_structure"}}));
  ASSERT_EQ(found.status, 201) << found.body;
  auto order = num(found.json().at("work_order"), "id");
  // With a photo, filed at once or later by staff: the order carries it.
  auto up = grid.request("POST", "/api/uploads/photos", halves_jpeg(64, 48),
                         {{"Content-Type", "image/jpeg"}, {"X-CSRF-Token", grid.csrf}});
  ASSERT_EQ(up.status, 201) << up.body;
  auto photo = str(up.json(), "id");
  auto pictured = grid.post("/api/grid-events",
                            json::serialize(json::object{{"place_id", place_id("NC-QX-C2-B1-U1-101")},
                                                         {"kind", "hazard"},
                                                         {"text", "阳台外挂花盆有坠落风险"},
                                                         {"photos", json::array{json::string(photo)}},
                                                         {"category", "other"}}));
  ASSERT_EQ(pictured.status, 201) << pictured.body;
  EXPECT_EQ(str(pictured.json().at("grid"), "name"), "泉星社区第一网格");
  auto pictured_order = staff.get("/api/work-orders/" +
                                  std::to_string(num(pictured.json().at("work_order"), "id")));
  ASSERT_EQ(pictured_order.status, 200);
  EXPECT_EQ(pictured_order.json().at("photos").as_array().size(), 1u);
  auto up2 = grid.request("POST", "/api/uploads/photos", halves_jpeg(64, 48),
                          {{"Content-Type", "image/jpeg"}, {"X-CSRF-Token", grid.csrf}});
  auto held = grid.post("/api/grid-events",
                        json::serialize(json::object{{"place_id", place_id("NC-QX-C2-B1")},
                                                     {"kind", "facility"},
                                                     {"text", "楼道灯不亮"},
                                                     {"photos", json::array{json::string(str(up2.json(), "id"))}}}));
  ASSERT_EQ(held.status, 201) << held.body;
  auto by_staff = staff.post("/api/grid-events/" + std::to_string(num(held.json(), "id")) + "/order",
                             R"({"category":"lighting"})");
  EXPECT_EQ(by_staff.status, 200) << by_staff.body;
  EXPECT_EQ(grid.request("POST", path + "/track", "not json",
                         {{"Content-Type", "application/json"}, {"X-CSRF-Token", grid.csrf}})
                .status,
            400);
  EXPECT_EQ(str(found.json(), "status"), "ordered");
  EXPECT_EQ(staff.get("/api/work-orders/" + std::to_string(order)).status, 200);
  // One to handle on the spot, then filed later: once.
  auto later = grid.post("/api/grid-events",
                         json::serialize(json::object{{"place_id", place_id("NC-QX-C2-B2")},
                                                      {"kind", "environment"},
                                                      {"text", "楼前绿地有建筑垃圾"},
                                                      {"patrol_id", id}}));
  ASSERT_EQ(later.status, 201) << later.body;
  auto event = "/api/grid-events/" + std::to_string(num(later.json(), "id"));
  EXPECT_EQ(str(later.json(), "status"), "open");
  EXPECT_EQ(grid.post("/api/grid-events",
                      json::serialize(json::object{{"place_id", place_id("NC-QX-C2-B2")},
                                                   {"kind", "volcano"},
                                                   {"text", "x"}}))
                .error_code(),
            "grid.bad_kind");
  auto filed = grid.post(event + "/order", R"({"category":"clutter"})");
  ASSERT_EQ(filed.status, 200) << filed.body;
  EXPECT_EQ(grid.post(event + "/order", R"({"category":"clutter"})").error_code(),
            "grid.event_closed");
  EXPECT_EQ(grid.post(event + "/resolve", "{}").error_code(), "grid.event_closed");
  // Ended: the week's coverage counts the building.
  ASSERT_EQ(grid.post(path + "/finish", R"({"note":"午后巡查"})").status, 200);
  EXPECT_EQ(grid.post(path + "/track", R"({"points":[{"lat":36.69,"lng":117}]})").error_code(),
            "grid.patrol_ended");
  auto cover = staff.get("/api/grids/" + std::to_string(place_id("NC-QX-G1")) + "/coverage").json();
  EXPECT_EQ(num(cover, "total"), 6);
  // The demo's morning patrol visited 泉星花园1、2号楼; this one 泉星小区1号楼.
  EXPECT_EQ(num(cover, "covered"), 3);
  // The staff see the grid's patrols and events; another community's do not.
  EXPECT_GE(num(staff.get("/api/grid-patrols?grid_id=" + std::to_string(place_id("NC-QX-G1"))).json(),
                "total"),
            2);
  auto other = elsewhere();
  EXPECT_EQ(other.get(path).status, 404);
  EXPECT_EQ(num(other.get("/api/grid-events").json(), "total"), 0);
  EXPECT_EQ(other.get("/api/grids/" + std::to_string(place_id("NC-QX-G1")) + "/coverage").status,
            404);
}

TEST_F(Grid, TheGridAtHandShowsCareResidentsOnlyToThoseWhoMaySeeTags) {
  auto grid = as("grid_worker"), leader = as("building_leader");
  auto mine = grid.get("/api/grid/overview").json();
  EXPECT_EQ(num(mine, "households"), 216);
  auto grids = grid.get("/api/grids").json();
  ASSERT_EQ(grids.at("items").as_array().size(), 1u);
  EXPECT_TRUE(grids.at("items").as_array().front().at("may_work").as_bool());
  auto campaigns = grid.get("/api/campaigns?status=active").json();
  EXPECT_GE(num(campaigns, "total"), 1);
  ASSERT_TRUE(mine.at("care_residents").is_array());
  EXPECT_FALSE(mine.at("care_residents").as_array().empty());
  EXPECT_FALSE(mine.at("campaigns").as_array().empty());
  // A building leader works no grid.
  EXPECT_EQ(leader.get("/api/grid/overview").status, 403);
  EXPECT_EQ(grid.get("/api/grid/overview?grid_id=" + std::to_string(place_id("NC-QX-G2"))).status,
            404);
}

TEST_F(Grid, ACampaignGivesEachHouseholdAnOutcomeGridByGrid) {
  auto staff = as("community_admin"), grid = as("grid_worker");
  auto make = [&](json::object select, json::array form = {}) {
    return staff.post("/api/campaigns",
                      json::serialize(json::object{{"title", "独居老人冬季走访"},
                                                   {"place_id", place_id("NC-QX")},
                                                   {"form", form},
                                                   {"select", select}}));
  };
  // An imported list with codes that are not households here: nothing made.
  auto bad = make({{"household_codes", json::array{"NC-QX-C1-B1-U1-101", "NC-GSH-C1-B1-U1-101",
                                                   "NOPE"}}});
  EXPECT_EQ(bad.error_code(), "campaign.bad_codes");
  EXPECT_NE(bad.body.find("NOPE"), std::string::npos);
  EXPECT_EQ(make({{"tag", "没有这个标签"}}).error_code(), "campaign.empty");
  EXPECT_EQ(make({{"tag", "独居老人"}}, json::array{{{"key", "x"}, {"label", "?"}, {"type", "essay"}}})
                .error_code(),
            "campaign.bad_form");
  // By tag: the households with an elder living alone.
  auto made = make({{"tag", "独居老人"}},
                   json::array{{{"key", "heating"}, {"label", "取暖是否正常"}, {"type", "yesno"}}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto id = num(made.json(), "id");
  auto total = num(made.json().at("progress"), "total");
  EXPECT_GT(total, 0);
  auto path = "/api/campaigns/" + std::to_string(id);
  // The grid worker sees their grid's households only.
  auto theirs = grid.get(path + "/households?limit=200").json();
  auto all = staff.get(path + "/households?limit=200").json();
  EXPECT_LT(num(theirs, "total"), num(all, "total"));
  EXPECT_EQ(num(all, "total"), total);
  ASSERT_FALSE(theirs.at("items").as_array().empty());
  auto household = num(theirs.at("items").as_array().front(), "household_id");
  std::int64_t foreign = 0;
  for (const auto& h : all.at("items").as_array()) {
    bool in_theirs = false;
    for (const auto& t : theirs.at("items").as_array())
      in_theirs |= num(t, "household_id") == num(h, "household_id");
    if (!in_theirs) foreign = num(h, "household_id");
  }
  ASSERT_GT(foreign, 0);
  auto record = [&](HttpClient& c, std::int64_t h, json::object body) {
    return c.put(path + "/households/" + std::to_string(h), json::serialize(body));
  };
  EXPECT_EQ(record(grid, foreign, {{"outcome", "visited"}}).status, 404);
  EXPECT_EQ(record(grid, household, {{"outcome", "follow_up"}}).error_code(),
            "campaign.note_required");
  EXPECT_EQ(record(grid, household, {{"outcome", "visited"}, {"answers", {{"heating", "好"}}}})
                .error_code(),
            "campaign.bad_answers");
  EXPECT_EQ(record(grid, household, {{"outcome", "gone"}}).error_code(), "campaign.bad_outcome");
  auto first = record(grid, household, {{"outcome", "not_home"}});
  ASSERT_EQ(first.status, 200) << first.body;
  auto second =
      record(grid, household, {{"outcome", "visited"}, {"answers", {{"heating", true}}}, {"note", "暖气正常"}});
  ASSERT_EQ(second.status, 200) << second.body;
  auto got = staff.get(path).json();
  EXPECT_EQ(num(got.at("progress"), "visited"), 1);
  EXPECT_EQ(num(got.at("progress"), "pending"), total - 1);
  std::int64_t done_in_grids = 0;
  for (const auto& g : got.at("grids").as_array()) done_in_grids += num(g, "done");
  EXPECT_EQ(done_in_grids, 1);
  EXPECT_FALSE(got.at("buildings").as_array().empty());
  // The unfinished, exported: every pending household, none visited.
  auto csv = staff.get(path + "/households?outcome=pending&format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  auto lines = csv_lines(csv.body);
  EXPECT_EQ(static_cast<std::int64_t>(lines.size()), total);  // header + total - 1
  EXPECT_NE(lines.front().find("走访结果"), std::string::npos);
  // Closed: nothing more is recorded.
  ASSERT_EQ(staff.post(path + "/close", "{}").status, 200);
  EXPECT_EQ(record(grid, household, {{"outcome", "visited"}}).error_code(), "campaign.closed");
  EXPECT_EQ(elsewhere().get(path).status, 404);
}

}  // namespace xh::test
