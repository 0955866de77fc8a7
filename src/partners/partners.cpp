#include "partners/partners.h"

#include <boost/json.hpp>

#include <algorithm>
#include <regex>

#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "people/identity.h"
#include "storage/search.h"

namespace xh::partners {

namespace json = boost::json;
using storage::Tx;

const std::vector<Label>& org_kinds() {
  static const std::vector<Label> kinds = {
      {"company", "企业", "Company"},
      {"institution", "事业单位", "Public institution"},
      {"school", "学校及教育机构", "School or education provider"},
      {"property_company", "物业服务企业", "Property management company"},
      {"social_org", "社会组织", "Social organisation"},
      {"volunteer_team", "志愿服务队", "Volunteer team"}};
  return kinds;
}

const std::vector<Label>& categories() {
  static const std::vector<Label> cats = {
      {"education", "教育辅导", "Education and tutoring"},
      {"health", "健康义诊", "Health checks"},
      {"elderly", "为老服务", "Care for the elderly"},
      {"sanitation", "环境卫生", "Cleaning and sanitation"},
      {"repair", "维修服务", "Repairs"},
      {"culture", "文体活动", "Culture and sport"},
      {"safety", "平安守护", "Safety patrols"},
      {"legal", "法律咨询", "Legal advice"},
      {"employment", "就业帮扶", "Employment support"},
      {"goods", "物资捐赠", "Donated goods"},
      {"epidemic", "防疫支援", "Epidemic support"},
      {"flood", "防汛应急", "Flood response"}};
  return cats;
}

const std::vector<Label>& need_statuses() {
  static const std::vector<Label> s = {
      {"open", "待认领", "Open"}, {"matched", "已匹配", "Matched"}, {"closed", "已关闭", "Closed"}};
  return s;
}

const std::vector<Label>& resource_statuses() {
  static const std::vector<Label> s = {{"available", "可用", "Available"},
                                       {"withdrawn", "已撤回", "Withdrawn"}};
  return s;
}

const std::vector<Label>& project_statuses() {
  static const std::vector<Label> s = {{"planned", "筹备中", "Planned"},
                                       {"active", "进行中", "Active"},
                                       {"done", "已完成", "Done"},
                                       {"cancelled", "已取消", "Cancelled"}};
  return s;
}

namespace {

template <class T>
json::value opt(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

bool known(const std::vector<Label>& labels, const std::string& key) {
  return std::any_of(labels.begin(), labels.end(), [&](const Label& l) { return l.key == key; });
}


void check_text(const std::optional<std::string>& v, const char* field, std::size_t max,
                bool required = false) {
  // A required field may be left out of a patch, but never emptied.
  if (v && v->empty() && required) throw unprocessable("request.missing_field", field);
  if ((required && (!v || v->empty())) || (v && utf8_length(*v) > max))
    throw unprocessable(required && (!v || v->empty()) ? "request.missing_field" : "request.field_too_long",
                        field);
}

void check_date(const std::string& d, const char* field) {
  static const std::regex re(R"(\d{4}-\d{2}-\d{2})");
  if (!std::regex_match(d, re)) throw unprocessable("partner.bad_date", field);
  int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || day < 1 || day > days[m - 1] + (m == 2 && leap ? 1 : 0))
    throw unprocessable("partner.bad_date", field);
}

std::string place_path(Tx& tx, std::int64_t place_id, const char* field) {
  auto r = tx.query_one("SELECT path FROM places WHERE id = $1 AND archived_at IS NULL", place_id);
  if (!r) throw unprocessable("place.not_found", field);
  return r->str(0);
}

struct OrgRow {
  std::int64_t id;
  std::string name, kind, path;
  std::optional<std::string> credit_code, address, party_branch, description;
  std::int64_t place_id, created_at, updated_at;
};

constexpr const char* kOrgColumns =
    "id, name, kind, path, credit_code, address, party_branch, description, place_id, created_at, "
    "updated_at";

OrgRow org_from(const storage::Row& r) {
  return {r.i64(0),     r.str(1),     r.str(2),     r.str(3), r.opt_str(4), r.opt_str(5),
          r.opt_str(6), r.opt_str(7), r.i64(8),     r.i64(9), r.i64(10)};
}

json::object org_json(const OrgRow& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"kind", o.kind},
          {"credit_code", opt(o.credit_code)},
          {"address", opt(o.address)},
          {"party_branch", opt(o.party_branch)},
          {"description", opt(o.description)},
          {"place_id", o.place_id},
          {"created_at", o.created_at},
          {"updated_at", o.updated_at}};
}

std::optional<OrgRow> find_org(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(std::string("SELECT ") + kOrgColumns +
                            " FROM orgs WHERE id = $1 AND archived_at IS NULL",
                        id);
  if (!r) return std::nullopt;
  return org_from(*r);
}

bool is_contact(Tx& tx, std::int64_t org_id, std::int64_t user_id) {
  return tx.query_one("SELECT 1 FROM org_contacts WHERE org_id = $1 AND user_id = $2", org_id, user_id)
      .has_value();
}

// Partner data is visible within the caller's scope and also when registered
// above it: the street's volunteer teams serve every community.
void append_partner_scope(const api::Principal& p, std::string_view column, std::string& sql,
                          std::vector<storage::Param>& params) {
  std::string cond = api::scope_condition(p, "partner.read", {column}, params);
  auto above = api::ancestor_paths(p, "partner.read");
  if (!above.empty()) {
    cond = "(" + cond + " OR " + std::string(column) + " IN (";
    for (std::size_t i = 0; i < above.size(); ++i) {
      params.push_back(above[i]);
      cond += (i ? ",$" : "$") + std::to_string(params.size());
    }
    cond += "))";
  }
  sql += " AND " + cond;
}

bool partner_visible(const api::Principal& p, const std::string& path) {
  if (api::in_scope(p, "partner.read", path)) return true;
  auto above = api::ancestor_paths(p, "partner.read");
  return std::find(above.begin(), above.end(), path) != above.end();
}

// Reading an organisation: partner.read over its place, or being its contact.
OrgRow readable_org(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto org = find_org(tx, id);
  if (!org) throw not_found("partner.not_found");
  if (!partner_visible(p, org->path) && !is_contact(tx, id, p.user_id)) {
    api::require(p, "partner.read");
    throw forbidden("auth.scope_denied", "partner.read");
  }
  return *org;
}

// Managing an organisation's offers: partner.write over its place, or being its contact.
OrgRow manageable_org(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto org = find_org(tx, id);
  if (!org) throw not_found("partner.not_found");
  if (!api::in_scope(p, "partner.write", org->path) && !is_contact(tx, id, p.user_id)) {
    api::require(p, "partner.write");
    throw forbidden("auth.scope_denied", "partner.write");
  }
  return *org;
}

void check_org(const OrgFields& f, bool creating) {
  if (f.name || creating) check_text(f.name, "name", 100, true);
  if (creating && !f.kind) throw unprocessable("request.missing_field", "kind");
  if (f.kind && !known(org_kinds(), *f.kind)) throw unprocessable("partner.bad_kind", "kind");
  check_text(f.credit_code, "credit_code", 18);
  check_text(f.address, "address", 200);
  check_text(f.party_branch, "party_branch", 100);
  check_text(f.description, "description", 2000);
  if (creating && !f.place_id) throw unprocessable("request.missing_field", "place_id");
}

json::object need_json(const storage::Row& r) {
  return {{"id", r.i64(0)},          {"place_id", r.i64(1)},       {"place_name", r.str(2)},
          {"category", r.str(3)},    {"title", r.str(4)},          {"description", opt(r.opt_str(5))},
          {"status", r.str(6)},      {"created_at", r.i64(7)}};
}
constexpr const char* kNeedSelect =
    "SELECT n.id, n.place_id, pl.name, n.category, n.title, n.description, n.status, n.created_at "
    "FROM needs n JOIN places pl ON pl.id = n.place_id";

json::object resource_json(const storage::Row& r) {
  return {{"id", r.i64(0)},         {"org_id", r.i64(1)},       {"org_name", r.str(2)},
          {"place_id", r.i64(3)},   {"place_name", r.str(4)},   {"category", r.str(5)},
          {"title", r.str(6)},      {"description", opt(r.opt_str(7))},
          {"capacity", opt(r.opt_str(8))}, {"status", r.str(9)}, {"created_at", r.i64(10)}};
}
constexpr const char* kResourceSelect =
    "SELECT r.id, r.org_id, o.name, r.place_id, pl.name, r.category, r.title, r.description, "
    "r.capacity, r.status, r.created_at FROM resources r JOIN orgs o ON o.id = r.org_id JOIN "
    "places pl ON pl.id = r.place_id";

json::object project_json(Tx& tx, const storage::Row& r) {
  json::array res;
  for (const auto& x : tx.query(std::string(kResourceSelect) +
                                    " JOIN project_resources pr ON pr.resource_id = r.id WHERE "
                                    "pr.project_id = $1 ORDER BY r.id",
                                r.i64(0)))
    res.push_back(resource_json(x));
  return {{"id", r.i64(0)},   {"need_id", r.i64(1)},   {"need_title", r.str(2)},
          {"title", r.str(3)}, {"status", r.str(4)},   {"created_at", r.i64(5)},
          {"resources", res}};
}
constexpr const char* kProjectSelect =
    "SELECT pj.id, pj.need_id, n.title, pj.title, pj.status, pj.created_at FROM projects pj JOIN "
    "needs n ON n.id = pj.need_id";

std::string page(std::vector<storage::Param>& params, int limit, int offset) {
  params.push_back(static_cast<std::int64_t>(limit));
  params.push_back(static_cast<std::int64_t>(offset));
  return " LIMIT $" + std::to_string(params.size() - 1) + " OFFSET $" + std::to_string(params.size());
}

void add_filter(std::string& sql, std::vector<storage::Param>& params, const std::string& column,
                const std::optional<std::string>& v) {
  if (!v) return;
  params.push_back(*v);
  sql += " AND " + column + " = $" + std::to_string(params.size());
}

}  // namespace

std::int64_t create_org_unchecked(Tx& tx, const api::Actor& actor, const OrgFields& f) {
  check_org(f, true);
  std::string path = place_path(tx, *f.place_id, "place_id");
  Millis now = now_ms();
  std::int64_t id;
  try {
    id = tx.query_one(
               "INSERT INTO orgs (name, kind, credit_code, address, place_id, path, party_branch, "
               "description, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) "
               "RETURNING id",
               *f.name, *f.kind, f.credit_code, f.address, *f.place_id, path, f.party_branch,
               f.description, now)
             ->i64(0);
  } catch (const storage::UniqueViolation&) {
    throw conflict("partner.exists", "name");
  }
  audit::append(tx, actor, {"partner.create", "org", std::to_string(id), std::nullopt,
                            json::serialize(org_json(*find_org(tx, id)))});
  return id;
}

json::object create_org(Services& s, const api::Principal& p, const api::Actor& actor,
                        const OrgFields& f) {
  api::require(p, "partner.write");
  return s.db.write([&](Tx& tx) {
    check_org(f, true);
    api::require_in_scope(p, "partner.write", place_path(tx, *f.place_id, "place_id"));
    return org_json(*find_org(tx, create_org_unchecked(tx, actor, f)));
  });
}

json::object get_org(Services& s, const api::Principal& p, std::int64_t id) {
  return s.db.read([&](Tx& tx) {
    OrgRow org = readable_org(tx, p, id);
    bool full = api::in_scope(p, "partner.write", org.path) || is_contact(tx, id, p.user_id);
    json::object o = org_json(org);
    json::array agreements, contacts;
    for (const auto& r : tx.query(
             "SELECT id, title, signed_on, term_start, term_end, commitments, created_at FROM "
             "agreements WHERE org_id = $1 ORDER BY signed_on DESC, id DESC",
             id))
      agreements.push_back({{"id", r.i64(0)}, {"title", r.str(1)}, {"signed_on", r.str(2)},
                            {"term_start", r.str(3)}, {"term_end", r.str(4)},
                            {"commitments", r.str(5)}, {"created_at", r.i64(6)}});
    for (const auto& r : tx.query(
             "SELECT id, name, title, phone_enc, user_id FROM org_contacts WHERE org_id = $1 ORDER BY id",
             id)) {
      json::object c{{"id", r.i64(0)}, {"name", r.str(1)}, {"title", opt(r.opt_str(2))},
                     {"user_id", opt(r.opt_i64(4))}};
      if (auto enc = r.opt_str(3)) {
        std::string phone = s.cipher.decrypt(*enc);
        c["phone"] = full ? phone : people::mask_phone(phone);
      } else {
        c["phone"] = nullptr;
      }
      contacts.push_back(std::move(c));
    }
    o["agreements"] = agreements;
    o["contacts"] = contacts;
    return o;
  });
}

json::object update_org(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::int64_t id, const OrgFields& f) {
  check_org(f, false);
  return s.db.write([&](Tx& tx) {
    OrgRow before = manageable_org(tx, p, id);
    // An organisation's own contacts keep its description and address; who it
    // is (name, kind, credit code, Party branch) is for the community's staff.
    if (!api::in_scope(p, "partner.write", before.path) &&
        (f.name || f.kind || f.credit_code || f.party_branch || f.place_id))
      throw forbidden("auth.scope_denied", "partner.write");
    // Moving an organisation to another place is staff work, not the partner's own.
    std::string path = before.path;
    if (f.place_id) {
      path = place_path(tx, *f.place_id, "place_id");
      api::require_in_scope(p, "partner.write", before.path);
      api::require_in_scope(p, "partner.write", path);
    }
    try {
      tx.exec(
          "UPDATE orgs SET name = $2, kind = $3, credit_code = $4, address = $5, party_branch = "
          "$6, description = $7, place_id = $8, path = $9, updated_at = $10 WHERE id = $1",
          id, f.name.value_or(before.name), f.kind.value_or(before.kind),
          f.credit_code ? f.credit_code : before.credit_code, f.address ? f.address : before.address,
          f.party_branch ? f.party_branch : before.party_branch,
          f.description ? f.description : before.description, f.place_id.value_or(before.place_id),
          path, now_ms());
    } catch (const storage::UniqueViolation&) {
      throw conflict("partner.exists", "name");
    }
    json::object after = org_json(*find_org(tx, id));
    audit::append(tx, actor, {"partner.update", "org", std::to_string(id),
                              json::serialize(org_json(before)), json::serialize(after)});
    return after;
  });
}

std::pair<json::array, std::int64_t> list_orgs(Services& s, const api::Principal& p,
                                               const OrgQuery& q) {
  api::require(p, "partner.read");
  return s.db.read([&](Tx& tx) {
    std::string where = " FROM orgs WHERE archived_at IS NULL";
    std::vector<storage::Param> params;
    append_partner_scope(p, "path", where, params);
    add_filter(where, params, "kind", q.kind);
    if (q.q && !q.q->empty())
      storage::append_search(tx.dialect(), {"id", "orgs_fts", {"name"}}, *q.q, where, params);
    auto total = tx.query_one_v("SELECT COUNT(*)" + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v(std::string("SELECT ") + kOrgColumns + where + " ORDER BY id" +
                                        page(params, q.limit, q.offset),
                                    params))
      items.push_back(org_json(org_from(r)));
    return std::make_pair(items, total);
  });
}

std::int64_t add_agreement_unchecked(Tx& tx, const api::Actor& actor, std::int64_t org_id,
                                     const AgreementFields& f) {
  check_text(f.title, "title", 100, true);
  check_text(f.commitments, "commitments", 5000, true);
  check_date(f.signed_on, "signed_on");
  check_date(f.term_start, "term_start");
  check_date(f.term_end, "term_end");
  if (f.term_end < f.term_start) throw unprocessable("partner.bad_term", "term_end");
  auto id = tx.query_one(
                  "INSERT INTO agreements (org_id, title, signed_on, term_start, term_end, "
                  "commitments, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                  org_id, f.title, f.signed_on, f.term_start, f.term_end, f.commitments, now_ms())
                ->i64(0);
  audit::append(tx, actor, {"partner.agreement", "org", std::to_string(org_id), std::nullopt,
                            json::serialize(json::object{{"agreement_id", id}, {"title", f.title},
                                                         {"signed_on", f.signed_on}})});
  return id;
}

json::object add_agreement(Services& s, const api::Principal& p, const api::Actor& actor,
                           std::int64_t org_id, const AgreementFields& f) {
  s.db.write([&](Tx& tx) {
    auto org = find_org(tx, org_id);
    if (!org) throw not_found("partner.not_found");
    api::require_in_scope(p, "partner.write", org->path);
    add_agreement_unchecked(tx, actor, org_id, f);
  });
  return get_org(s, p, org_id);
}

void add_contact_unchecked(Tx& tx, const FieldCipher& cipher, const api::Actor& actor,
                           std::int64_t org_id, const ContactFields& f) {
  check_text(f.name, "name", 50, true);
  check_text(f.title, "title", 50);
  std::optional<std::string> phone;
  if (f.phone) {
    phone = people::parse_phone(*f.phone);
    if (!phone) throw unprocessable("resident.bad_phone", "phone");
  }
  if (f.user_id && !tx.query_one("SELECT 1 FROM users WHERE id = $1", *f.user_id))
    throw unprocessable("user.not_found", "user_id");
  try {
    tx.exec(
        "INSERT INTO org_contacts (org_id, name, title, phone_enc, user_id, created_at) VALUES "
        "($1,$2,$3,$4,$5,$6)",
        org_id, f.name, f.title, phone ? std::optional(cipher.encrypt(*phone)) : std::nullopt,
        f.user_id, now_ms());
  } catch (const storage::UniqueViolation&) {
    throw conflict("partner.contact_exists", "user_id");
  }
  audit::append(tx, actor, {"partner.contact", "org", std::to_string(org_id), std::nullopt,
                            json::serialize(json::object{{"name", f.name}, {"user_id", opt(f.user_id)}})});
}

json::object add_contact(Services& s, const api::Principal& p, const api::Actor& actor,
                         std::int64_t org_id, const ContactFields& f) {
  s.db.write([&](Tx& tx) {
    auto org = find_org(tx, org_id);
    if (!org) throw not_found("partner.not_found");
    api::require_in_scope(p, "partner.write", org->path);
    add_contact_unchecked(tx, s.cipher, actor, org_id, f);
  });
  return get_org(s, p, org_id);
}

std::int64_t create_need_unchecked(Tx& tx, const api::Actor& actor, const NeedFields& f) {
  if (!known(categories(), f.category)) throw unprocessable("partner.bad_category", "category");
  check_text(f.title, "title", 100, true);
  check_text(f.description, "description", 2000);
  std::string path = place_path(tx, f.place_id, "place_id");
  Millis now = now_ms();
  auto id = tx.query_one(
                  "INSERT INTO needs (place_id, path, category, title, description, created_by, "
                  "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id",
                  f.place_id, path, f.category, f.title, f.description, actor.user_id, now)
                ->i64(0);
  audit::append(tx, actor, {"need.create", "need", std::to_string(id), std::nullopt,
                            json::serialize(json::object{{"title", f.title}, {"category", f.category}})});
  return id;
}

json::object create_need(Services& s, const api::Principal& p, const api::Actor& actor,
                         const NeedFields& f) {
  api::require(p, "partner.write");
  return s.db.write([&](Tx& tx) {
    api::require_in_scope(p, "partner.write", place_path(tx, f.place_id, "place_id"));
    auto id = create_need_unchecked(tx, actor, f);
    return need_json(*tx.query_one(std::string(kNeedSelect) + " WHERE n.id = $1", id));
  });
}

std::int64_t create_resource_unchecked(Tx& tx, const api::Actor& actor, const ResourceFields& f) {
  if (!known(categories(), f.category)) throw unprocessable("partner.bad_category", "category");
  check_text(f.title, "title", 100, true);
  check_text(f.description, "description", 2000);
  check_text(f.capacity, "capacity", 100);
  std::string path = place_path(tx, f.place_id, "place_id");
  Millis now = now_ms();
  auto id = tx.query_one(
                  "INSERT INTO resources (org_id, place_id, path, category, title, description, "
                  "capacity, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id",
                  f.org_id, f.place_id, path, f.category, f.title, f.description, f.capacity, now)
                ->i64(0);
  audit::append(tx, actor, {"resource.create", "resource", std::to_string(id), std::nullopt,
                            json::serialize(json::object{{"org_id", f.org_id}, {"title", f.title}})});
  return id;
}

json::object create_resource(Services& s, const api::Principal& p, const api::Actor& actor,
                             const ResourceFields& f) {
  return s.db.write([&](Tx& tx) {
    OrgRow org = manageable_org(tx, p, f.org_id);
    // An organisation offers within its own area; staff may place offers anywhere they govern.
    std::string path = place_path(tx, f.place_id, "place_id");
    if (path.rfind(org.path, 0) != 0 && !api::in_scope(p, "partner.write", path))
      throw forbidden("auth.scope_denied", "partner.write");
    auto id = create_resource_unchecked(tx, actor, f);
    return resource_json(*tx.query_one(std::string(kResourceSelect) + " WHERE r.id = $1", id));
  });
}

json::object create_project(Services& s, const api::Principal& p, const api::Actor& actor,
                            const ProjectFields& f) {
  api::require(p, "partner.write");
  check_text(f.title, "title", 100, true);
  if (f.resource_ids.empty()) throw unprocessable("request.missing_field", "resource_ids");
  return s.db.write([&](Tx& tx) {
    auto need = tx.query_one("SELECT path, status FROM needs WHERE id = $1", f.need_id);
    if (!need) throw unprocessable("need.not_found", "need_id");
    api::require_in_scope(p, "partner.write", need->str(0));
    if (need->str(1) == "closed") throw conflict("need.closed");
    Millis now = now_ms();
    auto id = tx.query_one(
                    "INSERT INTO projects (need_id, path, title, created_at, updated_at) VALUES "
                    "($1,$2,$3,$4,$4) RETURNING id",
                    f.need_id, need->str(0), f.title, now)
                  ->i64(0);
    for (auto rid : f.resource_ids) {
      auto res = tx.query_one("SELECT status, path FROM resources WHERE id = $1", rid);
      if (!res || res->str(0) != "available" || !partner_visible(p, res->str(1)))
        throw unprocessable("resource.not_available", "resource_ids");
      if (!tx.query_one("SELECT 1 FROM project_resources WHERE project_id = $1 AND resource_id = $2", id, rid))
        tx.exec("INSERT INTO project_resources (project_id, resource_id) VALUES ($1, $2)", id, rid);
    }
    tx.exec("UPDATE needs SET status = 'matched', updated_at = $2 WHERE id = $1", f.need_id, now);
    audit::append(tx, actor, {"project.create", "project", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"need_id", f.need_id}, {"title", f.title}})});
    return project_json(tx, *tx.query_one(std::string(kProjectSelect) + " WHERE pj.id = $1", id));
  });
}

json::object set_project_status(Services& s, const api::Principal& p, const api::Actor& actor,
                                std::int64_t id, const std::string& status) {
  if (status != "planned" && status != "active" && status != "done" && status != "cancelled")
    throw unprocessable("project.bad_status", "status");
  return s.db.write([&](Tx& tx) {
    auto pj = tx.query_one("SELECT path, status, need_id FROM projects WHERE id = $1", id);
    if (!pj) throw not_found("project.not_found");
    api::require_in_scope(p, "partner.write", pj->str(0));
    tx.exec("UPDATE projects SET status = $2, updated_at = $3 WHERE id = $1", id, status, now_ms());
    if (status == "done")
      tx.exec("UPDATE needs SET status = 'closed', updated_at = $2 WHERE id = $1", pj->i64(2), now_ms());
    audit::append(tx, actor, {"project.status", "project", std::to_string(id),
                              json::serialize(json::object{{"status", pj->str(1)}}),
                              json::serialize(json::object{{"status", status}})});
    return project_json(tx, *tx.query_one(std::string(kProjectSelect) + " WHERE pj.id = $1", id));
  });
}

std::pair<json::array, std::int64_t> list_needs(Services& s, const api::Principal& p,
                                                const ListQuery& q) {
  api::require(p, "partner.read");
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<storage::Param> params;
    api::append_scope_condition(p, "partner.read", "n.path", where, params);
    add_filter(where, params, "n.category", q.category);
    add_filter(where, params, "n.status", q.status);
    auto total = tx.query_one_v(
        "SELECT COUNT(*) FROM needs n JOIN places pl ON pl.id = n.place_id" + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v(std::string(kNeedSelect) + where + " ORDER BY n.id DESC" +
                                        page(params, q.limit, q.offset), params))
      items.push_back(need_json(r));
    return std::make_pair(items, total);
  });
}

std::pair<json::array, std::int64_t> list_resources(Services& s, const api::Principal& p,
                                                    const ListQuery& q) {
  api::require(p, "partner.read");
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<storage::Param> params;
    append_partner_scope(p, "r.path", where, params);
    add_filter(where, params, "r.category", q.category);
    add_filter(where, params, "r.status", q.status);
    if (q.org_id) {
      params.push_back(*q.org_id);
      where += " AND r.org_id = $" + std::to_string(params.size());
    }
    auto total = tx.query_one_v(
        "SELECT COUNT(*) FROM resources r JOIN orgs o ON o.id = r.org_id JOIN places pl ON pl.id = "
        "r.place_id" + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v(std::string(kResourceSelect) + where + " ORDER BY r.id DESC" +
                                        page(params, q.limit, q.offset), params))
      items.push_back(resource_json(r));
    return std::make_pair(items, total);
  });
}

std::pair<json::array, std::int64_t> list_projects(Services& s, const api::Principal& p,
                                                   const ListQuery& q) {
  api::require(p, "partner.read");
  return s.db.read([&](Tx& tx) {
    std::string where = " WHERE 1=1";
    std::vector<storage::Param> params;
    api::append_scope_condition(p, "partner.read", "pj.path", where, params);
    add_filter(where, params, "pj.status", q.status);
    auto total = tx.query_one_v(
        "SELECT COUNT(*) FROM projects pj JOIN needs n ON n.id = pj.need_id" + where, params)->i64(0);
    json::array items;
    for (const auto& r : tx.query_v(std::string(kProjectSelect) + where + " ORDER BY pj.id DESC" +
                                        page(params, q.limit, q.offset), params))
      items.push_back(project_json(tx, r));
    return std::make_pair(items, total);
  });
}

json::array suggest_resources(Services& s, const api::Principal& p, std::int64_t need_id) {
  api::require(p, "partner.read");
  return s.db.read([&](Tx& tx) {
    auto need = tx.query_one("SELECT path, category FROM needs WHERE id = $1", need_id);
    if (!need) throw not_found("need.not_found");
    api::require_in_scope(p, "partner.read", need->str(0));
    std::string need_path = need->str(0);
    // The community is the first two levels below the street: "/1/2/".
    std::size_t slashes = 0, cut = 0;
    for (; cut < need_path.size() && slashes < 3; ++cut) slashes += need_path[cut] == '/';
    std::string community = need_path.substr(0, cut);
    std::string upper = community;
    upper.back() = '0';
    struct Candidate {
      int score;
      std::int64_t load;
      json::object item;
    };
    std::vector<Candidate> out;
    // Columns 0‥10 are the resource as resource_json reads it; 11 its open
    // commitments, 12 its path.
    for (const auto& r : tx.query(
             "SELECT r.id, r.org_id, o.name, r.place_id, pl.name, r.category, r.title, "
             "r.description, r.capacity, r.status, r.created_at, (SELECT COUNT(*) FROM "
             "project_resources pr JOIN projects pj ON pj.id = pr.project_id WHERE pr.resource_id "
             "= r.id AND pj.status IN ('planned','active')), r.path FROM resources r JOIN orgs o "
             "ON o.id = r.org_id JOIN places pl ON pl.id = r.place_id WHERE r.category = $1 AND "
             "r.status = 'available' AND o.archived_at IS NULL ORDER BY r.id",
             need->str(1))) {
      const std::string& path = r.str(12);
      int score = need_path.rfind(path, 0) == 0 ? 2 : (path >= community && path < upper ? 1 : 0);
      if (score == 0 || !partner_visible(p, path)) continue;
      json::object item = resource_json(r);
      item["match"] = score == 2 ? "covers_place" : "same_community";
      out.push_back({score, r.i64(11), std::move(item)});
    }
    std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
      return a.score != b.score ? a.score > b.score : a.load < b.load;
    });
    json::array items;
    for (auto& c : out) items.push_back(std::move(c.item));
    return items;
  });
}

}  // namespace xh::partners
