#include "core/messages.h"

#include <map>

namespace xh {

namespace {

struct Text {
  const char* zh;
  const char* en;
};

const std::map<std::string_view, Text>& table() {
  static const std::map<std::string_view, Text> t = {
      // Requests
      {"request.bad_json", {"请求内容不是有效的 JSON 对象", "The request body is not a valid JSON object"}},
      {"request.unknown_field", {"请求包含不允许的字段", "The request contains a field that is not allowed"}},
      {"request.missing_field", {"缺少必填字段", "A required field is missing"}},
      {"request.invalid_field", {"字段类型或取值不正确", "A field has the wrong type or value"}},
      {"request.field_too_long", {"字段内容过长", "A field is too long"}},
      {"request.bad_id", {"编号格式不正确", "The id is not valid"}},
      {"request.bad_query", {"查询参数不正确", "A query parameter is not valid"}},
      {"request.bad_sort", {"不支持该排序方式", "This sort order is not supported"}},
      {"request.bad_limit", {"每页条数须在 1 到 500 之间", "The page size must be between 1 and 500"}},
      {"request.bad_offset", {"分页偏移量不正确", "The page offset is not valid"}},
      {"request.not_found", {"请求的地址不存在", "No such address"}},
      {"request.method_not_allowed", {"该地址不支持此请求方法", "This method is not allowed here"}},
      {"request.unsupported_media_type", {"请求内容须为 JSON（application/json）", "The request body must be JSON (application/json)"}},
      {"request.conflict", {"数据已被修改或已存在，请刷新后重试", "The data changed or already exists; refresh and try again"}},
      {"request.too_large", {"请求内容过大", "The request body is too large"}},
      {"request.headers_too_large", {"请求头过大", "The request headers are too large"}},
      {"request.timeout", {"请求超时", "The request took too long to arrive"}},
      {"request.malformed", {"请求格式错误", "The request is malformed"}},
      {"server.internal", {"服务器内部错误，请稍后再试", "Internal server error; please try again later"}},
      // Authentication and authorisation
      {"auth.bad_credentials", {"用户名或密码错误", "Wrong username or password"}},
      {"auth.locked", {"登录失败次数过多，账号已暂时锁定，请稍后再试或联系安全管理员", "Too many failed logins: the account is locked for a while; try later or ask the security administrator"}},
      {"auth.totp_required", {"请输入动态验证码", "Enter the code from your authenticator app"}},
      {"auth.bad_totp", {"动态验证码错误或已使用", "The authenticator code is wrong or already used"}},
      {"auth.unauthenticated", {"请先登录", "Please log in"}},
      {"auth.session_expired", {"长时间未操作，登录已过期，请重新登录", "Your session expired after a period of inactivity; please log in again"}},
      {"auth.csrf_failed", {"安全校验失败，请刷新页面后重试", "Security check failed; refresh the page and try again"}},
      {"auth.permission_denied", {"您没有执行此操作的权限", "You do not have permission to do this"}},
      {"auth.scope_denied", {"该数据不在您的管辖范围内", "This data is outside your area of responsibility"}},
      {"auth.password_expired", {"密码已过期，请先修改密码", "Your password has expired; change it first"}},
      {"auth.weak_password", {"密码须为 8 位以上，至少包含大写字母、小写字母、数字、符号中的三类，且不能包含用户名", "Passwords need 8 or more characters, three of: upper case, lower case, digits, symbols, and must not contain the username"}},
      {"auth.bad_current_password", {"当前密码不正确", "The current password is wrong"}},
      {"auth.password_reused", {"新密码不能与当前密码相同", "The new password must differ from the current one"}},
      {"auth.totp_staff_only", {"仅工作人员需要启用动态验证码", "Only staff accounts use authenticator codes"}},
      {"auth.totp_already_enabled", {"动态验证码已启用", "Authenticator codes are already enabled"}},
      {"auth.totp_not_started", {"请先开始绑定动态验证码", "Start the authenticator set-up first"}},
      {"auth.token_not_found", {"访问令牌不存在", "No such API token"}},
      {"auth.denied", {"访问被拒绝", "Access denied"}},
      // Users and roles
      {"user.not_found", {"账号不存在", "No such user"}},
      {"user.exists", {"该登录名已被使用", "This username is taken"}},
      {"user.bad_username", {"登录名须为 3 至 32 位小写字母、数字或 _ . -", "Usernames have 3 to 32 lower-case letters, digits, or _ . -"}},
      {"user.cannot_disable_self", {"不能停用自己的账号", "You cannot disable your own account"}},
      {"role.unknown", {"角色不存在", "No such role"}},
      {"role.already_assigned", {"该账号已拥有此角色", "The user already holds this role there"}},
      {"role.assignment_not_found", {"角色授权不存在", "No such role assignment"}},
      {"role.admin_by_operator_only", {"系统、安全、审计管理员只能由运维人员通过命令行任命", "The system, security and audit administrators are appointed by the operator on the command line"}},
      {"user.cannot_disable_admin", {"不能停用安全管理员或审计管理员", "The security and audit administrators cannot be disabled here"}},
      {"role.cannot_grant_self", {"不能给自己授予角色", "You cannot grant roles to yourself"}},
      // Places
      {"place.not_found", {"地点不存在", "No such place"}},
      {"place.parent_not_found", {"上级地点不存在", "The parent place does not exist"}},
      {"place.bad_kind", {"该类型的地点不能放在此上级之下", "A place of this kind cannot sit under that parent"}},
      {"place.bad_name", {"名称须为 1 至 100 个字", "Names have 1 to 100 characters"}},
      {"place.bad_code", {"编码须为 1 至 64 个字符", "Codes have 1 to 64 characters"}},
      {"place.code_taken", {"该编码已被使用", "This code is already used"}},
      {"place.bad_point", {"坐标须同时给出纬度和经度，且在有效范围内", "A map point needs both latitude and longitude within range"}},
      {"place.field_not_for_kind", {"该类型的地点没有此项", "This field does not apply to this kind of place"}},
      {"place.bad_grid", {"所属网格须为同一社区内的网格", "The grid must be a grid of the same community"}},
      {"place.bad_property_org", {"服务企业须为已登记的物业服务企业", "The property company must be a registered property management company"}},
      {"place.bad_area", {"面积须为数字，最多两位小数，例如 89.50", "The area must be a number with at most two decimals, e.g. 89.50"}},
      {"place.has_children", {"该地点下还有未归档的地点，不能归档", "Archive the places under it first"}},
      {"place.has_members", {"该户还有登记的居民，不能归档", "Residents are still registered in this household"}},
      {"place.tree_too_large", {"层级过多，请缩小展开层数", "Too many places: ask for fewer levels"}},
      // Residents
      {"resident.not_found", {"居民不存在", "No such resident"}},
      {"resident.exists", {"该身份证号已登记", "A resident with this national ID is already registered"}},
      {"resident.bad_name", {"姓名须为 1 至 50 个字", "Names have 1 to 50 characters"}},
      {"resident.bad_id_number", {"身份证号无效（须为 18 位，出生日期和校验位正确）", "The national ID is not valid (18 characters, a real birth date, a correct check character)"}},
      {"resident.bad_phone", {"电话号码无效", "The phone number is not valid"}},
      {"resident.bad_relation", {"与户关系须为：业主、租户或家庭成员", "The relation must be owner, tenant or family member"}},
      {"resident.bad_tag", {"特殊关怀类别不在可选范围内", "This special-care tag is not one of the allowed tags"}},
      {"resident.bad_household", {"所选地点不是有效的户", "The place is not a household"}},
      {"resident.bad_consent", {"不支持的授权类型", "Unknown kind of consent"}},
      {"resident.last_household", {"居民至少须属于一户", "A resident must belong to at least one household"}},
      {"resident.membership_not_found", {"该居民不属于此户", "The resident is not a member of this household"}},
      // Partners and the three lists
      {"partner.not_found", {"合伙人单位不存在", "No such partner organisation"}},
      {"partner.exists", {"同名合伙人单位已存在", "A partner with this name already exists"}},
      {"partner.bad_kind", {"单位类型不在可选范围内", "Unknown kind of organisation"}},
      {"partner.bad_date", {"日期格式须为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"}},
      {"partner.bad_term", {"合作期限的结束日期不能早于开始日期", "The term cannot end before it starts"}},
      {"partner.bad_category", {"类别不在可选范围内", "Unknown category"}},
      {"partner.contact_exists", {"该账号已是此单位的联系人", "This user is already a contact of the organisation"}},
      {"need.not_found", {"需求不存在", "No such need"}},
      {"need.closed", {"该需求已关闭", "This need is closed"}},
      {"resource.not_available", {"所选资源不可用", "A chosen resource is not available"}},
      {"project.not_found", {"项目不存在", "No such project"}},
      {"project.bad_status", {"项目状态不正确", "Unknown project status"}},
      // Imports and exports
      {"request.bad_format", {"格式须为 csv 或 xlsx", "The format must be csv or xlsx"}},
      {"import.empty_file", {"文件中没有数据", "The file has no data"}},
      {"import.bad_csv", {"CSV 文件格式错误", "The CSV file is malformed"}},
      {"import.bad_xlsx", {"无法读取该 Excel 文件（须为 .xlsx）", "The Excel file cannot be read (it must be .xlsx)"}},
      {"import.bad_community", {"请选择要导入的社区", "Choose the community to import into"}},
      {"import.missing_column", {"缺少必需的列", "A required column is missing"}},
      {"import.unknown_column", {"无法识别的列", "Unknown column"}},
      {"import.required", {"此项必填", "This cell is required"}},
      {"import.other_community", {"该行属于其他社区", "This row belongs to another community"}},
      {"import.unknown_grid", {"本社区没有该网格", "This community has no such grid"}},
      {"import.duplicate_id_number", {"身份证号在文件中重复", "The national ID appears twice in the file"}},
      {"import.resident_elsewhere", {"该身份证号已登记在其他社区，请由其所在社区办理迁入", "This national ID is registered in another community; that community must move the person"}},
      // Photos
      {"photo.too_large", {"照片太大，请压缩后再上传（不超过 8 MB）", "The photo is too large (at most 8 MB)"}},
      {"photo.bad_type", {"只能上传 JPEG、PNG 或 WebP 格式的照片", "Only JPEG, PNG or WebP photos can be uploaded"}},
      {"photo.corrupt", {"照片文件已损坏或不完整，请重新拍摄或选择", "The photo file is damaged or incomplete"}},
      {"photo.not_found", {"照片不存在", "No such photo"}},
      // Work orders
      {"workorder.not_found", {"工单不存在", "No such work order"}},
      {"workorder.bad_category", {"诉求类别不存在或已停用", "No such report category, or it is no longer used"}},
      {"workorder.bad_place", {"请选择社区、小区、楼栋或单元作为问题地点", "Choose a community, compound, building or unit as the place"}},
      {"workorder.bad_point", {"地图位置不正确", "The map point is not valid"}},
      {"workorder.text_required", {"请描述遇到的问题", "Please describe the problem"}},
      {"workorder.too_many_photos", {"每条诉求最多 9 张照片", "At most 9 photos per report"}},
      {"workorder.bad_photo", {"照片不存在或不是您上传的", "A photo does not exist or was not uploaded by you"}},
      {"workorder.bad_channel", {"代报渠道须为电话或来访", "The channel must be phone or walk-in"}},
      {"workorder.bad_phone", {"电话号码格式不正确", "The phone number is not valid"}},
      {"workorder.unknown_action", {"不支持该办理步骤", "No such step"}},
      {"workorder.bad_transition", {"工单当前状态下不能进行此操作，请刷新后重试", "This step is not possible in the order's current status; refresh and try again"}},
      {"workorder.reason_required", {"驳回须说明理由", "A rejection needs a reason"}},
      {"workorder.not_reporter", {"只有诉求人本人可以进行此操作", "Only the reporter can do this"}},
      {"workorder.not_resolved", {"工单办结后才能评价", "An order can be rated once it is resolved"}},
      {"workorder.already_rated", {"已经评价过了", "This order has already been rated"}},
      {"workorder.bad_score", {"评分须为 1 到 5 分", "The score must be from 1 to 5"}},
      {"workorder.no_followup", {"当前没有待答复的回访", "There is no follow-up question to answer"}},
      {"workorder.own_report", {"这是您自己提交的诉求", "This is your own report"}},
      {"workorder.not_open", {"该诉求已办结，无需关注", "This report is no longer open"}},
      {"workorder.consultation_exists", {"该工单已转入三方协商", "This order is already in a three-party consultation"}},
      {"workorder.inspection_not_found", {"复查任务不存在", "No such re-inspection"}},
      {"workorder.inspection_done", {"该复查任务已完成", "This re-inspection is already done"}},
      {"workorder.bad_period", {"统计时段不正确（日期格式 YYYY-MM-DD，最长一年）", "The period is not valid (dates as YYYY-MM-DD, at most a year)"}},
      {"workorder.bad_body", {"责任主体不正确", "The responsible body is not valid"}},
      {"workorder.bad_deadline", {"办理时限须在 1 到 8760 小时之间", "The deadline must be between 1 and 8760 hours"}},
      {"workorder.bad_category_key", {"类别代码只能使用小写字母、数字和下划线", "A category key may use lower-case letters, digits and underscores only"}},
      {"workorder.category_exists", {"该类别代码已存在", "This category key already exists"}},
      {"workorder.category_not_found", {"诉求类别不存在", "No such category"}},
      {"workorder.rule_exists", {"该地点已有此类别的派单规则", "This place already has a rule for this category"}},
      {"workorder.rule_not_found", {"派单规则不存在", "No such routing rule"}},
      {"workorder.bad_setting", {"设置值超出允许范围", "A setting is out of its allowed range"}},
      {"consultation.not_found", {"协商议题不存在", "No such consultation topic"}},
      // Points
      {"points.unbalanced", {"记账分录不平衡", "The postings do not balance"}},
      {"points.insufficient", {"积分余额不足", "Not enough points"}},
      {"points.no_account", {"未找到积分账户（账号未关联居民信息）", "No points account (this login is not linked to a resident)"}},
      {"points.no_household", {"该居民未登记所在住户，无法开立积分账户", "The resident belongs to no household, so has no points account"}},
      {"points.no_rule", {"本社区未设置该项积分规则", "This community has no rule for this kind of event"}},
      {"points.bad_points", {"积分数须为正整数且不超过规则规定的分值", "Points must be a positive whole number no larger than the rule allows"}},
      {"points.bad_cap", {"积分上限须为正整数", "A cap must be a positive whole number"}},
      {"points.bad_notice", {"公示天数须在 0 到 30 天之间", "Notice must be from 0 to 30 days"}},
      {"points.bad_event_kind", {"积分事项类型不正确", "No such kind of event"}},
      {"points.bad_community", {"请选择社区", "Choose a community"}},
      {"points.award_not_found", {"积分奖励记录不存在", "No such award"}},
      {"points.award_decided", {"该积分奖励已处理", "This award has already been decided"}},
      {"points.not_in_notice", {"该积分奖励不在公示期内", "This award is not in public notice"}},
      {"points.already_objected", {"您已对该奖励提出过异议", "You have already objected to this award"}},
      {"points.objection_not_found", {"异议不存在", "No such objection"}},
      {"points.objection_decided", {"该异议已处理", "This objection has already been decided"}},
      {"points.transaction_not_found", {"积分流水不存在", "No such transaction"}},
      {"points.not_reversible", {"只能冲正获得积分的流水；兑换请取消兑换券", "Only awards can be reversed; cancel a voucher instead"}},
      {"points.already_reversed", {"该流水已冲正", "This transaction has already been reversed"}},
      {"points.item_not_found", {"兑换项目不存在", "No such item"}},
      {"points.bad_item", {"兑换项目信息不正确", "The item is not valid"}},
      {"points.item_inactive", {"该项目已下架", "This item is no longer offered"}},
      {"points.out_of_stock", {"已兑完，库存不足", "Out of stock"}},
      {"points.limit_reached", {"已达到该项目的兑换次数上限", "You have reached the limit for this item"}},
      {"points.voucher_not_found", {"兑换券不存在，请核对兑换码", "No such voucher; check the code"}},
      {"points.voucher_not_issued", {"该兑换券已核销或已取消", "This voucher was already fulfilled or cancelled"}},
      {"points.not_provider", {"只有提供该服务的单位可以核销", "Only the provider can fulfil this voucher"}},
      // Open311
      {"open311.bad_key", {"api_key 无效或已停用", "Invalid or revoked api_key"}},
      {"open311.unknown_service", {"service_code 不存在", "No such service_code"}},
      {"open311.missing_parameter", {"缺少必填参数", "A required parameter is missing"}},
      {"open311.bad_parameter", {"参数格式不正确", "A parameter is not valid"}},
      {"open311.bad_date_range", {"起止时间不正确（跨度不超过 90 天）", "The date range is not valid (at most 90 days)"}},
      {"open311.location_required", {"须提供 lat/long、address_string 或 address_id 之一", "One of lat/long, address_string or address_id is required"}},
      {"open311.outside_area", {"该位置不在本街道服务范围内", "This location is outside the street's area"}},
      {"open311.unknown_address", {"找不到该地址", "No such address"}},
      {"open311.bad_address_id", {"address_id 不存在", "No such address_id"}},
      {"open311.description_required", {"请描述问题（description）", "A description is required"}},
      {"open311.bad_phone", {"电话号码格式不正确", "The phone number is not valid"}},
      {"open311.request_not_found", {"服务请求不存在", "No such service request"}},
      {"open311.token_not_found", {"token 不存在", "No such token"}},
      {"open311.key_not_found", {"API 密钥不存在或已停用", "No such active API key"}},
      {"import.has_errors", {"名册有错误行，未导入任何数据，请修改后重试", "The roster has bad rows; nothing was imported"}},
  };
  return t;
}

}  // namespace

Lang lang_from_accept_language(std::string_view header) {
  // The first listed language wins; browsers list the preferred one first.
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  if (header.size() >= 2 && (header[0] == 'e' || header[0] == 'E') &&
      (header[1] == 'n' || header[1] == 'N'))
    return Lang::en;
  return Lang::zh_CN;
}

std::string message(std::string_view code, Lang lang) {
  auto it = table().find(code);
  if (it == table().end())
    return lang == Lang::en ? "The request could not be completed" : "请求未能完成";
  return lang == Lang::en ? it->second.en : it->second.zh;
}

bool has_message(std::string_view code) { return table().count(code) > 0; }

std::vector<std::string> message_codes() {
  std::vector<std::string> out;
  for (const auto& [k, v] : table()) out.emplace_back(k);
  return out;
}

}  // namespace xh
