#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace caredesk::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) {
    Response r;
    r.body = name;
    return r;
  };
}

std::string Call(const Router::Match& m) {
  Request req;
  return (*m.handler)(req).body;
}

TEST(Router, MatchesLiteralAndParameterisedRoutes) {
  Router router;
  router.Get("/api/v1/agencies", Named("list"));
  router.Get("/api/v1/agencies/{id}", Named("get"));
  router.Post("/api/v1/agencies", Named("create"));

  auto list = router.Find("GET", "/api/v1/agencies");
  ASSERT_EQ(list.kind, Router::MatchKind::kFound);
  EXPECT_EQ(Call(list), "list");

  auto get = router.Find("GET", "/api/v1/agencies/42");
  ASSERT_EQ(get.kind, Router::MatchKind::kFound);
  EXPECT_EQ(Call(get), "get");
  EXPECT_EQ(get.params.at("id"), "42");
  EXPECT_EQ(get.path_template, "/api/v1/agencies/{id}");

  EXPECT_EQ(Call(router.Find("POST", "/api/v1/agencies")), "create");
}

TEST(Router, ParametersCanShareASegmentWithText) {
  // Open311's resource.format paths.
  Router router;
  router.Get("/open311/v2/services.{format}", Named("services"));
  router.Get("/open311/v2/services/{code}.{format}", Named("definition"));
  router.Get("/open311/v2/tokens/{token}.{format}", Named("token"));

  auto services = router.Find("GET", "/open311/v2/services.xml");
  ASSERT_EQ(services.kind, Router::MatchKind::kFound);
  EXPECT_EQ(services.params.at("format"), "xml");
  auto definition = router.Find("GET", "/open311/v2/services/streetlight.json");
  ASSERT_EQ(definition.kind, Router::MatchKind::kFound);
  EXPECT_EQ(definition.params.at("code"), "streetlight");
  EXPECT_EQ(definition.params.at("format"), "json");
  // The parameter ends at the last dot: a token may hold dots.
  auto token = router.Find("GET", "/open311/v2/tokens/ab.cd.xml");
  ASSERT_EQ(token.kind, Router::MatchKind::kFound);
  EXPECT_EQ(token.params.at("token"), "ab.cd");
  EXPECT_EQ(token.params.at("format"), "xml");
  // Every part needs at least one character, and the text must be there.
  EXPECT_EQ(router.Find("GET", "/open311/v2/services.").kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(router.Find("GET", "/open311/v2/services").kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(router.Find("GET", "/open311/v2/services/.json").kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(router.Find("GET", "/open311/v2/services/streetlight").kind,
            Router::MatchKind::kNotFound);
  EXPECT_EQ(router.Find("GET", "/open311/v2/servicesXxml").kind, Router::MatchKind::kNotFound);
}

TEST(Router, DecodesParametersAndRejectsEmptySegments) {
  Router router;
  router.Get("/dongs/{name}", Named("dong"));
  auto m = router.Find("GET", "/dongs/%EC%84%9C%EA%B5%90%EB%8F%99");
  ASSERT_EQ(m.kind, Router::MatchKind::kFound);
  EXPECT_EQ(m.params.at("name"), "서교동");
  EXPECT_EQ(router.Find("GET", "/dongs/").kind, Router::MatchKind::kNotFound);
}

TEST(Router, DistinguishesNotFoundFromMethodNotAllowed) {
  Router router;
  router.Get("/a", Named("a"));
  router.Post("/a", Named("a2"));
  EXPECT_EQ(router.Find("GET", "/b").kind, Router::MatchKind::kNotFound);
  EXPECT_EQ(router.Find("GET", "/a/b").kind, Router::MatchKind::kNotFound);
  auto m = router.Find("DELETE", "/a");
  ASSERT_EQ(m.kind, Router::MatchKind::kMethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));
}

TEST(Router, HeadUsesTheGetHandler) {
  Router router;
  router.Get("/healthz", Named("health"));
  EXPECT_EQ(router.Find("HEAD", "/healthz").kind, Router::MatchKind::kFound);
}

TEST(Router, ListsRoutesInOrder) {
  Router router;
  router.Get("/x", Named("x"));
  router.Post("/y/{id}", Named("y"));
  auto routes = router.Routes();
  ASSERT_EQ(routes.size(), 2U);
  EXPECT_EQ(routes[1].method, "POST");
  EXPECT_EQ(routes[1].path_template, "/y/{id}");
}

Request Make(std::string method, std::string target) {
  Request req;
  req.method = std::move(method);
  req.target = std::move(target);
  const auto q = req.target.find('?');
  req.path = req.target.substr(0, q);
  if (q != std::string::npos) {
    req.query = req.target.substr(q + 1);
  }
  return req;
}

TEST(RouterDispatch, CallsTheHandlerWithTheTemplateAndParameters) {
  Router router;
  router.Get("/cases/{id}", [](Request& req) {
    Response r;
    r.body = req.route + " " + req.path_params.at("id");
    return r;
  });
  auto req = Make("GET", "/cases/7?x=1");
  const auto res = router.Dispatch(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "/cases/{id} 7");
}

TEST(RouterDispatch, AnswersMethodNotAllowedNotFoundAndTheFallback) {
  Router router;
  router.Get("/a", Named("a"));
  router.Post("/a", Named("a2"));
  auto del = Make("DELETE", "/a");
  const auto not_allowed = router.Dispatch(del);
  EXPECT_EQ(not_allowed.status, 405);
  ASSERT_EQ(not_allowed.headers.size(), 1U);
  EXPECT_EQ(not_allowed.headers[0].second, "GET, POST");
  EXPECT_EQ(del.route, "/a");

  auto missing = Make("GET", "/b");
  EXPECT_EQ(router.Dispatch(missing).status, 404);
  EXPECT_EQ(missing.route, "");

  router.SetFallback([](const Request& req) -> std::optional<Response> {
    if (req.path != "/page") {
      return std::nullopt;
    }
    Response r;
    r.body = "page";
    return r;
  });
  auto page = Make("GET", "/page");
  EXPECT_EQ(router.Dispatch(page).body, "page");
  EXPECT_EQ(page.route, "static");
  auto posted = Make("POST", "/page");
  EXPECT_EQ(router.Dispatch(posted).status, 404);
}

TEST(RouterDispatch, RejectsATargetThatIsNotUtf8) {
  Router router;
  router.Get("/a", Named("a"));
  auto req = Make("GET", "/a?q=%FF");
  const auto res = router.Dispatch(req);
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("invalid_utf8"), std::string::npos);
}

TEST(RouterDispatch, TurnsAThrowingHandlerInto500) {
  Router router;
  router.Get("/boom", [](Request&) -> Response { throw std::runtime_error("kaput"); });
  auto req = Make("GET", "/boom");
  const auto res = router.Dispatch(req);
  EXPECT_EQ(res.status, 500);
  EXPECT_NE(res.log_detail.find("kaput"), std::string::npos);
  EXPECT_EQ(res.body.find("kaput"), std::string::npos);
}

TEST(Request, ParsesQueryParameters) {
  Request r;
  r.query = "dong=%EC%84%9C%EA%B5%90&q=a+b&flag";
  EXPECT_EQ(r.QueryParam("dong").value(), "서교");
  EXPECT_EQ(r.QueryParam("q").value(), "a b");
  EXPECT_EQ(r.QueryParam("flag").value(), "");
  EXPECT_FALSE(r.QueryParam("missing").has_value());
}

TEST(PercentDecode, KeepsInvalidEscapes) {
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("a%2Fb", false), "a/b");
}

}  // namespace
}  // namespace caredesk::http
