#include "imports/tabular.h"

#include <expat.h>
#include <iconv.h>
#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>

namespace xh::imports {

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + n >= s.size() + (n == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

namespace {

std::string from_gb18030(std::string_view in) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) throw std::invalid_argument("encoding");
  std::string out(in.size() * 2 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  std::size_t src_left = in.size();
  char* dst = out.data();
  std::size_t dst_left = out.size();
  std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) throw std::invalid_argument("encoding");
  out.resize(out.size() - dst_left);
  return out;
}

std::string trim(std::string s) {
  auto notspace = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
  while (!s.empty() && !notspace(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && !notspace(s[i])) ++i;
  s.erase(0, i);
  // A full-width space (U+3000) is common in hand-typed Chinese cells.
  while (s.rfind("\xE3\x80\x80", 0) == 0) s.erase(0, 3);
  while (s.size() >= 3 && s.compare(s.size() - 3, 3, "\xE3\x80\x80") == 0) s.resize(s.size() - 3);
  return s;
}

}  // namespace

namespace {

// Appends `c` to a cell unless it is already past the limit.
void add_char(std::string& cell, char c) {
  if (cell.size() <= kMaxCellBytes) cell += c;
}

// Ends a cell of `row`: an empty one past the last column that may hold
// something is dropped; a filled one there refuses the file.
void end_cell(std::vector<std::string>& row, std::string& cell) {
  if (row.size() >= kMaxColumns) {
    if (!trim(cell).empty()) throw TableLimit("import.too_many_columns");
  } else {
    row.push_back(trim(cell));
  }
  cell.clear();
}

void end_row(Table& rows, std::vector<std::string>& row) {
  if (rows.size() >= kMaxRows) throw TableLimit("import.too_many_rows");
  // Trailing empty cells carry nothing.
  while (!row.empty() && row.back().empty()) row.pop_back();
  rows.push_back(std::move(row));
  row.clear();
}

}  // namespace

Table read_csv(std::string_view bytes) {
  std::string converted;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (!valid_utf8(bytes)) {
    converted = from_gb18030(bytes);
    bytes = converted;
  }
  std::string_view text = bytes;
  Table rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          add_char(cell, '"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        add_char(cell, c);
      }
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      end_cell(row, cell);
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      // A blank line is kept (empty) so that row numbers match the file.
      if (any || !cell.empty()) end_cell(row, cell);
      end_row(rows, row);
      cell.clear();
      any = false;
    } else {
      add_char(cell, c);
      any = true;
    }
  }
  if (quoted) throw std::invalid_argument("unterminated quote");
  if (any || !cell.empty()) {
    end_cell(row, cell);
    end_row(rows, row);
  }
  return rows;
}

namespace {

// Reads the archive's entry `name` in pieces into an XML parser set up by the
// caller: the whole part is never held in memory. False when the entry is
// missing. At most 512 MiB are inflated (a zip bomb costs time, not memory).
// A limit met inside the parser's callbacks stops it (no exception crosses
// expat's C frames): `limit` then names it and is thrown here.
bool stream_entry(zip_t* za, const char* name, XML_Parser parser, const std::string& limit) {
  zip_stat_t st;
  if (zip_stat(za, name, 0, &st) != 0) return false;
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen(za, name, 0), zip_fclose);
  if (!f) throw std::invalid_argument(std::string("cannot open ") + name);
  constexpr std::uint64_t kMaxInflated = 512ull * 1024 * 1024;
  std::uint64_t total = 0;
  char buf[64 * 1024];
  for (;;) {
    zip_int64_t n = zip_fread(f.get(), buf, sizeof buf);
    if (n < 0) throw std::invalid_argument(std::string("cannot read ") + name);
    total += static_cast<std::uint64_t>(n);
    if (total > kMaxInflated) throw TableLimit("import.too_large");
    if (XML_Parse(parser, buf, static_cast<int>(n), n == 0) == XML_STATUS_ERROR) {
      if (!limit.empty()) throw TableLimit(limit);
      throw std::invalid_argument("malformed XML in workbook");
    }
    if (n == 0) return true;
  }
}

using ParserPtr = std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)>;

ParserPtr make_parser(void* data, XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler text) {
  ParserPtr p(XML_ParserCreate("UTF-8"), XML_ParserFree);
  XML_SetUserData(p.get(), data);
  XML_SetElementHandler(p.get(), start, end);
  XML_SetCharacterDataHandler(p.get(), text);
  return p;
}

// Appends up to the cell limit (one byte more, so a longer cell shows).
void append_capped(std::string& to, const char* text, int len) {
  std::size_t room = kMaxCellBytes + 1 > to.size() ? kMaxCellBytes + 1 - to.size() : 0;
  to.append(text, std::min(room, static_cast<std::size_t>(len)));
}

// What a callback met: the limit's message key, and the parser it stops.
struct Stop {
  XML_Parser parser = nullptr;
  std::string limit;
  void at(const char* code) {
    if (limit.empty()) limit = code;
    XML_StopParser(parser, XML_FALSE);
  }
};

struct SharedStrings : Stop {
  std::vector<std::string> items;
  std::string current;
  bool in_si = false, in_t = false;
  std::size_t bytes = 0;  // what the table holds, with each string's own cost
};

struct Sheet : Stop {
  const std::vector<std::string>* shared;
  Table rows;
  std::size_t row = 0, col = 0;
  std::string type, value;
  bool in_v = false, in_t = false, in_c = false;
};

std::size_t column_of(const char* ref) {
  std::size_t col = 0;
  for (; *ref >= 'A' && *ref <= 'Z' && col < 100000; ++ref) col = col * 26 + (*ref - 'A' + 1);
  return col ? col - 1 : 0;
}
std::size_t row_of(const char* ref) {
  while (*ref >= 'A' && *ref <= 'Z') ++ref;
  return static_cast<std::size_t>(std::atol(ref));
}

const char* attr(const XML_Char** atts, const char* name) {
  for (int i = 0; atts[i]; i += 2)
    if (std::strcmp(atts[i], name) == 0) return atts[i + 1];
  return nullptr;
}

}  // namespace

Table read_xlsx(std::string_view bytes) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) throw std::invalid_argument("not a zip file");
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!za) {
    zip_source_free(src);
    throw std::invalid_argument("not an XLSX file");
  }
  std::unique_ptr<zip_t, decltype(&zip_discard)> guard(za, zip_discard);

  SharedStrings ss;
  auto shared = make_parser(
      &ss,
      [](void* d, const XML_Char* name, const XML_Char**) {
        auto* s = static_cast<SharedStrings*>(d);
        if (!std::strcmp(name, "si")) { s->in_si = true; s->current.clear(); }
        if (!std::strcmp(name, "t")) s->in_t = true;
      },
      [](void* d, const XML_Char* name) {
        auto* s = static_cast<SharedStrings*>(d);
        if (!std::strcmp(name, "si")) {
          s->in_si = false;
          s->bytes += s->current.size() + sizeof(std::string);
          if (s->bytes > 48u * 1024 * 1024) return s->at("import.too_large");
          s->items.push_back(s->current);
        }
        if (!std::strcmp(name, "t")) s->in_t = false;
      },
      [](void* d, const XML_Char* text, int len) {
        auto* s = static_cast<SharedStrings*>(d);
        if (s->in_si && s->in_t) append_capped(s->current, text, len);
      });
  ss.parser = shared.get();
  stream_entry(za, "xl/sharedStrings.xml", shared.get(), ss.limit);

  Sheet sheet;
  sheet.shared = &ss.items;
  auto cells = make_parser(
      &sheet,
      [](void* d, const XML_Char* name, const XML_Char** atts) {
        auto* s = static_cast<Sheet*>(d);
        if (!std::strcmp(name, "c")) {
          const char* ref = attr(atts, "r");
          const char* t = attr(atts, "t");
          s->type = t ? t : "";
          s->value.clear();
          s->in_c = true;
          if (ref) {
            s->col = column_of(ref);
            s->row = row_of(ref);
          } else {
            ++s->col;
          }
        } else if (!std::strcmp(name, "v")) {
          s->in_v = true;
        } else if (!std::strcmp(name, "t")) {
          s->in_t = true;
        }
      },
      [](void* d, const XML_Char* name) {
        auto* s = static_cast<Sheet*>(d);
        if (!std::strcmp(name, "v")) s->in_v = false;
        if (!std::strcmp(name, "t")) s->in_t = false;
        if (!std::strcmp(name, "c")) {
          s->in_c = false;
          std::string v = s->value;
          if (s->type == "s") {
            std::size_t idx = static_cast<std::size_t>(std::atol(v.c_str()));
            v = idx < s->shared->size() ? (*s->shared)[idx] : "";
          }
          v = trim(v);
          if (s->row == 0) return;
          if (s->col >= kMaxColumns) {
            // An empty cell far to the right carries nothing; a filled one
            // there is past what a roster holds.
            if (!v.empty()) s->at("import.too_many_columns");
            return;
          }
          if (s->row > kMaxRows) return s->at("import.too_many_rows");
          if (v.empty()) return;
          if (s->rows.size() < s->row) s->rows.resize(s->row);
          auto& r = s->rows[s->row - 1];
          if (r.size() <= s->col) r.resize(s->col + 1);
          r[s->col] = std::move(v);
        }
      },
      [](void* d, const XML_Char* text, int len) {
        auto* s = static_cast<Sheet*>(d);
        if (s->in_c && (s->in_v || s->in_t)) append_capped(s->value, text, len);
      });
  sheet.parser = cells.get();
  if (!stream_entry(za, "xl/worksheets/sheet1.xml", cells.get(), sheet.limit))
    throw std::invalid_argument("missing xl/worksheets/sheet1.xml");
  return sheet.rows;
}

}  // namespace xh::imports
