#include "imports/roster.h"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <tuple>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "imports/tabular.h"
#include "people/identity.h"
#include "people/people.h"
#include "places/places.h"

namespace xh::imports {

namespace json = boost::json;
using storage::Tx;

const std::vector<std::string>& roster_columns() {
  static const std::vector<std::string> cols = {"社区", "网格", "小区", "楼栋", "单元", "房号",
                                                "专有面积(㎡)", "姓名", "身份证号", "手机号",
                                                "与户关系", "特殊关怀"};
  return cols;
}

namespace {

// One cleaned row, ready to write.
struct Row {
  std::size_t line;
  std::string grid, compound, building, unit, room;
  std::optional<std::int64_t> area;
  std::string name, relation;
  std::optional<std::string> id_number, phone;
  std::vector<std::string> tags;
};

const std::map<std::string, std::string>& relations() {
  static const std::map<std::string, std::string> r = {
      {"业主", "owner"}, {"产权人", "owner"}, {"租户", "tenant"}, {"承租人", "tenant"},
      {"家庭成员", "family"}, {"家属", "family"}, {"户主", "owner"}};
  return r;
}


std::vector<std::string> split_tags(const std::string& cell) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < cell.size();) {
    // Separators: ; , 、 ； ，
    if (cell[i] == ';' || cell[i] == ',' || cell[i] == ' ') { flush(); ++i; continue; }
    if (cell.compare(i, 3, "、") == 0 || cell.compare(i, 3, "；") == 0 || cell.compare(i, 3, "，") == 0) {
      flush();
      i += 3;
      continue;
    }
    cur += cell[i++];
  }
  flush();
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

struct Parsed {
  std::vector<Row> rows;
  std::vector<RowError> errors;
};

Parsed parse(const Table& table, const std::string& community_name,
             const std::set<std::string>& grids) {
  Parsed out;
  if (table.empty()) {
    out.errors.push_back({1, "", "import.empty_file"});
    return out;
  }
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < table[0].size(); ++i) col[table[0][i]] = i;
  for (const char* required : {"小区", "楼栋", "单元", "房号", "姓名", "与户关系"})
    if (!col.count(required)) out.errors.push_back({1, required, "import.missing_column"});
  for (const auto& [name, i] : col)
    if (!name.empty() && std::find(roster_columns().begin(), roster_columns().end(), name) ==
                             roster_columns().end())
      out.errors.push_back({1, name, "import.unknown_column"});
  if (!out.errors.empty()) return out;

  std::map<std::string, std::size_t> seen_ids;
  for (std::size_t r = 1; r < table.size(); ++r) {
    const auto& cells = table[r];
    auto get = [&](const char* name) -> std::string {
      auto it = col.find(name);
      return it != col.end() && it->second < cells.size() ? cells[it->second] : "";
    };
    bool blank = true;
    for (const auto& c : cells) blank = blank && c.empty();
    if (blank) continue;
    std::size_t line = r + 1;
    std::size_t before = out.errors.size();
    auto fail = [&](const char* column, const char* code) { out.errors.push_back({line, column, code}); };
    Row row{line, get("网格"), get("小区"), get("楼栋"), get("单元"), get("房号"), std::nullopt,
            get("姓名"), "", std::nullopt, std::nullopt, {}};
    std::string community = get("社区");
    if (!community.empty() && community != community_name) fail("社区", "import.other_community");
    if (!row.grid.empty() && !grids.count(row.grid)) fail("网格", "import.unknown_grid");
    // The same limits as the commands apply: 100 characters for a place, 50 for a name.
    for (auto [column, value, max] : {std::tuple{"小区", &row.compound, 100}, {"楼栋", &row.building, 100},
                                      {"单元", &row.unit, 100}, {"房号", &row.room, 100},
                                      {"姓名", &row.name, 50}})
      if (value->empty()) fail(column, "import.required");
      else if (utf8_length(*value) > static_cast<std::size_t>(max)) fail(column, "request.field_too_long");
    if (std::string area = get("专有面积(㎡)"); !area.empty()) {
      row.area = places::parse_area(area);
      if (!row.area) fail("专有面积(㎡)", "place.bad_area");
    }
    if (std::string id = get("身份证号"); !id.empty()) {
      auto parsed = people::parse_national_id(id);
      if (!parsed) {
        fail("身份证号", "resident.bad_id_number");
      } else {
        row.id_number = parsed->number;
        auto [it, fresh] = seen_ids.emplace(parsed->number, line);
        if (!fresh) fail("身份证号", "import.duplicate_id_number");
      }
    }
    if (std::string phone = get("手机号"); !phone.empty()) {
      row.phone = people::parse_phone(phone);
      if (!row.phone) fail("手机号", "resident.bad_phone");
    }
    auto rel = relations().find(get("与户关系"));
    if (rel == relations().end()) fail("与户关系", "resident.bad_relation");
    else row.relation = rel->second;
    row.tags = split_tags(get("特殊关怀"));
    for (const auto& t : row.tags)
      if (std::find(people::care_tags().begin(), people::care_tags().end(), t) ==
          people::care_tags().end()) {
        fail("特殊关怀", "resident.bad_tag");
        break;
      }
    if (out.errors.size() == before) out.rows.push_back(std::move(row));
  }
  if (out.rows.empty() && out.errors.empty()) out.errors.push_back({2, "", "import.empty_file"});
  return out;
}

// Finds or creates the place `name` of `kind` under `parent`, caching by key.
class PlaceCache {
 public:
  PlaceCache(Tx& tx, const api::EventBus& events, const api::Actor& actor, Counts& counts)
      : tx_(tx), events_(events), actor_(actor), counts_(counts) {}

  std::int64_t get(std::int64_t parent, const std::string& kind, const std::string& name,
                   const std::optional<std::int64_t>& grid_id, std::int64_t& counter) {
    auto key = std::to_string(parent) + "/" + name;
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::int64_t id;
    if (auto found = places::find_child(tx_, parent, kind, name)) {
      id = found->id;
      // A building without a grid gets the one the roster names.
      if (grid_id && kind == "building" && !found->grid_id) {
        places::PlaceFields f;
        f.grid_id = grid_id;
        places::update_unchecked(tx_, events_, actor_, id, f);
        ++counts_.updated;
      }
    } else {
      places::NewPlace np{parent, kind, {}};
      np.fields.name = name;
      if (kind == "building") np.fields.grid_id = grid_id;
      id = places::create_unchecked(tx_, events_, actor_, np).id;
      ++counter;
    }
    cache_[key] = id;
    return id;
  }

 private:
  Tx& tx_;
  const api::EventBus& events_;
  const api::Actor& actor_;
  Counts& counts_;
  std::map<std::string, std::int64_t> cache_;
};

void write_rows(Tx& tx, const Services& s, const FieldCipher& cipher, const api::Actor& actor, std::int64_t community,
                const std::map<std::string, std::int64_t>& grids, const std::vector<Row>& rows,
                Counts& counts) {
  PlaceCache places_cache(tx, s.events, actor, counts);
  for (const auto& row : rows) {
    std::optional<std::int64_t> grid;
    if (!row.grid.empty()) grid = grids.at(row.grid);
    auto compound = places_cache.get(community, "compound", row.compound, std::nullopt, counts.compounds);
    auto building = places_cache.get(compound, "building", row.building, grid, counts.buildings);
    auto unit = places_cache.get(building, "unit", row.unit, std::nullopt, counts.units);
    auto households_before = counts.households;
    auto household = places_cache.get(unit, "household", row.room, std::nullopt, counts.households);
    if (row.area) {
      auto cur = tx.query_one("SELECT area_centi_m2 FROM places WHERE id = $1", household);
      if (cur->opt_i64(0) != row.area) {
        tx.exec("UPDATE places SET area_centi_m2 = $2 WHERE id = $1", household, *row.area);
        if (counts.households == households_before) ++counts.updated;  // a change, not a new home
      }
    }
    std::optional<std::int64_t> resident;
    if (row.id_number) {
      resident = people::find_by_id_number(tx, cipher, *row.id_number);
    } else {
      // Without an ID number, the same name in the same household is the same person.
      auto r = tx.query_one(
          "SELECT r.id FROM residents r JOIN household_members m ON m.resident_id = r.id WHERE "
          "m.household_id = $1 AND r.name = $2 AND r.id_number_index IS NULL",
          household, row.name);
      if (r) resident = r->i64(0);
    }
    if (!resident) {
      resident = people::create_unchecked(
          tx, cipher, actor, {{row.name, row.id_number, row.phone}, household, row.relation, row.tags});
      ++counts.residents;
      ++counts.memberships;
      continue;
    }
    if (!tx.query_one("SELECT 1 FROM household_members WHERE household_id = $1 AND resident_id = $2",
                      household, *resident)) {
      people::add_membership_unchecked(tx, *resident, household, row.relation);
      ++counts.memberships;
    }
    for (const auto& t : row.tags)
      if (!tx.query_one("SELECT 1 FROM resident_tags WHERE resident_id = $1 AND tag = $2", *resident, t)) {
        tx.exec("INSERT INTO resident_tags (resident_id, tag, created_at) VALUES ($1, $2, $3)",
                *resident, t, now_ms());
        ++counts.updated;
      }
  }
}

}  // namespace

RosterResult import_roster(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t community_id, const std::string& format,
                           std::string_view file, bool dry_run) {
  api::require(p, "import.run");
  if (format != "csv" && format != "xlsx") throw bad_request("request.bad_format", format);
  if (file.empty()) throw unprocessable("import.empty_file");
  Table table;
  try {
    table = format == "csv" ? read_csv(file) : read_xlsx(file);
  } catch (const std::invalid_argument&) {
    throw unprocessable(format == "csv" ? "import.bad_csv" : "import.bad_xlsx");
  }
  auto run = [&](Tx& tx) {
    auto community = tx.query_one(
        "SELECT path, name, kind FROM places WHERE id = $1 AND archived_at IS NULL", community_id);
    if (!community || community->str(2) != "community")
      throw unprocessable("import.bad_community", "community_id");
    api::require_in_scope(p, "import.run", community->str(0));
    std::map<std::string, std::int64_t> grids;
    std::set<std::string> grid_names;
    for (const auto& g : tx.query(
             "SELECT id, name FROM places WHERE parent_id = $1 AND kind = 'grid' AND archived_at IS NULL",
             community_id)) {
      grids[g.str(1)] = g.i64(0);
      grid_names.insert(g.str(1));
    }
    Parsed parsed = parse(table, community->str(1), grid_names);
    // A national ID already registered only outside this community belongs to
    // someone the importer may not see: refuse the row rather than attach them.
    std::string upper = community->str(0);
    upper.back() = '0';
    std::vector<Row> kept;
    for (auto& row : parsed.rows) {
      if (row.id_number) {
        auto existing = people::find_by_id_number(tx, s.cipher, *row.id_number);
        if (existing && !tx.query_one("SELECT 1 FROM household_members WHERE resident_id = $1 AND "
                                      "path >= $2 AND path < $3",
                                      *existing, community->str(0), upper)) {
          parsed.errors.push_back({row.line, "身份证号", "import.resident_elsewhere"});
          continue;
        }
      }
      kept.push_back(std::move(row));
    }
    parsed.rows = std::move(kept);
    std::sort(parsed.errors.begin(), parsed.errors.end(),
              [](const RowError& a, const RowError& b) { return a.row < b.row; });
    RosterResult result{dry_run, false, std::move(parsed.errors), {}};
    result.created.rows = static_cast<std::int64_t>(parsed.rows.size());
    if (dry_run || !result.errors.empty()) return result;
    write_rows(tx, s, s.cipher, actor, community_id, grids, parsed.rows, result.created);
    audit::append(tx, actor, {"import.roster", "place", std::to_string(community_id), std::nullopt,
                              json::serialize(to_json(result, Lang::zh_CN).at("created"))});
    result.imported = true;
    return result;
  };
  return dry_run ? s.db.read(run) : s.db.write(run);
}

json::object to_json(const RosterResult& r, Lang lang) {
  json::array errors;
  for (const auto& e : r.errors)
    errors.push_back({{"row", e.row}, {"column", e.column}, {"code", e.code},
                      {"message", message(e.code, lang)}});
  const Counts& c = r.created;
  return {{"dry_run", r.dry_run},
          {"imported", r.imported},
          {"valid", r.errors.empty()},
          {"errors", errors},
          {"created", {{"rows", c.rows}, {"compounds", c.compounds}, {"buildings", c.buildings},
                       {"units", c.units}, {"households", c.households},
                       {"residents", c.residents}, {"memberships", c.memberships},
                       {"updated", c.updated}}}};
}

}  // namespace xh::imports
