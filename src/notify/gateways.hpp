// Notification gateways (core/ports/notification_gateway.hpp): a generic HTTP
// webhook (JSON POST, what SMS / AlimTalk / e-mail providers' relays accept)
// and a file of JSON lines for the demo and for tests.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "core/bytes.hpp"
#include "core/ports/crypto.hpp"
#include "core/ports/notification_gateway.hpp"

namespace caredesk::notify {

// The JSON every gateway sends or writes for one message:
// {"message_id","kind","channel","to","subject","text"}.
std::string MessageJson(const core::OutgoingMessage& m);

// Appends one JSON line per message to `path` and flushes it to disk before
// answering "delivered".
class FileSink final : public core::NotificationGateway {
 public:
  explicit FileSink(std::filesystem::path path);
  core::DeliveryResult Deliver(const core::OutgoingMessage& message) override;

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
};

struct WebhookOptions {
  std::string url;     // http:// or https:// (certificates are verified)
  core::Bytes secret;  // signs each body (X-CareDesk-Signature); may be empty
  std::chrono::milliseconds timeout{10000};
};

// POSTs MessageJson with Idempotency-Key: message_id (the same on every retry,
// so the gateway can drop a repeat) and, with a secret,
// X-CareDesk-Signature: sha256=<hex HMAC-SHA256 of the body>. 2xx: delivered;
// 408, 425, 429, 5xx and network errors: retry; any other answer: rejected.
class WebhookGateway final : public core::NotificationGateway {
 public:
  WebhookGateway(WebhookOptions options, const core::Digester& digester);
  ~WebhookGateway() override;
  WebhookGateway(const WebhookGateway&) = delete;
  WebhookGateway& operator=(const WebhookGateway&) = delete;
  core::DeliveryResult Deliver(const core::OutgoingMessage& message) override;

 private:
  WebhookOptions options_;
  const core::Digester& digester_;
};

}  // namespace caredesk::notify
