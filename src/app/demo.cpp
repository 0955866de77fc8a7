#include "app/demo.h"

#include <algorithm>
#include <map>
#include <set>

#include "auth/accounts.h"
#include "core/random.h"
#include "people/identity.h"
#include "partners/partners.h"
#include "people/people.h"
#include "places/places.h"
#include "app/modules.h"

namespace xh::app {

using storage::Tx;

std::vector<DemoLogin> demo_logins() {
  return {
      {"street_admin", "street_admin", "NC", "南村街道"},
      {"community_admin", "community_admin", "NC-QX", "泉星社区"},
      {"grid_worker", "grid_worker", "NC-QX-G1", "泉星社区第一网格"},
      {"building_leader", "building_leader", "NC-QX-C1-B1", "泉星花园1号楼"},
      {"property_staff", "property_staff", "NC-QX-C1", "泉星花园"},
      {"partner_admin", "partner_admin", "NC-QX", "泉星社区"},
      {"volunteer", "volunteer", "NC-QX", "泉星社区"},
      {"resident", "resident", "NC-QX-C1-B1-U1-101", "泉星花园1号楼1单元101室"},
      {"sys_admin", "sys_admin", "NC", "南村街道"},
      {"security_admin", "security_admin", "NC", "南村街道"},
      {"audit_admin", "audit_admin", "NC", "南村街道"},
  };
}

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

std::string national_id_once(Dice& d, int year) {
  // 370105: Tianqiao District, Jinan.
  char buf[32];
  std::snprintf(buf, sizeof buf, "370105%04d%02d%02d%03d", year, 1 + d.below(12), 1 + d.below(28),
                d.below(1000));
  return std::string(buf) + people::national_id_check(buf);
}

// National IDs are unique; draw again on the rare collision.
std::string national_id(Dice& d, int year, std::set<std::string>& used) {
  for (;;) {
    std::string id = national_id_once(d, year);
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

struct CommunityPlan {
  const char* name;
  const char* code;
  std::vector<const char*> compounds;
};

// Loads the street in one transaction unless it is already there.
bool load_street(storage::Database& db, const FieldCipher& cipher, const api::EventBus& events) {
  api::Actor system{std::nullopt, "system", "local"};
  return db.write([&](Tx& tx) {
    if (tx.query_one("SELECT 1 FROM places WHERE code = $1", "NC")) return false;
    Dice dice(20260601);
    auto place = [&](std::optional<std::int64_t> parent, const char* kind, const std::string& name,
                     std::optional<std::string> code, places::PlaceFields extra = {}) {
      places::NewPlace p{parent, kind, std::move(extra)};
      p.fields.name = name;
      p.fields.code = std::move(code);
      return places::create_unchecked(tx, events, system, p).id;
    };
    std::map<std::string, std::int64_t> by_code;
    auto street = place(std::nullopt, "street", "南村街道", "NC");
    by_code["NC"] = street;

    // The property company first, so compounds can name it.
    auto shuangcheng = partners::create_org_unchecked(
        tx, system,
        {"山东双城环境服务有限公司", "property_company", "91370105MA3DEMO01X", "济南市天桥区工人新村南村街道",
         std::nullopt, "“红管家·服务365”党建品牌，环卫+物管+运营", street}).id;
    tx.exec("UPDATE orgs SET party_branch = $2 WHERE id = $1", shuangcheng, "山东双城环境服务有限公司党支部");

    const std::vector<CommunityPlan> plan = {
        {"泉星社区", "NC-QX", {"泉星花园", "泉星小区", "星光苑"}},
        {"工商河社区", "NC-GSH", {"工商河小区", "河畔人家", "工人新村北区"}},
        {"南村社区", "NC-NC", {"南村东苑", "南村西苑", "南村新苑"}},
        {"成丰社区", "NC-CF", {"成丰里", "成丰花园", "铁路宿舍"}},
    };
    std::int64_t resident_count = 0;
    std::set<std::string> used_ids;
    for (const auto& c : plan) {
      std::string cc = c.code;
      auto community = place(street, "community", c.name, cc);
      by_code[cc] = community;
      std::vector<std::int64_t> grids;
      const char* grid_names[] = {"第一网格", "第二网格", "第三网格"};
      for (int g = 0; g < 3; ++g) {
        std::string code = cc + "-G" + std::to_string(g + 1);
        grids.push_back(place(community, "grid", std::string(c.name) + grid_names[g], code));
        by_code[code] = grids.back();
      }
      if (cc == "NC-QX") by_code["NC-QX-G1-QZ"] = place(grids[0], "micro_grid", "巧智", "NC-QX-G1-QZ");
      for (std::size_t k = 0; k < c.compounds.size(); ++k) {
        std::string ccode = cc + "-C" + std::to_string(k + 1);
        places::PlaceFields cf;
        cf.address = std::string("济南市天桥区") + c.name + c.compounds[k];
        if (cc == "NC-QX" || cc == "NC-GSH") cf.property_org_id = shuangcheng;
        cf.lat_e6 = 36690000 + dice.below(20000);
        cf.lng_e6 = 116990000 + dice.below(20000);
        auto compound = place(community, "compound", c.compounds[k], ccode, cf);
        by_code[ccode] = compound;
        for (int b = 1; b <= 6; ++b) {
          std::string bcode = ccode + "-B" + std::to_string(b);
          places::PlaceFields bf;
          bf.grid_id = grids[static_cast<std::size_t>((b - 1) / 2)];  // two buildings per grid
          auto building = place(compound, "building", std::string(c.compounds[k]) + std::to_string(b) + "号楼",
                                bcode, bf);
          by_code[bcode] = building;
          for (int u = 1; u <= 3; ++u) {
            std::string ucode = bcode + "-U" + std::to_string(u);
            auto unit = place(building, "unit",
                              std::string(c.compounds[k]) + std::to_string(b) + "号楼" + std::to_string(u) + "单元",
                              ucode);
            for (int floor = 1; floor <= 6; ++floor) {
              for (int door = 1; door <= 2; ++door) {
                std::string room = std::to_string(floor * 100 + door);
                places::PlaceFields hf;
                hf.area_centi_m2 = 4500 + dice.below(9500);
                std::string hcode = ucode + "-" + room;
                auto household = place(unit, "household",
                                       std::string(c.compounds[k]) + std::to_string(b) + "号楼" +
                                           std::to_string(u) + "单元" + room + "室",
                                       hcode, hf);
                by_code[hcode] = household;
                // One to four people; the first owns the home.
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
                  people::NewResident r{
                      {(i == 1 ? dice.pick(kSurnames) : surname) +
                           dice.pick(male ? kGivenMale : kGivenFemale),
                       id_no, dice.chance(85) ? std::optional(phone(dice)) : std::nullopt},
                      household,
                      i == 0 ? "owner" : (dice.chance(10) ? "tenant" : "family"),
                      tags};
                  people::create_unchecked(tx, cipher, system, r);
                  ++resident_count;
                }
              }
            }
          }
        }
      }
    }

    // Partners named in the seed.
    auto qx = by_code.at("NC-QX"), gsh = by_code.at("NC-GSH");
    partners::add_agreement_unchecked(
        tx, system, shuangcheng,
        {"“红色合伙人”合作意向书", "2022-06-01", "2022-06-01", "2025-05-31",
         "党员联管、活动联办、资源联享；线缆规整、杂物清理、楼道保洁、小广告清理，破损窗扇、地面、墙体修缮；"
         "举一反三、防止反弹"});
    auto ruixing = partners::create_org_unchecked(
        tx, system, {"睿星教育", "school", std::nullopt, "泉星社区", "睿星教育党支部",
                     "疫情防控中给予社区人力、物力支持；取之于社会，用之于社会", qx}).id;
    partners::add_agreement_unchecked(tx, system, ruixing,
                                      {"“红色合伙人”合作意向书", "2022-06-01", "2022-06-01",
                                       "2025-05-31", "每周六为社区青少年提供免费课业辅导；防疫期间提供人力、物力支援"});
    partners::add_contact_unchecked(tx, cipher, system, ruixing, {"颜红", "负责人", "13905310001", std::nullopt});
    struct Team {
      const char* name;
      std::int64_t place;
      const char* about;
      const char* category;
      const char* resource;
    };
    const std::vector<Team> teams = {
        {"河小工护河队", gsh, "早、晚定时开展西工商河巡河护河志愿服务", "safety", "每日早晚巡河护河"},
        {"朝乐磨刀队", street, "定时定点为居民义务磨刀磨剪子", "repair", "每周六上午义务磨刀磨剪"},
        {"义工奶奶队", qx, "风雨无阻守护学生上下学安全", "safety", "上学放学时段校门口护学"},
        {"花剪子理发队", street, "为老弱病残等特殊群体免费上门理发", "elderly", "上门理发（每月两次）"},
        {"泉心愿志愿服务队", qx, "以群众需求为导向，认领微心愿、精准送温暖", "elderly", "微心愿认领与送温暖"},
        {"啄木鸟志愿服务队", street, "开展卫生监督，发现问题及时反映", "sanitation", "楼道环境卫生监督"},
    };
    for (const auto& t : teams) {
      auto id = partners::create_org_unchecked(
          tx, system, {t.name, "volunteer_team", std::nullopt, std::nullopt, std::nullopt, t.about, t.place}).id;
      partners::create_resource_unchecked(tx, system, {id, t.place, t.category, t.resource, t.about, std::nullopt});
    }
    partners::create_resource_unchecked(
        tx, system, {ruixing, qx, "education", "周六课业辅导", "面向社区中小学生，每周六 9:00", "每次 20 人"});
    partners::create_resource_unchecked(
        tx, system, {shuangcheng, street, "sanitation", "楼道保洁与小广告清理", "红管家·服务365", "每日"});
    partners::create_need_unchecked(
        tx, system, {by_code.at("NC-QX-C1"), "elderly", "独居老人上门理发", "泉星花园有 20 余位行动不便的老人需要上门理发"});
    partners::create_need_unchecked(
        tx, system, {qx, "education", "双职工家庭孩子周末托管辅导", "周六上午学业辅导与看护"});
    partners::create_need_unchecked(
        tx, system, {gsh, "flood", "汛期低洼路段巡查", "汛期加大对低洼易涝地区、车站、学校、河道的巡查频次"});

    for (const auto& login : demo_logins()) {
      auto uid = auth::create_user_unchecked(
          tx, system,
          {login.username, std::string(api::find_role(login.role)->zh) + "（演示）", kDemoPassword});
      auth::assign_role_unchecked(tx, system, uid, login.role, by_code.at(login.place_code));
      if (login.role == "partner_admin")
        partners::add_contact_unchecked(tx, cipher, system, ruixing, {"睿星教育联络员", "联络员", std::nullopt, uid});
      if (login.role == "property_staff")
        partners::add_contact_unchecked(tx, cipher, system, shuangcheng, {"红管家", "物业管家", std::nullopt, uid});
    }
    return true;
  });
}

}  // namespace

bool load_demo(api::Context& ctx) {
  auto& db = ctx.db;
  bool loaded = load_street(db, ctx.cipher, ctx.events);
  if (loaded) {
    // The modules' own demo data, in the order of their stages.
    std::vector<api::DemoStep> steps;
    for (const api::Module* m : modules())
      steps.insert(steps.end(), m->demo.begin(), m->demo.end());
    std::stable_sort(steps.begin(), steps.end(),
                     [](const api::DemoStep& a, const api::DemoStep& b) { return a.stage < b.stage; });
    for (const auto& step : steps) step.load(ctx);
  }
  if (loaded) storage::refresh_statistics(db);
  return loaded;
}

}  // namespace xh::app
