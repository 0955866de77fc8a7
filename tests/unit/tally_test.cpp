// The count of Civil Code Article 278 (GOV-5) at every boundary: 2/3 taking
// part by area and by heads, 3/4 and 1/2 agreeing, one buyer's several units,
// the developer's units, nobody voting, abstentions — and the command's file.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "votes/tally.h"

namespace xh::votes {
namespace {

using C = Choice;

// `n` owners of one unit each, `area` hundredths of a m² each: o1 … on.
std::vector<Unit> equal_units(int n, Area area = 10000) {
  std::vector<Unit> out;
  for (int i = 1; i <= n; ++i) out.push_back({"u" + std::to_string(i), area, "o" + std::to_string(i)});
  return out;
}
// The first `agree` owners agree, the next `disagree` disagree, the next `abstain` abstain.
std::map<std::string, C> ballots(int agree, int disagree = 0, int abstain = 0) {
  std::map<std::string, C> out;
  int i = 0;
  for (int k = 0; k < agree; ++k) out["o" + std::to_string(++i)] = C::agree;
  for (int k = 0; k < disagree; ++k) out["o" + std::to_string(++i)] = C::disagree;
  for (int k = 0; k < abstain; ++k) out["o" + std::to_string(++i)] = C::abstain;
  return out;
}

struct Row {
  const char* what;
  const char* matter;
  int owners, agree, disagree, abstain;
  bool quorum, passed;
};

TEST(Article278, EqualUnitsAtEveryBoundary) {
  const Row rows[] = {
      // 2/3 taking part: 6 of 9 is exactly 2/3 (以上 includes it), 5 of 9 is below.
      {"exactly 2/3 take part, all agree", "other_major", 9, 6, 0, 0, true, true},
      {"one owner below 2/3", "other_major", 9, 5, 0, 0, false, false},
      {"abstaining is taking part", "other_major", 9, 4, 0, 2, true, true},
      // Ordinary: more than half of those taking part; exactly half is not.
      {"exactly half agree (ordinary)", "elect_committee", 12, 4, 4, 0, true, false},
      {"one more than half (ordinary)", "elect_committee", 12, 5, 4, 0, true, true},
      {"abstentions count against (ordinary)", "hire_property_service", 12, 4, 0, 4, true, false},
      // Special (items 6–8): 3/4 of those taking part; exactly 3/4 passes, one below does not.
      {"exactly 3/4 agree (special)", "rebuild_or_renovate", 12, 6, 2, 0, true, true},
      {"one below 3/4 (special)", "rebuild_or_renovate", 12, 5, 2, 1, true, false},
      {"2/3 agree is not enough (special)", "raise_maintenance_fund", 9, 6, 3, 0, true, false},
      {"all agree (special)", "change_common_use", 9, 9, 0, 0, true, true},
      {"nobody votes", "other_major", 9, 0, 0, 0, false, false},
      {"all abstain", "other_major", 9, 0, 0, 9, true, false},
  };
  for (const auto& r : rows) {
    auto t = tally(r.matter, equal_units(r.owners), ballots(r.agree, r.disagree, r.abstain));
    EXPECT_EQ(t.quorum_met, r.quorum) << r.what;
    EXPECT_EQ(t.passed, r.passed) << r.what;
    EXPECT_EQ(t.participating_owners, r.agree + r.disagree + r.abstain) << r.what;
  }
}

TEST(Article278, AreaAndHeadsAreBothNeeded) {
  // 3 owners: a large flat of 200.00 m² and two of 50.00 m² (300.00 m² in all).
  std::vector<Unit> units = {{"A", 20000, "big"}, {"B", 5000, "s1"}, {"C", 5000, "s2"}};
  // The two small owners: 2/3 of the heads, 1/3 of the area — no quorum.
  auto t = tally("other_major", units, {{"s1", C::agree}, {"s2", C::agree}});
  EXPECT_TRUE(t.owners_quorum);
  EXPECT_FALSE(t.area_quorum);
  EXPECT_FALSE(t.passed);
  // The big one and one small: all agree → 250/300 of the area and 2/3 of the heads.
  t = tally("other_major", units, {{"big", C::agree}, {"s1", C::disagree}});
  EXPECT_TRUE(t.quorum_met);
  EXPECT_TRUE(t.area_agrees);    // 200 of 250 m²
  EXPECT_FALSE(t.owners_agree);  // 1 of 2 owners is not more than half
  EXPECT_FALSE(t.passed);

  // Exactly 2/3 of the area by 0.01 m²: 200.00 of 300.00 takes part; 199.99 of 299.99 + … below.
  std::vector<Unit> exact = {{"A", 20000, "a"}, {"B", 5000, "b"}, {"C", 5000, "c"}};
  t = tally("other_major", exact, {{"a", C::agree}, {"b", C::agree}});
  EXPECT_EQ(t.participating_area, 25000);
  std::vector<Unit> edge = {{"A", 10000, "a"}, {"B", 10000, "b"}, {"C", 10000, "c"}};
  t = tally("other_major", edge, {{"a", C::agree}, {"b", C::agree}});
  EXPECT_TRUE(t.area_quorum);  // 200.00 of 300.00 is exactly 2/3
  std::vector<Unit> below = {{"A", 9999, "a"}, {"B", 10000, "b"}, {"C", 10001, "c"}};
  t = tally("other_major", below, {{"a", C::agree}, {"b", C::agree}});
  EXPECT_FALSE(t.area_quorum);  // 199.99 of 300.00 is one hundredth below
  EXPECT_TRUE(t.owners_quorum);

  // Special: 3/4 of the participating area exactly (300.00 of 400.00), and 0.01 m² below.
  std::vector<Unit> four = {{"A", 10000, "a"}, {"B", 10000, "b"}, {"C", 10000, "c"}, {"D", 10000, "d"}};
  t = tally("rebuild_or_renovate", four, {{"a", C::agree}, {"b", C::agree}, {"c", C::agree}, {"d", C::disagree}});
  EXPECT_TRUE(t.passed);
  std::vector<Unit> four_below = {{"A", 10000, "a"}, {"B", 10000, "b"}, {"C", 9999, "c"}, {"D", 10001, "d"}};
  t = tally("rebuild_or_renovate", four_below, {{"a", C::agree}, {"b", C::agree}, {"c", C::agree}, {"d", C::disagree}});
  EXPECT_FALSE(t.area_agrees);
  EXPECT_TRUE(t.owners_agree);
  EXPECT_FALSE(t.passed);
}

TEST(Article278, OneBuyerOfSeveralUnitsAndTheDevelopersUnitsAreOneOwnerEach) {
  // 6 units: one buyer holds 3 (one owner, their area summed); the developer's 2 unsold are one owner.
  std::vector<Unit> units = {{"1-101", 8000, "buyer"}, {"1-102", 8000, "buyer"}, {"1-201", 8000, "buyer"},
                             {"1-202", 9000, "dev"},   {"1-301", 9000, "dev"},   {"1-302", 9000, "wang"}};
  auto t = tally("other_major", units, {{"buyer", C::agree}, {"wang", C::agree}});
  EXPECT_EQ(t.total_owners, 3);
  EXPECT_EQ(t.total_area, 51000);
  EXPECT_EQ(t.participating_area, 33000);  // 330.00 of 510.00: below 2/3 (340.00)
  EXPECT_TRUE(t.owners_quorum);           // 2 of 3 owners
  EXPECT_FALSE(t.area_quorum);
  t = tally("other_major", units, {{"buyer", C::agree}, {"dev", C::abstain}});
  EXPECT_EQ(t.participating_area, 42000);
  EXPECT_TRUE(t.quorum_met);
  EXPECT_TRUE(t.area_agrees);    // 240 of 420 m²
  EXPECT_FALSE(t.owners_agree);  // 1 of 2
}

TEST(Article278, BadInputIsRefusedByName) {
  auto code = [](auto f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code() + ":" + e.detail();
    }
    return std::string("none");
  };
  EXPECT_EQ(code([] { tally("paint_the_fence", equal_units(3), {}); }), "vote.bad_matter:paint_the_fence");
  EXPECT_EQ(code([] { tally("other_major", equal_units(3), {{"ghost", C::agree}}); }), "vote.unknown_owner:ghost");
  EXPECT_EQ(code([] { tally_json(R"({"matter":"other_major","units":[{"unit":"1","area":"80.123","owner":"a"}]})"); }),
            "vote.bad_area:1");
  EXPECT_EQ(code([] { tally_json(R"({"matter":"other_major","units":[{"unit":"1","area":80,"owner":"a"}]})"); }),
            "vote.bad_area:1");
  EXPECT_EQ(code([] { tally_json(R"({"matter":"other_major","units":[{"unit":"1","area":"80","owner":"a"},{"unit":"1","area":"80","owner":"b"}]})"); }),
            "vote.duplicate_unit:1");
  EXPECT_EQ(code([] { tally_json(R"({"matter":"other_major","units":[{"unit":"1","area":"80","owner":"a"}],"ballots":{"a":"yes"}})"); }),
            "vote.bad_choice:a");
  EXPECT_EQ(code([] { tally_json("[1]"); }), "vote.bad_file:not a JSON object");
  for (const char* bad : {"0", "0.00", "-1", "1.", ".5", "1e3", "12,5", "1000000"})
    EXPECT_EQ(code([&] { tally_json(std::string(R"({"matter":"other_major","units":[{"unit":"1","area":")") + bad + R"(","owner":"a"}]})"); }),
              "vote.bad_area:1") << bad;
}

TEST(Article278, TheCommandsAnswerWithItsExplanation) {
  auto t = tally_json(R"({"matter":"rebuild_or_renovate","units":[
      {"unit":"1-101","area":"80.50","owner":"a"},{"unit":"1-102","area":"80.50","owner":"b"},
      {"unit":"1-201","area":"90","owner":"c"},{"unit":"1-202","area":"90.00","owner":"c"}],
      "ballots":{"a":"agree","c":"agree"}})");
  auto j = to_json(t, Lang::zh_CN);
  EXPECT_EQ(j.at("kind").as_string(), "special");
  EXPECT_EQ(j.at("total_area").as_string(), "341.00");
  EXPECT_EQ(j.at("total_owners").as_int64(), 3);
  EXPECT_EQ(j.at("participating_area").as_string(), "260.50");
  EXPECT_EQ(j.at("agreeing_owners").as_int64(), 2);
  EXPECT_TRUE(j.at("quorum_met").as_bool());
  EXPECT_TRUE(j.at("passed").as_bool());
  auto first = std::string(j.at("explanation").at(0).as_string());
  EXPECT_NE(first.find("四分之三以上"), std::string::npos) << first;
  auto en = to_json(t, Lang::en);
  EXPECT_NE(std::string(en.at("explanation").at(2).as_string()).find("76.39%"), std::string::npos)
      << en.at("explanation").at(2).as_string();
}

// `xinghuo votes tally` as an office runs it: a file or standard input, the
// answer on standard output, a bad file refused with exit 2 naming what.
TEST(Article278, TheCommandLine) {
  auto dir = std::filesystem::temp_directory_path() / ("xh-tally-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto run = [&](const std::string& args, int* status) {
    std::string out;
    FILE* p = ::popen((std::string(XH_BINARY) + " votes tally " + args + " 2>&1").c_str(), "r");
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    int raw = ::pclose(p);
    *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return out;
  };
  auto file = (dir / "renovation.json").string();
  std::ofstream(file) << R"({"matter":"rebuild_or_renovate","units":[
      {"unit":"1-101","area":"80.50","owner":"a"},{"unit":"1-102","area":"80.50","owner":"b"},
      {"unit":"1-201","area":"90.00","owner":"dev"},{"unit":"1-202","area":"90.00","owner":"dev"}],
      "ballots":{"a":"agree","dev":"agree","b":"disagree"}})";
  int status = -1;
  auto out = run(file, &status);
  EXPECT_EQ(status, 0) << out;
  auto answer = boost::json::parse(out).as_object();
  EXPECT_EQ(answer.at("total_owners").as_int64(), 3);
  EXPECT_EQ(answer.at("agreeing_area").as_string(), "260.50");
  // 260.50 of 341.00 m² agree (76.39 %, at least 3/4) but 2 of 3 owners (less than 3/4): not passed.
  EXPECT_TRUE(answer.at("quorum_met").as_bool());
  EXPECT_FALSE(answer.at("passed").as_bool());
  out = run("- --lang en < " + file, &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("Result:"), std::string::npos) << out;
  auto bad = (dir / "ghost.json").string();
  std::ofstream(bad) << R"({"matter":"other_major","units":[{"unit":"1","area":"80","owner":"a"}],"ballots":{"ghost":"agree"}})";
  out = run(bad, &status);
  EXPECT_EQ(status, 2) << out;
  EXPECT_NE(out.find("ghost"), std::string::npos) << out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace xh::votes
