// The councils' rules as arithmetic: the speaking order (机会均等: fewer
// speeches first, pro and con alternating, else first come), the quorum and
// the thresholds at their exact boundaries, the rule set's parameters.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/error.h"
#include "councils/queue.h"
#include "councils/rules.h"

namespace xh::councils {
namespace {

struct Case {
  const char* name;
  std::vector<FloorRequest> waiting;  // id, member, side
  std::map<std::int64_t, int> spoken;
  std::optional<Side> last;
  bool alternate;
  std::vector<std::int64_t> members;  // who gets the floor, in order
};

constexpr Side P = Side::pro, C = Side::con, N = Side::neutral;

TEST(SpeakingOrder, FollowsTheRules) {
  const std::vector<Case> cases = {
      {"first come, first served", {{1, 10, N}, {2, 11, N}, {3, 12, N}}, {}, std::nullopt, true, {10, 11, 12}},
      {"nobody twice before all have spoken once",
       {{1, 10, N}, {2, 11, N}, {3, 12, N}}, {{10, 1}}, std::nullopt, true, {11, 12, 10}},
      {"two speeches wait behind one", {{1, 10, N}, {2, 11, N}, {3, 12, N}}, {{10, 2}, {11, 1}}, std::nullopt, true,
       {12, 11, 10}},
      {"pro and con alternate where both wait",
       {{1, 10, P}, {2, 11, P}, {3, 12, C}, {4, 13, C}}, {}, std::nullopt, true, {10, 12, 11, 13}},
      {"after a pro speech a con goes first", {{1, 10, P}, {2, 11, C}}, {}, P, true, {11, 10}},
      {"after a con speech a pro goes first", {{1, 10, C}, {2, 11, P}}, {}, C, true, {11, 10}},
      {"only one side waits: first come", {{1, 10, P}, {2, 11, P}}, {}, P, true, {10, 11}},
      {"without alternation: first come", {{1, 10, P}, {2, 11, P}, {3, 12, C}}, {}, P, false, {10, 11, 12}},
      {"a neutral request waits while both sides alternate",
       {{1, 10, P}, {2, 11, N}, {3, 12, P}, {4, 13, C}}, {}, std::nullopt, true, {10, 13, 12, 11}},
      {"a neutral speech does not reset the alternation", {{1, 11, P}, {2, 12, C}}, {{10, 1}}, P, true, {12, 11}},
      {"alternation within the fewest speeches only",
       {{1, 10, C}, {2, 11, P}}, {{10, 1}}, P, true, {11, 10}},
      {"a member asking again waits for the rest",
       {{1, 10, P}, {2, 11, C}, {3, 12, C}}, {{10, 1}, {11, 1}}, C, true, {12, 10, 11}},
      {"nobody waits", {}, {}, std::nullopt, true, {}},
  };
  for (const auto& c : cases) {
    auto order = speaking_order(c.waiting, {c.spoken, c.last}, c.alternate);
    std::vector<std::int64_t> got;
    for (const auto& r : order) got.push_back(r.member_id);
    EXPECT_EQ(got, c.members) << c.name;
  }
}

TEST(SpeakingOrder, ArrivalIsTheRequestsIdNotTheListsOrder) {
  auto order = speaking_order({{5, 11, N}, {2, 10, N}}, {}, true);
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(order[0].member_id, 10);
}

TEST(Quorum, MoreThanTheShareOfMembers) {
  RuleSet r;  // more than 50 %
  EXPECT_FALSE(quorate(r, 5, 10));
  EXPECT_TRUE(quorate(r, 6, 10));
  EXPECT_FALSE(quorate(r, 4, 9));
  EXPECT_TRUE(quorate(r, 5, 9));
  EXPECT_FALSE(quorate(r, 0, 0));
  r.quorum_percent = 66;  // more than 66 %: 7 of 10
  EXPECT_FALSE(quorate(r, 6, 10));
  EXPECT_TRUE(quorate(r, 7, 10));
}

TEST(Thresholds, ExactAtTheirBoundaries) {
  RuleSet r;
  r.pass = Threshold::more_than_half_present;
  EXPECT_FALSE(passes(r, 5, 0, 10, 12));  // half is not more than half
  EXPECT_TRUE(passes(r, 6, 4, 10, 12));
  EXPECT_TRUE(passes(r, 5, 0, 9, 12));
  r.pass = Threshold::two_thirds_present;
  EXPECT_FALSE(passes(r, 5, 0, 9, 12));
  EXPECT_TRUE(passes(r, 6, 0, 9, 12));  // exactly two thirds
  EXPECT_FALSE(passes(r, 6, 0, 10, 12));
  EXPECT_TRUE(passes(r, 7, 0, 10, 12));
  EXPECT_FALSE(passes(r, 0, 0, 0, 12));
  r.pass = Threshold::more_than_half_cast;  // abstentions do not count
  EXPECT_TRUE(passes(r, 3, 2, 10, 12));
  EXPECT_FALSE(passes(r, 2, 2, 10, 12));
  EXPECT_FALSE(passes(r, 0, 0, 10, 12));
  r.pass = Threshold::more_than_half_members;
  EXPECT_FALSE(passes(r, 6, 0, 10, 12));
  EXPECT_TRUE(passes(r, 7, 0, 10, 12));
}

TEST(RuleSets, ParametersRoundTripAndAreChecked) {
  RuleSet r;
  r.speech_seconds = 120;
  r.pass = Threshold::two_thirds_present;
  auto o = to_json(r);
  auto back = parse_rules(o);
  EXPECT_EQ(back.speech_seconds, 120);
  EXPECT_EQ(back.pass, Threshold::two_thirds_present);
  EXPECT_EQ(ten_rules().size(), 10u);
  auto refused = [&](boost::json::object bad) {
    try {
      parse_rules(bad);
    } catch (const Error& e) {
      return e.code() == "council.bad_rules" ? e.detail() : "";
    }
    return std::string("accepted");
  };
  auto bad = o;
  bad["speech_seconds"] = 5;
  EXPECT_EQ(refused(bad), "speech_seconds");
  bad = o;
  bad["pass"] = "unanimous";
  EXPECT_EQ(refused(bad), "pass");
  bad = o;
  bad["mood"] = 1;
  EXPECT_EQ(refused(bad), "mood");
  bad = o;
  bad.erase("secret_votes");
  EXPECT_EQ(refused(bad), "secret_votes");
}

}  // namespace
}  // namespace xh::councils
