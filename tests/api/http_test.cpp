// HTTP as the RFCs have it: framing a proxy cannot misread (RFC 9112), the
// headers every answer carries (RFC 9110), methods, conditional requests.
#include <zlib.h>

#include <regex>
#include <stdexcept>

#include "api_test.h"

namespace xh::test {

class Http : public ApiTest {
 protected:
  static std::string status_line(const std::string& raw) { return raw.substr(0, raw.find("\r\n")); }
};

TEST_F(Http, AmbiguousFramingIsRefusedAndTheConnectionClosed) {
  struct Case {
    const char* what;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"xchunked", "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"
                   "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"chunked, identity", "POST /hello HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                            "0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"},
      {"TE and CL", "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "0\r\n\r\n"},
      {"no Host", "GET /hello HTTP/1.1\r\n\r\n"},
      {"two Hosts", "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"},
      {"a bad Host", "GET /hello HTTP/1.1\r\nHost: a b@c/d\r\n\r\n"},
      {"a bad escape", "GET /api/places?q=%ZZ HTTP/1.1\r\nHost: x\r\n\r\n"},
  };
  for (const auto& c : cases) {
    auto raw = raw_exchange(server_->port(), c.bytes);
    EXPECT_EQ(status_line(raw), "HTTP/1.1 400 Bad Request") << c.what;
    // One answer only: nothing that followed ran as a second request.
    EXPECT_EQ(raw.find("HTTP/1.1", 1), std::string::npos) << c.what << ": " << raw;
  }
}

TEST_F(Http, AbsoluteFormTargetsAreThePathTheyName) {
  auto raw = raw_exchange(server_->port(),
                          "GET http://127.0.0.1/hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(status_line(raw), "HTTP/1.1 200 OK");
  EXPECT_NE(raw.find("你好，星火"), std::string::npos) << raw;
}

TEST_F(Http, EveryAnswerIsDatedAndApiAnswersVaryAndAreNotStored) {
  auto r = anonymous().get("/api/meta");
  EXPECT_FALSE(r.header("date").empty());
  EXPECT_NE(r.header("date").find(" GMT"), std::string::npos) << r.header("date");
  EXPECT_NE(r.header("vary").find("Accept-Language"), std::string::npos);
  EXPECT_EQ(r.header("cache-control"), "no-store");
  EXPECT_FALSE(anonymous().get("/hello").header("date").empty());
}

TEST_F(Http, MethodsAnswerAsTheRfcSays) {
  auto c = anonymous();
  auto options = c.request("OPTIONS", "/api/places");
  EXPECT_EQ(options.status, 204);
  EXPECT_NE(options.header("allow").find("GET"), std::string::npos) << options.header("allow");
  EXPECT_NE(options.header("allow").find("POST"), std::string::npos);
  auto wrong = c.request("DELETE", "/api/places");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_NE(wrong.header("allow").find("GET"), std::string::npos);
  EXPECT_EQ(c.request("BREW", "/hello").status, 501);
}

TEST_F(Http, OnlyPagesFallBackToTheAppAndFilesRevalidate) {
  auto c = anonymous();
  for (const char* missing : {"/robots.txt", "/favicon.ico", "/x.json", "/assets/nothing.js"})
    EXPECT_EQ(c.get(missing).status, 404) << missing;
  auto page = c.get("/places");
  if (page.status != 200) GTEST_SKIP() << "the web app is not built";
  auto etag = page.header("etag");
  ASSERT_FALSE(etag.empty());
  auto again = c.request("GET", "/places", "", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(Http, Http10KeepAliveIsSaid) {
  auto raw = raw_exchange(server_->port(), "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 1500);
  EXPECT_EQ(status_line(raw), "HTTP/1.1 200 OK");
  EXPECT_NE(raw.find("Connection: keep-alive"), std::string::npos) << raw;
}

}  // namespace xh::test

namespace xh::test {

namespace {
// The bytes a gzip stream inflates to (zlib); throws on a broken stream.
std::string gunzip(const std::string& in) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  std::string out;
  char buf[65536];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      throw std::runtime_error("not a gzip stream");
    }
    out.append(buf, sizeof buf - z.avail_out);
  } while (rc != Z_STREAM_END);
  inflateEnd(&z);
  return out;
}
}  // namespace

// Large text answers travel compressed to clients that accept it, and are
// the same bytes once inflated; nobody gets an encoding they refused.
TEST_F(Http, LargeAnswersAreCompressedForClientsThatAcceptIt) {
  auto plain = anonymous().get("/api/openapi.json");
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.header("content-encoding"), "");
  auto zipped = anonymous().request("GET", "/api/openapi.json", "", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(zipped.status, 200);
  EXPECT_EQ(zipped.header("content-encoding"), "gzip");
  EXPECT_NE(zipped.header("vary").find("Accept-Encoding"), std::string::npos);
  EXPECT_LT(zipped.body.size(), plain.body.size() / 4);
  EXPECT_EQ(gunzip(zipped.body), plain.body);
  auto refused = anonymous().request("GET", "/api/openapi.json", "", {{"Accept-Encoding", "gzip;q=0, identity"}});
  EXPECT_EQ(refused.header("content-encoding"), "");
  EXPECT_EQ(refused.body, plain.body);
  // Small answers are sent as they are.
  auto small = anonymous().request("GET", "/hello", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(small.header("content-encoding"), "");
}

// The web app's files are precompressed by the build (gzip and brotli) and
// sent in the encoding the browser accepts, each with its own ETag.
TEST_F(Http, TheAppsFilesArePrecompressed) {
  auto page = anonymous().get("/");
  if (page.status != 200) GTEST_SKIP() << "the web app is not built";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page.body, m, std::regex("/assets/[A-Za-z0-9_.-]+\\.js")));
  std::string asset = m.str();
  auto plain = anonymous().get(asset);
  ASSERT_EQ(plain.status, 200);
  auto br = anonymous().request("GET", asset, "", {{"Accept-Encoding", "gzip, br"}});
  EXPECT_EQ(br.header("content-encoding"), "br");
  EXPECT_LT(br.body.size(), plain.body.size());
  auto gz = anonymous().request("GET", asset, "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz.header("content-encoding"), "gzip");
  EXPECT_EQ(gunzip(gz.body), plain.body);
  EXPECT_NE(gz.header("etag"), plain.header("etag"));
  EXPECT_NE(gz.header("vary").find("Accept-Encoding"), std::string::npos);
  auto again = anonymous().request("GET", asset, "", {{"Accept-Encoding", "gzip"}, {"If-None-Match", gz.header("etag")}});
  EXPECT_EQ(again.status, 304);
}

}  // namespace xh::test
