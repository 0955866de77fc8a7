#pragma once
// Residents' demands and work orders (诉求与工单, WO-1 … WO-7): a resident,
// grid worker or steward reports a problem at a place; routing rules send it
// to the body responsible with a deadline; the order moves through the closed
// loop (submitted → accepted → dispatched → in progress → resolved → verified
// → closed, with rejection and reopening; rules.h), each step taken only by
// the roles responsible, timed, put on the order's timeline and audited.
// Overdue orders escalate, closed ones are followed up, repeated problems at
// one place become hot spots with re-inspections, and the scorecard
// (红管家·服务365) measures the property companies. Open311 GeoReport v2
// clients file and follow requests with a key.
//
// An order's data scope is its place (and the grid governing it):
// workorder.read over that place shows it; its reporter and followers always
// see it. Holders of a role that acts for a company (property staff) act only
// on orders routed to their company.
//
// Events emitted: workorder.verified (a report's result was confirmed; its
// reporter is the beneficiary).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/events.h"
#include "api/list.h"
#include "api/principal.h"
#include "core/crypto.h"
#include "core/messages.h"
#include "core/time.h"
#include "storage/database.h"
#include "workorders/rules.h"

namespace xh::workorders {

struct OnBehalf {  // 代报: staff file for a resident who phoned or walked in
  std::string name;
  std::optional<std::string> phone;
  std::string channel;  // phone | walk_in
};

struct Report {
  std::string category;
  std::int64_t place_id = 0;
  std::string text;
  std::optional<double> lat, lng;   // a map point, in degrees (WGS-84)
  std::vector<std::string> photos;  // ids of uploaded photos, at most 9
  bool anonymous = false;           // to the public only
  // The reporter agrees that the text is published (GeoReport's public list
  // shows it); without it the public sees category, place and status only.
  bool public_text = false;
  bool urgent = false;              // staff may mark an order urgent
  std::optional<OnBehalf> on_behalf;
};

struct OrderQuery {
  std::optional<std::string> status, category, body, q, sort;
  std::optional<std::int64_t> place_id;
  bool overdue = false;
  bool mine = false;  // reported or followed by the caller
  // What waits on the caller (待办): accept, dispatch, handle, verify, close
  // (see tasks.h); 400 request.bad_query for another.
  std::optional<std::string> todo;
  api::Page page;
};

struct StepInput {
  std::optional<std::string> note, reason;
  std::vector<std::string> photos;  // photos of the result, on steps that carry them
  std::optional<std::int64_t> assignee_id;  // dispatch: the person within the body
};

struct TopicInput {
  std::string title;
  std::optional<std::string> description;
  std::vector<std::string> resident_reps;
};

struct NewCategory {
  std::string key, zh, en, body;
  std::int64_t deadline_hours = 0;
  bool urgent = false, active = true;
};
struct CategoryPatch {
  std::optional<std::string> zh, en, body;
  std::optional<std::int64_t> deadline_hours;
  std::optional<bool> urgent, active;
};

struct RuleInput {
  std::string category;
  std::int64_t place_id = 0;
  std::string body;
  std::optional<std::int64_t> deadline_hours;
  std::optional<bool> urgent;
};

// A request filed by an Open311 client.
struct Open311Report {
  std::string service_code;
  std::optional<double> lat, lng;
  std::optional<std::string> address_string, address_id;
  std::string description;
  std::optional<std::string> first_name, last_name, phone, email;
  bool public_text = false;  // attribute[public_text]=true: the reporter agreed to publish it
  std::optional<std::string> media_url;  // the client's own photo (http or https)
};
struct Open311Filed {
  std::int64_t id;
  std::string token;
};

// Public, anonymised views of orders for GeoReport v2.
struct PublicOrder {
  std::int64_t id;
  std::string status, category, category_zh, body, place_name;
  std::optional<std::string> text;  // only when the reporter agreed to publish it
  std::optional<std::string> address_text, media_url;  // as an Open311 client wrote them
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

// A stored photo.
struct StoredPhoto {
  std::string id, mime;
  std::int64_t size;
};
struct PhotoFile {
  std::string mime, bytes;
};

// Removes the photo files a crash or a failed upload left half-written under
// `photo_dir` (`<id>.tmp…`, `<id>.thumb.jpg.tmp…`); returns how many. Called at start.
int remove_unfinished_photos(const std::string& photo_dir);

// The work-order module. Thread-safe: holds the database, the field cipher,
// the photo directory and the event bus; every method runs in one transaction
// of its own (photos are written to disk before theirs commits). Errors are
// xh::Error with the status and code given; 403 auth.permission_denied or
// auth.scope_denied (the permission as detail) when the caller may not.
class WorkOrders {
 public:
  WorkOrders(storage::Database& db, const FieldCipher& cipher, std::string photo_dir,
             const api::EventBus& events)
      : db_(db), cipher_(cipher), photo_dir_(std::move(photo_dir)), events_(events) {}

  // ---- filing (WO-1) ----

  // Files a report: workorder.file within one's community, or, with
  // `on_behalf`, workorder.on_behalf over the place. Routes it, sets its
  // deadline, links it to a recent closed order of the same category at the
  // same place (recurrence), schedules its escalation. 422
  // workorder.bad_category, workorder.bad_place, workorder.bad_point,
  // workorder.text_required, workorder.too_many_photos, workorder.bad_photo,
  // workorder.bad_channel, workorder.bad_phone, request.missing_field. Returns
  // the order's detail.
  boost::json::object file_report(const api::Principal& p, const api::Actor& actor,
                                  const Report& r, Lang lang) const;
  // Open reports of `category` at `place_id` or within 250 m of the point (or
  // the place's point), nearest first, at most 20: what the reporter may
  // follow instead. 422 workorder.bad_place, 400 request.bad_query.
  boost::json::array nearby(const api::Principal& p, const std::string& category,
                            std::int64_t place_id, std::optional<double> lat,
                            std::optional<double> lng, Lang lang) const;
  // Follows an open order one could have filed oneself; 409
  // workorder.own_report, workorder.not_open. Returns {following, followers}.
  boost::json::object follow(const api::Principal& p, const api::Actor& actor,
                             std::int64_t id) const;
  // Stops following. Returns {following, followers}.
  boost::json::object unfollow(const api::Principal& p, const api::Actor& actor,
                               std::int64_t id) const;
  // Cleans, decodes and stores an upload with its thumbnail (workorder.file).
  // 413 photo.too_large, 422 photo.bad_type, photo.corrupt or
  // photo.too_many_pixels. The same picture twice gives the same id; both
  // files are on disk (fsynced) before its row commits.
  StoredPhoto store_photo(const api::Principal& p, const api::Actor& actor,
                          std::string_view bytes) const;
  // A photo (or, with `thumbnail`, its JPEG thumbnail, made now for a photo
  // stored before thumbnails were), for its uploader and whoever may read an
  // order showing it; 404 photo.not_found.
  PhotoFile read_photo(const api::Principal& p, const std::string& id, bool thumbnail = false) const;

  // ---- reading ----

  // The orders in the caller's workorder.read scope (or, with `mine`, those
  // they reported or follow) that match; 400 request.bad_query, request.bad_sort.
  api::Listed list(const api::Principal& p, const OrderQuery& q, Lang lang) const;
  // With timeline, photos, the reporter (staff only), and `actions`: the steps
  // the caller may take now. 404 workorder.not_found.
  boost::json::object get(const api::Principal& p, std::int64_t id, Lang lang) const;

  // ---- the closed loop (WO-3) ----

  // Takes step `action` (rules.h): 404 workorder.unknown_action,
  // workorder.not_found; 403 when the caller may not; 409
  // workorder.bad_transition (the status as detail) from the current status;
  // 422 workorder.reason_required for a rejection without reason,
  // request.unknown_field for photos on a step that carries none. Returns
  // the detail.
  boost::json::object take_step(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                const std::string& action, const StepInput& in, Lang lang) const;
  // Who may be given the order to handle (workorder.dispatch or
  // workorder.handle over it): [{id, name, role}].
  boost::json::array handlers(const api::Principal& p, std::int64_t id) const;
  // Hands the order to a handler (workorder.dispatch over it, or
  // workorder.handle: a handler passes it to a colleague), while it is
  // accepted, reopened, dispatched or in progress: 409
  // workorder.not_assignable otherwise, 422 workorder.bad_assignee for someone
  // who may not handle it. Returns the detail.
  boost::json::object assign(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                             std::int64_t assignee_id, const std::optional<std::string>& note,
                             Lang lang) const;
  // The reporter rates the result once (1–5): 403 workorder.not_reporter, 409
  // workorder.not_resolved, workorder.already_rated, 422 workorder.bad_score.
  boost::json::object rate(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           int score, const std::optional<std::string>& comment, Lang lang) const;
  // The reporter answers the follow-up question; "not fixed" reopens the
  // order. 403 workorder.not_reporter, 409 workorder.no_followup.
  boost::json::object answer_followup(const api::Principal& p, const api::Actor& actor,
                                      std::int64_t id, bool stayed_fixed,
                                      const std::optional<std::string>& comment, Lang lang) const;

  // ---- consultation (WO-5) ----

  // workorder.consult over the order; 409 workorder.consultation_exists, 422
  // request.missing_field (title). Returns the topic.
  boost::json::object open_consultation(const api::Principal& p, const api::Actor& actor,
                                        std::int64_t order_id, const TopicInput& in) const;
  // Topics in the caller's workorder.read scope, newest first.
  api::Listed list_consultations(const api::Principal& p, api::Page page) const;
  // 404 consultation.not_found.
  boost::json::object get_consultation(const api::Principal& p, std::int64_t id) const;

  // ---- no rebound (WO-4) ----

  // Places where one category came back at least hotspot_threshold times
  // within the hot-spot window, in the caller's workorder.read scope.
  boost::json::array hotspots(const api::Principal& p, Lang lang) const;
  // Re-inspections in the caller's workorder.inspect scope; `status` open |
  // done (400 request.bad_query otherwise).
  api::Listed list_inspections(const api::Principal& p, const std::optional<std::string>& status,
                               api::Page page, Lang lang) const;
  // workorder.inspect over it; 404 workorder.inspection_not_found, 409
  // workorder.inspection_done.
  boost::json::object complete_inspection(const api::Principal& p, const api::Actor& actor,
                                          std::int64_t id, const std::string& note,
                                          bool problem_found) const;

  // ---- the scorecard (WO-7) ----

  // Per property company and compound, for orders filed in [from, to] (dates
  // "YYYY-MM-DD", Beijing time, at most a year: 422 workorder.bad_period):
  // median and 90th-percentile response and resolution times, on-time rate,
  // satisfaction and recurrence rate, in the caller's workorder.read scope.
  boost::json::object scorecard(const api::Principal& p, const std::string& from,
                                const std::string& to) const;

  // ---- configuration (workorder.configure at the top of the hierarchy) ----

  // Every category, in order (any caller: the reporting form needs them).
  boost::json::array categories(Lang lang) const;
  // 422 workorder.bad_category_key, workorder.bad_body, workorder.bad_deadline,
  // request.missing_field; 409 workorder.category_exists. Returns it.
  boost::json::object create_category(const api::Principal& p, const api::Actor& actor,
                                      const NewCategory& in, Lang lang) const;
  // 404 workorder.category_not_found; 422 as create. Returns it.
  boost::json::object update_category(const api::Principal& p, const api::Actor& actor,
                                      const std::string& key, const CategoryPatch& patch,
                                      Lang lang) const;
  boost::json::array rules(const api::Principal& p) const;
  // workorder.configure over the place; 422 workorder.bad_category,
  // workorder.bad_place, workorder.bad_body, workorder.bad_deadline; 409
  // workorder.rule_exists. Returns the rule.
  boost::json::object add_rule(const api::Principal& p, const api::Actor& actor,
                               const RuleInput& in) const;
  // 404 workorder.rule_not_found.
  void delete_rule(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;
  // Needs workorder.read. The settings by key.
  boost::json::object settings(const api::Principal& p) const;
  // 422 workorder.bad_setting (the key), request.unknown_field. Returns all.
  boost::json::object update_settings(
      const api::Principal& p, const api::Actor& actor,
      const std::vector<std::pair<std::string, std::int64_t>>& values) const;

  // ---- Open311 (WO-6) ----

  // A request filed with a valid client key (no login). 403 open311.bad_key;
  // 404 open311.unknown_service; 400 open311.bad_address_id,
  // open311.outside_area, open311.unknown_address, open311.location_required,
  // open311.description_required, open311.bad_phone. Returns the order's id
  // and its token.
  Open311Filed file_open311(const std::string& api_key, const std::string& ip,
                            const Open311Report& r) const;
  // Public views, newest first; the reporter is never shown.
  std::vector<PublicOrder> public_orders(const PublicQuery& q) const;
  std::optional<std::int64_t> order_of_token(const std::string& token) const;
  // Client keys: the key itself is shown once, on creation.
  boost::json::object create_open311_key(const api::Principal& p, const api::Actor& actor,
                                         const std::string& name) const;
  boost::json::array open311_keys(const api::Principal& p) const;
  // 404 open311.key_not_found.
  void revoke_open311_key(const api::Principal& p, const api::Actor& actor,
                          std::int64_t id) const;

  // ---- scheduled work (run inside the job's transaction) ----

  // An order still open at its deadline goes up one level: the body's
  // supervisor (the community), then the street office.
  void escalate_overdue(storage::Tx& tx, std::int64_t id, Millis now) const;
  // Some days after closing, the reporter is asked whether it stayed fixed.
  void ask_followup(storage::Tx& tx, std::int64_t id, Millis now) const;
  // The day before a re-inspection is due, the grid's workers (else the
  // community's) who do re-inspections are told, unless it is done.
  void remind_inspection(storage::Tx& tx, std::int64_t id, Millis now) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
  std::string photo_dir_;
  const api::EventBus& events_;
};

}  // namespace xh::workorders
