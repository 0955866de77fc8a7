// Data scope (FND-4): every read, list and write is limited to the places
// the caller's roles cover, and every refusal is audited.
#include "api_test.h"

namespace xh::test {

class Scope : public ApiTest {};

TEST_F(Scope, CommunityAdminListsOnlyTheirCommunity) {
  auto c = as("community_admin");
  auto qx = place_id("NC-QX");
  std::string prefix = "/" + std::to_string(place_id("NC")) + "/" + std::to_string(qx) + "/";
  std::int64_t seen = 0, total = -1;
  for (int offset = 0; total < 0 || seen < total; offset += 500) {
    auto r = c.get("/api/places?limit=500&offset=" + std::to_string(offset));
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = r.json();
    total = doc.at("total").as_int64();
    auto items = doc.at("items").as_array();
    ASSERT_FALSE(items.empty());
    for (const auto& p : items) EXPECT_EQ(str(p, "path").rfind(prefix, 0), 0u) << str(p, "name");
    seen += static_cast<std::int64_t>(items.size());
  }
  EXPECT_EQ(seen, total);
  EXPECT_GT(total, 700);  // the community, its grids, compounds, buildings, units and households
  // A filter cannot widen the scope.
  auto other = c.get("/api/places?parent_id=" + std::to_string(place_id("NC-GSH")));
  EXPECT_EQ(other.json().at("items").as_array().size(), 0u);
}

TEST_F(Scope, CommunityAdminCannotReadOrChangeAnotherCommunity) {
  auto c = as("community_admin");
  auto other_id = place_id("NC-GSH-C1");
  auto other = std::to_string(other_id);
  auto denied_before = audit_count("auth.denied");
  auto get = c.get("/api/places/" + other);
  EXPECT_EQ(get.status, 403);
  EXPECT_EQ(get.error_code(), "auth.scope_denied");
  auto patch = c.patch("/api/places/" + other, R"({"name":"被改了"})");
  EXPECT_EQ(patch.status, 403);
  auto create = c.post("/api/places", json::serialize(json::object{
                                          {"parent_id", other_id}, {"kind", "building"}, {"name", "9号楼"}}));
  EXPECT_EQ(create.status, 403);
  EXPECT_EQ(audit_count("auth.denied"), denied_before + 3);
  auto street = as("street_admin").get("/api/places/" + other);
  EXPECT_EQ(str(street.json(), "name"), "工商河小区");
}

TEST_F(Scope, CommunityAdminWritesInsideTheirCommunity) {
  auto c = as("community_admin");
  auto building = [](const char* name, const char* kind = "building") {
    return json::object{{"parent_id", place_id("NC-QX-C1")}, {"kind", kind}, {"name", name}};
  };
  auto b9 = building("泉星花园9号楼");
  b9["code"] = "NC-QX-C1-B9";
  auto r = c.post("/api/places", json::serialize(b9));
  ASSERT_EQ(r.status, 201) << r.body;
  auto id = std::to_string(r.json().at("id").as_int64());
  auto p = c.patch("/api/places/" + id, R"({"name":"泉星花园二号楼"})");
  EXPECT_EQ(p.status, 200);
  EXPECT_EQ(str(p.json(), "name"), "泉星花园二号楼");
  auto again = building("重复");
  again["code"] = "NC-QX-C1-B9";
  auto dup = c.post("/api/places", json::serialize(again));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.error_code(), "place.code_taken");
  auto bad_kind = c.post("/api/places", json::serialize(building("x", "street")));
  EXPECT_EQ(bad_kind.status, 422);
  EXPECT_EQ(bad_kind.error_code(), "place.bad_kind");
}

TEST_F(Scope, GridWorkerReadsTheirGridButWritesNothing) {
  auto c = as("grid_worker");
  auto grid = std::to_string(place_id("NC-QX-G1"));
  EXPECT_EQ(c.get("/api/places/" + grid).status, 200);
  EXPECT_EQ(c.get("/api/places/" + std::to_string(place_id("NC-QX-G2"))).status, 403);
  auto w = c.patch("/api/places/" + grid, R"({"name":"x"})");
  EXPECT_EQ(w.status, 403);
  EXPECT_EQ(w.error_code(), "auth.permission_denied");
  // The grid, its micro-grid 巧智, and the buildings the grid governs (two in
  // each of the three compounds) with their units and households.
  auto list = c.get("/api/places?kind=building");
  EXPECT_EQ(list.json().at("total").as_int64(), 6);
  EXPECT_EQ(c.get("/api/places?kind=micro_grid").json().at("total").as_int64(), 1);
  EXPECT_EQ(c.get("/api/places/" + std::to_string(place_id("NC-QX-C1-B1-U1-101"))).status, 200);
  EXPECT_EQ(c.get("/api/places/" + std::to_string(place_id("NC-QX-C1-B3"))).status, 403);  // grid 2
  EXPECT_EQ(c.get("/api/places/" + std::to_string(place_id("NC-QX-C1"))).status, 403);     // the compound
}

TEST_F(Scope, ResidentsSeeTheirHomeAndVolunteersNoPlaces) {
  auto mine = as("resident").get("/api/places");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.json().at("total").as_int64(), 1);
  EXPECT_EQ(str(mine.json().at("items").at(0), "code"), "NC-QX-C1-B1-U1-101");
  EXPECT_EQ(as("volunteer").get("/api/places/" + std::to_string(place_id("NC-QX"))).status, 403);
}

TEST_F(Scope, OnlyTheRightAdministratorManagesAccountsRolesAndAudit) {
  // 三权分立: sys_admin creates accounts, security_admin grants roles, audit_admin reads the log.
  auto sys = as("sys_admin");
  auto sec = as("security_admin");
  auto u = sys.post("/api/users", R"({"username":"li.na","display_name":"李娜","password":"Grid#2026ab"})");
  ASSERT_EQ(u.status, 201) << u.body;
  auto uid = std::to_string(u.json().at("id").as_int64());
  auto grant = json::serialize(json::object{{"role", "grid_worker"}, {"place_id", place_id("NC-GSH-G1")}});
  EXPECT_EQ(sys.post("/api/users/" + uid + "/roles", grant).status, 403);
  EXPECT_EQ(as("community_admin").post("/api/users", R"({"username":"x.y","display_name":"x","password":"Grid#2026ab"})").status, 403);
  // The security administrator finds the place by name, and the grant names it.
  auto found = sec.get("/api/places?kind=grid&q=" + std::string("%E7%AC%AC%E4%B8%80%E7%BD%91%E6%A0%BC"));  // 第一网格
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_FALSE(found.json().at("items").as_array().empty());
  EXPECT_EQ(sec.post("/api/places", R"({"kind":"grid","name":"x","parent_id":1})").status, 403);
  auto g = sec.post("/api/users/" + uid + "/roles", grant);
  ASSERT_EQ(g.status, 201) << g.body;
  auto granted = g.json();
  const auto& held = granted.at("roles").at(0).as_object();
  EXPECT_EQ(held.at("place").at("id").as_int64(), place_id("NC-GSH-G1"));
  EXPECT_EQ(str(held.at("place"), "kind"), "grid");
  EXPECT_FALSE(str(held.at("place"), "name").empty());
  EXPECT_EQ(sec.post("/api/users/" + uid + "/roles", grant).status, 409);
  EXPECT_EQ(sec.post("/api/users/" + uid + "/roles", R"({"role":"emperor","place_id":1})").error_code(), "role.unknown");
  // 三权分立: the three administrators are not appointed, or silenced, through the API.
  EXPECT_EQ(sec.post("/api/users/" + uid + "/roles",
                     json::serialize(json::object{{"role", "audit_admin"}, {"place_id", place_id("NC")}}))
                .error_code(),
            "role.admin_by_operator_only");
  auto auditor_doc = sec.get("/api/users?q=audit_admin").json();
  auto auditor = auditor_doc.at("items").at(0).at("id");
  // … nor removed through it …
  auto auditor_grant = auditor_doc.at("items").at(0).at("roles").at(0).at("id").as_int64();
  auto removal = sec.del("/api/users/" + json::serialize(auditor) + "/roles/" +
                         std::to_string(auditor_grant));
  EXPECT_EQ(removal.status, 403);
  EXPECT_EQ(removal.error_code(), "role.admin_by_operator_only");
  // … and no account is both an administrator and a business role.
  auto system_admin = sec.get("/api/users?q=sys_admin").json().at("items").at(0).at("id");
  auto mixed = sec.post("/api/users/" + json::serialize(system_admin) + "/roles",
                        json::serialize(json::object{{"role", "street_admin"}, {"place_id", place_id("NC")}}));
  EXPECT_EQ(mixed.status, 409);
  EXPECT_EQ(mixed.error_code(), "role.admin_and_business");
  EXPECT_EQ(sys.patch("/api/users/" + json::serialize(auditor), R"({"disabled":true})").error_code(),
            "user.cannot_disable_admin");
  EXPECT_EQ(sec.get("/api/audit").status, 403);
  EXPECT_EQ(sys.get("/api/audit").status, 403);
  EXPECT_EQ(as("audit_admin").get("/api/audit").status, 200);

  auto c = anonymous();
  ASSERT_EQ(c.login("li.na", "Grid#2026ab").status, 200);
  EXPECT_EQ(c.get("/api/places/" + std::to_string(place_id("NC-GSH-G1"))).status, 200);
  EXPECT_EQ(c.get("/api/places/" + std::to_string(place_id("NC-QX-G1"))).status, 403);
  // The community admin of 泉星 does not see the new 工商河 grid worker.
  auto seen = as("community_admin").get("/api/users?limit=500");
  ASSERT_EQ(seen.status, 200);
  auto seen_doc = seen.json();
  for (const auto& user : seen_doc.at("items").as_array()) EXPECT_NE(str(user, "username"), "li.na");
  EXPECT_EQ(as("community_admin").get("/api/users/" + uid).status, 403);
}

TEST_F(Scope, SortAndFilterParametersAreNeverSpliced) {
  auto c = as("street_admin");
  auto inj = c.get("/api/places?sort=name;DROP%20TABLE%20places");
  EXPECT_EQ(inj.status, 400);
  EXPECT_EQ(inj.error_code(), "request.bad_sort");
  auto q = c.get("/api/places?q=%27%20OR%20%271%27=%271");
  EXPECT_EQ(q.status, 200);
  EXPECT_EQ(q.json().at("total").as_int64(), 0);
  EXPECT_EQ(c.get("/api/places?parent_id=1%20OR%201=1").status, 400);
  EXPECT_EQ(c.get("/api/places?limit=100000").status, 400);
  auto ok = c.get("/api/places?q=%E6%B3%89%E6%98%9F&sort=-name");  // q=泉星
  ASSERT_EQ(ok.status, 200);
  EXPECT_GE(ok.json().at("total").as_int64(), 5);
}

}  // namespace xh::test
