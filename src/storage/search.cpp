#include "storage/search.h"

namespace xh::storage {

namespace {
std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
}  // namespace

void append_search(Dialect dialect, const SearchSpec& spec, std::string_view q, std::string& sql,
                   std::vector<Param>& params) {
  if (dialect == Dialect::sqlite && code_points(q) >= 3) {
    // A quoted FTS5 string is a phrase; with the trigram tokenizer, a substring.
    std::string phrase = "\"";
    for (char c : q) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
    phrase += "\"";
    params.push_back(phrase);
    sql += " AND " + std::string(spec.id_column) + " IN (SELECT rowid FROM " +
           std::string(spec.fts_table) + " WHERE " + std::string(spec.fts_table) + " MATCH $" +
           std::to_string(params.size()) + ")";
    return;
  }
  params.push_back("%" + escape_like(q) + "%");
  std::string n = "$" + std::to_string(params.size());
  if (dialect == Dialect::postgres) {
    // The same expression as the GIN index, so the planner can use it.
    std::string expr;
    for (std::size_t i = 0; i < spec.columns.size(); ++i) {
      std::string col(spec.columns[i]);
      expr += i == 0 ? col : " || ' ' || coalesce(" + col + ", '')";
    }
    sql += " AND (" + expr + ") ILIKE " + n + " ESCAPE '\\'";
    return;
  }
  sql += " AND (";
  for (std::size_t i = 0; i < spec.columns.size(); ++i)
    sql += (i ? " OR " : "") + std::string(spec.columns[i]) + " LIKE " + n + " ESCAPE '\\'";
  sql += ")";
}

}  // namespace xh::storage
