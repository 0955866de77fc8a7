// HTTP ↔ the place commands: /api/places.
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "core/json_input.h"
#include "places/places.h"

namespace xh::places {

namespace json = boost::json;
using api::Call;
using http::Access;

namespace {

PlaceFields fields_from(const JsonInput& in) {
  PlaceFields f;
  f.name = in.opt_str("name", 100);
  f.code = in.opt_str("code", 64);
  f.address = in.opt_str("address", 200);
  f.lat_e6 = in.opt_i64("lat_e6");
  f.lng_e6 = in.opt_i64("lng_e6");
  if (auto area = in.opt_str("exclusive_area", 20)) {
    f.area_centi_m2 = parse_area(*area);
    if (!f.area_centi_m2) throw unprocessable("place.bad_area", "exclusive_area");
  }
  f.grid_id = in.opt_i64("grid_id");
  f.property_org_id = in.opt_i64("property_org_id");
  return f;
}

#define XH_PLACE_FIELDS \
  "name", "code", "address", "lat_e6", "lng_e6", "exclusive_area", "grid_id", "property_org_id"

}  // namespace

const std::vector<api::ExportColumn>& place_columns() {
  static const std::vector<api::ExportColumn> cols = {
      {"id", "编号", "ID"},           {"kind", "类型", "Kind", &kind_labels()},
      {"name", "名称", "Name"},       {"code", "编码", "Code"},
      {"address", "地址", "Address"}, {"exclusive_area", "专有面积(㎡)", "Exclusive area (m²)"},
      {"parent_id", "上级编号", "Parent ID"}};
  return cols;
}

void add_routes(api::Router& r, std::shared_ptr<const Places> places) {
  r.add("GET", "/api/places", Access::authenticated, [places](Call& c) {
    PlaceQuery q;
    q.parent_id = c.query_id("parent_id");
    q.under_id = c.query_id("under_id");
    q.kind = c.query("kind");
    q.q = c.query("q");
    q.include_archived = c.query("archived").value_or("") == "true";
    q.sort = c.query("sort");
    return list_response(c, [&](const api::Page& page) {
      q.page = page;
      return places->list(c.who(), q);
    }, place_columns(), "places");
  }, {.exports = api::Export::yes});

  r.add("POST", "/api/places", Access::authenticated, [places](Call& c) {
    JsonInput in(c.req.body, {"parent_id", "kind", XH_PLACE_FIELDS});
    return api::created(
        places->create(c.who(), c.actor(), {in.opt_i64("parent_id"), in.str("kind", 20), fields_from(in)}));
  });

  r.add("GET", "/api/places/mine", Access::authenticated,
        [places](Call& c) { return api::ok(places->mine(c.who())); });

  r.add("GET", "/api/places/{id}", Access::authenticated, [places](Call& c) {
    return api::ok(places->get(c.who(), c.id_param("id")));
  });

  r.add("GET", "/api/places/{id}/tree", Access::authenticated, [places](Call& c) {
    return api::ok(places->tree(c.who(), c.id_param("id"), c.query_int("depth", 2, 1, 8)));
  });

  r.add("PATCH", "/api/places/{id}", Access::authenticated, [places](Call& c) {
    JsonInput in(c.req.body, {XH_PLACE_FIELDS});
    return api::ok(places->update(c.who(), c.actor(), c.id_param("id"), fields_from(in)));
  });

  r.add("POST", "/api/places/{id}/archive", Access::authenticated, [places](Call& c) {
    return api::ok(places->archive(c.who(), c.actor(), c.id_param("id")));
  });
}

}  // namespace xh::places
