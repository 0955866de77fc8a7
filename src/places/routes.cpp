// HTTP ↔ place commands: /api/places.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "api/scope.h"
#include "core/error.h"
#include "core/json_input.h"
#include "places/places.h"

namespace xh::places {

namespace json = boost::json;
using api::Call;
using api::created;
using api::ExportColumn;
using api::label_list;
using api::list_response;
using api::ok;
using http::Access;

namespace {

places::PlaceFields fields_from(const JsonInput& in) {
  places::PlaceFields f;
  f.name = in.opt_str("name", 100);
  f.code = in.opt_str("code", 64);
  f.address = in.opt_str("address", 200);
  f.lat_e6 = in.opt_i64("lat_e6");
  f.lng_e6 = in.opt_i64("lng_e6");
  if (auto area = in.opt_str("exclusive_area", 20)) {
    f.area_centi_m2 = places::parse_area(*area);
    if (!f.area_centi_m2) throw unprocessable("place.bad_area", "exclusive_area");
  }
  f.grid_id = in.opt_i64("grid_id");
  f.property_org_id = in.opt_i64("property_org_id");
  return f;
}

#define XH_PLACE_FIELDS "name", "code", "address", "lat_e6", "lng_e6", "exclusive_area", \
                        "grid_id", "property_org_id"

const std::vector<ExportColumn>& place_columns() {
  static const std::vector<ExportColumn> cols = {
      {"id", "编号", "ID"},           {"kind", "类型", "Kind", &places::kind_labels()},
      {"name", "名称", "Name"},       {"code", "编码", "Code"},
      {"address", "地址", "Address"}, {"exclusive_area", "专有面积(㎡)", "Exclusive area (m²)"},
      {"parent_id", "上级编号", "Parent ID"}};
  return cols;
}

}  // namespace

void add_place_routes(api::Router& r, api::Context& s) {
  r.add("GET", "/api/places", Access::authenticated, [&s](Call& c) {
    places::ListQuery q;
    q.parent_id = c.query_id("parent_id");
    q.under_id = c.query_id("under_id");
    q.kind = c.query("kind");
    q.q = c.query("q");
    q.include_archived = c.query("archived").value_or("") == "true";
    q.sort = c.query("sort").value_or("id");
    q.limit = c.page().limit;
    q.offset = c.page().offset;
    auto res = places::list(s.db, c.who(), q);
    json::array items;
    for (const auto& p : res.items) items.push_back(places::to_json(p));
    return list_response(c, std::move(items), res.total, place_columns(), "places");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/places", Access::authenticated, [&s](Call& c) {
    JsonInput in(c.req.body, {"parent_id", "kind", XH_PLACE_FIELDS});
    auto p = places::create(s.db, c.who(), c.actor(),
                            {in.opt_i64("parent_id"), in.str("kind", 20), fields_from(in)});
    return created(places::to_json(p));
  });

  r.add("GET", "/api/places/{id}", Access::authenticated, [&s](Call& c) {
    return ok(places::to_json(places::get(s.db, c.who(), c.id_param("id"))));
  });

  r.add("GET", "/api/places/{id}/tree", Access::authenticated, [&s](Call& c) {
    return ok(places::tree(s.db, c.who(), c.id_param("id"), c.query_int("depth", 2, 1, 8)));
  });

  r.add("PATCH", "/api/places/{id}", Access::authenticated, [&s](Call& c) {
    JsonInput in(c.req.body, {XH_PLACE_FIELDS});
    auto p = places::update(s.db, c.who(), c.actor(), c.id_param("id"), fields_from(in));
    return ok(places::to_json(p));
  });

  r.add("POST", "/api/places/{id}/archive", Access::authenticated, [&s](Call& c) {
    return ok(places::to_json(places::archive(s.db, c.who(), c.actor(), c.id_param("id"))));
  });
}

}  // namespace xh::places
