// Open311 GeoReport v2 (WO-6): every endpoint in JSON and XML, the
// specification's field names, open/closed statuses, W3C date-times, API
// keys, and errors as GeoReport error lists with the right HTTP status.
#include "api_test.h"
#include "core/messages.h"

namespace xh::test {

namespace {

const std::vector<std::string> kRequestFields = {
    "service_request_id", "status",   "status_notes",       "service_name",     "service_code",
    "description",        "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime",   "expected_datetime",  "address",   "address_id", "zipcode", "lat",
    "long",               "media_url"};

bool w3c(const std::string& s) {
  // 2026-11-25T18:30:00+08:00
  return s.size() == 25 && s[4] == '-' && s[10] == 'T' && s[19] == '+' && s.substr(19) == "+08:00";
}

bool xml_doc(const HttpResponse& r, const std::string& root) {
  return r.header("content-type").find("text/xml") == 0 &&
         r.body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0) == 0 &&
         r.body.find("<" + root + ">") != std::string::npos &&
         r.body.size() >= root.size() + 3 &&
         r.body.compare(r.body.size() - root.size() - 3, root.size() + 3, "</" + root + ">") == 0;
}

std::string form_escape(const std::string& s) {
  std::string out;
  const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') out += static_cast<char>(c);
    else if (c == ' ') out += '+';
    else { out += '%'; out += hex[c >> 4]; out += hex[c & 15]; }
  }
  return out;
}

}  // namespace

class Open311 : public ApiTest {
 protected:
  static std::string key() {
    static std::string k = [] {
      auto street = as("street_admin");
      auto r = street.post("/api/open311/keys", R"({"name":"市民热线 App"})");
      EXPECT_EQ(r.status, 201) << r.body;
      return str(r.json(), "key");
    }();
    return k;
  }
  static HttpResponse post(const std::string& format, const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + k + "=" + form_escape(v);
    return anonymous().request("POST", "/open311/v2/requests." + format, body,
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
  }
};

TEST_F(Open311, ServicesInBothFormats) {
  auto j = anonymous().get("/open311/v2/services.json");
  ASSERT_EQ(j.status, 200) << j.body;
  auto services = j.json().as_array();
  ASSERT_GE(services.size(), 13u);
  const auto& first = services[0].as_object();
  for (const char* f : {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"})
    EXPECT_TRUE(first.contains(f)) << f;
  EXPECT_EQ(first.at("service_code").as_string(), "tangled_cables");
  EXPECT_EQ(first.at("service_name").as_string(), "飞线乱拉");
  EXPECT_EQ(first.at("type").as_string(), "realtime");
  EXPECT_TRUE(first.at("metadata").as_bool());  // every service takes the consent attribute

  auto x = anonymous().get("/open311/v2/services.xml");
  ASSERT_EQ(x.status, 200);
  EXPECT_TRUE(xml_doc(x, "services")) << x.body.substr(0, 200);
  EXPECT_NE(x.body.find("<service><service_code>tangled_cables</service_code><service_name>飞线乱拉</service_name>"),
            std::string::npos);
  EXPECT_NE(x.body.find("<metadata>true</metadata>"), std::string::npos);
}

TEST_F(Open311, ServiceDefinitionAndUnknownService) {
  auto j = anonymous().get("/open311/v2/services/lift.json");
  ASSERT_EQ(j.status, 200) << j.body;
  EXPECT_EQ(j.json().at("service_code").as_string(), "lift");
  EXPECT_TRUE(j.json().at("attributes").is_array());
  auto x = anonymous().get("/open311/v2/services/lift.xml");
  EXPECT_TRUE(xml_doc(x, "service_definition")) << x.body;
  EXPECT_NE(x.body.find("<service_code>lift</service_code>"), std::string::npos);

  auto missing = anonymous().get("/open311/v2/services/rockets.json");
  EXPECT_EQ(missing.status, 404);
  auto errors = missing.json().as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("code").as_int64(), 404);
  EXPECT_FALSE(errors[0].at("description").as_string().empty());
  auto missing_xml = anonymous().get("/open311/v2/services/rockets.xml");
  EXPECT_EQ(missing_xml.status, 404);
  EXPECT_TRUE(xml_doc(missing_xml, "errors"));
  EXPECT_NE(missing_xml.body.find("<error><code>404</code><description>"), std::string::npos);
  EXPECT_EQ(anonymous().get("/open311/v2/services/lift.html").status, 404);
}

TEST_F(Open311, PostNeedsAValidKeyAndALocation) {
  auto denials = audit_count("auth.denied");
  auto no_key = post("json", {{"service_code", "lift"}, {"address_id", "NC-QX-C1-B1"},
                              {"description", "电梯停运"}});
  EXPECT_EQ(no_key.status, 403);
  EXPECT_EQ(no_key.json().as_array()[0].at("code").as_int64(), 403);
  auto bad_key = post("xml", {{"api_key", "nope"}, {"service_code", "lift"},
                              {"address_id", "NC-QX-C1-B1"}, {"description", "电梯停运"}});
  EXPECT_EQ(bad_key.status, 403);
  EXPECT_TRUE(xml_doc(bad_key, "errors"));
  // Refused like every other 403: recorded in the audit log, in the caller's language.
  EXPECT_EQ(audit_count("auth.denied"), denials + 2);
  auto english = anonymous().request("POST", "/open311/v2/requests.json", "service_code=lift",
                                     {{"Content-Type", "application/x-www-form-urlencoded"},
                                      {"Accept-Language", "en"}});
  EXPECT_EQ(str(english.json().as_array()[0], "description"), "Invalid or revoked api_key");
  // Unknown methods and paths under a GeoReport route answer in its format too.
  auto wrong_method = anonymous().request("DELETE", "/open311/v2/requests.xml", "", {});
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_TRUE(xml_doc(wrong_method, "errors"));
  auto no_place = post("json", {{"api_key", key()}, {"service_code", "lift"}, {"description", "x"}});
  EXPECT_EQ(no_place.status, 400);
  auto no_service = post("json", {{"api_key", key()}, {"address_id", "NC-QX-C1-B1"}, {"description", "x"}});
  EXPECT_EQ(no_service.status, 400);
  auto unknown_service = post("json", {{"api_key", key()}, {"service_code", "rockets"},
                                       {"address_id", "NC-QX-C1-B1"}, {"description", "x"}});
  EXPECT_EQ(unknown_service.status, 404);
  auto far_away = post("json", {{"api_key", key()}, {"service_code", "lift"}, {"lat", "39.9"},
                                {"long", "116.4"}, {"description", "x"}});
  EXPECT_EQ(far_away.status, 400);
  auto control = post("json", {{"api_key", key()}, {"service_code", "lift"},
                               {"address_id", "NC-QX-C1-B1"}, {"description", std::string("bad\x01text")}});
  EXPECT_EQ(control.status, 400);
  auto nan = post("json", {{"api_key", key()}, {"service_code", "lift"}, {"lat", "nan"},
                           {"long", "117"}, {"description", "x"}});
  EXPECT_EQ(nan.status, 400);
  auto out_of_range = post("json", {{"api_key", key()}, {"service_code", "lift"}, {"lat", "95"},
                                    {"long", "117"}, {"description", "x"}});
  EXPECT_EQ(out_of_range.status, 400);
  auto multipart = anonymous().request("POST", "/open311/v2/requests.json", "--b\r\n--b--\r\n",
                                       {{"Content-Type", "multipart/form-data; boundary=b"}});
  EXPECT_EQ(multipart.status, 415);
  EXPECT_NE(multipart.json().as_array()[0].at("description").as_string().find("x-www-form-urlencoded"),
            std::string::npos);
  auto json_body = anonymous().request("POST", "/open311/v2/requests.json", "{}",
                                       {{"Content-Type", "application/json"}});
  EXPECT_EQ(json_body.status, 415);
}

TEST_F(Open311, FileFollowAndCloseARequestInBothFormats) {
  auto created = post("json", {{"api_key", key()}, {"service_code", "lift"},
                               {"address_id", "NC-QX-C1-B1"}, {"description", "1号楼电梯停运，老人下不了楼"},
                               {"first_name", "桂兰"}, {"last_name", "王"}, {"phone", "13805311234"}});
  ASSERT_EQ(created.status, 201) << created.body;
  auto reply = created.json().as_array();
  ASSERT_EQ(reply.size(), 1u);
  std::string id(reply[0].at("service_request_id").as_string());
  // A realtime service answers the id, not a token as well.
  EXPECT_FALSE(reply[0].as_object().contains("token"));
  std::string token = server_->open_db()->read([&](storage::Tx& tx) {
    return tx.query_one("SELECT open311_token FROM work_orders WHERE id = $1",
                        static_cast<std::int64_t>(std::stoll(id)))
        ->str(0);
  });
  EXPECT_TRUE(reply[0].as_object().contains("service_notice"));
  EXPECT_TRUE(reply[0].as_object().contains("account_id"));

  // By point: the nearest compound.
  auto db = server_->open_db();
  auto point = db->read([](storage::Tx& tx) {
    auto r = tx.query_one("SELECT lat_e6, lng_e6 FROM places WHERE code = 'NC-QX-C1'");
    return std::make_pair(r->i64(0), r->i64(1));
  });
  auto by_point = post("xml", {{"api_key", key()}, {"service_code", "small_ads"},
                               {"lat", std::to_string(point.first / 1e6)},
                               {"long", std::to_string(point.second / 1e6)},
                               {"description", "小区门口电线杆上贴满小广告"}});
  ASSERT_EQ(by_point.status, 201) << by_point.body;
  EXPECT_TRUE(xml_doc(by_point, "service_requests"));
  EXPECT_NE(by_point.body.find("<service_request_id>"), std::string::npos);

  auto one = anonymous().get("/open311/v2/requests/" + id + ".json");
  ASSERT_EQ(one.status, 200) << one.body;
  auto req = one.json().as_array().at(0).as_object();
  for (const auto& f : kRequestFields) EXPECT_TRUE(req.contains(f)) << f;
  EXPECT_EQ(req.at("status").as_string(), "open");
  EXPECT_EQ(req.at("service_code").as_string(), "lift");
  EXPECT_EQ(req.at("service_name").as_string(), "电梯故障");
  EXPECT_EQ(req.at("address_id").as_string(), "NC-QX-C1-B1");
  EXPECT_EQ(req.at("agency_responsible").as_string(), "山东双城环境服务有限公司");
  EXPECT_TRUE(w3c(std::string(req.at("requested_datetime").as_string())));
  EXPECT_TRUE(w3c(std::string(req.at("expected_datetime").as_string())));
  EXPECT_EQ(one.body.find("桂兰"), std::string::npos);  // the reporter is never public
  EXPECT_EQ(one.body.find("13805311234"), std::string::npos);
  // The reporter did not agree to publish the text: only category, place and
  // status are public. With the consent attribute, the text is published.
  EXPECT_TRUE(req.at("description").is_null()) << one.body;
  auto consented = post("json", {{"api_key", key()}, {"service_code", "lift"},
                                 {"address_id", "NC-QX-C1-B1"}, {"description", "2号楼电梯异响"},
                                 {"attribute[public_text]", "true"}});
  ASSERT_EQ(consented.status, 201) << consented.body;
  auto published = anonymous().get(
      "/open311/v2/requests/" +
      std::string(consented.json().as_array()[0].at("service_request_id").as_string()) + ".json");
  EXPECT_EQ(published.json().as_array().at(0).at("description").as_string(), "2号楼电梯异响");
  EXPECT_EQ(post("json", {{"api_key", key()}, {"service_code", "lift"},
                          {"address_id", "NC-QX-C1-B1"}, {"description", "x"},
                          {"attribute[public_text]", "maybe"}})
                .status,
            400);
  auto list = anonymous().get("/open311/v2/requests.json").body;
  EXPECT_EQ(list.find("1号楼电梯停运"), std::string::npos) << "an unpublished text in the list";
  auto one_xml = anonymous().get("/open311/v2/requests/" + id + ".xml");
  EXPECT_TRUE(xml_doc(one_xml, "service_requests"));
  EXPECT_NE(one_xml.body.find("<status>open</status>"), std::string::npos);
  EXPECT_NE(one_xml.body.find("<long>"), std::string::npos);
  EXPECT_EQ(anonymous().get("/open311/v2/requests/999999.json").status, 404);
  EXPECT_TRUE(xml_doc(anonymous().get("/open311/v2/requests/999999.xml"), "errors"));

  auto tok = anonymous().get("/open311/v2/tokens/" + token + ".json");
  ASSERT_EQ(tok.status, 200) << tok.body;
  EXPECT_EQ(tok.json().as_array()[0].at("service_request_id").as_string(), id);
  EXPECT_EQ(tok.json().as_array()[0].at("token").as_string(), token);
  auto tok_xml = anonymous().get("/open311/v2/tokens/" + token + ".xml");
  EXPECT_TRUE(xml_doc(tok_xml, "service_requests"));
  EXPECT_NE(tok_xml.body.find("<token>" + token + "</token>"), std::string::npos);
  EXPECT_EQ(anonymous().get("/open311/v2/tokens/nope.json").status, 404);

  // Staff see the caller; they close it; Open311 then says closed.
  auto community = as("community_admin");
  auto detail = community.get("/api/work-orders/" + id).json();
  EXPECT_EQ(str(detail, "channel"), "open311");
  EXPECT_EQ(str(detail.at("reporter"), "name"), "王桂兰");
  community.post("/api/work-orders/" + id + "/actions/reject", R"({"reason":"电梯已由维保单位修复"})");
  auto closed = anonymous().get("/open311/v2/requests/" + id + ".json").json().as_array()[0];
  EXPECT_EQ(closed.at("status").as_string(), "closed");
  EXPECT_EQ(closed.at("status_notes").as_string(), "电梯已由维保单位修复");

  // Lists: filters by id, service, status; both formats.
  auto by_ids = anonymous().get("/open311/v2/requests.json?service_request_id=" + id + ",999999");
  ASSERT_EQ(by_ids.status, 200);
  EXPECT_EQ(by_ids.json().as_array().size(), 1u);
  auto open_ads = anonymous().get("/open311/v2/requests.json?service_code=small_ads&status=open");
  auto open_ads_doc1 = open_ads.json();
  for (const auto& r : open_ads_doc1.as_array()) {
    EXPECT_EQ(r.at("service_code").as_string(), "small_ads");
    EXPECT_EQ(r.at("status").as_string(), "open");
  }
  EXPECT_GE(open_ads.json().as_array().size(), 1u);
  auto closed_list = anonymous().get("/open311/v2/requests.xml?status=closed");
  EXPECT_TRUE(xml_doc(closed_list, "service_requests"));
  EXPECT_EQ(closed_list.body.find("<status>open</status>"), std::string::npos);
  auto ranged = anonymous().get(
      "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-12-31T00:00:00Z");
  EXPECT_EQ(ranged.status, 400);  // more than 90 days
  auto bad_date = anonymous().get("/open311/v2/requests.xml?start_date=yesterday");
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_TRUE(xml_doc(bad_date, "errors"));
  EXPECT_EQ(anonymous().get("/open311/v2/requests.json?status=lost").status, 400);
  // One bound alone still spans at most 90 days; an empty filter is no filter.
  EXPECT_EQ(anonymous().get("/open311/v2/requests.json?end_date=2020-01-01T00:00:00Z").json().as_array().size(), 0u);
  EXPECT_GE(anonymous().get("/open311/v2/requests.json?service_request_id=").json().as_array().size(), 2u);

  // A revoked key files nothing.
  auto street = as("street_admin");
  auto keys = street.get("/api/open311/keys").json().at("items").as_array();
  ASSERT_FALSE(keys.empty());
  street.del("/api/open311/keys/" + std::to_string(keys[0].at("id").as_int64()));
  auto revoked = post("json", {{"api_key", key()}, {"service_code", "lift"},
                               {"address_id", "NC-QX-C1-B1"}, {"description", "x"}});
  EXPECT_EQ(revoked.status, 403);
}

}  // namespace xh::test

namespace xh::test {

// Service discovery, the consent attribute of every service, and errors of
// the HTTP layer and the router under /open311/v2/ in GeoReport's form.
TEST_F(Open311, DiscoveryAttributesAndEveryErrorInGeoReportForm) {
  auto d = anonymous().get("/open311/discovery.json");
  ASSERT_EQ(d.status, 200) << d.body;
  auto endpoint = d.json().at("endpoints").at(0);
  EXPECT_EQ(endpoint.at("specification").as_string(), "http://wiki.open311.org/GeoReport_v2");
  EXPECT_NE(std::string(endpoint.at("url").as_string()).find("/open311/v2"), std::string::npos);
  auto dx = anonymous().get("/open311/discovery.xml");
  EXPECT_TRUE(xml_doc(dx, "discovery"));
  EXPECT_NE(dx.body.find("<endpoints><endpoint><specification>"), std::string::npos) << dx.body;
  EXPECT_NE(dx.body.find("<formats><format>application/json</format>"), std::string::npos);

  auto services = anonymous().get("/open311/v2/services.json").json();
  EXPECT_TRUE(services.at(0).at("metadata").as_bool());
  auto def = anonymous().get("/open311/v2/services/lift.json").json();
  auto attr = def.at("attributes").at(0);
  EXPECT_EQ(attr.at("code").as_string(), "public_text");
  EXPECT_EQ(attr.at("datatype").as_string(), "singlevaluelist");
  EXPECT_EQ(attr.at("values").as_array().size(), 2u);
  auto def_xml = anonymous().get("/open311/v2/services/lift.xml");
  EXPECT_TRUE(xml_doc(def_xml, "service_definition"));
  EXPECT_NE(def_xml.body.find("<attributes><attribute><variable>true</variable><code>public_text</code>"),
            std::string::npos)
      << def_xml.body;

  auto unknown = anonymous().get("/open311/v2/nothing-here.json");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json().as_array()[0].at("code").as_int64(), 404);
  auto unknown_xml = anonymous().get("/open311/v2/nothing-here.xml");
  EXPECT_TRUE(xml_doc(unknown_xml, "errors"));
  std::string huge(2 * 1024 * 1024, 'a');
  auto too_large = anonymous().request("POST", "/open311/v2/requests.xml", huge,
                                       {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(too_large.status, 413);
  EXPECT_TRUE(xml_doc(too_large, "errors")) << too_large.body.substr(0, 200);
  auto too_large_en = anonymous().request("POST", "/open311/v2/requests.json", huge,
                                          {{"Content-Type", "application/x-www-form-urlencoded"},
                                           {"Accept-Language", "en"}});
  EXPECT_EQ(too_large_en.status, 413);
  EXPECT_EQ(str(too_large_en.json().as_array()[0], "description"), message("request.too_large", Lang::en));
}

// What clients really send: free-text addresses (matched to a place when
// they name one, kept as written otherwise), long descriptions, their own
// photo links; coordinates come back as plain decimals.
TEST_F(Open311, RequestsAsClientsWriteThem) {
  // A key of its own (another test revokes the shared one).
  auto street = as("street_admin");
  auto issued = street.post("/api/open311/keys", R"({"name":"12345 热线"})");
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string k = str(issued.json(), "key");
  auto named = post("json", {{"api_key", k}, {"service_code", "clutter"},
                             {"address_string", "泉星花园1号楼楼下"}, {"description", "楼道口堆满纸箱"},
                             {"attribute[public_text]", "true"}});
  ASSERT_EQ(named.status, 201) << named.body;
  auto named_id = std::string(named.json().as_array()[0].at("service_request_id").as_string());
  auto got = anonymous().get("/open311/v2/requests/" + named_id + ".json").json().as_array()[0];
  EXPECT_EQ(got.at("address").as_string(), "泉星花园1号楼楼下");
  auto place = as("community_admin").get("/api/work-orders/" + named_id).json();
  EXPECT_EQ(place.at("place_name").as_string(), "泉星花园1号楼");
  // What the reporter wrote is theirs: without consent the public sees the
  // matched place, not the words.
  auto unconsented = post("json", {{"api_key", k}, {"service_code", "clutter"},
                                   {"address_string", "泉星花园1号楼王大妈家门口"}, {"description", "纸箱"}});
  ASSERT_EQ(unconsented.status, 201) << unconsented.body;
  auto quiet = anonymous()
                   .get("/open311/v2/requests/" +
                        std::string(unconsented.json().as_array()[0].at("service_request_id").as_string()) +
                        ".json")
                   .body;
  EXPECT_EQ(quiet.find("王大妈"), std::string::npos) << quiet;
  EXPECT_NE(quiet.find("泉星花园1号楼"), std::string::npos) << quiet;

  // An address that names no place of the street: placed by its point, kept as written.
  auto point = server_->open_db()->read([](storage::Tx& tx) {
    auto r = tx.query_one("SELECT lat_e6, lng_e6 FROM places WHERE code = 'NC-QX-C1'");
    return std::make_pair(r->i64(0) / 1e6, r->i64(1) / 1e6);
  });
  EXPECT_EQ(post("json", {{"api_key", k}, {"service_code", "clutter"},
                          {"address_string", "经十路与舜耕路路口西北角"}, {"description", "路口堆放建筑垃圾"}})
                .status,
            400);  // no point either: nowhere to send it
  auto nowhere = post("json", {{"api_key", k}, {"service_code", "clutter"},
                               {"address_string", "经十路与舜耕路路口西北角"}, {"description", "路口堆放建筑垃圾"},
                               {"lat", std::to_string(point.first)}, {"long", std::to_string(point.second)},
                               {"attribute[public_text]", "true"}});
  ASSERT_EQ(nowhere.status, 201) << nowhere.body;
  auto kept = anonymous()
                  .get("/open311/v2/requests/" +
                       std::string(nowhere.json().as_array()[0].at("service_request_id").as_string()) + ".json")
                  .json()
                  .as_array()[0];
  EXPECT_EQ(kept.at("address").as_string(), "经十路与舜耕路路口西北角");

  std::string long_text;
  for (int i = 0; i < 4000; ++i) long_text += "长";
  EXPECT_EQ(post("json", {{"api_key", k}, {"service_code", "clutter"}, {"address_id", "NC-QX-C1-B1"},
                          {"description", long_text}})
                .status,
            201);
  EXPECT_EQ(post("json", {{"api_key", k}, {"service_code", "clutter"}, {"address_id", "NC-QX-C1-B1"},
                          {"description", long_text + "长"}})
                .status,
            400);

  auto with_photo = post("json", {{"api_key", k}, {"service_code", "clutter"},
                                  {"address_id", "NC-QX-C1-B1"}, {"description", "楼道堆物"},
                                  {"media_url", "https://example.org/p/1.jpg"},
                                  {"attribute[public_text]", "true"}, {"lat", "36.700651"}, {"long", "117.0"}});
  ASSERT_EQ(with_photo.status, 201) << with_photo.body;
  auto photo_id = std::string(with_photo.json().as_array()[0].at("service_request_id").as_string());
  auto raw = anonymous().get("/open311/v2/requests/" + photo_id + ".json");
  auto shown = raw.json().as_array()[0];
  EXPECT_EQ(shown.at("media_url").as_string(), "https://example.org/p/1.jpg");
  EXPECT_NE(raw.body.find("\"lat\":36.700651"), std::string::npos) << raw.body;
  EXPECT_EQ(raw.body.find("E1"), std::string::npos) << raw.body;
  EXPECT_EQ(post("json", {{"api_key", k}, {"service_code", "clutter"}, {"address_id", "NC-QX-C1-B1"},
                          {"description", "x"}, {"media_url", "javascript:alert(1)"}})
                .status,
            400);
}

}  // namespace xh::test
