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
#include <memory>
#include <sstream>

#include "api/list.h"
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

void append_csv_row(std::string& out, const std::vector<ExportCell>& row) {
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

// Rows written as they come, the first one the heading: CSV into a string,
// XLSX through libxlsxwriter's constant-memory mode (each row goes to its
// temporary file as it is written), so only the finished file is held.
class SheetWriter {
 public:
  virtual ~SheetWriter() = default;
  virtual void row(const std::vector<ExportCell>& cells) = 0;
  virtual std::string finish() = 0;
};

class CsvWriter final : public SheetWriter {
 public:
  void row(const std::vector<ExportCell>& cells) override { append_csv_row(out_, cells); }
  std::string finish() override { return std::move(out_); }

 private:
  std::string out_ = "\xEF\xBB\xBF";  // the byte-order mark Excel needs to read UTF-8
};

class XlsxWriter final : public SheetWriter {
 public:
  XlsxWriter(std::string_view sheet, std::vector<std::size_t> text_columns)
      : text_columns_(std::move(text_columns)) {
    int fd = mkstemp(path_);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for the export");
    ::close(fd);
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    wb_ = workbook_new_opt(path_, &options);
    if (!wb_) {
      ::unlink(path_);
      throw std::runtime_error("xlsx export failed");
    }
    ws_ = workbook_add_worksheet(wb_, std::string(sheet).c_str());
    bold_ = workbook_add_format(wb_);
    format_set_bold(bold_);
    when_ = workbook_add_format(wb_);
    format_set_num_format(when_, "yyyy-mm-dd hh:mm:ss");
    text_ = workbook_add_format(wb_);
    format_set_num_format(text_, "@");
  }
  ~XlsxWriter() override {
    if (wb_) workbook_close(wb_);
    ::unlink(path_);
  }
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  void row(const std::vector<ExportCell>& cells) override {
    auto r = static_cast<lxw_row_t>(rows_++);
    if (r == 0) {  // column widths are set before the first row
      if (!cells.empty()) worksheet_set_column(ws_, 0, static_cast<lxw_col_t>(cells.size() - 1), 18, nullptr);
      for (auto col : text_columns_)
        worksheet_set_column(ws_, static_cast<lxw_col_t>(col), static_cast<lxw_col_t>(col), 22, text_);
    }
    for (std::size_t col = 0; col < cells.size(); ++col) {
      const ExportCell& cell = cells[col];
      auto column = static_cast<lxw_col_t>(col);
      bool as_text = std::find(text_columns_.begin(), text_columns_.end(), col) != text_columns_.end();
      if (r == 0)
        worksheet_write_string(ws_, r, column, cell.text.c_str(), bold_);
      else if (cell.number)
        worksheet_write_number(ws_, r, column, *cell.number, nullptr);
      else if (cell.time) {
        lxw_datetime d = lxw_of(*cell.time);
        worksheet_write_datetime(ws_, r, column, &d, when_);
      } else if (!cell.text.empty() || as_text)
        // An empty Text cell is written too, so that what is typed into it stays text.
        worksheet_write_string(ws_, r, column, cell.text.c_str(), as_text ? text_ : nullptr);
    }
  }

  std::string finish() override {
    lxw_error err = workbook_close(wb_);
    wb_ = nullptr;
    if (err != LXW_NO_ERROR) throw std::runtime_error("xlsx export failed");
    std::ifstream in(path_, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  char path_[32] = "/tmp/xh-export-XXXXXX";
  std::vector<std::size_t> text_columns_;
  lxw_workbook* wb_ = nullptr;
  lxw_worksheet* ws_ = nullptr;
  lxw_format *bold_ = nullptr, *when_ = nullptr, *text_ = nullptr;
  std::size_t rows_ = 0;
};

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
  CsvWriter w;
  for (const auto& row : rows) w.row(row);
  return w.finish();
}

std::string to_csv(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<ExportCell>> cells;
  for (const auto& row : rows) cells.emplace_back(row.begin(), row.end());
  return to_csv(cells);
}

std::string to_xlsx(const std::vector<std::vector<ExportCell>>& rows, std::string_view sheet,
                    const std::vector<std::size_t>& text_columns) {
  XlsxWriter w(sheet, text_columns);
  for (const auto& row : rows) w.row(row);
  return w.finish();
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

namespace {

// An export: the heading in the caller's language, then a row for each item
// `feed` emits, written as it comes; recorded, and named after the list, its
// scope and the Beijing date.
http::Response export_file(
    Call& c, const std::vector<ExportColumn>& columns, std::string_view basename,
    const std::function<std::int64_t(const std::function<void(const json::object&)>&)>& feed) {
  std::string format = c.format();
  std::unique_ptr<SheetWriter> out;
  if (format == "csv")
    out = std::make_unique<CsvWriter>();
  else
    out = std::make_unique<XlsxWriter>(basename, std::vector<std::size_t>{});
  std::vector<ExportCell> cells;
  for (const auto& col : columns) cells.emplace_back(std::string(c.lang == Lang::en ? col.en : col.zh));
  out->row(cells);
  std::int64_t rows = feed([&](const json::object& item) {
    cells.clear();
    for (const auto& col : columns) cells.push_back(cell_of(item.if_contains(col.key), col, c.lang));
    out->row(cells);
  });
  if (c.recorder)
    c.recorder->record(c.actor(), {"export", std::string(basename), format,
                                   json::serialize(json::object{{"rows", rows}, {"query", c.req.path}})});
  http::Response r;
  r.body = out->finish();
  r.content_type = format == "csv" ? "text/csv; charset=utf-8"
                                   : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  std::string name = std::string(basename) + "-" + export_scope(c) + "-" +
                     beijing_datetime(now_ms()).substr(0, 10) + "." + format;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return r;
}

}  // namespace

http::Response list_response(Call& c, json::array items, std::optional<std::int64_t> total,
                             const std::vector<ExportColumn>& columns, std::string_view basename) {
  if (c.format() == "json") return list(std::move(items), total);
  return export_file(c, columns, basename, [&](const auto& emit) {
    for (const auto& item : items) emit(item.as_object());
    return static_cast<std::int64_t>(items.size());
  });
}

http::Response list_response(Call& c, const PageReader& read, const std::vector<ExportColumn>& columns,
                             std::string_view basename) {
  Page asked = c.page();
  if (c.format() == "json") {
    Listed page = read(asked);
    return list(std::move(page.items), page.total);
  }
  auto whole = [&] {
    return export_file(c, columns, basename, [&](const auto& emit) {
      const int chunk = c.exports && c.exports->chunk_rows > 0 ? c.exports->chunk_rows : 2000;
      std::int64_t done = 0;
      while (done < asked.limit) {
        int n = static_cast<int>(std::min<std::int64_t>(chunk, asked.limit - done));
        Listed page = read(Page{n, static_cast<int>(asked.offset + done), false});
        for (const auto& item : page.items) emit(item.as_object());
        done += static_cast<std::int64_t>(page.items.size());
        if (static_cast<int>(page.items.size()) < n) break;
      }
      return done;
    });
  };
  // Every page from one snapshot: a change committed meanwhile neither
  // shifts a row out of the file nor into it twice.
  if (c.exports && c.exports->db) return c.exports->db->read([&](storage::Tx&) { return whole(); });
  return whole();
}

}  // namespace xh::api
