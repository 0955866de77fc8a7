#include "api/export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <sstream>

#include "api/module.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"

namespace xh::api {

namespace json = boost::json;

namespace {

// What an item's field becomes in a cell.
ExportCell cell_of(const json::value* v, const ExportColumn& col, Lang lang) {
  if (!v || v->is_null()) return {};
  if (v->is_string()) {
    std::string_view s = v->as_string();
    if (col.values) return std::string(label_of(*col.values, s, lang));
    // ISO 8601 times of the API ("2026-12-01T19:10:15.523Z").
    if (s.size() >= 20 && s[10] == 'T')
      if (auto at = parse_w3c(s)) return ExportCell::of_time(*at);
    return std::string(s);
  }
  if (v->is_bool()) return std::string(lang == Lang::en ? (v->as_bool() ? "Yes" : "No") : (v->as_bool() ? "是" : "否"));
  if (v->is_int64()) return ExportCell::of_number(static_cast<double>(v->as_int64()));
  if (v->is_uint64()) return ExportCell::of_number(static_cast<double>(v->as_uint64()));
  if (v->is_double()) return ExportCell::of_number(v->as_double());
  if (v->is_array()) {
    std::string out;
    for (const auto& e : v->as_array()) {
      if (!out.empty()) out += lang == Lang::en ? "; " : "；";
      out += cell_of(&e, col, lang).text;
    }
    return out;
  }
  return json::serialize(*v);
}

// A cell a spreadsheet would run as a formula (or shift into another cell):
// one starting with = + - @, a tab or a CR — unless it is a plain number
// ("-30" stays a number).
bool formula_like(const std::string& cell) {
  if (cell.empty()) return false;
  char c = cell[0];
  if (c == '\t' || c == '\r' || c == '=' || c == '@') return true;
  if (c != '+' && c != '-') return false;
  return !parse_finite(cell) || cell.size() < 2 || !std::isdigit(static_cast<unsigned char>(cell[1]));
}

lxw_datetime lxw_of(Millis at) {
  std::time_t secs = static_cast<std::time_t>((at + kBeijingOffset) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
          static_cast<double>(tm.tm_sec)};
}

// Writes the workbook that `fill` builds into memory.
std::string workbook_bytes(const std::function<void(lxw_workbook*)>& fill) {
  char path[] = "/tmp/xh-export-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the export");
  ::close(fd);
  lxw_workbook* wb = workbook_new(path);
  fill(wb);
  lxw_error err = workbook_close(wb);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  ::unlink(path);
  if (err != LXW_NO_ERROR) throw std::runtime_error("xlsx export failed");
  return ss.str();
}

}  // namespace

ExportCell ExportCell::of_number(double v) {
  ExportCell c(plain_decimal(v));
  c.number = v;
  return c;
}

ExportCell ExportCell::of_time(Millis at) {
  ExportCell c(beijing_datetime(at));
  c.time = at;
  return c;
}

std::string beijing_datetime(Millis at) {
  lxw_datetime d = lxw_of(at);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day, d.hour,
                d.min, static_cast<int>(d.sec));
  return buf;
}

std::string to_csv(const std::vector<std::vector<ExportCell>>& rows) {
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::string cell = row[i].text;
      if (!row[i].number && !row[i].time && formula_like(cell)) cell = "'" + cell;
      bool quote = cell.find_first_of(",\"\r\n") != std::string::npos;
      if (i) out += ',';
      if (quote) {
        out += '"';
        for (char ch : cell) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        out += '"';
      } else {
        out += cell;
      }
    }
    out += "\r\n";
  }
  return out;
}

std::string to_csv(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<ExportCell>> cells;
  for (const auto& row : rows) cells.emplace_back(row.begin(), row.end());
  return to_csv(cells);
}

std::string to_xlsx(const std::vector<std::vector<ExportCell>>& rows, std::string_view sheet,
                    const std::vector<std::size_t>& text_columns) {
  return workbook_bytes([&](lxw_workbook* wb) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, std::string(sheet).c_str());
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format* when = workbook_add_format(wb);
    format_set_num_format(when, "yyyy-mm-dd hh:mm:ss");
    lxw_format* text = workbook_add_format(wb);
    format_set_num_format(text, "@");
    if (!rows.empty())
      worksheet_set_column(ws, 0, static_cast<lxw_col_t>(rows[0].size() - 1), 18, nullptr);
    for (auto col : text_columns)
      worksheet_set_column(ws, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), 22, text);
    for (std::size_t r = 0; r < rows.size(); ++r)
      for (std::size_t col = 0; col < rows[r].size(); ++col) {
        const ExportCell& cell = rows[r][col];
        auto row = static_cast<lxw_row_t>(r);
        auto column = static_cast<lxw_col_t>(col);
        bool as_text = std::find(text_columns.begin(), text_columns.end(), col) != text_columns.end();
        if (r == 0)
          worksheet_write_string(ws, row, column, cell.text.c_str(), bold);
        else if (cell.number)
          worksheet_write_number(ws, row, column, *cell.number, nullptr);
        else if (cell.time) {
          lxw_datetime d = lxw_of(*cell.time);
          worksheet_write_datetime(ws, row, column, &d, when);
        } else if (!cell.text.empty() || as_text)
          // An empty Text cell is written too, so that what is typed into it stays text.
          worksheet_write_string(ws, row, column, cell.text.c_str(), as_text ? text : nullptr);
      }
  });
}

std::string to_xlsx(const std::vector<std::vector<std::string>>& rows, std::string_view sheet,
                    const std::vector<std::size_t>& text_columns) {
  std::vector<std::vector<ExportCell>> cells;
  for (const auto& row : rows) cells.emplace_back(row.begin(), row.end());
  return to_xlsx(cells, sheet, text_columns);
}

namespace {

// The scope an export's name carries: the place the query narrows to, else
// the place of the caller's role ("place12"), "mine" for several.
std::string export_scope(const Call& c) {
  for (const char* key : {"place_id", "community_id"})
    if (auto v = c.query(key); v && !v->empty() &&
                               std::all_of(v->begin(), v->end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return "place" + *v;
  if (!c.principal || c.principal->grants.empty()) return "mine";
  std::int64_t place = c.principal->grants.front().place_id;
  for (const auto& g : c.principal->grants)
    if (g.place_id != place) return "mine";
  return "place" + std::to_string(place);
}

}  // namespace

http::Response list_response(Call& c, json::array items, std::optional<std::int64_t> total,
                             const std::vector<ExportColumn>& columns, std::string_view basename) {
  std::string format = c.format();
  if (format == "json") return list(std::move(items), total);
  std::vector<std::vector<ExportCell>> rows;
  std::vector<ExportCell> header;
  for (const auto& col : columns) header.emplace_back(std::string(c.lang == Lang::en ? col.en : col.zh));
  rows.push_back(std::move(header));
  for (const auto& item : items) {
    std::vector<ExportCell> row;
    for (const auto& col : columns) row.push_back(cell_of(item.as_object().if_contains(col.key), col, c.lang));
    rows.push_back(std::move(row));
  }
  if (c.recorder)
    c.recorder->record(c.actor(), {"export", std::string(basename), format,
                                   json::serialize(json::object{{"rows", items.size()}, {"query", c.req.path}})});
  http::Response r;
  if (format == "csv") {
    r.body = to_csv(rows);
    r.content_type = "text/csv; charset=utf-8";
  } else {
    r.body = to_xlsx(rows, basename);
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  std::string name = std::string(basename) + "-" + export_scope(c) + "-" +
                     beijing_datetime(now_ms()).substr(0, 10) + "." + format;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return r;
}

}  // namespace xh::api
