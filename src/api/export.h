#pragma once
// Lists as the API returns them (JSON), or exported as CSV or XLSX with the
// same rows and the same masking as on screen (FND-5): every list route
// registered with Export::yes answers `?format=csv` and `?format=xlsx`
// through list_response. Exports are audited.
#include <boost/json/array.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/call.h"
#include "core/labels.h"

namespace xh::api {

struct ExportColumn {
  std::string_view key;  // field of each item
  std::string_view zh, en;
  const std::vector<Label>* values = nullptr;  // stored keys shown as words
};

// JSON {items, total} by default; a CSV (UTF-8 with BOM, for Excel) or XLSX
// attachment named `<basename>.<format>` when the caller asks, recorded
// through the call's recorder.
http::Response list_response(Call& c, boost::json::array items, std::optional<std::int64_t> total,
                             const std::vector<ExportColumn>& columns, std::string_view basename);

// Renders rows as CSV; cells that a spreadsheet would run as a formula are
// prefixed with an apostrophe.
std::string to_csv(const std::vector<std::vector<std::string>>& rows);
// Renders rows as an XLSX workbook with one sheet.
std::string to_xlsx(const std::vector<std::vector<std::string>>& rows, std::string_view sheet);

}  // namespace xh::api
