// The street's places, people and partners (FND-1, FND-2, FND-3).
#include <regex>
#include <set>
#include <thread>

#include "api_test.h"
#include "support/xlsx_cells.h"

namespace xh::test {

class Street : public ApiTest {
 protected:
  static std::string id_of(const std::string& code) { return std::to_string(place_id(code)); }
  static HttpResponse find_resident(HttpClient& c, const std::string& household_code) {
    return c.get("/api/residents?household_id=" + id_of(household_code));
  }
};

TEST_F(Street, HouseholdsKeepTheirExactAreaAndBuildingsTheirGrid) {
  auto c = as("community_admin");
  auto r = c.post("/api/places", R"({"parent_id":)" + id_of("NC-QX-C1-B1-U1") +
                                     R"(,"kind":"household","name":"泉星花园1号楼1单元701室","exclusive_area":"89.5"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(str(r.json(), "exclusive_area"), "89.50");
  auto bad = c.post("/api/places", R"({"parent_id":)" + id_of("NC-QX-C1-B1-U1") +
                                       R"(,"kind":"household","name":"702室","exclusive_area":"89.555"})");
  EXPECT_EQ(bad.error_code(), "place.bad_area");
  auto wrong_kind = c.post("/api/places", R"({"parent_id":)" + id_of("NC-QX-C1") +
                                              R"(,"kind":"building","name":"8号楼","exclusive_area":"10"})");
  EXPECT_EQ(wrong_kind.error_code(), "place.field_not_for_kind");
  // A building may only belong to a grid of its own community.
  auto other_grid = c.post("/api/places", R"({"parent_id":)" + id_of("NC-QX-C1") +
                                              R"(,"kind":"building","name":"8号楼","grid_id":)" +
                                              id_of("NC-GSH-G1") + "}");
  EXPECT_EQ(other_grid.error_code(), "place.bad_grid");
  auto street = as("street_admin");
  auto cross = street.post("/api/places", R"({"parent_id":)" + id_of("NC-QX-C1") +
                                              R"(,"kind":"building","name":"8号楼","grid_id":)" +
                                              id_of("NC-GSH-G1") + "}");
  EXPECT_EQ(cross.error_code(), "place.bad_grid");
}

// Each role's place by name, with what contains it: a grid worker learns its
// community (above its scope) and nothing else; a resident, their home.
TEST_F(Street, EachRolesPlaceIsNamedWithWhatContainsIt) {
  auto grid = as("grid_worker").get("/api/places/mine");
  ASSERT_EQ(grid.status, 200) << grid.body;
  auto doc = grid.json();
  const auto& items = doc.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(str(items[0], "role"), "grid_worker");
  EXPECT_EQ(str(items[0].at("place"), "name"), "泉星社区第一网格");
  EXPECT_EQ(str(items[0].at("place"), "kind"), "grid");
  std::vector<std::string> above;
  for (const auto& a : items[0].at("ancestors").as_array()) above.push_back(str(a, "name"));
  EXPECT_EQ(above, (std::vector<std::string>{"南村街道", "泉星社区"}));
  // The community is named to the grid worker, though it is above their scope.
  EXPECT_EQ(as("grid_worker").get("/api/places/" + std::to_string(place_id("NC-QX"))).status, 403);
  auto home = as("resident").get("/api/places/mine").json();
  EXPECT_EQ(str(home.at("items").at(0).at("place"), "kind"), "household");
  EXPECT_EQ(home.at("items").at(0).at("ancestors").as_array().size(), 5u);  // street, community, compound, building, unit
  EXPECT_EQ(anonymous().get("/api/places/mine").status, 401);
  // With the community named, a grid worker reads the points rules and
  // settings they earn under there — not another community's.
  auto community = std::to_string(str(items[0].at("ancestors").at(1), "name") == "泉星社区"
                                      ? items[0].at("ancestors").at(1).at("id").as_int64()
                                      : 0);
  auto worker = as("grid_worker");
  EXPECT_EQ(worker.get("/api/points/rules?community_id=" + community).status, 200);
  auto settings = worker.get("/api/points/settings?community_id=" + community);
  EXPECT_EQ(settings.status, 200) << settings.body;
  auto elsewhere = std::to_string(place_id("NC-GSH"));
  EXPECT_EQ(worker.get("/api/points/settings?community_id=" + elsewhere).error_code(), "auth.scope_denied");
}

TEST_F(Street, TreeAndArchive) {
  auto c = as("community_admin");
  auto tree = c.get("/api/places/" + id_of("NC-QX-C1-B1") + "/tree?depth=2");
  ASSERT_EQ(tree.status, 200) << tree.body;
  auto doc = tree.json();
  EXPECT_EQ(doc.at("children").as_array().size(), 3u);                       // three units
  EXPECT_EQ(doc.at("children").at(0).at("children").as_array().size(), 12u);  // twelve homes each
  auto busy = c.post("/api/places/" + id_of("NC-QX-C1-B1-U1") + "/archive", "");
  EXPECT_EQ(busy.status, 409);
  EXPECT_EQ(busy.error_code(), "place.has_children");
  auto lived_in = c.post("/api/places/" + id_of("NC-QX-C1-B1-U1-102") + "/archive", "");
  EXPECT_EQ(lived_in.error_code(), "place.has_members");
  auto empty = c.post("/api/places", R"({"parent_id":)" + id_of("NC-QX-C1-B1-U2") +
                                         R"(,"kind":"household","name":"空置房"})");
  auto id = std::to_string(empty.json().at("id").as_int64());
  auto archived = c.post("/api/places/" + id + "/archive", "");
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_TRUE(archived.json().at("archived").as_bool());
  EXPECT_EQ(c.get("/api/places?q=%E7%A9%BA%E7%BD%AE%E6%88%BF").json().at("total").as_int64(), 0);
  EXPECT_EQ(c.get("/api/places?archived=true&q=%E7%A9%BA%E7%BD%AE%E6%88%BF").json().at("total").as_int64(), 1);
}

TEST_F(Street, ABuildingMovedToAnotherGridTakesItsResidentsAlong) {
  // 星光苑3号楼 belongs to the second grid; the demo grid worker serves the first.
  auto grid_worker = as("grid_worker");
  auto before = find_resident(grid_worker, "NC-QX-C3-B3-U1-101");
  ASSERT_TRUE(before.status == 403 || before.json().at("total").as_int64() == 0) << before.body;
  auto c = as("community_admin");
  auto moved = c.patch("/api/places/" + id_of("NC-QX-C3-B3"),
                       json::serialize(json::object{{"grid_id", place_id("NC-QX-G1")}}));
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto after = find_resident(grid_worker, "NC-QX-C3-B3-U1-101");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_GE(after.json().at("total").as_int64(), 1);
  auto unit = grid_worker.get("/api/places/" + id_of("NC-QX-C3-B3-U1"));
  EXPECT_EQ(unit.status, 200) << unit.body;
  // And back: the first grid's worker loses them again.
  auto back = c.patch("/api/places/" + id_of("NC-QX-C3-B3"),
                      json::serialize(json::object{{"grid_id", place_id("NC-QX-G2")}}));
  ASSERT_EQ(back.status, 200) << back.body;
  auto gone = find_resident(grid_worker, "NC-QX-C3-B3-U1-101");
  EXPECT_TRUE(gone.status == 403 || gone.json().at("total").as_int64() == 0) << gone.body;
  EXPECT_EQ(grid_worker.get("/api/places/" + id_of("NC-QX-C3-B3-U1")).status, 403);
}

TEST_F(Street, ACompoundsCompanyMustBeAPropertyCompany) {
  auto c = as("community_admin");
  auto school = c.get("/api/partners?q=" + std::string("%E7%9D%BF%E6%98%9F"));  // 睿星
  ASSERT_EQ(school.status, 200) << school.body;
  auto school_id = school.json().at("items").at(0).at("id").as_int64();
  auto refused = c.patch("/api/places/" + id_of("NC-QX-C3"),
                         json::serialize(json::object{{"property_org_id", school_id}}));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.error_code(), "place.bad_property_org");
  auto compound = c.get("/api/places/" + id_of("NC-QX-C3")).json();
  EXPECT_TRUE(compound.at("property_org_id").is_null() ||
              compound.at("property_org_id").as_int64() != school_id);
}

TEST_F(Street, ChineseSubstringSearchFindsPlacesAndPeople) {
  auto c = as("street_admin");
  // Two characters (below the trigram length) and three (through the index).
  auto two = c.get("/api/places?kind=community&q=%E6%B3%89%E6%98%9F");  // 泉星
  ASSERT_EQ(two.status, 200);
  ASSERT_EQ(two.json().at("total").as_int64(), 1);
  EXPECT_EQ(str(two.json().at("items").at(0), "name"), "泉星社区");
  auto three = c.get("/api/places?kind=compound&q=%E6%98%9F%E5%85%89%E8%8B%91");  // 星光苑
  ASSERT_EQ(three.json().at("total").as_int64(), 1);
  auto middle = c.get("/api/places?kind=community&q=%E5%95%86%E6%B2%B3");  // 商河, inside 工商河社区
  EXPECT_EQ(middle.json().at("total").as_int64(), 1);
  auto by_address = c.get("/api/places?kind=compound&q=%E5%A4%A9%E6%A1%A5%E5%8C%BA");  // 天桥区
  EXPECT_EQ(by_address.json().at("total").as_int64(), 12);
  auto partners = c.get("/api/partners?q=%E7%9D%BF%E6%98%9F");  // 睿星
  EXPECT_EQ(partners.json().at("total").as_int64(), 1);
}

TEST_F(Street, ResidentsAreValidatedAndTheirIdentityIsUnique) {
  auto c = as("community_admin");
  std::string household = id_of("NC-QX-C1-B2-U1-101");
  auto ok = c.post("/api/residents", R"({"name":"王秀英","id_number":"11010519491231002X","phone":"13812345678","household_id":)" +
                                         household + R"(,"relation":"family","tags":["独居老人"]})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(str(ok.json(), "birth_date"), "1949-12-31");
  EXPECT_EQ(str(ok.json(), "gender"), "female");
  EXPECT_EQ(str(ok.json(), "phone"), "13812345678");  // community staff see it in full
  auto again = c.post("/api/residents", R"({"name":"冒名","id_number":"11010519491231002x","household_id":)" +
                                            household + R"(,"relation":"family"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "resident.exists");
  struct Case {
    std::string body, code;
  } cases[] = {
      {R"("id_number":"110105194912310021")", "resident.bad_id_number"},  // check character
      {R"("id_number":"110105194902300021")", "resident.bad_id_number"},  // 30 February
      {R"("id_number":"11010519491231002")", "resident.bad_id_number"},   // 17 characters
      {R"("phone":"1381234567")", "resident.bad_phone"},
      {R"("phone":"23812345678")", "resident.bad_phone"},
  };
  for (const auto& k : cases) {
    auto r = c.post("/api/residents", R"({"name":"测试",)" + k.body + R"(,"household_id":)" +
                                          household + R"(,"relation":"family"})");
    EXPECT_EQ(r.status, 422) << k.body;
    EXPECT_EQ(r.error_code(), k.code) << k.body;
  }
  EXPECT_EQ(c.post("/api/residents", R"({"name":"测试","household_id":)" + household +
                                         R"(,"relation":"boss"})").error_code(),
            "resident.bad_relation");
  EXPECT_EQ(c.post("/api/residents", R"({"name":"测试","household_id":)" + household +
                                         R"(,"relation":"family","tags":["VIP"]})").error_code(),
            "resident.bad_tag");
}

TEST_F(Street, PersonalDataIsEncryptedAtRest) {
  auto db = server_->open_db();
  db->read([](storage::Tx& tx) {
    auto r = tx.query_one(
        "SELECT phone_enc, id_number_enc, id_number_index FROM residents WHERE phone_enc IS NOT NULL "
        "ORDER BY id LIMIT 1");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->str(0).rfind("v1:", 0), 0u);
    EXPECT_EQ(r->str(1).rfind("v1:", 0), 0u);
    EXPECT_EQ(r->str(2).size(), 64u);
    EXPECT_EQ(r->str(0).find("370105"), std::string::npos);
    EXPECT_EQ(r->str(1).find("370105"), std::string::npos);
  });
}

TEST_F(Street, MaskedFieldsStayMaskedInListsDetailsAndExports) {
  auto community = as("community_admin");
  auto full = find_resident(community, "NC-QX-C1-B1-U1-102").json().at("items").at(0);
  std::string id = std::to_string(full.at("id").as_int64());
  std::string phone = full.at("phone").is_string() ? str(full, "phone") : "";
  std::string id_number = str(full, "id_number");
  ASSERT_EQ(id_number.size(), 18u);
  EXPECT_FALSE(full.at("id_number_masked").as_bool());

  auto check_masked = [&](const json::value& r, bool phone_masked) {
    EXPECT_EQ(str(r, "id_number"), id_number.substr(0, 4) + "**********" + id_number.substr(14));
    if (phone_masked && !phone.empty()) {
      EXPECT_EQ(str(r, "phone"), phone.substr(0, 3) + "****" + phone.substr(7));
    }
  };
  auto street = as("street_admin");
  check_masked(street.get("/api/residents/" + id).json(), true);
  // With the ID masked, only the year of birth: the full date would give the ID back.
  EXPECT_EQ(str(street.get("/api/residents/" + id).json(), "birth_date"), id_number.substr(6, 4));
  check_masked(find_resident(street, "NC-QX-C1-B1-U1-102").json().at("items").at(0), true);
  auto leader = as("building_leader");
  check_masked(leader.get("/api/residents/" + id).json(), true);
  // The grid worker may call residents, but does not see their ID numbers.
  auto grid = as("grid_worker");
  auto g = grid.get("/api/residents/" + id).json();
  check_masked(g, false);
  if (!phone.empty()) EXPECT_EQ(str(g, "phone"), phone);

  for (const char* format : {"csv", "xlsx"}) {
    auto file = street.get("/api/residents?household_id=" + id_of("NC-QX-C1-B1-U1-102") +
                           "&format=" + format);
    ASSERT_EQ(file.status, 200) << file.body;
    EXPECT_EQ(file.body.find(id_number), std::string::npos) << format;
    if (!phone.empty()) EXPECT_EQ(file.body.find(phone), std::string::npos) << format;
    // Named after the list, its scope and the day.
    EXPECT_TRUE(std::regex_search(file.header("content-disposition"),
                                  std::regex(std::string("filename=\"residents-place[0-9]+-20[0-9]{2}-[0-9]{2}-[0-9]{2}\\.") + format + "\"")))
        << file.header("content-disposition");
  }
  auto csv = street.get("/api/residents?household_id=" + id_of("NC-QX-C1-B1-U1-102") + "&format=csv");
  EXPECT_NE(csv.body.find("姓名"), std::string::npos);
  // Stored keys are written as words people read.
  EXPECT_EQ(csv.body.find("female"), std::string::npos);
  EXPECT_TRUE(csv.body.find(",男,") != std::string::npos || csv.body.find(",女,") != std::string::npos);
  auto needs = street.get("/api/needs?format=csv");
  EXPECT_NE(needs.body.find("待认领"), std::string::npos);
  EXPECT_NE(needs.body.find("为老服务"), std::string::npos);
  EXPECT_NE(csv.body.find(id_number.substr(0, 4) + "**********"), std::string::npos);
  auto xlsx = street.get("/api/residents?household_id=" + id_of("NC-QX-C1-B1-U1-102") + "&format=xlsx");
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
}

TEST_F(Street, CareTagsOnlyForCareStaffAndAssignedHelpers) {
  auto community = as("community_admin");
  auto list = community.get("/api/residents?tag=%E7%8B%AC%E5%B1%85%E8%80%81%E4%BA%BA&limit=1");  // 独居老人
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_GE(list.json().at("total").as_int64(), 1);
  EXPECT_TRUE(list.json().at("items").at(0).as_object().contains("tags"));

  // Someone in the building leader's own building.
  auto someone = find_resident(community, "NC-QX-C1-B1-U2-201").json().at("items").at(0);
  auto id = std::to_string(someone.at("id").as_int64());
  auto tagged = community.request("PUT", "/api/residents/" + id + "/tags", R"({"tags":["残疾人"]})",
                                  {{"Content-Type", "application/json"}, {"X-CSRF-Token", community.csrf}});
  ASSERT_EQ(tagged.status, 200) << tagged.body;
  EXPECT_EQ(tagged.json().at("tags").at(0).as_string(), "残疾人");
  auto leader = as("building_leader");
  auto before = leader.get("/api/residents/" + id);
  ASSERT_EQ(before.status, 200);
  EXPECT_FALSE(before.json().as_object().contains("tags"));
  auto street = as("street_admin");
  EXPECT_FALSE(street.get("/api/residents/" + id).json().as_object().contains("tags"));
  EXPECT_EQ(street.get("/api/residents?tag=%E7%8B%AC%E5%B1%85%E8%80%81%E4%BA%BA").status, 403);
  // Once assigned as the resident's helper, the leader sees the tags.
  auto leader_id = as("security_admin").get("/api/users?q=building_leader").json().at("items").at(0).at("id");
  auto assign = community.post("/api/residents/" + id + "/helpers",
                               "{\"user_id\":" + json::serialize(leader_id) + "}");
  ASSERT_EQ(assign.status, 200) << assign.body;
  auto after = leader.get("/api/residents/" + id).json();
  ASSERT_TRUE(after.as_object().contains("tags"));
  EXPECT_EQ(after.at("tags").at(0).as_string(), "残疾人");
  // Setting tags is care work: not for the leader.
  EXPECT_EQ(leader.request("PUT", "/api/residents/" + id + "/tags", R"({"tags":[]})",
                           {{"Content-Type", "application/json"}, {"X-CSRF-Token", leader.csrf}}).status,
            403);
}

TEST_F(Street, CommunityAdminSeesAndChangesOnlyTheirResidents) {
  auto qx = as("community_admin");
  auto theirs = as("street_admin").get("/api/residents?household_id=" + id_of("NC-GSH-C1-B1-U1-101"));
  auto other = std::to_string(theirs.json().at("items").at(0).at("id").as_int64());
  EXPECT_EQ(qx.get("/api/residents/" + other).status, 403);
  EXPECT_EQ(qx.patch("/api/residents/" + other, R"({"name":"改名"})").status, 403);
  auto list = qx.get("/api/residents?under_id=" + id_of("NC-GSH"));
  EXPECT_EQ(list.json().at("total").as_int64(), 0);
  auto all = qx.get("/api/residents?limit=1");
  auto street_all = as("street_admin").get("/api/residents?limit=1");
  EXPECT_LT(all.json().at("total").as_int64(), street_all.json().at("total").as_int64());
  EXPECT_GT(all.json().at("total").as_int64(), 1000);
  // A resident sees the people of their own household and no one else.
  auto me = as("resident").get("/api/residents");
  ASSERT_EQ(me.status, 200);
  auto mine = me.json();
  EXPECT_GE(mine.at("total").as_int64(), 1);
  for (const auto& r : mine.at("items").as_array())
    EXPECT_EQ(str(r.at("households").at(0), "household_name"), "泉星花园1号楼1单元101室");
}

TEST_F(Street, PartnersAgreementsAndTheThreeLists) {
  auto street = as("street_admin");
  auto partners = street.get("/api/partners?limit=100");
  ASSERT_EQ(partners.status, 200);
  std::int64_t shuangcheng = 0, ruixing = 0;
  auto partners_doc = partners.json();
  for (const auto& o : partners_doc.at("items").as_array()) {
    if (str(o, "name") == "山东双城环境服务有限公司") shuangcheng = o.at("id").as_int64();
    if (str(o, "name") == "睿星教育") ruixing = o.at("id").as_int64();
  }
  ASSERT_TRUE(shuangcheng && ruixing);
  auto detail = street.get("/api/partners/" + std::to_string(shuangcheng));
  EXPECT_EQ(str(detail.json().at("agreements").at(0), "signed_on"), "2022-06-01");
  EXPECT_EQ(str(detail.json(), "kind"), "property_company");

  // The community sees its own partners and the street's, not another community's.
  auto qx = as("community_admin");
  auto seen = qx.get("/api/partners?limit=100").json().at("items").as_array();
  bool river_team = false, knives = false;
  for (const auto& o : seen) {
    river_team = river_team || str(o, "name") == "河小工护河队";  // 工商河社区's
    knives = knives || str(o, "name") == "朝乐磨刀队";            // the street's
  }
  EXPECT_FALSE(river_team);
  EXPECT_TRUE(knives);

  auto bad_term = qx.post("/api/partners/" + std::to_string(ruixing) + "/agreements",
                          R"({"title":"续签","signed_on":"2025-06-01","term_start":"2025-06-01","term_end":"2024-05-31","commitments":"课业辅导"})");
  EXPECT_EQ(bad_term.error_code(), "partner.bad_term");

  // A need, the resources that could meet it, and the project that matches them.
  auto need = qx.post("/api/needs", R"({"place_id":)" + id_of("NC-QX-C2") +
                                        R"(,"category":"elderly","title":"行动不便老人上门理发"})");
  ASSERT_EQ(need.status, 201) << need.body;
  auto need_id = std::to_string(need.json().at("id").as_int64());
  auto suggestions = qx.get("/api/needs/" + need_id + "/suggestions");
  ASSERT_EQ(suggestions.status, 200);
  auto items = suggestions.json().at("items").as_array();
  ASSERT_FALSE(items.empty());
  EXPECT_EQ(str(items.at(0), "category"), "elderly");
  std::int64_t haircut = 0;
  for (const auto& s : items)
    if (str(s, "org_name") == "花剪子理发队") haircut = s.at("id").as_int64();
  ASSERT_TRUE(haircut);
  auto project = qx.post("/api/projects", R"({"need_id":)" + need_id + R"(,"title":"花剪子进星光苑","resource_ids":[)" +
                                              std::to_string(haircut) + "]}");
  ASSERT_EQ(project.status, 201) << project.body;
  EXPECT_EQ(str(project.json().at("resources").at(0), "org_name"), "花剪子理发队");
  auto needs = qx.get("/api/needs?status=matched");
  EXPECT_GE(needs.json().at("total").as_int64(), 1);
  EXPECT_EQ(qx.post("/api/needs", R"({"place_id":)" + id_of("NC-QX") +
                                      R"(,"category":"karaoke","title":"x"})").error_code(),
            "partner.bad_category");
  EXPECT_EQ(as("grid_worker").get("/api/partners").status, 403);
}

TEST_F(Street, PartnerContactsManageTheirOwnResourcesOnly) {
  auto partner = as("partner_admin");
  auto mine = partner.get("/api/partners?q=%E7%9D%BF%E6%98%9F%E6%95%99%E8%82%B2");  // 睿星教育
  ASSERT_EQ(mine.status, 200) << mine.body;
  auto org = std::to_string(mine.json().at("items").at(0).at("id").as_int64());
  auto added = partner.post("/api/resources", R"({"org_id":)" + org + R"(,"place_id":)" + id_of("NC-QX") +
                                                  R"(,"category":"education","title":"暑期编程兴趣班","capacity":"每期 15 人"})");
  EXPECT_EQ(added.status, 201) << added.body;
  auto others = as("street_admin").get("/api/partners?q=%E5%8F%8C%E5%9F%8E").json().at("items").at(0);  // 双城
  auto theirs = partner.post("/api/resources", R"({"org_id":)" + std::to_string(others.at("id").as_int64()) +
                                                   R"(,"place_id":)" + id_of("NC-QX") +
                                                   R"(,"category":"repair","title":"冒名资源"})");
  EXPECT_EQ(theirs.status, 403);
  // A contact keeps the description, not who the organisation is.
  EXPECT_EQ(partner.patch("/api/partners/" + org, R"({"description":"课业辅导与兴趣班"})").status, 200);
  EXPECT_EQ(partner.patch("/api/partners/" + org, R"({"name":"改名教育"})").status, 403);
}

}  // namespace xh::test

namespace xh::test {

TEST_F(Street, DashboardFiguresFollowTheCallersScope) {
  auto street = as("street_admin").get("/api/dashboard/summary").json();
  auto community = as("community_admin").get("/api/dashboard/summary").json();
  EXPECT_EQ(street.at("places").at("community").as_int64(), 4);
  EXPECT_EQ(community.at("places").at("community").as_int64(), 1);
  EXPECT_GT(community.at("residents").as_int64(), 1000);
  EXPECT_LT(community.at("residents").as_int64(), street.at("residents").as_int64());
  auto grid = as("grid_worker").get("/api/dashboard/summary").json();
  EXPECT_EQ(grid.at("places").at("building").as_int64(), 6);
  EXPECT_FALSE(grid.as_object().contains("partners"));
  auto audit = as("audit_admin").get("/api/dashboard/summary").json();
  EXPECT_TRUE(audit.as_object().empty());
}

TEST(Gen, GeneratesAStreetThatServesItsBenchmarkLogins) {
  TestServer server;
  std::string out;
  ASSERT_EQ(server.cli({"gen", "--streets", "1", "--seed", "7"}, &out), 0) << out;
  // Every module's part, at the sizes the bench figures are measured on: 8
  // communities of 4 grids and 9 compounds of 10 buildings of 3 units of 12
  // households; 1 to 4 residents a household; 4 partners a community; 35
  // work orders a building; a volunteer team a community with 12 activities; a
  // risk point a compound.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(
      "generated: 1 streets, 28913 places, 25920 households, ([0-9]+) residents, 32 partners, "
      "25200 work orders, 8 teams, 96 activities, 72 risk points in [0-9.e+-]+ s"))) << out;
  std::int64_t residents = std::stoll(m[1]);
  EXPECT_GT(residents, 25920 * 2);
  EXPECT_LT(residents, 25920 * 3);
  EXPECT_NE(out.find("benchmark logins: bench_street, bench_community (Bench@2026)"), std::string::npos) << out;
  {
    auto db = server.open_db();
    db->read([&](storage::Tx& tx) {
      auto street = tx.query_one("SELECT id, path FROM places WHERE code = 'GEN-S001'");
      ASSERT_TRUE(street);
      std::string path = street->str("path"), end = path.substr(0, path.size() - 1) + "0";
      auto homes = tx.query_one(
          "SELECT COUNT(*) AS n, MIN(k) AS least, MAX(k) AS most FROM (SELECT COUNT(m.id) AS k "
          "FROM places h LEFT JOIN household_members m ON m.household_id = h.id WHERE h.kind = "
          "'household' AND h.path >= $1 AND h.path < $2 AND h.area_centi_m2 IS NOT NULL GROUP BY "
          "h.id) x",
          path, end);
      EXPECT_EQ(homes->i64("n"), 25920);
      EXPECT_EQ(homes->i64("least"), 1);
      EXPECT_EQ(homes->i64("most"), 4);
      EXPECT_EQ(tx.query_one("SELECT COUNT(DISTINCT m.resident_id) AS n FROM household_members m "
                             "JOIN residents r ON r.id = m.resident_id WHERE m.path >= $1 AND "
                             "m.path < $2 AND r.id_number_index IS NOT NULL AND r.phone_enc IS NOT "
                             "NULL", path, end)->i64("n"), residents);
      EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM work_orders w JOIN wo_events e ON "
                             "e.order_id = w.id WHERE w.path >= $1 AND w.path < $2", path, end)
                    ->i64("n"), 25200);
      EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'gen' AND "
                             "target_type = 'place' AND target_id = $1",
                             std::to_string(street->i64("id")))->i64("n"), 1);
    });
  }
  auto c = server.client();
  ASSERT_EQ(c.login("bench_community", "Bench@2026").status, 200);
  auto summary = c.get("/api/dashboard/summary").json();
  EXPECT_EQ(summary.at("places").at("household").as_int64(), 25920 / 8);
  EXPECT_EQ(c.get("/api/work-orders?limit=1").json().at("total").as_int64(), 25200 / 8);
  EXPECT_EQ(c.get("/api/partners?limit=1").json().at("total").as_int64(), 4);
  auto street = server.client();
  ASSERT_EQ(street.login("bench_street", "Bench@2026").status, 200);
  EXPECT_EQ(street.get("/api/places?kind=community&limit=500").json().at("total").as_int64(), 8);
  auto resident = server.client();
  ASSERT_EQ(resident.login("bench_resident", "Bench@2026").status, 200);
  EXPECT_EQ(resident.get("/api/points/me").json().at("balance").as_int64(), 100000000);
  EXPECT_EQ(resident.get("/api/points/items?limit=1").json().at("items").as_array().size(), 1u);

  // A second run adds the next street, and the logins stay where they are.
  ASSERT_EQ(server.cli({"gen", "--streets", "1"}, &out), 0) << out;
  EXPECT_NE(out.find("generated: 1 streets, 28913 places, 25920 households, "), std::string::npos) << out;
  EXPECT_EQ(street.get("/api/places?kind=community&limit=500").json().at("total").as_int64(), 8);
  EXPECT_EQ(server.open_db()->read([](storage::Tx& tx) {
    return tx.query_one("SELECT COUNT(*) AS n FROM places WHERE code = 'GEN-S002'")->i64("n");
  }), 1);

  // The ledger, for `ledger verify`: two postings a transaction.
  ASSERT_EQ(server.cli({"gen", "--scale", "none", "--ledger-transactions", "1000"}, &out), 0) << out;
  EXPECT_NE(out.find("积分流水 / ledger transactions 1000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("积分分录 / postings written: 2000\n"), std::string::npos) << out;
  std::string verify;
  EXPECT_EQ(server.cli({"ledger", "verify"}, &verify), 0) << verify;
  EXPECT_EQ(server.cli({"audit", "verify"}, &verify), 0) << verify;
}

}  // namespace xh::test

namespace xh::test {

TEST_F(Street, AccountsAndTheAuditLogExportLikeEveryOtherList) {
  auto sys = as("sys_admin");
  auto users = sys.get("/api/users?limit=2");
  ASSERT_EQ(users.status, 200);
  EXPECT_GE(users.json().at("total").as_int64(), 11);
  EXPECT_EQ(users.json().at("items").as_array().size(), 2u);
  auto csv = sys.get("/api/users?format=csv&limit=1000");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("登录名"), std::string::npos);
  EXPECT_NE(csv.body.find("community_admin"), std::string::npos);
  EXPECT_EQ(csv.body.find("argon2"), std::string::npos);  // no secrets in exports
  auto audit = as("audit_admin").get("/api/audit?format=xlsx&limit=1000");
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.body.substr(0, 2), "PK");
  EXPECT_EQ(as("community_admin").get("/api/audit?format=csv").status, 403);
}

}  // namespace xh::test

namespace xh::test {

namespace {
std::set<std::string> strings(const json::value& array) {
  std::set<std::string> out;
  for (const auto& v : array.as_array()) out.insert(std::string(v.as_string()));
  return out;
}
std::string body(json::object o) { return json::serialize(o); }
}  // namespace

TEST_F(Street, ConsentsAreGrantedAndWithdrawnKindByKind) {
  auto c = as("community_admin");
  auto id = std::to_string(
      find_resident(c, "NC-QX-C2-B4-U2-301").json().at("items").at(0).at("id").as_int64());
  auto consents = "/api/residents/" + id + "/consents";
  struct Step {
    const char* kind;
    bool granted;
    std::set<std::string> after;
  } steps[] = {
      {"public_name", true, {"public_name"}},
      {"photo_publication", true, {"photo_publication", "public_name"}},
      {"public_name", false, {"photo_publication"}},
      {"public_name", true, {"photo_publication", "public_name"}},
      {"photo_publication", false, {"public_name"}},
  };
  auto audited = audit_count("resident.consent");
  for (const auto& s : steps) {
    auto r = c.post(consents, body({{"kind", s.kind}, {"granted", s.granted}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(strings(r.json().at("consents")), s.after) << s.kind << " " << s.granted;
  }
  EXPECT_EQ(audit_count("resident.consent"), audited + 5);
  EXPECT_EQ(strings(c.get("/api/residents/" + id).json().at("consents")),
            (std::set<std::string>{"public_name"}));
  auto unknown = c.post(consents, body({{"kind", "marketing"}, {"granted", true}}));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.error_code(), "resident.bad_consent");
  EXPECT_EQ(c.post(consents, body({{"kind", "public_name"}})).error_code(),
            "request.missing_field");
  // The street reads residents; recording what they agreed to is the community's.
  EXPECT_EQ(
      as("street_admin").post(consents, body({{"kind", "public_name"}, {"granted", true}})).status,
      403);
}

TEST_F(Street, AResidentBelongsToAtLeastOneHousehold) {
  auto c = as("community_admin");
  auto someone = find_resident(c, "NC-QX-C2-B4-U2-302").json().at("items").at(0);
  auto id = std::to_string(someone.at("id").as_int64());
  auto first = someone.at("households").at(0).at("household_id").as_int64();
  auto second = place_id("NC-QX-C2-B4-U2-401");
  auto households = "/api/residents/" + id + "/households";
  auto added = c.post(households, body({{"household_id", second}, {"relation", "tenant"}}));
  ASSERT_EQ(added.status, 200) << added.body;
  ASSERT_EQ(added.json().at("households").as_array().size(), 2u);
  EXPECT_EQ(str(added.json().at("households").at(1), "relation"), "tenant");
  // Adding it again changes nothing: the membership keeps its relation.
  auto again = c.post(households, body({{"household_id", second}, {"relation", "owner"}}));
  ASSERT_EQ(again.status, 200) << again.body;
  ASSERT_EQ(again.json().at("households").as_array().size(), 2u);
  EXPECT_EQ(str(again.json().at("households").at(1), "relation"), "tenant");
  struct Refusal {
    json::object body;
    int status;
    const char* code;
  } refusals[] = {
      {{{"household_id", second}, {"relation", "lodger"}}, 422, "resident.bad_relation"},
      {{{"household_id", place_id("NC-QX-C2-B4-U2")}, {"relation", "family"}},
       422,
       "resident.bad_household"},
      {{{"household_id", place_id("NC-GSH-C1-B1-U1-102")}, {"relation", "family"}},
       403,
       "auth.scope_denied"},
  };
  for (const auto& r : refusals) {
    auto res = c.post(households, json::serialize(r.body));
    EXPECT_EQ(res.status, r.status) << json::serialize(r.body);
    EXPECT_EQ(res.error_code(), r.code) << json::serialize(r.body);
  }
  auto removed = c.del(households + "/" + std::to_string(first));
  ASSERT_EQ(removed.status, 200) << removed.body;
  ASSERT_EQ(removed.json().at("households").as_array().size(), 1u);
  EXPECT_EQ(removed.json().at("households").at(0).at("household_id").as_int64(), second);
  auto last = c.del(households + "/" + std::to_string(second));
  EXPECT_EQ(last.status, 409);
  EXPECT_EQ(last.error_code(), "resident.last_household");
  auto not_member = c.del(households + "/" + std::to_string(first));
  EXPECT_EQ(not_member.status, 404);
  EXPECT_EQ(not_member.error_code(), "resident.membership_not_found");
  EXPECT_EQ(c.get("/api/residents/999999999").error_code(), "resident.not_found");
}

TEST_F(Street, AResidentsNameAndIdentityAreChangedAndStayUnique) {
  auto c = as("community_admin");
  auto items = find_resident(c, "NC-QX-C2-B4-U2-501").json().at("items");
  auto id = std::to_string(items.at(0).at("id").as_int64());
  auto other = find_resident(c, "NC-QX-C2-B4-U2-502").json().at("items").at(0);
  auto changed =
      c.patch("/api/residents/" + id, body({{"name", "改名测试"}, {"phone", "0531-88001122"}}));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(str(changed.json(), "name"), "改名测试");
  EXPECT_EQ(str(changed.json(), "phone"), "0531-88001122");
  auto taken = c.patch("/api/residents/" + id, body({{"id_number", str(other, "id_number")}}));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.error_code(), "resident.exists");
  EXPECT_EQ(c.patch("/api/residents/" + id, body({{"name", ""}})).error_code(),
            "resident.bad_name");
  EXPECT_EQ(c.patch("/api/residents/" + id, body({{"phone", "12"}})).error_code(),
            "resident.bad_phone");
  EXPECT_EQ(str(c.get("/api/residents/" + id).json(), "name"), "改名测试");
  // Sorted by name, both ways.
  auto up = c.get("/api/residents?household_id=" + id_of("NC-QX-C2-B4-U2-501") + "&sort=name");
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(c.get("/api/residents?sort=age").error_code(), "request.bad_sort");
}

TEST_F(Street, ContactsPhonesAreShownInFullToWhoManagesThePartner) {
  auto street = as("street_admin");
  auto org = street.get("/api/partners?q=%E5%8F%8C%E5%9F%8E").json().at("items").at(0);  // 双城
  auto contacts = "/api/partners/" + std::to_string(org.at("id").as_int64()) + "/contacts";
  auto added = street.post(
      contacts, body({{"name", "联络测试"}, {"title", "专员"}, {"phone", "13905310002"}}));
  ASSERT_EQ(added.status, 201) << added.body;
  auto phone_of = [](const json::value& detail) {
    for (const auto& c : detail.at("contacts").as_array())
      if (str(c, "name") == "联络测试") return str(c, "phone");
    return std::string();
  };
  EXPECT_EQ(phone_of(added.json()), "13905310002");
  // The partner admin of 睿星 sees the street's partner, not its contacts' phones.
  auto seen = as("partner_admin").get("/api/partners/" + std::to_string(org.at("id").as_int64()));
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(phone_of(seen.json()), "139****0002");
  auto staff =
      as("security_admin").get("/api/users?q=property_staff").json().at("items").at(0).at("id");
  struct Refusal {
    json::object body;
    int status;
    const char* code;
  } refusals[] = {
      {{{"name", "x"}, {"phone", "12345"}}, 422, "resident.bad_phone"},
      {{{"name", "x"}, {"user_id", 999999999}}, 422, "user.not_found"},
      {{{"name", "红管家"}, {"user_id", staff}}, 409, "partner.contact_exists"},
      {{{"title", "x"}}, 422, "request.missing_field"},
  };
  for (const auto& r : refusals) {
    auto res = street.post(contacts, json::serialize(r.body));
    EXPECT_EQ(res.status, r.status) << json::serialize(r.body);
    EXPECT_EQ(res.error_code(), r.code) << json::serialize(r.body);
  }
  // The street's partners are the street's to manage, not a community's.
  EXPECT_EQ(as("community_admin").post(contacts, body({{"name", "x"}})).status, 403);
}

TEST_F(Street, AProjectDoneClosesItsNeed) {
  auto qx = as("community_admin");
  auto team =
      qx.get("/api/partners?q=%E6%B3%89%E5%BF%83%E6%84%BF").json().at("items").at(0);  // 泉心愿
  auto team_id = team.at("id").as_int64();
  auto resource = qx.post("/api/resources", body({{"org_id", team_id},
                                                  {"place_id", place_id("NC-QX")},
                                                  {"category", "health"},
                                                  {"title", "上门测血压"}}));
  ASSERT_EQ(resource.status, 201) << resource.body;
  EXPECT_EQ(str(resource.json(), "status"), "available");
  EXPECT_EQ(str(resource.json(), "org_name"), "泉心愿志愿服务队");
  auto resource_id = resource.json().at("id").as_int64();
  auto offered = qx.get("/api/resources?org_id=" + std::to_string(team_id) + "&category=health");
  ASSERT_EQ(offered.json().at("total").as_int64(), 1) << offered.body;
  EXPECT_EQ(offered.json().at("items").at(0).at("id").as_int64(), resource_id);
  auto need = qx.post("/api/needs", body({{"place_id", place_id("NC-QX-C3")},
                                          {"category", "health"},
                                          {"title", "星光苑老人测血压"}}));
  ASSERT_EQ(need.status, 201) << need.body;
  EXPECT_EQ(str(need.json(), "status"), "open");
  EXPECT_EQ(str(need.json(), "place_name"), "星光苑");
  auto need_id = need.json().at("id").as_int64();
  // Lists of the three kinds show the newest first.
  EXPECT_EQ(qx.get("/api/needs?limit=1").json().at("items").at(0).at("id").as_int64(), need_id);
  EXPECT_EQ(qx.get("/api/resources?limit=1").json().at("items").at(0).at("id").as_int64(),
            resource_id);
  auto suggested = qx.get("/api/needs/" + std::to_string(need_id) + "/suggestions").json();
  ASSERT_FALSE(suggested.at("items").as_array().empty());
  EXPECT_EQ(suggested.at("items").at(0).at("id").as_int64(), resource_id);
  EXPECT_EQ(str(suggested.at("items").at(0), "match"), "covers_place");
  auto project = qx.post("/api/projects", body({{"need_id", need_id},
                                                {"title", "血压测量进星光苑"},
                                                {"resource_ids", json::array{resource_id}}}));
  ASSERT_EQ(project.status, 201) << project.body;
  EXPECT_EQ(str(project.json(), "status"), "planned");
  EXPECT_EQ(str(project.json(), "need_title"), "星光苑老人测血压");
  auto project_path = "/api/projects/" + std::to_string(project.json().at("id").as_int64());
  auto need_status = [&] {
    auto needs = qx.get("/api/needs?category=health&limit=500").json();
    for (const auto& n : needs.at("items").as_array())
      if (n.at("id").as_int64() == need_id) return str(n, "status");
    return std::string();
  };
  EXPECT_EQ(need_status(), "matched");
  struct Step {
    const char* status;
    int http;
    const char* need;
  } steps[] = {{"finished", 422, "matched"}, {"active", 200, "matched"}, {"done", 200, "closed"}};
  for (const auto& s : steps) {
    auto r = qx.patch(project_path, body({{"status", s.status}}));
    EXPECT_EQ(r.status, s.http) << s.status << ": " << r.body;
    if (r.status == 200) EXPECT_EQ(str(r.json(), "status"), s.status);
    EXPECT_EQ(need_status(), s.need) << s.status;
  }
  auto newest = qx.get("/api/projects?limit=1").json();
  EXPECT_EQ(newest.at("items").at(0).at("id").as_int64(), project.json().at("id").as_int64());
  auto done = qx.get("/api/projects?status=done").json();
  ASSERT_GE(done.at("total").as_int64(), 1);
  EXPECT_EQ(str(done.at("items").at(0).at("resources").at(0), "title"), "上门测血压");
  auto closed = qx.post("/api/projects", body({{"need_id", need_id},
                                               {"title", "再来一次"},
                                               {"resource_ids", json::array{resource_id}}}));
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(closed.error_code(), "need.closed");
  EXPECT_EQ(qx.patch("/api/projects/999999999", body({{"status", "done"}})).error_code(),
            "project.not_found");
  EXPECT_EQ(qx.post("/api/projects", body({{"need_id", 999999999},
                                           {"title", "x"},
                                           {"resource_ids", json::array{resource_id}}}))
                .error_code(),
            "need.not_found");
}

TEST_F(Street, APagePastTheEndStillCountsEveryMatch) {
  auto street = as("street_admin");
  for (const std::string& list :
       std::vector<std::string>{"/api/partners", "/api/needs", "/api/resources", "/api/projects",
                                "/api/residents", "/api/residents?under_id=" + id_of("NC-QX")}) {
    auto join = list.find('?') == std::string::npos ? "?" : "&";
    auto first = street.get(list + join + "limit=1");
    ASSERT_EQ(first.status, 200) << list << ": " << first.body;
    auto past = street.get(list + join + "offset=1000000").json();
    EXPECT_TRUE(past.at("items").as_array().empty()) << list;
    EXPECT_EQ(past.at("total"), first.json().at("total")) << list;
  }
}

}  // namespace xh::test

namespace xh::test {

// An export is the whole list, not its first page; numbers are numbers and
// times are Beijing date cells (read back with a real XLSX parser); CSV times
// are Beijing local times.
TEST_F(Street, ExportsAreTheWholeListWithTypedCells) {
  auto street = as("street_admin");
  auto total = street.get("/api/places?limit=1").json().at("total").as_int64();
  ASSERT_GT(total, 50);
  auto csv = street.get("/api/places?format=csv");
  ASSERT_EQ(csv.status, 200);
  std::int64_t lines = 0;
  for (char ch : csv.body) lines += ch == '\n';
  EXPECT_EQ(lines, total + 1) << "an export without limit is the whole list";

  auto community = as("community_admin");
  auto orders = community.get("/api/work-orders?format=csv");
  ASSERT_EQ(orders.status, 200);
  auto second_line = orders.body.substr(orders.body.find("\r\n") + 2);
  second_line = second_line.substr(0, second_line.find("\r\n"));
  EXPECT_TRUE(std::regex_search(second_line,
                                std::regex("^[0-9]+,20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2},")))
      << second_line;
  EXPECT_EQ(orders.body.find("Z,"), std::string::npos) << "no UTC ISO times";

  auto xlsx = community.get("/api/work-orders?format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  XlsxSheet sheet = read_xlsx_sheet(xlsx.body);
  const XlsxCell& id = sheet.cells.at("A2");
  EXPECT_EQ(id.type, "") << "the order number is a number, not text";
  EXPECT_GT(std::stod(id.value), 0);
  const XlsxCell& filed = sheet.cells.at("B2");
  EXPECT_EQ(filed.type, "");
  EXPECT_FALSE(filed.style.empty()) << "a date cell carries its date format";
  double serial = std::stod(filed.value);  // days since 1899-12-30
  EXPECT_GT(serial, 45658);                // after 2025-01-01
  EXPECT_LT(serial, 47119);                // before 2029-01-01
  EXPECT_NE(sheet.styles_xml.find("yyyy-mm-dd hh:mm:ss"), std::string::npos);

  auto audit = as("audit_admin").get("/api/audit?format=csv&limit=5");
  ASSERT_EQ(audit.status, 200);
  auto audit_row = audit.body.substr(audit.body.find("\r\n") + 2);
  EXPECT_TRUE(std::regex_search(audit_row.substr(0, audit_row.find("\r\n")),
                                std::regex("^[0-9]+,20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2},")))
      << audit_row.substr(0, 200);
}

// An export reads its list in chunks (here of 5 rows, so every list of the
// demo street spans many) inside one snapshot, and writes each as it comes:
// the file holds exactly the list's rows, in its order, once each, and
// honours offset and limit.
TEST(Exports, AListReadInChunksIsExactlyTheList) {
  TestServer server({"--export-chunk-rows", "5"});
  HttpClient street = server.client();
  ASSERT_EQ(street.login("street_admin", kDemoPassword).status, 200);
  for (const std::string list : {"/api/places", "/api/residents", "/api/work-orders", "/api/users"}) {
    std::vector<std::string> ids;
    for (int offset = 0;; offset += 500) {
      auto page = street.get(list + "?limit=500&offset=" + std::to_string(offset));
      ASSERT_EQ(page.status, 200) << list << page.body;
      auto doc = page.json();
      for (const auto& item : doc.at("items").as_array()) ids.push_back(std::to_string(item.at("id").as_int64()));
      if (doc.at("items").as_array().size() < 500) break;
    }
    ASSERT_GT(ids.size(), 5u) << list << ": more than one chunk";
    auto first_column = [](const std::string& csv) {
      std::vector<std::string> out;
      std::size_t at = csv.find("\r\n") + 2;  // after the heading
      while (at < csv.size()) {
        std::size_t end = csv.find("\r\n", at);
        std::string line = csv.substr(at, end - at);
        out.push_back(line.substr(0, line.find(',')));
        at = end + 2;
      }
      return out;
    };
    auto csv = street.get(list + "?format=csv");
    ASSERT_EQ(csv.status, 200) << list;
    EXPECT_EQ(first_column(csv.body), ids) << list;
    auto part = street.get(list + "?format=csv&offset=3&limit=10");
    EXPECT_EQ(first_column(part.body),
              std::vector<std::string>(ids.begin() + 3, ids.begin() + std::min<std::size_t>(13, ids.size())))
        << list;
    auto xlsx = street.get(list + "?format=xlsx");
    ASSERT_EQ(xlsx.status, 200) << list;
    XlsxSheet sheet = read_xlsx_sheet(xlsx.body);
    std::vector<std::string> xlsx_ids;
    for (std::size_t row = 2; sheet.cells.count("A" + std::to_string(row)); ++row)
      xlsx_ids.push_back(sheet.cells.at("A" + std::to_string(row)).value);
    EXPECT_EQ(xlsx_ids, ids) << list;
  }
}

// A read inside a read of the same database joins it: one snapshot, so a
// write committed in between is seen by neither (what keeps an export's
// chunks consistent); after it, a new read sees the write.
TEST(Exports, AReadInsideAReadSharesItsSnapshot) {
  TestServer server;
  auto db = server.open_db();
  db->write([](storage::Tx& tx) { tx.exec("CREATE TABLE snapshot_probe (x INTEGER)"); });
  db->write([](storage::Tx& tx) { tx.exec("INSERT INTO snapshot_probe VALUES (1)"); });
  auto count = [](storage::Tx& tx) { return tx.query_one("SELECT COUNT(*) AS n FROM snapshot_probe")->i64("n"); };
  db->read([&](storage::Tx& outer) {
    EXPECT_EQ(count(outer), 1);
    std::thread([&] { db->write([](storage::Tx& tx) { tx.exec("INSERT INTO snapshot_probe VALUES (2)"); }); })
        .join();
    db->read([&](storage::Tx& inner) {
      EXPECT_EQ(&inner, &outer);
      EXPECT_EQ(count(inner), 1);
    });
    db->read_once([&](storage::Tx& inner) { EXPECT_EQ(count(inner), 1); });
  });
  EXPECT_EQ(db->read([&](storage::Tx& tx) { return count(tx); }), 2);
}

}  // namespace xh::test


namespace xh::test {

// 停用 for master data (issue 13, item 1): a resident moves away and comes back;
// the household empties and may be archived; their ID cannot be registered twice.
TEST_F(Street, AResidentIsArchivedAndRestoredAndTheHouseholdFollows) {
  auto c = as("community_admin");
  std::string household = id_of("NC-QX-C1-B2-U1-202");
  auto members = find_resident(c, "NC-QX-C1-B2-U1-202").json();
  for (const auto& m : members.at("items").as_array())  // the demo's residents of the flat move out
    ASSERT_EQ(c.post("/api/residents/" + std::to_string(m.at("id").as_int64()) + "/archive", "{}").status, 200);
  auto created = c.post("/api/residents", R"({"name":"迁出测试","id_number":"370102195708150624","household_id":)" +
                                              household + R"(,"relation":"owner"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto created_doc = created.json();
  EXPECT_FALSE(created_doc.at("archived").as_bool());
  auto id = std::to_string(created_doc.at("id").as_int64());

  // The grid worker may read the resident, not archive them.
  EXPECT_EQ(as("grid_worker").post("/api/residents/" + id + "/archive", "{}").status, 403);
  auto archived = c.post("/api/residents/" + id + "/archive", "{}");
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_TRUE(archived.json().at("archived").as_bool());
  EXPECT_EQ(c.post("/api/residents/" + id + "/archive", "{}").error_code(), "resident.archived");
  // Off the list and the household, still readable, listed among the archived.
  EXPECT_EQ(find_resident(c, "NC-QX-C1-B2-U1-202").json().at("total").as_int64(), 0);
  EXPECT_TRUE(c.get("/api/residents/" + id).json().at("archived").as_bool());
  auto gone = c.get("/api/residents?archived=true&household_id=" + household).json();
  ASSERT_GE(gone.at("total").as_int64(), 1);
  // The same person registered again is pointed at the archived record.
  auto twice = c.post("/api/residents", R"({"name":"迁出测试","id_number":"370102195708150624","household_id":)" +
                                            household + R"(,"relation":"owner"})");
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.error_code(), "resident.exists_archived");
  // An empty household may be archived now; restored first, it may not.
  auto restored = c.post("/api/residents/" + id + "/restore", "{}");
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_FALSE(restored.json().at("archived").as_bool());
  EXPECT_EQ(c.post("/api/residents/" + id + "/restore", "{}").error_code(), "resident.not_archived");
  EXPECT_EQ(c.post("/api/places/" + household + "/archive", "{}").error_code(), "place.has_members");
  ASSERT_EQ(c.post("/api/residents/" + id + "/archive", "{}").status, 200);
  auto emptied = c.post("/api/places/" + household + "/archive", "{}");
  EXPECT_EQ(emptied.status, 200) << emptied.body;
  // Every step is in the audit log, named.
  auto audit = as("audit_admin").get("/api/audit?action=resident.restore").json();
  ASSERT_FALSE(audit.at("items").as_array().empty());
  EXPECT_EQ(str(audit.at("items").at(0), "target_id"), id);
}

// Agreements and contacts are corrected and removed; needs closed and opened;
// resources changed and withdrawn, by staff and by the partner's contact.
TEST_F(Street, PartnerRecordsAreEditedAndRemovedWithTheChecksOfTheirCreation) {
  auto street = as("street_admin");
  auto org = street.post("/api/partners", json::serialize(json::object{
                                              {"name", "编辑测试服务社"}, {"kind", "social_org"},
                                              {"place_id", place_id("NC-QX")}}));
  ASSERT_EQ(org.status, 201) << org.body;
  auto org_id = std::to_string(org.json().at("id").as_int64());
  auto with_agreement = street.post("/api/partners/" + org_id + "/agreements",
      R"({"title":"合作意向书","signed_on":"2025-01-01","term_start":"2025-01-01","term_end":"2025-12-31","commitments":"每月一次义诊"})");
  ASSERT_EQ(with_agreement.status, 201) << with_agreement.body;
  auto agreement_id = std::to_string(with_agreement.json().at("agreements").at(0).at("id").as_int64());
  auto agreement = "/api/partners/" + org_id + "/agreements/" + agreement_id;
  auto bad = street.put(agreement,
      R"({"title":"合作意向书","signed_on":"2025-01-01","term_start":"2025-01-01","term_end":"2024-12-31","commitments":"x"})");
  EXPECT_EQ(bad.error_code(), "partner.bad_term");
  auto renewed = street.put(agreement,
      R"({"title":"续签意向书","signed_on":"2025-01-01","term_start":"2025-01-01","term_end":"2026-12-31","commitments":"每月两次义诊"})");
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  auto renewed_doc = renewed.json();
  EXPECT_EQ(str(renewed_doc.at("agreements").at(0), "term_end"), "2026-12-31");
  // Another community's administrator may not touch it.
  // A grid worker reads partners and changes none.
  auto other = as("grid_worker").put(agreement, R"({"title":"x","signed_on":"2025-01-01","term_start":"2025-01-01","term_end":"2025-01-02","commitments":"x"})");
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(street.del("/api/partners/" + org_id + "/agreements/999999").error_code(), "partner.agreement_not_found");
  auto removed = street.del(agreement);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(removed.json().at("agreements").as_array().empty());

  // A contact with an account manages the organisation's offers until removed.
  auto users = as("security_admin").get("/api/users?q=lifa").json();
  std::int64_t lifa = 0;
  for (const auto& u : users.at("items").as_array())
    if (str(u, "username") == "lifa") lifa = u.at("id").as_int64();
  ASSERT_TRUE(lifa);
  auto contact = street.post("/api/partners/" + org_id + "/contacts",
                             json::serialize(json::object{{"name", "王社长"}, {"user_id", lifa}}));
  ASSERT_EQ(contact.status, 201) << contact.body;
  auto contact_id = std::to_string(contact.json().at("contacts").at(0).at("id").as_int64());
  auto contact_path = "/api/partners/" + org_id + "/contacts/" + contact_id;
  EXPECT_EQ(street.put(contact_path, R"({"name":"王社长","phone":"123"})").error_code(), "resident.bad_phone");
  auto edited = street.put(contact_path,
                               json::serialize(json::object{{"name", "王社长"}, {"title", "社长"}, {"phone", "13912345678"}, {"user_id", lifa}}));
  ASSERT_EQ(edited.status, 200) << edited.body;
  auto edited_doc = edited.json();
  EXPECT_EQ(str(edited_doc.at("contacts").at(0), "phone"), "13912345678");
  auto lifa_client = as("lifa");
  auto mine = lifa_client.get("/api/partners/mine");
  ASSERT_EQ(mine.status, 200) << mine.body;
  auto mine_doc = mine.json();
  bool listed = false;
  for (const auto& o : mine_doc.at("items").as_array()) listed = listed || str(o, "name") == "编辑测试服务社";
  EXPECT_TRUE(listed);
  auto offer = lifa_client.post("/api/resources", R"({"org_id":)" + org_id + R"(,"place_id":)" + id_of("NC-QX") +
                                                      R"(,"category":"health","title":"社区义诊"})");
  ASSERT_EQ(offer.status, 201) << offer.body;
  auto resource = "/api/resources/" + std::to_string(offer.json().at("id").as_int64());
  auto changed = lifa_client.patch(resource, R"({"capacity":"每月一次","title":"社区义诊（周六）"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(str(changed.json(), "capacity"), "每月一次");
  EXPECT_EQ(lifa_client.patch(resource, R"({"status":"gone"})").error_code(), "resource.bad_status");
  // Offering it in another community is staff work.
  EXPECT_EQ(lifa_client.patch(resource, R"({"place_id":)" + id_of("NC-GSH") + "}").status, 403);
  auto withdrawn = lifa_client.patch(resource, R"({"status":"withdrawn"})");
  EXPECT_EQ(str(withdrawn.json(), "status"), "withdrawn");
  ASSERT_EQ(lifa_client.patch(resource, R"({"status":"available"})").status, 200);
  ASSERT_EQ(street.del(contact_path).status, 200);
  EXPECT_EQ(lifa_client.patch(resource, R"({"capacity":"每周一次"})").status, 403);
  EXPECT_TRUE(lifa_client.get("/api/partners/mine").json().at("items").as_array().size() < mine_doc.at("items").as_array().size());

  // A need is corrected, closed and opened again, but not while a project meets it.
  auto qx = as("community_admin");
  auto need = qx.post("/api/needs", R"({"place_id":)" + id_of("NC-QX-C2") + R"(,"category":"health","title":"老人体检"})");
  ASSERT_EQ(need.status, 201) << need.body;
  auto need_path = "/api/needs/" + std::to_string(need.json().at("id").as_int64());
  EXPECT_EQ(qx.patch(need_path, R"({"status":"matched"})").error_code(), "need.bad_status");
  EXPECT_EQ(qx.patch(need_path, R"({"category":"karaoke"})").error_code(), "partner.bad_category");
  EXPECT_EQ(qx.patch(need_path, R"({"title":""})").error_code(), "request.missing_field");
  auto retitled = qx.patch(need_path, R"({"title":"高龄老人上门体检","description":"约 20 人"})");
  ASSERT_EQ(retitled.status, 200) << retitled.body;
  EXPECT_EQ(str(retitled.json(), "title"), "高龄老人上门体检");
  EXPECT_EQ(str(qx.patch(need_path, R"({"status":"closed"})").json(), "status"), "closed");
  EXPECT_EQ(str(qx.patch(need_path, R"({"status":"open"})").json(), "status"), "open");
  auto project = qx.post("/api/projects", R"({"need_id":)" + need_path.substr(11) + R"(,"title":"义诊进小区","resource_ids":[)" +
                                              resource.substr(15) + "]}");
  ASSERT_EQ(project.status, 201) << project.body;
  EXPECT_EQ(str(qx.patch(need_path, R"({"status":"closed"})").json(), "status"), "closed");
  auto reopen = qx.patch(need_path, R"({"status":"open"})");
  EXPECT_EQ(reopen.status, 409);
  EXPECT_EQ(reopen.error_code(), "need.matched");
  EXPECT_EQ(as("grid_worker").patch(need_path, R"({"title":"x"})").status, 403);
}

// 停用 a partner: off the lists, its resources withdrawn and its items off the
// catalogue; a property company still serving a compound is refused.
TEST_F(Street, APartnerIsArchivedWithItsOffersButNotWhileItManagesACompound) {
  auto street = as("street_admin");
  auto company = street.get("/api/partners?q=%E5%8F%8C%E5%9F%8E").json().at("items").at(0);  // 双城
  auto refused = street.post("/api/partners/" + std::to_string(company.at("id").as_int64()) + "/archive", "{}");
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.error_code(), "partner.serves_places");

  auto org = street.post("/api/partners", json::serialize(json::object{
                                              {"name", "停用测试志愿队"}, {"kind", "volunteer_team"},
                                              {"place_id", place_id("NC-QX")}}));
  ASSERT_EQ(org.status, 201) << org.body;
  auto org_id = org.json().at("id").as_int64();
  auto id = std::to_string(org_id);
  auto offer = street.post("/api/resources", json::serialize(json::object{
      {"org_id", org_id}, {"place_id", place_id("NC-QX")}, {"category", "safety"}, {"title", "夜间巡逻"}}));
  ASSERT_EQ(offer.status, 201) << offer.body;
  auto resource_id = offer.json().at("id").as_int64();
  auto qx = as("community_admin");
  auto item = qx.post("/api/points/items", json::serialize(json::object{
      {"org_id", org_id}, {"community_id", place_id("NC-QX")}, {"title", "巡逻体验"}, {"kind", "service"},
      {"price", 10}, {"stock", 5}}));
  ASSERT_EQ(item.status, 201) << item.body;
  auto item_id = item.json().at("id").as_int64();

  EXPECT_EQ(as("grid_worker").post("/api/partners/" + id + "/archive", "{}").status, 403);
  auto archived = street.post("/api/partners/" + id + "/archive", "{}");
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_TRUE(archived.json().at("archived").as_bool());
  EXPECT_EQ(street.get("/api/partners/" + id).status, 404);
  EXPECT_EQ(street.post("/api/partners/" + id + "/archive", "{}").status, 404);
  auto listed = street.get("/api/partners?q=%E5%81%9C%E7%94%A8%E6%B5%8B%E8%AF%95").json();  // 停用测试
  EXPECT_EQ(listed.at("total").as_int64(), 0);
  auto resources = street.get("/api/resources?limit=100").json();
  for (const auto& r : resources.at("items").as_array())
    if (r.at("id").as_int64() == resource_id) EXPECT_EQ(str(r, "status"), "withdrawn");
  auto items = qx.get("/api/points/items?limit=100").json();
  bool found = false;
  for (const auto& i : items.at("items").as_array())
    if (i.at("id").as_int64() == item_id) {
      found = true;
      EXPECT_FALSE(i.at("active").as_bool());
    }
  EXPECT_TRUE(found);
}

}  // namespace xh::test
