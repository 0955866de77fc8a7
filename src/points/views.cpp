#include "points/views.h"

#include <boost/json.hpp>

#include "core/json_output.h"
#include "core/messages.h"
#include "points/rules.h"

namespace xh::points::views {

namespace json = boost::json;

namespace {
std::string label(const std::vector<Label>& labels, std::string_view key, Lang lang) {
  return std::string(label_of(labels, key, lang));
}
}  // namespace

std::string text(const std::string& stored, const std::optional<std::string>& key,
                 const std::optional<std::string>& params, Lang lang) {
  if (!key) return stored;
  std::vector<std::pair<std::string, std::string>> values;
  json::value parsed = params ? json::parse(*params) : json::value(json::object{});
  const json::object& given = parsed.as_object();
  for (const auto& [name, v] : given) {
    if (name == "reason_params") continue;
    std::string value = v.is_string() ? std::string(v.as_string()) : json::serialize(v);
    // An event kind reads as its label; a reason kept as a key, as its message.
    if (name == "event") value = label(event_kind_labels(), value, lang);
    if (name == "reason_key") {
      auto inner = given.if_contains("reason_params");
      values.emplace_back("reason", text("", value,
                                         inner ? std::optional(json::serialize(*inner)) : std::nullopt,
                                         lang));
      continue;
    }
    values.emplace_back(std::string(name), std::move(value));
  }
  return message(*key, lang, values);
}

json::object account(const store::AccountSummary& a, Lang lang) {
  return {{"id", a.id},
          {"kind", a.kind},
          {"kind_label", label(account_kind_labels(), a.kind, lang)},
          {"name", a.name},
          {"balance", a.balance},
          {"community_name", a.community_name}};
}

json::object entry(const store::Entry& e, Lang lang) {
  return {{"tx_id", e.tx_id},
          {"at", iso8601(e.at)},
          {"kind", e.kind},
          {"kind_label", label(transaction_kind_labels(), e.kind, lang)},
          {"memo", text(e.memo, e.memo_key, e.memo_params, lang)},
          {"amount", e.amount},
          {"balance_after", e.balance_after}};
}

json::object transaction(const store::Transaction& t, Lang lang) {
  json::array postings;
  for (const auto& pp : t.postings)
    postings.push_back({{"account_id", pp.account_id},
                        {"account_name", pp.account_name},
                        {"account_kind", pp.account_kind},
                        {"amount", pp.amount},
                        {"balance_after", pp.balance_after}});
  return {{"id", t.id},
          {"at", iso8601(t.at)},
          {"kind", t.kind},
          {"kind_label", label(transaction_kind_labels(), t.kind, lang)},
          {"memo", text(t.memo, t.memo_key, t.memo_params, lang)},
          {"created_by", nullable(t.created_by)},
          {"hash", t.hash},
          {"reverses_id", nullable(t.reverses_id)},
          {"postings", std::move(postings)}};
}

json::object rule(const store::Rule& r, Lang lang) {
  return {{"id", r.id},
          {"community_id", r.community_id},
          {"community_name", r.community_name},
          {"event_kind", r.event_kind},
          {"event_label", label(event_kind_labels(), r.event_kind, lang)},
          {"points", r.points},
          {"daily_cap", nullable(r.daily_cap)},
          {"monthly_cap", nullable(r.monthly_cap)},
          {"needs_approval", r.needs_approval},
          {"notice_days", r.notice_days},
          {"active", r.active}};
}

json::object award(const store::Award& a, bool staff, Lang lang) {
  // The public notice of an award for an anonymous act links it to neither
  // the act nor the person's record: only staff see those.
  bool linked = staff || !a.private_event;
  json::object o{{"id", a.id},
                 {"event_kind", a.event_kind},
                 {"event_label", label(event_kind_labels(), a.event_kind, lang)},
                 {"event_id", linked ? json::value(a.event_id) : json::value(nullptr)},
                 {"points", a.points},
                 {"status", a.status},
                 {"status_label", label(award_status_labels(), a.status, lang)},
                 {"reason", a.reason_key ? json::value(text(a.reason.value_or(""), a.reason_key,
                                                            a.reason_params, lang))
                                         : nullable(a.reason)},
                 {"notice_until", nullable_time(a.notice_until)},
                 {"created_at", iso8601(a.created_at)},
                 {"account_kind", a.account_kind},
                 {"name", staff || a.account_kind == "org" ? a.name : mask_name(a.name)},
                 {"community_id", a.community_id},
                 {"objections", a.open_objections}};
  if (a.account_kind == "resident")
    o["resident_id"] = linked ? json::value(a.owner_id) : json::value(nullptr);
  else
    o["org_id"] = a.owner_id;
  return o;
}

json::object objection(const store::Objection& o) {
  return {{"id", o.id},
          {"reason", o.reason},
          {"status", o.status},
          {"by", o.by},
          {"created_at", iso8601(o.created_at)}};
}

json::object item(const store::Item& it) {
  return {{"id", it.id},
          {"org_id", it.org_id},
          {"org_name", it.org_name},
          {"community_id", it.community_id},
          {"community_name", it.community_name},
          {"title", it.title},
          {"description", nullable(it.description)},
          {"kind", it.kind},
          {"price", it.price},
          {"stock", it.stock},
          {"per_day", nullable(it.per_day)},
          {"per_month", nullable(it.per_month)},
          {"per_person", nullable(it.per_person)},
          {"active", it.active}};
}

json::object voucher(const store::Voucher& v, Lang lang, bool holder) {
  json::object o{{"id", v.id},
                 {"item_id", v.item_id},
                 {"item_title", v.item_title},
                 {"org_name", v.org_name},
                 {"price", v.price},
                 {"status", v.status},
                 {"status_label", label(voucher_status_labels(), v.status, lang)},
                 {"created_at", iso8601(v.created_at)},
                 {"fulfilled_at", nullable_time(v.fulfilled_at)},
                 {"cancelled_at", nullable_time(v.cancelled_at)},
                 {"holder", mask_name(v.holder_name)}};
  if (holder) {
    o["code"] = v.code;
    o["qr_url"] = "/api/points/vouchers/" + std::to_string(v.id) + "/qr.svg";
  }
  return o;
}

}  // namespace xh::points::views
