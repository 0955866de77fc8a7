#pragma once
// The volunteers module's SQL: volunteers, Party branches, teams and their
// members, activities, their occurrences and sign-ups, calendar feeds.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "storage/database.h"

namespace xh::volunteers::store {

using storage::Row;
using storage::Rows;
using storage::Tx;

// ---- volunteers ----
struct NewVolunteer {
  std::int64_t user_id = 0, community_id = 0;
  std::string path, skills, availability, serves;  // skills, serves: JSON arrays
  std::optional<std::int64_t> branch_id;
};
// Inserts, or re-applies a declined record; none when the user has a live one.
std::optional<std::int64_t> apply(Tx& tx, const NewVolunteer& v, Millis now);
// A volunteer with name, community and branch names; none when unknown.
std::optional<Row> volunteer(Tx& tx, std::int64_t id);
std::optional<Row> volunteer_of_user(Tx& tx, std::int64_t user_id);
// Moves an applied record to confirmed or declined; false when not applied.
bool review(Tx& tx, std::int64_t id, bool confirm, const std::optional<std::string>& reason,
            std::int64_t by, Millis now);
Rows teams_of(Tx& tx, std::int64_t volunteer_id);  // id, name, leader
// The community the user's household lies in (their first membership's).
std::optional<Row> home_community(Tx& tx, std::int64_t user_id);
// A live place: id, kind, name, path, grid_path.
std::optional<Row> place(Tx& tx, std::int64_t id);
std::vector<std::pair<std::int64_t, std::string>> place_names(Tx& tx,
                                                              const std::vector<std::int64_t>& ids);

// ---- Party branches ----
std::optional<Row> branch(Tx& tx, std::int64_t id);
bool org_contact(Tx& tx, std::int64_t org_id, std::int64_t user_id);
std::optional<Row> org(Tx& tx, std::int64_t id);  // id, name, kind, about

// ---- teams ----
std::optional<Row> team(Tx& tx, std::int64_t id);  // with name, about, place, leader
std::optional<std::int64_t> team_of_org(Tx& tx, std::int64_t org_id);
Rows members(Tx& tx, std::int64_t team_id);  // volunteer_id, name, created_at
bool is_member(Tx& tx, std::int64_t team_id, std::int64_t volunteer_id);
bool add_member(Tx& tx, std::int64_t team_id, std::int64_t volunteer_id, Millis now);
bool remove_member(Tx& tx, std::int64_t team_id, std::int64_t volunteer_id);
// The teams the user leads.
std::vector<std::int64_t> led_by(Tx& tx, std::int64_t user_id);

// ---- activities ----
std::optional<Row> activity(Tx& tx, std::int64_t id);  // with team and place names, leader's user
// The occurrence of `activity_id` at `starts_at`, made when missing.
std::int64_t occurrence_at(Tx& tx, std::int64_t activity_id, Millis starts_at, Millis ends_at,
                           int capacity);
std::optional<Row> occurrence(Tx& tx, std::int64_t id);  // with the activity's row
std::optional<Row> occurrence_of(Tx& tx, std::int64_t activity_id, Millis starts_at);

// ---- sign-ups ----
// Takes a place when one is left (atomically), else waits; none when the
// volunteer is there already.
struct SignedUp {
  std::int64_t id;
  bool placed;
};
std::optional<SignedUp> sign_up(Tx& tx, std::int64_t occurrence_id, std::int64_t volunteer_id,
                                const std::string& secret, Millis now);
std::optional<Row> signup(Tx& tx, std::int64_t id);  // with volunteer's user and name
std::optional<Row> signup_of(Tx& tx, std::int64_t occurrence_id, std::int64_t volunteer_id);
Rows signups(Tx& tx, std::int64_t occurrence_id);  // in order: signed, waiting, cancelled
// The waiting list's position of a waiting sign-up (1 = next).
std::int64_t position(Tx& tx, const Row& signup);
// Cancels a sign-up; true when it held a place (freed).
bool cancel_signup(Tx& tx, std::int64_t id, Millis now);
// Gives freed places to the first waiting, in order; their ids.
std::vector<std::int64_t> promote(Tx& tx, std::int64_t occurrence_id, Millis now);
// Check-in and check-out, once each: false when already done.
bool check_in(Tx& tx, std::int64_t signup_id, std::optional<std::int64_t> by, Millis at);
bool check_out(Tx& tx, std::int64_t signup_id, std::optional<std::int64_t> by, Millis at,
               bool by_leader);
bool confirm(Tx& tx, std::int64_t signup_id, int minutes, const std::optional<std::string>& reason,
             std::int64_t by, Millis now);
std::int64_t count_status(Tx& tx, std::int64_t occurrence_id, const char* status);

// ---- calendar feeds ----
std::int64_t add_feed(Tx& tx, const std::string& token_hash, const std::string& kind,
                      std::int64_t subject_id, std::int64_t user_id, Millis now);
std::optional<Row> feed_by_hash(Tx& tx, const std::string& token_hash);
Rows feeds_of(Tx& tx, std::int64_t user_id);
bool revoke_feed(Tx& tx, std::int64_t id, std::int64_t user_id, Millis now);

}  // namespace xh::volunteers::store
