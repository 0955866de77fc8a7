// The demo street's partners (FND-6), as the seed names them: the property
// company 山东双城环境服务有限公司 with its 合作意向书 serving two communities'
// compounds, the education partner 睿星教育, the volunteer teams with what
// they offer, and the communities' open needs; the demo partner and property
// logins are their organisations' contacts.
#include "api/module.h"
#include "auth/accounts.h"
#include "partners/partners.h"
#include "places/places.h"

namespace xh::partners {

void load_demo(api::Context& ctx) {
  auto system = api::Actor::system();
  ctx.db.write([&](storage::Tx& tx) {
    auto at = [&](const char* code) { return places::find_by_code(tx, code)->id; };
    auto street = at("NC"), qx = at("NC-QX"), gsh = at("NC-GSH");
    auto shuangcheng = create_org_unchecked(
        tx, system,
        {"山东双城环境服务有限公司", "property_company", "91370105MA3DEMO01X",
         "济南市天桥区工人新村南村街道", "山东双城环境服务有限公司党支部",
         "“红管家·服务365”党建品牌，环卫+物管+运营", street}).id;
    // It serves the compounds of 泉星社区 and 工商河社区.
    for (const char* community : {"NC-QX", "NC-GSH"})
      for (int k = 1; k <= 3; ++k) {
        places::PlaceFields f;
        f.property_org_id = shuangcheng;
        places::update_unchecked(tx, ctx.events, system,
                                 at((std::string(community) + "-C" + std::to_string(k)).c_str()), f);
      }
    add_agreement_unchecked(
        tx, system, shuangcheng,
        {"“红色合伙人”合作意向书", "2022-06-01", "2022-06-01", "2025-05-31",
         "党员联管、活动联办、资源联享；线缆规整、杂物清理、楼道保洁、小广告清理，破损窗扇、地面、墙体修缮；"
         "举一反三、防止反弹"});
    auto ruixing = create_org_unchecked(
        tx, system, {"睿星教育", "school", std::nullopt, "泉星社区", "睿星教育党支部",
                     "疫情防控中给予社区人力、物力支持；取之于社会，用之于社会", qx}).id;
    add_agreement_unchecked(tx, system, ruixing,
                            {"“红色合伙人”合作意向书", "2022-06-01", "2022-06-01", "2025-05-31",
                             "每周六为社区青少年提供免费课业辅导；防疫期间提供人力、物力支援"});
    add_contact_unchecked(tx, ctx.cipher, system, ruixing, {"颜红", "负责人", "13905310001", std::nullopt});
    auto login = [&](const char* username) { return auth::principal_of(tx, username).user_id; };
    add_contact_unchecked(tx, ctx.cipher, system, ruixing,
                          {"睿星教育联络员", "联络员", std::nullopt, login("partner_admin")});
    add_contact_unchecked(tx, ctx.cipher, system, shuangcheng,
                          {"红管家", "物业管家", std::nullopt, login("property_staff")});
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
      auto id = create_org_unchecked(tx, system, {t.name, "volunteer_team", std::nullopt, std::nullopt,
                                                  std::nullopt, t.about, t.place}).id;
      create_resource_unchecked(tx, system, {id, t.place, t.category, t.resource, t.about, std::nullopt});
      // The teams whose services are redeemed for points have a contact who fulfils the vouchers.
      if (std::string(t.name) == "朝乐磨刀队")
        add_contact_unchecked(tx, ctx.cipher, system, id, {"朝乐磨刀队队长", "队长", std::nullopt, login("modao")});
      if (std::string(t.name) == "花剪子理发队")
        add_contact_unchecked(tx, ctx.cipher, system, id, {"花剪子理发队队长", "队长", std::nullopt, login("lifa")});
    }
    create_resource_unchecked(
        tx, system, {ruixing, qx, "education", "周六课业辅导", "面向社区中小学生，每周六 9:00", "每次 20 人"});
    create_resource_unchecked(
        tx, system, {shuangcheng, street, "sanitation", "楼道保洁与小广告清理", "红管家·服务365", "每日"});
    create_need_unchecked(tx, system, {at("NC-QX-C1"), "elderly", "独居老人上门理发",
                                       "泉星花园有 20 余位行动不便的老人需要上门理发"});
    create_need_unchecked(tx, system, {qx, "education", "双职工家庭孩子周末托管辅导", "周六上午学业辅导与看护"});
    create_need_unchecked(tx, system, {gsh, "flood", "汛期低洼路段巡查",
                                       "汛期加大对低洼易涝地区、车站、学校、河道的巡查频次"});
  });
}

}  // namespace xh::partners
