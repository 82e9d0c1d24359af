#include "notify/gateways.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace caredesk::notify {

namespace {

using Outcome = core::DeliveryResult::Outcome;

// curl_global_init is not thread-safe: once, before any gateway is used.
void InitCurlOnce() {
  static const bool kInitialised = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == 0; }();
  (void)kInitialised;
}

std::size_t Discard(char* /*data*/, std::size_t size, std::size_t n, void* /*user*/) {
  return size * n;
}

struct CurlHandle {
  CURL* h = curl_easy_init();
  curl_slist* headers = nullptr;
  ~CurlHandle() {
    curl_slist_free_all(headers);
    if (h != nullptr) {
      curl_easy_cleanup(h);
    }
  }
  CurlHandle() = default;
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;
};

bool Retryable(long status) {
  constexpr long kRequestTimeout = 408;
  constexpr long kTooEarly = 425;
  constexpr long kTooManyRequests = 429;
  constexpr long kServerErrors = 500;
  return status == kRequestTimeout || status == kTooEarly || status == kTooManyRequests ||
         status >= kServerErrors;
}

}  // namespace

std::string MessageJson(const core::OutgoingMessage& m) {
  nlohmann::json j{{"message_id", m.message_id},
                   {"kind", std::string(core::Code(m.kind))},
                   {"channel", std::string(core::Code(m.channel))},
                   {"to", m.to},
                   {"text", m.text}};
  if (!m.subject.empty()) {
    j["subject"] = m.subject;
  }
  return j.dump();
}

FileSink::FileSink(std::filesystem::path path) : path_(std::move(path)) {}

core::DeliveryResult FileSink::Deliver(const core::OutgoingMessage& message) {
  const std::string line = MessageJson(message) + "\n";
  std::lock_guard lock(mutex_);
  std::error_code ec;
  if (path_.has_parent_path()) {
    std::filesystem::create_directories(path_.parent_path(), ec);
  }
  constexpr int kMode = 0600;  // phone numbers: only the server's user reads them
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, kMode);
  if (fd < 0) {
    return {Outcome::kRetry, "cannot open " + path_.string()};
  }
  std::size_t written = 0;
  while (written < line.size()) {
    const auto n = ::write(fd, line.data() + written, line.size() - written);
    if (n <= 0) {
      ::close(fd);
      return {Outcome::kRetry, "cannot write " + path_.string()};
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fdatasync(fd) == 0;
  ::close(fd);
  if (!synced) {
    return {Outcome::kRetry, "cannot sync " + path_.string()};
  }
  return {Outcome::kDelivered, "written"};
}

WebhookGateway::WebhookGateway(WebhookOptions options, const core::Digester& digester)
    : options_(std::move(options)), digester_(digester) {
  InitCurlOnce();
}

WebhookGateway::~WebhookGateway() = default;

core::DeliveryResult WebhookGateway::Deliver(const core::OutgoingMessage& message) {
  const std::string body = MessageJson(message);
  CurlHandle curl;
  if (curl.h == nullptr) {
    return {Outcome::kRetry, "curl_easy_init failed"};
  }
  curl.headers = curl_slist_append(curl.headers, "Content-Type: application/json");
  curl.headers =
      curl_slist_append(curl.headers, ("Idempotency-Key: " + message.message_id).c_str());
  if (!options_.secret.empty()) {
    curl.headers = curl_slist_append(
        curl.headers,
        ("X-CareDesk-Signature: sha256=" + digester_.HmacSha256Hex(options_.secret, body)).c_str());
  }
  curl_easy_setopt(curl.h, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl.h, CURLOPT_HTTPHEADER, curl.headers);
  curl_easy_setopt(curl.h, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(curl.h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(curl.h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.h, CURLOPT_WRITEFUNCTION, &Discard);
  const CURLcode rc = curl_easy_perform(curl.h);
  if (rc != CURLE_OK) {
    return {Outcome::kRetry, std::string("network: ") + curl_easy_strerror(rc), true};
  }
  long status = 0;
  curl_easy_getinfo(curl.h, CURLINFO_RESPONSE_CODE, &status);
  const std::string detail = "HTTP " + std::to_string(status);
  constexpr long kOkFirst = 200;
  constexpr long kOkLast = 299;
  if (status >= kOkFirst && status <= kOkLast) {
    return {Outcome::kDelivered, detail};
  }
  return {Retryable(status) ? Outcome::kRetry : Outcome::kRejected, detail};
}

}  // namespace caredesk::notify
