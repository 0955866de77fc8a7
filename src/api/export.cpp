#include "api/export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <boost/json.hpp>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "api/module.h"
#include "core/error.h"
#include "core/json_input.h"

namespace xh::api {

namespace json = boost::json;

namespace {

std::string cell_text(const json::value* v, const ExportColumn& col, Lang lang) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) {
    std::string_view s = v->as_string();
    return std::string(col.values ? label_of(*col.values, s, lang) : s);
  }
  if (v->is_bool()) return lang == Lang::en ? (v->as_bool() ? "Yes" : "No") : (v->as_bool() ? "是" : "否");
  if (v->is_array()) {
    std::string out;
    for (const auto& e : v->as_array()) {
      if (!out.empty()) out += lang == Lang::en ? "; " : "；";
      out += cell_text(&e, col, lang);
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

}  // namespace

std::string to_csv(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "\xEF\xBB\xBF";
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::string cell = row[i];
      if (formula_like(cell)) cell = "'" + cell;
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

std::string to_xlsx(const std::vector<std::vector<std::string>>& rows, std::string_view sheet) {
  char path[] = "/tmp/xh-export-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the export");
  ::close(fd);
  lxw_workbook* wb = workbook_new(path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, std::string(sheet).c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t col = 0; col < rows[r].size(); ++col)
      worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(col),
                             rows[r][col].c_str(), r == 0 ? bold : nullptr);
  if (!rows.empty()) worksheet_set_column(ws, 0, static_cast<lxw_col_t>(rows[0].size() - 1), 16, nullptr);
  lxw_error err = workbook_close(wb);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  ::unlink(path);
  if (err != LXW_NO_ERROR) throw std::runtime_error("xlsx export failed");
  return ss.str();
}

http::Response list_response(Call& c, json::array items, std::optional<std::int64_t> total,
                             const std::vector<ExportColumn>& columns, std::string_view basename) {
  std::string format = c.format();
  if (format == "json") return list(std::move(items), total);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const auto& col : columns) header.emplace_back(c.lang == Lang::en ? col.en : col.zh);
  rows.push_back(std::move(header));
  for (const auto& item : items) {
    std::vector<std::string> row;
    for (const auto& col : columns) row.push_back(cell_text(item.as_object().if_contains(col.key), col, c.lang));
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
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + std::string(basename) + "." + format + "\"");
  return r;
}

}  // namespace xh::api
