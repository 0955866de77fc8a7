// The demo street's points (FND-6): the earning rules of 泉星社区, the
// exchange's first offers, the demo resident's login linked to their
// resident record, and their 60 points for the river clean-up — set through
// the module's own commands by the community's demo login.
#include "api/module.h"
#include "auth/accounts.h"
#include "points/points.h"

namespace xh::points {

void load_demo(api::Context& ctx) {
  Points points(ctx.db, ctx.data_dir + "/ledger.key", ctx.events);
  auto community =
      ctx.db.read([&](storage::Tx& tx) { return auth::principal_of(tx, "community_admin"); });
  api::Actor actor{community.user_id, community.username, "127.0.0.1"};
  struct Ids {
    std::int64_t resident, qx, barbers, ruixing, knives;
  };
  auto ids = ctx.db.write([&](storage::Tx& tx) {
    // The demo resident's login is the first member of 泉星花园1号楼1单元101室.
    auto resident =
        tx.query_one(
              "SELECT m.resident_id FROM household_members m JOIN places h ON h.id = "
              "m.household_id WHERE h.code = 'NC-QX-C1-B1-U1-101' ORDER BY m.id LIMIT 1")
            ->i64("resident_id");
    tx.exec(
        "UPDATE residents SET user_id = (SELECT id FROM users WHERE username = 'resident') "
        "WHERE id = $1",
        resident);
    auto org = [&](const char* name) {
      return tx.query_one("SELECT id FROM orgs WHERE name = $1", name)->i64("id");
    };
    return Ids{resident, tx.query_one("SELECT id FROM places WHERE code = 'NC-QX'")->i64("id"),
               org("花剪子理发队"), org("睿星教育"), org("朝乐磨刀队")};
  });

  struct Rule {
    const char* kind;
    std::int64_t points;
    std::optional<std::int64_t> daily, monthly;
    bool approval;
    std::int64_t notice;
  };
  // The river clean-up predates the manual rule's public notice: its award is
  // made while the rule has none, and the notice of 3 days set after it.
  for (const Rule& r :
       {Rule{"verified_report", 5, 10, 50, false, 0}, Rule{"volunteer_hour", 10, 40, 200, false, 0},
        Rule{"meeting_attended", 5, std::nullopt, 40, false, 0},
        Rule{"wish_fulfilled", 20, std::nullopt, 100, true, 0},
        Rule{"manual", 100, std::nullopt, std::nullopt, false, 0}})
    points.set_rule(community, actor,
                    {ids.qx, r.kind, r.points, r.daily, r.monthly, r.approval, r.notice, true},
                    Lang::zh_CN);

  struct Offer {
    std::int64_t org;
    const char* title;
    const char* about;
    const char* kind;
    std::int64_t price, stock;
    std::optional<std::int64_t> per_month;
  };
  for (const Offer& o :
       {Offer{ids.barbers, "上门理发一次", "花剪子理发队为行动不便的老人上门理发", "service", 30,
              20, 1},
        Offer{ids.ruixing, "周六课业辅导（一次）", "睿星教育周六上午 9:00 学业辅导", "service", 50,
              10, 2},
        Offer{ids.knives, "磨刀一次", "朝乐磨刀队每周六上午义务磨刀磨剪", "service", 10, 100,
              std::nullopt},
        Offer{ids.ruixing, "文具礼包", "笔记本与文具一套", "goods", 80, 5, std::nullopt}})
    points.create_item(
        community, actor,
        {o.org, ids.qx, std::string(o.title), std::string(o.about), std::string(o.kind), o.price,
         o.stock, std::nullopt, o.per_month, std::nullopt, true});

  points.manual_award(
      community, actor,
      {ids.resident, std::nullopt, 60, "参加西工商河清理志愿服务", "demo:river-cleanup"},
      Lang::zh_CN);
  points.set_rule(community, actor,
                  {ids.qx, "manual", 100, std::nullopt, std::nullopt, false, 3, true}, Lang::zh_CN);
}

}  // namespace xh::points
