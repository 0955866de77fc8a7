// The owners' votes module (GOV-5): the count of Civil Code Article 278 as one
// function (votes/tally.h), offered to offices that counted on paper as
// `xinghuo votes tally FILE`, and owners' votes in the app on a frozen roll —
// ballots on the phone, on paper checked by a second person, by written
// proxy; secret or named; receipts; turnout; the published result.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "api/export.h"
#include "api/module.h"
#include "core/error.h"
#include "votes/owner_votes.h"
#include "votes/tally.h"

namespace xh::votes {

void add_routes(api::Router& r, std::shared_ptr<const OwnerVotes> votes);
const std::vector<api::ExportColumn>& pending_columns();

namespace {

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const OwnerVotes>(ctx.db, ctx.events));
  // A vote closes at its deadline.
  s.job("owner_vote.close", [&events = ctx.events](storage::Tx& tx, std::int64_t id, Millis now) {
    close_at_deadline(tx, events, id, now);
  });
}

void authorize(storage::Tx& tx, const api::Principal& p, std::int64_t id) { require_vote(tx, p, id); }

std::map<std::string, std::string> vote_names(storage::Tx& tx, const std::vector<std::string>& ids) {
  return api::names_by_id(tx, "SELECT id, title AS name FROM owner_votes", "id", ids);
}

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {
      {"owner_vote.create", "发起业主表决", "Owners' vote called"},
      {"owner_vote.open", "开始业主表决（冻结业主名册）", "Owners' vote opened (roll frozen)"},
      {"owner_vote.ballot", "业主投票", "Owner's ballot"},
      {"owner_vote.close", "结束业主表决并计票", "Owners' vote closed and counted"},
      {"owner_vote.mark", "标注业主名册", "Roll marked"},
      {"owner_vote.paper_enter", "录入纸质票或委托", "Paper ballot or proxy entered"},
      {"owner_vote.paper_confirm", "复核纸质票或委托", "Paper ballot or proxy checked"},
  };
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"owner_vote", "业主表决", "Owners' vote"}};
  return all;
}

const std::vector<Label>& statuses() {
  static const std::vector<Label> all = {
      {"draft", "未开始", "Not open"}, {"open", "投票中", "Open"}, {"closed", "已结束", "Closed"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {{"owner_vote.opened", "业主表决开始", "Owners' vote opened"},
                                         {"owner_vote.result", "业主表决结果", "Owners' vote results"}};
  return all;
}

const std::vector<Label>& entry_statuses() {
  static const std::vector<Label> all = {{"pending", "待复核", "To check"},      {"disputed", "两次录入不一致", "Entries differ"},
                                         {"confirmed", "已复核，结束时计票", "Checked, counted at the close"},
                                         {"counted", "已计票", "Counted"},        {"superseded", "业主已自行投票", "Owner voted"},
                                         {"refused", "未计入", "Not counted"}};
  return all;
}

// Why an entry stands as it does (its `note`, a key of this set).
const std::vector<Label>& entry_notes() {
  static const std::vector<Label> all = {{"entries_differ", "两次录入不一致，请另一人再核对原件", "The readings differ: someone else checks the paper again"},
                                         {"owner_voted", "业主已自行投票，以业主本人的投票为准", "The owner voted: their own ballot stands"},
                                         {"unchecked_at_close", "表决结束时未完成复核，不计票", "Not checked by the close: not counted"}};
  return all;
}

const std::vector<Label>& choices() {
  static const std::vector<Label> all = {{"agree", "同意", "Agree"}, {"disagree", "不同意", "Disagree"}, {"abstain", "弃权", "Abstain"}};
  return all;
}

const std::vector<Label>& matter_labels() {
  static const std::vector<Label> all = [] {
    std::vector<Label> out;
    for (const auto& m : matters()) out.push_back({m.key, m.zh, m.en});
    return out;
  }();
  return all;
}

void commands(api::CommandSetup& c) {
  auto* votes = c.root.add_subcommand("votes", "业主表决 / owners' votes");
  votes->require_subcommand(1);
  auto* tally_cmd = votes->add_subcommand(
      "tally", "按《民法典》第二百七十八条计票 / count owners' ballots by Civil Code Article 278");
  auto file = std::make_shared<std::string>();
  auto lang = std::make_shared<std::string>("zh-CN");
  tally_cmd->add_option("FILE", *file,
                        "JSON 文件，- 为标准输入 / the JSON file, - for standard input: "
                        "{\"matter\", \"units\": [{\"unit\", \"area\", \"owner\"}], \"ballots\": {owner: agree|disagree|abstain}}")
      ->required();
  tally_cmd->add_option("--lang", *lang, "说明的语言 / the explanation's language")
      ->check(CLI::IsMember({"zh-CN", "en"}));
  tally_cmd->callback([file, lang] {
    std::string text;
    if (*file == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::ifstream in(*file, std::ios::binary);
      if (!in) throw unprocessable("vote.bad_file", *file);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    auto result = tally_json(text);
    std::cout << boost::json::serialize(to_json(result, *lang == "en" ? Lang::en : Lang::zh_CN)) << "\n";
  });
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "votes",
      .permissions =
          {
              // Reach a vote: over its place, or over a place under it (a building, one's household).
              {"owner_vote.read", {"street_admin", "community_admin", "grid_worker", "building_leader", "resident"}},
              {"owner_vote.manage", {"street_admin", "community_admin"}},
              // The units not yet voted, to knock on their doors.
              {"owner_vote.doors", {"street_admin", "community_admin", "grid_worker", "building_leader"}},
              // Vote for the household the role is held over.
              {"owner_vote.cast", {"resident"}},
          },
      .messages =
          {
              {"vote.bad_file", "表决文件格式不正确", "The vote file is not valid"},
              {"vote.bad_matter", "表决事项不在《民法典》第二百七十八条所列范围内", "Not a matter of Civil Code Article 278"},
              {"vote.bad_area", "专有部分面积须为正数，最多两位小数，不超过 100000 平方米（以字符串书写）", "An exclusive area is a positive number of m² with at most two decimals, at most 100000, written as a string"},
              {"vote.duplicate_unit", "同一专有部分出现了两次", "A unit is listed twice"},
              {"vote.unknown_owner", "该业主在名册中没有专有部分", "This owner holds no unit on the roll"},
              {"vote.bad_choice", "表决意见须为同意、不同意或弃权", "Vote agree, disagree or abstain"},
              {"vote.not_found", "业主表决不存在", "No such owners' vote"},
              {"vote.bad_place", "业主表决须在小区或楼栋上发起", "An owners' vote is held on a compound or a building"},
              {"vote.bad_time", "截止时间须为将来的时间", "The deadline must be in the future"},
              {"vote.not_draft", "表决已开始，不能再开始", "The vote has opened already"},
              {"vote.not_open", "表决不在进行中", "The vote is not open"},
              {"vote.past_deadline", "表决已过截止时间", "The vote's deadline has passed"},
              {"vote.not_closed", "表决结束后才公布", "Published once the vote has closed"},
              {"vote.roll_empty", "业主名册为空：该处没有登记专有部分的房屋", "The roll is empty: no household with its area here"},
              {"vote.roll_incomplete", "有房屋未登记专有部分面积，请先补全再开始表决", "Some households have no registered area: complete them before opening"},
              {"vote.not_owner", "您不是本次表决名册上的业主", "You are not an owner on this vote's roll"},
              {"vote.already_voted", "该业主已投票", "This owner has voted"},
              {"vote.household_not_found", "房屋不存在", "No such household"},
              {"vote.notice.opened", "业主表决「{title}」已开始，请于 {until} 前投票", "Owners' vote \"{title}\" is open: vote by {until}"},
              {"vote.notice.result", "业主表决「{title}」已结束：{result}", "Owners' vote \"{title}\" has closed: {result}"},
              {"vote.not_on_roll", "该房屋不在本次表决的业主名册上", "This household is not on the vote's roll"},
              {"vote.owner_voted", "该业主已自行投票，以业主本人的投票为准", "The owner has voted: their own ballot stands"},
              {"vote.entry_waiting", "该业主已有一份纸质票或委托在等待复核或计票", "An entry for this owner is waiting to be checked or counted"},
              {"vote.bad_kind", "录入类型须为纸质票或书面委托", "Enter a paper ballot or a written proxy"},
              {"vote.proxy_name", "书面委托须填写受托人姓名", "A written proxy names who holds it"},
              {"vote.entry_not_found", "录入记录不存在", "No such entry"},
              {"vote.entry_settled", "该录入已复核完毕", "This entry has been settled"},
              {"vote.same_person", "复核须由另一名工作人员完成", "Another staff member must check the entry"},
          },
      .labels = {{"owner_vote.matter", matter_labels},
                 {"owner_vote.status", statuses},
                 {"owner_vote.choice", choices},
                 {"owner_vote.entry_status", entry_statuses},
                 {"owner_vote.entry_note", entry_notes},
                 {"notice.kind", notice_kinds},
                 {"audit.action", audit_actions},
                 {"audit.target", audit_targets}},
      .exports = {{"owner-vote-pending", pending_columns}},
      .emits = {"owner_vote.changed"},
      // The photos of its paper ballots and proxy documents (workorders/subject_photos.h) go to who
      // runs the vote; nothing is published on this topic.
      .live = {{"owner_vote", authorize, {"owner_vote.changed"}}, {"owner_vote_paper", require_paper_reader, {}}},
      .audit_names = {{"owner_vote", vote_names}},
      .start = start,
      .commands = commands,
  };
  return m;
}

}  // namespace xh::votes
