// HTTP ↔ the work-order commands: /api/work-orders, /api/uploads/photos,
// /api/photos, /api/inspections, /api/consultations and the module's
// configuration.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "core/json_input.h"
#include "workorders/photos.h"
#include "workorders/tasks.h"
#include "workorders/workorders.h"

namespace xh::workorders {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ok;
using http::Access;
using Module = std::shared_ptr<const WorkOrders>;

namespace {

std::vector<std::string> photo_ids(const JsonInput& in) {
  return in.opt_str_array("photos", kMaxPhotosPerReport, 64).value_or(std::vector<std::string>{});
}

StepInput step_input(Call& c) {
  if (c.req.body.empty()) return {};
  JsonInput in(c.req.body, {"note", "reason", "photos", "assignee_id"});
  return {in.opt_str("note", 1000), in.opt_str("reason", 1000), photo_ids(in), in.opt_i64("assignee_id")};
}

std::string required_query(Call& c, std::string_view name) {
  auto v = c.query(name);
  if (!v) throw bad_request("request.bad_query", std::string(name));
  return *v;
}

void add_configuration_routes(api::Router& r, Module wo) {
  r.add("GET", "/api/work-order-categories", Access::authenticated, [wo](Call& c) {
    return ok(json::object{{"items", wo->categories(c.lang)}});
  });
  r.add("POST", "/api/work-order-categories", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"key", "zh", "en", "body", "deadline_hours", "urgent", "active"});
    return created(wo->create_category(
        c.who(), c.actor(),
        {in.str("key", 30), in.str("zh", 30), in.str("en", 60), in.str("body", 20),
         in.i64("deadline_hours"), in.opt_bool("urgent").value_or(false),
         in.opt_bool("active").value_or(true)},
        c.lang));
  });
  r.add("PATCH", "/api/work-order-categories/{key}", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"zh", "en", "body", "deadline_hours", "urgent", "active"});
    return ok(wo->update_category(c.who(), c.actor(), c.params.get("key"),
                                  {in.opt_str("zh", 30), in.opt_str("en", 60),
                                   in.opt_str("body", 20), in.opt_i64("deadline_hours"),
                                   in.opt_bool("urgent"), in.opt_bool("active")},
                                  c.lang));
  });
  r.add("GET", "/api/work-order-rules", Access::authenticated,
        [wo](Call& c) { return ok(json::object{{"items", wo->rules(c.who())}}); });
  r.add("POST", "/api/work-order-rules", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"category", "place_id", "body", "deadline_hours", "urgent"});
    return created(wo->add_rule(c.who(), c.actor(),
                                {in.str("category", 30), in.i64("place_id"), in.str("body", 20),
                                 in.opt_i64("deadline_hours"), in.opt_bool("urgent")}));
  });
  r.add("DELETE", "/api/work-order-rules/{id}", Access::authenticated, [wo](Call& c) {
    wo->delete_rule(c.who(), c.actor(), c.id_param("id"));
    return ok(json::object{{"deleted", true}});
  });
  r.add("GET", "/api/work-order-settings", Access::authenticated,
        [wo](Call& c) { return ok(wo->settings(c.who())); });
  r.add("PATCH", "/api/work-order-settings", Access::authenticated, [wo](Call& c) {
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
    return ok(wo->update_settings(c.who(), c.actor(), values));
  });
  r.add("GET", "/api/work-order-statuses", Access::authenticated, [](Call& c) {
    return ok(json::object{{"items", api::label_list(status_labels(), c.lang)}});
  });
  r.add("GET", "/api/work-order-bodies", Access::authenticated, [](Call& c) {
    return ok(json::object{{"items", api::label_list(bodies(), c.lang)}});
  });
  r.add("GET", "/api/open311/keys", Access::authenticated,
        [wo](Call& c) { return ok(json::object{{"items", wo->open311_keys(c.who())}}); });
  r.add("POST", "/api/open311/keys", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"name"});
    return created(wo->create_open311_key(c.who(), c.actor(), in.str("name", 100)));
  });
  r.add("DELETE", "/api/open311/keys/{id}", Access::authenticated, [wo](Call& c) {
    wo->revoke_open311_key(c.who(), c.actor(), c.id_param("id"));
    return ok(json::object{{"revoked", true}});
  });
}

}  // namespace

const std::vector<api::ExportColumn>& order_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"id", "工单号", "Order"},              {"created_at", "提交时间", "Filed"},
      {"category_label", "类别", "Category"}, {"place_name", "地点", "Place"},
      {"text", "诉求内容", "Report"},          {"status_label", "状态", "Status"},
      {"body_name", "责任主体", "Responsible"}, {"deadline_at", "办理时限", "Deadline"},
      {"overdue", "超时", "Overdue"},          {"resolved_at", "办结时间", "Resolved"}};
  return cols;
}

const std::vector<api::ExportColumn>& inspection_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"id", "编号", "ID"},          {"place_name", "地点", "Place"},
      {"category_label", "类别", "Category"}, {"due_at", "复查日期", "Due"},
      {"done_at", "完成时间", "Done"}, {"note", "复查情况", "Note"}};
  return cols;
}

void add_routes(api::Router& r, Module wo) {
  add_configuration_routes(r, wo);

  r.add("POST", "/api/uploads/photos", Access::authenticated, [wo](Call& c) {
    auto p = wo->store_photo(c.who(), c.actor(), c.req.body);
    return created(json::object{{"id", p.id}, {"mime", p.mime}, {"size", p.size},
                                {"url", "/api/photos/" + p.id},
                                {"thumb_url", "/api/photos/" + p.id + "?size=thumb"}});
  }, {.body = http::Body::file});
  r.add("GET", "/api/photos/{id}", Access::authenticated, [wo](Call& c) {
    auto size = c.query("size").value_or("full");
    if (size != "full" && size != "thumb") throw bad_request("request.bad_query", "size");
    auto f = wo->read_photo(c.who(), c.params.get("id"), size == "thumb");
    return http::Response::text(200, std::move(f.bytes), f.mime);
  });

  r.add("GET", "/api/work-orders/nearby", Access::authenticated, [wo](Call& c) {
    auto category = required_query(c, "category");
    auto place = c.query_id("place_id");
    if (!place) throw bad_request("request.bad_query", "place_id");
    return ok(json::object{{"items", wo->nearby(c.who(), category, *place, c.query_number("lat"),
                                                c.query_number("lng"), c.lang)}});
  });
  r.add("GET", "/api/work-orders/hotspots", Access::authenticated, [wo](Call& c) {
    return ok(json::object{{"items", wo->hotspots(c.who(), c.lang)}});
  });
  r.add("GET", "/api/work-orders/scorecard", Access::authenticated, [wo](Call& c) {
    auto from = required_query(c, "from");
    return ok(wo->scorecard(c.who(), from, required_query(c, "to")));
  });

  r.add("GET", "/api/work-orders", Access::authenticated, [wo](Call& c) {
    OrderQuery q;
    q.status = c.query("status");
    q.category = c.query("category");
    q.body = c.query("body");
    q.q = c.query("q");
    q.sort = c.query("sort");
    q.place_id = c.query_id("place_id");
    q.overdue = c.query_bool("overdue");
    q.mine = c.query_bool("mine");
    q.todo = c.query("todo");
    if (q.todo && !todo_known(*q.todo)) throw bad_request("request.bad_query", "todo");
    return list_response(c, [&](const api::Page& page) {
      q.page = page;
      return wo->list(c.who(), q, c.lang);
    }, order_columns(), "work-orders");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/work-orders", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"category", "place_id", "text", "lat", "lng", "photos", "anonymous",
                              "public_text", "urgent", "on_behalf"});
    Report rep;
    rep.category = in.str("category", 30);
    rep.place_id = in.i64("place_id");
    rep.text = in.str("text", 2000);
    rep.lat = in.opt_f64("lat");
    rep.lng = in.opt_f64("lng");
    rep.photos = photo_ids(in);
    rep.anonymous = in.opt_bool("anonymous").value_or(false);
    rep.public_text = in.opt_bool("public_text").value_or(false);
    rep.urgent = in.opt_bool("urgent").value_or(false);
    if (auto ob = in.opt_object("on_behalf")) {
      JsonInput b(*ob, {"name", "phone", "channel"});
      rep.on_behalf = OnBehalf{b.str("name", 50), b.opt_str("phone", 20), b.str("channel", 20)};
    }
    return created(wo->file_report(c.who(), c.actor(), rep, c.lang));
  });

  r.add("GET", "/api/work-orders/{id}", Access::authenticated,
        [wo](Call& c) { return ok(wo->get(c.who(), c.id_param("id"), c.lang)); });
  r.add("POST", "/api/work-orders/{id}/actions/{action}", Access::authenticated, [wo](Call& c) {
    return ok(wo->take_step(c.who(), c.actor(), c.id_param("id"), c.params.get("action"),
                            step_input(c), c.lang));
  });
  r.add("GET", "/api/work-orders/{id}/handlers", Access::authenticated, [wo](Call& c) {
    return ok(json::object{{"items", wo->handlers(c.who(), c.id_param("id"))}});
  });
  r.add("POST", "/api/work-orders/{id}/assign", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"assignee_id", "note"});
    return ok(wo->assign(c.who(), c.actor(), c.id_param("id"), in.i64("assignee_id"),
                         in.opt_str("note", 1000), c.lang));
  });
  r.add("POST", "/api/work-orders/{id}/follow", Access::authenticated,
        [wo](Call& c) { return ok(wo->follow(c.who(), c.actor(), c.id_param("id"))); });
  r.add("DELETE", "/api/work-orders/{id}/follow", Access::authenticated,
        [wo](Call& c) { return ok(wo->unfollow(c.who(), c.actor(), c.id_param("id"))); });
  r.add("POST", "/api/work-orders/{id}/rating", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"score", "comment"});
    auto score = in.i64("score");
    if (score < 1 || score > 5) throw unprocessable("workorder.bad_score", "score");
    return ok(wo->rate(c.who(), c.actor(), c.id_param("id"), static_cast<int>(score),
                       in.opt_str("comment", 500), c.lang));
  });
  r.add("POST", "/api/work-orders/{id}/followup", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"stayed_fixed", "comment"});
    return ok(wo->answer_followup(c.who(), c.actor(), c.id_param("id"), in.boolean("stayed_fixed"),
                                  in.opt_str("comment", 500), c.lang));
  });
  r.add("POST", "/api/work-orders/{id}/consultation", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"title", "description", "resident_reps"});
    return created(wo->open_consultation(
        c.who(), c.actor(), c.id_param("id"),
        {in.str("title", 100), in.opt_str("description", 2000),
         in.opt_str_array("resident_reps", 10, 50).value_or(std::vector<std::string>{})}));
  });

  r.add("GET", "/api/consultations", Access::authenticated, [wo](Call& c) {
    auto page = wo->list_consultations(c.who(), c.page());
    return api::list(std::move(page.items), page.total);
  });
  r.add("GET", "/api/consultations/{id}", Access::authenticated,
        [wo](Call& c) { return ok(wo->get_consultation(c.who(), c.id_param("id"))); });

  r.add("GET", "/api/inspections", Access::authenticated, [wo](Call& c) {
    auto status = c.query("status");
    return list_response(c, [&](const api::Page& page) {
      return wo->list_inspections(c.who(), status, page, c.lang);
    }, inspection_columns(), "inspections");
  }, {.exports = api::Export::yes});
  r.add("POST", "/api/inspections/{id}/complete", Access::authenticated, [wo](Call& c) {
    JsonInput in(c.req.body, {"note", "problem_found"});
    return ok(wo->complete_inspection(c.who(), c.actor(), c.id_param("id"), in.str("note", 1000),
                                      in.boolean("problem_found")));
  });
}

}  // namespace xh::workorders
