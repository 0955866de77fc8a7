#include "core/messages.h"

#include <map>
#include <stdexcept>

namespace xh {

namespace {

// The codes of the API kit and the access checks, which every module throws.
const std::vector<MessageDef> kShared = {
      {"request.bad_json", "请求内容不是有效的 JSON 对象", "The request body is not a valid JSON object"},
      {"request.unknown_field", "请求包含不允许的字段", "The request contains a field that is not allowed"},
      {"request.missing_field", "缺少必填字段", "A required field is missing"},
      {"request.invalid_field", "字段类型或取值不正确", "A field has the wrong type or value"},
      {"request.bad_text", "字段包含无法保存的字符（控制字符或无效编码）", "A field holds characters that cannot be stored (control characters or invalid encoding)"},
      {"request.field_too_long", "字段内容过长", "A field is too long"},
      {"request.bad_id", "编号格式不正确", "The id is not valid"},
      {"request.bad_query", "查询参数不正确", "A query parameter is not valid", "parameter"},
      {"request.bad_sort", "不支持该排序方式", "This sort order is not supported", "parameter"},
      {"request.bad_limit", "每页条数须在 1 到 500 之间", "The page size must be between 1 and 500"},
      {"request.bad_offset", "分页偏移量不正确", "The page offset is not valid"},
      {"request.not_found", "请求的地址不存在", "No such address"},
      {"request.not_implemented", "服务器不支持此请求方法", "The server does not implement this method"},
      {"request.method_not_allowed", "该地址不支持此请求方法", "This method is not allowed here"},
      {"request.unsupported_media_type", "请求内容须为 JSON（application/json）", "The request body must be JSON (application/json)"},
      {"request.conflict", "数据已被修改或已存在，请刷新后重试", "The data changed or already exists; refresh and try again"},
      {"request.too_large", "请求内容过大", "The request body is too large"},
      {"request.headers_too_large", "请求头过大", "The request headers are too large"},
      {"request.timeout", "请求超时", "The request took too long to arrive"},
      {"request.bad_target", "请求地址格式错误", "The request target is malformed"},
      {"request.malformed", "请求格式错误", "The request is malformed"},
      {"request.bad_format", "格式须为 csv 或 xlsx", "The format must be csv or xlsx", "parameter"},
      {"server.internal", "服务器内部错误，请稍后再试", "Internal server error; please try again later"},
      {"server.unavailable", "数据库暂时无法响应，请稍后再试", "The database is not answering right now; please try again shortly"},
      {"auth.unauthenticated", "请先登录", "Please log in"},
      {"auth.session_expired", "长时间未操作，登录已过期，请重新登录", "Your session expired after a period of inactivity; please log in again"},
      {"auth.csrf_failed", "安全校验失败，请刷新页面后重试", "Security check failed; refresh the page and try again"},
      {"auth.permission_denied", "您没有执行此操作的权限", "You do not have permission to do this"},
      {"auth.scope_denied", "该数据不在您的管辖范围内", "This data is outside your area of responsibility"},
      {"auth.password_expired", "密码已过期，请先修改密码", "Your password has expired; change it first"},
      {"auth.denied", "访问被拒绝", "Access denied"},
};

std::map<std::string_view, MessageDef>& table() {
  static std::map<std::string_view, MessageDef> t = [] {
    std::map<std::string_view, MessageDef> out;
    for (const auto& d : kShared) out.emplace(d.code, d);
    return out;
  }();
  return t;
}

}  // namespace

void add_messages(const std::vector<MessageDef>& defs) {
  for (const auto& d : defs) {
    if (d.zh.empty() || d.en.empty())
      throw std::logic_error("message without text: " + std::string(d.code));
    if (!table().emplace(d.code, d).second)
      throw std::logic_error("message defined twice: " + std::string(d.code));
  }
}

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
  return std::string(text_of(it->second, lang));
}

std::string_view detail_kind(std::string_view code) {
  auto it = table().find(code);
  return it == table().end() ? std::string_view("field") : it->second.detail;
}

std::string message(std::string_view code, Lang lang,
                    const std::vector<std::pair<std::string, std::string>>& params) {
  std::string text = message(code, lang);
  for (const auto& [name, value] : params) {
    std::string slot = "{" + name + "}";
    for (auto at = text.find(slot); at != std::string::npos; at = text.find(slot, at + value.size()))
      text.replace(at, slot.size(), value);
  }
  return text;
}

bool has_message(std::string_view code) { return table().count(code) > 0; }

std::vector<std::string> message_codes() {
  std::vector<std::string> out;
  for (const auto& [k, v] : table()) out.emplace_back(k);
  return out;
}

}  // namespace xh
