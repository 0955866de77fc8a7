// The workorders module's declaration: residents' reports and work orders: their permissions, messages, labels, routes (with Open311) and scheduled jobs.
#include "api/module.h"
#include "core/error.h"
#include "workorders/access.h"
#include "workorders/store.h"
#include "workorders/photos.h"
#include "workorders/tasks.h"
#include "workorders/workorders.h"

namespace xh::workorders {

namespace json = boost::json;

void add_routes(api::Router& r, std::shared_ptr<const WorkOrders> wo);
void load_demo(api::Context& ctx);
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);
void add_open311_routes(api::Router& r, std::shared_ptr<const WorkOrders> wo);
const std::vector<api::ExportColumn>& order_columns();
const std::vector<api::ExportColumn>& inspection_columns();

namespace {

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"workorder.file", "提交诉求", "Report filed"},
      {"workorder.accept", "受理工单", "Order accepted"},
      {"workorder.reject", "驳回工单", "Order rejected"},
      {"workorder.dispatch", "派单", "Order dispatched"},
      {"workorder.assign", "指派处理人", "Handler assigned"},
      {"workorder.start", "开始处理", "Work started"},
      {"workorder.resolve", "办结工单", "Order resolved"},
      {"workorder.verify", "核实办结", "Result verified"},
      {"workorder.close", "关闭工单", "Order closed"},
      {"workorder.reopen", "重新打开工单", "Order reopened"},
      {"workorder.escalate", "超时升级", "Overdue order escalated"},
      {"workorder.follow", "关注诉求", "Report followed"},
      {"workorder.unfollow", "取消关注", "Report unfollowed"},
      {"workorder.rate", "评价", "Order rated"},
      {"workorder.followup", "回访答复", "Follow-up answered"},
      {"workorder.inspect", "完成复查", "Re-inspection done"},
      {"workorder.category_save", "保存诉求类别", "Category saved"},
      {"workorder.rule_add", "新增派单规则", "Routing rule added"},
      {"workorder.rule_delete", "删除派单规则", "Routing rule deleted"},
      {"workorder.settings", "修改工单设置", "Settings changed"},
      {"consultation.open", "转三方协商", "Consultation opened"},
      {"photo.upload", "上传照片", "Photo uploaded"},
      {"open311.key_create", "创建 Open311 密钥", "Open311 key created"},
      {"open311.key_revoke", "停用 Open311 密钥", "Open311 key revoked"},
  };
  return all;
}

void start(api::Setup& s) {
  auto& ctx = s.context();
  remove_unfinished_photos(ctx.data_dir + "/photos");
  auto wo = std::make_shared<const WorkOrders>(ctx.db, ctx.cipher, ctx.data_dir + "/photos",
                                               ctx.events);
  add_routes(s.router(), wo);
  add_open311_routes(s.router(), wo);
  s.job("workorder.escalate",
        [wo](storage::Tx& tx, std::int64_t id, Millis now) { wo->escalate_overdue(tx, id, now); });
  s.job("workorder.followup",
        [wo](storage::Tx& tx, std::int64_t id, Millis now) { wo->ask_followup(tx, id, now); });
  s.job("workorder.inspection_due",
        [wo](storage::Tx& tx, std::int64_t id, Millis now) { wo->remind_inspection(tx, id, now); });
}

// The to-do lists (待办) of GET /api/tasks, as the home page names them.
const std::vector<Label>& task_labels() {
  static const std::vector<Label> all = {
      {"workorder.accept", "待受理诉求", "Reports to accept"},
      {"workorder.dispatch", "待派单", "Orders to dispatch"},
      {"workorder.handle", "待处理工单", "Orders to handle"},
      {"workorder.verify", "待核实办结", "Results to verify"},
      {"workorder.close", "待关闭", "Orders to close"},
      {"workorder.inspect", "待复查", "Re-inspections due"},
  };
  return all;
}

// The notices the module sends (preferences, staff groups' robots).
const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {
      {"workorder.status", "诉求进展", "Report progress"},
      {"workorder.overdue", "超期督办", "Overdue orders"},
      {"workorder.inspection_due", "复查到期", "Re-inspections due"},
  };
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"work_order", "诉求工单", "Work order"},
                                         {"inspection", "复查", "Re-inspection"},
                                         {"consultation", "三方协商", "Consultation"},
                                         {"photo", "照片", "Photo"},
                                         {"wo_category", "诉求类别", "Report category"},
                                         {"wo_rule", "派单规则", "Routing rule"},
                                         {"wo_settings", "工单设置", "Work-order settings"},
                                         {"open311_key", "Open311 密钥", "Open311 key"}};
  return all;
}

// An order by what and where: "路灯不亮 · 泉星花园3号楼".
std::map<std::string, std::string> order_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx,
                          "SELECT w.id, c.zh || ' · ' || p.name AS name FROM work_orders w "
                          "JOIN wo_categories c ON c.key = w.category JOIN places p ON p.id = w.place_id",
                          "w.id", ids);
}
std::map<std::string, std::string> category_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT key AS id, zh AS name FROM wo_categories", "key", ids, true);
}
std::map<std::string, std::string> consultation_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM consultation_topics", "id", ids);
}
std::map<std::string, std::string> key_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, name FROM open311_keys", "id", ids);
}

}  // namespace

namespace {
// A live subscription to an order: allowed exactly as GET /api/work-orders/{id}.
void authorize_live(storage::Tx& tx, const api::Principal& p, std::int64_t id) {
  auto o = store::find_order(tx, id);
  if (!o) throw not_found("workorder.not_found");
  access::require_read(tx, p, *o);
}

// An order on a room's screen (a community hall's 公示屏): what, where, how far
// — never who reported it or their words.
json::object display_order(storage::Tx& tx, std::int64_t id, Lang lang) {
  auto r = tx.query_one(
      "SELECT w.id, w.status, w.updated_at, pl.name AS place_name, c.zh, c.en FROM work_orders w JOIN "
      "places pl ON pl.id = w.place_id JOIN wo_categories c ON c.key = w.category WHERE w.id = $1",
      id);
  if (!r) throw not_found("workorder.not_found");
  return {{"title", r->str(lang == Lang::en ? "en" : "zh") + " · " + r->str("place_name")},
          {"number", "#" + std::to_string(id)},
          {"status", r->str("status")},
          {"status_label", std::string(label_of(status_labels(), r->str("status"), lang))},
          {"updated_at", iso8601(r->i64("updated_at"))}};
}
}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "workorders",
      .permissions =
          {
              {"workorder.read", {"street_admin", "community_admin", "grid_worker", "building_leader", "property_staff"}},
              {"workorder.file", {"street_admin", "community_admin", "grid_worker", "building_leader", "property_staff", "volunteer", "resident"}},
              // Upload a photo, to attach to a report or to what another module shows (a topic, an inspection log).
              {"photo.upload", {"street_admin", "community_admin", "grid_worker", "building_leader", "property_staff", "partner_admin", "volunteer", "resident"}},
              {"workorder.on_behalf", {"street_admin", "community_admin", "grid_worker"}},
              {"workorder.accept", {"street_admin", "community_admin", "property_staff"}},
              {"workorder.dispatch", {"street_admin", "community_admin", "property_staff"}},
              {"workorder.handle", {"street_admin", "community_admin", "property_staff"}},
              {"workorder.verify", {"street_admin", "community_admin", "grid_worker"}},
              {"workorder.close", {"street_admin", "community_admin"}},
              {"workorder.consult", {"street_admin", "community_admin"}},
              {"workorder.inspect", {"street_admin", "community_admin", "grid_worker"}},
              {"workorder.configure", {"street_admin"}},
          },
      .messages =
          {
              {"photo.too_large", "照片太大，请压缩后再上传（不超过 8 MB）", "The photo is too large (at most 8 MB)"},
              {"photo.bad_type", "只能上传 JPEG、PNG 或 WebP 格式的照片", "Only JPEG, PNG or WebP photos can be uploaded"},
              {"photo.corrupt", "照片文件已损坏或不完整，请重新拍摄或选择", "The photo file is damaged or incomplete"},
              {"photo.too_many_pixels", "照片尺寸过大：每边不超过 12000 像素，总计不超过 5000 万像素", "The picture is too large: at most 12,000 pixels a side and 50 megapixels"},
              {"photo.not_found", "照片不存在", "No such photo"},
              {"photo.not_yours", "照片不存在或不是您上传的", "A photo does not exist or was not uploaded by you"},
              {"photo.too_many", "最多 9 张照片", "At most 9 photos"},
              {"workorder.not_found", "工单不存在", "No such work order"},
              {"workorder.bad_category", "诉求类别不存在或已停用", "No such report category, or it is no longer used"},
              {"workorder.bad_place", "请选择社区、小区、楼栋或单元作为问题地点", "Choose a community, compound, building or unit as the place"},
              {"workorder.bad_point", "地图位置不正确", "The map point is not valid"},
              {"workorder.text_required", "请描述遇到的问题", "Please describe the problem"},
              {"workorder.too_many_photos", "每条诉求最多 9 张照片", "At most 9 photos per report"},
              {"workorder.bad_photo", "照片不存在或不是您上传的", "A photo does not exist or was not uploaded by you"},
              {"workorder.bad_channel", "代报渠道须为电话或来访", "The channel must be phone or walk-in"},
              {"workorder.bad_phone", "电话号码格式不正确", "The phone number is not valid"},
              {"workorder.unknown_action", "不支持该办理步骤", "No such step", "action"},
              {"workorder.bad_transition", "工单当前状态下不能进行此操作，请刷新后重试", "This step is not possible in the order's current status; refresh and try again", "status"},
              {"workorder.reason_required", "驳回须说明理由", "A rejection needs a reason"},
              {"workorder.not_reporter", "只有诉求人本人可以进行此操作", "Only the reporter can do this"},
              {"workorder.not_resolved", "工单办结后才能评价", "An order can be rated once it is resolved", "status"},
              {"workorder.already_rated", "已经评价过了", "This order has already been rated"},
              {"workorder.bad_score", "评分须为 1 到 5 分", "The score must be from 1 to 5"},
              {"workorder.no_followup", "当前没有待答复的回访", "There is no follow-up question to answer"},
              {"workorder.own_report", "这是您自己提交的诉求", "This is your own report"},
              {"workorder.not_open", "该诉求已办结，无需关注", "This report is no longer open"},
              {"workorder.consultation_exists", "该工单已转入三方协商", "This order is already in a three-party consultation"},
              {"workorder.inspection_not_found", "复查任务不存在", "No such re-inspection"},
              {"workorder.inspection_done", "该复查任务已完成", "This re-inspection is already done"},
              {"workorder.bad_period", "统计时段不正确（日期格式 YYYY-MM-DD，最长一年）", "The period is not valid (dates as YYYY-MM-DD, at most a year)", "parameter"},
              {"workorder.bad_body", "责任主体不正确", "The responsible body is not valid"},
              {"workorder.bad_deadline", "办理时限须在 1 到 8760 小时之间", "The deadline must be between 1 and 8760 hours"},
              {"workorder.bad_category_key", "类别代码只能使用小写字母、数字和下划线", "A category key may use lower-case letters, digits and underscores only"},
              {"workorder.category_exists", "该类别代码已存在", "This category key already exists"},
              {"workorder.category_not_found", "诉求类别不存在", "No such category"},
              {"workorder.rule_exists", "该地点已有此类别的派单规则", "This place already has a rule for this category"},
              {"workorder.rule_not_found", "派单规则不存在", "No such routing rule"},
              {"workorder.bad_setting", "设置值超出允许范围", "A setting is out of its allowed range"},
              {"workorder.notice.overdue_community", "诉求 #{id} 超过办理时限，已提级到社区督办", "Report #{id} is past its deadline: the community now oversees it"},
              {"workorder.notice.overdue_street", "诉求 #{id} 超过办理时限，已提级到街道督办", "Report #{id} is past its deadline: the street now oversees it"},
              {"workorder.notice.status", "诉求 #{id} 状态更新：{status}", "Report #{id} is now: {status}"},
              {"workorder.notice.inspection_due", "{place}的{category}复查 {due} 到期", "Re-inspection of {category} at {place} is due {due}"},
              {"workorder.note.rated", "评分 {score}/5", "Rated {score}/5"},
              {"workorder.note.assigned", "交给 {name} 处理", "Handed to {name}"},
              {"workorder.bad_assignee", "该人员不能处理此工单（须有处理权限，物业人员须属于承办单位）", "This person cannot handle the order (they need the handling permission; a company's staff must belong to the company it is routed to)", "field"},
              {"workorder.not_assignable", "工单当前状态不能指派处理人", "The order cannot be handed to someone in its current state", "status"},
              {"consultation.not_found", "协商议题不存在", "No such consultation topic"},
              {"open311.bad_key", "api_key 无效或已停用", "Invalid or revoked api_key"},
              {"open311.unknown_service", "service_code 不存在", "No such service_code"},
              {"open311.missing_parameter", "缺少必填参数", "A required parameter is missing", "parameter"},
              {"open311.bad_parameter", "参数格式不正确", "A parameter is not valid", "parameter"},
              {"open311.bad_date_range", "起止时间不正确（跨度不超过 90 天）", "The date range is not valid (at most 90 days)"},
              {"open311.location_required", "须提供 lat/long、address_string 或 address_id 之一", "One of lat/long, address_string or address_id is required"},
              {"open311.outside_area", "该位置不在本街道服务范围内", "This location is outside the street's area"},
              {"open311.unknown_address", "找不到该地址：请写明本街道的小区或楼栋名称，或提供经纬度", "No such address: name a compound or building of the street, or give lat and long"},
              {"open311.public_text", "是否同意公开诉求描述？不同意时只公开类别、地点和进度。", "May the description be published? Without it, only the category, place and status are public."},
              {"open311.public_text_type", "true 或 false", "true or false"},
              {"open311.publish", "公开", "Publish"},
              {"open311.keep_private", "不公开", "Do not publish"},
              {"open311.contact", "街道办事处（本街道 Open311 管理员）", "The street office (the street's Open311 administrator)"},
              {"open311.key_service", "API key 由街道管理员签发（POST /api/open311/keys）", "API keys are issued by a street administrator (POST /api/open311/keys)"},
              {"open311.form_required", "请以 application/x-www-form-urlencoded 表单提交", "Post the request as application/x-www-form-urlencoded"},
              {"open311.bad_address_id", "address_id 不存在", "No such address_id"},
              {"open311.description_required", "请描述问题（description）", "A description is required"},
              {"open311.bad_phone", "电话号码格式不正确", "The phone number is not valid"},
              {"open311.request_not_found", "服务请求不存在", "No such service request"},
              {"open311.token_not_found", "token 不存在", "No such token"},
              {"open311.key_not_found", "API 密钥不存在或已停用", "No such active API key"},
          },
      .labels = {{"workorder.status", status_labels},
                  {"workorder.body", bodies},
                  {"workorder.channel", channels},
                  {"workorder.event", event_labels},
                  {"audit.action", audit_actions},
                  {"audit.target", audit_targets},
                  {"task", task_labels},
                  {"notice.kind", notice_kinds}},
      .exports = {{"work-orders", order_columns}, {"inspections", inspection_columns}},
      .emits = {"workorder.verified", "workorder.changed", "workorder.escalated",
                "workorder.inspection_due", "workorder.consultation_opened"},
      .live = {{"work_order", authorize_live, {"workorder.changed"}, display_order}},
      .sealed = {{"work_orders", "reporter_phone_enc"}},
      .audit_names = {{"work_order", order_names},
                      {"wo_category", category_names},
                      {"consultation", consultation_names},
                      {"open311_key", key_names}},
      .limits = {{"photo_max_bytes", static_cast<std::int64_t>(kMaxPhotoBytes)},
                  {"photos_per_report", static_cast<std::int64_t>(kMaxPhotosPerReport)}},
      .start = start,
      // After the street, its people, partners, logins and points rules.
      .demo = {{70, load_demo}},
      // On the buildings the places step made.
      .gen = {{40, gen_street}},
      .tasks = tasks,
  };
  return m;
}

}  // namespace xh::workorders
