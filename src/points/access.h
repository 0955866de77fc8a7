#pragma once
// Who may do what with points: shared by the module's source files.
#include <string_view>

#include "api/principal.h"
#include "points/store.h"
#include "storage/database.h"

namespace xh::points::access {

// The caller's own account: their resident record's, or a team's they are a
// contact of.
bool owns_account(storage::Tx& tx, const api::Principal& p, const store::Account& a);
// May see the account and its history: its owner, or points.read over it;
// 403 otherwise.
void require_account(storage::Tx& tx, const api::Principal& p, const store::Account& a);
// Some business role of the caller (not one of the three administrators')
// lies in or above the community at `community_path`: they belong there (may
// read its rules and leaderboard, object to its awards).
bool in_community(const api::Principal& p, std::string_view community_path);
// May offer an item of organisation `org_id` at `place_path`: a contact of
// the provider where it is registered or below, otherwise points.manage over
// the place (403 otherwise). 422 points.bad_item (org_id) for no such
// organisation.
void require_may_offer(storage::Tx& tx, const api::Principal& p, std::int64_t org_id,
                       std::string_view place_path);

}  // namespace xh::points::access
