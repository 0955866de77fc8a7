// The roster import's commands: the file is read and every row checked, then
// (for an import of a clean file) written through the places and people
// modules' functions, in one transaction.
#include "imports/imports.h"

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <tuple>

#include "api/scope.h"
#include "audit/audit.h"
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

struct RowError {
  std::size_t row;     // as numbered in the file: the header is row 1
  std::string column;  // the column's header, e.g. "身份证号"
  std::string code;    // message key, e.g. "resident.bad_id_number"
};

struct Counts {
  std::int64_t rows = 0, compounds = 0, buildings = 0, units = 0, households = 0, residents = 0,
               memberships = 0, updated = 0;
};

// What a roster found already registered (matched by code or name).
struct Matched {
  std::int64_t compounds = 0, buildings = 0, units = 0, households = 0, residents = 0;
};

struct RosterResult {
  bool dry_run;
  bool imported;  // false for a dry run and for a refused file
  std::vector<RowError> errors;
  Counts created;  // of a dry run: what the import would create
  Matched matched;
};

// The report lists the first errors (what a person fixes in one go) and
// counts them all.
constexpr std::size_t kErrorsListed = 200;

json::object to_json(const RosterResult& r, Lang lang) {
  json::array errors;
  for (std::size_t i = 0; i < r.errors.size() && i < kErrorsListed; ++i) {
    const auto& e = r.errors[i];
    // A header is echoed only as far as a header can be long.
    errors.push_back({{"row", e.row}, {"column", std::string(utf8_prefix(e.column, 60))},
                      {"code", e.code}, {"message", message(e.code, lang)}});
  }
  const Counts& c = r.created;
  return {{"dry_run", r.dry_run},
          {"imported", r.imported},
          {"valid", r.errors.empty()},
          {"errors", errors},
          {"error_count", r.errors.size()},
          {"created", {{"rows", c.rows}, {"compounds", c.compounds}, {"buildings", c.buildings},
                       {"units", c.units}, {"households", c.households},
                       {"residents", c.residents}, {"memberships", c.memberships},
                       {"updated", c.updated}}},
          {"matched", {{"compounds", r.matched.compounds}, {"buildings", r.matched.buildings},
                       {"units", r.matched.units}, {"households", r.matched.households},
                       {"residents", r.matched.residents}}}};
}

// One cleaned row, ready to write.
struct Row {
  std::size_t line;
  std::string grid, compound, building, unit, room;
  std::optional<std::int64_t> grid_id;
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

// The live grid of the community with this name, if any.
using GridLookup = std::function<std::optional<std::int64_t>(const std::string& name)>;

Parsed parse(const Table& table, const std::string& community_name, const GridLookup& grid_of) {
  Parsed out;
  out.rows.reserve(table.size());
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
    Row row{line,         get("网格"), get("小区"), get("楼栋"),  get("单元"),  get("房号"),
            std::nullopt, std::nullopt, get("姓名"), "",          std::nullopt, std::nullopt,
            {}};
    // The one text rule for every stored text applies to every cell.
    for (std::size_t k = 0; k < cells.size(); ++k)
      if (!clean_utf8(cells[k])) {
        auto name = std::find_if(col.begin(), col.end(), [&](const auto& c) { return c.second == k; });
        fail(name == col.end() ? "" : name->first.c_str(), "request.bad_text");
      }
    std::string community = get("社区");
    if (!community.empty() && community != community_name) fail("社区", "import.other_community");
    if (!row.grid.empty()) {
      row.grid_id = grid_of(row.grid);
      if (!row.grid_id) fail("网格", "import.unknown_grid");
    }
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

// Finds or creates the place `name` of `kind` under `parent`, caching by
// key. A roster names places the way people write them: by code
// ("NC-QX-C1-B1"), as registered ("泉星花园1号楼"), or short, within their
// parent ("1号楼", "1单元", "101"). Each is looked for in those forms; a new
// one is registered in the full form the street uses (the parent's name
// before its own, "…101室" for a home).
// Writing the rows, or only planning them (the dry run: what would be
// created and matched, found by reads alone, with no lock held).
enum class Mode { write, plan };

class PlaceCache {
 public:
  PlaceCache(Tx& tx, const api::EventBus& events, const api::Actor& actor, Counts& counts, Mode mode)
      : tx_(tx), events_(events), actor_(actor), counts_(counts), mode_(mode) {}

  // The place's id; in a plan, a negative one for a place still to create.
  std::int64_t get(std::int64_t parent, const std::string& kind, const std::string& name,
                   const places::PlaceFields& fields, std::int64_t& created, std::int64_t& matched) {
    auto key = std::to_string(parent) + "/" + name;
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::string full = full_name(parent, kind, name);
    std::optional<places::Place> found;
    if (parent > 0) {  // under a place still to create there is nothing to find
      found = places::find_child(tx_, parent, kind, name);
      if (!found && full != name) found = places::find_child(tx_, parent, kind, full);
      if (!found)
        if (auto by_code = places::find_by_code(tx_, name);
            by_code && by_code->parent_id == parent && by_code->kind == kind && !by_code->archived_at)
          found = by_code;
    }
    std::int64_t id;
    if (found) {
      id = found->id;
      ++matched;
      // A building without a grid gets the one the roster names.
      if (fields.grid_id && kind == "building" && !found->grid_id) {
        if (mode_ == Mode::write) {
          places::PlaceFields f;
          f.grid_id = fields.grid_id;
          places::update_unchecked(tx_, events_, actor_, id, f);
        }
        ++counts_.updated;
      }
    } else if (mode_ == Mode::plan) {
      id = --planned_;
      names_[id] = full;
      ++created;
    } else {
      places::NewPlace np{parent, kind, fields};
      np.fields.name = full;
      id = places::create_unchecked(tx_, events_, actor_, np).id;
      ++created;
    }
    cache_[key] = id;
    return id;
  }

 private:
  // "1号楼" under 泉星花园 → "泉星花园1号楼"; "101" under 泉星花园1号楼1单元 →
  // "泉星花园1号楼1单元101室"; a name that already starts with its parent's is kept.
  std::string full_name(std::int64_t parent, const std::string& kind, const std::string& name) {
    if (kind == "compound") return name;
    auto it = names_.find(parent);
    if (it == names_.end()) it = names_.emplace(parent, places::find(tx_, parent)->name).first;
    const std::string& above = it->second;
    std::string full = name.rfind(above, 0) == 0 ? name : above + name;
    if (kind == "household" && !full.ends_with("室")) full += "室";
    return full;
  }

  Tx& tx_;
  const api::EventBus& events_;
  const api::Actor& actor_;
  Counts& counts_;
  Mode mode_;
  std::int64_t planned_ = 0;
  std::map<std::string, std::int64_t> cache_;
  std::map<std::int64_t, std::string> names_;
};

// Writes the rows (or, in a plan, counts what writing them would do).
void write_rows(Tx& tx, const FieldCipher& cipher, const api::EventBus& events,
                const api::Actor& actor, std::int64_t community, const std::vector<Row>& rows,
                Counts& counts, Matched& matched, Mode mode = Mode::write) {
  PlaceCache places_cache(tx, events, actor, counts, mode);
  for (const auto& row : rows) {
    places::PlaceFields building_fields, household_fields;
    building_fields.grid_id = row.grid_id;
    household_fields.area_centi_m2 = row.area;
    auto compound =
        places_cache.get(community, "compound", row.compound, {}, counts.compounds, matched.compounds);
    auto building = places_cache.get(compound, "building", row.building, building_fields,
                                     counts.buildings, matched.buildings);
    auto unit = places_cache.get(building, "unit", row.unit, {}, counts.units, matched.units);
    auto household = places_cache.get(unit, "household", row.room, household_fields,
                                      counts.households, matched.households);
    bool planned_home = household < 0;
    // A home created above has its area; one already there may have another.
    if (row.area && !planned_home && places::find(tx, household)->area_centi_m2 != row.area) {
      if (mode == Mode::write) places::update_unchecked(tx, events, actor, household, household_fields);
      ++counts.updated;
    }
    std::optional<std::int64_t> resident =
        row.id_number  ? people::find_by_id_number(tx, cipher, *row.id_number)
        : planned_home ? std::nullopt
                       : people::find_unidentified(tx, household, row.name);
    if (!resident) {
      if (mode == Mode::write)
        people::create_unchecked(
            tx, cipher, actor,
            {{row.name, row.id_number, row.phone}, household, row.relation, row.tags});
      ++counts.residents;
      ++counts.memberships;
      continue;
    }
    ++matched.residents;
    if (mode == Mode::plan) {
      // A registered person joins a new home; whether one already there is
      // new to them is known only when written.
      if (planned_home) ++counts.memberships;
      continue;
    }
    if (people::add_membership_unchecked(tx, *resident, household, row.relation))
      ++counts.memberships;
    for (const auto& t : row.tags)
      if (people::add_tag_unchecked(tx, *resident, t)) ++counts.updated;
  }
}

Table read_table(const std::string& format, std::string_view file) {
  if (format != "csv" && format != "xlsx") throw bad_request("request.bad_format", format);
  if (file.empty()) throw unprocessable("import.empty_file");
  try {
    return format == "csv" ? read_csv(file) : read_xlsx(file);
  } catch (const TableLimit& e) {
    throw unprocessable(e.code);
  } catch (const std::invalid_argument&) {
    throw unprocessable(format == "csv" ? "import.bad_csv" : "import.bad_xlsx");
  }
}

// The community to import into: live, and in the caller's import.run scope.
// An import does only what its caller could do one row at a time: it creates
// places (place.write) and residents (resident.write) there.
places::Place community_for(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto community = places::find(tx, id);
  if (!community || community->archived_at || community->kind != "community")
    throw unprocessable("import.bad_community", "community_id");
  for (const char* permission : {"import.run", "place.write", "resident.write"})
    api::require_in_scope(p, permission, community->path);
  return *community;
}

// The rows of `table` that may be written, and the errors of all the others.
// `table` is taken over and let go once parsed: the rows are held once.
Parsed check(Tx& tx, const FieldCipher& cipher, const api::Principal& p,
             const places::Place& community, Table table) {
  std::map<std::string, std::optional<std::int64_t>> grids;
  Parsed parsed = parse(table, community.name, [&](const std::string& name) {
    auto it = grids.find(name);
    if (it == grids.end()) {
      auto grid = places::find_child(tx, community.id, "grid", name);
      it = grids.emplace(name, grid ? std::optional(grid->id) : std::nullopt).first;
    }
    return it->second;
  });
  Table().swap(table);
  // A national ID already registered only outside this community belongs to
  // someone the importer may not see: refuse the row rather than attach them.
  // Special-care tags only from who may set them on a resident (resident.care).
  bool may_tag = api::in_scope(p, "resident.care", community.path);
  // The rows refused here leave the list in place (no second copy of it).
  std::erase_if(parsed.rows, [&](const Row& row) {
    if (!row.tags.empty() && !may_tag) {
      parsed.errors.push_back({row.line, "特殊关怀", "import.care_not_permitted"});
      return true;
    }
    if (row.id_number) {
      auto existing = people::find_by_id_number(tx, cipher, *row.id_number);
      if (existing && !people::registered_under(tx, *existing, community.path)) {
        parsed.errors.push_back({row.line, "身份证号", "import.resident_elsewhere"});
        return true;
      }
    }
    return false;
  });
  std::sort(parsed.errors.begin(), parsed.errors.end(),
            [](const RowError& a, const RowError& b) { return a.row < b.row; });
  return parsed;
}

}  // namespace

json::object Imports::check_roster(const api::Principal& p, std::int64_t community_id,
                                   const std::string& format, std::string_view file,
                                   Lang lang) const {
  api::require(p, "import.run");
  Table table = read_table(format, file);
  // A clean roster is planned: what the import would create and what it
  // matched, found by reads alone.
  return db_.read([&](Tx& tx) {
    Parsed parsed = check(tx, cipher_, p, community_for(tx, p, community_id), std::move(table));
    RosterResult result{true, false, std::move(parsed.errors), {}, {}};
    result.created.rows = static_cast<std::int64_t>(parsed.rows.size());
    if (result.errors.empty())
      write_rows(tx, cipher_, events_, api::Actor::system("import.dry_run"), community_id,
                 parsed.rows, result.created, result.matched, Mode::plan);
    return to_json(result, lang);
  });
}

json::object Imports::import_roster(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t community_id, const std::string& format,
                                    std::string_view file, Lang lang) const {
  api::require(p, "import.run");
  Table table = read_table(format, file);
  return db_.write([&](Tx& tx) {
    Parsed parsed = check(tx, cipher_, p, community_for(tx, p, community_id), std::move(table));
    RosterResult result{false, false, std::move(parsed.errors), {}, {}};
    result.created.rows = static_cast<std::int64_t>(parsed.rows.size());
    if (!result.errors.empty()) return to_json(result, lang);
    write_rows(tx, cipher_, events_, actor, community_id, parsed.rows, result.created,
               result.matched);
    audit::append(tx, actor, {"import.roster", "place", std::to_string(community_id), std::nullopt,
                              json::serialize(to_json(result, Lang::zh_CN).at("created"))});
    result.imported = true;
    return to_json(result, lang);
  });
}

}  // namespace xh::imports
