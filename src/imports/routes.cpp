// HTTP ↔ imports: /api/imports/roster (the body is the file itself).
#include <boost/json.hpp>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "imports/imports.h"

namespace xh::imports {

namespace json = boost::json;
using api::Call;
using http::Access;

void add_routes(api::Router& r, std::shared_ptr<const Imports> imports) {
  r.add(
      "POST", "/api/imports/roster", Access::authenticated,
      [imports](Call& c) {
        auto community = c.query_id("community_id");
        if (!community) throw bad_request("request.bad_query", "community_id");
        std::string format = c.query("format").value_or("");
        if (format.empty()) {
          auto ct = c.req.header("content-type").value_or("");
          format = ct.find("spreadsheetml") != std::string_view::npos ? "xlsx" : "csv";
        }
        // A dry run unless the caller says otherwise.
        if (c.query("dry_run").value_or("true") != "false")
          return api::ok(imports->check_roster(c.who(), *community, format, c.req.body, c.lang));
        json::object report =
            imports->import_roster(c.who(), c.actor(), *community, format, c.req.body, c.lang);
        if (!report.at("imported").as_bool()) {
          // Refused whole: the same error shape as everywhere, with the report beside it.
          report["error"] = {{"code", "import.has_errors"},
                             {"message", message("import.has_errors", c.lang)}};
          return http::Response::json(422, report);
        }
        return api::ok(report);
      },
      {.body = http::Body::file});

  r.add("GET", "/api/imports/roster/template", Access::authenticated, [](Call& c) {
    std::vector<std::vector<std::string>> rows = {
        roster_columns(),
        {"泉星社区", "泉星社区第一网格", "泉星花园", "1号楼", "1单元", "101", "89.50", "张桂兰",
         "", "", "业主", "独居老人"}};
    std::string format = c.query("format").value_or("csv");
    http::Response out;
    if (format != "csv" && format != "xlsx") throw bad_request("request.bad_format", format);
    if (format == "xlsx") {
      // National IDs and phones are typed in as text: Excel would turn an
      // 18-digit ID into 3.7E+17 in a General column.
      std::vector<std::size_t> text_columns;
      for (std::size_t i = 0; i < rows[0].size(); ++i)
        if (rows[0][i] == "身份证号" || rows[0][i] == "手机号" || rows[0][i] == "房号")
          text_columns.push_back(i);
      out.body = api::to_xlsx(rows, "roster", text_columns);
      out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    } else {
      out.body = api::to_csv(rows);
      out.content_type = "text/csv; charset=utf-8";
    }
    out.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"roster-template." + format + "\"");
    return out;
  });
}

}  // namespace xh::imports
