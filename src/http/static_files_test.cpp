#include "http/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace caredesk::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    root_ = fs::temp_directory_path() / ("caredesk-static-" + std::to_string(rd()));
    fs::create_directories(root_ / "dist" / "assets");
    Write("dist/index.html", "<!doctype html><title>CareDesk</title>");
    Write("dist/ask.html", "<!doctype html><title>Portal</title>");
    Write("dist/assets/app-1a2b.js", "console.log(1)");
    Write("dist/.env", "SECRET=1");
    Write("secret.txt", "outside the root");
  }
  void TearDown() override { fs::remove_all(root_); }

  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel) << text;
  }

  Response Get(const std::string& path) const {
    StaticFiles files(root_ / "dist");
    Request req;
    req.method = "GET";
    req.path = path;
    auto r = files.Serve(req);
    EXPECT_TRUE(r.has_value()) << path;
    return r.value_or(Response{});
  }

  static std::string HeaderOf(const Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) {
        return v;
      }
    }
    return {};
  }

  fs::path root_;
};

TEST_F(StaticFilesTest, ServesAssetsWithLongCacheAndTheirType) {
  auto r = Get("/assets/app-1a2b.js");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(HeaderOf(r, "Cache-Control").find("immutable"), std::string::npos);
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
}

TEST_F(StaticFilesTest, TheResidentPortalIsAPageOfItsOwn) {
  for (const std::string path : {"/ask", "/ask/lookup", "/ask/report"}) {
    auto r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<!doctype html><title>Portal</title>") << path;
    EXPECT_NE(HeaderOf(r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  }
  // Not a prefix match on the word: /asking is the staff app's (and its 404 page).
  EXPECT_EQ(Get("/asking").body, "<!doctype html><title>CareDesk</title>");
}

TEST_F(StaticFilesTest, AppRoutesGetIndexWithStrictPageHeaders) {
  for (const std::string path : {"/", "/cases/12", "/today", "/intake?x=1"}) {
    auto r = Get(path);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_NE(r.body.find("CareDesk"), std::string::npos) << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
    EXPECT_NE(HeaderOf(r, "Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos);
  }
}

TEST_F(StaticFilesTest, NeverServesHiddenFilesOrAnythingOutsideTheRoot) {
  for (const std::string path : {"/.env", "/../secret.txt", "/assets/../../secret.txt",
                                 "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"}) {
    auto r = Get(path);
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << path;
    EXPECT_EQ(r.body.find("outside the root"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, MissingHashedAssetIsA404NotThePage) {
  auto r = Get("/assets/app-old.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("not_found"), std::string::npos);
}

TEST_F(StaticFilesTest, ApiPathsAreLeftToTheRouter) {
  StaticFiles files(root_ / "dist");
  Request req;
  req.method = "GET";
  req.path = "/api/v1/nothing";
  EXPECT_FALSE(files.Serve(req).has_value());
}

TEST_F(StaticFilesTest, UnbuiltAppSaysHowToBuildIt) {
  StaticFiles files(root_ / "no-such-dir");
  Request req;
  req.method = "GET";
  req.path = "/";
  auto r = files.Serve(req);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("make demo"), std::string::npos);
}

TEST(StaticFilesType, KnowsTheTypesViteEmits) {
  EXPECT_EQ(StaticFiles::ContentType("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::ContentType("a.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::ContentType("a.bin"), "application/octet-stream");
}

}  // namespace
}  // namespace caredesk::http
