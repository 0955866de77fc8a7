#include "support/xlsx_cells.h"

#include <expat.h>
#include <zip.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace xh::test {

namespace {

std::string entry(zip_t* z, const char* name) {
  zip_stat_t st;
  if (zip_stat(z, name, 0, &st) != 0) throw std::runtime_error(std::string("no ") + name);
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen(z, name, 0), zip_fclose);
  if (!f) throw std::runtime_error(std::string("cannot open ") + name);
  std::string out(st.size, '\0');
  if (zip_fread(f.get(), out.data(), st.size) != static_cast<zip_int64_t>(st.size))
    throw std::runtime_error(std::string("cannot read ") + name);
  return out;
}

struct Parse {
  XlsxSheet* sheet;
  std::string ref;
  bool in_v = false;
};

void on_start(void* data, const char* name, const char** attrs) {
  auto* p = static_cast<Parse*>(data);
  if (std::strcmp(name, "c") == 0) {
    XlsxCell cell;
    for (int i = 0; attrs[i]; i += 2) {
      if (std::strcmp(attrs[i], "r") == 0) p->ref = attrs[i + 1];
      if (std::strcmp(attrs[i], "t") == 0) cell.type = attrs[i + 1];
      if (std::strcmp(attrs[i], "s") == 0) cell.style = attrs[i + 1];
    }
    p->sheet->cells[p->ref] = cell;
  } else if (std::strcmp(name, "v") == 0) {
    p->in_v = true;
  }
}

void on_end(void* data, const char* name) {
  if (std::strcmp(name, "v") == 0) static_cast<Parse*>(data)->in_v = false;
}

void on_text(void* data, const char* s, int len) {
  auto* p = static_cast<Parse*>(data);
  if (p->in_v) p->sheet->cells[p->ref].value.append(s, static_cast<std::size_t>(len));
}

}  // namespace

XlsxSheet read_xlsx_sheet(const std::string& bytes) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) throw std::runtime_error("not a zip");
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!z) {
    zip_source_free(src);
    throw std::runtime_error("not a zip");
  }
  std::unique_ptr<zip_t, decltype(&zip_discard)> archive(z, zip_discard);
  XlsxSheet sheet;
  sheet.styles_xml = entry(z, "xl/styles.xml");
  std::string xml = entry(z, "xl/worksheets/sheet1.xml");
  Parse p{&sheet, "", false};
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate("UTF-8"),
                                                                    XML_ParserFree);
  XML_SetUserData(parser.get(), &p);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), 1) != XML_STATUS_OK)
    throw std::runtime_error("bad sheet XML");
  return sheet;
}

std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!out) throw std::runtime_error("zip source");
  zip_source_keep(out);
  zip_t* z = zip_open_from_source(out, ZIP_TRUNCATE, &err);
  if (!z) throw std::runtime_error("zip open");
  for (const auto& [name, content] : entries) {
    zip_source_t* s = zip_source_buffer(z, content.data(), content.size(), 0);
    if (!s || zip_file_add(z, name.c_str(), s, ZIP_FL_OVERWRITE) < 0)
      throw std::runtime_error("zip add " + name);
  }
  if (zip_close(z) != 0) throw std::runtime_error("zip close");
  zip_stat_t st;
  if (zip_source_stat(out, &st) != 0 || zip_source_open(out) != 0) throw std::runtime_error("zip read");
  std::string bytes(st.size, '\0');
  zip_source_read(out, bytes.data(), st.size);
  zip_source_close(out);
  zip_source_free(out);
  return bytes;
}

}  // namespace xh::test
