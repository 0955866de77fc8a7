#pragma once
// Residents' demands and work orders (诉求与工单, WO-1 … WO-7): a resident,
// grid worker or steward reports a problem at a place; routing rules send it
// to the body responsible with a deadline; the order moves through the closed
// loop (submitted → accepted → dispatched → in progress → resolved → verified
// → closed, with rejection and reopening), each step taken only by the roles
// responsible, timed, put on the order's timeline and audited. Overdue orders
// escalate, closed ones are followed up, repeated problems at one place become
// hot spots with re-inspections, and the scorecard (红管家·服务365) measures
// the property companies.
//
// One function per user action; each runs in one transaction, checks
// permission and scope, validates, writes, and audits. An order's data scope
// is its place (and the grid governing it): workorder.read over that place
// shows it; its reporter and followers always see it. Thread-safe.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "api/scope.h"
#include "core/crypto.h"
#include "core/messages.h"
#include "api/module.h"
#include "schedule/schedule.h"
#include "storage/database.h"
#include "workorders/rules.h"

namespace xh::workorders {

struct Services {
  storage::Database& db;
  const FieldCipher& cipher;
  std::string photo_dir;  // <data-dir>/photos
  const api::EventBus& events;
};

// ---- filing (WO-1) -------------------------------------------------------

struct OnBehalf {  // 代报: staff file for a resident who phoned or walked in
  std::string name;
  std::optional<std::string> phone;
  std::string channel;  // phone | walk_in
};

struct Report {
  std::string category;
  std::int64_t place_id = 0;
  std::string text;
  std::optional<double> lat, lng;  // a map point, in degrees (WGS-84)
  std::vector<std::string> photos;  // ids of uploaded photos, at most 9
  bool anonymous = false;           // to the public only
  bool urgent = false;              // staff may mark an order urgent
  std::optional<OnBehalf> on_behalf;
};

// Files a report (workorder.file within one's community; on_behalf needs
// workorder.on_behalf over the place). Routes it, sets its deadline, links it
// to a recent closed order of the same category at the same place
// (recurrence), schedules its escalation. Returns the order's detail.
boost::json::object file_report(Services& s, const api::Principal& p, const api::Actor& actor,
                                const Report& r, Lang lang);

// Open reports of `category` at `place_id` or within 250 m of the point (or
// of the place's point), nearest first: what the reporter may follow instead.
boost::json::array nearby(Services& s, const api::Principal& p, const std::string& category,
                          std::int64_t place_id, std::optional<double> lat,
                          std::optional<double> lng, Lang lang);

// Follows (or stops following) an open order one could have filed oneself.
boost::json::object follow(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t id, bool on);

// ---- reading -------------------------------------------------------------

struct OrderQuery {
  std::optional<std::string> status, category, body, q, sort;
  std::optional<std::int64_t> place_id;
  bool overdue = false;
  bool mine = false;  // reported or followed by the caller
  int limit = 50, offset = 0;
};
std::pair<boost::json::array, std::int64_t> list_orders(Services& s, const api::Principal& p,
                                                        const OrderQuery& q, Lang lang);

// With timeline, photos, the reporter (staff only), and `actions`: the steps
// the caller may take now.
boost::json::object get_order(Services& s, const api::Principal& p, std::int64_t id, Lang lang);

// ---- the closed loop (WO-3) ----------------------------------------------

struct StepInput {
  std::optional<std::string> note, reason;
  std::vector<std::string> photos;  // resolve: photos of the result
};
// Takes step `action` (see transitions()). 404 workorder.not_found, 403 when
// the caller may not, 409 workorder.bad_transition from the current status,
// 422 workorder.reason_required for a rejection without reason.
boost::json::object take_step(Services& s, const api::Principal& p, const api::Actor& actor,
                              std::int64_t id, const std::string& action, const StepInput& in,
                              Lang lang);

// The reporter rates the result once (1–5), after it was resolved.
boost::json::object rate(Services& s, const api::Principal& p, const api::Actor& actor,
                         std::int64_t id, int score, const std::optional<std::string>& comment,
                         Lang lang);

// The reporter answers the follow-up question; "not fixed" reopens the order.
boost::json::object answer_followup(Services& s, const api::Principal& p,
                                    const api::Actor& actor, std::int64_t id, bool stayed_fixed,
                                    const std::optional<std::string>& comment, Lang lang);

// ---- consultation (WO-5) -------------------------------------------------

struct TopicInput {
  std::string title;
  std::optional<std::string> description;
  std::vector<std::string> resident_reps;
};
boost::json::object open_consultation(Services& s, const api::Principal& p,
                                      const api::Actor& actor, std::int64_t order_id,
                                      const TopicInput& in);
std::pair<boost::json::array, std::int64_t> list_consultations(Services& s,
                                                               const api::Principal& p,
                                                               int limit, int offset);
boost::json::object get_consultation(Services& s, const api::Principal& p, std::int64_t id);

// ---- no rebound (WO-4) ---------------------------------------------------

// Places where one category came back at least hotspot_threshold times
// within the hot-spot window.
boost::json::array hotspots(Services& s, const api::Principal& p, Lang lang);
std::pair<boost::json::array, std::int64_t> list_inspections(Services& s, const api::Principal& p,
                                                             const std::optional<std::string>& status,
                                                             int limit, int offset, Lang lang);
boost::json::object complete_inspection(Services& s, const api::Principal& p,
                                        const api::Actor& actor, std::int64_t id,
                                        const std::string& note, bool problem_found);

// ---- the scorecard (WO-7) ------------------------------------------------

// Per property company and compound, for orders filed in [from, to] (dates,
// "YYYY-MM-DD", Beijing time): median and 90th-percentile response and
// resolution times, on-time rate, satisfaction and recurrence rate.
boost::json::object scorecard(Services& s, const api::Principal& p, const std::string& from,
                              const std::string& to);

// ---- configuration -------------------------------------------------------

boost::json::array categories_json(Services& s, Lang lang);
struct CategoryInput {
  std::optional<std::string> key, zh, en, body;
  std::optional<std::int64_t> deadline_hours;
  std::optional<bool> urgent, active;
};
boost::json::object save_category(Services& s, const api::Principal& p, const api::Actor& actor,
                                  const std::optional<std::string>& key, const CategoryInput& in,
                                  Lang lang);
boost::json::array rules_json(Services& s, const api::Principal& p);
struct RuleInput {
  std::string category;
  std::int64_t place_id;
  std::string body;
  std::optional<std::int64_t> deadline_hours;
  std::optional<bool> urgent;
};
boost::json::object add_rule(Services& s, const api::Principal& p, const api::Actor& actor,
                             const RuleInput& in);
void delete_rule(Services& s, const api::Principal& p, const api::Actor& actor, std::int64_t id);
boost::json::object settings_json(Services& s);
boost::json::object update_settings(Services& s, const api::Principal& p,
                                    const api::Actor& actor,
                                    const std::vector<std::pair<std::string, std::int64_t>>& values);

// ---- scheduled work ------------------------------------------------------

// Registers the module's jobs: escalation of overdue orders, follow-up
// questions after closing.
void register_jobs(api::Setup& setup, Services& s);

// ---- Open311 (WO-6) ------------------------------------------------------

// A request filed by an Open311 client with a valid key (no login). Returns
// the new order's id and token. Throws like file_report.
struct Open311Report {
  std::string service_code;
  std::optional<double> lat, lng;
  std::optional<std::string> address_string, address_id;
  std::string description;
  std::optional<std::string> first_name, last_name, phone, email;
};
struct Open311Filed {
  std::int64_t id;
  std::string token;
};
Open311Filed file_open311(Services& s, const std::string& api_key, const std::string& ip,
                          const Open311Report& r);

// Public, anonymised views of orders for GeoReport v2.
struct PublicOrder {
  std::int64_t id;
  std::string status, category, category_zh, body, text, place_name;
  std::optional<std::string> address, place_code, body_name, reject_reason;
  std::optional<double> lat, lng;
  Millis created_at, updated_at, deadline_at;
};
struct PublicQuery {
  std::vector<std::int64_t> ids;
  std::vector<std::string> service_codes, statuses;  // statuses: open | closed
  std::optional<Millis> start, end;
  int limit = 1000;
};
std::vector<PublicOrder> public_orders(Services& s, const PublicQuery& q);
std::optional<std::int64_t> order_of_token(Services& s, const std::string& token);

// Open311 client keys (workorder.configure).
boost::json::object create_open311_key(Services& s, const api::Principal& p,
                                       const api::Actor& actor, const std::string& name);
boost::json::array list_open311_keys(Services& s, const api::Principal& p);
void revoke_open311_key(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::int64_t id);

}  // namespace xh::workorders
