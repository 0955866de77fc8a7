#pragma once
// The councils module's SQL: kinds and seats, councils and their members,
// rule sets, meetings with their agenda and attendance; rows read by column
// name, lists through api::ListQuery.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/list.h"
#include "api/principal.h"
#include "core/messages.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::councils::store {

using storage::Row;
using storage::Rows;
using storage::Tx;

// ---- vocabulary ----
Rows kinds(Tx& tx, Lang lang);  // key, label, place_kinds (JSON)
Rows seats(Tx& tx, Lang lang);  // key, label
// The kinds of place a kind of council sits at (JSON array); nullopt for no such kind.
std::optional<std::string> place_kinds(Tx& tx, const std::string& kind);
bool seat_exists(Tx& tx, const std::string& seat);

// ---- places and people it refers to ----
std::optional<Row> live_place(Tx& tx, std::int64_t id);  // path, kind
bool active_user(Tx& tx, std::int64_t id);
bool resident_under(Tx& tx, std::int64_t resident_id, const std::string& path);
bool org_exists(Tx& tx, std::int64_t id);

// ---- rule sets ----
Rows rule_sets(Tx& tx);  // id, name, path (none: the default), params; the default first
std::optional<Row> rule_set(Tx& tx, std::int64_t id);  // path, params
std::int64_t default_rule_set(Tx& tx);
std::int64_t insert_rule_set(Tx& tx, const std::string& name, const std::string& path, const std::string& params,
                             Millis now);

// ---- councils ----
struct NewCouncil {
  std::string kind;
  std::int64_t place_id = 0;
  std::string path, name;
  std::int64_t rule_set_id = 0;
  std::optional<std::string> term_start, term_end;
  std::optional<std::int64_t> consultation_id, created_by;
};
std::int64_t insert_council(Tx& tx, const NewCouncil& c, Millis now);
// The path of a live council; nullopt when there is none.
std::optional<std::string> council_path(Tx& tx, std::int64_t id);
// Its view's row: id, kind, kind_zh, kind_en, place_id, place_name, path, name, term_start, term_end,
// rule_set_id, rule_set_name, params, consultation_id, created_at, members.
std::optional<Row> council(Tx& tx, std::int64_t id);
void update_council(Tx& tx, std::int64_t id, const std::string& name, const std::optional<std::string>& term_start,
                    const std::optional<std::string>& term_end, std::int64_t rule_set_id);
bool adopted(Tx& tx, std::int64_t consultation_id);
// The councils the caller may read (council.read over the place, or a seat), by kind and place.
// With `near` (a place's path), only the councils at it, over it or under it.
api::ListQuery::Result councils_page(Tx& tx, const api::Principal& p, const std::optional<std::string>& near,
                                     api::Page page);

// ---- members ----
std::optional<Row> seat_of(Tx& tx, std::int64_t council_id, std::int64_t user_id);  // id, seat, name
// id, seat, seat_label, name, user_id, resident_id, org_id, org_name, joined_at; by seat.
Rows members(Tx& tx, std::int64_t council_id, Lang lang);
bool sitting(Tx& tx, std::int64_t member_id, std::int64_t council_id);
std::int64_t insert_member(Tx& tx, std::int64_t council_id, const std::string& seat, const std::string& name,
                           std::optional<std::int64_t> user_id, std::optional<std::int64_t> resident_id,
                           std::optional<std::int64_t> org_id, Millis now);
// Seats the organisation `org_id` under its own name; nothing when it does not exist.
void seat_org(Tx& tx, std::int64_t council_id, const std::string& seat, std::int64_t org_id, Millis now);
// False when no such sitting member.
bool end_membership(Tx& tx, std::int64_t council_id, std::int64_t member_id, Millis now);
// The accounts of the sitting members, once each.
std::vector<std::int64_t> member_users(Tx& tx, std::int64_t council_id);

// ---- meetings ----
std::int64_t insert_meeting(Tx& tx, std::int64_t council_id, const std::string& path, const std::string& title,
                            Millis starts_at, const std::optional<std::string>& location, const std::string& params,
                            std::optional<std::int64_t> created_by, Millis now);
std::int64_t insert_agenda_item(Tx& tx, std::int64_t meeting_id, int ordinal, const std::string& kind,
                                const std::string& title, std::optional<std::int64_t> presenter_id, int minutes);
int last_ordinal(Tx& tx, std::int64_t meeting_id);  // 0 for an empty agenda
// Every sitting member is expected at the meeting; a member seated later, at
// the council's meetings to come or in session; one who left, no longer at
// those to come.
void invite_members(Tx& tx, std::int64_t meeting_id, std::int64_t council_id);
void invite_to_coming(Tx& tx, std::int64_t council_id, std::int64_t member_id);
void uninvite_from_coming(Tx& tx, std::int64_t council_id, std::int64_t member_id);
// council_id, path, status, params.
std::optional<Row> meeting_facts(Tx& tx, std::int64_t id);
// Its view's row: id, council_id, council_name, place_name, title, starts_at, location, status, params.
std::optional<Row> meeting(Tx& tx, std::int64_t id);
Rows council_meetings(Tx& tx, std::int64_t council_id, int limit);  // the latest first
Rows agenda(Tx& tx, std::int64_t meeting_id);  // id, ordinal, kind, title, presenter_id, presenter, minutes
// member_id, name, seat, seat_label, reply, reason, proxy_id, checked_in_at; by seat.
Rows attendance(Tx& tx, std::int64_t meeting_id, Lang lang);
// members, expected, present, by_proxy (absent members whose proxy checked in).
Row attendance_counts(Tx& tx, std::int64_t meeting_id);
std::optional<Row> reply_of(Tx& tx, std::int64_t meeting_id, std::int64_t member_id);  // reply, reason, proxy_id
bool invited(Tx& tx, std::int64_t meeting_id, std::int64_t member_id);
void set_reply(Tx& tx, std::int64_t meeting_id, std::int64_t member_id, const std::string& reply,
               const std::optional<std::string>& reason, std::optional<std::int64_t> proxy_id);
// The meetings the caller may read, of one council or all; `when`:
// "upcoming" (to come, soonest first) or "past" (the latest first) or none.
// `mine`: only those of the councils the caller sits on.
api::ListQuery::Result meetings_page(Tx& tx, const api::Principal& p, std::optional<std::int64_t> council_id,
                                     const std::optional<std::string>& when, bool mine, api::Page page, Millis now);

}  // namespace xh::councils::store

namespace xh::councils::store {

// ---- the meeting in session ----
// status, params, path, council_id, checkin_secret, opened_at, closed_at, current_item_id.
std::optional<Row> session_facts(Tx& tx, std::int64_t meeting_id);
void open_meeting(Tx& tx, std::int64_t meeting_id, const std::string& secret, std::optional<std::int64_t> first_item,
                  Millis now);
void close_meeting(Tx& tx, std::int64_t meeting_id, Millis now);
std::optional<std::int64_t> first_item(Tx& tx, std::int64_t meeting_id);
std::optional<Row> item(Tx& tx, std::int64_t meeting_id, std::int64_t item_id);  // id, ordinal, kind, title, minutes
void set_current_item(Tx& tx, std::int64_t meeting_id, std::int64_t item_id);
// False when already checked in.
bool check_in(Tx& tx, std::int64_t meeting_id, std::int64_t member_id, std::optional<std::int64_t> by, Millis now);
bool checked_in(Tx& tx, std::int64_t meeting_id, std::int64_t member_id);
// The waiting requests of an item (id, member_id, side, name), in arrival order.
Rows waiting(Tx& tx, std::int64_t item_id);
std::optional<Row> waiting_of(Tx& tx, std::int64_t item_id, std::int64_t member_id);  // id, side
std::int64_t insert_request(Tx& tx, std::int64_t meeting_id, std::int64_t item_id, std::int64_t member_id,
                            const std::string& side, Millis now);
// Waiting requests of the meeting (or of one member) set to `status`; how many.
std::int64_t settle_requests(Tx& tx, std::int64_t meeting_id, std::optional<std::int64_t> member_id,
                             const std::string& status);
bool grant_request(Tx& tx, std::int64_t request_id);  // waiting → granted; false when it was not waiting
// member → speeches given on the item.
Rows speeches_on(Tx& tx, std::int64_t item_id);  // member_id, side, started_at (in order)
// The speech under way: id, member_id, name, side, started_at, limit_ms, extensions.
std::optional<Row> open_speech(Tx& tx, std::int64_t meeting_id);
// Throws storage::UniqueViolation when a speech is under way already.
std::int64_t insert_speech(Tx& tx, std::int64_t meeting_id, std::int64_t item_id, std::int64_t member_id,
                           const std::string& side, std::optional<std::int64_t> request_id, Millis now,
                           std::int64_t limit_ms, const std::optional<std::string>& override_reason,
                           std::optional<std::int64_t> granted_by);
bool end_speech(Tx& tx, std::int64_t speech_id, Millis now);  // false when it had ended
bool extend_speech(Tx& tx, std::int64_t speech_id, std::int64_t by_ms, int max_extensions);
// The members checked in, with their accounts (member_id, user_id: null for none).
Rows present(Tx& tx, std::int64_t meeting_id);

}  // namespace xh::councils::store

namespace xh::councils::store {

// ---- votes ----
struct NewVote {
  std::int64_t meeting_id = 0, item_id = 0;
  std::string method;  // hands | phones
  bool secret = false;
  std::string pass;
  std::int64_t present = 0, members = 0;
  std::optional<std::int64_t> opened_by;
};
// Throws storage::UniqueViolation when a vote is open in the meeting already.
std::int64_t insert_vote(Tx& tx, const NewVote& v, Millis now);
// A show of hands: counted and decided at once.
void decide_vote(Tx& tx, std::int64_t vote_id, std::int64_t for_, std::int64_t against, std::int64_t abstain,
                 bool passed, Millis now);
// id, meeting_id, item_id, item_title, method, secret, status, pass, present, members, votes_for, votes_against,
// votes_abstain, cast_count, passed, opened_at, closed_at.
std::optional<Row> vote(Tx& tx, std::int64_t meeting_id, std::int64_t vote_id);
std::optional<Row> open_vote(Tx& tx, std::int64_t meeting_id);
std::optional<Row> last_closed_vote(Tx& tx, std::int64_t meeting_id);
Rows votes(Tx& tx, std::int64_t meeting_id);  // newest first
Rows item_votes(Tx& tx, std::int64_t item_id);  // in order
// member_id, name, choice (NULL in a secret vote), weight; by seat.
Rows ballots(Tx& tx, std::int64_t vote_id);
bool has_voted(Tx& tx, std::int64_t vote_id, std::int64_t member_id);
// 1 and the absent members of the meeting who named `member_id` their proxy.
std::int64_t ballot_weight(Tx& tx, std::int64_t meeting_id, std::int64_t member_id);
// The ballot and its weight added to the open vote's counts (the choice kept
// on the ballot only when `keep_choice`). Not cast: the member had voted, or
// the vote is not open — then the caller must fail the transaction (the
// ballot may have been written).
enum class Cast { cast, duplicate, closed };
Cast cast_ballot(Tx& tx, std::int64_t vote_id, std::int64_t member_id, const std::string& choice, std::int64_t weight,
                 bool keep_choice);
// open → closed (no ballot counts after it); false when it was not open. Read
// the counts after it, then set_passed.
bool close_vote(Tx& tx, std::int64_t vote_id, Millis now);
void set_passed(Tx& tx, std::int64_t vote_id, bool passed);

// ---- violations and points of order ----
std::int64_t insert_record(Tx& tx, std::int64_t meeting_id, std::optional<std::int64_t> item_id,
                           const std::string& kind, std::optional<std::int64_t> member_id,
                           const std::optional<std::string>& rule, const std::optional<std::string>& note,
                           const std::optional<std::string>& ruling, std::optional<std::int64_t> by, Millis now);
// id, item_id, kind, member_id, name, rule, note, ruling, at; newest first.
Rows records(Tx& tx, std::int64_t meeting_id);

// ---- the minutes ----
// The speeches of the meeting: item_id, name, side, started_at, ended_at, limit_ms, extensions, override_reason.
Rows speeches(Tx& tx, std::int64_t meeting_id);
// meeting_id, version, status, summary, decisions, content, edited_at, signed_at, signed_by_name; nullopt: none
// yet. The latest when no version is named.
std::optional<Row> minutes(Tx& tx, std::int64_t meeting_id, std::optional<std::int64_t> version);
Rows minutes_versions(Tx& tx, std::int64_t meeting_id);  // version, status, signed_at
void insert_minutes(Tx& tx, std::int64_t meeting_id, std::int64_t version, const std::string& summary,
                    const std::string& decisions, std::optional<std::int64_t> by, Millis now);
void update_minutes(Tx& tx, std::int64_t meeting_id, std::int64_t version, const std::string& summary,
                    const std::string& decisions, std::optional<std::int64_t> by, Millis now);
// draft → signed with its record; false when it was not a draft.
bool sign_minutes(Tx& tx, std::int64_t meeting_id, std::int64_t version, const std::string& content,
                  std::optional<std::int64_t> by, Millis now);

}  // namespace xh::councils::store
