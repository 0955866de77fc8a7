// The audit entry of a generated street (`xinghuo gen`): one "gen" entry, in
// the street's transaction, with what the other modules' steps added to it.
#include <boost/json.hpp>

#include "api/module.h"
#include "audit/audit.h"

namespace xh::audit {

api::GenCounts gen_street(storage::Tx& tx, api::Context&, api::GenStreet& street) {
  boost::json::object added{{"street", street.number}};
  for (const auto& [name, n] : street.counts) added[name] = n;
  append(tx, api::Actor::system("gen"),
         {"gen", "place", std::to_string(street.id), std::nullopt, boost::json::serialize(added)});
  return {};
}

}  // namespace xh::audit
