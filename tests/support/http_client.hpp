// A deliberately simple blocking HTTP/1.1 client over a raw socket, so tests
// can also misbehave on purpose (trickle bytes, send oversized bodies).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace caredesk::testing {

struct HttpResult {
  int status = 0;                              // 0 when no response arrived
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : RawConnection(port, /*connect_now=*/true) {}
  // With `connect_now` false only the socket is made (its descriptor taken); Connect() connects.
  RawConnection(std::uint16_t port, bool connect_now);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0 && connected_; }
  // Connects the socket made by RawConnection(port, false); false on failure.
  bool Connect();
  // Sends all bytes; false when the peer has closed or reset.
  bool Send(const std::string& bytes);
  // Reads one response; status 0 on EOF, reset or timeout.
  HttpResult ReadResponse(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server closed the connection (EOF or reset) within `timeout`.
  bool WaitForClose(std::chrono::milliseconds timeout);

 private:
  bool Fill(std::chrono::milliseconds timeout);
  std::uint16_t port_ = 0;
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// One request on a new connection.
HttpResult Request(std::uint16_t port, const std::string& method, const std::string& target,
                   const std::string& body = {},
                   const std::string& content_type = "application/json",
                   const std::map<std::string, std::string>& headers = {});

}  // namespace caredesk::testing
