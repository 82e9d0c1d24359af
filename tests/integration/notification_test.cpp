// The notification outbox on SQLite and PostgreSQL, end to end: a counselor's intake queues the
// resident's receipt and next-contact texts in the same transaction; the real webhook gateway
// (libcurl) POSTs them to a receiver that is down at first (HTTP 500) and comes back; each
// message is then accepted exactly once, under one id, signed. Opted-out residents get nothing,
// a rejected message is dead at once, one out of attempts is dead and an admin requeues it, two
// app servers on one database never send one message twice, the templates an admin edits are
// what residents read, and staff get their overdue digest by e-mail.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "http/server.hpp"
#include "tests/integration/test_app.hpp"
#include "tests/support/fake_clock.hpp"

namespace caredesk::testing {
namespace {

using http::Json;
using std::chrono::hours;
using std::chrono::seconds;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

// A webhook gateway as SMS relays run them, on loopback: answers `status` (200 when up) and
// keeps every POST it was sent.
class Receiver {
 public:
  struct Post {
    std::string idempotency_key;
    std::string signature;
    Json body;
    int answered = 0;
  };

  Receiver() {
    router_.Post("/hook", [this](http::Request& req) {
      std::lock_guard lock(mutex_);
      Post p{std::string(req.Header("idempotency-key")),
             std::string(req.Header("x-caredesk-signature")), Json::parse(req.body, nullptr, false),
             status_};
      posts_.push_back(p);
      raw_.push_back(req.body);
      return http::JsonResponse(status_, {{"ok", status_ < 300}});
    });
    http::ServerConfig config;
    config.port = 0;
    config.io_threads = 1;
    config.worker_threads = 2;
    server_ = std::make_unique<http::Server>(config, router_, metrics_);
    auto port = server_->Start();
    EXPECT_TRUE(port.ok());
    port_ = port.ok() ? *port : 0;
  }
  ~Receiver() {
    server_->Shutdown();
    server_->Wait();
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::uint16_t port() const { return port_; }
  void Answer(int status) {
    std::lock_guard lock(mutex_);
    status_ = status;
  }
  std::vector<Post> Posts() const {
    std::lock_guard lock(mutex_);
    return posts_;
  }
  std::vector<std::string> RawBodies() const {
    std::lock_guard lock(mutex_);
    return raw_;
  }
  // The posts it accepted (2xx), by message id.
  std::map<std::string, std::vector<Json>> Accepted() const {
    std::map<std::string, std::vector<Json>> out;
    for (const auto& p : Posts()) {
      if (p.answered < 300) {
        out[p.idempotency_key].push_back(p.body);
      }
    }
    return out;
  }

 private:
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  int status_ = 200;
  std::vector<Post> posts_;
  std::vector<std::string> raw_;
};

constexpr const char* kSecret = "webhook-signing-secret-for-tests";

class NotificationTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    config_.notifications.gateway = "webhook";
    config_.notifications.webhook_url = receiver_.Url();
    config_.notifications.webhook_secret = kSecret;
    config_.notifications.max_attempts = 4;
    app_ = StartApp(config_, &port_, {}, Options());
    ASSERT_NE(app_, nullptr);
    auto& dir = app_->storage().directory();
    seogyo_ = dir.EnsureDong(app_->district().id, "서교동", "서교")->id;
    EnsureUser(*app_, "kim", "counselor", seogyo_);
    EnsureUser(*app_, "admin1", "admin");
    kim_ = SignIn(port_, "kim");
    admin_ = SignIn(port_, "admin1");
  }

  // A visit for a resident with a phone and a welfare-check call as the next step: a receipt and
  // a next-contact text. Returns the case (number, id).
  Json Intake(const std::string& contact_by = "sms", const std::string& phone = "010-2345-6789") {
    Json resident = {{"name", "홍길동"},
                     {"birth_date", "1950-03-15"},
                     {"phone", phone},
                     {"dong_id", seogyo_},
                     {"contact_by", contact_by}};
    const auto r = kim_.Post("/api/v1/cases",
                             Json{{"channel", "visit"},
                                  {"dong_id", seogyo_},
                                  {"primary_category", "finance"},
                                  {"summary", "카드빚 독촉 때문에 잠을 못 자요"},
                                  {"resident", resident},
                                  {"confirm_new_resident", true},
                                  {"consultation", {{"kind", "visit"}, {"notes", "채무 상담"}}},
                                  {"follow_up", {{"kind", "welfare_check"}}}}
                                 .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r);
  }

  // The test moves the outbox itself (DeliverDue), on its own clock: no background runner.
  app::OpenOptions Options() {
    auto options = TestOpenOptions(&clock_);
    options.outbox_thread = false;
    return options;
  }

  core::DeliveryReport Deliver(app::App& app) {
    auto report = app.notifications().DeliverDue();
    EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().internal_detail);
    return report.ok() ? *report : core::DeliveryReport{};
  }
  core::DeliveryReport Deliver() { return Deliver(*app_); }

  // Signs in again: the test's clock may have moved past the session's idle limit.
  void Refresh() {
    admin_ = SignIn(port_, "admin1", kChangedPassword);
    kim_ = SignIn(port_, "kim", kChangedPassword);
  }

  Json Outbox(const std::string& query = "") {
    Refresh();
    const auto r = admin_.Get("/api/v1/outbox" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  }

  Receiver receiver_;
  TempDir dir_;
  FakeClock clock_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::DongId seogyo_ = 0;
  Client kim_;
  Client admin_;
};

TEST_P(NotificationTest, MessagesQueuedDuringAnOutageAreDeliveredWhenTheGatewayIsBackOnceEach) {
  receiver_.Answer(500);
  const Json c = Intake();
  const std::string number = c["number"].get<std::string>();
  auto report = Deliver();
  EXPECT_EQ(report.retried, 2);
  EXPECT_EQ(report.sent, 0);
  Json box = Outbox();
  EXPECT_EQ(box["counts"]["pending"], 2);
  EXPECT_EQ(box["items"][0]["last_error"], "HTTP 500");
  EXPECT_EQ(box["items"][0]["attempts"], 1);

  // Not due yet: the next attempt waits 30 s.
  EXPECT_EQ(Deliver().Total(), 0);
  clock_.Advance(seconds(31));
  EXPECT_EQ(Deliver().retried, 2);  // still down
  EXPECT_EQ(receiver_.Posts().size(), 4U);

  receiver_.Answer(200);
  clock_.Advance(seconds(61));
  report = Deliver();
  EXPECT_EQ(report.sent, 2);
  clock_.Advance(hours(2));
  EXPECT_EQ(Deliver().Total(), 0);  // nothing is sent twice

  const auto accepted = receiver_.Accepted();
  ASSERT_EQ(accepted.size(), 2U);
  std::set<std::string> kinds;
  for (const auto& [id, bodies] : accepted) {
    ASSERT_EQ(bodies.size(), 1U) << id;  // exactly once per message id
    const Json& m = bodies[0];
    EXPECT_EQ(m["message_id"], id);
    EXPECT_EQ(id.rfind(app_->district().code + "-", 0), 0U) << id;
    EXPECT_EQ(m["channel"], "sms");
    EXPECT_EQ(m["to"], "01023456789");
    EXPECT_NE(m["text"].get<std::string>().find(number), std::string::npos) << m.dump();
    EXPECT_NE(m["text"].get<std::string>().find("서교동"), std::string::npos) << m.dump();
    kinds.insert(m["kind"].get<std::string>());
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"receipt", "next_contact"}));
  // Every attempt carries the same id; the three attempts of each message were all signed.
  std::map<std::string, int> attempts;
  const auto posts = receiver_.Posts();
  const auto raws = receiver_.RawBodies();
  for (std::size_t i = 0; i < posts.size(); ++i) {
    ++attempts[posts[i].idempotency_key];
    const std::string secret = kSecret;
    EXPECT_EQ(posts[i].signature,
              "sha256=" + app_->crypto().digester->HmacSha256Hex(
                              core::Bytes(secret.begin(), secret.end()), raws[i]));
  }
  for (const auto& [id, n] : attempts) {
    EXPECT_EQ(n, 3) << id;
  }
  box = Outbox("?status=sent");
  ASSERT_EQ(box["items"].size(), 2U);
  EXPECT_EQ(box["items"][0]["attempts"], 3);
  EXPECT_EQ(box["items"][0]["case_number"], number);
  EXPECT_EQ(box["counts"]["sent"], 2);
  // The outbox never shows a recipient.
  EXPECT_EQ(box.dump().find("01023456789"), std::string::npos);
}

TEST_P(NotificationTest, AGatewayThatDoesNotAnswerStopsTheRoundAndLosesNothing) {
  // Nobody listens on the receiver's port once it is gone: connection refused.
  std::uint16_t closed_port = 0;
  {
    Receiver gone;
    closed_port = gone.port();
  }
  app_->Stop();
  app_.reset();
  config_.notifications.webhook_url = "http://127.0.0.1:" + std::to_string(closed_port) + "/hook";
  app_ = StartApp(config_, &port_, {}, Options());
  ASSERT_NE(app_, nullptr);
  Refresh();
  Intake();
  auto report = Deliver();
  EXPECT_EQ(report.retried, 1);  // the first one: the second is not tried in vain
  EXPECT_EQ(report.Total(), 1);
  const Json box = Outbox("?status=pending");
  ASSERT_EQ(box["items"].size(), 2U);
  const std::string error = box["items"][1]["last_error"].get<std::string>();
  EXPECT_EQ(error.rfind("network: ", 0), 0U) << error;
  // The other one was claimed but not tried: it waits for its claim to run out.
  EXPECT_EQ(box["items"][0]["attempts"], 0);
  EXPECT_EQ(Deliver().Total(), 0);
  clock_.Advance(std::chrono::minutes(11));
  EXPECT_EQ(Deliver().retried, 1);
}

TEST_P(NotificationTest, AResolvedCaseTellsTheResident) {
  const Json c = Intake();
  Deliver();
  const std::string path = "/api/v1/cases/" + std::to_string(c["id"].get<std::int64_t>());
  const auto r = kim_.Post(path + "/resolve", Json{{"resolution_note", "채무조정 연계"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Deliver().sent, 1);
  const auto accepted = receiver_.Accepted();
  std::vector<std::string> kinds;
  for (const auto& [id, bodies] : accepted) {
    kinds.push_back(bodies[0]["kind"].get<std::string>());
  }
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "resolved"), 1);
}

TEST_P(NotificationTest, OptedOutResidentsGetNothingAndEveryLookupIsAnAccessRecord) {
  const Json c = Intake("none");
  auto report = Deliver();
  EXPECT_EQ(report.skipped, 2);
  EXPECT_TRUE(receiver_.Posts().empty());
  EXPECT_EQ(Outbox("?status=skipped")["items"][0]["last_error"], "opted out");
  auto reads = app_->access_log().Search({.action = "read", .target_type = "resident"});
  ASSERT_TRUE(reads.ok());
  int deliveries = 0;
  for (const auto& r : *reads) {
    if (r.purpose.find("notification delivery") != std::string::npos) {
      ++deliveries;
      EXPECT_EQ(r.role, "system");
      EXPECT_EQ(r.user_id, 0);
    }
  }
  EXPECT_EQ(deliveries, 2);

  // Opting out after the message was queued counts too: the preference is read when it is sent.
  const Json later = Intake("sms", "010-9999-0000");
  const auto resident_id = later["resident_id"].get<std::int64_t>();
  const auto res = admin_.Get("/api/v1/residents/" + std::to_string(resident_id));
  (void)res;
  auto resident = app_->case_repository().GetResident(app_->district().id, resident_id);
  ASSERT_TRUE(resident.ok());
  resident->contact_by = core::ContactPreference::kNone;
  ASSERT_TRUE(app_->case_repository().UpdateResident(*resident).ok());
  EXPECT_EQ(Deliver().skipped, 2);
  EXPECT_TRUE(receiver_.Posts().empty());

  // AlimTalk, when the resident chose it.
  Intake("alimtalk", "010-1111-2222");
  EXPECT_EQ(Deliver().sent, 2);
  for (const auto& [id, bodies] : receiver_.Accepted()) {
    EXPECT_EQ(bodies[0]["channel"], "alimtalk");
  }
}

TEST_P(NotificationTest, ARejectedMessageIsDeadAtOnceAndOneOutOfAttemptsCanBeRequeued) {
  receiver_.Answer(400);  // e.g. the relay refuses the number
  Intake();
  auto report = Deliver();
  EXPECT_EQ(report.dead, 2);
  EXPECT_EQ(receiver_.Posts().size(), 2U);
  clock_.Advance(hours(3));
  EXPECT_EQ(Deliver().Total(), 0);

  receiver_.Answer(503);
  Refresh();
  Intake("sms", "010-5555-6666");
  for (int i = 0; i < 4; ++i) {  // max_attempts = 4
    Deliver();
    clock_.Advance(hours(1) + seconds(1));
  }
  Json dead = Outbox("?status=dead");
  ASSERT_EQ(dead["items"].size(), 4U);
  EXPECT_EQ(dead["items"][0]["attempts"], 4);
  EXPECT_EQ(dead["items"][0]["last_error"], "HTTP 503");
  EXPECT_EQ(Deliver().Total(), 0);

  receiver_.Answer(200);
  Refresh();
  const auto id = dead["items"][0]["id"].get<std::int64_t>();
  EXPECT_EQ(kim_.Post("/api/v1/outbox/" + std::to_string(id) + "/requeue", "{}").status, 403);
  const auto r = admin_.Post("/api/v1/outbox/" + std::to_string(id) + "/requeue", "{}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(
      Body(admin_.Post("/api/v1/outbox/" + std::to_string(id) + "/requeue", "{}"))["error"]["code"],
      "conflict");  // pending now, not dead
  EXPECT_EQ(admin_.Post("/api/v1/outbox/999999/requeue", "{}").status, 404);
  EXPECT_EQ(Deliver().sent, 1);
  EXPECT_EQ(receiver_.Accepted().size(), 1U);
  const auto records = app_->access_log().Search({.action = "requeue"});
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 1U);
}

TEST_P(NotificationTest, TwoServersOnOneDatabaseNeverSendAMessageTwice) {
  std::uint16_t other_port = 0;
  auto other = StartApp(config_, &other_port, {}, Options());
  ASSERT_NE(other, nullptr);
  for (int i = 0; i < 10; ++i) {
    Intake("sms", "010-3000-" + std::to_string(1000 + i));
  }
  core::DeliveryReport a;
  core::DeliveryReport b;
  std::thread first([&] { a = Deliver(*app_); });
  std::thread second([&] { b = Deliver(*other); });
  first.join();
  second.join();
  EXPECT_EQ(a.sent + b.sent, 20);
  const auto accepted = receiver_.Accepted();
  EXPECT_EQ(accepted.size(), 20U);
  for (const auto& [id, bodies] : accepted) {
    EXPECT_EQ(bodies.size(), 1U) << id;
  }
  EXPECT_EQ(receiver_.Posts().size(), 20U);
  other->Stop();
}

TEST_P(NotificationTest, AdminsEditTheTemplatesResidentsRead) {
  EXPECT_EQ(kim_.Get("/api/v1/notification-templates").status, 403);
  Json list = Body(admin_.Get("/api/v1/notification-templates"));
  ASSERT_EQ(list["items"].size(), 10U);  // 4 resident kinds by SMS and AlimTalk, 2 by e-mail
  EXPECT_EQ(list["items"][0]["kind"], "receipt");
  EXPECT_EQ(list["items"][0]["builtin"], true);

  const std::string path = "/api/v1/notification-templates/receipt/sms";
  auto r = admin_.Send("PUT", path, Json{{"body", "{{name}}님 접수"}}.dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Body(r)["error"]["details"][0]["code"], "unknown_placeholder");
  EXPECT_EQ(
      admin_.Send("PUT", "/api/v1/notification-templates/receipt/email", Json{{"body", "x"}}.dump())
          .status,
      404);
  EXPECT_EQ(
      admin_.Send("PUT", "/api/v1/notification-templates/birthday/sms", Json{{"body", "x"}}.dump())
          .status,
      404);
  r = admin_.Post(path + "/preview", Json{{"body", "[{{district}}] {{case_number}} 접수"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["text"], "[마포구] 2026-서교-000123 접수");
  r = admin_.Send("PUT", path, Json{{"body", "[{{district}}] 접수 완료 {{case_number}}"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["template"]["builtin"], false);

  const Json c = Intake();
  Deliver();
  bool found = false;
  for (const auto& [id, bodies] : receiver_.Accepted()) {
    if (bodies[0]["kind"] == "receipt") {
      found = true;
      EXPECT_EQ(bodies[0]["text"],
                "[" + app_->district().name + "] 접수 완료 " + c["number"].get<std::string>());
    }
  }
  EXPECT_TRUE(found);

  r = admin_.Send("DELETE", path);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["template"]["builtin"], true);
  list = Body(admin_.Get("/api/v1/notification-templates"));
  EXPECT_EQ(list["items"][0]["body"], list["items"][0]["builtin_body"]);
}

TEST_P(NotificationTest, StaffGetTheirOverdueWorkByEmail) {
  const Json c = Intake();
  Deliver();
  // kim has no e-mail yet: the digest is skipped; with one, it arrives.
  clock_.Advance(hours(24 * 5));
  auto queued = app_->notifications().QueueOverdueDigests();
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ(*queued, 1);
  EXPECT_EQ(Deliver().skipped, 1);

  Refresh();
  auto r = kim_.Send("PATCH", "/api/v1/auth/me", Json{{"email", "not an address"}}.dump());
  EXPECT_EQ(r.status, 422);
  r = kim_.Send("PATCH", "/api/v1/auth/me", Json{{"email", "kim@mapo.go.kr"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(app_->notifications().QueueOverdueDigests().ok());
  EXPECT_EQ(Deliver().sent, 1);
  bool found = false;
  for (const auto& [id, bodies] : receiver_.Accepted()) {
    if (bodies[0]["kind"] == "overdue_digest") {
      found = true;
      EXPECT_EQ(bodies[0]["channel"], "email");
      EXPECT_EQ(bodies[0]["to"], "kim@mapo.go.kr");
      EXPECT_FALSE(bodies[0]["subject"].get<std::string>().empty());
      EXPECT_NE(bodies[0]["text"].get<std::string>().find(c["number"].get<std::string>()),
                std::string::npos);
      EXPECT_NE(bodies[0]["text"].get<std::string>().find("1건"), std::string::npos);
    }
  }
  EXPECT_TRUE(found);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
