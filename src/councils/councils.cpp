// The councils' commands: councils and their members, rule sets, meetings
// with their agenda, and the members' answers.
#include "councils/councils.h"

#include <boost/json.hpp>

#include <algorithm>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "councils/store.h"

namespace xh::councils {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

std::optional<std::string> date_or_none(const JsonInput& in, std::string_view field) {
  auto v = in.opt_str(field, 10);
  if (v && !v->empty() && !parse_beijing_date(*v)) throw unprocessable("council.bad_term", std::string(field));
  return v && !v->empty() ? v : std::nullopt;
}

// A rule set the council at `path` may adopt: the default, or one of a place above it.
void require_rule_set(Tx& tx, std::int64_t id, const std::string& path) {
  auto rs = store::rule_set(tx, id);
  auto owner = rs ? rs->opt_str("path") : std::nullopt;
  if (!rs || (owner && path.rfind(*owner, 0) != 0)) throw unprocessable("council.rule_set_not_found", "rule_set_id");
}

json::object council_json(const Row& r, Lang lang) {
  return {{"id", r.i64("id")},
          {"kind", r.str("kind")},
          {"kind_label", r.str(lang == Lang::en ? "kind_en" : "kind_zh")},
          {"place_id", r.i64("place_id")},
          {"place_name", r.str("place_name")},
          {"name", r.str("name")},
          {"term_start", nullable(r.opt_str("term_start"))},
          {"term_end", nullable(r.opt_str("term_end"))},
          {"rule_set_id", r.i64("rule_set_id")},
          {"rule_set_name", r.str("rule_set_name")},
          {"consultation_id", nullable(r.opt_i64("consultation_id"))},
          {"members", r.i64("members")},
          {"created_at", iso8601(r.i64("created_at"))}};
}

json::object meeting_json(const Row& r) {
  return {{"id", r.i64("id")},
          {"council_id", r.i64("council_id")},
          {"council_name", r.str("council_name")},
          {"place_name", r.str("place_name")},
          {"title", r.str("title")},
          {"starts_at", iso8601(r.i64("starts_at"))},
          {"location", nullable(r.opt_str("location"))},
          {"status", r.str("status")}};
}

json::object member_json(const Row& r) {
  return {{"id", r.i64("id")},
          {"seat", r.str("seat")},
          {"seat_label", r.str("seat_label")},
          {"name", r.str("name")},
          {"user_id", nullable(r.opt_i64("user_id"))},
          {"resident_id", nullable(r.opt_i64("resident_id"))},
          {"org_id", nullable(r.opt_i64("org_id"))},
          {"org_name", nullable(r.opt_str("org_name"))},
          {"joined_at", iso8601(r.i64("joined_at"))}};
}

// Who may read: council.read over the place, or a sitting member.
bool may_read(Tx& tx, const api::Principal& p, std::int64_t council_id, const std::string& path) {
  return api::in_scope(p, "council.read", path) || (p.user_id && store::seat_of(tx, council_id, p.user_id));
}

json::object quorum_json(Tx& tx, std::int64_t meeting_id, const RuleSet& rules) {
  Row r = store::attendance_counts(tx, meeting_id);
  std::int64_t members = r.i64("members"), present = r.i64("present"), by_proxy = r.i64("by_proxy");
  return {{"members", members},
          {"expected", r.i64("expected")},
          {"present", present},
          {"by_proxy", by_proxy},
          {"quorate", quorate(rules, present + by_proxy, members)},
          {"quorum_percent", rules.quorum_percent}};
}

}  // namespace

std::string require_council(Tx& tx, const api::Principal& p, std::int64_t council_id) {
  auto path = store::council_path(tx, council_id);
  if (!path || !may_read(tx, p, council_id, *path)) throw not_found("council.not_found");
  return *path;
}

std::int64_t require_meeting(Tx& tx, const api::Principal& p, std::int64_t meeting_id) {
  auto m = store::meeting_facts(tx, meeting_id);
  if (!m || !store::council_path(tx, m->i64("council_id")) || !may_read(tx, p, m->i64("council_id"), m->str("path")))
    throw not_found("council.meeting_not_found");
  return m->i64("council_id");
}

std::int64_t call_unchecked(Tx& tx, const api::EventBus& events, const api::Actor& actor, std::int64_t council_id,
                            const std::string& path, const std::string& title, Millis starts_at,
                            const std::optional<std::string>& location, const std::vector<AgendaItem>& agenda,
                            std::optional<std::int64_t> created_by, bool tell) {
  auto council = store::council(tx, council_id);
  // The rules it is called under stay with it, whatever the council adopts later.
  auto id = store::insert_meeting(tx, council_id, path, title, starts_at, location, council->str("params"),
                                  created_by, now_ms());
  int ordinal = 0;
  for (const auto& item : agenda)
    store::insert_agenda_item(tx, id, ++ordinal, item.kind, item.title, item.presenter_id, item.minutes);
  store::invite_members(tx, id, council_id);
  json::array notify;
  for (auto user : tell ? store::member_users(tx, council_id) : std::vector<std::int64_t>{}) {
    if (actor.user_id && *actor.user_id == user) continue;
    notify.push_back({{"user_id", user},
                      {"kind", "council.meeting_called"},
                      {"text", "council.notice.called"},
                      {"params", {{"council", council->str("name")},
                                  {"title", title},
                                  {"at", w3c_beijing(starts_at).substr(0, 16)}}},
                      {"subject_type", "meeting"},
                      {"subject_id", id}});
  }
  events.emit(tx, {"council.meeting_called", "meeting", id, actor, path, std::nullopt,
                   {{"council_id", council_id}, {"notify", std::move(notify)}}});
  return id;
}

std::int64_t put_on_agenda(Tx& tx, const api::EventBus& events, const api::Actor& actor, std::int64_t meeting_id,
                           const AgendaItem& item) {
  auto m = store::meeting_facts(tx, meeting_id);
  if (!m) throw not_found("council.meeting_not_found");
  if (m->str("status") != "scheduled") throw conflict("council.meeting_not_scheduled");
  auto id = store::insert_agenda_item(tx, meeting_id, store::last_ordinal(tx, meeting_id) + 1, item.kind, item.title,
                                      item.presenter_id, item.minutes);
  events.emit(tx, {"council.meeting_called", "meeting", meeting_id, actor, m->str("path"), std::nullopt,
                   {{"council_id", m->i64("council_id")}, {"what", "agenda"}}});
  return id;
}

void adopt_consultation(Tx& tx, const api::EventBus& events, const Consultation& c) {
  if (store::adopted(tx, c.id)) return;
  Millis now = now_ms();
  auto council = store::insert_council(
      tx, {"three_party", c.place_id, c.path, "三方协商：" + c.title, store::default_rule_set(tx), std::nullopt,
           std::nullopt, c.id, c.created_by},
      c.created_at);
  if (c.property_org_id) store::seat_org(tx, council, "property", *c.property_org_id, now);
  for (const auto& name : c.resident_reps)
    store::insert_member(tx, council, "resident_rep", name, std::nullopt, std::nullopt, std::nullopt, now);
  call_unchecked(tx, events, api::Actor::system(), council, c.path, c.title, std::max(c.created_at, now),
                 std::nullopt, {{"motion", c.title, std::nullopt, 30}}, c.created_by);
}

json::object Councils::vocabulary(Lang lang) const {
  return db_.read([&](Tx& tx) {
    json::array kinds, seats, rules;
    for (const auto& r : store::kinds(tx, lang))
      kinds.push_back({{"key", r.str("key")}, {"label", r.str("label")}, {"place_kinds", json::parse(r.str("place_kinds"))}});
    for (const auto& r : store::seats(tx, lang)) seats.push_back({{"key", r.str("key")}, {"label", r.str("label")}});
    for (const auto& rule : ten_rules())
      rules.push_back({{"key", rule.key}, {"text", lang == Lang::en ? rule.en : rule.zh}, {"enforced", rule.enforced}});
    return json::object{{"kinds", std::move(kinds)}, {"seats", std::move(seats)}, {"rules", std::move(rules)}};
  });
}

api::Listed Councils::list(const api::Principal& p, std::optional<std::int64_t> place_id, api::Page page,
                           Lang lang) const {
  return db_.read([&](Tx& tx) {
    std::optional<std::string> near;
    if (place_id) {
      auto place = store::live_place(tx, *place_id);
      if (!place) throw bad_request("request.bad_query", "place_id");
      near = place->str("path");
    }
    auto res = store::councils_page(tx, p, near, page);
    api::Listed out;
    for (const auto& r : res.rows) out.items.push_back(council_json(r, lang));
    out.total = res.total;
    return out;
  });
}

json::object Councils::get(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) {
    require_council(tx, p, id);
    auto r = store::council(tx, id);
    json::object out = council_json(*r, lang);
    out["rules"] = json::parse(r->str("params"));
    json::array members, meetings;
    for (const auto& m : store::members(tx, id, lang)) members.push_back(member_json(m));
    for (const auto& m : store::council_meetings(tx, id, 20)) meetings.push_back(meeting_json(m));
    out["members_list"] = std::move(members);
    out["meetings"] = std::move(meetings);
    out["may_manage"] = api::in_scope(p, "council.manage", r->str("path"));
    return out;
  });
}

json::object Councils::create(const api::Principal& p, const api::Actor& actor, const std::string& body,
                              Lang lang) const {
  api::require(p, "council.manage");
  JsonInput in(body, {"kind", "place_id", "name", "term_start", "term_end", "rule_set_id"});
  auto kind = in.str("kind", 30);
  auto place_id = in.i64("place_id");
  auto name = in.str("name", 100);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto term_start = date_or_none(in, "term_start"), term_end = date_or_none(in, "term_end");
  if (term_start && term_end && *term_end < *term_start) throw unprocessable("council.bad_term", "term_end");
  auto rule_set = in.opt_i64("rule_set_id");
  auto id = db_.write([&](Tx& tx) {
    auto sits_at = store::place_kinds(tx, kind);
    if (!sits_at) throw unprocessable("council.bad_kind", "kind");
    auto place = store::live_place(tx, place_id);
    if (!place) throw unprocessable("place.not_found", "place_id");
    json::value kinds = json::parse(*sits_at);
    const auto& list = kinds.as_array();
    if (std::none_of(list.begin(), list.end(), [&](const json::value& k) { return k.as_string() == place->str("kind"); }))
      throw unprocessable("council.bad_place", "place_id");
    api::require_in_scope(p, "council.manage", place->str("path"));
    if (rule_set) require_rule_set(tx, *rule_set, place->str("path"));
    auto id = store::insert_council(tx, {kind, place_id, place->str("path"), name,
                                         rule_set.value_or(store::default_rule_set(tx)), term_start, term_end,
                                         std::nullopt, p.user_id},
                                    now_ms());
    audit::append(tx, actor, {"council.create", "council", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"kind", kind}, {"name", name}})});
    return id;
  });
  return get(p, id, lang);
}

json::object Councils::update(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                              const std::string& body, Lang lang) const {
  api::require(p, "council.manage");
  JsonInput in(body, {"name", "term_start", "term_end", "rule_set_id"});
  auto name = in.opt_str("name", 100);
  if (name && name->empty()) throw unprocessable("request.missing_field", "name");
  db_.write([&](Tx& tx) {
    auto path = require_council(tx, p, id);
    api::require_in_scope(p, "council.manage", path);
    auto c = store::council(tx, id);
    auto term_start = in.has("term_start") ? date_or_none(in, "term_start") : c->opt_str("term_start");
    auto term_end = in.has("term_end") ? date_or_none(in, "term_end") : c->opt_str("term_end");
    if (term_start && term_end && *term_end < *term_start) throw unprocessable("council.bad_term", "term_end");
    auto rules = in.opt_i64("rule_set_id").value_or(c->i64("rule_set_id"));
    require_rule_set(tx, rules, path);
    store::update_council(tx, id, name.value_or(c->str("name")), term_start, term_end, rules);
    audit::append(tx, actor, {"council.update", "council", std::to_string(id),
                              json::serialize(json::object{{"name", c->str("name")},
                                                           {"term_start", nullable(c->opt_str("term_start"))},
                                                           {"term_end", nullable(c->opt_str("term_end"))},
                                                           {"rule_set_id", c->i64("rule_set_id")}}),
                              json::serialize(json::object{{"name", name.value_or(c->str("name"))},
                                                           {"term_start", nullable(term_start)},
                                                           {"term_end", nullable(term_end)},
                                                           {"rule_set_id", rules}})});
  });
  return get(p, id, lang);
}

json::object Councils::add_member(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  const std::string& body, Lang lang) const {
  api::require(p, "council.manage");
  JsonInput in(body, {"seat", "name", "user_id", "resident_id", "org_id"});
  auto seat = in.str("seat", 30);
  auto name = in.str("name", 50);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto user = in.opt_i64("user_id"), resident = in.opt_i64("resident_id"), org = in.opt_i64("org_id");
  db_.write([&](Tx& tx) {
    auto path = require_council(tx, p, id);
    api::require_in_scope(p, "council.manage", path);
    if (!store::seat_exists(tx, seat)) throw unprocessable("council.bad_seat", "seat");
    if (user && !store::active_user(tx, *user)) throw unprocessable("council.bad_user", "user_id");
    if (user && store::seat_of(tx, id, *user)) throw unprocessable("council.member_exists", "user_id");
    // A resident of the council's place.
    if (resident && !store::resident_under(tx, *resident, path)) throw unprocessable("council.bad_resident", "resident_id");
    if (org && !store::org_exists(tx, *org)) throw unprocessable("council.bad_org", "org_id");
    auto member = store::insert_member(tx, id, seat, name, user, resident, org, now_ms());
    store::invite_to_coming(tx, id, member);
    audit::append(tx, actor, {"council.member_add", "council", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"member_id", member}, {"seat", seat}, {"name", name}})});
  });
  return get(p, id, lang);
}

json::object Councils::remove_member(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                     std::int64_t member_id, Lang lang) const {
  api::require(p, "council.manage");
  db_.write([&](Tx& tx) {
    auto path = require_council(tx, p, id);
    api::require_in_scope(p, "council.manage", path);
    if (!store::end_membership(tx, id, member_id, now_ms())) throw not_found("council.member_not_found");
    store::uninvite_from_coming(tx, id, member_id);
    audit::append(tx, actor, {"council.member_remove", "council", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"member_id", member_id}})});
  });
  return get(p, id, lang);
}

json::array Councils::rule_sets(const api::Principal& p) const {
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& r : store::rule_sets(tx)) {
      auto path = r.opt_str("path");
      if (path && !api::in_scope(p, "council.read", *path) && !api::in_scope(p, "council.manage", *path)) continue;
      out.push_back({{"id", r.i64("id")}, {"name", r.str("name")}, {"default", !path},
                     {"params", json::parse(r.str("params"))}});
    }
    return out;
  });
}

json::object Councils::create_rule_set(const api::Principal& p, const api::Actor& actor,
                                       const std::string& body) const {
  api::require(p, "council.manage");
  JsonInput in(body, {"name", "place_id", "params"});
  auto name = in.str("name", 50);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto place_id = in.i64("place_id");
  auto params_text = in.opt_object("params");
  if (!params_text) throw unprocessable("request.missing_field", "params");
  auto params = to_json(parse_rules(json::parse(*params_text).as_object()));
  return db_.write([&](Tx& tx) {
    auto place = store::live_place(tx, place_id);
    if (!place) throw unprocessable("place.not_found", "place_id");
    api::require_in_scope(p, "council.manage", place->str("path"));
    auto id = store::insert_rule_set(tx, name, place->str("path"), json::serialize(params), now_ms());
    audit::append(tx, actor, {"council.rule_set", "rule_set", std::to_string(id), std::nullopt, json::serialize(params)});
    return json::object{{"id", id}, {"name", name}, {"default", false}, {"params", params}};
  });
}

json::object Councils::call_meeting(const api::Principal& p, const api::Actor& actor, std::int64_t council_id,
                                    const std::string& body, Lang lang) const {
  api::require(p, "council.manage");
  JsonInput in(body, {"title", "starts_at", "location", "agenda"});
  auto title = in.str("title", 100);
  if (title.empty()) throw unprocessable("request.missing_field", "title");
  auto starts = parse_w3c(in.str("starts_at", 40));
  if (!starts) throw unprocessable("council.bad_time", "starts_at");
  auto location = in.opt_str("location", 100);
  json::value whole = json::parse(body);  // checked by JsonInput: an object
  const json::value* agenda = whole.as_object().if_contains("agenda");
  if (!agenda || !agenda->is_array() || agenda->as_array().empty() || agenda->as_array().size() > 30)
    throw unprocessable("council.bad_agenda", "agenda");
  std::vector<AgendaItem> items;
  for (const auto& v : agenda->as_array()) {
    if (!v.is_object()) throw unprocessable("council.bad_agenda", "agenda");
    JsonInput item(json::serialize(v), {"kind", "title", "presenter_id", "minutes"});
    auto kind = item.str("kind", 20);
    auto text = item.str("title", 100);
    auto minutes = item.opt_i64("minutes").value_or(15);
    if ((kind != "motion" && kind != "discussion") || text.empty() || minutes < 1 || minutes > 240)
      throw unprocessable("council.bad_agenda", "agenda");
    items.push_back({kind, text, item.opt_i64("presenter_id"), static_cast<int>(minutes)});
  }
  auto id = db_.write([&](Tx& tx) {
    auto path = require_council(tx, p, council_id);
    api::require_in_scope(p, "council.manage", path);
    for (const auto& item : items)
      if (item.presenter_id && !store::sitting(tx, *item.presenter_id, council_id))
        throw unprocessable("council.bad_presenter", "agenda");
    auto id = call_unchecked(tx, events_, actor, council_id, path, title, *starts, location, items, p.user_id);
    audit::append(tx, actor, {"council.meeting_call", "meeting", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"title", title}, {"starts_at", iso8601(*starts)}})});
    return id;
  });
  return meeting(p, id, lang);
}

api::Listed Councils::meetings(const api::Principal& p, std::optional<std::int64_t> council_id,
                               std::optional<std::string> when, bool mine, api::Page page, Lang lang) const {
  (void)lang;
  if (when && *when != "upcoming" && *when != "past") throw bad_request("request.bad_query", "when");
  return db_.read([&](Tx& tx) {
    auto res = store::meetings_page(tx, p, council_id, when, mine, page, now_ms());
    api::Listed out;
    for (const auto& r : res.rows) out.items.push_back(meeting_json(r));
    out.total = res.total;
    return out;
  });
}

json::object Councils::meeting(const api::Principal& p, std::int64_t id, Lang lang) const {
  return db_.read([&](Tx& tx) {
    auto council_id = require_meeting(tx, p, id);
    auto r = store::meeting(tx, id);
    json::object out = meeting_json(*r);
    auto rules = parse_rules(json::parse(r->str("params")).as_object());
    out["rules"] = to_json(rules);
    json::array agenda, attendance;
    for (const auto& a : store::agenda(tx, id))
      agenda.push_back({{"id", a.i64("id")},
                        {"ordinal", a.i64("ordinal")},
                        {"kind", a.str("kind")},
                        {"title", a.str("title")},
                        {"presenter_id", nullable(a.opt_i64("presenter_id"))},
                        {"presenter", nullable(a.opt_str("presenter"))},
                        {"minutes", a.i64("minutes")}});
    for (const auto& a : store::attendance(tx, id, lang))
      attendance.push_back({{"member_id", a.i64("member_id")},
                            {"name", a.str("name")},
                            {"seat", a.str("seat")},
                            {"seat_label", a.str("seat_label")},
                            {"reply", a.str("reply")},
                            {"reason", nullable(a.opt_str("reason"))},
                            {"proxy_id", nullable(a.opt_i64("proxy_id"))},
                            {"checked_in", !a.is_null("checked_in_at")}});
    out["agenda"] = std::move(agenda);
    out["attendance"] = std::move(attendance);
    out["quorum"] = quorum_json(tx, id, rules);
    json::value me = nullptr;
    if (auto seat = p.user_id ? store::seat_of(tx, council_id, p.user_id) : std::nullopt) {
      auto a = store::reply_of(tx, id, seat->i64("id"));
      me = json::object{{"member_id", seat->i64("id")},
                        {"seat", seat->str("seat")},
                        {"reply", a ? json::value(a->str("reply")) : json::value(nullptr)},
                        {"reason", a ? nullable(a->opt_str("reason")) : json::value(nullptr)},
                        {"proxy_id", a ? nullable(a->opt_i64("proxy_id")) : json::value(nullptr)}};
    }
    out["me"] = std::move(me);
    out["may_manage"] = api::in_scope(p, "council.manage", *store::council_path(tx, council_id));
    return out;
  });
}

json::object Councils::reply(const api::Principal& p, const api::Actor& actor, std::int64_t meeting_id,
                             const std::string& body, Lang lang) const {
  JsonInput in(body, {"reply", "reason", "proxy_id"});
  auto answer = in.str("reply", 20);
  auto reason = in.opt_str("reason", 200);
  auto proxy = in.opt_i64("proxy_id");
  if (answer != "attending" && answer != "absent" && answer != "proxy") throw unprocessable("council.bad_reply", "reply");
  if ((answer == "absent" || answer == "proxy") && (!reason || reason->empty()))
    throw unprocessable("council.reason_required", "reason");
  db_.write([&](Tx& tx) {
    auto council_id = require_meeting(tx, p, meeting_id);
    auto seat = store::seat_of(tx, council_id, p.user_id);
    if (!seat) throw forbidden("council.not_member");
    auto m = store::meeting_facts(tx, meeting_id);
    if (m->str("status") != "scheduled") throw conflict("council.meeting_closed");
    auto rules = parse_rules(json::parse(m->str("params")).as_object());
    std::optional<std::int64_t> proxy_id;
    if (answer == "proxy") {
      if (!rules.proxies_allowed) throw unprocessable("council.no_proxies", "reply");
      if (!proxy || *proxy == seat->i64("id") || !store::invited(tx, meeting_id, *proxy))
        throw unprocessable("council.bad_proxy", "proxy_id");
      proxy_id = proxy;
    }
    store::set_reply(tx, meeting_id, seat->i64("id"), answer, answer == "attending" ? std::nullopt : reason, proxy_id);
    audit::append(tx, actor, {"council.reply", "meeting", std::to_string(meeting_id), std::nullopt,
                              json::serialize(json::object{{"reply", answer}})});
    events_.emit(tx, {"council.attendance", "meeting", meeting_id, actor, m->str("path"), std::nullopt,
                      {{"member_id", seat->i64("id")}, {"reply", answer}}});
  });
  return meeting(p, meeting_id, lang);
}

}  // namespace xh::councils
