// The module's configuration: the communities' earning rules and settings,
// and the exchange's catalogue. Changed by points.manage over the place (a
// provider's contacts offer their own items), and audited.
#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "places/places.h"
#include "points/access.h"
#include "points/points.h"
#include "points/store.h"
#include "points/views.h"

namespace xh::points {

namespace json = boost::json;
using storage::Tx;

namespace {

// The place a configuration is for: a community, or (where `street_too`) the
// street; 422 points.bad_community otherwise.
places::Place community(Tx& tx, std::int64_t id, bool street_too) {
  auto place = places::find(tx, id);
  if (!place || (place->kind != "community" && !(street_too && place->kind == "street")))
    throw unprocessable("points.bad_community", "community_id");
  return *place;
}

// The place a reading asks about; 400 request.bad_query for no such place.
places::Place asked_place(Tx& tx, std::int64_t id) {
  auto place = places::find(tx, id);
  if (!place) throw bad_request("request.bad_query", "community_id");
  return *place;
}

void check_item(const ItemFields& in) {
  auto number = [](const std::optional<std::int64_t>& v, std::int64_t min) {
    return !v || (*v >= min && *v <= kMaxItemNumber);
  };
  if (in.kind && !has_key(item_kinds(), *in.kind)) throw unprocessable("points.bad_item", "kind");
  if (!number(in.price, 1)) throw unprocessable("points.bad_item", "price");
  if (!number(in.stock, 0)) throw unprocessable("points.bad_item", "stock");
  for (const auto* limit : {&in.per_day, &in.per_month, &in.per_person})
    if (!number(*limit, 1)) throw unprocessable("points.bad_item", "per_person");
  if (in.title && in.title->find_first_not_of(" \t") == std::string::npos)
    throw unprocessable("request.missing_field", "title");
}

}  // namespace

// ---- earning rules and settings ------------------------------------------------

json::object Points::set_rule(const api::Principal& p, const api::Actor& actor, const RuleInput& in,
                              Lang lang) const {
  if (!find_event_kind(in.event_kind)) throw unprocessable("points.bad_event_kind", "event_kind");
  if (in.points < 1 || in.points > kMaxRulePoints)
    throw unprocessable("points.bad_points", "points");
  if ((in.daily_cap && *in.daily_cap < 1) || (in.monthly_cap && *in.monthly_cap < 1))
    throw unprocessable("points.bad_cap", "daily_cap");
  if (in.notice_days < 0 || in.notice_days > kMaxNoticeDays)
    throw unprocessable("points.bad_notice", "notice_days");
  return db_.write([&](Tx& tx) {
    // A street's rules pay the teams and organisations registered at the street.
    auto place = community(tx, in.community_id, true);
    api::require_in_scope(p, "points.manage", place.path);
    store::set_rule(tx, in, place.path, now_ms());
    json::object after{{"community_id", in.community_id},
                       {"event_kind", in.event_kind},
                       {"points", in.points},
                       {"needs_approval", in.needs_approval},
                       {"notice_days", in.notice_days},
                       {"active", in.active}};
    audit::append(
        tx, actor,
        {"points.rule_save", "point_rule", in.event_kind + "@" + std::to_string(in.community_id),
         std::nullopt, json::serialize(after)});
    for (const auto& r : store::rules_in(tx, in.community_id))
      if (r.event_kind == in.event_kind) return views::rule(r, lang);
    return after;
  });
}

json::array Points::rules(const api::Principal& p, std::optional<std::int64_t> community_id,
                          Lang lang) const {
  return db_.read([&](Tx& tx) {
    std::vector<std::int64_t> communities;
    if (community_id) {
      auto place = asked_place(tx, *community_id);
      if (!access::in_community(p, place.path)) api::require_in_scope(p, "points.read", place.path);
      communities.push_back(*community_id);
    } else {
      communities = store::rule_communities(tx, p);
    }
    json::array out;
    for (auto c : communities)
      for (const auto& r : store::rules_in(tx, c)) out.push_back(views::rule(r, lang));
    return out;
  });
}

json::object Points::settings(const api::Principal& p, std::int64_t community_id) const {
  return db_.read([&](Tx& tx) {
    auto place = asked_place(tx, community_id);
    // Like the rules: whether points lapse is part of what anyone of the community earns under.
    if (!access::in_community(p, place.path)) api::require_in_scope(p, "points.read", place.path);
    return json::object{{"community_id", community_id},
                        {"expiry_enabled", store::settings(tx, community_id).expiry_enabled}};
  });
}

json::object Points::set_settings(const api::Principal& p, const api::Actor& actor,
                                  std::int64_t community_id, bool expiry_enabled) const {
  return db_.write([&](Tx& tx) {
    auto place = community(tx, community_id, false);
    api::require_in_scope(p, "points.manage", place.path);
    store::set_settings(tx, community_id, {expiry_enabled});
    audit::append(tx, actor,
                  {"points.settings", "point_settings", std::to_string(community_id), std::nullopt,
                   json::serialize(json::object{{"expiry_enabled", expiry_enabled}})});
    return json::object{{"community_id", community_id}, {"expiry_enabled", expiry_enabled}};
  });
}

// ---- the catalogue ------------------------------------------------------------------

json::object Points::create_item(const api::Principal& p, const api::Actor& actor,
                                 const ItemFields& in) const {
  check_item(in);
  return db_.write([&](Tx& tx) {
    for (auto [present, name] : {std::pair{in.org_id.has_value(), "org_id"},
                                 {in.community_id.has_value(), "community_id"},
                                 {in.title.has_value(), "title"},
                                 {in.kind.has_value(), "kind"},
                                 {in.price.has_value(), "price"},
                                 {in.stock.has_value(), "stock"}})
      if (!present) throw unprocessable("request.missing_field", name);
    // An item serves a community or the whole street.
    auto place = community(tx, *in.community_id, true);
    // A provider offers where it is registered and below; staff in their scope.
    access::require_may_offer(tx, p, *in.org_id, place.path);
    auto id = store::insert_item(tx, in, place.path, now_ms());
    auto out = views::item(store::find_item(tx, id).value());
    audit::append(tx, actor,
                  {"points.item_create", "point_item", std::to_string(id), std::nullopt,
                   json::serialize(out)});
    return out;
  });
}

json::object Points::update_item(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                 const ItemFields& in) const {
  check_item(in);
  return db_.write([&](Tx& tx) {
    auto before = store::find_item(tx, id);
    if (!before) throw not_found("points.item_not_found");
    if (!store::is_contact(tx, p.user_id, before->org_id))
      api::require_in_scope(p, "points.manage", before->path);
    store::update_item(tx, id, in, now_ms());
    auto out = views::item(store::find_item(tx, id).value());
    audit::append(tx, actor,
                  {"points.item_update", "point_item", std::to_string(id), std::nullopt,
                   json::serialize(out)});
    return out;
  });
}

}  // namespace xh::points
