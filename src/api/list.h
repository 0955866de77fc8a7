#pragma once
// The one way a list endpoint reads its rows: the caller's scope, subtree
// bounds, filters, search, a sort from a fixed table, the page, and the total.
// Column names and SQL fragments are written in code; caller text only ever
// becomes a bound parameter. A ListQuery is built and run on one thread.
#include <boost/json/array.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/call.h"
#include "api/principal.h"
#include "storage/database.h"
#include "storage/search.h"

namespace xh::api {

// The sorts a list offers: key → SQL order, ascending ("created_at" →
// "w.created_at, w.id"). The caller asks for a key, or "-key" for the
// reverse order.
using SortTable = std::vector<std::pair<std::string_view, std::string_view>>;

// The upper bound of the subtree of `path`: every path with the prefix
// "/1/4/" sorts in ["/1/4/", "/1/40"), since '0' follows '/'.
std::string subtree_end(std::string path);

// One page of a list as the API answers it: the items, and how many match in
// all.
struct Listed {
  boost::json::array items;
  std::int64_t total = 0;
};

// A condition with `?` placeholders and their values, for ListQuery::where.
struct Clause {
  std::string sql;
  std::vector<storage::Param> values;

  // Appends `more` as an alternative: "(this) OR (more)".
  Clause& or_else(const std::string& more, std::vector<storage::Param> more_values = {});
};

// The caller's scope for `permission` over `path_columns` (see scope.h) as a
// Clause: for a list whose scope is one alternative among others or lies in a
// subquery, where ListQuery::scope (which ANDs it onto the whole query) does
// not fit. 403 when the caller has no scope at all.
Clause scope_clause(const Principal& p, std::string_view permission,
                    std::initializer_list<std::string_view> path_columns);

class ListQuery {
 public:
  // `from`: what follows FROM ("work_orders w JOIN places pl ON …").
  explicit ListQuery(std::string from);

  // Rows in the caller's scope for `permission` (see scope.h); the path
  // columns after the first are grid paths. 403 when the caller has none.
  ListQuery& scope(const Principal& p, std::string_view permission,
                   std::initializer_list<std::string_view> path_columns);
  // The caller's scope inside a larger condition: `open` <scope over
  // `path_columns`> `close`, as one condition ("EXISTS (SELECT … WHERE … AND "
  // <scope> ")").
  ListQuery& scope_within(std::string_view open, const Principal& p, std::string_view permission,
                          std::initializer_list<std::string_view> path_columns,
                          std::string_view close);
  // Rows whose `column` lies in the subtree of `path`.
  ListQuery& under(std::string_view column, const std::string& path);
  // A condition; each `?` in it is bound to the next of `values`.
  ListQuery& where(std::string_view condition, std::vector<storage::Param> values = {});
  // The condition only when `value` is set, bound to it.
  template <class T>
  ListQuery& where_if(std::string_view condition, const std::optional<T>& value) {
    if (value) where(condition, {storage::Param(*value)});
    return *this;
  }
  // Rows whose text columns contain `q` (index-backed where the engine can);
  // nothing when `q` is absent or empty.
  ListQuery& search(storage::Dialect dialect, const storage::SearchSpec& spec,
                    const std::optional<std::string>& q);
  // The order the caller asks for (`asked`, else `fallback`), from `sorts`;
  // 400 request.bad_sort for any other.
  ListQuery& sort(const SortTable& sorts, const std::optional<std::string>& asked,
                  std::string_view fallback);
  ListQuery& page(Page p);

  struct Result {
    storage::Rows rows;
    std::int64_t total = 0;
  };
  // SELECT `columns` of the page, and the total of all rows that match, in
  // one statement (a window count); a second statement counts only when the
  // page is past the end. A page not `counted` gets its rows alone (total 0).
  Result rows(storage::Tx& tx, std::string_view columns) const;
  // The page's rows alone, for lists that show no total (keyset-paged logs).
  storage::Rows page_rows(storage::Tx& tx, std::string_view columns) const;
  // How many rows match.
  std::int64_t count(storage::Tx& tx) const;
  // The page's values of `id_column`, in order, from the index alone: for
  // lists that then read their page's rows by id.
  std::vector<std::int64_t> page_ids(storage::Tx& tx, std::string_view id_column) const;

 private:
  std::string bind(std::string_view condition, std::vector<storage::Param> values);
  std::string tail(std::vector<storage::Param>& params) const;

  std::string from_;
  std::string where_ = " WHERE 1=1";
  std::vector<storage::Param> params_;
  std::string order_;
  Page page_;
};

}  // namespace xh::api
