// Roster import (FND-5): every bad row reported, nothing written until the
// file is clean, idempotent re-import, CSV (UTF-8 or GB18030) and XLSX.
#include <iconv.h>

#include <set>

#include "api_test.h"
#include "api/export.h"
#include "support/xlsx_cells.h"

namespace xh::test {

class Import : public ApiTest {
 protected:
  static std::string community() { return std::to_string(place_id("NC-QX")); }
  static HttpResponse upload(HttpClient& c, const std::string& file, const std::string& format,
                             bool dry_run) {
    return c.request("POST",
                     "/api/imports/roster?community_id=" + community() + "&format=" + format +
                         "&dry_run=" + (dry_run ? "true" : "false"),
                     file,
                     {{"Content-Type", format == "csv" ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
                      {"X-CSRF-Token", c.csrf}});
  }
  static std::int64_t residents_in(const std::string& compound_name) {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) {
      return tx.query_one(
                   "SELECT COUNT(*) FROM household_members m JOIN places h ON h.id = m.household_id "
                   "JOIN places u ON u.id = h.parent_id JOIN places b ON b.id = u.parent_id JOIN "
                   "places c ON c.id = b.parent_id WHERE c.name = $1",
                   compound_name)
          ->i64(0);
    });
  }
  static std::int64_t audit_entries() {
    auto db = server_->open_db();
    return db->read([](storage::Tx& tx) { return tx.query_one("SELECT COUNT(*) FROM audit_log")->i64(0); });
  }
};

// A valid national ID from its first 17 digits (GB 11643 check character).
std::string with_check(std::string first17) {
  static const int w[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int k = 0; k < 17; ++k) sum += (first17[k] - '0') * w[k];
  return first17 + "10X98765432"[sum % 11];
}

const std::vector<std::vector<std::string>> kGood = {
    {"社区", "网格", "小区", "楼栋", "单元", "房号", "专有面积(㎡)", "姓名", "身份证号", "手机号", "与户关系", "特殊关怀"},
    {"泉星社区", "泉星社区第一网格", "幸福里", "1号楼", "1单元", "101", "89.50", "赵淑珍", with_check("37010519520315002"), "13905310011", "业主", "独居老人"},
    {"泉星社区", "泉星社区第一网格", "幸福里", "1号楼", "1单元", "102", "76.3", "钱国庆", with_check("37010519651001001"), "", "业主", ""},
    {"泉星社区", "泉星社区第一网格", "幸福里", "1号楼", "1单元", "102", "76.3", "钱小雨", "", "", "家庭成员", ""},
    {"", "", "幸福里", "2号楼", "1单元", "101", "", "孙学文", with_check("37010519880707003"), "0531-88123456", "租户", "低保户；残疾人"},
};

TEST_F(Import, ABadRosterReportsEveryBadRowAndImportsNothing) {
  auto c = as("community_admin");
  auto rows = kGood;
  rows[1][8][17] = rows[1][8][17] == '0' ? '1' : '0';  // wrong check character
  rows[2][9] = "1390531";                 // short phone
  rows[3][10] = "邻居";                   // unknown relation
  rows[4][2] = "";                        // missing compound
  rows.push_back({"工商河社区", "", "幸福里", "3号楼", "1单元", "101", "abc", "李四", "", "", "业主", "VIP"});
  rows.back()[7] = "李\x07四";              // a control character in a name
  std::string csv = api::to_csv(rows);
  auto before = audit_entries();
  auto dry = upload(c, csv, "csv", true);
  ASSERT_EQ(dry.status, 200) << dry.body;
  auto report = dry.json();
  EXPECT_FALSE(report.at("valid").as_bool());
  std::set<std::pair<std::int64_t, std::string>> errors;
  for (const auto& e : report.at("errors").as_array()) {
    errors.insert({e.at("row").as_int64(), str(e, "column")});
    EXPECT_FALSE(str(e, "message").empty());
  }
  std::set<std::pair<std::int64_t, std::string>> expected = {
      {2, "身份证号"}, {3, "手机号"}, {4, "与户关系"}, {5, "小区"},
      {6, "姓名"},     {6, "社区"},     {6, "专有面积(㎡)"}, {6, "特殊关怀"}};
  EXPECT_EQ(errors, expected) << dry.body;
  auto real = upload(c, csv, "csv", false);
  EXPECT_EQ(real.status, 422);
  EXPECT_EQ(real.error_code(), "import.has_errors");
  EXPECT_EQ(real.json().at("errors").as_array().size(), expected.size());
  EXPECT_EQ(residents_in("幸福里"), 0);
  EXPECT_EQ(audit_entries(), before);
}

TEST_F(Import, ACleanRosterImportsOnceAndReImportingChangesNothing) {
  auto c = as("community_admin");
  std::string csv = api::to_csv(kGood);
  auto dry = upload(c, csv, "csv", true);
  ASSERT_TRUE(dry.json().at("valid").as_bool()) << dry.body;
  EXPECT_EQ(residents_in("幸福里"), 0);  // a dry run writes nothing
  auto first = upload(c, csv, "csv", false);
  ASSERT_EQ(first.status, 200) << first.body;
  auto created = first.json().at("created");
  EXPECT_EQ(created.at("compounds").as_int64(), 1);
  EXPECT_EQ(created.at("buildings").as_int64(), 2);
  EXPECT_EQ(created.at("households").as_int64(), 3);
  EXPECT_EQ(created.at("residents").as_int64(), 4);
  EXPECT_EQ(residents_in("幸福里"), 4);
  auto audit_before = audit_entries();
  auto second = upload(c, csv, "csv", false);
  ASSERT_EQ(second.status, 200) << second.body;
  for (const char* k : {"compounds", "buildings", "units", "households", "residents", "memberships", "updated"})
    EXPECT_EQ(second.json().at("created").at(k).as_int64(), 0) << k;
  EXPECT_EQ(residents_in("幸福里"), 4);
  EXPECT_EQ(audit_entries(), audit_before + 1);  // the import itself, nothing else
  // The imported people are real residents: masked for the street, tagged for the community.
  auto found = c.get("/api/residents?limit=500&q=%E8%B5%B5%E6%B7%91%E7%8F%8D").json();  // 赵淑珍
  int imported = 0;
  for (const auto& r : found.at("items").as_array()) {
    // Homes are named in full, as the street names its own ("…101室").
    if (str(r.at("households").at(0), "household_name") != "幸福里1号楼1单元101室") continue;
    ++imported;
    EXPECT_EQ(r.at("tags").at(0).as_string(), "独居老人");
  }
  EXPECT_EQ(imported, 1);
  auto compound = c.get("/api/places?kind=compound&q=%E5%B9%B8%E7%A6%8F%E9%87%8C").json();  // 幸福里
  ASSERT_EQ(compound.at("total").as_int64(), 1);
  auto homes = c.get("/api/places?kind=household&under_id=" +
                     std::to_string(compound.at("items").at(0).at("id").as_int64()));
  EXPECT_EQ(homes.json().at("total").as_int64(), 3);
}

TEST_F(Import, XlsxAndGb18030CsvAreReadLikeUtf8Csv) {
  auto c = as("community_admin");
  auto rows = kGood;
  for (auto& r : rows) r[2] = r[2] == "幸福里" ? "和谐苑" : r[2];
  rows[1][8] = with_check("37010519520315003");
  rows[2][8] = with_check("37010519651001005");
  rows[4][8] = with_check("37010519880707007");
  auto x = upload(c, api::to_xlsx(rows, "花名册"), "xlsx", true);
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_TRUE(x.json().at("valid").as_bool()) << x.body;
  EXPECT_EQ(x.json().at("created").at("rows").as_int64(), 4);

  std::string utf8 = api::to_csv(rows).substr(3);  // without the BOM
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string gb(utf8.size() * 2, '\0');
  char* in = utf8.data();
  char* out = gb.data();
  std::size_t in_left = utf8.size(), out_left = gb.size();
  ASSERT_NE(iconv(cd, &in, &in_left, &out, &out_left), static_cast<std::size_t>(-1));
  iconv_close(cd);
  gb.resize(gb.size() - out_left);
  auto g = upload(c, gb, "csv", false);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.json().at("created").at("residents").as_int64(), 4);
  EXPECT_EQ(residents_in("和谐苑"), 4);

  EXPECT_EQ(upload(c, "PK\x03\x04 not really a workbook", "xlsx", true).error_code(), "import.bad_xlsx");
  EXPECT_EQ(upload(c, "", "csv", true).error_code(), "import.empty_file");
}

TEST_F(Import, AChangedAreaIsAnUpdateOfTheHome) {
  auto c = as("community_admin");
  auto rows = kGood;
  for (auto& r : rows) r[2] = r[2] == "幸福里" ? "安居苑" : r[2];
  rows[1][8] = with_check("37010519520315011");
  rows[2][8] = with_check("37010519651001013");
  rows[4][8] = with_check("37010519880707015");
  auto first = upload(c, api::to_csv(rows), "csv", false);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json().at("created").at("updated").as_int64(), 0);
  auto areas = [&] {
    auto compound =
        c.get("/api/places?kind=compound&q=%E5%AE%89%E5%B1%85%E8%8B%91").json();  // 安居苑
    auto homes = c.get("/api/places?kind=household&under_id=" +
                       std::to_string(compound.at("items").at(0).at("id").as_int64()))
                     .json();
    std::multiset<std::string> out;
    for (const auto& h : homes.at("items").as_array())
      out.insert(h.at("exclusive_area").is_null() ? "" : str(h, "exclusive_area"));
    return out;
  };
  EXPECT_EQ(areas(), (std::multiset<std::string>{"", "76.30", "89.50"}));
  rows[1][6] = "92";
  auto audited = audit_count("place.update");
  auto second = upload(c, api::to_csv(rows), "csv", false);
  ASSERT_EQ(second.status, 200) << second.body;
  auto created = second.json().at("created");
  EXPECT_EQ(created.at("updated").as_int64(), 1);
  for (const char* k :
       {"compounds", "buildings", "units", "households", "residents", "memberships"})
    EXPECT_EQ(created.at(k).as_int64(), 0) << k;
  EXPECT_EQ(areas(), (std::multiset<std::string>{"", "76.30", "92.00"}));
  // Changed through the places module, and audited like any change of a place.
  EXPECT_EQ(audit_count("place.update"), audited + 1);
}

TEST_F(Import, RostersMayBeLargerThanOrdinaryBodies) {
  auto c = as("community_admin");
  std::vector<std::vector<std::string>> rows = {kGood[0]};
  for (int i = 0; i < 16000; ++i)  // about 1.1 MB, above the 1 MiB limit of JSON bodies
    rows.push_back({"泉星社区", "", "大杂院", std::to_string(i % 40) + "号楼", "1单元",
                    std::to_string(1000 + i), "80", "住户" + std::to_string(i), "", "", "业主", ""});
  std::string csv = api::to_csv(rows);
  ASSERT_GT(csv.size(), 1024u * 1024u);
  auto dry = upload(c, csv, "csv", true);
  ASSERT_EQ(dry.status, 200) << dry.body.substr(0, 300);
  EXPECT_EQ(dry.json().at("created").at("rows").as_int64(), 16000);
  EXPECT_TRUE(dry.json().at("valid").as_bool());
  auto json_body = c.post("/api/places", json::serialize(json::object{{"name", std::string(csv.size(), 'a')}}));
  EXPECT_EQ(json_body.status, 413);
}

TEST_F(Import, APersonRegisteredInAnotherCommunityIsNotPulledIn) {
  std::vector<std::vector<std::string>> rows = {
      kGood[0], {"工商河社区", "", "河畔人家", "9号楼", "1单元", "901", "", "周德福",
                 with_check("37010519580808001"), "", "业主", ""}};
  // 工商河社区's own administrator registers the person there.
  auto admin = as("sys_admin"), security = as("security_admin");
  auto u = admin.post("/api/users", json::serialize(json::object{
                                        {"username", "gsh_admin"},
                                        {"display_name", "工商河社区管理员"},
                                        {"password", "Gsh@2026x"}}));
  ASSERT_EQ(u.status, 201) << u.body;
  ASSERT_EQ(security
                .post("/api/users/" + std::to_string(u.json().at("id").as_int64()) + "/roles",
                      json::serialize(json::object{{"role", "community_admin"},
                                                   {"place_id", place_id("NC-GSH")}}))
                .status,
            201);
  HttpClient gsh = anonymous();
  ASSERT_EQ(gsh.login("gsh_admin", "Gsh@2026x").status, 200);
  auto there = gsh.request("POST", "/api/imports/roster?community_id=" + std::to_string(place_id("NC-GSH")) +
                                       "&format=csv&dry_run=false",
                           api::to_csv(rows), {{"Content-Type", "text/csv"}, {"X-CSRF-Token", gsh.csrf}});
  ASSERT_EQ(there.status, 200) << there.body;
  rows[1][0] = "泉星社区";
  rows[1][2] = "星光苑";
  auto c = as("community_admin");
  auto dry = upload(c, api::to_csv(rows), "csv", true);
  ASSERT_EQ(dry.status, 200);
  ASSERT_EQ(dry.json().at("errors").as_array().size(), 1u) << dry.body;
  EXPECT_EQ(str(dry.json().at("errors").at(0), "code"), "import.resident_elsewhere");
  EXPECT_EQ(upload(c, api::to_csv(rows), "csv", false).status, 422);
}

TEST_F(Import, OnlyStaffOfThatCommunityMayImport) {
  auto rows = api::to_csv(kGood);
  auto grid = as("grid_worker");
  EXPECT_EQ(upload(grid, rows, "csv", true).status, 403);
  auto c = as("community_admin");
  auto tmpl = c.get("/api/imports/roster/template?format=csv");
  EXPECT_EQ(tmpl.status, 200);
  EXPECT_NE(tmpl.body.find("身份证号"), std::string::npos);
  // In the XLSX template the ID and phone columns are Text, so that Excel keeps
  // an 18-digit ID as typed (read back with a real parser).
  auto xlsx = c.get("/api/imports/roster/template?format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  XlsxSheet sheet = read_xlsx_sheet(xlsx.body);
  EXPECT_NE(sheet.styles_xml.find("formatCode=\"@\""), std::string::npos) << sheet.styles_xml;  // Text
  ASSERT_TRUE(sheet.cells.count("I2"));  // 身份证号 of the example row, formatted though empty
  EXPECT_FALSE(sheet.cells.at("I2").style.empty());
}

// An import does only what its caller could do one row at a time: the street
// administrator, who may not write residents nor set care tags, may not
// import them either (nothing is written).
TEST_F(Import, AnImportNeedsWhatEachRowWouldNeed) {
  auto street = as("street_admin");
  auto before = residents_in("幸福里");
  for (bool dry : {true, false}) {
    auto r = upload(street, api::to_csv(kGood), "csv", dry);
    EXPECT_EQ(r.status, 403) << r.body;
  }
  EXPECT_EQ(residents_in("幸福里"), before);
  EXPECT_EQ(street.get("/api/residents?limit=1").status, 200);  // reading stays theirs
}

}  // namespace xh::test

namespace xh::test {

namespace {
const char* kHeader =
    "<c r=\"A1\" t=\"inlineStr\"><is><t>小区</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>楼栋</t></is></c>"
    "<c r=\"C1\" t=\"inlineStr\"><is><t>单元</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>房号</t></is></c>"
    "<c r=\"E1\" t=\"inlineStr\"><is><t>姓名</t></is></c><c r=\"F1\" t=\"inlineStr\"><is><t>与户关系</t></is></c>";

// A first worksheet of `rows` (each already <row>…</row>) under the roster's header.
std::string sheet_of(const std::string& rows) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet "
                     "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                     "<row r=\"1\">") +
         kHeader + "</row>" + rows + "</sheetData></worksheet>";
}

std::string shared_of(const std::vector<std::string>& strings) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst "
                    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  for (const auto& s : strings) out += "<si><t>" + s + "</t></si>";
  return out + "</sst>";
}

std::string cells(int row, const std::string& name_cell) {
  std::string r = std::to_string(row);
  return "<row r=\"" + r + "\"><c r=\"A" + r + "\" t=\"inlineStr\"><is><t>幸福里</t></is></c>"
         "<c r=\"B" + r + "\" t=\"inlineStr\"><is><t>1号楼</t></is></c>"
         "<c r=\"C" + r + "\" t=\"inlineStr\"><is><t>1单元</t></is></c>"
         "<c r=\"D" + r + "\" t=\"inlineStr\"><is><t>" + std::to_string(100 + row) + "</t></is></c>" +
         name_cell + "<c r=\"F" + r + "\" t=\"inlineStr\"><is><t>业主</t></is></c></row>";
}
}  // namespace

// Files made to exhaust the server are answered as bad rosters, with little
// memory: huge cells are cut (and refused as too long), a string shared many
// times is read once, far-right empty cells cost nothing, row and column
// counts are bounded, and the report lists the first 200 errors and counts
// them all. Nothing is written; the server answers the next request.
TEST_F(Import, FilesMadeToExhaustTheServerAreBadRosters) {
  auto c = as("community_admin");
  auto xlsx = [&](const std::string& sheet, const std::vector<std::string>& shared = {}) {
    std::vector<std::pair<std::string, std::string>> entries = {{"xl/worksheets/sheet1.xml", sheet}};
    if (!shared.empty()) entries.emplace_back("xl/sharedStrings.xml", shared_of(shared));
    return upload(c, make_zip(entries), "xlsx", true);
  };
  // Two cells of 100 MB each (the archive is a fraction of a MiB).
  std::string huge(100 * 1024 * 1024, 'a');
  {
    auto file = make_zip({{"xl/worksheets/sheet1.xml",
                           sheet_of(cells(2, "<c r=\"E2\" t=\"inlineStr\"><is><t>" + huge + "</t></is></c>") +
                                    cells(3, "<c r=\"E3\" t=\"inlineStr\"><is><t>" + huge + "</t></is></c>"))}});
    EXPECT_LT(file.size(), 2u * 1024 * 1024);
    auto r = upload(c, file, "xlsx", true);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    EXPECT_EQ(r.json().at("error_count").as_int64(), 2);
    EXPECT_EQ(str(r.json().at("errors").at(0), "code"), "request.field_too_long");
  }
  huge.clear();
  huge.shrink_to_fit();
  // One 8 MiB shared string used 40 times.
  {
    std::string rows;
    for (int i = 2; i < 42; ++i) rows += cells(i, "<c r=\"E" + std::to_string(i) + "\" t=\"s\"><v>0</v></c>");
    auto r = xlsx(sheet_of(rows), {std::string(8 * 1024 * 1024, 'b')});
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    EXPECT_EQ(r.json().at("error_count").as_int64(), 40);
  }
  // Rows with an empty cell at the last column Excel has (XFD).
  {
    // Each row ends with an empty cell at XFD.
    std::string with_far;
    for (int i = 2; i < 2002; ++i) {
      std::string row = cells(i, "<c r=\"E" + std::to_string(i) + "\" t=\"inlineStr\"><is><t>居民" +
                                     std::to_string(i) + "</t></is></c>");
      row.insert(row.size() - 6, "<c r=\"XFD" + std::to_string(i) + "\" t=\"inlineStr\"><is><t></t></is></c>");
      with_far += row;
    }
    auto r = xlsx(sheet_of(with_far));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    EXPECT_TRUE(r.json().at("valid").as_bool()) << r.body.substr(0, 300);
    EXPECT_EQ(r.json().at("created").at("rows").as_int64(), 2000);
    // A filled cell there is past what a roster holds.
    auto filled = xlsx(sheet_of(cells(2, "<c r=\"E2\" t=\"inlineStr\"><is><t>张三</t></is></c><c r=\"XFD2\" "
                                         "t=\"inlineStr\"><is><t>x</t></is></c>")));
    EXPECT_EQ(filled.error_code(), "import.too_many_columns");
  }
  // 10 MiB of blank lines, and a million rows.
  std::string blank = "小区,楼栋,单元,房号,姓名,与户关系\n" + std::string(10 * 1024 * 1024, '\n');
  EXPECT_EQ(upload(c, blank, "csv", true).error_code(), "import.too_many_rows");
  std::string million = "小区,楼栋,单元,房号,姓名,与户关系\n";
  million.reserve(12 * 1000000);
  for (int i = 0; i < 1000000; ++i) million += "a,b,c,1,x,y\n";
  auto many = upload(c, million.substr(0, 30 * 1024 * 1024), "csv", true);
  EXPECT_EQ(many.error_code(), "import.too_many_rows");
  // A thousand bad rows: the first 200 listed, all counted.
  std::string bad = "小区,楼栋,单元,房号,姓名,与户关系\n";
  for (int i = 0; i < 1000; ++i) bad += "幸福里,1号楼,1单元,101,张三,外星人\n";
  auto report = upload(c, bad, "csv", true);
  ASSERT_EQ(report.status, 200);
  EXPECT_EQ(report.json().at("errors").as_array().size(), 200u);
  EXPECT_EQ(report.json().at("error_count").as_int64(), 1000);
  EXPECT_EQ(anonymous().get("/healthz").status, 200);
}

}  // namespace xh::test

namespace xh::test {

// Places are matched in the forms rosters use (the template's own example,
// 泉星花园 / 1号楼 / 1单元 / 101, is the registered 泉星花园1号楼1单元101室),
// the dry run says what the import would create and what it matched, and new
// places get the street's full names.
TEST_F(Import, TheDryRunSaysWhatItWillCreateAndMatchesPlacesAsRostersNameThem) {
  auto c = as("community_admin");
  auto tmpl = c.get("/api/imports/roster/template?format=csv");
  ASSERT_EQ(tmpl.status, 200);
  auto dry = upload(c, tmpl.body, "csv", true);
  ASSERT_EQ(dry.status, 200) << dry.body;
  auto report = dry.json();
  EXPECT_TRUE(report.at("valid").as_bool()) << dry.body;
  for (const char* kind : {"compounds", "buildings", "units", "households"}) {
    EXPECT_EQ(report.at("created").at(kind).as_int64(), 0) << kind;
    EXPECT_EQ(report.at("matched").at(kind).as_int64(), 1) << kind;
  }
  EXPECT_EQ(report.at("created").at("residents").as_int64(), 1);
  // The dry run wrote nothing.
  auto db = server_->open_db();
  auto named = [&](const std::string& name) {
    return db->read([&](storage::Tx& tx) {
      return tx.query_one("SELECT COUNT(*) FROM places WHERE name = $1", name)->i64(0);
    });
  };
  EXPECT_EQ(named("1号楼"), 0);
  // By code, too; and a new home gets its full name.
  std::string roster = "小区,楼栋,单元,房号,姓名,与户关系\n"
                       "泉星花园,NC-QX-C1-B2,2单元,601,编码甲,业主\n"
                       "泉星花园,8号楼,1单元,101,新楼乙,业主\n";
  auto plan = upload(c, roster, "csv", true).json();
  EXPECT_EQ(plan.at("matched").at("buildings").as_int64(), 1) << json::serialize(plan);
  EXPECT_EQ(plan.at("created").at("buildings").as_int64(), 1);
  EXPECT_EQ(plan.at("created").at("households").as_int64(), 1);
  auto real = upload(c, roster, "csv", false);
  ASSERT_EQ(real.status, 200) << real.body;
  EXPECT_EQ(named("泉星花园8号楼1单元101室"), 1);
  EXPECT_EQ(named("8号楼"), 0);
}

}  // namespace xh::test

namespace xh::test {

// A workbook whose sheet does not match its checksum (a damaged download, or
// a file edited to slip past a check) is refused as a bad XLSX.
TEST_F(Import, AWorkbookWithABadChecksumIsRefused) {
  auto c = as("community_admin");
  std::string sheet = sheet_of(cells(2, "<c r=\"E2\" t=\"inlineStr\"><is><t>张三</t></is></c>"));
  std::string file = make_zip({{"xl/worksheets/sheet1.xml", sheet}});
  ASSERT_EQ(upload(c, file, "xlsx", true).status, 200);
  // The CRC-32 of the entry, in its local header (offset 14) and in the
  // central directory, is changed; the data is not.
  auto flip = [&](std::size_t at) { file[at] = static_cast<char>(file[at] ^ 0x55); };
  flip(14);
  auto central = file.find(std::string("PK\x01\x02", 4));
  ASSERT_NE(central, std::string::npos);
  flip(central + 16);
  auto r = upload(c, file, "xlsx", true);
  EXPECT_EQ(r.status, 422) << r.body.substr(0, 200);
  EXPECT_EQ(r.error_code(), "import.bad_xlsx");
}

}  // namespace xh::test
