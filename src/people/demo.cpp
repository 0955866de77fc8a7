// The demo street's residents (FND-6): one to four people in every home, the
// first owning it, with valid national IDs (their given names follow the
// gender the ID records), phones for most, and special-care tags for some.
// Deterministic: the same on every machine.
#include <set>

#include "api/module.h"
#include "core/random.h"
#include "people/identity.h"
#include "people/people.h"

namespace xh::people {

namespace {

using Dice = SplitMix64;

const std::vector<std::string> kSurnames = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                            "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗",
                                            "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧"};
// Given names by the gender the national ID records (its 17th digit).
const std::vector<std::string> kGivenFemale = {"桂兰", "秀英", "淑珍", "海燕", "玉梅", "静", "婷", "丽",
                                               "敏", "红", "霞", "颖", "欣怡", "子涵", "雨桐", "梓萱",
                                               "凤英", "春花", "秀兰", "慧"};
const std::vector<std::string> kGivenMale = {"建国", "志强", "明", "伟", "磊", "洋", "强", "军", "杰",
                                             "亮", "涛", "浩然", "宇轩", "文博", "德福", "国庆", "学文",
                                             "建华", "卫东", "子轩"};

// National IDs are unique; draw again on the rare collision. 370105: Tianqiao
// District, Jinan.
std::string national_id(Dice& d, int year, std::set<std::string>& used) {
  for (;;) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "370105%04d%02d%02d%03d", year, 1 + d.below(12), 1 + d.below(28),
                  d.below(1000));
    std::string id = std::string(buf) + national_id_check(buf);
    if (used.insert(id).second) return id;
  }
}

std::string phone(Dice& d) {
  static const std::vector<std::string> prefixes = {"135", "136", "137", "138", "139", "150",
                                                    "151", "152", "158", "159", "186", "187", "188"};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%08d", d.pick(prefixes).c_str(), d.below(100000000));
  return buf;
}

}  // namespace

void load_demo(api::Context& ctx) {
  auto system = api::Actor::system();
  ctx.db.write([&](storage::Tx& tx) {
    Dice dice(20260602);
    std::set<std::string> used_ids;
    // The street's homes, in the order they were built.
    for (const auto& home : tx.query("SELECT id FROM places WHERE kind = 'household' AND code LIKE "
                                     "'NC-%' ORDER BY id")) {
      int people_here = 1 + dice.below(4);
      std::string surname = dice.pick(kSurnames);
      for (int i = 0; i < people_here; ++i) {
        int year = i == 0 ? 1940 + dice.below(50) : 1950 + dice.below(70);
        std::vector<std::string> tags;
        if (year < 1955 && people_here == 1 && dice.chance(60)) tags.push_back("独居老人");
        if (dice.chance(1)) tags.push_back("残疾人");
        if (dice.chance(1)) tags.push_back("低保户");
        std::string id_no = national_id(dice, year, used_ids);
        bool male = (id_no[16] - '0') % 2 == 1;
        NewResident r{{(i == 1 ? dice.pick(kSurnames) : surname) +
                           dice.pick(male ? kGivenMale : kGivenFemale),
                       id_no, dice.chance(85) ? std::optional(phone(dice)) : std::nullopt},
                      home.i64("id"),
                      i == 0 ? "owner" : (dice.chance(10) ? "tenant" : "family"),
                      tags};
        create_unchecked(tx, ctx.cipher, system, r);
      }
    }
  });
}

}  // namespace xh::people
