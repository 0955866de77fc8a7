#include "votes/tally.h"

#include <boost/json.hpp>

#include <set>

#include "core/error.h"
#include "places/places.h"

namespace xh::votes {

namespace json = boost::json;
using places::format_area;

const std::vector<Matter>& matters() {
  static const std::vector<Matter> all = {
      {"rules_of_procedure", Kind::ordinary, "制定和修改业主大会议事规则", "Make or change the owners' assembly's rules of procedure"},
      {"management_statute", Kind::ordinary, "制定和修改管理规约", "Make or change the management statute"},
      {"elect_committee", Kind::ordinary, "选举业主委员会或者更换业主委员会成员", "Elect the owners' committee or change its members"},
      {"hire_property_service", Kind::ordinary, "选聘和解聘物业服务企业或者其他管理人", "Hire or dismiss the property service company or another manager"},
      {"use_maintenance_fund", Kind::ordinary, "使用建筑物及其附属设施的维修资金", "Use the maintenance fund of the building and its facilities"},
      {"raise_maintenance_fund", Kind::special, "筹集建筑物及其附属设施的维修资金", "Raise the maintenance fund of the building and its facilities"},
      {"rebuild_or_renovate", Kind::special, "改建、重建建筑物及其附属设施", "Rebuild or renovate the building and its facilities"},
      {"change_common_use", Kind::special, "改变共有部分的用途或者利用共有部分从事经营活动", "Change the use of common parts or run a business on them"},
      {"other_major", Kind::ordinary, "有关共有和共同管理权利的其他重大事项", "Another major matter of common ownership and management"},
  };
  return all;
}

const Matter* matter(std::string_view key) {
  for (const auto& m : matters())
    if (key == m.key) return &m;
  return nullptr;
}

std::optional<Choice> choice_of(std::string_view key) {
  if (key == "agree") return Choice::agree;
  if (key == "disagree") return Choice::disagree;
  if (key == "abstain") return Choice::abstain;
  return std::nullopt;
}

const char* choice_key(Choice c) {
  switch (c) {
    case Choice::agree: return "agree";
    case Choice::disagree: return "disagree";
    case Choice::abstain: return "abstain";
  }
  return "abstain";
}

Tally decide(std::string_view matter_key, const Sums& s) {
  const Matter* m = matter(matter_key);
  if (!m) throw unprocessable("vote.bad_matter", std::string(matter_key));
  Tally t;
  t.matter = m->key;
  t.kind = m->kind;
  t.total_area = s.total_area;
  t.participating_area = s.participating_area;
  t.agreeing_area = s.agreeing_area;
  t.total_owners = s.total_owners;
  t.participating_owners = s.participating_owners;
  t.agreeing_owners = s.agreeing_owners;
  // At least two thirds took part, of the area and of the owners (nobody to count: no quorum).
  t.area_quorum = t.total_area > 0 && t.participating_area * 3 >= t.total_area * 2;
  t.owners_quorum = t.total_owners > 0 && t.participating_owners * 3 >= t.total_owners * 2;
  t.quorum_met = t.area_quorum && t.owners_quorum;
  if (t.kind == Kind::special) {  // at least three quarters of those taking part
    t.area_agrees = t.participating_area > 0 && t.agreeing_area * 4 >= t.participating_area * 3;
    t.owners_agree = t.participating_owners > 0 && t.agreeing_owners * 4 >= t.participating_owners * 3;
  } else {  // more than half of those taking part
    t.area_agrees = t.agreeing_area * 2 > t.participating_area;
    t.owners_agree = t.agreeing_owners * 2 > t.participating_owners;
  }
  t.passed = t.quorum_met && t.area_agrees && t.owners_agree;
  return t;
}

Tally tally(std::string_view matter_key, const std::vector<Unit>& units, const std::map<std::string, Choice>& ballots) {
  if (!matter(matter_key)) throw unprocessable("vote.bad_matter", std::string(matter_key));
  Sums s;
  // Each owner's area: the sum of their units.
  std::map<std::string, Area> owned;
  std::set<std::string> seen;
  for (const auto& u : units) {
    if (!seen.insert(u.unit).second) throw unprocessable("vote.duplicate_unit", u.unit);
    if (u.area <= 0) throw unprocessable("vote.bad_area", u.unit);
    owned[u.owner] += u.area;
    s.total_area += u.area;
  }
  s.total_owners = static_cast<std::int64_t>(owned.size());
  for (const auto& [owner, choice] : ballots) {
    auto it = owned.find(owner);
    if (it == owned.end()) throw unprocessable("vote.unknown_owner", owner);
    s.participating_area += it->second;
    ++s.participating_owners;
    if (choice == Choice::agree) {
      s.agreeing_area += it->second;
      ++s.agreeing_owners;
    }
  }
  return decide(matter_key, s);
}

namespace {

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "0.00%";
  // Two decimals, rounded down: never shows a threshold met that is not.
  std::int64_t basis = part * 10000 / whole;
  std::string cents = std::to_string(basis % 100);
  return std::to_string(basis / 100) + "." + (cents.size() < 2 ? "0" + cents : cents) + "%";
}

std::string yes(bool met, Lang lang) {
  if (lang == Lang::en) return met ? "met" : "not met";
  return met ? "达到" : "未达到";
}

}  // namespace

std::vector<std::string> explain(const Tally& t, Lang lang) {
  const Matter* m = matter(t.matter);
  bool en = lang == Lang::en;
  bool special = t.kind == Kind::special;
  auto area = [](Area a) { return format_area(a); };
  auto n = [](std::int64_t v) { return std::to_string(v); };
  std::vector<std::string> out;
  if (en) {
    out.push_back(std::string("Matter: ") + m->en + (special ? " — a special matter (Civil Code Article 278, items 6–8): at least 3/4 of the participating area and owners must agree."
                                                              : " — an ordinary matter: more than half of the participating area and owners must agree."));
    out.push_back("The roll: " + area(t.total_area) + " m² of exclusive area held by " + n(t.total_owners) + " owners.");
    out.push_back("Taking part (at least 2/3 of each needed): " + area(t.participating_area) + " of " + area(t.total_area) + " m² (" +
                  percent(t.participating_area, t.total_area) + "), " + yes(t.area_quorum, lang) + "; " + n(t.participating_owners) +
                  " of " + n(t.total_owners) + " owners (" + percent(t.participating_owners, t.total_owners) + "), " + yes(t.owners_quorum, lang) + ".");
    out.push_back("Agreeing (" + std::string(special ? "at least 3/4" : "more than 1/2") + " of those taking part needed): " +
                  area(t.agreeing_area) + " of " + area(t.participating_area) + " m² (" + percent(t.agreeing_area, t.participating_area) +
                  "), " + yes(t.area_agrees, lang) + "; " + n(t.agreeing_owners) + " of " + n(t.participating_owners) + " owners (" +
                  percent(t.agreeing_owners, t.participating_owners) + "), " + yes(t.owners_agree, lang) + ".");
    out.push_back(t.passed ? "Result: passed." : t.quorum_met ? "Result: not passed." : "Result: not passed — too few owners took part.");
  } else {
    out.push_back(std::string("表决事项：") + m->zh + (special ? "，属《民法典》第二百七十八条第一款第六项至第八项规定的事项，应当经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。"
                                                                 : "，应当经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。"));
    out.push_back("业主名册：专有部分总面积 " + area(t.total_area) + " 平方米，业主 " + n(t.total_owners) + " 人。");
    out.push_back("参与表决（须均达三分之二以上）：专有部分面积 " + area(t.participating_area) + " / " + area(t.total_area) + " 平方米（" +
                  percent(t.participating_area, t.total_area) + "），" + yes(t.area_quorum, lang) + "；人数 " + n(t.participating_owners) + " / " +
                  n(t.total_owners) + " 人（" + percent(t.participating_owners, t.total_owners) + "），" + yes(t.owners_quorum, lang) + "。");
    out.push_back("同意（须均达参与表决的" + std::string(special ? "四分之三以上" : "过半数") + "）：专有部分面积 " + area(t.agreeing_area) + " / " +
                  area(t.participating_area) + " 平方米（" + percent(t.agreeing_area, t.participating_area) + "），" + yes(t.area_agrees, lang) +
                  "；人数 " + n(t.agreeing_owners) + " / " + n(t.participating_owners) + " 人（" +
                  percent(t.agreeing_owners, t.participating_owners) + "），" + yes(t.owners_agree, lang) + "。");
    out.push_back(t.passed ? "表决结果：通过。" : t.quorum_met ? "表决结果：未通过。" : "表决结果：未通过（参与表决的业主不足）。");
  }
  return out;
}

json::object to_json(const Tally& t, Lang lang) {
  json::array explanation;
  for (auto& s : explain(t, lang)) explanation.emplace_back(s);
  return {{"matter", t.matter},
          {"kind", t.kind == Kind::special ? "special" : "ordinary"},
          {"total_area", format_area(t.total_area)},
          {"total_owners", t.total_owners},
          {"participating_area", format_area(t.participating_area)},
          {"participating_owners", t.participating_owners},
          {"agreeing_area", format_area(t.agreeing_area)},
          {"agreeing_owners", t.agreeing_owners},
          {"quorum_met", t.quorum_met},
          {"passed", t.passed},
          {"explanation", std::move(explanation)}};
}

Tally tally_json(std::string_view text) {
  json::value doc;
  try {
    doc = json::parse(text);
  } catch (const std::exception&) {
    throw unprocessable("vote.bad_file", "not JSON");
  }
  if (!doc.is_object()) throw unprocessable("vote.bad_file", "not a JSON object");
  const auto& o = doc.as_object();
  for (const auto& [k, v] : o)
    if (k != "matter" && k != "units" && k != "ballots") throw unprocessable("vote.bad_file", std::string(k));
  const auto* matter_v = o.if_contains("matter");
  const auto* units_v = o.if_contains("units");
  const auto* ballots_v = o.if_contains("ballots");
  if (!matter_v || !matter_v->is_string()) throw unprocessable("vote.bad_file", "matter");
  if (!units_v || !units_v->is_array()) throw unprocessable("vote.bad_file", "units");
  if (ballots_v && !ballots_v->is_object()) throw unprocessable("vote.bad_file", "ballots");
  std::vector<Unit> units;
  for (const auto& u : units_v->as_array()) {
    const auto* uo = u.if_object();
    if (!uo) throw unprocessable("vote.bad_file", "units");
    const auto* id = uo->if_contains("unit");
    const auto* area = uo->if_contains("area");
    const auto* owner = uo->if_contains("owner");
    if (!id || !id->is_string() || id->as_string().empty() || !owner || !owner->is_string() || owner->as_string().empty())
      throw unprocessable("vote.bad_file", "units");
    std::string unit(id->as_string());
    // The area as written (a string keeps "86.50" exact; a JSON number is refused).
    auto a = area && area->is_string() ? places::parse_area(area->as_string()) : std::nullopt;
    if (!a || *a <= 0) throw unprocessable("vote.bad_area", unit);
    units.push_back({unit, *a, std::string(owner->as_string())});
  }
  std::map<std::string, Choice> ballots;
  if (ballots_v)
    for (const auto& [owner, v] : ballots_v->as_object()) {
      auto c = v.is_string() ? choice_of(v.as_string()) : std::nullopt;
      if (!c) throw unprocessable("vote.bad_choice", std::string(owner));
      ballots[std::string(owner)] = *c;
    }
  return tally(matter_v->as_string(), units, ballots);
}

}  // namespace xh::votes
