#pragma once
// Owners' decisions counted by 《民法典》 Article 278 and the Supreme People's
// Court's interpretation on building ownership (GOV-5) — pure arithmetic, no
// I/O: the app's count and `xinghuo votes tally` are this one function.
//
// Who counts: one owner per owner key. A unit's co-owners are one owner; one
// buyer's several units are one owner; the developer's unsold (or undelivered)
// units together are one owner — the roll gives such units one key. What
// counts: each unit's exclusive area, in hundredths of a square metre (exact
// integers). Every decision needs the owners of at least 2/3 of the area and
// at least 2/3 of the owners to take part (abstaining is taking part); then
// the matters 6–8 of the article (raise_maintenance_fund,
// rebuild_or_renovate, change_common_use) need at least 3/4 of the
// participating area and of the participating owners to agree, the others
// more than half of both. "以上" includes the boundary itself (Civil Code
// Article 1259); "过半数" does not.
#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/messages.h"

namespace xh::votes {

enum class Kind { ordinary, special };

struct Matter {
  const char* key;
  Kind kind;
  const char* zh;
  const char* en;
};
// Article 278's list, in its order.
const std::vector<Matter>& matters();
const Matter* matter(std::string_view key);

enum class Choice { agree, disagree, abstain };
std::optional<Choice> choice_of(std::string_view key);
const char* choice_key(Choice c);

// Hundredths of a square metre (written and read by places::format_area and
// places::parse_area, exact).
using Area = std::int64_t;

struct Unit {
  std::string unit;   // the unit's own id
  Area area = 0;
  std::string owner;  // the owner key: units with one key belong to one owner
};

struct Tally {
  std::string matter;
  Kind kind = Kind::ordinary;
  Area total_area = 0, participating_area = 0, agreeing_area = 0;
  std::int64_t total_owners = 0, participating_owners = 0, agreeing_owners = 0;
  bool area_quorum = false, owners_quorum = false;  // ≥ 2/3 took part
  bool area_agrees = false, owners_agree = false;   // ≥ 3/4 (special) or > 1/2 (ordinary) of those
  bool quorum_met = false, passed = false;
};

// The sums a count comes to (a secret vote keeps only these).
struct Sums {
  Area total_area = 0, participating_area = 0, agreeing_area = 0;
  std::int64_t total_owners = 0, participating_owners = 0, agreeing_owners = 0;
};
// The thresholds applied to the sums: the one place they are decided.
// Throws 422 vote.bad_matter.
Tally decide(std::string_view matter, const Sums& sums);

// The count: the sums of the roll and the ballots, decided. Throws 422: vote.bad_matter (detail: the key), vote.duplicate_unit
// (the unit), vote.bad_area (the unit), vote.unknown_owner (a ballot's owner
// key that holds no unit).
Tally tally(std::string_view matter, const std::vector<Unit>& units, const std::map<std::string, Choice>& ballots);

// The count in sentences, for the published result and the command.
std::vector<std::string> explain(const Tally& t, Lang lang);

// {matter, kind, total_area, total_owners, participating_area,
// participating_owners, agreeing_area, agreeing_owners, quorum_met, passed,
// explanation}: areas as strings with two decimals.
boost::json::object to_json(const Tally& t, Lang lang);

// The command's input: {"matter", "units": [{"unit", "area", "owner"}],
// "ballots": {owner key: agree|disagree|abstain}}. Throws 422 vote.bad_file
// (detail: what is wrong), vote.bad_choice (the owner key) and tally()'s.
Tally tally_json(std::string_view text);

}  // namespace xh::votes
