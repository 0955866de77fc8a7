#pragma once
// What the emergencies module's files share: who sees an emergency, its rows,
// its timeline and the event every change emits.
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/events.h"
#include "api/principal.h"
#include "api/scope.h"
#include "core/messages.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::emergencies {

using storage::Row;
using storage::Rows;
using storage::Tx;

// Who is on the line of an emergency (at, above or within its place).
using api::on_line;

// A live place: id, kind, name, path, grid_path, lat_e6, lng_e6.
std::optional<Row> place(Tx& tx, std::int64_t id);
// The street a path lies in ("/1/4/9/" → 1).
std::int64_t street_of(std::string_view path);

// The emergency with its hazard's and place's names; none when unknown.
std::optional<Row> emergency_row(Tx& tx, std::int64_t id);
// Loads one the caller may see (emergency.read on its line); 404 otherwise.
Row load_emergency(Tx& tx, const api::Principal& p, std::int64_t id);

// Appends to the timeline.
void log(Tx& tx, std::int64_t emergency_id, Millis at, std::string_view kind,
         std::optional<int> level, std::optional<std::int64_t> user_id, boost::json::object data);

// An inbox notice for `user` about the emergency.
boost::json::object notice(std::int64_t user, std::string_view kind, std::string_view text,
                           boost::json::object params, std::int64_t emergency_id);
// Emits emergency.changed for the board (and the notices in `notify`).
void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& em,
             std::string_view what, boost::json::array notify = {});

// The emergency as every answer heads it: hazard, level, place, status, times.
boost::json::object header_of(const Row& em, Lang lang);
// Its timeline: the newest `limit` entries, newest first (0: all, oldest first).
boost::json::array timeline(Tx& tx, std::int64_t emergency_id, int limit = 0);

// "II级（橙色）", "Level II (orange)".
std::string level_name(int level, Lang lang);
std::string hazard_name(Tx& tx, const std::string& code, Lang lang);

// The task's round: the frequency of `kind` at the emergency's level in the
// street's table (its own rows, else the defaults); none when not patrolled.
std::optional<int> every_hours(Tx& tx, std::int64_t street_id, const std::string& hazard,
                               int level, const std::string& kind);

// Makes the patrol tasks of the emergency match its level (see
// emergencies.h); returns how many it created and cancelled, and tells the
// grid workers and teams of their new tasks.
struct Reconciled {
  std::int64_t created = 0, cancelled = 0;
};
Reconciled reconcile(Tx& tx, const api::EventBus& events, const Row& em, Millis now);
// Calls up the partners the emergency's level calls that are not called yet.
std::int64_t call_up(Tx& tx, const api::EventBus& events, const Row& em, Millis now);

// What happened during the emergency, up to `until`: the record kept when it
// ends (the summary's JSON).
boost::json::object compute_summary(Tx& tx, const Row& em, Lang lang, Millis until);

inline constexpr Millis kHourMs = 3600LL * 1000;
inline constexpr int kDefaultCallupMinutes = 30;

}  // namespace xh::emergencies
