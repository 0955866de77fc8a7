#include "places/places.h"

#include <boost/json.hpp>

#include <map>
#include <set>

#include "core/error.h"

namespace xh::places {

namespace json = boost::json;
using storage::Tx;

namespace {

constexpr const char* kColumns =
    "id, parent_id, kind, name, code, path, created_at, updated_at";

Place from_row(const storage::Row& r) {
  return {r.i64(0), r.opt_i64(1), r.str(2), r.str(3), r.opt_str(4), r.str(5), r.i64(6), r.i64(7)};
}

std::optional<Place> find(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(std::string("SELECT ") + kColumns +
                            " FROM places WHERE id = $1 AND archived_at IS NULL",
                        id);
  if (!r) return std::nullopt;
  return from_row(*r);
}

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void check_name(const std::string& name) {
  if (name.empty() || utf8_length(name) > 100) throw unprocessable("place.bad_name", "name");
}

void check_code(const std::optional<std::string>& code) {
  if (code && (code->empty() || code->size() > 64)) throw unprocessable("place.bad_code", "code");
}

std::string audit_json(const Place& p) { return json::serialize(to_json(p)); }

}  // namespace

json::object to_json(const Place& p) {
  json::object o{{"id", p.id},     {"kind", p.kind},       {"name", p.name},
                 {"path", p.path}, {"created_at", p.created_at}, {"updated_at", p.updated_at}};
  o["parent_id"] = p.parent_id ? json::value(*p.parent_id) : json::value(nullptr);
  o["code"] = p.code ? json::value(*p.code) : json::value(nullptr);
  return o;
}

bool kind_allowed_under(const std::string& parent, const std::string& child) {
  static const std::map<std::string, std::set<std::string>> children = {
      {"street", {"community"}},
      {"community", {"grid", "compound"}},
      {"grid", {"micro_grid"}},
      {"micro_grid", {}},
      {"compound", {"building"}},
      {"building", {"unit"}},
      {"unit", {"household"}},
      {"household", {}},
  };
  auto it = children.find(parent);
  return it != children.end() && it->second.count(child) > 0;
}

Place create_unchecked(Tx& tx, const audit::Actor& actor, const NewPlace& in) {
  check_name(in.name);
  check_code(in.code);
  std::string parent_path = "/";
  if (in.parent_id) {
    auto parent = find(tx, *in.parent_id);
    if (!parent) throw unprocessable("place.parent_not_found", "parent_id");
    if (!kind_allowed_under(parent->kind, in.kind)) throw unprocessable("place.bad_kind", "kind");
    parent_path = parent->path;
  } else if (in.kind != "street") {
    throw unprocessable("place.bad_kind", "kind");
  }
  Millis now = now_ms();
  std::int64_t id;
  try {
    id = tx.query_one(
               "INSERT INTO places (parent_id, kind, name, code, path, created_at, updated_at) "
               "VALUES ($1, $2, $3, $4, '', $5, $5) RETURNING id",
               in.parent_id, in.kind, in.name, in.code, now)
             ->i64(0);
  } catch (const storage::UniqueViolation&) {
    throw conflict("place.code_taken", "code");
  }
  tx.exec("UPDATE places SET path = $2 WHERE id = $1", id, parent_path + std::to_string(id) + "/");
  Place p = *find(tx, id);
  audit::append(tx, actor, {"place.create", "place", std::to_string(id), std::nullopt, audit_json(p)});
  return p;
}

Place create(storage::Database& db, const auth::Principal& p, const audit::Actor& actor,
             const NewPlace& in) {
  auth::require(p, "place.write");
  if (!in.parent_id) throw unprocessable("request.missing_field", "parent_id");
  return db.write([&](Tx& tx) {
    auto parent = find(tx, *in.parent_id);
    if (!parent) throw unprocessable("place.parent_not_found", "parent_id");
    auth::require_in_scope(p, "place.write", parent->path);
    return create_unchecked(tx, actor, in);
  });
}

Place get(storage::Database& db, const auth::Principal& p, std::int64_t id) {
  auth::require(p, "place.read");
  return db.read([&](Tx& tx) {
    auto place = find(tx, id);
    if (!place) throw not_found("place.not_found");
    auth::require_in_scope(p, "place.read", place->path);
    return *place;
  });
}

ListResult list(storage::Database& db, const auth::Principal& p, const ListQuery& q) {
  // Sort keys map to fixed SQL; caller text never reaches the statement.
  static const std::map<std::string, std::string> sorts = {
      {"id", "id"}, {"name", "name"}, {"code", "code"}, {"created_at", "created_at"}};
  bool desc = !q.sort.empty() && q.sort[0] == '-';
  auto sort = sorts.find(desc ? q.sort.substr(1) : q.sort);
  if (sort == sorts.end()) throw bad_request("request.bad_sort", q.sort);
  if (q.limit < 1 || q.limit > 500) throw bad_request("request.bad_limit");
  if (q.offset < 0) throw bad_request("request.bad_offset");

  std::string where = " FROM places WHERE archived_at IS NULL";
  std::vector<storage::Param> params;
  auth::append_scope_condition(p, "place.read", "path", where, params);
  auto add = [&](const std::string& cond, storage::Param v) {
    params.push_back(std::move(v));
    std::string n = "$" + std::to_string(params.size());
    std::string c = cond;
    for (std::size_t pos; (pos = c.find('?')) != std::string::npos;) c.replace(pos, 1, n);
    where += " AND " + c;
  };
  if (q.parent_id) add("parent_id = ?", *q.parent_id);
  if (q.kind) add("kind = ?", *q.kind);
  if (q.q && !q.q->empty())
    add("(name LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\')", "%" + storage::escape_like(*q.q) + "%");

  return db.read([&](Tx& tx) {
    ListResult out{{}, tx.query_one_v("SELECT COUNT(*)" + where, params)->i64(0)};
    auto page = params;
    page.push_back(static_cast<std::int64_t>(q.limit));
    page.push_back(static_cast<std::int64_t>(q.offset));
    std::string sql = std::string("SELECT ") + kColumns + where + " ORDER BY " + sort->second +
                      (desc ? " DESC" : "") + ", id LIMIT $" + std::to_string(page.size() - 1) +
                      " OFFSET $" + std::to_string(page.size());
    for (const auto& r : tx.query_v(sql, page)) out.items.push_back(from_row(r));
    return out;
  });
}

Place update(storage::Database& db, const auth::Principal& p, const audit::Actor& actor,
             std::int64_t id, const PlacePatch& patch) {
  auth::require(p, "place.write");
  return db.write([&](Tx& tx) {
    auto before = find(tx, id);
    if (!before) throw not_found("place.not_found");
    auth::require_in_scope(p, "place.write", before->path);
    if (patch.name) check_name(*patch.name);
    check_code(patch.code);
    try {
      tx.exec("UPDATE places SET name = $2, code = $3, updated_at = $4 WHERE id = $1", id,
              patch.name.value_or(before->name), patch.code ? patch.code : before->code, now_ms());
    } catch (const storage::UniqueViolation&) {
      throw conflict("place.code_taken", "code");
    }
    Place after = *find(tx, id);
    audit::append(tx, actor, {"place.update", "place", std::to_string(id), audit_json(*before),
                              audit_json(after)});
    return after;
  });
}

}  // namespace xh::places
