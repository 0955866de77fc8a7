// The owners' votes module (GOV-5), first step: the count of Civil Code
// Article 278 as one function (votes/tally.h), offered to offices that
// counted on paper as `xinghuo votes tally FILE`; the owners' roll, ballots in
// the app and on paper, and the published result come next on this count.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "api/module.h"
#include "core/error.h"
#include "votes/tally.h"

namespace xh::votes {

namespace {

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
      .messages =
          {
              {"vote.bad_file", "表决文件格式不正确", "The vote file is not valid"},
              {"vote.bad_matter", "表决事项不在《民法典》第二百七十八条所列范围内", "Not a matter of Civil Code Article 278"},
              {"vote.bad_area", "专有部分面积须为正数，最多两位小数，不超过 100000 平方米（以字符串书写）", "An exclusive area is a positive number of m² with at most two decimals, at most 100000, written as a string"},
              {"vote.duplicate_unit", "同一专有部分出现了两次", "A unit is listed twice"},
              {"vote.unknown_owner", "该业主在名册中没有专有部分", "This owner holds no unit on the roll"},
              {"vote.bad_choice", "表决意见须为同意、不同意或弃权", "Vote agree, disagree or abstain"},
          },
      .labels = {{"owners_vote.matter", matter_labels}},
      .commands = commands,
  };
  return m;
}

}  // namespace xh::votes
