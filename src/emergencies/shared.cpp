// What the emergencies module's files share: see shared.h.
#include "emergencies/shared.h"

#include "api/scope.h"
#include "core/error.h"
#include "core/json_output.h"
#include "emergencies/emergencies.h"

namespace xh::emergencies {

namespace json = boost::json;

const std::vector<Label>& levels() {
  static const std::vector<Label> all = {{"1", "I级（红色）", "Level I (red)"},
                                         {"2", "II级（橙色）", "Level II (orange)"},
                                         {"3", "III级（黄色）", "Level III (yellow)"},
                                         {"4", "IV级（蓝色）", "Level IV (blue)"}};
  return all;
}

const std::vector<Label>& task_statuses() {
  static const std::vector<Label> all = {{"open", "待巡查", "To patrol"},
                                         {"done", "已巡查", "Done"},
                                         {"missed", "超时未巡查", "Missed"},
                                         {"cancelled", "已取消", "Cancelled"}};
  return all;
}

const std::vector<Label>& movement_kinds() {
  static const std::vector<Label> all = {
      {"receive", "入库", "Received"},        {"issue", "发放", "Issued"},
      {"transfer_out", "调出", "Transferred out"}, {"transfer_in", "调入", "Transferred in"},
      {"return", "归还", "Returned"},         {"write_off", "报损", "Written off"}};
  return all;
}

const std::vector<Label>& emergency_statuses() {
  static const std::vector<Label> all = {{"active", "应急响应中", "Active"},
                                         {"ended", "已结束", "Ended"}};
  return all;
}

std::optional<Row> place(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT id, kind, name, path, grid_id, grid_path, lat_e6, lng_e6 FROM places WHERE id = $1 "
      "AND archived_at IS NULL",
      id);
}

std::int64_t street_of(std::string_view path) {
  auto ids = api::path_ids(path);
  return ids.empty() ? 0 : ids.front();
}

std::optional<Row> emergency_row(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT e.*, h.name_zh AS hazard_zh, h.name_en AS hazard_en, pl.name AS place_name, pl.kind "
      "AS place_kind FROM emergencies e JOIN hazards h ON h.code = e.hazard JOIN places pl ON "
      "pl.id = e.place_id WHERE e.id = $1",
      id);
}

Row load_emergency(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto em = emergency_row(tx, id);
  if (!em || !on_line(p, "emergency.read", em->str("path")))
    throw not_found("emergency.not_found");
  return *em;
}

void log(Tx& tx, std::int64_t emergency_id, Millis at, std::string_view kind,
         std::optional<int> level, std::optional<std::int64_t> user_id, json::object data) {
  tx.exec(
      "INSERT INTO emergency_log (emergency_id, at, kind, level, user_id, data) VALUES ($1, $2, "
      "$3, $4, $5, $6)",
      emergency_id, at, kind, level ? std::optional<std::int64_t>(*level) : std::nullopt, user_id,
      json::serialize(data));
}

json::object notice(std::int64_t user, std::string_view kind, std::string_view text,
                    json::object params, std::int64_t emergency_id) {
  return {{"user_id", user},          {"kind", kind},
          {"text", text},             {"params", std::move(params)},
          {"subject_type", "emergency"}, {"subject_id", emergency_id}};
}

void changed(Tx& tx, const api::EventBus& events, const api::Actor& actor, const Row& em,
             std::string_view what, json::array notify) {
  json::object data{{"what", what}};
  if (!notify.empty()) data["notify"] = std::move(notify);
  // Every process's cached board of it is out of date.
  tx.exec("UPDATE emergencies SET version = version + 1 WHERE id = $1", em.i64("id"));
  events.emit(tx, {"emergency.changed", "emergency", em.i64("id"), actor, em.str("path"),
                   std::nullopt, std::move(data)});
}

json::object header_of(const Row& em, Lang lang) {
  return {{"id", em.i64("id")},
          {"hazard", em.str("hazard")},
          {"hazard_name", lang == Lang::en ? em.str("hazard_en") : em.str("hazard_zh")},
          {"level", em.i64("level")},
          {"level_name", level_name(static_cast<int>(em.i64("level")), lang)},
          {"place", {{"id", em.i64("place_id")}, {"name", em.str("place_name")}}},
          {"status", em.str("status")},
          {"reason", em.str("reason")},
          {"declared_at", iso8601(em.i64("declared_at"))},
          {"ended_at", nullable_time(em.opt_i64("ended_at"))}};
}

json::array timeline(Tx& tx, std::int64_t emergency_id, int limit) {
  json::array out;
  std::string sql =
      "SELECT l.*, u.display_name FROM emergency_log l LEFT JOIN users u ON u.id = l.user_id "
      "WHERE l.emergency_id = $1 ORDER BY l.id";
  if (limit > 0) sql += " DESC LIMIT " + std::to_string(limit);
  for (const auto& l : tx.query(sql, emergency_id)) {
    json::value lv = nullptr;
    if (auto v = l.opt_i64("level")) lv = *v;
    auto by = l.opt_str("display_name");
    out.push_back({{"at", iso8601(l.i64("at"))},
                   {"kind", l.str("kind")},
                   {"level", lv},
                   {"by", by ? json::value(*by) : json::value(nullptr)},
                   {"data", json::parse(l.str("data"))}});
  }
  return out;
}

std::string level_name(int level, Lang lang) {
  return std::string(label_of(levels(), std::to_string(level), lang));
}

std::string hazard_name(Tx& tx, const std::string& code, Lang lang) {
  auto h = tx.query_one("SELECT name_zh, name_en FROM hazards WHERE code = $1", code);
  if (!h) return code;
  return lang == Lang::en ? h->str("name_en") : h->str("name_zh");
}

std::optional<int> every_hours(Tx& tx, std::int64_t street_id, const std::string& hazard,
                               int level, const std::string& kind) {
  // The street's own table when it has one for the hazard, else the defaults.
  auto r = tx.query_one(
      "SELECT every_hours FROM patrol_frequencies WHERE street_id = (SELECT COALESCE(MAX(street_id), "
      "0) FROM patrol_frequencies WHERE street_id = $1 AND hazard = $2) AND hazard = $2 AND level "
      "= $3 AND kind = $4",
      street_id, hazard, level, kind);
  if (!r) return std::nullopt;
  return static_cast<int>(r->i64("every_hours"));
}

}  // namespace xh::emergencies
