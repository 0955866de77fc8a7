// The points module's declaration: contribution points: their permissions,
// messages, labels, exports, the domain events they are paid for, routes,
// scheduled jobs, demo data and the ledger's command-line checks.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "api/module.h"
#include "api/scope.h"
#include "points/ledger.h"
#include "points/points.h"
#include "points/store.h"
#include "points/rules.h"

namespace xh::points {

void add_routes(api::Router& r, std::shared_ptr<const Points> points);
void load_demo(api::Context& ctx);
const std::vector<api::ExportColumn>& account_columns();
const std::vector<api::ExportColumn>& statement_columns();
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);
void gen_ledger(api::Context& ctx, std::int64_t transactions,
                const std::function<void(const std::string&)>& say);

namespace {

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"points.award", "积分奖励", "Points awarded"},
      {"points.approve", "批准积分奖励", "Award approved"},
      {"points.reject", "驳回积分奖励", "Award rejected"},
      {"points.pay", "积分入账", "Points paid"},
      {"points.object", "提出异议", "Objection raised"},
      {"points.objection_decide", "处理异议", "Objection decided"},
      {"points.reverse", "冲正", "Transaction reversed"},
      {"points.rule_save", "保存积分规则", "Rule saved"},
      {"points.settings", "修改积分设置", "Settings changed"},
      {"points.item_create", "新增兑换项目", "Item added"},
      {"points.item_update", "修改兑换项目", "Item changed"},
      {"points.redeem", "兑换", "Points redeemed"},
      {"points.fulfil", "核销兑换券", "Voucher fulfilled"},
      {"points.cancel", "取消兑换券", "Voucher cancelled"},
  };
  return all;
}

// `xinghuo ledger verify [--digest d.json]` and `xinghuo ledger digest`: the
// auditors' checks of the points ledger.
void commands(api::CommandSetup& c) {
  auto* ledger = c.root.add_subcommand("ledger", "积分账本 / the points ledger");
  ledger->require_subcommand(1);
  auto* check = ledger->add_subcommand(
      "verify", "重算哈希链与全部余额 / recompute the chain and every balance");
  c.storage_options(*check);
  auto digest_file = std::make_shared<std::string>();
  check->add_option("--digest", *digest_file,
                    "同时核对此前导出的签名摘要 / also check a digest exported earlier");
  check->callback([digest_file, open = c.open, &exit_code = c.exit_code] {
    auto& ctx = open();
    auto r = verify(ctx.db);
    if (!r.ok) {
      std::cout << "积分账本已损坏 / ledger BROKEN"
                << (r.first_bad_tx ? " at transaction " + std::to_string(r.first_bad_tx) : "")
                << ": " << r.reason << "\n";
      exit_code = 1;
      return;
    }
    std::cout << "积分账本完整 / ledger intact: " << r.transactions << " transactions, "
              << r.postings << " postings, " << r.accounts << " accounts\n";
    if (digest_file->empty()) return;
    std::ifstream in(*digest_file);
    std::stringstream buf;
    buf << in.rdbuf();
    auto doc = boost::json::parse(buf.str()).as_object();
    // `at` as the API writes times (ISO 8601); digests written before that
    // hold epoch milliseconds.
    const auto& at = doc.at("at");
    std::optional<Millis> signed_at =
        at.is_string() ? parse_w3c(at.as_string()) : std::optional<Millis>(at.as_int64());
    if (!signed_at) throw std::runtime_error("the digest's `at` is not a time");
    Digest d{doc.at("tx_id").as_int64(), std::string(doc.at("hash").as_string()),
             *signed_at, std::string(doc.at("public_key").as_string()),
             std::string(doc.at("signature").as_string())};
    std::string why;
    if (!check_digest(ctx.db, d, ctx.data_dir + "/ledger.key", &why)) {
      std::cout << "摘要不符 / digest does NOT match: " << why << "\n";
      exit_code = 1;
      return;
    }
    std::cout << "摘要相符 / digest matches transaction " << d.tx_id << "\n";
  });
  auto* digest = ledger->add_subcommand(
      "digest", "导出签名的链头摘要 / print a signed digest of the chain head (JSON)");
  c.storage_options(*digest);
  digest->callback([open = c.open] {
    auto& ctx = open();
    auto d = sign_head(ctx.db, ctx.data_dir + "/ledger.key");
    std::cout << boost::json::serialize(boost::json::object{{"tx_id", d.tx_id},
                                                            {"hash", d.hash},
                                                            {"at", iso8601(d.at)},
                                                            {"public_key", d.public_key},
                                                            {"signature", d.signature}})
              << "\n";
  });
}

void start(api::Setup& s) {
  auto& ctx = s.context();
  auto points = std::make_shared<const Points>(ctx.db, ctx.data_dir + "/ledger.key", ctx.events);
  add_routes(s.router(), points);
  s.job("points.notice_end", [points](storage::Tx& tx, std::int64_t id, Millis now) {
    points->end_notice(tx, id, now);
  });
  s.job("points.expire_lot", [points](storage::Tx& tx, std::int64_t id, Millis now) {
    points->expire_lot(tx, id, now);
  });
  // An archived provider offers nothing more; the vouchers it issued stay valid.
  s.subscribe("partner.archiving", [](storage::Tx& tx, const api::Event& e) {
    store::deactivate_items_of(tx, e.subject_id, now_ms());
  });
  for (const auto& earning : earnings())
    s.subscribe(std::string(earning.event),
                [&earning, &events = ctx.events](storage::Tx& tx, const api::Event& e) {
                  pay_for_event(tx, e, earning, events);
                });
}

// 待办 of the points module: awards waiting for approval, and objections to
// decide (on awards under public notice), in the caller's communities.
// The notices the module sends (preferences, staff groups' robots).
const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {
      {"points.award_pending", "积分待审核", "Points to approve"},
      {"points.objection_raised", "积分公示异议", "Objections to awards"},
  };
  return all;
}

const std::vector<Label>& task_labels() {
  static const std::vector<Label> all = {{"points.approve", "待审核积分", "Awards to approve"},
                                         {"points.objection", "待处理异议", "Objections to decide"}};
  return all;
}

void tasks(storage::Tx& tx, const api::Principal& p, Millis now, boost::json::array& out) {
  (void)now;
  if (!p.has_permission("points.manage")) return;
  std::vector<storage::Param> params;
  std::string scope = api::scope_condition(p, "points.manage", {"a.path"}, params);
  auto pending = tx.query_one_v(
      "SELECT COUNT(*) AS n FROM point_awards a WHERE a.status = 'pending' AND " + scope, params);
  auto objections = tx.query_one_v(
      "SELECT COUNT(*) AS n FROM point_objections x JOIN point_awards a ON a.id = x.award_id "
      "WHERE x.status = 'open' AND " + scope,
      params);
  out.push_back({{"key", "points.approve"}, {"count", pending->i64("n")}, {"overdue", 0}});
  out.push_back({{"key", "points.objection"}, {"count", objections->i64("n")}, {"overdue", 0}});
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"point_award", "积分奖励", "Points award"},
                                         {"point_objection", "积分异议", "Objection"},
                                         {"point_transaction", "积分流水", "Ledger transaction"},
                                         {"point_rule", "积分规则", "Points rule"},
                                         {"point_settings", "积分设置", "Points settings"},
                                         {"point_item", "兑换项目", "Exchange item"},
                                         {"point_voucher", "兑换券", "Voucher"}};
  return all;
}

std::map<std::string, std::string> item_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM point_items", "id", ids);
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "points",
      .permissions =
          {
              {"points.read", {"street_admin", "community_admin", "grid_worker"}},
              {"points.manage", {"street_admin", "community_admin"}},
          },
      .messages =
          {
              {"points.unbalanced", "记账分录不平衡", "The postings do not balance"},
              {"points.insufficient", "积分余额不足", "Not enough points"},
              {"points.no_account", "未找到积分账户（账号未关联居民信息）", "No points account (this login is not linked to a resident)"},
              {"points.no_household", "该居民未登记所在住户，无法开立积分账户", "The resident belongs to no household, so has no points account"},
              {"points.no_rule", "本社区未设置该项积分规则", "This community has no rule for this kind of event"},
              {"points.bad_points", "积分数须为正整数且不超过规则规定的分值", "Points must be a positive whole number no larger than the rule allows"},
              {"points.bad_cap", "积分上限须为正整数", "A cap must be a positive whole number"},
              {"points.bad_notice", "公示天数须在 0 到 30 天之间", "Notice must be from 0 to 30 days"},
              {"points.bad_event_kind", "积分事项类型不正确", "No such kind of event"},
              {"points.bad_community", "请选择社区", "Choose a community"},
              {"points.award_not_found", "积分奖励记录不存在", "No such award"},
              {"points.award_decided", "该积分奖励已处理", "This award has already been decided"},
              {"points.not_in_notice", "该积分奖励不在公示期内", "This award is not in public notice"},
              {"points.already_objected", "您已对该奖励提出过异议", "You have already objected to this award"},
              {"points.objection_not_found", "异议不存在", "No such objection"},
              {"points.objection_decided", "该异议已处理", "This objection has already been decided"},
              {"points.transaction_not_found", "积分流水不存在", "No such transaction"},
              {"points.not_reversible", "只能冲正获得积分的流水；兑换请取消兑换券", "Only awards can be reversed; cancel a voucher instead"},
              {"points.already_reversed", "该流水已冲正", "This transaction has already been reversed"},
              {"points.own_award", "不能为本人或本人所在的团队发放、审核积分", "You cannot award or decide points for yourself or your own team"},
              {"points.item_not_found", "兑换项目不存在", "No such item"},
              {"points.bad_item", "兑换项目信息不正确", "The item is not valid"},
              {"points.item_inactive", "该项目已下架", "This item is no longer offered"},
              {"points.out_of_stock", "已兑完，库存不足", "Out of stock"},
              {"points.limit_reached", "已达到该项目的兑换次数上限", "You have reached the limit for this item"},
              {"points.voucher_not_found", "兑换券不存在，请核对兑换码", "No such voucher; check the code"},
              {"points.voucher_not_issued", "该兑换券已核销或已取消", "This voucher was already fulfilled or cancelled"},
              // Text the server writes into the ledger and onto awards (params in braces).
              {"points.memo.award", "{event}", "{event}"},
              {"points.memo.award_reason", "{event}：{reason}", "{event}: {reason}"},
              {"points.memo.redeem", "兑换：{item}", "Redeemed: {item}"},
              {"points.memo.refund", "取消兑换：{item}", "Redemption cancelled: {item}"},
              {"points.memo.reversal", "冲正：{reason}", "Reversal: {reason}"},
              {"points.memo.expiry", "积分到期（获得满一年）", "Points expired (a year after they were earned)"},
              {"points.notice.approve", "待审核积分：{event} {points} 分", "Points to approve: {event}, {points} points"},
              {"points.notice.objection", "积分公示收到异议：{event} {points} 分", "An objection to an award in notice: {event}, {points} points"},
              {"points.reason.verified_report", "诉求 #{id} 已核实", "Report #{id} verified"},
              {"points.reason.verified_report_private", "诉求已核实", "A report verified"},
              {"points.reason.meeting_attended", "参加议事会议 #{id}", "Attended meeting #{id}"},
              {"points.reason.meeting_attended_private", "参加议事会议", "Attended a meeting"},
              {"points.reason.volunteer_hour", "志愿服务时长确认（报名 #{id}）",
               "Volunteer hours confirmed (sign-up #{id})"},
              {"points.reason.volunteer_hour_private", "志愿服务时长确认", "Volunteer hours confirmed"},
              {"points.reason.wish_fulfilled", "认领微心愿圆梦（#{id}）", "Fulfilled micro-wish #{id}"},
              {"points.reason.wish_fulfilled_private", "认领微心愿圆梦", "Fulfilled a micro-wish"},
              {"points.not_provider", "只有提供该服务的单位可以核销", "Only the provider can fulfil this voucher"},
          },
      .labels = {{"points.event_kind", event_kind_labels},
                  {"points.award_status", award_status_labels},
                  {"points.account_kind", account_kind_labels},
                  {"points.transaction_kind", transaction_kind_labels},
                  {"points.voucher_status", voucher_status_labels},
                  {"points.item_kind", item_kinds},
                  {"audit.action", audit_actions},
                  {"audit.target", audit_targets},
                  {"task", task_labels},
                  {"notice.kind", notice_kinds}},
      .exports = {{"point-accounts", account_columns}, {"point-statement", statement_columns}},
      .emits = {"points.award_pending", "points.objection_raised"},
      .audit_names = {{"point_item", item_names}},
      .start = start,
      // After the street with its people, partners and logins; before the
      // work orders, whose verified reports the rules pay.
      .demo = {{60, load_demo}},
      // For the benchmark resident the people step made.
      .gen = {{60, gen_street}},
      .gen_options = {{"ledger-transactions",
                       "then append this many points transactions (two postings each)", gen_ledger}},
      .tasks = tasks,
      .commands = commands,
  };
  return m;
}

}  // namespace xh::points
