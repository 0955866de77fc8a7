#pragma once
// Reading the tables street offices keep: CSV (UTF-8, or GB18030 as Excel on
// Chinese Windows saves it) and XLSX (the first worksheet). Every row comes
// back as strings, the header row included.
#include <string>
#include <string_view>
#include <vector>

namespace xh::imports {

using Table = std::vector<std::vector<std::string>>;

// Throws std::invalid_argument with a short reason on a malformed file.
Table read_csv(std::string_view bytes);
Table read_xlsx(std::string_view bytes);

// True when `bytes` is valid UTF-8.
bool valid_utf8(std::string_view bytes);

}  // namespace xh::imports
