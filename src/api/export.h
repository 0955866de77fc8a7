#pragma once
// Lists as the API returns them (JSON), or exported as CSV or XLSX with the
// same rows and the same masking as on screen (FND-5): every list route
// registered with Export::yes answers `?format=csv` and `?format=xlsx`
// through list_response. Exports are audited.
#include <boost/json/array.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/call.h"
#include "api/list.h"
#include "core/labels.h"
#include "core/time.h"

namespace xh::api {

struct ExportColumn {
  std::string_view key;  // field of each item
  std::string_view zh, en;
  const std::vector<Label>* values = nullptr;  // stored keys shown as words
};

// One cell of an export: text, a number, or a time. Numbers are numbers in
// XLSX (no "number stored as text"); times are Beijing local times, real
// date cells in XLSX and "2026-12-02 03:10:15" in CSV.
struct ExportCell {
  std::string text;
  std::optional<double> number;
  std::optional<Millis> time;

  ExportCell(std::string t = {}) : text(std::move(t)) {}  // NOLINT: text is the common case
  static ExportCell of_number(double v);
  static ExportCell of_time(Millis at);
};

// JSON {items, total} by default; a CSV (UTF-8 with BOM, for Excel) or XLSX
// attachment when the caller asks, recorded through the call's recorder,
// named after the list, its scope and the Beijing date:
// `<basename>-<scope>-<YYYY-MM-DD>.<format>`, the scope being the place the
// query narrows to (place_id, community_id) or else the caller's own.
http::Response list_response(Call& c, boost::json::array items, std::optional<std::int64_t> total,
                             const std::vector<ExportColumn>& columns, std::string_view basename);

// A list route's reading of one page of its list (items and total).
using PageReader = std::function<Listed(const Page&)>;
// The same for a list read page by page: JSON is the page asked for; an
// export reads the whole list (up to `limit`, from `offset`) in chunks of
// Exports::chunk_rows inside one read transaction and writes each chunk as it
// comes, so its memory is a chunk's, not the list's.
http::Response list_response(Call& c, const PageReader& read, const std::vector<ExportColumn>& columns,
                             std::string_view basename);

// Renders rows as CSV; cells that a spreadsheet would run as a formula are
// prefixed with an apostrophe.
std::string to_csv(const std::vector<std::vector<ExportCell>>& rows);
std::string to_csv(const std::vector<std::vector<std::string>>& rows);
// Renders rows as an XLSX workbook with one sheet, the first row bold; the
// columns in `text_columns` are formatted as Text, so that what is typed into
// them later (a national ID, a phone) stays as typed instead of becoming a
// number.
std::string to_xlsx(const std::vector<std::vector<ExportCell>>& rows, std::string_view sheet,
                    const std::vector<std::size_t>& text_columns = {});
std::string to_xlsx(const std::vector<std::vector<std::string>>& rows, std::string_view sheet,
                    const std::vector<std::size_t>& text_columns = {});
// "2026-12-02 03:10:15": `at` in Beijing time, as exports write it.
std::string beijing_datetime(Millis at);

}  // namespace xh::api
