// Reading work orders: lists, the detail, nearby open reports, hot spots and
// re-inspections, consultations, the scorecard and the public (Open311) view.
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "api/scope.h"
#include "core/error.h"
#include "core/json_output.h"
#include "places/places.h"
#include "workorders/access.h"
#include "workorders/geo.h"
#include "workorders/store.h"
#include "workorders/views.h"
#include "workorders/workorders.h"

namespace xh::workorders {

namespace json = boost::json;
using storage::Tx;

namespace {

std::string category_label(const storage::Row& r, Lang lang) {
  return lang == Lang::en ? r.str("category_en") : r.str("category_zh");
}

}  // namespace

api::Listed WorkOrders::list(const api::Principal& p, const OrderQuery& q, Lang lang) const {
  if (q.status && !find_status(*q.status)) throw bad_request("request.bad_query", "status");
  if (q.body && !has_key(bodies(), *q.body)) throw bad_request("request.bad_query", "body");
  return db_.read([&](Tx& tx) {
    if (q.category && !store::find_category(tx, *q.category))
      throw bad_request("request.bad_query", "category");
    std::optional<std::string> under;
    if (q.place_id) {
      auto place = places::find(tx, *q.place_id);
      if (!place) throw bad_request("request.bad_query", "place_id");
      under = place->path;
    }
    Millis now = now_ms();
    auto [ids, total] = store::order_page(tx, p, q, under, now);
    std::map<std::int64_t, json::object> rows;
    for (const auto& r : store::summaries(tx, ids)) rows.emplace(r.i64("id"), views::summary(r, lang, now));
    api::Listed out{{}, total};
    for (auto id : ids) out.items.push_back(std::move(rows.at(id)));
    return out;
  });
}

json::object WorkOrders::get(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) { return views::order_detail(tx, cipher_, p, id, lang); });
}

json::array WorkOrders::nearby(const api::Principal& p, const std::string& category,
                               std::int64_t place_id, std::optional<double> lat,
                               std::optional<double> lng, Lang lang) const {
  constexpr double kRadius = 250;
  return db_.read([&](Tx& tx) {
    auto place = places::find(tx, place_id);
    if (!place) throw unprocessable("workorder.bad_place", "place_id");
    if (!access::may_look_at(p, place->path)) throw forbidden("auth.scope_denied", "workorder.read");
    if ((lat && (!std::isfinite(*lat) || std::abs(*lat) > 90)) ||
        (lng && (!std::isfinite(*lng) || std::abs(*lng) > 180)))
      throw bad_request("request.bad_query", "lat");
    // The point: the one given, else the nearest one on the way up.
    std::optional<std::pair<std::int64_t, std::int64_t>> point;
    if (lat && lng)
      point = std::make_pair(std::llround(*lat * 1e6), std::llround(*lng * 1e6));
    else
      point = store::point_above(tx, place->path);
    std::int64_t dlat = 0, dlng = 0;
    if (point) {
      dlat = static_cast<std::int64_t>(kRadius / 111320.0 * 1e6) + 1;
      dlng = static_cast<std::int64_t>(
                 kRadius / (111320.0 * std::cos(point->first / 1e6 * M_PI / 180.0)) * 1e6) +
             1;
    }
    // Only orders at places the caller may look at; a point given anywhere
    // brings in nothing from outside them.
    std::vector<std::pair<double, storage::Row>> found;
    for (auto& r :
         store::open_near(tx, category, place_id, point ? std::optional(point->first) : std::nullopt,
                          point ? std::optional(point->second) : std::nullopt, dlat, dlng)) {
      if (!access::may_look_at(p, r.str("path"))) continue;
      double d = 0;
      if (r.i64("place_id") != place_id) {
        if (!point || r.is_null("lat_e6")) continue;
        d = distance_m(point->first, point->second, r.i64("lat_e6"), r.i64("lng_e6"));
        if (d > kRadius) continue;
      }
      found.emplace_back(d, std::move(r));
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    json::array items;
    Millis now = now_ms();
    for (std::size_t i = 0; i < found.size() && i < 20; ++i) {
      const auto& [d, r] = found[i];
      // In full to who may read the order; reduced to what a neighbour may see
      // (what, where, how far along) to everyone else.
      auto order = store::find_order(tx, r.i64("id"));
      json::object o = access::can_read(tx, p, *order) ? views::summary(r, lang, now)
                                                        : views::public_summary(r, lang);
      o["distance_m"] = std::llround(d);
      items.push_back(std::move(o));
    }
    return items;
  });
}

json::array WorkOrders::hotspots(const api::Principal& p, Lang lang) const {
  return db_.read([&](Tx& tx) {
    Settings st = store::settings(tx);
    json::array items;
    for (const auto& r :
         store::hotspots(tx, p, now_ms() - st.hotspot_window_days * kDay, st.hotspot_threshold))
      items.push_back({{"place_id", r.i64("place_id")},
                       {"place_name", r.str("place_name")},
                       {"category", r.str("category")},
                       {"category_label", category_label(r, lang)},
                       {"recurrences", r.i64("recurrences")},
                       {"last_at", iso8601(r.i64("last_at"))},
                       {"orders", r.i64("orders")},
                       {"inspections_open", r.i64("inspections_open")}});
    return items;
  });
}

api::Listed WorkOrders::list_inspections(const api::Principal& p,
                                         const std::optional<std::string>& status, api::Page page,
                                         Lang lang) const {
  if (status && *status != "open" && *status != "done")
    throw bad_request("request.bad_query", "status");
  return db_.read([&](Tx& tx) {
    auto found = store::inspections(tx, p, status, page);
    api::Listed out{{}, found.total};
    for (const auto& r : found.rows)
      out.items.push_back({{"id", r.i64("id")},
                           {"place_id", r.i64("place_id")},
                           {"place_name", r.str("place_name")},
                           {"category", r.str("category")},
                           {"category_label", category_label(r, lang)},
                           {"due_at", iso8601(r.i64("due_at"))},
                           {"done_at", nullable_time(r.opt_i64("done_at"))},
                           {"note", nullable(r.opt_str("note"))},
                           {"problem_found", nullable(r.opt_flag("problem_found"))},
                           {"done_by", nullable(r.opt_str("done_by"))}});
    return out;
  });
}

api::Listed WorkOrders::list_consultations(const api::Principal& p, api::Page page) const {
  return db_.read([&](Tx& tx) {
    auto [ids, total] = store::consultation_page(tx, p, page);
    api::Listed out{{}, total};
    for (auto id : ids) out.items.push_back(views::consultation(tx, p, id));
    return out;
  });
}

json::object WorkOrders::get_consultation(const api::Principal& p, std::int64_t id) const {
  return db_.read([&](Tx& tx) { return views::consultation(tx, p, id); });
}

// ---- the scorecard -----------------------------------------------------------

namespace {

// Nearest-rank percentile of minutes; null for no data.
json::value percentile(std::vector<Millis> v, double q) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  std::size_t rank = static_cast<std::size_t>(std::ceil(q * v.size()));
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return std::llround(v[rank - 1] / 60000.0);
}

struct Tally {
  std::int64_t orders = 0, resolved = 0, due = 0, on_time = 0, ratings = 0, rating_sum = 0,
               recurrences = 0;
  std::vector<Millis> response, resolution;

  void add(const storage::Row& r, Millis now) {
    ++orders;
    Millis created = r.i64("created_at"), deadline = r.i64("deadline_at");
    if (auto a = r.opt_i64("accepted_at")) response.push_back(*a - created);
    auto resolved_at = r.opt_i64("resolved_at");
    if (resolved_at) {
      ++resolved;
      resolution.push_back(*resolved_at - created);
    }
    if (resolved_at || now > deadline) {
      ++due;
      if (resolved_at && *resolved_at <= deadline) ++on_time;
    }
    if (auto rating = r.opt_i64("rating")) {
      ++ratings;
      rating_sum += *rating;
    }
    if (!r.is_null("recurrence_of")) ++recurrences;
  }

  json::object json() const {
    auto rate = [](std::int64_t a, std::int64_t b) {
      return b == 0 ? json::value(nullptr) : json::value(static_cast<double>(a) / b);
    };
    return {{"orders", orders},
            {"resolved", resolved},
            {"response_p50_min", percentile(response, 0.5)},
            {"response_p90_min", percentile(response, 0.9)},
            {"resolution_p50_min", percentile(resolution, 0.5)},
            {"resolution_p90_min", percentile(resolution, 0.9)},
            {"on_time_rate", rate(on_time, due)},
            {"satisfaction", ratings == 0 ? json::value(nullptr)
                                          : json::value(static_cast<double>(rating_sum) / ratings)},
            {"ratings", ratings},
            {"recurrence_rate", rate(recurrences, orders)}};
  }
};

}  // namespace

json::object WorkOrders::scorecard(const api::Principal& p, const std::string& from,
                                   const std::string& to) const {
  auto a = parse_beijing_date(from), b = parse_beijing_date(to);
  if (!a) throw unprocessable("workorder.bad_period", "from");
  if (!b || *b < *a || *b - *a > 366 * kDay) throw unprocessable("workorder.bad_period", "to");
  return db_.read([&](Tx& tx) {
    struct Company {
      std::string name;
      Tally all;
      std::map<std::int64_t, std::pair<std::string, Tally>> compounds;
    };
    std::map<std::int64_t, Company> companies;
    Millis now = now_ms();
    for (const auto& r : store::scorecard_rows(tx, p, *a, *b + kDay)) {
      auto& c = companies[r.i64("body_org_id")];
      c.name = r.str("org_name");
      c.all.add(r, now);
      auto& cp = c.compounds[r.i64("compound_id")];
      cp.first = r.str("compound_name");
      cp.second.add(r, now);
    }
    json::array out;
    for (const auto& [org_id, c] : companies) {
      json::object o = c.all.json();
      o["org_id"] = org_id;
      o["name"] = c.name;
      json::array compounds;
      for (const auto& [place_id, cp] : c.compounds) {
        json::object x = cp.second.json();
        x["place_id"] = place_id;
        x["name"] = cp.first;
        compounds.push_back(std::move(x));
      }
      o["compounds"] = std::move(compounds);
      out.push_back(std::move(o));
    }
    return json::object{{"from", from}, {"to", to}, {"companies", std::move(out)}};
  });
}

// ---- the public view (Open311) ------------------------------------------------

std::vector<PublicOrder> WorkOrders::public_orders(const PublicQuery& q) const {
  store::PublicFilter f{q.ids, q.service_codes, std::nullopt, q.start, q.end, q.limit};
  bool open = std::find(q.statuses.begin(), q.statuses.end(), "open") != q.statuses.end();
  bool closed = std::find(q.statuses.begin(), q.statuses.end(), "closed") != q.statuses.end();
  if (open != closed) f.open = open;
  return db_.read_once([&](Tx& tx) {
    std::vector<PublicOrder> out;
    for (const auto& r : store::public_orders(tx, f)) {
      PublicOrder o;
      o.id = r.i64("id");
      o.status = r.str("status");
      o.category = r.str("category");
      o.category_zh = r.str("category_zh");
      o.body = r.str("body");
      o.text = r.opt_str("text");
      o.address_text = r.opt_str("address_text");
      o.media_url = r.opt_str("media_url");
      o.place_name = r.str("place_name");
      o.address = r.opt_str("address");
      o.place_code = r.opt_str("place_code");
      o.body_name = r.opt_str("body_name");
      o.reject_reason = r.opt_str("reject_reason");
      if (auto lat = r.opt_i64("lat_e6")) o.lat = *lat / 1e6;
      if (auto lng = r.opt_i64("lng_e6")) o.lng = *lng / 1e6;
      o.created_at = r.i64("created_at");
      o.updated_at = r.i64("updated_at");
      o.deadline_at = r.i64("deadline_at");
      out.push_back(std::move(o));
    }
    return out;
  });
}

std::optional<std::int64_t> WorkOrders::order_of_token(const std::string& token) const {
  return db_.read_once([&](Tx& tx) { return store::order_of_token(tx, token); });
}

}  // namespace xh::workorders
