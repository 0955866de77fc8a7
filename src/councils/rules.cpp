#include "councils/rules.h"

#include <boost/json.hpp>

#include <set>

#include "core/error.h"

namespace xh::councils {

namespace json = boost::json;

const std::vector<Rule>& ten_rules() {
  static const std::vector<Rule> all = {
      {"neutral_chair", "主持中立：主持人不发表倾向性意见", "A neutral chair who takes no side", false},
      {"floor", "举手发言：经主持人准许方可发言", "Speak only when given the floor", true},
      {"time_limit", "不超时：每次发言不超过规定时间", "No overtime: each speech within its time", true},
      {"no_interrupting", "不打断：不打断他人发言", "No interrupting", false},
      {"on_topic", "不跑题：发言紧扣当前议题", "Stay on the motion", false},
      {"no_attack", "不攻击：对事不对人，不进行人身攻击", "No personal attacks", false},
      {"one_motion", "一事一议：一次只讨论一个动议", "One motion at a time", true},
      {"equal_chances", "机会均等：人人发言后方可再次发言，正反方轮流", "Equal chances: all speak once before anyone twice; pro and con alternate", true},
      {"decide_by_vote", "表决决定：充分讨论后表决", "Decide by vote", true},
      {"abide", "服从结果：少数服从多数，执行表决结果", "Abide by the result", false},
  };
  return all;
}

namespace {

struct IntParam {
  const char* key;
  int RuleSet::*field;
  int lo, hi;
};
const IntParam kInts[] = {
    {"speech_seconds", &RuleSet::speech_seconds, 30, 1800},
    {"extension_seconds", &RuleSet::extension_seconds, 0, 600},
    {"extensions_per_speech", &RuleSet::extensions_per_speech, 0, 3},
    {"speeches_per_motion", &RuleSet::speeches_per_motion, 1, 10},
    {"quorum_percent", &RuleSet::quorum_percent, 0, 99},
};
struct BoolParam {
  const char* key;
  bool RuleSet::*field;
};
const BoolParam kBools[] = {
    {"alternate_sides", &RuleSet::alternate_sides},
    {"proxies_allowed", &RuleSet::proxies_allowed},
    {"secret_votes", &RuleSet::secret_votes},
};
const Threshold kThresholds[] = {Threshold::more_than_half_present, Threshold::two_thirds_present,
                                 Threshold::more_than_half_cast, Threshold::more_than_half_members};

}  // namespace

const char* threshold_key(Threshold t) {
  switch (t) {
    case Threshold::more_than_half_present: return "more_than_half_present";
    case Threshold::two_thirds_present: return "two_thirds_present";
    case Threshold::more_than_half_cast: return "more_than_half_cast";
    case Threshold::more_than_half_members: return "more_than_half_members";
  }
  return "more_than_half_present";
}

json::object to_json(const RuleSet& r) {
  json::object o;
  for (const auto& p : kInts) o[p.key] = r.*p.field;
  for (const auto& p : kBools) o[p.key] = r.*p.field;
  o["pass"] = threshold_key(r.pass);
  return o;
}

RuleSet parse_rules(const json::object& o) {
  RuleSet r;
  std::set<std::string> known{"pass"};
  for (const auto& p : kInts) {
    known.insert(p.key);
    const json::value* v = o.if_contains(p.key);
    if (!v || !v->is_int64() || v->as_int64() < p.lo || v->as_int64() > p.hi)
      throw unprocessable("council.bad_rules", p.key);
    r.*p.field = static_cast<int>(v->as_int64());
  }
  for (const auto& p : kBools) {
    known.insert(p.key);
    const json::value* v = o.if_contains(p.key);
    if (!v || !v->is_bool()) throw unprocessable("council.bad_rules", p.key);
    r.*p.field = v->as_bool();
  }
  const json::value* pass = o.if_contains("pass");
  bool found = false;
  for (auto t : kThresholds)
    if (pass && pass->is_string() && pass->as_string() == threshold_key(t)) {
      r.pass = t;
      found = true;
    }
  if (!found) throw unprocessable("council.bad_rules", "pass");
  for (const auto& [k, v] : o)
    if (!known.count(std::string(k))) throw unprocessable("council.bad_rules", std::string(k));
  return r;
}

bool quorate(const RuleSet& r, std::int64_t present, std::int64_t members) {
  // More than quorum_percent of the members: present × 100 > members × percent.
  return members > 0 && present * 100 > members * r.quorum_percent;
}

bool passes(const RuleSet& r, std::int64_t for_, std::int64_t against, std::int64_t present,
            std::int64_t members) {
  switch (r.pass) {
    case Threshold::more_than_half_present: return for_ * 2 > present;
    case Threshold::two_thirds_present: return present > 0 && for_ * 3 >= present * 2;
    case Threshold::more_than_half_cast: return for_ * 2 > for_ + against;
    case Threshold::more_than_half_members: return for_ * 2 > members;
  }
  return false;
}

}  // namespace xh::councils
