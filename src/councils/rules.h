#pragma once
// Deliberation rules (GOV-2) as data: a council adopts a rule set; the
// default is the ten rules of a round-table council (罗伯特议事规则 as
// adapted by Chinese villages and communities). Each rule has its text and,
// where the software enforces it, its parameters; the rest the chair records
// as violations. Pure: no I/O.
#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace xh::councils {

// How many must be present, or vote for, out of how many.
enum class Threshold {
  more_than_half_present,  // for > present / 2
  two_thirds_present,      // for ≥ present × 2 / 3
  more_than_half_cast,     // for > (for + against) / 2; abstentions do not count
  more_than_half_members,  // for > members / 2
};

struct RuleSet {
  int speech_seconds = 180;           // 不超时: one speech
  int extension_seconds = 60;         // the chair may extend a speech …
  int extensions_per_speech = 1;      // … this many times
  int speeches_per_motion = 2;        // 机会均等: one member on one motion
  bool alternate_sides = true;        // pro and con alternate where both wait
  bool proxies_allowed = false;       // an absent member may name a proxy
  bool secret_votes = false;          // who voted is shown, not how
  Threshold pass = Threshold::more_than_half_present;
  int quorum_percent = 50;            // more than this share of members present
};

// The ten rules, each {key, zh, en, enforced}, in order.
struct Rule {
  const char* key;
  const char* zh;
  const char* en;
  bool enforced;  // by the software; else recorded by the chair
};
const std::vector<Rule>& ten_rules();

// The parameters as stored and answered ({"speech_seconds": 180, …, "pass":
// "more_than_half_present"}); parse() throws 422 council.bad_rules (field the
// parameter) on a missing, unknown or out-of-range one.
boost::json::object to_json(const RuleSet& r);
RuleSet parse_rules(const boost::json::object& o);
const char* threshold_key(Threshold t);

// Integer arithmetic, exact at the boundaries.
bool quorate(const RuleSet& r, std::int64_t present, std::int64_t members);
bool passes(const RuleSet& r, std::int64_t for_, std::int64_t against, std::int64_t present,
            std::int64_t members);

}  // namespace xh::councils
