// Supplies by warehouse (GRD-3): every movement appended to a ledger whose
// balances never go below zero. A decrease is one conditional update of the
// stock row (`quantity + delta >= 0`): of concurrent issues of the last
// units exactly the ones the stock covers succeed, the rest change nothing.
// A transfer writes both warehouses' rows in one transaction.
#include <map>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "emergencies/emergencies.h"
#include "emergencies/shared.h"

namespace xh::emergencies {

namespace json = boost::json;

namespace {

std::optional<Row> warehouse(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT w.*, pl.name AS place_name FROM warehouses w JOIN places pl ON pl.id = w.place_id "
      "WHERE w.id = $1",
      id);
}

// Seen by staff whose scope holds it or lies within its place.
Row load_warehouse(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto w = warehouse(tx, id);
  if (!w || !on_line(p, "emergency.read", w->str("path"))) throw not_found("supply.no_warehouse");
  return *w;
}

json::array stock_of(Tx& tx, std::int64_t warehouse_id, Lang lang) {
  json::array out;
  for (const auto& r : tx.query(
           "SELECT s.*, i.name_zh, i.name_en, i.unit_zh, i.unit_en FROM supply_stock s JOIN "
           "supply_items i ON i.code = s.item WHERE s.warehouse_id = $1 ORDER BY i.ordinal",
           warehouse_id))
    out.push_back({{"item", r.str("item")},
                   {"name", lang == Lang::en ? r.str("name_en") : r.str("name_zh")},
                   {"unit", lang == Lang::en ? r.str("unit_en") : r.str("unit_zh")},
                   {"quantity", r.i64("quantity")},
                   {"low_at", r.i64("low_at")},
                   {"low", r.i64("quantity") < r.i64("low_at")}});
  return out;
}

json::object warehouse_view(Tx& tx, const api::Principal& p, const Row& w, Lang lang) {
  auto coord = [&](const char* c) {
    auto v = w.opt_i64(c);
    return v ? json::value(static_cast<double>(*v) / 1e6) : json::value(nullptr);
  };
  return {{"id", w.i64("id")},
          {"name", w.str("name")},
          {"place", {{"id", w.i64("place_id")}, {"name", w.str("place_name")}}},
          {"address", w.opt_str("address") ? json::value(*w.opt_str("address")) : json::value(nullptr)},
          {"lat", coord("lat_e6")},
          {"lng", coord("lng_e6")},
          {"stock", stock_of(tx, w.i64("id"), lang)},
          {"may_manage", api::in_scope(p, "supply.manage", w.str("path"))}};
}

// Applies `delta` to the stock; none when it would go below zero.
std::optional<std::int64_t> apply(Tx& tx, std::int64_t warehouse_id, const std::string& item,
                                  std::int64_t delta) {
  if (delta > 0)
    tx.exec(
        "INSERT INTO supply_stock (warehouse_id, item, quantity) VALUES ($1, $2, 0) ON CONFLICT "
        "DO NOTHING",
        warehouse_id, item);
  auto r = tx.query_one(
      "UPDATE supply_stock SET quantity = quantity + $3 WHERE warehouse_id = $1 AND item = $2 AND "
      "quantity + $3 >= 0 RETURNING quantity, low_at, low_alerted",
      warehouse_id, item, delta);
  if (!r) return std::nullopt;
  return r->i64("quantity");
}

struct Move {
  std::string kind;
  std::int64_t warehouse_id = 0;
  std::string item;
  std::int64_t quantity = 0;  // signed
  std::int64_t balance = 0;
  std::optional<std::int64_t> transfer_id, risk_point_id, emergency_id;
  std::optional<std::string> counterpart, note;
};

std::int64_t append(Tx& tx, const Move& m, std::int64_t user_id, Millis now) {
  return tx
      .query_one(
          "INSERT INTO supply_movements (warehouse_id, item, kind, quantity, balance, transfer_id, "
          "counterpart, risk_point_id, emergency_id, note, user_id, at) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
          m.warehouse_id, m.item, m.kind, m.quantity, m.balance, m.transfer_id, m.counterpart,
          m.risk_point_id, m.emergency_id, m.note, user_id, now)
      ->i64("id");
}

// Under its threshold: tell the staff over the warehouse, once until restocked.
json::array low_stock(Tx& tx, const Row& w, const std::string& item) {
  json::array notify;
  auto s = tx.query_one(
      "SELECT s.quantity, s.low_at, s.low_alerted, i.name_zh FROM supply_stock s JOIN supply_items "
      "i ON i.code = s.item WHERE s.warehouse_id = $1 AND s.item = $2",
      w.i64("id"), item);
  if (!s) return notify;
  bool low = s->i64("quantity") < s->i64("low_at");
  if (low && !s->flag("low_alerted")) {
    tx.exec("UPDATE supply_stock SET low_alerted = 1 WHERE warehouse_id = $1 AND item = $2",
            w.i64("id"), item);
    for (auto u : api::holders(tx, "supply.manage", w.str("path")))
      notify.push_back({{"user_id", u},
                        {"kind", "supply.low"},
                        {"text", "supply.notice.low"},
                        {"params", {{"warehouse", w.str("name")},
                                    {"item", s->str("name_zh")},
                                    {"quantity", s->i64("quantity")}}},
                        {"subject_type", "warehouse"},
                        {"subject_id", w.i64("id")}});
  } else if (!low && s->flag("low_alerted")) {
    tx.exec("UPDATE supply_stock SET low_alerted = 0 WHERE warehouse_id = $1 AND item = $2",
            w.i64("id"), item);
  }
  return notify;
}

json::object movement_view(const Row& m, Lang lang) {
  auto opt_s = [&](const char* c) {
    auto v = m.opt_str(c);
    return v ? json::value(*v) : json::value(nullptr);
  };
  auto opt_i = [&](const char* c) {
    auto v = m.opt_i64(c);
    return v ? json::value(*v) : json::value(nullptr);
  };
  return {{"id", m.i64("id")},
          {"warehouse_id", m.i64("warehouse_id")},
          {"item", m.str("item")},
          {"item_name", lang == Lang::en ? m.str("name_en") : m.str("name_zh")},
          {"kind", m.str("kind")},
          {"quantity", m.i64("quantity")},
          {"balance", m.i64("balance")},
          {"transfer_id", opt_i("transfer_id")},
          {"counterpart", opt_s("counterpart")},
          {"risk_point_id", opt_i("risk_point_id")},
          {"emergency_id", opt_i("emergency_id")},
          {"note", opt_s("note")},
          {"by", opt_s("display_name")},
          {"at", iso8601(m.i64("at"))}};
}

}  // namespace

json::object Supplies::warehouses(const api::Principal& p, Lang lang) const {
  return db_.read([&](Tx& tx) {
    std::vector<std::string> lines;
    for (const auto& g : p.grants)
      if (api::grant_has(g, "emergency.read")) lines.push_back(g.place_path);
    if (lines.empty()) throw forbidden("auth.permission_denied");
    std::string sql =
        "SELECT w.*, pl.name AS place_name FROM warehouses w JOIN places pl ON pl.id = w.place_id "
        "WHERE ";
    std::vector<storage::Param> params;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      params.emplace_back(lines[i]);
      auto n = "$" + std::to_string(params.size());
      sql += (i ? " OR " : "") + std::string("w.path LIKE ") + n + " || '%' OR " + n +
             " LIKE w.path || '%'";
    }
    sql += " ORDER BY w.path, w.id LIMIT 500";
    json::array items;
    for (const auto& w : tx.query_v(sql, params)) items.push_back(warehouse_view(tx, p, w, lang));
    return json::object{{"items", std::move(items)}};
  });
}

json::object Supplies::create_warehouse(const api::Principal& p, const api::Actor& actor,
                                        const std::string& body) const {
  JsonInput in(body, {"place_id", "name", "address", "lat", "lng"});
  auto place_id = in.i64("place_id");
  auto name = in.str("name", 60);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  auto address = in.opt_str("address", 120);
  auto lat = in.opt_f64("lat"), lng = in.opt_f64("lng");
  if (lat && (*lat < -90 || *lat > 90)) throw unprocessable("risk.bad_location", "lat");
  if (lng && (*lng < -180 || *lng > 180)) throw unprocessable("risk.bad_location", "lng");
  return db_.write([&](Tx& tx) {
    auto pl = place(tx, place_id);
    if (!pl || pl->str("kind") == "household") throw unprocessable("supply.bad_place", "place_id");
    api::require_in_scope(p, "supply.manage", pl->str("path"));
    auto e6 = [](std::optional<double> v) {
      return v ? std::optional<std::int64_t>(static_cast<std::int64_t>(
                     *v * 1e6 + (*v >= 0 ? 0.5 : -0.5)))
               : std::nullopt;
    };
    auto r = tx.query_one(
        "INSERT INTO warehouses (place_id, path, name, address, lat_e6, lng_e6, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        place_id, pl->str("path"), name, address, e6(lat), e6(lng), now_ms());
    audit::append(tx, actor, {"supply.warehouse", "warehouse", std::to_string(r->i64("id")),
                              std::nullopt, std::nullopt});
    return warehouse_view(tx, p, *warehouse(tx, r->i64("id")), Lang::zh_CN);
  });
}

json::object Supplies::move(const api::Principal& p, const api::Actor& actor,
                            const std::string& body, Lang lang) const {
  JsonInput in(body, {"kind", "warehouse_id", "item", "quantity", "to_warehouse_id", "counterpart",
                      "risk_point_id", "emergency_id", "note"});
  auto kind = in.str("kind", 20);
  if (kind != "receive" && kind != "issue" && kind != "transfer" && kind != "return" &&
      kind != "write_off")
    throw unprocessable("supply.bad_kind", "kind");
  auto warehouse_id = in.i64("warehouse_id");
  auto item = in.str("item", 40);
  auto quantity = in.i64("quantity");
  if (quantity < 1 || quantity > 1000000) throw unprocessable("supply.bad_quantity", "quantity");
  auto to = in.opt_i64("to_warehouse_id");
  if ((kind == "transfer") != to.has_value())
    throw unprocessable("supply.bad_transfer", "to_warehouse_id");
  Move m;
  m.item = item;
  m.counterpart = in.opt_str("counterpart", 80);
  m.risk_point_id = in.opt_i64("risk_point_id");
  m.emergency_id = in.opt_i64("emergency_id");
  m.note = in.opt_str("note", 300);
  if ((kind == "issue" || kind == "return") && (!m.counterpart || m.counterpart->empty()) &&
      !m.risk_point_id)
    throw unprocessable("supply.counterpart_required", "counterpart");
  if (kind == "write_off" && (!m.note || m.note->empty()))
    throw unprocessable("supply.reason_required", "note");
  return db_.write([&](Tx& tx) {
    auto w = load_warehouse(tx, p, warehouse_id);
    api::require_in_scope(p, "supply.manage", w.str("path"));
    if (!tx.query_one("SELECT 1 AS x FROM supply_items WHERE code = $1", item))
      throw unprocessable("supply.bad_item", "item");
    if (m.risk_point_id) {
      auto rp = tx.query_one("SELECT path FROM risk_points WHERE id = $1", *m.risk_point_id);
      if (!rp || !on_line(p, "emergency.read", rp->str("path")))
        throw unprocessable("supply.bad_risk_point", "risk_point_id");
    }
    std::optional<Row> em;
    if (m.emergency_id) {
      em = emergency_row(tx, *m.emergency_id);
      if (!em || !on_line(p, "emergency.read", em->str("path")))
        throw unprocessable("supply.bad_emergency", "emergency_id");
    }
    std::optional<Row> dest;
    if (to) {
      if (*to == warehouse_id) throw unprocessable("supply.bad_transfer", "to_warehouse_id");
      dest = warehouse(tx, *to);
      if (!dest || !api::in_scope(p, "supply.manage", dest->str("path")))
        throw unprocessable("supply.bad_transfer", "to_warehouse_id");
    }
    Millis now = now_ms();
    bool in_flow = kind == "receive" || kind == "return";
    m.kind = kind == "transfer" ? "transfer_out" : kind;
    m.warehouse_id = warehouse_id;
    m.quantity = in_flow ? quantity : -quantity;
    auto balance = apply(tx, warehouse_id, item, m.quantity);
    if (!balance) throw conflict("supply.insufficient");
    m.balance = *balance;
    json::array ids;
    auto first = append(tx, m, p.user_id, now);
    ids.push_back(first);
    auto notify = low_stock(tx, w, item);
    if (dest) {
      tx.exec("UPDATE supply_movements SET transfer_id = $1 WHERE id = $1", first);
      Move back = m;
      back.kind = "transfer_in";
      back.warehouse_id = *to;
      back.quantity = quantity;
      back.transfer_id = first;
      back.balance = *apply(tx, *to, item, quantity);
      ids.push_back(append(tx, back, p.user_id, now));
      for (auto& n : low_stock(tx, *dest, item)) notify.push_back(std::move(n));
    }
    audit::append(tx, actor,
                  {"supply." + kind, "warehouse", std::to_string(warehouse_id), std::nullopt,
                   json::serialize(json::object{{"item", item}, {"quantity", quantity}})});
    events_.emit(tx, {"supply.moved", "warehouse", warehouse_id, actor, w.str("path"), std::nullopt,
                      json::object{{"item", item}, {"notify", std::move(notify)}}});
    if (em)
      log(tx, em->i64("id"), now, "supply", std::nullopt, p.user_id,
          {{"item", item}, {"kind", m.kind}, {"quantity", quantity}, {"warehouse", w.str("name")}});
    // The boards of the active emergencies whose stores these are show it.
    for (const auto* store : {&w, dest ? &*dest : nullptr}) {
      if (!store) continue;
      for (const auto& e : tx.query(
               "SELECT id FROM emergencies WHERE status = 'active' AND (path LIKE $1 || '%' OR $1 "
               "LIKE path || '%')",
               store->str("path")))
        if (!em || e.i64("id") != em->i64("id"))
          changed(tx, events_, actor, *emergency_row(tx, e.i64("id")), "supply");
    }
    if (em) changed(tx, events_, actor, *em, "supply");
    json::array written;
    for (const auto& id : ids)
      written.push_back(movement_view(
          *tx.query_one("SELECT m.*, i.name_zh, i.name_en, u.display_name FROM supply_movements m "
                        "JOIN supply_items i ON i.code = m.item LEFT JOIN users u ON u.id = "
                        "m.user_id WHERE m.id = $1",
                        id.as_int64()),
          lang));
    return json::object{{"movements", std::move(written)},
                        {"stock", stock_of(tx, warehouse_id, lang)}};
  });
}

api::Listed Supplies::movements(const api::Principal& p, std::int64_t warehouse_id,
                                const std::optional<std::string>& item, const api::Page& page,
                                Lang lang) const {
  return db_.read([&](Tx& tx) {
    load_warehouse(tx, p, warehouse_id);
    api::ListQuery l(
        "supply_movements m JOIN supply_items i ON i.code = m.item LEFT JOIN users u ON u.id = "
        "m.user_id");
    l.where("m.warehouse_id = ?", {warehouse_id}).where_if("m.item = ?", item);
    l.sort({{"id", "m.id"}}, std::nullopt, "-id").page(page);
    auto found = l.rows(tx, "m.*, i.name_zh, i.name_en, u.display_name");
    json::array items;
    for (const auto& r : found.rows) items.push_back(movement_view(r, lang));
    return api::Listed{std::move(items), found.total};
  });
}

json::object Supplies::set_threshold(const api::Principal& p, const api::Actor& actor,
                                     std::int64_t warehouse_id, const std::string& item,
                                     const std::string& body) const {
  JsonInput in(body, {"low_at"});
  auto low_at = in.i64("low_at");
  if (low_at < 0 || low_at > 1000000) throw unprocessable("supply.bad_quantity", "low_at");
  return db_.write([&](Tx& tx) {
    auto w = load_warehouse(tx, p, warehouse_id);
    api::require_in_scope(p, "supply.manage", w.str("path"));
    if (!tx.query_one("SELECT 1 AS x FROM supply_items WHERE code = $1", item))
      throw not_found("supply.bad_item");
    tx.exec(
        "INSERT INTO supply_stock (warehouse_id, item, quantity) VALUES ($1, $2, 0) ON CONFLICT "
        "DO NOTHING",
        warehouse_id, item);
    tx.exec("UPDATE supply_stock SET low_at = $3 WHERE warehouse_id = $1 AND item = $2",
            warehouse_id, item, low_at);
    auto notify = low_stock(tx, w, item);
    if (!notify.empty())
      events_.emit(tx, {"supply.moved", "warehouse", warehouse_id, actor, w.str("path"),
                        std::nullopt, json::object{{"item", item}, {"notify", std::move(notify)}}});
    audit::append(tx, actor, {"supply.threshold", "warehouse", std::to_string(warehouse_id),
                              std::nullopt,
                              json::serialize(json::object{{"item", item}, {"low_at", low_at}})});
    return warehouse_view(tx, p, w, Lang::zh_CN);
  });
}

Verified verify_supplies(Tx& tx) {
  Verified out;
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> running;
  for (const auto& m : tx.query(
           "SELECT id, warehouse_id, item, kind, quantity, balance, transfer_id FROM "
           "supply_movements ORDER BY id")) {
    ++out.movements;
    auto& bal = running[{m.i64("warehouse_id"), m.str("item")}];
    bal += m.i64("quantity");
    auto id = std::to_string(m.i64("id"));
    if (bal != m.i64("balance"))
      out.faults.push_back("movement " + id + ": balance " + std::to_string(m.i64("balance")) +
                           ", the movements before it sum to " + std::to_string(bal));
    if (bal < 0) out.faults.push_back("movement " + id + ": the stock goes below zero");
    bool out_flow = m.i64("quantity") < 0;
    auto kind = m.str("kind");
    if ((kind == "receive" || kind == "return" || kind == "transfer_in") == out_flow)
      out.faults.push_back("movement " + id + ": " + kind + " with the wrong sign");
  }
  for (const auto& t : tx.query(
           "SELECT transfer_id, SUM(quantity) AS net, COUNT(*) AS n FROM supply_movements WHERE "
           "transfer_id IS NOT NULL GROUP BY transfer_id"))
    if (t.i64("n") != 2 || t.i64("net") != 0)
      out.faults.push_back("transfer " + std::to_string(t.i64("transfer_id")) +
                           ": not one side out and one in of the same quantity");
  for (const auto& s : tx.query("SELECT warehouse_id, item, quantity FROM supply_stock")) {
    ++out.stocks;
    auto it = running.find({s.i64("warehouse_id"), s.str("item")});
    auto sum = it == running.end() ? 0 : it->second;
    if (sum != s.i64("quantity"))
      out.faults.push_back("warehouse " + std::to_string(s.i64("warehouse_id")) + " " +
                           s.str("item") + ": stock " + std::to_string(s.i64("quantity")) +
                           ", movements sum to " + std::to_string(sum));
  }
  return out;
}

}  // namespace xh::emergencies
