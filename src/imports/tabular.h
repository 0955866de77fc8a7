#pragma once
// Reading the tables street offices keep: CSV (UTF-8, or GB18030 as Excel on
// Chinese Windows saves it) and XLSX (the first worksheet). Every row comes
// back as strings, the header row included.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace xh::imports {

using Table = std::vector<std::vector<std::string>>;

// What a roster may hold, so that no file — however it was made — costs more
// than a few tens of MiB to read: rows (the header included, blank lines
// counted, so row numbers stay the file's), columns with something in them,
// and the bytes of one cell (a longer one is cut at kMaxCellBytes + 1 bytes,
// which the row checks then refuse as too long).
inline constexpr std::size_t kMaxRows = 20001;
inline constexpr std::size_t kMaxColumns = 30;
inline constexpr std::size_t kMaxCellBytes = 1000;

// A file past those limits, or a workbook whose shared strings alone pass
// 48 MiB: `code` is the message key ("import.too_many_rows",
// "import.too_many_columns", "import.too_large").
struct TableLimit : std::invalid_argument {
  TableLimit(const std::string& c) : std::invalid_argument(c), code(c) {}  // NOLINT
  std::string code;
};

// Throws std::invalid_argument with a short reason on a malformed file,
// TableLimit past the limits. Both read as they go: an XLSX's parts are
// streamed from the archive into the XML parser, never held whole.
Table read_csv(std::string_view bytes);
Table read_xlsx(std::string_view bytes);

// True when `bytes` is valid UTF-8.
bool valid_utf8(std::string_view bytes);

}  // namespace xh::imports
