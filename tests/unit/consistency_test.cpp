// Checks that keep the code honest as it grows: every error code has a
// translation, every route is in the OpenAPI document, every role's scope
// condition is parameterised.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "app/modules.h"
#include "app/wiring.h"
#include "api/scope.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/messages.h"
#include "storage/migrate.h"

namespace xh::embedded {
std::string_view openapi_json();
}

using namespace xh;
namespace fs = std::filesystem;

TEST(Messages, EveryErrorCodeInTheSourcesIsTranslated) {
  // Codes appear as the first string argument of the error helpers.
  std::regex thrown(
      R"re((?:(?:bad_request|unprocessable|not_found|conflict|forbidden|unauthorized)\(|(?:Error|error_response|plain_error)\(\s*\d+\s*,)\s*"([a-z_]+\.[a-z_]+)")re");
  std::set<std::string> missing;
  int found = 0;
  for (const auto& f : fs::recursive_directory_iterator(fs::path(XH_SOURCE_DIR) / "src")) {
    if (f.path().extension() != ".cpp" && f.path().extension() != ".h") continue;
    std::ifstream in(f.path());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), thrown), end; it != end; ++it) {
      ++found;
      if (!has_message((*it)[1].str())) missing.insert((*it)[1].str());
    }
  }
  EXPECT_GT(found, 30);
  EXPECT_TRUE(missing.empty()) << "untranslated codes: " << ::testing::PrintToString(missing);
}

TEST(OpenApi, DocumentsEveryRoute) {
  crypto_init();
  auto path = (fs::temp_directory_path() / "xh-openapi-test.db").string();
  fs::remove(path);
  auto db = storage::Database::open("sqlite:" + path, 1);
  FieldCipher cipher(std::string(32, 'k'));
  api::SecuritySettings settings;
  api::EventBus events;
  api::Context ctx{*db, cipher, fs::temp_directory_path().string(), settings, events};
  auto pipeline = app::start_modules(ctx, nullptr);

  auto doc = boost::json::parse(embedded::openapi_json());
  const auto& paths = doc.at("paths").as_object();
  int checked = 0;
  for (const auto& route : pipeline->router().routes()) {
    std::string method = route.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto* item = paths.if_contains(route.pattern);
    ASSERT_TRUE(item) << route.pattern << " is missing from the OpenAPI document (docs/openapi.json or src/<module>/openapi.json)";
    EXPECT_TRUE(item->as_object().if_contains(method))
        << route.method << " " << route.pattern << " is missing from the OpenAPI document (docs/openapi.json or src/<module>/openapi.json)";
    ++checked;
  }
  EXPECT_GT(checked, 20);
  fs::remove(path);
}

// The document's enumerations of permissions and roles are the server's own.
TEST(OpenApi, PermissionAndRoleEnumerationsAreTheServers) {
  auto doc = boost::json::parse(embedded::openapi_json());
  auto enumeration = [&](const char* schema) {
    std::set<std::string> out;
    for (const auto& v : doc.at_pointer(std::string("/components/schemas/") + schema + "/enum").as_array())
      out.emplace(v.as_string());
    return out;
  };
  std::set<std::string> permissions, roles;
  for (const api::Module* m : app::modules())
    for (const auto& def : m->permissions) permissions.emplace(def.name);
  for (const auto& r : api::roles()) roles.emplace(r.name);
  EXPECT_EQ(enumeration("Permission"), permissions);
  EXPECT_EQ(enumeration("RoleName"), roles);
}

TEST(Scope, ConditionIsParameterisedPrefixRanges) {
  api::Principal p;
  p.grants = {{1, "community_admin", 2, "/1/2/"}, {2, "grid_worker", 7, "/1/2/7/"},
              {3, "grid_worker", 9, "/1/3/9/"}};
  std::string sql = "SELECT 1 FROM places WHERE 1=1";
  std::vector<storage::Param> params;
  api::append_scope_condition(p, "place.read", "path", sql, params);
  // "/1/2/7/" is inside "/1/2/" and collapses into it.
  EXPECT_EQ(params.size(), 4u);
  EXPECT_EQ(std::get<std::string>(params[0]), "/1/2/");
  EXPECT_EQ(std::get<std::string>(params[1]), "/1/20");
  EXPECT_EQ(sql.find("/1/"), std::string::npos) << "paths must be bound, not spliced: " << sql;
  EXPECT_TRUE(api::in_scope(p, "place.read", "/1/2/8/9/"));
  EXPECT_FALSE(api::in_scope(p, "place.read", "/1/20/"));
  EXPECT_FALSE(api::in_scope(p, "place.write", "/1/3/9/"));  // grid workers read only
  EXPECT_TRUE(api::in_scope(p, "place.write", "/1/2/5/"));
}

TEST(Scope, NoGrantMeansNoScope) {
  api::Principal p;
  p.grants = {{1, "volunteer", 2, "/1/2/"}};
  std::string sql;
  std::vector<storage::Param> params;
  EXPECT_THROW(api::append_scope_condition(p, "place.read", "path", sql, params), Error);
}

TEST(Migrations, RenderPerEngine) {
  std::string sql = "CREATE TABLE t (id {{id}});\n-- @sqlite\nA;\n-- @postgres\nB;\n-- @all\nC;\n";
  auto s = storage::render_migration(sql, storage::Dialect::sqlite);
  auto p = storage::render_migration(sql, storage::Dialect::postgres);
  EXPECT_NE(s.find("INTEGER PRIMARY KEY AUTOINCREMENT"), std::string::npos);
  EXPECT_NE(p.find("GENERATED BY DEFAULT AS IDENTITY"), std::string::npos);
  EXPECT_NE(s.find("A;"), std::string::npos);
  EXPECT_EQ(s.find("B;"), std::string::npos);
  EXPECT_NE(p.find("B;"), std::string::npos);
  EXPECT_EQ(p.find("A;"), std::string::npos);
  EXPECT_NE(s.find("C;"), std::string::npos);
  EXPECT_NE(p.find("C;"), std::string::npos);
}

TEST(Router, MatchesWholeSegmentsAndKnowsOtherMethods) {
  http::Router<int> r;
  r.add("GET", "/api/places/{id}", http::Access::authenticated, 1);
  r.add("PATCH", "/api/places/{id}", http::Access::authenticated, 2);
  auto m = r.find("PATCH", "/api/places/42");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->handler, 2);
  EXPECT_EQ(m.params.get("id"), "42");
  EXPECT_FALSE(r.find("GET", "/api/places/42/x").route);
  auto other = r.find("DELETE", "/api/places/42");
  EXPECT_FALSE(other.route);
  EXPECT_TRUE(other.path_known);
  EXPECT_TRUE(r.find("HEAD", "/api/places/1").route);
}

// Which role holds which permission, the whole matrix: each module declares
// its own permissions, and this table is what they add up to.
TEST(Access, EveryRoleHoldsExactlyItsPermissions) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> expected = {
      {"street_admin",
       {"partner.read", "partner.write", "photo.upload", "place.read", "place.write", "points.manage", "points.read", "resident.read", "user.read", "workorder.accept", "workorder.close", "workorder.configure", "workorder.consult", "workorder.dispatch", "workorder.file", "workorder.handle", "workorder.inspect", "workorder.on_behalf", "workorder.read", "workorder.verify"}},
      {"community_admin",
       {"import.run", "partner.read", "partner.write", "photo.upload", "place.read", "place.write", "points.manage", "points.read", "resident.care", "resident.id_number", "resident.phone", "resident.read", "resident.write", "user.read", "workorder.accept", "workorder.close", "workorder.consult", "workorder.dispatch", "workorder.file", "workorder.handle", "workorder.inspect", "workorder.on_behalf", "workorder.read", "workorder.verify"}},
      {"grid_worker",
       {"photo.upload", "place.read", "points.read", "resident.care", "resident.phone", "resident.read", "workorder.file", "workorder.inspect", "workorder.on_behalf", "workorder.read", "workorder.verify"}},
      {"building_leader",
       {"photo.upload", "place.read", "resident.read", "workorder.file", "workorder.read"}},
      {"property_staff",
       {"photo.upload", "place.read", "workorder.accept", "workorder.dispatch", "workorder.file", "workorder.handle", "workorder.read"}},
      {"partner_admin",
       {"partner.read", "photo.upload"}},
      {"volunteer",
       {"photo.upload", "workorder.file"}},
      {"resident",
       {"photo.upload", "place.read", "resident.read", "workorder.file"}},
      {"sys_admin",
       {"place.read", "place.write", "user.manage", "user.read"}},
      {"security_admin",
       {"place.read", "role.manage", "security.manage", "user.read"}},
      {"audit_admin",
       {"audit.read"}},
  };
  // The permissions of the modules this table covers (a new module tests its own).
  std::set<std::string> covered;
  for (const api::Module* m : app::modules())
    if (std::set<std::string_view>{"auth", "audit", "places", "people", "partners", "imports",
                                   "workorders", "points"}
            .count(m->name))
      for (const auto& def : m->permissions) covered.emplace(def.name);
  ASSERT_EQ(api::roles().size(), expected.size());
  for (const auto& [role, permissions] : expected) {
    std::vector<std::string> held;
    for (const auto& perm : api::role_permissions(role))
      if (covered.count(perm)) held.push_back(perm);
    EXPECT_EQ(held, permissions) << role;
  }
  // Code asks for a role's attributes, never its name.
  EXPECT_TRUE(api::find_role("property_staff")->acts_for_company);
  for (const char* admin : {"sys_admin", "security_admin", "audit_admin"})
    EXPECT_TRUE(api::find_role(admin)->operator_appointed) << admin;
  EXPECT_FALSE(api::find_role("sys_admin")->protected_account);
  EXPECT_TRUE(api::find_role("audit_admin")->protected_account);
  EXPECT_FALSE(api::find_role("resident")->staff);
}
