#include "imports/tabular.h"

#include <expat.h>
#include <iconv.h>
#include <zip.h>

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

Table read_csv(std::string_view bytes) {
  std::string text;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  text = valid_utf8(bytes) ? std::string(bytes) : from_gb18030(bytes);
  Table rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
      continue;
    }
    if (c == '"' && cell.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(trim(cell));
      cell.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !cell.empty()) {
        row.push_back(trim(cell));
        rows.push_back(std::move(row));
      } else {
        rows.emplace_back();  // keep blank lines so row numbers match the file
      }
      row.clear();
      cell.clear();
      any = false;
    } else {
      cell += c;
      any = true;
    }
  }
  if (quoted) throw std::invalid_argument("unterminated quote");
  if (any || !cell.empty()) {
    row.push_back(trim(cell));
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

std::string zip_entry(zip_t* za, const char* name, bool required) {
  zip_stat_t st;
  if (zip_stat(za, name, 0, &st) != 0) {
    if (required) throw std::invalid_argument(std::string("missing ") + name);
    return "";
  }
  if (st.size > 200u * 1024 * 1024) throw std::invalid_argument("entry too large");
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen(za, name, 0), zip_fclose);
  if (!f) throw std::invalid_argument(std::string("cannot open ") + name);
  std::string out(st.size, '\0');
  if (zip_fread(f.get(), out.data(), st.size) != static_cast<zip_int64_t>(st.size))
    throw std::invalid_argument(std::string("cannot read ") + name);
  return out;
}

struct SharedStrings {
  std::vector<std::string> items;
  std::string current;
  bool in_si = false, in_t = false;
};

struct Sheet {
  const std::vector<std::string>* shared;
  Table rows;
  std::size_t row = 0, col = 0;
  std::string type, value;
  bool in_v = false, in_t = false, in_c = false;
};

std::size_t column_of(const char* ref) {
  std::size_t col = 0;
  for (; *ref >= 'A' && *ref <= 'Z'; ++ref) col = col * 26 + (*ref - 'A' + 1);
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

void parse_xml(const std::string& xml, void* data, XML_StartElementHandler start,
               XML_EndElementHandler end, XML_CharacterDataHandler text) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> p(
      XML_ParserCreate("UTF-8"), XML_ParserFree);
  XML_SetUserData(p.get(), data);
  XML_SetElementHandler(p.get(), start, end);
  XML_SetCharacterDataHandler(p.get(), text);
  if (XML_Parse(p.get(), xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_ERROR)
    throw std::invalid_argument("malformed XML in workbook");
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
  std::string shared_xml = zip_entry(za, "xl/sharedStrings.xml", false);
  if (!shared_xml.empty())
    parse_xml(
        shared_xml, &ss,
        [](void* d, const XML_Char* name, const XML_Char**) {
          auto* s = static_cast<SharedStrings*>(d);
          if (!std::strcmp(name, "si")) { s->in_si = true; s->current.clear(); }
          if (!std::strcmp(name, "t")) s->in_t = true;
        },
        [](void* d, const XML_Char* name) {
          auto* s = static_cast<SharedStrings*>(d);
          if (!std::strcmp(name, "si")) { s->in_si = false; s->items.push_back(s->current); }
          if (!std::strcmp(name, "t")) s->in_t = false;
        },
        [](void* d, const XML_Char* text, int len) {
          auto* s = static_cast<SharedStrings*>(d);
          if (s->in_si && s->in_t) s->current.append(text, len);
        });

  Sheet sheet;
  sheet.shared = &ss.items;
  parse_xml(
      zip_entry(za, "xl/worksheets/sheet1.xml", true), &sheet,
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
          if (s->row == 0 || s->row > 1000000 || s->col > 200) return;
          if (s->rows.size() < s->row) s->rows.resize(s->row);
          auto& r = s->rows[s->row - 1];
          if (r.size() <= s->col) r.resize(s->col + 1);
          r[s->col] = trim(v);
        }
      },
      [](void* d, const XML_Char* text, int len) {
        auto* s = static_cast<Sheet*>(d);
        if (s->in_c && (s->in_v || s->in_t)) s->value.append(text, len);
      });
  return sheet.rows;
}

}  // namespace xh::imports
