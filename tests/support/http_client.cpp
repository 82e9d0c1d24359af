#include "tests/support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace caredesk::testing {

RawConnection::RawConnection(std::uint16_t port, bool connect_now) : port_(port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  if (connect_now) {
    Connect();
  }
}

bool RawConnection::Connect() {
  if (fd_ < 0) {
    return false;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd_);
    fd_ = -1;
    return false;
  }
  connected_ = true;
  return true;
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

bool RawConnection::Send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) {
        continue;
      }
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool RawConnection::Fill(std::chrono::milliseconds timeout) {
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
    return false;
  }
  char chunk[16384];
  const auto n = ::recv(fd_, chunk, sizeof(chunk), 0);
  if (n <= 0) {
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

HttpResult RawConnection::ReadResponse(std::chrono::milliseconds timeout) {
  HttpResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  std::size_t header_end = std::string::npos;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(left())) {
      return result;
    }
  }
  const std::string head = buffer_.substr(0, header_end);
  buffer_.erase(0, header_end + 4);
  const auto first_line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, first_line_end);
  const auto sp = status_line.find(' ');
  if (sp == std::string::npos) {
    return result;
  }
  const int status = std::stoi(status_line.substr(sp + 1, 3));
  std::size_t pos = first_line_end == std::string::npos ? head.size() : first_line_end + 2;
  while (pos < head.size()) {
    auto end = head.find("\r\n", pos);
    if (end == std::string::npos) {
      end = head.size();
    }
    const std::string line = head.substr(pos, end - pos);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      result.headers[name] = value;
    }
    pos = end + 2;
  }
  std::size_t length = 0;
  if (auto it = result.headers.find("content-length"); it != result.headers.end()) {
    length = std::stoul(it->second);
  }
  while (buffer_.size() < length) {
    if (!Fill(left())) {
      return result;
    }
  }
  result.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  if (status == 100) {
    return ReadResponse(left());
  }
  result.status = status;
  return result;
}

bool RawConnection::WaitForClose(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<long>(0, left.count()))) <= 0) {
      return false;
    }
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      return true;
    }
  }
  return false;
}

HttpResult Request(std::uint16_t port, const std::string& method, const std::string& target,
                   const std::string& body, const std::string& content_type,
                   const std::map<std::string, std::string>& headers) {
  RawConnection c(port);
  if (!c.connected()) {
    return {};
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    req += "Content-Type: " + content_type + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n";
  }
  for (const auto& [k, v] : headers) {
    req += k + ": " + v + "\r\n";
  }
  req += "\r\n" + body;
  if (!c.Send(req)) {
    return {};
  }
  return c.ReadResponse();
}

}  // namespace caredesk::testing
