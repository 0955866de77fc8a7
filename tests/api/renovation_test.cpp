// Renovation projects (GOV-4): stages in order, each closed only with what it
// needs — a publicity notice (read counts), a passed intention vote, a passed
// plan vote and a chosen option, every defect fixed by the contractor and
// re-checked — inspections by staff and resident supervisors, defects as the
// contractor's work orders, upkeep that files an order each time it is due;
// followed by the compound's residents and nobody else.
#include <atomic>
#include <chrono>
#include <thread>

#include "api_test.h"
#include "support/images.h"

namespace xh::test {

class Renovation : public ApiTest {
 protected:
  // The upkeep job runs when due (the scheduler looks five times a second).
  static void SetUpTestSuite() {
    server_ = std::make_unique<TestServer>(std::vector<std::string>{"--scheduler-interval-ms", "200"});
  }
  static std::string path(std::int64_t id) { return "/api/renovations/" + std::to_string(id); }
  static std::int64_t demo_project(HttpClient who) {
    auto list = who.get("/api/renovations").json();
    for (const auto& x : list.at("items").as_array())
      if (str(x, "title") == "泉星花园老旧小区改造") return x.at("id").as_int64();
    return 0;
  }
  static std::string order_step(HttpClient who, std::int64_t order, const std::string& action) {
    auto r = who.post("/api/work-orders/" + std::to_string(order) + "/actions/" + action, R"({"note":"已整改"})");
    EXPECT_EQ(r.status, 200) << action << " " << r.body;
    return r.status == 200 ? str(r.json(), "status") : "";
  }
  static std::int64_t vote(HttpClient& staff, std::int64_t place, const std::string& title) {
    auto made = staff.post("/api/owner-votes", json::serialize(json::object{
        {"place_id", place}, {"title", title}, {"matter", "rebuild_or_renovate"},
        {"closes_at", "2030-01-31T18:00:00+08:00"}}));
    EXPECT_EQ(made.status, 201) << made.body;
    return made.json().at("id").as_int64();
  }
};

TEST_F(Renovation, SupervisorsLogInspectionsWithPhotosAndDefectsGoToTheContractor) {
  auto staff = as("community_admin");
  auto resident = as("resident");
  auto id = demo_project(staff);
  ASSERT_GT(id, 0);
  auto up = resident.request("POST", "/api/uploads/photos", halves_jpeg(64, 48),
                             {{"Content-Type", "image/jpeg"}, {"X-CSRF-Token", resident.csrf}});
  ASSERT_EQ(up.status, 201) << up.body;
  auto photo = str(up.json(), "id");
  EXPECT_EQ(resident.post(path(id) + "/inspections", json::serialize(json::object{
      {"text", "x"}, {"defect", {{"title", "y"}, {"deadline_at", "2020-01-01T00:00:00+08:00"}}}})).error_code(),
      "renovation.bad_deadline");
  auto before = as("property_staff").get("/api/work-orders?category=renovation_defect").json().at("total").as_int64();
  auto logged = resident.post(path(id) + "/inspections", json::serialize(json::object{
      {"text", "3号楼脚手架下未设警示带"}, {"photos", json::array{json::string(photo)}},
      {"defect", {{"title", "3号楼脚手架下未设警示带"}, {"deadline_at", "2030-01-01T18:00:00+08:00"}}}}));
  ASSERT_EQ(logged.status, 201) << logged.body;
  auto p = logged.json();
  EXPECT_TRUE(p.at("inspections").at(0).at("supervisor").as_bool());
  EXPECT_EQ(str(p.at("inspections").at(0).at("photos").at(0), "id"), photo);
  EXPECT_EQ(as("property_staff").get("/api/work-orders?category=renovation_defect").json().at("total").as_int64(),
            before + 1);
  // The compound's people see the log's photo; another community does not.
  EXPECT_EQ(as("building_leader").get("/api/photos/" + photo).status, 200);
  EXPECT_EQ(elsewhere().get("/api/photos/" + photo).status, 403);
  // Nobody else inspects: a volunteer reads the project but is no supervisor.
  EXPECT_EQ(as("volunteer").post(path(id) + "/inspections", R"({"text":"x"})").status, 403);
}

TEST_F(Renovation, TheDemoProjectWaitsOnItsOpenDefectUntilTheContractorFixesItAndItIsChecked) {
  auto resident = as("resident");
  auto staff = as("community_admin");
  auto id = demo_project(resident);
  ASSERT_GT(id, 0);
  auto p = resident.get(path(id)).json();
  EXPECT_EQ(str(p, "stage"), "construction");
  EXPECT_TRUE(p.at("votes").at("intention").at("passed").as_bool());
  EXPECT_TRUE(p.at("votes").at("plan").at("passed").as_bool());
  EXPECT_GE(p.at("defects_open").as_int64(), 1);
  EXPECT_FALSE(p.at("may_manage").as_bool());
  EXPECT_TRUE(p.at("may_inspect").as_bool());  // the demo resident supervises it
  auto stages = p.at("stages").as_array();
  ASSERT_EQ(stages.size(), 5u);
  EXPECT_EQ(str(stages.at(0), "state"), "done");
  EXPECT_EQ(str(stages.at(3), "state"), "current");
  EXPECT_FALSE(stages.at(3).at("ready").as_bool());
  EXPECT_EQ(str(stages.at(3), "needs"), "仍有问题未整改复查销项");
  // The intention vote was counted as Article 278 counts: more than 2/3 took part, more than 3/4 agreed.
  auto intention = resident.get("/api/owner-votes/" + std::to_string(p.at("votes").at("intention").at("id").as_int64()));
  ASSERT_EQ(intention.status, 200);
  EXPECT_TRUE(intention.json().at("result").at("passed").as_bool());

  // Another community's staff reach nothing of it; the resident manages nothing.
  EXPECT_EQ(elsewhere().get(path(id)).error_code(), "renovation.not_found");
  EXPECT_EQ(resident.post(path(id) + "/advance", "{}").status, 403);
  EXPECT_EQ(staff.post(path(id) + "/advance", "{}").error_code(), "renovation.defects_open");

  // Each defect is the contractor's work order: its staff fix it, the community's staff check it.
  auto property = as("property_staff");
  for (const auto& defect : p.at("defects").as_array()) {
    if (defect.at("closed").as_bool()) continue;
    auto order = defect.at("order_id").as_int64();
    auto seen = property.get("/api/work-orders/" + std::to_string(order));
    ASSERT_EQ(seen.status, 200) << seen.body;
    EXPECT_EQ(str(seen.json(), "category"), "renovation_defect");
    EXPECT_EQ(str(seen.json(), "body_name"), "山东双城环境服务有限公司");
    order_step(property, order, "accept");
    order_step(staff, order, "dispatch");
    order_step(property, order, "start");
    EXPECT_EQ(order_step(property, order, "resolve"), "resolved");
    // Fixed is not enough: re-inspected first.
    EXPECT_EQ(staff.post(path(id) + "/advance", "{}").error_code(), "renovation.defects_open");
    EXPECT_EQ(order_step(staff, order, "verify"), "verified");
  }
  auto advanced = staff.post(path(id) + "/advance", R"({"note":"竣工验收合格"})");
  ASSERT_EQ(advanced.status, 200) << advanced.body;
  EXPECT_EQ(str(advanced.json(), "stage"), "maintenance");
  EXPECT_EQ(staff.post(path(id) + "/advance", "{}").error_code(), "renovation.last_stage");
  EXPECT_EQ(resident.post(path(id) + "/inspections", R"({"text":"x"})").error_code(), "renovation.not_construction");
  EXPECT_GE(audit_count("renovation.advance"), 4);

  // Upkeep: when due, a work order for the contractor, and the next time set.
  auto upkeep = staff.post(path(id) + "/upkeep", R"({"title":"充电桩月度安全检查","every_days":30})");
  ASSERT_EQ(upkeep.status, 201) << upkeep.body;
  auto task = upkeep.json().at("upkeep").at(0).at("id").as_int64();
  server_->open_db()->write([&](storage::Tx& tx) {
    tx.exec("UPDATE renovation_maintenance SET next_due_at = 1 WHERE id = $1", task);
    tx.exec("UPDATE scheduled_jobs SET due_at = 0 WHERE kind = 'renovation.upkeep' AND ref_id = $1 AND done_at IS NULL",
            task);
  });
  json::value filed;
  for (int i = 0; i < 50; ++i) {
    filed = staff.get(path(id)).json().at("upkeep").at(0).at("last_order_id");
    if (!filed.is_null()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(filed.is_null());
  auto maintenance = property.get("/api/work-orders/" + std::to_string(filed.as_int64())).json();
  EXPECT_EQ(str(maintenance, "category"), "renovation_maintenance");
}

TEST_F(Renovation, EachStageClosesOnlyWithWhatItNeeds) {
  auto staff = as("community_admin");
  auto resident = as("resident");
  auto building = place_id("NC-QX-C1-B1");
  auto contractor = server_->open_db()->read([&](storage::Tx& tx) {
    return tx.query_one("SELECT id FROM orgs WHERE name = '山东双城环境服务有限公司'")->i64("id");
  });
  // Checked when opened.
  EXPECT_EQ(staff.post("/api/renovations", json::serialize(json::object{
      {"place_id", place_id("NC-QX")}, {"title", "x"}})).error_code(), "renovation.bad_place");
  EXPECT_EQ(staff.post("/api/renovations", json::serialize(json::object{
      {"place_id", building}, {"title", "x"}, {"items", json::array{"rocket"}}})).error_code(), "renovation.bad_item");
  EXPECT_EQ(resident.post("/api/renovations", json::serialize(json::object{
      {"place_id", building}, {"title", "x"}})).status, 403);
  auto made = staff.post("/api/renovations", json::serialize(json::object{
      {"place_id", building}, {"title", "1号楼加装电梯"}, {"items", json::array{"lifts", "handrails"}},
      {"contractor_org_id", contractor}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto id = made.json().at("id").as_int64();
  EXPECT_EQ(str(made.json(), "stage"), "publicity");
  auto first = staff.get("/api/renovations?limit=1").json();
  EXPECT_EQ(first.at("items").as_array().size(), 1u);
  EXPECT_EQ(first.at("items").at(0).at("id").as_int64(), id);  // the latest first
  EXPECT_GE(first.at("total").as_int64(), 2);

  // Publicity: a notice first; every resident account under the building gets it, and its reads are counted.
  EXPECT_EQ(staff.post(path(id) + "/advance", "{}").error_code(), "renovation.needs_notice");
  auto sent = staff.post(path(id) + "/notices", R"({"text":"1号楼加装电梯意愿征集下周开始"})");
  ASSERT_EQ(sent.status, 201) << sent.body;
  auto notice = sent.json().at("notices").at(0);
  EXPECT_EQ(notice.at("sent").as_int64(), 1);
  EXPECT_EQ(notice.at("read").as_int64(), 0);
  auto inbox = resident.get("/api/inbox?limit=5").json();
  std::int64_t note = 0;
  for (const auto& n : inbox.at("items").as_array())
    if (!note && str(n, "subject_type") == "renovation_notice") note = n.at("id").as_int64();  // the newest
  ASSERT_GT(note, 0);
  ASSERT_EQ(resident.post("/api/inbox/" + std::to_string(note) + "/read", "{}").status, 200);
  EXPECT_EQ(staff.get(path(id)).json().at("notices").at(0).at("read").as_int64(), 1);
  auto shown = resident.get("/api/renovation-notices/" + std::to_string(notice.at("id").as_int64()));
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.json().at("project_id").as_int64(), id);
  EXPECT_EQ(elsewhere().get("/api/renovation-notices/" + std::to_string(notice.at("id").as_int64())).status, 404);
  ASSERT_EQ(staff.post(path(id) + "/advance", "{}").status, 200);

  // Intention: a vote of this place, closed and passed.
  EXPECT_EQ(staff.post(path(id) + "/advance", "{}").error_code(), "renovation.needs_vote");
  auto elsewhere_vote = vote(staff, place_id("NC-QX-C1-B2"), "2号楼表决");
  EXPECT_EQ(staff.post(path(id) + "/votes", json::serialize(json::object{
      {"stage", "intention"}, {"owner_vote_id", elsewhere_vote}})).error_code(), "renovation.bad_vote");
  auto v = vote(staff, building, "1号楼加装电梯意愿征集");
  // The votes that bind the building: held at it or over it (the compound's), not a neighbour's.
  auto binding = staff.get("/api/owner-votes?place_id=" + std::to_string(building)).json();
  bool here = false, next_door = false, compound = false;
  for (const auto& x : binding.at("items").as_array()) {
    here = here || x.at("id").as_int64() == v;
    next_door = next_door || x.at("id").as_int64() == elsewhere_vote;
    compound = compound || str(x, "title") == "泉星花园老旧小区改造意愿征集";
  }
  EXPECT_TRUE(here);
  EXPECT_FALSE(next_door);
  EXPECT_TRUE(compound);
  EXPECT_EQ(binding.at("total").as_int64(), static_cast<std::int64_t>(binding.at("items").as_array().size()));
  EXPECT_EQ(staff.get("/api/owner-votes?status=finished").status, 400);
  EXPECT_EQ(staff.get("/api/owner-votes?place_id=999999").status, 400);
  auto closed = staff.get("/api/owner-votes?status=closed&limit=1").json();
  EXPECT_EQ(closed.at("items").as_array().size(), 1u);
  EXPECT_GE(closed.at("total").as_int64(), 2);
  ASSERT_EQ(staff.post(path(id) + "/votes", json::serialize(json::object{
      {"stage", "intention"}, {"owner_vote_id", v}})).status, 200);
  EXPECT_EQ(staff.post(path(id) + "/advance", "{}").error_code(), "renovation.vote_open");
  auto vpath = "/api/owner-votes/" + std::to_string(v);
  ASSERT_EQ(staff.post(vpath + "/open", "{}").status, 200);
  ASSERT_EQ(resident.post(vpath + "/ballot", R"({"choice":"agree"})").status, 200);
  ASSERT_EQ(staff.post(vpath + "/close", "{}").status, 200);
  EXPECT_EQ(staff.post(path(id) + "/advance", "{}").error_code(), "renovation.vote_failed");  // one owner of 36
  // The project stays where it was; every refusal changed nothing.
  auto still = resident.get(path(id)).json();
  EXPECT_EQ(str(still, "stage"), "intention");
  EXPECT_EQ(still.at("history").as_array().size(), 3u);  // publicity entered, closed; intention entered

  // Inspections are for construction; a supervisor must live here.
  EXPECT_EQ(staff.post(path(id) + "/inspections", R"({"text":"x"})").error_code(), "renovation.not_construction");
  EXPECT_EQ(staff.post(path(id) + "/supervisors", R"({"username":"volunteer"})").error_code(),
            "renovation.bad_supervisor");
  ASSERT_EQ(staff.post(path(id) + "/supervisors", R"({"username":"resident"})").status, 201);
  EXPECT_EQ(staff.post(path(id) + "/upkeep", R"({"title":"x","every_days":30})").error_code(), "renovation.too_early");

  // Plan options are chosen once, by staff.
  auto option = staff.post(path(id) + "/options", R"({"title":"方案一：每单元加装一部电梯"})");
  ASSERT_EQ(option.status, 201);
  auto oid = option.json().at("options").at(0).at("id").as_int64();
  EXPECT_EQ(staff.post(path(id) + "/options/99999/choose", "{}").error_code(), "renovation.option_not_found");
  EXPECT_EQ(resident.post(path(id) + "/options/" + std::to_string(oid) + "/choose", "{}").status, 403);
  auto chosen = staff.post(path(id) + "/options/" + std::to_string(oid) + "/choose", "{}");
  ASSERT_EQ(chosen.status, 200);
  EXPECT_TRUE(chosen.json().at("options").at(0).at("chosen").as_bool());
}

TEST_F(Renovation, TwoStaffMovingTheProjectAtOnceMoveItOnce) {
  auto staff = as("community_admin");
  auto made = staff.post("/api/renovations", json::serialize(json::object{
      {"place_id", place_id("NC-QX-C1-B3")}, {"title", "3号楼楼道照明改造"}, {"items", json::array{"lighting"}}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto id = made.json().at("id").as_int64();
  ASSERT_EQ(staff.post(path(id) + "/notices", R"({"text":"3号楼楼道照明改造下周开始"})").status, 201);
  std::atomic<int> moved{0}, refused{0};
  std::vector<std::thread> clicks;
  for (const char* who : {"community_admin", "street_admin", "community_admin", "street_admin"})
    clicks.emplace_back([&, c = as(who)]() mutable {
      auto r = c.post(path(id) + "/advance", "{}");
      if (r.status == 200) ++moved;
      if (r.status == 409) ++refused;
    });
  for (auto& t : clicks) t.join();
  EXPECT_EQ(moved.load(), 1);
  EXPECT_EQ(refused.load(), 3);
  auto p = staff.get(path(id)).json();
  EXPECT_EQ(str(p, "stage"), "intention");
  EXPECT_EQ(p.at("history").as_array().size(), 3u);  // entered, closed, entered: once
}

}  // namespace xh::test
