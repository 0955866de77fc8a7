// The people of a generated street (`xinghuo gen`): 1 to 4 residents in each
// of its households (2.5 on average, about 65,000 a street), the first its
// owner, with unique valid national IDs and mobile numbers sealed as the store
// seals them; and on the first street the benchmark login bench_resident, the
// first resident of its first community.
#include <cstdio>

#include "api/list.h"
#include "api/module.h"
#include "auth/accounts.h"
#include "people/identity.h"
#include "people/store.h"
#include "storage/bulk.h"

namespace xh::people {

namespace {

const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
                           "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢"};
const char* kGiven[] = {"桂兰", "秀英", "建国", "淑珍", "志强", "海燕", "玉梅", "明", "伟", "静",
                        "磊", "洋", "婷", "丽", "强", "军", "敏", "杰", "红", "霞", "子涵", "浩然"};

// Residents a street may hold at most: the serials of national IDs.
constexpr std::int64_t kSerialsPerStreet = 100000;

std::string id_number(std::int64_t serial, int year) {
  // Unique by construction: the serial fills the order code and the region.
  char buf[32];
  std::snprintf(buf, sizeof buf, "37%04d%04d%02d%02d%03d", static_cast<int>(serial / 1000 % 10000),
                year, 1 + static_cast<int>(serial % 12), 1 + static_cast<int>(serial / 12 % 28),
                static_cast<int>(serial % 1000));
  return std::string(buf) + national_id_check(buf);
}

}  // namespace

api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street) {
  auto rng = street.random("people");
  Millis now = now_ms();
  std::int64_t resident = storage::next_id(tx, "residents"),
               member = storage::next_id(tx, "household_members"),
               serial = (street.number - 1) * kSerialsPerStreet;
  auto households = tx.query(
      "SELECT id, path, grid_path FROM places WHERE kind = 'household' AND path >= $1 AND "
      "path < $2 ORDER BY id",
      street.path, api::subtree_end(street.path));
  const std::int64_t first_resident = resident;
  {
    storage::BulkInsert residents(tx, "residents",
                                  {"id", "name", "gender", "birth_date", "id_number_enc",
                                   "id_number_index", "phone_enc", "created_at", "updated_at"});
    storage::BulkInsert members(tx, "household_members",
                                {"id", "household_id", "resident_id", "relation", "path",
                                 "grid_path", "created_at"});
    members.depends_on(residents);
    for (const auto& home : households) {
      int people = 1 + rng.below(4);
      for (int i = 0; i < people; ++i) {
        int year = 1940 + rng.below(80);
        std::string id_no = id_number(serial++, year);
        std::string name = std::string(kSurnames[rng.below(24)]) + kGiven[rng.below(22)];
        char phone[16];
        std::snprintf(phone, sizeof phone, "13%d%08d", 5 + rng.below(5), rng.below(100000000));
        residents.add(resident, name, (id_no[16] - '0') % 2 ? "male" : "female",
                      id_no.substr(6, 4) + "-" + id_no.substr(10, 2) + "-" + id_no.substr(12, 2),
                      ctx.cipher.encrypt(id_no), ctx.cipher.blind_index(store::kIdPurpose, id_no),
                      ctx.cipher.encrypt(phone), now, now);
        members.add(member++, home.i64("id"), resident, i == 0 ? "owner" : "family",
                    home.str("path"), home.opt_str("grid_path"), now);
        ++resident;
      }
    }
  }
  storage::advance_id_sequence(tx, "residents");
  storage::advance_id_sequence(tx, "household_members");
  if (street.number == 1 && !households.empty()) {
    // The first household lies in the first community.
    auto system = api::Actor::system("gen");
    auto user = auth::create_user_unchecked(tx, system,
                                            {"bench_resident", "压测居民", api::kBenchPassword});
    auth::assign_role_unchecked(tx, system, user, "resident", households.front().i64("id"));
    tx.exec("UPDATE residents SET user_id = $1 WHERE id = $2", user, first_resident);
  }
  return {{"residents", resident - first_resident}};
}

}  // namespace xh::people
