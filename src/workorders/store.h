#pragma once
// The work-order module's SQL: orders, their timeline, photos and followers,
// re-inspections, consultation topics, and the configuration (categories,
// routing rules, settings, Open311 keys). Rows are read by column name; lists
// are built with api::ListQuery. For the module's own source files.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/list.h"
#include "api/principal.h"
#include "core/time.h"
#include "storage/database.h"
#include "workorders/rules.h"
#include "workorders/workorders.h"

namespace xh::workorders::store {

// ---- orders --------------------------------------------------------------

// An order as the commands see it.
struct Order {
  std::int64_t id = 0;
  std::string category;
  std::int64_t place_id = 0;
  std::string path;
  std::optional<std::string> grid_path;
  std::optional<std::int64_t> compound_id;
  std::string status, body;
  std::optional<std::int64_t> body_org_id;
  int escalation_level = 0;
  int deadline_hours = 0;
  Millis deadline_at = 0;
  std::optional<std::int64_t> reporter_id;
  bool anonymous = false;
  Millis created_at = 0;
  std::optional<std::int64_t> rating, followup_asked_at, followup_answer;
  std::optional<Millis> closed_at;
  std::optional<std::int64_t> assignee_id;  // who handles it now, within its body
};
std::optional<Order> find_order(storage::Tx& tx, std::int64_t id);
// Hands the order to `assignee` (none: back to every handler of its body).
void set_assignee(storage::Tx& tx, std::int64_t id, std::optional<std::int64_t> assignee, Millis now);
// The enabled accounts whose roles may handle `o` (workorder.handle over its
// place or governing grid; a company's staff only when it is routed to their
// company): [{id, display_name, role}], by name.
storage::Rows handlers(storage::Tx& tx, const Order& o);

// What a new order is stored with.
struct OrderRow {
  std::string category;
  std::int64_t place_id = 0;
  std::string path;
  std::optional<std::string> grid_path;
  std::optional<std::int64_t> compound_id, lat_e6, lng_e6;
  std::string text;
  bool urgent = false;
  std::string body;
  std::optional<std::int64_t> body_org_id;
  int deadline_hours = 0;
  Millis deadline_at = 0;
  std::optional<std::int64_t> reporter_id;
  std::optional<std::string> reporter_name, reporter_phone_enc;
  bool anonymous = false;
  std::string channel;
  std::optional<std::int64_t> filed_by, recurrence_of;
  std::optional<std::string> open311_token;
  Millis created_at = 0;
  bool public_text = false;  // the reporter agreed to publish the text
  std::optional<std::string> address_text, media_url;  // Open311, as the client wrote them
};
std::int64_t insert_order(storage::Tx& tx, const OrderRow& o);

// The latest order of `category` at `place_id` closed since `since`.
std::optional<std::int64_t> latest_closed(storage::Tx& tx, std::int64_t place_id,
                                          const std::string& category, Millis since);
// Recurrences of `category` at `place_id` filed since `since`.
std::int64_t recurrences_since(storage::Tx& tx, std::int64_t place_id, const std::string& category,
                               Millis since);

// Moves the order from `from` to `t.to` with the step's effects (its time
// stamps, the reject reason, a forgotten follow-up, a new deadline); false
// when the order is no longer in `from` (someone moved it first).
bool move(storage::Tx& tx, std::int64_t id, const std::string& from, const Transition& t, Millis now,
          const std::optional<std::string>& reason, std::optional<Millis> new_deadline);
// Raises the escalation level from `from_level`; false when someone did first
// or the order is no longer open.
bool escalate(storage::Tx& tx, std::int64_t id, int from_level, int level, Millis now);
void mark_followup_asked(storage::Tx& tx, std::int64_t id, Millis now);
// False when a follow-up was answered already or the order is not closed.
bool answer_followup(storage::Tx& tx, std::int64_t id, bool stayed_fixed, Millis now);
// False when it was rated already.
bool rate(storage::Tx& tx, std::int64_t id, int score, const std::optional<std::string>& comment,
          Millis now);

// Text the server writes on the timeline: a message code and its parameters,
// rendered in the reader's language.
struct Note {
  std::string code;
  std::vector<std::pair<std::string, std::string>> params;
};
// Appends a timeline entry: `note` is what a person wrote, `server_note`
// what the server says of the step.
void add_event(storage::Tx& tx, std::int64_t order_id, const api::Actor& actor,
               std::string_view action, const std::optional<std::string>& from,
               const std::optional<std::string>& to, const std::optional<std::string>& note,
               Millis now, const std::optional<Note>& server_note = std::nullopt);

// ---- photos ----------------------------------------------------------------

bool photo_exists(storage::Tx& tx, const std::string& photo_id);
bool photo_uploaded_by(storage::Tx& tx, const std::string& photo_id, std::int64_t user_id);
void attach_photo(storage::Tx& tx, std::int64_t order_id, const std::string& photo_id,
                  std::string_view stage);
// Stores a photo's row and the uploader's upload; the number of rows written.
std::int64_t record_upload(storage::Tx& tx, const std::string& photo_id, const std::string& mime,
                           std::int64_t size, std::int64_t user_id, Millis now);
std::optional<std::string> photo_mime(storage::Tx& tx, const std::string& photo_id);
// The orders showing the photo.
std::vector<std::int64_t> orders_showing(storage::Tx& tx, const std::string& photo_id);

// ---- followers ---------------------------------------------------------------

bool is_follower(storage::Tx& tx, std::int64_t order_id, std::int64_t user_id);
// The users who follow the order.
std::vector<std::int64_t> followers(storage::Tx& tx, std::int64_t order_id);
// Adds or removes the follower and keeps the order's count; the new count.
std::int64_t follow(storage::Tx& tx, std::int64_t order_id, std::int64_t user_id, Millis now);
std::int64_t unfollow(storage::Tx& tx, std::int64_t order_id, std::int64_t user_id);

// ---- reading -----------------------------------------------------------------

// The columns of an order's summary (see summary_select()).
const std::string& summary_select();
// The summaries of `ids`, by id.
storage::Rows summaries(storage::Tx& tx, const std::vector<std::int64_t>& ids);
// What the detail shows besides the summary.
std::optional<storage::Row> detail_extras(storage::Tx& tx, std::int64_t id);
storage::Rows photos_of(storage::Tx& tx, std::int64_t order_id);
storage::Rows timeline(storage::Tx& tx, std::int64_t order_id);
std::vector<std::int64_t> recurrences_of(storage::Tx& tx, std::int64_t order_id);
std::optional<std::int64_t> consultation_of(storage::Tx& tx, std::int64_t order_id);

// The open orders of `category` at `place_id` or within the box around the
// point; newest first, at most 200.
storage::Rows open_near(storage::Tx& tx, const std::string& category, std::int64_t place_id,
                        std::optional<std::int64_t> lat_e6, std::optional<std::int64_t> lng_e6,
                        std::int64_t dlat_e6, std::int64_t dlng_e6);
// The nearest point on the way up from `path` (the place's own first).
std::optional<std::pair<std::int64_t, std::int64_t>> point_above(storage::Tx& tx,
                                                                 std::string_view path);

// Places and categories with at least `threshold` recurrences since `since`
// in the caller's scope.
storage::Rows hotspots(storage::Tx& tx, const api::Principal& p, Millis since, int threshold);

// The rows the scorecard tallies: property orders filed in [from, to).
storage::Rows scorecard_rows(storage::Tx& tx, const api::Principal& p, Millis from, Millis to);

// The public view (Open311): filters of GeoReport v2.
struct PublicFilter {
  std::vector<std::int64_t> ids;
  std::vector<std::string> categories;
  std::optional<bool> open;  // open only, closed only, or both
  std::optional<Millis> start, end;
  int limit = 1000;
};
storage::Rows public_orders(storage::Tx& tx, const PublicFilter& f);
std::optional<std::int64_t> order_of_token(storage::Tx& tx, const std::string& token);

// Open311's ways of naming a place.
std::optional<std::int64_t> place_by_code(storage::Tx& tx, const std::string& code);
struct Point {
  std::int64_t id, lat_e6, lng_e6;
};
// Live compounds within the box of ±dlat/±dlng micro-degrees.
std::vector<Point> compounds_near(storage::Tx& tx, std::int64_t lat_e6, std::int64_t lng_e6,
                                  std::int64_t dlat_e6, std::int64_t dlng_e6);
// The first live compound or building with this name or address; else the one
// whose name the text holds, the longest name ("泉星花园3号楼楼下" → the building).
std::optional<std::int64_t> place_by_address(storage::Tx& tx, const std::string& text);

// The page of order ids matching `q` (the caller's scope, or theirs with
// `mine`), and the total; `under_path` is the subtree of q.place_id.
std::pair<std::vector<std::int64_t>, std::int64_t> order_page(
    storage::Tx& tx, const api::Principal& p, const OrderQuery& q,
    const std::optional<std::string>& under_path, Millis now);

// ---- re-inspections ------------------------------------------------------------

bool has_pending_inspection(storage::Tx& tx, std::int64_t place_id, const std::string& category);
std::int64_t add_inspection(storage::Tx& tx, std::int64_t place_id, const std::string& path,
                    const std::optional<std::string>& grid_path, const std::string& category,
                    Millis due_at, Millis now);
std::optional<storage::Row> find_inspection(storage::Tx& tx, std::int64_t id);
// False when it was done already.
bool complete_inspection(storage::Tx& tx, std::int64_t id, std::int64_t user_id,
                         const std::string& note, bool problem_found, Millis now);
// Open ones first, by due date; in the caller's workorder.inspect scope.
api::ListQuery::Result inspections(storage::Tx& tx, const api::Principal& p,
                                   const std::optional<std::string>& status, api::Page page);

// ---- consultations -------------------------------------------------------------

std::int64_t insert_consultation(storage::Tx& tx, std::int64_t order_id, std::int64_t community_id,
                                 const std::string& path, const std::string& title,
                                 const std::optional<std::string>& description,
                                 std::optional<std::int64_t> org_id, const std::string& reps_json,
                                 std::int64_t created_by, Millis now);
std::optional<storage::Row> find_consultation(storage::Tx& tx, std::int64_t id);
// The ids of the page, newest first, in the caller's workorder.read scope.
std::pair<std::vector<std::int64_t>, std::int64_t> consultation_page(storage::Tx& tx,
                                                                     const api::Principal& p,
                                                                     api::Page page);

// ---- configuration -------------------------------------------------------------

struct Category {
  std::string key, zh, en, body;
  int deadline_hours = 72;
  bool urgent = false, active = true;
  int sort = 0;
};
std::vector<Category> categories(storage::Tx& tx);
std::optional<Category> find_category(storage::Tx& tx, std::string_view key);
void insert_category(storage::Tx& tx, const Category& c);
void update_category(storage::Tx& tx, const Category& c);
int next_category_sort(storage::Tx& tx);

// Where an order goes and by when: the rule of the most specific place at or
// above `place_path`, else the category's defaults.
struct Routing {
  std::string body;
  int deadline_hours;
  bool urgent;
};
Routing route(storage::Tx& tx, const Category& c, std::string_view place_path);
storage::Rows rules(storage::Tx& tx);
std::optional<storage::Row> find_rule(storage::Tx& tx, std::int64_t id);
bool rule_exists(storage::Tx& tx, const std::string& category, std::int64_t place_id);
std::int64_t insert_rule(storage::Tx& tx, const std::string& category, std::int64_t place_id,
                         const std::string& path, const std::string& body,
                         std::optional<std::int64_t> deadline_hours, std::optional<bool> urgent,
                         Millis now);
void delete_rule(storage::Tx& tx, std::int64_t id);

Settings settings(storage::Tx& tx);
void set_setting(storage::Tx& tx, std::string_view key, std::int64_t value);

std::int64_t insert_open311_key(storage::Tx& tx, const std::string& name,
                                const std::string& key_hash, std::int64_t created_by, Millis now);
storage::Rows open311_keys(storage::Tx& tx);
// The live key with this hash: its id and name.
std::optional<storage::Row> find_open311_key(storage::Tx& tx, const std::string& key_hash);
bool revoke_open311_key(storage::Tx& tx, std::int64_t id, Millis now);

}  // namespace xh::workorders::store
