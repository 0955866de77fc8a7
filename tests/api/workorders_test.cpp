// Work orders (WO-1 … WO-5, WO-7): filing, the closed loop with who may take
// each step, scope, ratings, nearby duplicates, recurrences and hot spots,
// photos, escalation and follow-up across a restart, consultation, the
// scorecard — over real HTTP, on both engines.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "api_test.h"
#include "core/time.h"
#include "support/images.h"

namespace xh::test {

namespace {

std::string id_of(const HttpResponse& r) { return std::to_string(r.json().at("id").as_int64()); }

std::string status_of(const HttpResponse& r) { return str(r.json(), "status"); }

bool has_action(const json::value& order, const std::string& action) {
  for (const auto& a : order.at("actions").as_array())
    if (a.as_string() == action) return true;
  return false;
}

HttpResponse upload(HttpClient& c, const std::string& bytes, const std::string& type) {
  return c.request("POST", "/api/uploads/photos", bytes,
                   {{"Content-Type", type}, {"X-CSRF-Token", c.csrf}});
}

}  // namespace

class WorkOrders : public ApiTest {
 protected:
  // Files a report as `who` at the demo place with `code`; returns the order.
  static HttpResponse file(HttpClient& who, const std::string& category, const std::string& code,
                           const std::string& text = "楼道里堆满了杂物，影响通行",
                           json::object extra = {}) {
    extra["category"] = category;
    extra["place_id"] = place_id(code);
    extra["text"] = text;
    return who.post("/api/work-orders", json::serialize(extra));
  }
  static HttpResponse step(HttpClient& who, const std::string& id, const std::string& action,
                           const std::string& body = "{}") {
    return who.post("/api/work-orders/" + id + "/actions/" + action, body);
  }
  // Takes an order filed by the resident all the way to closed.
  static std::string closed_order(const std::string& category, const std::string& code) {
    auto resident = as("resident"), community = as("community_admin"), grid = as("grid_worker");
    auto r = file(resident, category, code);
    EXPECT_EQ(r.status, 201) << r.body;
    auto id = id_of(r);
    EXPECT_EQ(step(community, id, "accept").status, 200);
    EXPECT_EQ(step(community, id, "dispatch").status, 200);
    EXPECT_EQ(step(community, id, "start").status, 200);
    EXPECT_EQ(step(community, id, "resolve", R"({"note":"已处理"})").status, 200);
    EXPECT_EQ(step(grid, id, "verify").status, 200);
    EXPECT_EQ(step(community, id, "close").status, 200);
    return id;
  }
  static std::int64_t count(const std::string& sql) {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) { return tx.query_one(sql)->i64(0); });
  }
  static void exec(const std::string& sql, std::vector<storage::Param> params) {
    auto db = server_->open_db();
    db->write([&](storage::Tx& tx) { tx.exec_v(sql, params); });
  }
};

TEST_F(WorkOrders, ClosedLoopEveryStepTakenOnlyByTheRolesResponsible) {
  auto resident = as("resident"), community = as("community_admin"),
       property = as("property_staff"), grid = as("grid_worker"), leader = as("building_leader");
  auto r = file(resident, "dirty_hallway", "NC-QX-C1-B1");
  ASSERT_EQ(r.status, 201) << r.body;
  auto order = r.json();
  EXPECT_EQ(str(order, "status"), "submitted");
  EXPECT_EQ(str(order, "body"), "property");
  EXPECT_EQ(str(order, "body_name"), "山东双城环境服务有限公司");
  EXPECT_EQ(str(order, "category_label"), "楼道脏乱");
  EXPECT_TRUE(order.at("actions").as_array().empty());  // the resident cannot accept
  auto id = id_of(r);
  auto accepts = audit_count("workorder.accept");
  EXPECT_EQ(step(community, id, "fly").status, 404);

  // Who may take which step, in order: each refusal leaves the status as it was.
  struct Row {
    const char* who;
    const char* action;
    int status;
    const char* then;
  };
  const std::vector<Row> loop = {
      {"resident", "accept", 403, "submitted"},
      {"building_leader", "accept", 403, "submitted"},  // no permission
      {"community_admin", "close", 409, "submitted"},   // out of order
      {"property_staff", "accept", 200, "accepted"},    // routed to its company
      {"property_staff", "accept", 409, "accepted"},    // not twice
      {"grid_worker", "dispatch", 403, "accepted"},     // grid workers do not dispatch
      {"community_admin", "dispatch", 200, "dispatched"},
      {"grid_worker", "start", 403, "dispatched"},
      {"property_staff", "start", 200, "in_progress"},
      {"resident", "resolve", 403, "in_progress"},
      {"property_staff", "resolve", 200, "resolved"},
      {"property_staff", "verify", 403, "resolved"},    // the doer does not verify itself
      {"grid_worker", "verify", 200, "verified"},
      {"grid_worker", "close", 403, "verified"},
      {"community_admin", "close", 200, "closed"},
  };
  std::map<std::string, HttpClient*> clients = {
      {"resident", &resident}, {"building_leader", &leader}, {"community_admin", &community},
      {"property_staff", &property}, {"grid_worker", &grid}};
  for (const auto& row : loop) {
    std::string body = std::string(row.action) == "resolve"
                           ? json::serialize(json::object{{"note", "已清理楼道"}})
                           : "{}";
    auto r = step(*clients.at(row.who), id, row.action, body);
    EXPECT_EQ(r.status, row.status) << row.who << " " << row.action << ": " << r.body;
    if (r.status == 409) {
      EXPECT_EQ(r.error_code(), "workorder.bad_transition");
    }
    EXPECT_EQ(str(community.get("/api/work-orders/" + id).json(), "status"), row.then)
        << "after " << row.who << " " << row.action;
  }
  EXPECT_EQ(audit_count("workorder.accept"), accepts + 1);

  auto detail = resident.get("/api/work-orders/" + id).json();
  auto timeline = detail.at("timeline").as_array();
  ASSERT_EQ(timeline.size(), 7u);
  std::vector<std::string> steps;
  for (const auto& e : timeline) steps.push_back(str(e, "action"));
  EXPECT_EQ(steps, (std::vector<std::string>{"file", "accept", "dispatch", "start", "resolve",
                                             "verify", "close"}));
  EXPECT_EQ(str(timeline[4], "note"), "已清理楼道");
  EXPECT_EQ(str(timeline[1], "actor"), "物业人员（演示）");
  EXPECT_FALSE(str(timeline[6], "at").empty());
  EXPECT_FALSE(detail.at("accepted_at").is_null());
  EXPECT_FALSE(detail.at("resolved_at").is_null());
}

// Orders go to a body and, within it, to a person; a handler hands an order to
// a colleague; each person's 待办 counts exactly what waits on them, and the
// list behind a count holds those orders.
TEST_F(WorkOrders, DispatchToAPersonHandOverAndEachPersonsTasks) {
  auto resident = as("resident"), community = as("community_admin"), property = as("property_staff");
  // A second staff member of the property company, and someone of another.
  auto sys = as("sys_admin"), sec = as("security_admin"), street = as("street_admin");
  auto made = sys.post("/api/users", R"({"username":"zhao.liu","display_name":"赵六","password":"Zhao#2026liu"})");
  ASSERT_EQ(made.status, 201) << made.body;
  auto colleague = made.json().at("id").as_int64();
  ASSERT_EQ(sec.post("/api/users/" + std::to_string(colleague) + "/roles",
                     json::serialize(json::object{{"role", "property_staff"}, {"place_id", place_id("NC-QX-C1")}}))
                .status, 201);
  auto company = count("SELECT id FROM orgs WHERE name = '山东双城环境服务有限公司'");
  ASSERT_EQ(street.post("/api/partners/" + std::to_string(company) + "/contacts",
                        json::serialize(json::object{{"name", "赵六"}, {"user_id", colleague}})).status, 201);
  auto zhao = anonymous();
  ASSERT_EQ(zhao.login("zhao.liu", "Zhao#2026liu").status, 200);
  auto task = [](HttpClient& c, const std::string& key) {
    auto r = c.get("/api/tasks");
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = r.json();
    for (const auto& t : doc.at("items").as_array())
      if (str(t, "key") == key) return t.at("count").as_int64();
    return std::int64_t{-1};  // not one of the caller's lists
  };
  auto listed = [](HttpClient& c, const std::string& todo) {
    auto r = c.get("/api/work-orders?limit=100&todo=" + todo);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::int64_t> ids;
    auto doc = r.json();
    for (const auto& o : doc.at("items").as_array()) ids.insert(o.at("id").as_int64());
    return ids;
  };

  auto r = file(resident, "clutter", "NC-QX-C1-B1", "楼道堆放杂物，请清理");
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = id_of(r);
  auto n = std::stoll(id);
  EXPECT_TRUE(listed(community, "accept").count(n));
  EXPECT_EQ(task(community, "workorder.accept"), static_cast<std::int64_t>(listed(community, "accept").size()));
  EXPECT_EQ(task(resident, "workorder.accept"), -1);  // residents have no such list
  ASSERT_EQ(step(community, id, "accept").status, 200);

  // Whom it may go to: the company's staff (and the community's handlers), not a stranger.
  auto handlers = community.get("/api/work-orders/" + id + "/handlers");
  ASSERT_EQ(handlers.status, 200) << handlers.body;
  std::set<std::int64_t> may;
  auto handler_doc = handlers.json();
  for (const auto& h : handler_doc.at("items").as_array()) may.insert(h.at("id").as_int64());
  EXPECT_TRUE(may.count(colleague));
  auto property_id = property.get("/api/auth/me").json().at("id").as_int64();
  EXPECT_TRUE(may.count(property_id));
  auto grid_id = as("grid_worker").get("/api/auth/me").json().at("id").as_int64();
  EXPECT_FALSE(may.count(grid_id));  // a grid worker does not handle orders
  EXPECT_EQ(resident.get("/api/work-orders/" + id + "/handlers").status, 403);
  auto wrong = step(community, id, "dispatch", json::serialize(json::object{{"assignee_id", grid_id}}));
  EXPECT_EQ(wrong.error_code(), "workorder.bad_assignee");
  EXPECT_EQ(status_of(community.get("/api/work-orders/" + id)), "accepted");  // nothing changed

  auto before_zhao = task(zhao, "workorder.handle"), before_property = task(property, "workorder.handle");
  auto sent = step(community, id, "dispatch", json::serialize(json::object{{"assignee_id", property_id}}));
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json().at("assignee").at("id").as_int64(), property_id);
  EXPECT_EQ(task(property, "workorder.handle"), before_property + 1);
  EXPECT_EQ(task(zhao, "workorder.handle"), before_zhao);  // given to the colleague, not to him
  EXPECT_TRUE(listed(property, "handle").count(n));
  EXPECT_FALSE(listed(zhao, "handle").count(n));

  // The property staff member hands it to his colleague; the timeline says so.
  auto handed = property.post("/api/work-orders/" + id + "/assign",
                              json::serialize(json::object{{"assignee_id", colleague}, {"note", "我在开会，请你先去"}}));
  ASSERT_EQ(handed.status, 200) << handed.body;
  EXPECT_EQ(str(handed.json().at("assignee"), "name"), "赵六");
  bool said = false;
  auto handed_doc = handed.json();
  for (const auto& e : handed_doc.at("timeline").as_array())
    if (str(e, "action") == "assign" && !e.at("note").is_null() &&
        std::string(e.at("note").as_string()).find("赵六") != std::string::npos)
      said = true;
  EXPECT_TRUE(said) << handed.body;
  EXPECT_TRUE(listed(zhao, "handle").count(n));
  EXPECT_FALSE(listed(property, "handle").count(n));
  EXPECT_EQ(resident.post("/api/work-orders/" + id + "/assign",
                          json::serialize(json::object{{"assignee_id", colleague}})).status, 403);

  ASSERT_EQ(step(zhao, id, "start").status, 200);
  ASSERT_EQ(step(zhao, id, "resolve", R"({"note":"已清理"})").status, 200);
  EXPECT_EQ(property.post("/api/work-orders/" + id + "/assign",
                          json::serialize(json::object{{"assignee_id", property_id}})).error_code(),
            "workorder.not_assignable");
  auto grid = as("grid_worker");
  EXPECT_TRUE(listed(grid, "verify").count(n));
  EXPECT_EQ(community.get("/api/work-orders?todo=everything").error_code(), "request.bad_query");
}

TEST_F(WorkOrders, PropertyStaffActOnlyOnOrdersRoutedToTheirCompany) {
  auto resident = as("resident"), property = as("property_staff"), community = as("community_admin");
  // Noise goes to the community, even in a compound with a property company.
  auto r = file(resident, "noise", "NC-QX-C1-B1", "楼上夜间装修噪音");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json(), "body"), "community");
  auto id = id_of(r);
  EXPECT_EQ(property.get("/api/work-orders/" + id).status, 200);  // they see it in their compound
  EXPECT_EQ(step(property, id, "accept").status, 403);
  EXPECT_EQ(status_of(step(community, id, "accept")), "accepted");
}

TEST_F(WorkOrders, RejectionNeedsAReasonAndCanBeReopened) {
  auto resident = as("resident"), community = as("community_admin");
  auto id = id_of(file(resident, "parking", "NC-QX-C1"));
  auto no_reason = step(community, id, "reject", R"({"reason":"  "})");
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(no_reason.error_code(), "workorder.reason_required");
  auto rejected = step(community, id, "reject", R"({"reason":"属于交警管辖范围"})");
  ASSERT_EQ(status_of(rejected), "rejected");
  EXPECT_EQ(str(rejected.json(), "reject_reason"), "属于交警管辖范围");
  EXPECT_EQ(step(resident, id, "reopen").status, 403);  // the reporter cannot reopen a rejection
  EXPECT_EQ(status_of(step(community, id, "reopen")), "reopened");
  EXPECT_EQ(status_of(step(community, id, "dispatch")), "dispatched");
}

TEST_F(WorkOrders, ReporterVerifiesOrReopensAndRatesOnce) {
  auto resident = as("resident"), community = as("community_admin"), other = as("building_leader");
  auto id = id_of(file(resident, "lighting", "NC-QX-C1-B1", "1号楼1单元楼道灯不亮"));
  EXPECT_EQ(resident.post("/api/work-orders/" + id + "/rating", R"({"score":5})").status, 409);
  step(community, id, "accept");
  step(community, id, "dispatch");
  step(community, id, "start");
  step(community, id, "resolve");
  auto seen = resident.get("/api/work-orders/" + id).json();
  EXPECT_TRUE(has_action(seen, "verify"));
  EXPECT_TRUE(has_action(seen, "reopen"));
  EXPECT_TRUE(seen.at("can_rate").as_bool());
  auto reopened = step(resident, id, "reopen", R"({"note":"灯还是不亮"})");
  ASSERT_EQ(status_of(reopened), "reopened");
  step(community, id, "dispatch");
  step(community, id, "start");
  step(community, id, "resolve");
  EXPECT_EQ(status_of(step(resident, id, "verify")), "verified");

  EXPECT_EQ(resident.post("/api/work-orders/" + id + "/rating", R"({"score":6})").status, 422);
  EXPECT_EQ(other.post("/api/work-orders/" + id + "/rating", R"({"score":3})").status, 403);
  auto rated = resident.post("/api/work-orders/" + id + "/rating", R"({"score":4,"comment":"修得及时"})");
  ASSERT_EQ(rated.status, 200) << rated.body;
  EXPECT_EQ(rated.json().at("rating").as_int64(), 4);
  // The timeline says it in the reader's language, with the rater's own words.
  auto note_of_rating = [&](const std::string& lang) {
    auto d = resident.get("/api/work-orders/" + id + "?lang=" + lang).json();
    for (const auto& e : d.at("timeline").as_array())
      if (str(e, "action") == "rate") return str(e, "note");
    return std::string("(none)");
  };
  EXPECT_EQ(note_of_rating("zh-CN"), "评分 4/5 修得及时");
  EXPECT_EQ(note_of_rating("en"), "Rated 4/5 修得及时");
  auto again = resident.post("/api/work-orders/" + id + "/rating", R"({"score":5})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "workorder.already_rated");
}

TEST_F(WorkOrders, ScopeAPropertyCompanySeesOnlyTheCompoundsItServes) {
  auto street = as("street_admin"), property = as("property_staff"),
       community = as("community_admin"), resident = as("resident");
  auto here = file(street, "clutter", "NC-QX-C1-B2", "2号楼门口堆放旧家具");
  auto there = file(street, "clutter", "NC-GSH-C1", "工商河小区车棚杂物");
  ASSERT_EQ(here.status, 201) << here.body;
  ASSERT_EQ(there.status, 201) << there.body;
  auto list = property.get("/api/work-orders?limit=500").json();
  bool saw_here = false;
  for (const auto& o : list.at("items").as_array()) {
    EXPECT_NE(str(o, "place_name"), "工商河小区");
    if (o.at("id").as_int64() == here.json().at("id").as_int64()) saw_here = true;
  }
  EXPECT_TRUE(saw_here);
  EXPECT_EQ(property.get("/api/work-orders/" + id_of(there)).status, 403);
  EXPECT_EQ(step(property, id_of(there), "accept").status, 403);
  EXPECT_EQ(community.get("/api/work-orders/" + id_of(there)).status, 403);
  // A resident reads their own reports only, and lists only with mine=true.
  EXPECT_EQ(resident.get("/api/work-orders/" + id_of(here)).status, 403);
  EXPECT_EQ(resident.get("/api/work-orders").status, 403);
  EXPECT_EQ(resident.get("/api/work-orders?mine=true").status, 200);
  // A resident files only in their own community.
  auto elsewhere = file(resident, "clutter", "NC-GSH-C1");
  EXPECT_EQ(elsewhere.status, 403);
}

TEST_F(WorkOrders, BadInputIsRefusedAndChangesNothing) {
  auto resident = as("resident"), leader = as("building_leader");
  auto before = count("SELECT COUNT(*) FROM work_orders");
  EXPECT_EQ(file(resident, "no_such", "NC-QX-C1").error_code(), "workorder.bad_category");
  EXPECT_EQ(file(resident, "clutter", "NC-QX-C1-B1-U1-101").error_code(), "workorder.bad_place");
  EXPECT_EQ(file(resident, "clutter", "NC-QX-C1", "   ").error_code(), "workorder.text_required");
  EXPECT_EQ(file(resident, "clutter", "NC-QX-C1", "x", {{"lat", 36.7}}).error_code(),
            "workorder.bad_point");
  EXPECT_EQ(file(resident, "clutter", "NC-QX-C1", "x", {{"lat", 136.7}, {"lng", 117}}).status, 422);
  EXPECT_EQ(file(resident, "clutter", "NC-QX-C1", "x", {{"colour", "red"}}).error_code(),
            "request.unknown_field");
  EXPECT_EQ(file(resident, "clutter", "NC-QX-C1", "x",
                 {{"photos", json::array{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}}}).status, 422);
  EXPECT_EQ(file(resident, "clutter", "NC-QX-C1", "x", {{"photos", json::array{"0000"}}}).error_code(),
            "workorder.bad_photo");
  EXPECT_EQ(file(resident, "clutter", "NC-QX-C1", "x", {{"urgent", true}}).status, 403);
  EXPECT_EQ(file(leader, "clutter", "NC-QX-C1", "x",
                 json::object{{"on_behalf", {{"name", "王大爷"}, {"channel", "phone"}}}}).status, 403);
  auto bad_text = resident.post("/api/work-orders", R"({"category":"clutter","place_id":"x","text":"y"})");
  EXPECT_EQ(bad_text.status, 422);
  EXPECT_EQ(count("SELECT COUNT(*) FROM work_orders"), before);
}

TEST_F(WorkOrders, StaffFileOnBehalfAndSeeWhoReportedEvenWhenAnonymous) {
  auto community = as("community_admin"), resident = as("resident"), grid = as("grid_worker");
  auto r = file(community, "water_leak", "NC-QX-C1-B1", "三楼楼道水管漏水",
                json::object{{"on_behalf", {{"name", "王桂兰"}, {"phone", "13805311234"}, {"channel", "phone"}}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto o = r.json();
  EXPECT_EQ(str(o, "channel"), "phone");
  EXPECT_TRUE(o.at("urgent").as_bool());  // leaks are urgent by configuration
  EXPECT_EQ(str(o.at("reporter"), "name"), "王桂兰");
  EXPECT_EQ(str(o.at("reporter"), "phone"), "13805311234");  // community staff see phones
  auto seen_by_grid = grid.get("/api/work-orders/" + id_of(r)).json();
  EXPECT_EQ(str(seen_by_grid.at("reporter"), "phone"), "13805311234");
  auto as_property = as("property_staff").get("/api/work-orders/" + id_of(r)).json();
  EXPECT_EQ(str(as_property.at("reporter"), "phone"), "138****1234");

  // Anonymous to the public, never to staff.
  auto anon = file(resident, "small_ads", "NC-QX-C1-B1", "单元门贴满小广告", {{"anonymous", true}});
  ASSERT_EQ(anon.status, 201) << anon.body;
  EXPECT_EQ(str(anon.json(), "body"), "sanitation");
  auto staff_view = community.get("/api/work-orders/" + id_of(anon)).json();
  EXPECT_TRUE(staff_view.at("anonymous").as_bool());
  EXPECT_EQ(str(staff_view.at("reporter"), "name"), "居民（演示）");
  auto open311 = anonymous().get("/open311/v2/requests/" + id_of(anon) + ".json");
  EXPECT_EQ(open311.status, 200);
  EXPECT_EQ(open311.body.find("居民"), std::string::npos);
}

TEST_F(WorkOrders, NearbyOpenReportsCanBeFollowedInsteadOfFiled) {
  auto street = as("street_admin"), resident = as("resident");
  // Two reports with points: one 200 m north of 泉星花园's point, one 300 m.
  auto db = server_->open_db();
  auto point = db->read([&](storage::Tx& tx) {
    auto r = tx.query_one("SELECT lat_e6, lng_e6 FROM places WHERE code = 'NC-QX-C1'");
    return std::make_pair(r->i64(0), r->i64(1));
  });
  auto at = [&](double metres_north) {
    std::int64_t lat = point.first + static_cast<std::int64_t>(metres_north / 111320.0 * 1e6);
    return json::object{{"lat", lat / 1e6}, {"lng", point.second / 1e6}};
  };
  auto near = file(street, "tangled_cables", "NC-QX", "路边电线杆飞线缠绕", at(200));
  auto far = file(street, "tangled_cables", "NC-QX", "更远处的飞线", at(300));
  auto same_place = file(street, "tangled_cables", "NC-QX-C1", "小区门口飞线");
  auto other_kind = file(street, "greenery", "NC-QX-C1", "草坪枯黄");
  ASSERT_EQ(near.status, 201) << near.body;
  ASSERT_EQ(far.status, 201);
  auto r = resident.get("/api/work-orders/nearby?category=tangled_cables&place_id=" +
                        std::to_string(place_id("NC-QX-C1")));
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::int64_t> ids;
  auto r_doc1 = r.json();
  for (const auto& o : r_doc1.at("items").as_array()) {
    ids.insert(o.at("id").as_int64());
    EXPECT_EQ(str(o, "category"), "tangled_cables");
    EXPECT_LE(o.at("distance_m").as_int64(), 250);
  }
  EXPECT_TRUE(ids.count(near.json().at("id").as_int64()));
  EXPECT_TRUE(ids.count(same_place.json().at("id").as_int64()));
  EXPECT_FALSE(ids.count(far.json().at("id").as_int64()));
  EXPECT_FALSE(ids.count(other_kind.json().at("id").as_int64()));

  auto follow = resident.post("/api/work-orders/" + id_of(near) + "/follow", "{}");
  ASSERT_EQ(follow.status, 200) << follow.body;
  EXPECT_EQ(follow.json().at("followers").as_int64(), 1);
  auto mine = resident.get("/api/work-orders?mine=true&limit=500").json();
  bool listed = false;
  for (const auto& o : mine.at("items").as_array())
    listed = listed || o.at("id").as_int64() == near.json().at("id").as_int64();
  EXPECT_TRUE(listed);
  EXPECT_EQ(resident.get("/api/work-orders/" + id_of(near)).status, 200);  // followers may read it
  auto unfollow = resident.del("/api/work-orders/" + id_of(near) + "/follow");
  ASSERT_EQ(unfollow.status, 200) << unfollow.body;
  EXPECT_EQ(unfollow.json().at("followers").as_int64(), 0);
}

TEST_F(WorkOrders, NearbyShowsOnlyWhatTheCallerMayLookAtAndReadsOnlyWhatTheyMayRead) {
  auto street = as("street_admin"), resident = as("resident"), leader = as("building_leader");
  // An order in another community, and one in another building of the resident's.
  auto db = server_->open_db();
  auto point_of = [&](const std::string& code) {
    return db->read([&](storage::Tx& tx) {
      auto r = tx.query_one("SELECT lat_e6, lng_e6 FROM places WHERE code = $1", code);
      return std::make_pair(r->i64("lat_e6") / 1e6, r->i64("lng_e6") / 1e6);
    });
  };
  auto [gsh_lat, gsh_lng] = point_of("NC-GSH-C1");
  auto elsewhere = file(street, "noise", "NC-GSH-C1", "工商河小区夜间施工噪音",
                        {{"lat", gsh_lat}, {"lng", gsh_lng}});
  ASSERT_EQ(elsewhere.status, 201) << elsewhere.body;
  auto next_door = file(street, "noise", "NC-QX-C1-B3", "3号楼楼顶空调外机噪音");
  ASSERT_EQ(next_door.status, 201) << next_door.body;
  auto ask = [&](HttpClient& who, const std::string& code, std::optional<std::pair<double, double>> at) {
    std::string q = "/api/work-orders/nearby?category=noise&place_id=" + std::to_string(place_id(code));
    if (at) q += "&lat=" + std::to_string(at->first) + "&lng=" + std::to_string(at->second);
    auto r = who.get(q);
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::int64_t, json::object> out;
    auto doc = r.json();
    for (const auto& o : doc.at("items").as_array()) out[o.at("id").as_int64()] = o.as_object();
    return out;
  };
  auto elsewhere_id = elsewhere.json().at("id").as_int64();
  auto next_door_id = next_door.json().at("id").as_int64();
  // A point pointing at another community brings in nothing from there.
  EXPECT_FALSE(ask(resident, "NC-QX-C1-B1", std::make_pair(gsh_lat, gsh_lng)).count(elsewhere_id));
  EXPECT_FALSE(ask(leader, "NC-QX-C1-B1", std::make_pair(gsh_lat, gsh_lng)).count(elsewhere_id));
  // Within the community: a resident sees what a neighbour may see, not the text.
  auto seen = ask(resident, "NC-QX-C1-B3", std::nullopt);
  ASSERT_TRUE(seen.count(next_door_id));
  EXPECT_FALSE(seen[next_door_id].contains("text"));
  EXPECT_TRUE(seen[next_door_id].at("reduced").as_bool());
  EXPECT_EQ(str(seen[next_door_id], "category"), "noise");
  // A building leader only within what they may read: 3号楼 is not theirs.
  EXPECT_EQ(leader.get("/api/work-orders/nearby?category=noise&place_id=" +
                       std::to_string(place_id("NC-QX-C1-B3"))).status, 403);
  // Staff who may read it get it in full.
  auto full = ask(street, "NC-QX-C1-B3", std::nullopt);
  ASSERT_TRUE(full.count(next_door_id));
  EXPECT_EQ(str(full[next_door_id], "text"), "3号楼楼顶空调外机噪音");
}

TEST_F(WorkOrders, RecurrenceWindowAtItsEdges) {
  // The window is 30 days: a report 30 days less a minute after closing is a
  // recurrence; one 30 days and a minute after is not.
  auto resident = as("resident");
  auto first = closed_order("broken_structure", "NC-QX-C2-B1");
  constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  exec("UPDATE work_orders SET closed_at = $1 WHERE id = $2",
       {now_ms() - 30 * kDayMs + 60000, std::stoll(first)});
  auto inside = file(resident, "broken_structure", "NC-QX-C2-B1", "单元门玻璃又碎了");
  ASSERT_EQ(inside.status, 201) << inside.body;
  EXPECT_EQ(inside.json().at("recurrence_of").as_int64(), std::stoll(first));

  auto second = closed_order("blocked_drain", "NC-QX-C2-B2");
  exec("UPDATE work_orders SET closed_at = $1 WHERE id = $2",
       {now_ms() - 30 * kDayMs - 60000, std::stoll(second)});
  auto outside = file(resident, "blocked_drain", "NC-QX-C2-B2", "下水道又堵了");
  ASSERT_EQ(outside.status, 201);
  EXPECT_TRUE(outside.json().at("recurrence_of").is_null());
  // The earlier order lists its recurrences.
  auto earlier = as("community_admin").get("/api/work-orders/" + first).json();
  EXPECT_EQ(earlier.at("recurrences").as_array().size(), 1u);
}

TEST_F(WorkOrders, RepeatedRecurrencesMakeAHotSpotWithReinspections) {
  auto resident = as("resident"), grid = as("grid_worker"), community = as("community_admin");
  auto before = count("SELECT COUNT(*) FROM wo_inspections");
  // Threshold 2: closed, then two recurrences at the same place.
  auto a = closed_order("greenery", "NC-QX-C1-B2");
  auto b = file(resident, "greenery", "NC-QX-C1-B2", "楼前绿地又被踩秃了");
  ASSERT_FALSE(b.json().at("recurrence_of").is_null());
  EXPECT_EQ(std::to_string(b.json().at("recurrence_of").as_int64()), a);
  EXPECT_EQ(count("SELECT COUNT(*) FROM wo_inspections"), before);  // one recurrence: not yet
  auto bid = id_of(b);
  step(community, bid, "accept");
  step(community, bid, "dispatch");
  step(community, bid, "start");
  step(community, bid, "resolve");
  step(grid, bid, "verify");
  step(community, bid, "close");
  auto c = file(resident, "greenery", "NC-QX-C1-B2", "第三次反映绿地问题");
  EXPECT_EQ(c.json().at("recurrence_of").as_int64(), std::stoll(bid));
  EXPECT_EQ(count("SELECT COUNT(*) FROM wo_inspections"), before + 3);
  // Each with its reminder the day before it is due.
  EXPECT_EQ(count("SELECT COUNT(*) FROM scheduled_jobs j JOIN wo_inspections i ON i.id = j.ref_id WHERE "
                  "j.kind = 'workorder.inspection_due' AND j.due_at = i.due_at - 86400000 AND i.category = "
                  "'greenery' AND i.place_id = " + std::to_string(place_id("NC-QX-C1-B2"))),
            3);

  auto spots = community.get("/api/work-orders/hotspots").json().at("items").as_array();
  bool found = false;
  for (const auto& s : spots)
    if (s.at("place_id").as_int64() == place_id("NC-QX-C1-B2") && str(s, "category") == "greenery") {
      found = true;
      EXPECT_EQ(s.at("recurrences").as_int64(), 2);
      EXPECT_EQ(s.at("inspections_open").as_int64(), 3);
    }
  EXPECT_TRUE(found);
  // The grid worker of that building has the re-inspections and completes one.
  auto tasks = grid.get("/api/inspections?status=open").json().at("items").as_array();
  ASSERT_GE(tasks.size(), 3u);
  auto task = std::to_string(tasks[0].at("id").as_int64());
  auto done = grid.post("/api/inspections/" + task + "/complete",
                        R"({"note":"楼道已清空，张贴了提示","problem_found":false})");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(grid.post("/api/inspections/" + task + "/complete",
                      R"({"note":"again","problem_found":false})").status, 409);
  EXPECT_EQ(as("resident").get("/api/inspections").status, 403);
}

TEST_F(WorkOrders, PhotosAreCheckedByContentAndLoseTheirLocation) {
  auto resident = as("resident"), community = as("community_admin"), leader = as("building_leader");
  auto text = upload(resident, "这不是照片，只是改了扩展名的文本", "image/jpeg");
  EXPECT_EQ(text.status, 422);
  EXPECT_EQ(text.error_code(), "photo.bad_type");
  auto broken = upload(resident, jpeg_with_gps().substr(0, 40), "image/jpeg");
  EXPECT_EQ(broken.status, 422);
  // A small file declaring a picture of 65,500 × 65,500 pixels is refused
  // before anything would decode it; nothing is stored.
  std::string bomb = plain_jpeg();
  auto sof = bomb.find(std::string("\xFF\xC0", 2));
  for (int i = 5; i <= 8; ++i) bomb[sof + i] = static_cast<char>(0xFF);
  auto refused = upload(resident, bomb, "image/jpeg");
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.error_code(), "photo.too_many_pixels");

  std::string original = jpeg_with_gps();
  ASSERT_TRUE(has_gps_tag(original));
  auto up = upload(resident, original, "application/octet-stream");
  ASSERT_EQ(up.status, 201) << up.body;
  auto photo = str(up.json(), "id");
  EXPECT_EQ(str(up.json(), "mime"), "image/jpeg");
  // The stored file has no location and is named by its content.
  auto stored_path = server_->data_dir() + "/photos/" + photo.substr(0, 2) + "/" + photo;
  std::ifstream in(stored_path, std::ios::binary);
  ASSERT_TRUE(in) << stored_path;
  std::stringstream buf;
  buf << in.rdbuf();
  EXPECT_FALSE(has_gps_tag(buf.str()));
  EXPECT_EQ(exif_orientation(buf.str()), 6);

  auto png = upload(resident, png_with_exif(), "image/png");
  ASSERT_EQ(png.status, 201) << png.body;
  auto webp = upload(resident, webp_with_exif(), "image/webp");
  ASSERT_EQ(webp.status, 201) << webp.body;
  EXPECT_EQ(str(webp.json(), "mime"), "image/webp");

  // Only the uploader sees a photo until it is attached to an order.
  EXPECT_EQ(resident.get("/api/photos/" + photo).status, 200);
  EXPECT_EQ(leader.get("/api/photos/" + photo).status, 403);
  auto r = file(resident, "clutter", "NC-QX-C1-B1", "楼道杂物（附照片）",
                {{"photos", json::array{photo, str(png.json(), "id")}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("photos").as_array().size(), 2u);
  auto seen = community.get("/api/photos/" + photo);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.header("content-type"), "image/jpeg");
  EXPECT_FALSE(has_gps_tag(seen.body));
  // Someone else's photo cannot be attached.
  auto theirs = file(community, "clutter", "NC-QX-C1-B1", "x",
                     {{"photos", json::array{str(webp.json(), "id")}}});
  EXPECT_EQ(theirs.error_code(), "workorder.bad_photo");
}

// Every pixel is decoded at upload: a picture whose structure is sound but
// whose coded data is damaged is refused and nothing is kept; what is kept
// has a thumbnail that lists and phones show, served to the same people.
TEST_F(WorkOrders, PhotosAreDecodedAndShownAsThumbnails) {
  auto resident = as("resident"), community = as("community_admin"), leader = as("building_leader");
  std::string damaged = halves_jpeg(800, 600);
  auto scan = damaged.find(std::string("\xFF\xDA", 2));
  ASSERT_NE(scan, std::string::npos);
  for (std::size_t i = scan + 20; i + 4 < damaged.size(); i += 2) damaged[i] = '\0';
  auto refused = upload(resident, damaged, "image/jpeg");
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.error_code(), "photo.corrupt");

  auto up = upload(resident, halves_jpeg(2000, 1500), "image/jpeg");
  ASSERT_EQ(up.status, 201) << up.body;
  auto photo = str(up.json(), "id");
  EXPECT_EQ(str(up.json(), "thumb_url"), "/api/photos/" + photo + "?size=thumb");
  auto thumb = resident.get("/api/photos/" + photo + "?size=thumb");
  ASSERT_EQ(thumb.status, 200);
  EXPECT_EQ(thumb.header("content-type"), "image/jpeg");
  EXPECT_EQ(jpeg_size(thumb.body), std::make_pair(480, 360));
  auto full = resident.get("/api/photos/" + photo);
  EXPECT_EQ(jpeg_size(full.body), std::make_pair(2000, 1500));
  EXPECT_LT(thumb.body.size() * 4, full.body.size());
  EXPECT_EQ(resident.get("/api/photos/" + photo + "?size=huge").error_code(), "request.bad_query");
  // Only its uploader sees it until it shows on an order; then whoever may read the order.
  EXPECT_EQ(leader.get("/api/photos/" + photo + "?size=thumb").status, 403);
  auto r = file(resident, "clutter", "NC-QX-C1-B1", "楼道堆放杂物", {{"photos", json::array{photo}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto order = r.json();
  const auto& shown = order.at("photos").at(0);
  EXPECT_EQ(str(shown, "thumb_url"), "/api/photos/" + photo + "?size=thumb");
  EXPECT_EQ(community.get(std::string(shown.at("thumb_url").as_string())).status, 200);
  // A photo stored before thumbnails were made gets one when first asked.
  auto thumb_path = server_->data_dir() + "/photos/" + photo.substr(0, 2) + "/" + photo + ".thumb.jpg";
  ASSERT_TRUE(std::filesystem::remove(thumb_path));
  auto again = community.get("/api/photos/" + photo + "?size=thumb");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(jpeg_size(again.body), std::make_pair(480, 360));
  EXPECT_TRUE(std::filesystem::exists(thumb_path));
}

TEST_F(WorkOrders, ConsultationTopicFromAnOrder) {
  auto resident = as("resident"), community = as("community_admin"), property = as("property_staff");
  auto id = id_of(file(resident, "parking", "NC-QX-C1", "小区内车辆乱停，消防通道被占"));
  EXPECT_EQ(property.post("/api/work-orders/" + id + "/consultation", R"({"title":"x"})").status, 403);
  auto t = community.post("/api/work-orders/" + id + "/consultation",
                          R"({"title":"泉星花园停车秩序三方协商","resident_reps":["王桂兰","李建国"]})");
  ASSERT_EQ(t.status, 201) << t.body;
  EXPECT_EQ(str(t.json(), "property_org_name"), "山东双城环境服务有限公司");
  EXPECT_EQ(t.json().at("resident_reps").as_array().size(), 2u);
  EXPECT_EQ(str(t.json(), "community_name"), "泉星社区");
  EXPECT_EQ(community.post("/api/work-orders/" + id + "/consultation", R"({"title":"again"})").status, 409);
  auto order = community.get("/api/work-orders/" + id).json();
  EXPECT_FALSE(order.at("consultation_id").is_null());
  EXPECT_GE(community.get("/api/consultations").json().at("total").as_int64(), 1);
  auto topic = community.get("/api/consultations/" + std::to_string(t.json().at("id").as_int64()));
  ASSERT_EQ(topic.status, 200) << topic.body;
  EXPECT_EQ(str(topic.json(), "title"), "泉星花园停车秩序三方协商");
}

TEST_F(WorkOrders, ScorecardPerCompanyAndCompound) {
  auto street = as("street_admin");
  auto id = closed_order("lift", "NC-QX-C1-B1");
  as("resident").post("/api/work-orders/" + id + "/rating", R"({"score":3})");
  auto today = iso8601(now_ms() + 8 * 3600 * 1000).substr(0, 10);
  auto r = street.get("/api/work-orders/scorecard?from=" + today + "&to=" + today);
  ASSERT_EQ(r.status, 200) << r.body;
  const json::object* company = nullptr;
  auto r_doc2 = r.json();
  for (const auto& c : r_doc2.at("companies").as_array())
    if (str(c, "name") == "山东双城环境服务有限公司") company = &c.as_object();
  ASSERT_TRUE(company);
  EXPECT_GE(company->at("orders").as_int64(), 1);
  EXPECT_GE(company->at("resolved").as_int64(), 1);
  EXPECT_FALSE(company->at("on_time_rate").is_null());
  EXPECT_FALSE(company->at("resolution_p90_min").is_null());
  EXPECT_FALSE(company->at("satisfaction").is_null());
  bool compound = false;
  for (const auto& c : company->at("compounds").as_array()) compound = compound || str(c, "name") == "泉星花园";
  EXPECT_TRUE(compound);
  EXPECT_EQ(street.get("/api/work-orders/scorecard?from=2026-13-01&to=2026-12-01").error_code(),
            "workorder.bad_period");
  EXPECT_EQ(street.get("/api/work-orders/scorecard?from=2025-01-01&to=2026-12-01").status, 422);
}

TEST_F(WorkOrders, ListFiltersSortsAndExports) {
  auto street = as("street_admin");
  file(street, "lift", "NC-QX-C1-B2", "2号楼电梯困人");
  auto r = street.get("/api/work-orders?category=lift&sort=deadline_at&limit=5");
  ASSERT_EQ(r.status, 200) << r.body;
  auto r_doc3 = r.json();
  for (const auto& o : r_doc3.at("items").as_array()) EXPECT_EQ(str(o, "category"), "lift");
  EXPECT_EQ(street.get("/api/work-orders?sort=colour").status, 400);
  EXPECT_EQ(street.get("/api/work-orders?status=lost").status, 400);
  auto under = street.get("/api/work-orders?place_id=" + std::to_string(place_id("NC-QX-C1-B2")));
  auto under_doc4 = under.json();
  for (const auto& o : under_doc4.at("items").as_array()) EXPECT_EQ(str(o, "place_name"), "泉星花园2号楼");
  auto overdue = street.get("/api/work-orders?overdue=true").json();
  for (const auto& o : overdue.at("items").as_array()) EXPECT_TRUE(o.at("overdue").as_bool());
  auto csv = street.get("/api/work-orders?format=csv&category=lift");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("电梯故障"), std::string::npos);
  EXPECT_NE(csv.body.find("工单号"), std::string::npos);
}

TEST_F(WorkOrders, ConfigurationIsDataChangedOnlyByTheStreet) {
  auto street = as("street_admin"), community = as("community_admin"), resident = as("resident");
  EXPECT_EQ(community.patch("/api/work-order-categories/clutter", R"({"deadline_hours":12})").status, 403);
  auto changed = street.patch("/api/work-order-categories/clutter", R"({"deadline_hours":12})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json().at("deadline_hours").as_int64(), 12);
  EXPECT_EQ(street.patch("/api/work-order-categories/clutter", R"({"deadline_hours":0})").status, 422);
  // A rule sends clutter in 工商河社区 to sanitation.
  auto rule = street.post("/api/work-order-rules",
                          json::serialize(json::object{{"category", "clutter"},
                                                       {"place_id", place_id("NC-GSH")},
                                                       {"body", "sanitation"},
                                                       {"deadline_hours", 6}}));
  ASSERT_EQ(rule.status, 201) << rule.body;
  auto routed = file(street, "clutter", "NC-GSH-C1", "车棚杂物");
  EXPECT_EQ(str(routed.json(), "body"), "sanitation");
  auto filed = file(street, "clutter", "NC-QX-C1", "门口杂物");
  EXPECT_EQ(str(filed.json(), "body"), "property");
  EXPECT_EQ(street.post("/api/work-order-rules",
                        json::serialize(json::object{{"category", "clutter"},
                                                     {"place_id", place_id("NC-GSH")},
                                                     {"body", "street"}}))
                .status,
            409);
  EXPECT_EQ(street.patch("/api/work-order-settings", R"({"followup_days":-1})").status, 422);
  EXPECT_EQ(street.patch("/api/work-order-settings", R"({"colour":1})").status, 422);
  EXPECT_EQ(resident.patch("/api/work-order-settings", R"({"followup_days":7})").status, 403);
  street.del("/api/work-order-rules/" + id_of(rule));
  street.patch("/api/work-order-categories/clutter", R"({"deadline_hours":48})");
}

TEST_F(WorkOrders, ANewCategoryIsConfigurationAndReportsCanUseIt) {
  auto street = as("street_admin"), community = as("community_admin");
  json::object pigeons{{"key", "pigeons"}, {"zh", "鸽子扰民"}, {"en", "Pigeons"},
                       {"body", "community"}, {"deadline_hours", 36}};
  EXPECT_EQ(community.post("/api/work-order-categories", json::serialize(pigeons)).status, 403);
  auto bad_key = pigeons;
  bad_key["key"] = "Pigeons!";
  EXPECT_EQ(street.post("/api/work-order-categories", json::serialize(bad_key)).error_code(),
            "workorder.bad_category_key");
  auto bad_body = pigeons;
  bad_body["body"] = "army";
  EXPECT_EQ(street.post("/api/work-order-categories", json::serialize(bad_body)).error_code(),
            "workorder.bad_body");
  auto made = street.post("/api/work-order-categories", json::serialize(pigeons));
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(str(made.json(), "label"), "鸽子扰民");
  EXPECT_EQ(street.post("/api/work-order-categories", json::serialize(pigeons)).error_code(),
            "workorder.category_exists");
  auto filed = file(community, "pigeons", "NC-QX-C1", "楼顶鸽子太多");
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(str(filed.json(), "body"), "community");
  auto off = street.patch("/api/work-order-categories/pigeons", json::serialize(json::object{{"active", false}}));
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(file(community, "pigeons", "NC-QX-C1", "又来了").error_code(), "workorder.bad_category");
}

TEST_F(WorkOrders, PropertyStaffOfAnotherCompanyOnlyWatch) {
  // A property_staff login over 泉星花园 who is no contact of its company.
  auto admin = as("sys_admin"), security = as("security_admin");
  auto u = admin.post("/api/users", R"({"username":"other_property","display_name":"别家物业",)"
                                    R"("password":"Other@2026x"})");
  ASSERT_EQ(u.status, 201) << u.body;
  auto grant = security.post("/api/users/" + id_of(u) + "/roles",
                             json::serialize(json::object{{"role", "property_staff"},
                                                          {"place_id", place_id("NC-QX-C1")}}));
  ASSERT_EQ(grant.status, 201) << grant.body;
  HttpClient other = anonymous();
  ASSERT_EQ(other.login("other_property", "Other@2026x").status, 200);
  auto resident = as("resident");
  auto id = id_of(file(resident, "dirty_hallway", "NC-QX-C1-B1", "楼道有异味"));
  EXPECT_EQ(other.get("/api/work-orders/" + id).status, 200);
  EXPECT_EQ(step(other, id, "accept").status, 403);
  auto property = as("property_staff");
  EXPECT_EQ(status_of(step(property, id, "accept")), "accepted");
}

TEST_F(WorkOrders, StaffCannotReadPastTheirScopeByFollowing) {
  auto street = as("street_admin"), property = as("property_staff"), volunteer = as("volunteer");
  auto elsewhere = file(street, "clutter", "NC-QX-C2-B1", "2号院楼道堆物");
  ASSERT_EQ(elsewhere.status, 201);
  // Property staff serve 泉星花园 only: no following into another compound.
  EXPECT_EQ(property.post("/api/work-orders/" + id_of(elsewhere) + "/follow", "{}").status, 403);
  EXPECT_EQ(property.get("/api/work-orders/nearby?category=clutter&place_id=" +
                         std::to_string(place_id("NC-QX-C2-B1"))).status, 403);
  // A volunteer of the community may look and follow, like a resident.
  auto near = volunteer.get("/api/work-orders/nearby?category=clutter&place_id=" +
                            std::to_string(place_id("NC-QX-C2-B1")));
  EXPECT_EQ(near.status, 200);
  EXPECT_EQ(volunteer.post("/api/work-orders/" + id_of(elsewhere) + "/follow", "{}").status, 200);
  EXPECT_EQ(volunteer.post("/api/work-orders/" + id_of(elsewhere) + "/follow", "{}").json().at("followers").as_int64(), 1);
}

TEST_F(WorkOrders, AnAnonymousReporterStaysHiddenInEveryStep) {
  auto resident = as("resident"), community = as("community_admin"), volunteer = as("volunteer");
  auto r = file(resident, "lighting", "NC-QX-C1-B1", "楼道灯坏了", {{"anonymous", true}});
  auto id = id_of(r);
  ASSERT_EQ(volunteer.post("/api/work-orders/" + id + "/follow", "{}").status, 200);
  for (auto* s : {"accept", "dispatch", "start", "resolve"}) step(community, id, s);
  ASSERT_EQ(status_of(step(resident, id, "reopen", R"({"note":"还是不亮"})")), "reopened");
  auto seen = volunteer.get("/api/work-orders/" + id).json();
  EXPECT_FALSE(seen.as_object().contains("reporter"));
  int hidden = 0;
  for (const auto& e : seen.at("timeline").as_array()) {
    auto action = str(e, "action");
    if (action == "file" || action == "reopen") {
      EXPECT_TRUE(e.at("actor").is_null()) << action;
      ++hidden;
    } else {
      EXPECT_EQ(str(e, "actor"), "社区管理员（演示）");
    }
  }
  EXPECT_EQ(hidden, 2);
  auto own = resident.get("/api/work-orders/" + id).json();
  EXPECT_EQ(str(own.at("timeline").at(0), "actor"), "居民（演示）");
}

TEST_F(WorkOrders, TheSamePictureUploadedByTwoPeopleServesBoth) {
  auto resident = as("resident"), community = as("community_admin");
  auto a = upload(resident, plain_png(), "image/png");
  auto b = upload(community, plain_png(), "image/png");
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  EXPECT_EQ(str(a.json(), "id"), str(b.json(), "id"));
  EXPECT_EQ(community.get("/api/photos/" + str(b.json(), "id")).status, 200);
  auto r = file(community, "greenery", "NC-QX-C1", "草坪有垃圾",
                {{"photos", json::array{str(b.json(), "id")}}});
  EXPECT_EQ(r.status, 201) << r.body;
}

// Scheduled work survives a restart: an order overdue while the server was
// down is escalated when it comes back, once; a closed order's follow-up
// question is asked, and "not fixed" reopens it.
TEST(WorkOrderSchedule, EscalationAndFollowUpSurviveARestart) {
  TestServer server({"--scheduler-interval-ms", "200"});
  auto login = [&](const std::string& who) {
    HttpClient c = server.client();
    EXPECT_EQ(c.login(who, kDemoPassword).status, 200);
    return c;
  };
  auto db = server.open_db();
  auto place = db->read([](storage::Tx& tx) {
    return tx.query_one("SELECT id FROM places WHERE code = 'NC-QX-C1-B1'")->i64(0);
  });
  auto resident = login("resident");
  auto r = resident.post("/api/work-orders",
                         json::serialize(json::object{
                             {"category", "dirty_hallway"}, {"place_id", place}, {"text", "楼道脏乱"}}));
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = r.json().at("id").as_int64();
  EXPECT_EQ(r.json().at("escalation_level").as_int64(), 0);

  server.stop();
  // While the server is down, the deadline passes.
  db->write([&](storage::Tx& tx) {
    tx.exec("UPDATE work_orders SET deadline_at = $1 WHERE id = $2", now_ms() - 1000, id);
    tx.exec("UPDATE scheduled_jobs SET due_at = $1 WHERE kind = 'workorder.escalate' AND ref_id = $2",
            now_ms() - 1000, id);
  });
  server.start();
  auto community = login("community_admin");
  json::value order;
  for (int i = 0; i < 100; ++i) {
    order = community.get("/api/work-orders/" + std::to_string(id)).json();
    if (order.at("escalation_level").as_int64() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(order.at("escalation_level").as_int64(), 1);
  EXPECT_TRUE(order.at("overdue").as_bool());
  EXPECT_EQ(str(order.at("timeline").as_array().back(), "action"), "escalate_community");
  // The community's dispatchers are told; the street's are not (yet).
  auto told = [&](HttpClient c) {
    auto inbox = c.get("/api/inbox?limit=100").json();
    for (const auto& n : inbox.at("items").as_array())
      if (str(n, "kind") == "workorder.overdue" && n.at("subject_id").as_int64() == id) return str(n, "text");
    return std::string();
  };
  EXPECT_EQ(told(community), "诉求 #" + std::to_string(id) + " 超过办理时限，已提级到社区督办");
  EXPECT_EQ(told(login("street_admin")), "");
  // Once: the next step up waits for another deadline period.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  order = community.get("/api/work-orders/" + std::to_string(id)).json();
  EXPECT_EQ(order.at("escalation_level").as_int64(), 1);
  auto pending = db->read([&](storage::Tx& tx) {
    return tx.query_one("SELECT COUNT(*) FROM scheduled_jobs WHERE ref_id = $1 AND kind = "
                        "'workorder.escalate' AND done_at IS NULL AND due_at > $2",
                        id, now_ms())->i64(0);
  });
  EXPECT_EQ(pending, 1);

  // Follow-up: asked right after closing when followup_days is 0.
  auto street = login("street_admin");
  ASSERT_EQ(street.patch("/api/work-order-settings", R"({"followup_days":0})").status, 200);
  auto property = login("property_staff"), grid = login("grid_worker");
  auto sid = std::to_string(id);
  for (auto* s : {"accept", "dispatch"}) community.post("/api/work-orders/" + sid + "/actions/" + s, "{}");
  for (auto* s : {"start", "resolve"}) property.post("/api/work-orders/" + sid + "/actions/" + s, "{}");
  grid.post("/api/work-orders/" + sid + "/actions/verify", "{}");
  auto closed = community.post("/api/work-orders/" + sid + "/actions/close", "{}");
  ASSERT_EQ(str(closed.json(), "status"), "closed");
  for (int i = 0; i < 100; ++i) {
    order = resident.get("/api/work-orders/" + sid).json();
    if (order.at("can_answer_followup").as_bool()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(order.at("can_answer_followup").as_bool());
  auto answer = resident.post("/api/work-orders/" + sid + "/followup",
                              R"({"stayed_fixed":false,"comment":"又脏了"})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(str(answer.json(), "status"), "reopened");
  EXPECT_EQ(answer.json().at("escalation_level").as_int64(), 0);
}

}  // namespace xh::test
