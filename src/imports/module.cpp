// The imports module's declaration: the household roster import: its permission, messages and routes.
#include "api/module.h"
#include "imports/imports.h"

namespace xh::imports {

void add_routes(api::Router& r, std::shared_ptr<const Imports> imports);

namespace {

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"import.roster", "导入花名册", "Roster imported"},
  };
  return all;
}

void start(api::Setup& s) {
  const api::Context& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Imports>(ctx.db, ctx.cipher, ctx.events));
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "imports",
      .permissions =
          {
              // Only who may write residents and places one at a time.
              {"import.run", {"community_admin"}},
          },
      .messages =
          {
              {"import.empty_file", "文件中没有数据", "The file has no data"},
              {"import.bad_csv", "CSV 文件格式错误", "The CSV file is malformed"},
              {"import.bad_xlsx", "无法读取该 Excel 文件（须为 .xlsx）", "The Excel file cannot be read (it must be .xlsx)"},
              {"import.bad_community", "请选择要导入的社区", "Choose the community to import into"},
              {"import.missing_column", "缺少必需的列", "A required column is missing"},
              {"import.unknown_column", "无法识别的列", "Unknown column"},
              {"import.required", "此项必填", "This cell is required"},
              {"import.other_community", "该行属于其他社区", "This row belongs to another community"},
              {"import.unknown_grid", "本社区没有该网格", "This community has no such grid"},
              {"import.duplicate_id_number", "身份证号在文件中重复", "The national ID appears twice in the file"},
              {"import.resident_elsewhere", "该身份证号已登记在其他社区，请由其所在社区办理迁入", "This national ID is registered in another community; that community must move the person"},
              {"import.too_many_rows", "名册最多 20,000 行（含表头和空行），请分批导入", "A roster holds at most 20,000 rows (header and blank lines included); import it in parts"},
              {"import.too_many_columns", "名册最多 30 列，请删除多余的列", "A roster holds at most 30 columns; remove the others"},
              {"import.too_large", "文件内容过大，无法读取", "The file's content is too large to read"},
              {"import.care_not_permitted", "无权登记特殊关怀标签", "You may not set special-care tags"},
              {"import.has_errors", "名册有错误行，未导入任何数据，请修改后重试", "The roster has bad rows; nothing was imported"},
          },
      .labels = {{"audit.action", audit_actions}},
      .start = start,
  };
  return m;
}

}  // namespace xh::imports
