// HTTP ↔ work-order commands: /api/work-orders, /api/uploads/photos,
// /api/photos, /api/inspections, /api/consultations and the module's
// configuration.
#include <boost/json.hpp>

#include <cmath>

#include "api/export.h"
#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "core/json_input.h"
#include "workorders/photos.h"
#include "workorders/workorders.h"

namespace xh::workorders {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ExportColumn;
using api::label_list;
using api::list_response;
using api::ok;
using http::Access;
using http::Body;
namespace wo = workorders;

namespace {

std::optional<double> query_degrees(Call& c, std::string_view name) {
  auto v = c.query(name);
  if (!v) return std::nullopt;
  auto d = parse_finite(*v);
  if (!d) throw bad_request("request.bad_query", std::string(name));
  return d;
}

std::vector<std::string> photo_ids(const JsonInput& in) {
  return in.opt_str_array("photos", 9, 64).value_or(std::vector<std::string>{});
}

wo::StepInput step_input(Call& c) {
  if (c.req.body.empty()) return {};
  JsonInput in(c.req.body, {"note", "reason", "photos"});
  return {in.opt_str("note", 1000), in.opt_str("reason", 1000), photo_ids(in)};
}

}  // namespace

void add_workorder_routes(api::Router& r, api::Context& s) {
  auto ws = std::make_shared<wo::Services>(wo::Services{s.db, s.cipher, s.data_dir + "/photos", s.events});

  r.add("GET", "/api/work-order-categories", Access::authenticated, [ws](Call& c) {
    return ok(json::object{{"items", wo::categories_json(*ws, c.lang)}});
  });
  r.add("POST", "/api/work-order-categories", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"key", "zh", "en", "body", "deadline_hours", "urgent", "active"});
    return created(wo::save_category(*ws, c.who(), c.actor(), std::nullopt,
                                     {in.opt_str("key", 30), in.opt_str("zh", 30), in.opt_str("en", 60),
                                      in.opt_str("body", 20), in.opt_i64("deadline_hours"),
                                      in.opt_bool("urgent"), in.opt_bool("active")},
                                     c.lang));
  });
  r.add("PATCH", "/api/work-order-categories/{key}", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"zh", "en", "body", "deadline_hours", "urgent", "active"});
    return ok(wo::save_category(*ws, c.who(), c.actor(), c.params.get("key"),
                                {std::nullopt, in.opt_str("zh", 30), in.opt_str("en", 60),
                                 in.opt_str("body", 20), in.opt_i64("deadline_hours"),
                                 in.opt_bool("urgent"), in.opt_bool("active")},
                                c.lang));
  });
  r.add("GET", "/api/work-order-rules", Access::authenticated, [ws](Call& c) {
    return ok(json::object{{"items", wo::rules_json(*ws, c.who())}});
  });
  r.add("POST", "/api/work-order-rules", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"category", "place_id", "body", "deadline_hours", "urgent"});
    return created(wo::add_rule(*ws, c.who(), c.actor(),
                                {in.str("category", 30), in.i64("place_id"), in.str("body", 20),
                                 in.opt_i64("deadline_hours"), in.opt_bool("urgent")}));
  });
  r.add("DELETE", "/api/work-order-rules/{id}", Access::authenticated, [ws](Call& c) {
    wo::delete_rule(*ws, c.who(), c.actor(), c.id_param("id"));
    return http::Response::json(200, json::object{{"deleted", true}});
  });
  r.add("GET", "/api/work-order-settings", Access::authenticated, [ws](Call& c) {
    api::require(c.who(), "workorder.read");
    return ok(wo::settings_json(*ws));
  });
  r.add("PATCH", "/api/work-order-settings", Access::authenticated, [ws](Call& c) {
    json::value doc;
    try {
      doc = json::parse(c.req.body);
    } catch (const std::exception&) {
      throw bad_request("request.bad_json");
    }
    if (!doc.is_object()) throw bad_request("request.bad_json");
    std::vector<std::pair<std::string, std::int64_t>> values;
    for (const auto& [k, v] : doc.as_object()) {
      if (!v.is_int64()) throw unprocessable("request.invalid_field", std::string(k));
      values.emplace_back(std::string(k), v.as_int64());
    }
    return ok(wo::update_settings(*ws, c.who(), c.actor(), values));
  });
  r.add("GET", "/api/work-order-statuses", Access::authenticated, [](Call& c) {
    return ok(json::object{{"items", label_list(wo::statuses(), c.lang)}});
  });
  r.add("GET", "/api/work-order-bodies", Access::authenticated, [](Call& c) {
    return ok(json::object{{"items", label_list(wo::bodies(), c.lang)}});
  });

  r.add("POST", "/api/uploads/photos", Access::authenticated, [ws](Call& c) {
    auto p = wo::store_photo(*ws, c.who(), c.actor(), c.req.body);
    return created(json::object{{"id", p.id}, {"mime", p.mime}, {"size", p.size},
                                {"url", "/api/photos/" + p.id}});
  }, {.body = Body::file});
  r.add("GET", "/api/photos/{id}", Access::authenticated, [ws](Call& c) {
    auto f = wo::read_photo(*ws, c.who(), c.params.get("id"));
    return http::Response::text(200, std::move(f.bytes), f.mime);
  });

  r.add("GET", "/api/work-orders/nearby", Access::authenticated, [ws](Call& c) {
    auto category = c.query("category");
    auto place = c.query_id("place_id");
    if (!category) throw bad_request("request.bad_query", "category");
    if (!place) throw bad_request("request.bad_query", "place_id");
    return ok(json::object{{"items", wo::nearby(*ws, c.who(), *category, *place,
                                                query_degrees(c, "lat"), query_degrees(c, "lng"),
                                                c.lang)}});
  });

  r.add("GET", "/api/work-orders/hotspots", Access::authenticated, [ws](Call& c) {
    return ok(json::object{{"items", wo::hotspots(*ws, c.who(), c.lang)}});
  });

  r.add("GET", "/api/work-orders/scorecard", Access::authenticated, [ws](Call& c) {
    auto from = c.query("from"), to = c.query("to");
    if (!from) throw bad_request("request.bad_query", "from");
    if (!to) throw bad_request("request.bad_query", "to");
    return ok(wo::scorecard(*ws, c.who(), *from, *to));
  });

  r.add("GET", "/api/work-orders", Access::authenticated, [ws](Call& c) {
    wo::OrderQuery q;
    q.status = c.query("status");
    q.category = c.query("category");
    q.body = c.query("body");
    q.q = c.query("q");
    q.sort = c.query("sort");
    q.place_id = c.query_id("place_id");
    q.overdue = c.query_bool("overdue");
    q.mine = c.query_bool("mine");
    q.limit = c.page().limit;
    q.offset = c.page().offset;
    auto [items, total] = wo::list_orders(*ws, c.who(), q, c.lang);
    static const std::vector<ExportColumn> cols = {
        {"id", "工单号", "Order"},          {"created_at", "提交时间", "Filed"},
        {"category_label", "类别", "Category"}, {"place_name", "地点", "Place"},
        {"text", "诉求内容", "Report"},      {"status_label", "状态", "Status"},
        {"body_name", "责任主体", "Responsible"}, {"deadline_at", "办理时限", "Deadline"},
        {"overdue", "超时", "Overdue"},      {"resolved_at", "办结时间", "Resolved"}};
    return list_response(c, std::move(items), total, cols, "work-orders");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/work-orders", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"category", "place_id", "text", "lat", "lng", "photos", "anonymous",
                              "urgent", "on_behalf"});
    wo::Report rep;
    rep.category = in.str("category", 30);
    rep.place_id = in.i64("place_id");
    rep.text = in.str("text", 2000);
    rep.lat = in.opt_f64("lat");
    rep.lng = in.opt_f64("lng");
    rep.photos = photo_ids(in);
    rep.anonymous = in.opt_bool("anonymous").value_or(false);
    rep.urgent = in.opt_bool("urgent").value_or(false);
    if (auto ob = in.opt_object("on_behalf")) {
      JsonInput b(*ob, {"name", "phone", "channel"});
      rep.on_behalf = wo::OnBehalf{b.str("name", 50), b.opt_str("phone", 20), b.str("channel", 20)};
    }
    return created(wo::file_report(*ws, c.who(), c.actor(), rep, c.lang));
  });

  r.add("GET", "/api/work-orders/{id}", Access::authenticated, [ws](Call& c) {
    return ok(wo::get_order(*ws, c.who(), c.id_param("id"), c.lang));
  });
  r.add("POST", "/api/work-orders/{id}/actions/{action}", Access::authenticated, [ws](Call& c) {
    return ok(wo::take_step(*ws, c.who(), c.actor(), c.id_param("id"), c.params.get("action"),
                            step_input(c), c.lang));
  });
  r.add("POST", "/api/work-orders/{id}/follow", Access::authenticated, [ws](Call& c) {
    return ok(wo::follow(*ws, c.who(), c.actor(), c.id_param("id"), true));
  });
  r.add("DELETE", "/api/work-orders/{id}/follow", Access::authenticated, [ws](Call& c) {
    return ok(wo::follow(*ws, c.who(), c.actor(), c.id_param("id"), false));
  });
  r.add("POST", "/api/work-orders/{id}/rating", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"score", "comment"});
    auto score = in.i64("score");
    if (score < 1 || score > 5) throw unprocessable("workorder.bad_score", "score");
    return ok(wo::rate(*ws, c.who(), c.actor(), c.id_param("id"), static_cast<int>(score),
                       in.opt_str("comment", 500), c.lang));
  });
  r.add("POST", "/api/work-orders/{id}/followup", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"stayed_fixed", "comment"});
    return ok(wo::answer_followup(*ws, c.who(), c.actor(), c.id_param("id"),
                                  in.boolean("stayed_fixed"), in.opt_str("comment", 500), c.lang));
  });
  r.add("POST", "/api/work-orders/{id}/consultation", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"title", "description", "resident_reps"});
    return created(wo::open_consultation(
        *ws, c.who(), c.actor(), c.id_param("id"),
        {in.str("title", 100), in.opt_str("description", 2000),
         in.opt_str_array("resident_reps", 10, 50).value_or(std::vector<std::string>{})}));
  });

  r.add("GET", "/api/consultations", Access::authenticated, [ws](Call& c) {
    auto [items, total] = wo::list_consultations(*ws, c.who(), c.page().limit,
                                                 c.page().offset);
    return ok(json::object{{"items", std::move(items)}, {"total", total}});
  });
  r.add("GET", "/api/consultations/{id}", Access::authenticated, [ws](Call& c) {
    return ok(wo::get_consultation(*ws, c.who(), c.id_param("id")));
  });

  r.add("GET", "/api/inspections", Access::authenticated, [ws](Call& c) {
    auto [items, total] = wo::list_inspections(*ws, c.who(), c.query("status"),
                                               c.page().limit,
                                               c.page().offset, c.lang);
    static const std::vector<ExportColumn> cols = {
        {"id", "编号", "ID"}, {"place_name", "地点", "Place"},
        {"category_label", "类别", "Category"}, {"due_at", "复查日期", "Due"},
        {"done_at", "完成时间", "Done"}, {"note", "复查情况", "Note"}};
    return list_response(c, std::move(items), total, cols, "inspections");
  }, {.exports = api::Export::yes});
  r.add("POST", "/api/inspections/{id}/complete", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"note", "problem_found"});
    return ok(wo::complete_inspection(*ws, c.who(), c.actor(), c.id_param("id"),
                                      in.str("note", 1000), in.boolean("problem_found")));
  });

  r.add("GET", "/api/open311/keys", Access::authenticated, [ws](Call& c) {
    return ok(json::object{{"items", wo::list_open311_keys(*ws, c.who())}});
  });
  r.add("POST", "/api/open311/keys", Access::authenticated, [ws](Call& c) {
    JsonInput in(c.req.body, {"name"});
    return created(wo::create_open311_key(*ws, c.who(), c.actor(), in.str("name", 100)));
  });
  r.add("DELETE", "/api/open311/keys/{id}", Access::authenticated, [ws](Call& c) {
    wo::revoke_open311_key(*ws, c.who(), c.actor(), c.id_param("id"));
    return ok(json::object{{"revoked", true}});
  });
}

}  // namespace xh::workorders
