#pragma once
// The owners' votes' SQL: the roll's marks, the votes, their frozen rolls
// and their ballots; rows read by column name.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/list.h"
#include "api/principal.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::votes::store {

using storage::Row;
using storage::Rows;
using storage::Tx;

// id, kind, path, name of a live place; nullopt for none.
std::optional<Row> place(Tx& tx, std::int64_t id);

// ---- the roll ----
// The households under `path` as the roll would take them now: id, name,
// unit (its parent unit's name, or NULL), path, grid_path, area_centi_m2
// (NULL: none registered), developer, buyer; by id.
Rows households(Tx& tx, const std::string& path);
// The buildings under `path` (id, name, path).
Rows buildings(Tx& tx, const std::string& path);
void set_mark(Tx& tx, std::int64_t household_id, bool developer, const std::optional<std::string>& buyer,
              std::optional<std::int64_t> by, Millis now);

// ---- votes ----
struct NewVote {
  std::int64_t place_id = 0;
  std::string path, title, matter;
  bool secret = false;
  Millis closes_at = 0;
  std::optional<std::int64_t> created_by;
};
std::int64_t insert_vote(Tx& tx, const NewVote& v, Millis now);
// id, place_id, place_name, path, title, matter, secret, status, closes_at, total_area, total_owners,
// participating_area, participating_owners, agreeing_area, agreeing_owners, passed, opened_at, closed_at, created_at.
std::optional<Row> vote(Tx& tx, std::int64_t id);

// One household of a roll, as it was frozen.
struct RollEntry {
  std::int64_t household_id = 0;
  std::string path;
  std::optional<std::string> grid_path;
  std::optional<std::int64_t> building_id;
  std::optional<std::string> building, unit;
  std::string household;
  std::int64_t area = 0;
  std::string owner_key;
};
// draft → open with its roll (in the order given: its ordinals), the turnout
// rows of its buildings and its totals; false when it was not a draft.
bool open_vote(Tx& tx, std::int64_t id, const std::vector<RollEntry>& roll, std::int64_t total_area,
               std::int64_t total_owners, Millis now);
// The owner keys on the roll of `vote_id` for these households.
Rows owners_of(Tx& tx, std::int64_t vote_id, const std::vector<std::int64_t>& household_ids);  // household_id, owner_key
std::int64_t owner_area(Tx& tx, std::int64_t vote_id, const std::string& owner_key);
// The ballot, if the owner had none, with the vote's sums, the owner's units
// (voted) and their buildings' turnout added to while it is open.
enum class Cast { cast, duplicate, closed };
Cast cast_ballot(Tx& tx, std::int64_t vote_id, const std::string& owner_key, const std::optional<std::string>& kept,
                 bool agree, std::int64_t area, const std::string& channel, std::optional<std::int64_t> by,
                 const std::string& receipt_hash, Millis now);
std::optional<Row> ballot_of(Tx& tx, std::int64_t vote_id, const std::string& owner_key);  // choice, channel, cast_at
// open → closed with the result; false when it was not open.
bool close_vote(Tx& tx, std::int64_t id, bool passed, Millis now);
// Per building, kept as ballots come: building_id (NULL: none), building, units, area, voted_units, voted_area.
Rows turnout(Tx& tx, std::int64_t vote_id);
// The units whose owner has not voted, in the caller's scope for
// owner_vote.doors (and of one building): household_id, household, unit, building, building_id.
api::ListQuery::Result pending(Tx& tx, const api::Principal& p, std::int64_t vote_id,
                               std::optional<std::int64_t> building_id, api::Page page);
// The owners' names of these households (household_id, name).
Rows owner_names(Tx& tx, const std::vector<std::int64_t>& household_ids);
std::vector<std::string> receipt_hashes(Tx& tx, std::int64_t vote_id);  // sorted
// The active accounts holding `role` over a household under `path`: whom to tell.
std::vector<std::int64_t> household_users(Tx& tx, const std::string& role, const std::string& path);

}  // namespace xh::votes::store

namespace xh::votes::store {

// ---- paper ballots and proxies ----
std::int64_t insert_entry(Tx& tx, std::int64_t vote_id, std::int64_t household_id, const std::string& owner_key,
                          const std::string& kind, const std::string& choice,
                          const std::optional<std::string>& proxy_name, const std::string& photos, std::int64_t by,
                          Millis now);
// id, vote_id, household_id, household, owner_key, kind, choice, proxy_name, photos, status, note, entered_by,
// entered_by_name, entered_at, confirmed_by, confirmed_by_name, confirmed_at.
std::optional<Row> entry(Tx& tx, std::int64_t vote_id, std::int64_t entry_id);
Rows entries(Tx& tx, std::int64_t vote_id);  // the latest first
// An entry of this owner still waiting (pending, disputed or confirmed).
std::optional<Row> open_entry_of(Tx& tx, std::int64_t vote_id, const std::string& owner_key);
void settle_entry(Tx& tx, std::int64_t entry_id, const std::string& status, const std::optional<std::string>& note,
                  std::optional<std::int64_t> confirmed_by, Millis now, bool clear_choice);
// A second reading differed: the entry is disputed and now holds that reading, by that reader.
void reread_entry(Tx& tx, std::int64_t entry_id, const std::string& choice, std::int64_t by);
void set_entry_receipt(Tx& tx, std::int64_t entry_id, const std::string& receipt_hash);
// The owner voted themselves: their proxies (and entries still waiting) are superseded.
void supersede_entries(Tx& tx, std::int64_t vote_id, const std::string& owner_key, const std::string& note);
// Entries still pending or disputed: refused (their choice gone), with `note`.
void refuse_waiting_entries(Tx& tx, std::int64_t vote_id, const std::string& note);
// The confirmed proxies of a vote, to count at its close.
Rows confirmed_proxies(Tx& tx, std::int64_t vote_id);  // id, owner_key, choice, confirmed_by, receipt_hash

}  // namespace xh::votes::store
