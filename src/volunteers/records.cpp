// A volunteer's service record and certificate, and the calendar feeds.
#include <boost/json.hpp>
#include <cstdio>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "people/identity.h"
#include "print/pdf.h"
#include "volunteers/activities.h"
#include "volunteers/recurrence.h"
#include "volunteers/store.h"
#include "volunteers/volunteers.h"

namespace xh::volunteers {

namespace json = boost::json;
using storage::Row;
using storage::Tx;

namespace {

Row readable_volunteer(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto v = store::volunteer(tx, id);
  if (!v || (v->i64("user_id") != p.user_id && !api::in_scope(p, "volunteer.read", v->str("path"))))
    throw not_found("volunteer.not_found");
  return *v;
}

// The confirmed sign-ups, oldest first.
storage::Rows served(Tx& tx, std::int64_t volunteer_id) {
  return tx.query(
      "SELECT s.id, s.confirmed_minutes, o.starts_at, o.ends_at, a.id AS activity_id, a.title, "
      "tn.name AS team FROM activity_signups s JOIN activity_occurrences o ON o.id = "
      "s.occurrence_id JOIN activities a ON a.id = o.activity_id JOIN volunteer_teams t ON t.id "
      "= a.team_id JOIN orgs tn ON tn.id = t.org_id WHERE s.volunteer_id = $1 AND "
      "s.confirmed_at IS NOT NULL ORDER BY o.starts_at, s.id",
      volunteer_id);
}

std::string hours_text(std::int64_t minutes) {
  char out[24];
  std::snprintf(out, sizeof out, "%.1f", static_cast<double>(minutes) / 60.0);
  return out;
}

std::string beijing_day(Millis at) { return w3c_beijing(at).substr(0, 10); }

std::string feed_url(const std::string& token) {
  return "/api/calendars/" + token + "/calendar.ics";
}

}  // namespace

json::object Activities::record(const api::Principal& p, std::int64_t volunteer_id, Lang) const {
  return db_.read([&](Tx& tx) {
    Row v = readable_volunteer(tx, p, volunteer_id);
    json::array items;
    std::int64_t total = 0;
    for (const auto& r : served(tx, volunteer_id)) {
      total += r.i64("confirmed_minutes");
      items.push_back({{"signup_id", r.i64("id")},
                       {"activity_id", r.i64("activity_id")},
                       {"title", r.str("title")},
                       {"team", r.str("team")},
                       {"starts_at", iso8601(r.i64("starts_at"))},
                       {"ends_at", iso8601(r.i64("ends_at"))},
                       {"minutes", r.i64("confirmed_minutes")}});
    }
    return json::object{
        {"volunteer",
         {{"id", v.i64("id")}, {"name", v.str("name")}, {"community", v.str("community_name")}}},
        {"items", std::move(items)},
        {"total_minutes", total}};
  });
}

File Activities::certificate(const api::Principal& p, std::int64_t volunteer_id) const {
  return db_.read([&](Tx& tx) {
    Row v = readable_volunteer(tx, p, volunteer_id);
    std::string id_number = "—";
    if (auto r = tx.query_one(
            "SELECT id_number_enc FROM residents WHERE user_id = $1 AND id_number_enc IS NOT NULL",
            v.i64("user_id")))
      id_number = people::mask_national_id(cipher_.decrypt(r->str("id_number_enc")));
    auto rows = served(tx, volunteer_id);
    std::int64_t total = 0;
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows) {
      total += r.i64("confirmed_minutes");
      table.push_back({beijing_day(r.i64("starts_at")), r.str("title"), r.str("team"),
                       hours_text(r.i64("confirmed_minutes"))});
    }
    std::string teams;
    for (const auto& t : store::teams_of(tx, volunteer_id))
      teams += (teams.empty() ? "" : "、") + t.str("name");
    std::string period = rows.empty() ? "—"
                                      : beijing_day(rows.front().i64("starts_at")) + " 至 " +
                                            beijing_day(rows.back().i64("starts_at"));
    print::Pdf pdf("志愿服务证明");
    pdf.title("志愿服务证明");
    pdf.subtitle("依据《志愿服务记录与证明出具办法》出具");
    pdf.space(12);
    pdf.paragraph("兹证明 " + v.str("name") + "（身份证号：" + id_number + "）系" +
                  v.str("community_name") + "登记志愿者，于 " + period + " 期间参加志愿服务活动 " +
                  std::to_string(rows.size()) + " 次，经服务队负责人确认的志愿服务时长共计 " +
                  hours_text(total) + " 小时。");
    pdf.facts({{"姓名", v.str("name")},
               {"身份证号", id_number},
               {"所在服务队", teams.empty() ? "—" : teams},
               {"报到社区", v.str("community_name")},
               {"服务次数", std::to_string(rows.size())},
               {"志愿服务时长（小时）", hours_text(total)}});
    pdf.heading("志愿服务记录");
    if (table.empty())
      pdf.paragraph("暂无经确认的志愿服务记录。");
    else
      pdf.table({"日期", "活动", "服务队", "时长（小时）"}, {0.18, 0.44, 0.24, 0.14}, table);
    pdf.space(18);
    pdf.paragraph("特此证明。");
    pdf.paragraph("出具单位：" + v.str("community_name") + "居民委员会");
    pdf.paragraph("出具日期：" + beijing_day(now_ms()));
    pdf.note("本证明由星火社区共治平台根据志愿服务记录生成；时长以服务队负责人确认为准。");
    return File{pdf.finish(), "volunteer-certificate-" + std::to_string(volunteer_id) + ".pdf",
                "application/pdf"};
  });
}

// ---- calendars ------------------------------------------------------------------

json::object Activities::create_feed(const api::Principal& p, const api::Actor& actor,
                                     const std::string& body) const {
  JsonInput in(body, {"kind", "id"});
  auto kind = in.str("kind", 10);
  auto id = in.opt_i64("id");
  if (kind != "team" && kind != "volunteer") throw unprocessable("calendar.bad_kind", "kind");
  return db_.write([&](Tx& tx) {
    std::int64_t subject = 0;
    std::string name;
    if (kind == "team") {
      if (!id) throw unprocessable("request.missing_field", "id");
      // A team's schedule is for its members, its leader and staff.
      auto t = store::team(tx, *id);
      auto v = store::volunteer_of_user(tx, p.user_id);
      bool member = v && store::is_member(tx, *id, v->i64("id"));
      if (!t || !(member || api::in_scope(p, "volunteer.read", t->str("path"))))
        throw not_found("team.not_found");
      subject = *id;
      name = t->str("name");
    } else {
      auto v = store::volunteer_of_user(tx, p.user_id);
      if (!v || (id && *id != v->i64("id"))) throw not_found("volunteer.not_registered");
      subject = v->i64("id");
      name = v->str("name");
    }
    std::string token = random_token(24);
    Millis now = now_ms();
    auto feed = store::add_feed(tx, sha256_hex(token), kind, subject, p.user_id, now);
    audit::append(tx, actor,
                  {"calendar.create", "calendar_feed", std::to_string(feed), std::nullopt,
                   json::serialize(json::object{{"kind", kind}, {"subject_id", subject}})});
    return json::object{{"id", feed},   {"kind", kind},           {"subject_id", subject},
                        {"name", name}, {"url", feed_url(token)}, {"created_at", iso8601(now)}};
  });
}

json::object Activities::feeds(const api::Principal& p) const {
  return db_.read([&](Tx& tx) {
    json::array items;
    for (const auto& f : store::feeds_of(tx, p.user_id)) {
      std::string name;
      if (f.str("kind") == "team") {
        if (auto t = store::team(tx, f.i64("subject_id"))) name = t->str("name");
      } else if (auto v = store::volunteer(tx, f.i64("subject_id"))) {
        name = v->str("name");
      }
      items.push_back({{"id", f.i64("id")},
                       {"kind", f.str("kind")},
                       {"subject_id", f.i64("subject_id")},
                       {"name", name},
                       {"created_at", iso8601(f.i64("created_at"))}});
    }
    return json::object{{"items", std::move(items)}};
  });
}

void Activities::revoke_feed(const api::Principal& p, const api::Actor& actor,
                             std::int64_t id) const {
  db_.write([&](Tx& tx) {
    if (!store::revoke_feed(tx, id, p.user_id, now_ms())) throw not_found("calendar.not_found");
    audit::append(tx, actor,
                  {"calendar.revoke", "calendar_feed", std::to_string(id), std::nullopt, "{}"});
  });
}

File Activities::feed(const std::string& token) const {
  return db_.read([&](Tx& tx) {
    auto f = token.size() < 20 ? std::nullopt : store::feed_by_hash(tx, sha256_hex(token));
    // A disabled account's feeds stop with it.
    if (!f || tx.query_one("SELECT 1 FROM users WHERE id = $1 AND disabled = 0", f->i64("user_id"))
                      .has_value() == false)
      throw not_found("calendar.not_found");
    std::vector<FeedEvent> events;
    std::string name;
    auto event_of = [](const Row& a) {
      FeedEvent e;
      e.uid = "activity-" + std::to_string(a.i64("id"));
      e.summary = a.str("title");
      e.description = a.str("description");
      e.location = a.str("place_name") + (a.opt_str("address") ? " " + *a.opt_str("address") : "");
      e.stamp = a.i64("updated_at");
      e.schedule.first_date = a.str("first_date");
      auto times = json::parse(a.str("times"));
      for (const auto& t : times.as_array()) e.schedule.times.emplace_back(t.as_string());
      e.schedule.duration_minutes = static_cast<int>(a.i64("duration_minutes"));
      e.schedule.rrule = a.opt_str("rrule");
      auto ex = json::parse(a.str("exdates"));
      for (const auto& x : ex.as_array()) e.schedule.exdates.push_back(x.as_int64());
      if (a.str("status") == "cancelled") e.status = "CANCELLED";
      return e;
    };
    if (f->str("kind") == "team") {
      auto t = store::team(tx, f->i64("subject_id"));
      if (!t) throw not_found("calendar.not_found");
      name = t->str("name");
      for (const auto& r :
           tx.query("SELECT id FROM activities WHERE team_id = $1 ORDER BY id", t->i64("id")))
        events.push_back(event_of(*store::activity(tx, r.i64("id"))));
    } else {
      auto v = store::volunteer(tx, f->i64("subject_id"));
      if (!v) throw not_found("calendar.not_found");
      name = v->str("name") + "的志愿服务";
      // Each sign-up as a single event at its own time.
      for (const auto& r : tx.query(
               "SELECT s.id, s.status, o.activity_id, o.starts_at, o.cancelled_at FROM "
               "activity_signups s JOIN activity_occurrences o ON o.id = s.occurrence_id WHERE "
               "s.volunteer_id = $1 AND o.starts_at >= $2 ORDER BY o.starts_at LIMIT 500",
               v->i64("id"), now_ms() - 90 * kDay)) {
        FeedEvent e = event_of(*store::activity(tx, r.i64("activity_id")));
        e.uid = "signup-" + std::to_string(r.i64("id"));
        auto when = w3c_beijing(r.i64("starts_at"));
        e.schedule.first_date = when.substr(0, 10);
        e.schedule.times = {when.substr(11, 5)};
        e.schedule.rrule.reset();
        e.schedule.exdates.clear();
        if (r.str("status") == "cancelled" || r.opt_i64("cancelled_at")) e.status = "CANCELLED";
        events.push_back(std::move(e));
      }
    }
    return File{ical_feed(name, events), "calendar.ics", "text/calendar; charset=utf-8"};
  });
}

}  // namespace xh::volunteers
