#include "partners/store.h"

#include "api/scope.h"

namespace xh::partners::store {

using storage::Param;
using storage::Tx;

namespace {

const char* const kOrgColumns =
    "id, name, kind, path, credit_code, address, party_branch, description, place_id, created_at, "
    "updated_at";

const char* const kNeedColumns =
    "n.id AS id, n.place_id AS place_id, pl.name AS place_name, n.path AS path, n.category AS "
    "category, n.title AS title, n.description AS description, n.status AS status, n.created_at "
    "AS created_at";
const char* const kNeedFrom = "needs n JOIN places pl ON pl.id = n.place_id";

const char* const kResourceColumns =
    "r.id AS id, r.org_id AS org_id, o.name AS org_name, r.place_id AS place_id, pl.name AS "
    "place_name, r.path AS path, r.category AS category, r.title AS title, r.description AS "
    "description, r.capacity AS capacity, r.status AS status, r.created_at AS created_at";
const char* const kResourceFrom =
    "resources r JOIN orgs o ON o.id = r.org_id JOIN places pl ON pl.id = r.place_id";

const char* const kProjectColumns =
    "pj.id AS id, pj.need_id AS need_id, n.title AS need_title, pj.path AS path, pj.title AS "
    "title, pj.status AS status, pj.created_at AS created_at";
const char* const kProjectFrom = "projects pj JOIN needs n ON n.id = pj.need_id";

std::string select(const char* columns, const char* from, const char* where) {
  return std::string("SELECT ") + columns + " FROM " + from + " WHERE " + where;
}

// Partner data is visible within the caller's scope and also when registered
// above it: the street's volunteer teams serve every community. (The scope
// alone is what ListQuery::scope writes.)
void visible(api::ListQuery& l, const api::Principal& p, std::string_view column) {
  auto above = api::ancestor_paths(p, "partner.read");
  if (above.empty()) {
    l.scope(p, "partner.read", {column});
    return;
  }
  std::string c(column), condition;
  std::vector<Param> values;
  for (const auto& path : api::scope_paths(p, "partner.read")) {
    condition += (condition.empty() ? "(" : " OR (") + c + " >= ? AND " + c + " < ?)";
    values.push_back(path);
    values.push_back(api::subtree_end(path));
  }
  condition += " OR " + c + " IN (";
  for (std::size_t i = 0; i < above.size(); ++i) {
    condition += i ? ", ?" : "?";
    values.push_back(above[i]);
  }
  l.where(condition + ")", std::move(values));
}

}  // namespace

Org org_from(const storage::Row& r) {
  Org o;
  o.id = r.i64("id");
  o.name = r.str("name");
  o.kind = r.str("kind");
  o.path = r.str("path");
  o.credit_code = r.opt_str("credit_code");
  o.address = r.opt_str("address");
  o.party_branch = r.opt_str("party_branch");
  o.description = r.opt_str("description");
  o.place_id = r.i64("place_id");
  o.created_at = r.i64("created_at");
  o.updated_at = r.i64("updated_at");
  return o;
}

Need need_from(const storage::Row& r) {
  Need n;
  n.id = r.i64("id");
  n.place_id = r.i64("place_id");
  n.place_name = r.str("place_name");
  n.path = r.str("path");
  n.category = r.str("category");
  n.title = r.str("title");
  n.description = r.opt_str("description");
  n.status = r.str("status");
  n.created_at = r.i64("created_at");
  return n;
}

Resource resource_from(const storage::Row& r) {
  Resource res;
  res.id = r.i64("id");
  res.org_id = r.i64("org_id");
  res.org_name = r.str("org_name");
  res.place_id = r.i64("place_id");
  res.place_name = r.str("place_name");
  res.path = r.str("path");
  res.category = r.str("category");
  res.title = r.str("title");
  res.description = r.opt_str("description");
  res.capacity = r.opt_str("capacity");
  res.status = r.str("status");
  res.created_at = r.i64("created_at");
  return res;
}

Project project_from(const storage::Row& r) {
  Project pj;
  pj.id = r.i64("id");
  pj.need_id = r.i64("need_id");
  pj.need_title = r.str("need_title");
  pj.path = r.str("path");
  pj.title = r.str("title");
  pj.status = r.str("status");
  pj.created_at = r.i64("created_at");
  return pj;
}

std::optional<Org> find_org(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(std::string("SELECT ") + kOrgColumns +
                            " FROM orgs WHERE id = $1 AND archived_at IS NULL",
                        id);
  if (!r) return std::nullopt;
  return org_from(*r);
}

std::int64_t insert_org(Tx& tx, const OrgFields& f, const std::string& path, Millis now) {
  return tx
      .query_one(
          "INSERT INTO orgs (name, kind, credit_code, address, place_id, path, party_branch, "
          "description, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9) "
          "RETURNING id",
          *f.name, *f.kind, f.credit_code, f.address, *f.place_id, path, f.party_branch,
          f.description, now)
      ->i64("id");
}

void update_org(Tx& tx, const Org& o, Millis now) {
  tx.exec(
      "UPDATE orgs SET name = $2, kind = $3, credit_code = $4, address = $5, party_branch = $6, "
      "description = $7, place_id = $8, path = $9, updated_at = $10 WHERE id = $1",
      o.id, o.name, o.kind, o.credit_code, o.address, o.party_branch, o.description, o.place_id,
      o.path, now);
}

bool is_contact(Tx& tx, std::int64_t org_id, std::int64_t user_id) {
  return tx
      .query_one("SELECT 1 FROM org_contacts WHERE org_id = $1 AND user_id = $2", org_id, user_id)
      .has_value();
}

std::vector<Org> orgs_of_contact(Tx& tx, std::int64_t user_id) {
  std::vector<Org> out;
  for (const auto& r : tx.query(std::string("SELECT ") + kOrgColumns +
                                    " FROM orgs WHERE archived_at IS NULL AND id IN (SELECT org_id "
                                    "FROM org_contacts WHERE user_id = $1) ORDER BY id",
                                user_id))
    out.push_back(org_from(r));
  return out;
}

void archive_org(Tx& tx, std::int64_t id, Millis now) {
  tx.exec("UPDATE orgs SET archived_at = $2, updated_at = $2 WHERE id = $1", id, now);
  tx.exec("UPDATE resources SET status = 'withdrawn', updated_at = $2 WHERE org_id = $1 AND "
          "status = 'available'",
          id, now);
}

namespace {
Agreement agreement_from(const storage::Row& r) {
  return {r.i64("id"),         r.str("title"),       r.str("signed_on"), r.str("term_start"),
          r.str("term_end"),   r.str("commitments"), r.i64("created_at")};
}
const char* const kAgreementColumns =
    "id, title, signed_on, term_start, term_end, commitments, created_at";
}  // namespace

std::vector<Agreement> agreements_of(Tx& tx, std::int64_t org_id) {
  std::vector<Agreement> out;
  for (const auto& r : tx.query(std::string("SELECT ") + kAgreementColumns +
                                    " FROM agreements WHERE org_id = $1 ORDER BY signed_on DESC, "
                                    "id DESC",
                                org_id))
    out.push_back(agreement_from(r));
  return out;
}

std::vector<Contact> contacts_of(Tx& tx, const FieldCipher& cipher, std::int64_t org_id) {
  std::vector<Contact> out;
  for (const auto& r : tx.query(
           "SELECT id, name, title, phone_enc, user_id FROM org_contacts WHERE org_id = $1 ORDER "
           "BY id",
           org_id)) {
    Contact c{r.i64("id"), r.str("name"), r.opt_str("title"), std::nullopt, r.opt_i64("user_id")};
    if (auto enc = r.opt_str("phone_enc")) c.phone = cipher.decrypt(*enc);
    out.push_back(std::move(c));
  }
  return out;
}

Agreement insert_agreement(Tx& tx, std::int64_t org_id, const AgreementFields& f, Millis now) {
  auto id = tx.query_one(
                  "INSERT INTO agreements (org_id, title, signed_on, term_start, term_end, "
                  "commitments, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                  org_id, f.title, f.signed_on, f.term_start, f.term_end, f.commitments, now)
                ->i64("id");
  return {id, f.title, f.signed_on, f.term_start, f.term_end, f.commitments, now};
}

std::optional<Agreement> find_agreement(Tx& tx, std::int64_t org_id, std::int64_t id) {
  auto r = tx.query_one(std::string("SELECT ") + kAgreementColumns +
                            " FROM agreements WHERE id = $1 AND org_id = $2",
                        id, org_id);
  if (!r) return std::nullopt;
  return agreement_from(*r);
}

void update_agreement(Tx& tx, std::int64_t id, const AgreementFields& f) {
  tx.exec(
      "UPDATE agreements SET title = $2, signed_on = $3, term_start = $4, term_end = $5, "
      "commitments = $6 WHERE id = $1",
      id, f.title, f.signed_on, f.term_start, f.term_end, f.commitments);
}

void delete_agreement(Tx& tx, std::int64_t id) {
  tx.exec("DELETE FROM agreements WHERE id = $1", id);
}

std::optional<Contact> find_contact(Tx& tx, const FieldCipher& cipher, std::int64_t org_id,
                                    std::int64_t id) {
  for (auto& c : contacts_of(tx, cipher, org_id))
    if (c.id == id) return c;
  return std::nullopt;
}

void update_contact(Tx& tx, const FieldCipher& cipher, const Contact& c) {
  tx.exec("UPDATE org_contacts SET name = $2, title = $3, phone_enc = $4, user_id = $5 WHERE id = $1",
          c.id, c.name, c.title,
          c.phone ? std::optional(cipher.encrypt(*c.phone)) : std::nullopt, c.user_id);
}

void delete_contact(Tx& tx, std::int64_t id) {
  tx.exec("DELETE FROM org_contacts WHERE id = $1", id);
}

Contact insert_contact(Tx& tx, const FieldCipher& cipher, std::int64_t org_id,
                       const ContactFields& f, Millis now) {
  auto id = tx.query_one(
                  "INSERT INTO org_contacts (org_id, name, title, phone_enc, user_id, created_at) "
                  "VALUES ($1,$2,$3,$4,$5,$6) RETURNING id",
                  org_id, f.name, f.title,
                  f.phone ? std::optional(cipher.encrypt(*f.phone)) : std::nullopt, f.user_id, now)
                ->i64("id");
  return {id, f.name, f.title, f.phone, f.user_id};
}

bool user_exists(Tx& tx, std::int64_t user_id) {
  return tx.query_one("SELECT 1 FROM users WHERE id = $1", user_id).has_value();
}

std::optional<Need> find_need(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(select(kNeedColumns, kNeedFrom, "n.id = $1"), id);
  if (!r) return std::nullopt;
  return need_from(*r);
}

std::int64_t insert_need(Tx& tx, const NeedFields& f, const std::string& path,
                         std::optional<std::int64_t> created_by, Millis now) {
  return tx
      .query_one(
          "INSERT INTO needs (place_id, path, category, title, description, created_by, "
          "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id",
          f.place_id, path, f.category, f.title, f.description, created_by, now)
      ->i64("id");
}

void set_need_status(Tx& tx, std::int64_t id, const std::string& status, Millis now) {
  tx.exec("UPDATE needs SET status = $2, updated_at = $3 WHERE id = $1", id, status, now);
}

bool has_live_project(Tx& tx, std::int64_t need_id) {
  return tx
      .query_one("SELECT 1 FROM projects WHERE need_id = $1 AND status IN ('planned','active')",
                 need_id)
      .has_value();
}

void update_need(Tx& tx, const Need& n, Millis now) {
  tx.exec(
      "UPDATE needs SET category = $2, title = $3, description = $4, status = $5, updated_at = $6 "
      "WHERE id = $1",
      n.id, n.category, n.title, n.description, n.status, now);
}

std::optional<Resource> find_resource(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(select(kResourceColumns, kResourceFrom, "r.id = $1"), id);
  if (!r) return std::nullopt;
  return resource_from(*r);
}

std::int64_t insert_resource(Tx& tx, const ResourceFields& f, const std::string& path, Millis now) {
  return tx
      .query_one(
          "INSERT INTO resources (org_id, place_id, path, category, title, description, "
          "capacity, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id",
          f.org_id, f.place_id, path, f.category, f.title, f.description, f.capacity, now)
      ->i64("id");
}

void update_resource(Tx& tx, const Resource& r, Millis now) {
  tx.exec(
      "UPDATE resources SET place_id = $2, path = $3, category = $4, title = $5, description = $6, "
      "capacity = $7, status = $8, updated_at = $9 WHERE id = $1",
      r.id, r.place_id, r.path, r.category, r.title, r.description, r.capacity, r.status, now);
}

std::vector<Resource> resources_of(Tx& tx, std::int64_t project_id) {
  std::vector<Resource> out;
  for (const auto& r : tx.query(
           std::string("SELECT ") + kResourceColumns + " FROM " + kResourceFrom +
               " JOIN project_resources pr ON pr.resource_id = r.id WHERE pr.project_id = $1 "
               "ORDER BY r.id",
           project_id))
    out.push_back(resource_from(r));
  return out;
}

std::optional<Project> find_project(Tx& tx, std::int64_t id) {
  auto r = tx.query_one(select(kProjectColumns, kProjectFrom, "pj.id = $1"), id);
  if (!r) return std::nullopt;
  Project pj = project_from(*r);
  pj.resources = resources_of(tx, id);
  return pj;
}

std::int64_t insert_project(Tx& tx, const Need& need, const std::string& title, Millis now) {
  return tx
      .query_one(
          "INSERT INTO projects (need_id, path, title, created_at, updated_at) VALUES "
          "($1,$2,$3,$4,$4) RETURNING id",
          need.id, need.path, title, now)
      ->i64("id");
}

void add_project_resource(Tx& tx, std::int64_t project_id, std::int64_t resource_id) {
  if (!tx.query_one("SELECT 1 FROM project_resources WHERE project_id = $1 AND resource_id = $2",
                    project_id, resource_id))
    tx.exec("INSERT INTO project_resources (project_id, resource_id) VALUES ($1, $2)", project_id,
            resource_id);
}

void set_project_status(Tx& tx, std::int64_t id, const std::string& status, Millis now) {
  tx.exec("UPDATE projects SET status = $2, updated_at = $3 WHERE id = $1", id, status, now);
}

api::ListQuery::Result list_orgs(Tx& tx, const api::Principal& p, const OrgQuery& q) {
  api::ListQuery l("orgs");
  l.where("archived_at IS NULL");
  visible(l, p, "path");
  l.where_if("kind = ?", q.kind)
      .search(tx.dialect(), {"id", "orgs_fts", {"name"}}, q.q)
      .sort({{"id", "id"}}, std::nullopt, "id")
      .page(q.page);
  return l.rows(tx, kOrgColumns);
}

api::ListQuery::Result list_needs(Tx& tx, const api::Principal& p, const ListQuery& q) {
  api::ListQuery l(kNeedFrom);
  l.scope(p, "partner.read", {"n.path"})
      .where_if("n.category = ?", q.category)
      .where_if("n.status = ?", q.status)
      .sort({{"newest", "n.id DESC"}}, std::nullopt, "newest")
      .page(q.page);
  return l.rows(tx, kNeedColumns);
}

api::ListQuery::Result list_resources(Tx& tx, const api::Principal& p, const ListQuery& q) {
  api::ListQuery l(kResourceFrom);
  visible(l, p, "r.path");
  l.where_if("r.category = ?", q.category)
      .where_if("r.status = ?", q.status)
      .where_if("r.org_id = ?", q.org_id)
      .sort({{"newest", "r.id DESC"}}, std::nullopt, "newest")
      .page(q.page);
  return l.rows(tx, kResourceColumns);
}

api::ListQuery::Result list_projects(Tx& tx, const api::Principal& p, const ListQuery& q) {
  api::ListQuery l(kProjectFrom);
  l.scope(p, "partner.read", {"pj.path"})
      .where_if("pj.status = ?", q.status)
      .sort({{"newest", "pj.id DESC"}}, std::nullopt, "newest")
      .page(q.page);
  return l.rows(tx, kProjectColumns);
}

std::vector<Candidate> candidates(Tx& tx, const std::string& category) {
  std::vector<Candidate> out;
  for (const auto& r : tx.query(
           std::string("SELECT ") + kResourceColumns +
               ", (SELECT COUNT(*) FROM project_resources pr JOIN projects pj ON pj.id = "
               "pr.project_id WHERE pr.resource_id = r.id AND pj.status IN ('planned','active')) "
               "AS commitments FROM " + kResourceFrom +
               " WHERE r.category = $1 AND r.status = 'available' AND o.archived_at IS NULL "
               "ORDER BY r.id",
           category))
    out.push_back({resource_from(r), r.i64("commitments")});
  return out;
}

}  // namespace xh::partners::store
