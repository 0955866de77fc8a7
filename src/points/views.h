#pragma once
// How accounts, statements, awards, rules, items and vouchers read in the
// API, for the module's source files: each view shows what its caller may
// see (names masked for the public, a voucher's code only to its holder).
#include <boost/json/object.hpp>
#include <string>

#include "core/messages.h"
#include "people/identity.h"
#include "points/store.h"

namespace xh::points::views {

// "王桂兰" → "王**": names on public boards, unless the person consented.
using people::mask_name;

boost::json::object account(const store::AccountSummary& a, Lang lang);
// A posting as a statement line: {tx_id, at, kind, kind_label, memo, amount,
// balance_after}.
// Text the server wrote (a memo, a reason): `stored` (its Chinese words, as
// kept), or the message `key` with `params` (a JSON object) in `lang`. A
// parameter "event" is an event kind, shown as its label; "reason_key" with
// "reason_params" is a message of its own, shown as {reason}.
std::string text(const std::string& stored, const std::optional<std::string>& key,
                 const std::optional<std::string>& params, Lang lang);

boost::json::object entry(const store::Entry& e, Lang lang);
boost::json::object transaction(const store::Transaction& t, Lang lang);
boost::json::object rule(const store::Rule& r, Lang lang);
// The award; a resident's name masked unless `staff`.
boost::json::object award(const store::Award& a, bool staff, Lang lang);
boost::json::object objection(const store::Objection& o);
boost::json::object item(const store::Item& it);
// The code (and its QR link) only for the voucher's holder: it is their
// proof.
boost::json::object voucher(const store::Voucher& v, Lang lang, bool holder);

}  // namespace xh::points::views
