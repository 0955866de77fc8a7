#pragma once
// Reads the cells of an XLSX workbook's first sheet as the file stores them
// (libzip and expat, the parsers the roster import uses): for checking that
// an export writes numbers as numbers and times as date cells.
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace xh::test {

struct XlsxCell {
  std::string type;   // the cell's t attribute: "s" shared string, "str", "" a number
  std::string style;  // its s attribute (a style index), "" when none
  std::string value;  // the <v> text (a number, or a shared-string index)
};

struct XlsxSheet {
  std::map<std::string, XlsxCell> cells;  // by reference: "A1", "B2", …
  std::string styles_xml;                 // xl/styles.xml, for the number formats
};

// Throws std::runtime_error when `bytes` is not a workbook.
XlsxSheet read_xlsx_sheet(const std::string& bytes);

// A zip archive of these entries (name → content), deflated: for workbooks
// written by hand, as an attacker or a broken exporter would.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace xh::test
