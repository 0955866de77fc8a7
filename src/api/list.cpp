#include "api/list.h"

#include "api/scope.h"
#include "core/error.h"

namespace xh::api {

using storage::Param;

std::string subtree_end(std::string path) {
  if (!path.empty()) path.back() = '0';
  return path;
}

Clause& Clause::or_else(const std::string& more, std::vector<Param> more_values) {
  sql = "(" + sql + ") OR (" + more + ")";
  for (auto& v : more_values) values.push_back(std::move(v));
  return *this;
}

Clause scope_clause(const Principal& p, std::string_view permission,
                    std::initializer_list<std::string_view> path_columns) {
  // scope_condition numbers its parameters ($1 …) for a statement of its own;
  // a ListQuery binds ?s: the same condition with a ? for each number, its
  // values in order of appearance.
  std::vector<Param> numbered;
  std::string sql = scope_condition(p, permission, path_columns, numbered);
  Clause out;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] != '$') {
      out.sql += sql[i];
      continue;
    }
    std::size_t n = 0;
    while (i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9')
      n = n * 10 + static_cast<std::size_t>(sql[++i] - '0');
    out.values.push_back(numbered.at(n - 1));
    out.sql += '?';
  }
  return out;
}

ListQuery::ListQuery(std::string from) : from_(" FROM " + std::move(from)) {}

ListQuery& ListQuery::scope(const Principal& p, std::string_view permission,
                            std::initializer_list<std::string_view> path_columns) {
  append_scope_condition(p, permission, path_columns, where_, params_);
  return *this;
}

ListQuery& ListQuery::scope_within(std::string_view open, const Principal& p,
                                   std::string_view permission,
                                   std::initializer_list<std::string_view> path_columns,
                                   std::string_view close) {
  std::string inner = scope_condition(p, permission, path_columns, params_);
  where_ += " AND (" + std::string(open) + inner + std::string(close) + ")";
  return *this;
}

ListQuery& ListQuery::under(std::string_view column, const std::string& path) {
  std::string c(column);
  return where(c + " >= ? AND " + c + " < ?", {path, subtree_end(path)});
}

std::string ListQuery::bind(std::string_view condition, std::vector<Param> values) {
  std::string out;
  std::size_t next = 0;
  for (char ch : condition) {
    if (ch != '?') {
      out += ch;
      continue;
    }
    if (next >= values.size()) throw std::logic_error("a ? without a value: " + std::string(condition));
    params_.push_back(std::move(values[next++]));
    out += "$" + std::to_string(params_.size());
  }
  if (next != values.size()) throw std::logic_error("a value without a ?: " + std::string(condition));
  return out;
}

ListQuery& ListQuery::where(std::string_view condition, std::vector<Param> values) {
  where_ += " AND (" + bind(condition, std::move(values)) + ")";
  return *this;
}

ListQuery& ListQuery::search(storage::Dialect dialect, const storage::SearchSpec& spec,
                             const std::optional<std::string>& q) {
  if (q && !q->empty()) storage::append_search(dialect, spec, *q, where_, params_);
  return *this;
}

ListQuery& ListQuery::sort(const SortTable& sorts, const std::optional<std::string>& asked,
                           std::string_view fallback) {
  std::string_view key = asked ? std::string_view(*asked) : fallback;
  bool desc = !key.empty() && key.front() == '-';
  if (desc) key.remove_prefix(1);
  for (const auto& [k, order] : sorts) {
    if (k != key) continue;
    if (!desc) {
      order_ = " ORDER BY " + std::string(order);
      return *this;
    }
    // Every term reversed: "a, b" → "a DESC, b DESC".
    std::string reversed;
    std::string_view rest = order;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view term = rest.substr(0, comma);
      while (!term.empty() && term.front() == ' ') term.remove_prefix(1);
      reversed += (reversed.empty() ? "" : ", ") + std::string(term) + " DESC";
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    order_ = " ORDER BY " + reversed;
    return *this;
  }
  throw bad_request("request.bad_sort", "sort");
}

ListQuery& ListQuery::page(Page p) {
  page_ = p;
  return *this;
}

std::string ListQuery::tail(std::vector<Param>& params) const {
  params.push_back(static_cast<std::int64_t>(page_.limit));
  params.push_back(static_cast<std::int64_t>(page_.offset));
  return order_ + " LIMIT $" + std::to_string(params.size() - 1) + " OFFSET $" +
         std::to_string(params.size());
}

ListQuery::Result ListQuery::rows(storage::Tx& tx, std::string_view columns) const {
  if (!page_.counted) return {page_rows(tx, columns), 0};
  auto params = params_;
  std::string sql = "SELECT " + std::string(columns) + ", COUNT(*) OVER () AS total_rows" + from_ +
                    where_ + tail(params);
  Result out;
  out.rows = tx.query_v(sql, params);
  if (!out.rows.empty())
    out.total = out.rows.front().i64("total_rows");
  else if (page_.offset > 0)
    out.total = count(tx);
  return out;
}

storage::Rows ListQuery::page_rows(storage::Tx& tx, std::string_view columns) const {
  auto params = params_;
  return tx.query_v("SELECT " + std::string(columns) + from_ + where_ + tail(params), params);
}

std::int64_t ListQuery::count(storage::Tx& tx) const {
  return tx.query_one_v("SELECT COUNT(*)" + from_ + where_, params_)->i64(0);
}

std::vector<std::int64_t> ListQuery::page_ids(storage::Tx& tx, std::string_view id_column) const {
  auto params = params_;
  std::vector<std::int64_t> out;
  for (const auto& r : tx.query_v("SELECT " + std::string(id_column) + from_ + where_ + tail(params), params))
    out.push_back(r.i64(0));
  return out;
}

}  // namespace xh::api
