#pragma once
// The topics module's SQL: topics, their supports and their updates.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/list.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::topics::store {

using storage::Row;
using storage::Rows;
using storage::Tx;

struct NewTopic {
  std::int64_t place_id = 0;
  std::string path;
  std::optional<std::string> grid_path;
  std::string title, body, photos;  // photos: a JSON array of ids
  std::int64_t raised_by = 0;
  std::optional<std::int64_t> org_id;
};
std::int64_t insert_topic(Tx& tx, const NewTopic& t, Millis now);

// A topic's row with its place's, council's, meeting's, vote's and
// organisations' names; none when there is no such topic.
std::optional<Row> topic(Tx& tx, std::int64_t id);
// A place's id, kind, name, path and grid path (an archived place: none).
std::optional<Row> place(Tx& tx, std::int64_t id);
// The organisations the user is a contact of (a partner's administrator).
bool org_contact(Tx& tx, std::int64_t org_id, std::int64_t user_id);
bool org_exists(Tx& tx, std::int64_t org_id);
std::optional<std::string> display_name(Tx& tx, std::int64_t user_id);

// ---- supports ----
// True when the support was added (false: it was there).
bool add_support(Tx& tx, std::int64_t topic_id, std::int64_t user_id, Millis now);
bool remove_support(Tx& tx, std::int64_t topic_id, std::int64_t user_id);
bool supports(Tx& tx, std::int64_t topic_id, std::int64_t user_id);
// The supporters of `from` (and its raiser) support `into` too, unless they
// raised it; `into`'s count is read again.
void move_supports(Tx& tx, std::int64_t from, std::int64_t into, std::int64_t from_raiser,
                   Millis now);
// Who hears of the topic: its raiser and supporters.
std::vector<std::int64_t> followers(Tx& tx, std::int64_t topic_id);

// ---- review, decision, progress ----
// Each moves the topic only from the status it expects (checked again here,
// so that of two reviews at once one wins); false when it had moved.
bool accept(Tx& tx, std::int64_t id, std::int64_t council_id,
            std::optional<std::int64_t> meeting_id, std::optional<std::int64_t> agenda_item_id,
            std::int64_t by, Millis now);
bool merge(Tx& tx, std::int64_t id, std::int64_t into, const std::optional<std::string>& reason,
           std::int64_t by, Millis now);
bool decline(Tx& tx, std::int64_t id, const std::string& reason, std::int64_t by, Millis now);
struct Decision {
  bool adopted = false;
  std::string text;
  std::optional<std::int64_t> meeting_id, owner_vote_id, carrier_org_id;
  std::optional<std::string> carrier;
};
bool decide(Tx& tx, std::int64_t id, const Decision& d, Millis now);
// Only forward, while decided.
bool set_progress(Tx& tx, std::int64_t id, int progress, bool done, Millis now);
void add_update(Tx& tx, std::int64_t topic_id, const std::string& kind,
                const std::optional<std::string>& text, std::optional<int> progress,
                const std::string& photos, std::optional<std::int64_t> user_id, Millis now);
Rows updates(Tx& tx,
             std::int64_t topic_id);  // id, kind, text, progress, photos, by_name, created_at
Rows merged_into_it(Tx& tx, std::int64_t topic_id);  // id, title

// A council's path and name; a meeting's council, status and title.
std::optional<Row> council(Tx& tx, std::int64_t id);
std::optional<Row> meeting(Tx& tx, std::int64_t id);

}  // namespace xh::topics::store
