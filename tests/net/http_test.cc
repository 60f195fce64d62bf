// net::Open / net::Fetch against canned loopback servers: the redirect
// policy (Authorization never reaches another host), caps and deadlines.
#include "net/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace drydock::net {
namespace {

// A one-thread server on ADDR:ephemeral that reads each request's head and
// answers with whatever `reply` writes to the socket. Records the heads.
class CannedServer {
 public:
  using Reply = std::function<void(int fd, const std::string& head)>;
  CannedServer(const char* addr, Reply reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    inet_pton(AF_INET, addr, &sa.sin_addr);
    sa.sin_port = 0;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || listen(fd_, 16) != 0) {
      ADD_FAILURE() << "cannot listen on " << addr;
      return;
    }
    socklen_t len = sizeof sa;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    base_ = std::string("http://") + addr + ":" + std::to_string(ntohs(sa.sin_port));
    thread_ = std::thread([this] { Loop(); });
  }
  ~CannedServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  const std::string& base() const { return base_; }
  std::vector<std::string> heads() {
    std::lock_guard lock(mu_);
    return heads_;
  }

 private:
  void Loop() {
    while (!stop_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string head;
      char buf[4096];
      while (head.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard lock(mu_);
        heads_.push_back(head);
      }
      reply_(c, head);
      close(c);
    }
  }
  Reply reply_;
  int fd_ = -1;
  std::string base_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> heads_;
};

void Send(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = write(fd, s.data() + off, s.size() - off);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

std::string Ok(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

bool HasAuthorization(const std::string& head) {
  std::string lower = head;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return lower.find("\r\nauthorization:") != std::string::npos;
}

TEST(Http, OriginAndResolve) {
  EXPECT_EQ(Origin("https://Reg.Example/v2/x"), "https://reg.example:443");
  EXPECT_EQ(Origin("http://127.0.0.1:5000/v2/"), "http://127.0.0.1:5000");
  EXPECT_EQ(Origin("not a url"), "");
  EXPECT_EQ(*ResolveUrl("http://a:1/v2/x/blobs/y", "/store/z?sig=1"), "http://a:1/store/z?sig=1");
  EXPECT_EQ(*ResolveUrl("http://a:1/v2/x/", "https://b/c"), "https://b/c");
}

TEST(Http, AuthorizationStaysWithItsHostAcrossRedirects) {
  CannedServer other("127.0.0.2", [](int fd, const std::string&) { Send(fd, Ok("blob")); });
  CannedServer reg("127.0.0.1", [&](int fd, const std::string&) {
    Send(fd, "HTTP/1.1 307 Temporary Redirect\r\nLocation: " + other.base() +
                 "/storage/b?sig=x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  Request req;
  req.url = reg.base() + "/v2/app/blobs/sha256:00";
  req.authorization = "Bearer secret-token";
  auto r = Fetch(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "blob");
  ASSERT_EQ(reg.heads().size(), 1u);
  EXPECT_TRUE(HasAuthorization(reg.heads()[0]));
  ASSERT_EQ(other.heads().size(), 1u);
  EXPECT_FALSE(HasAuthorization(other.heads()[0])) << other.heads()[0];
}

TEST(Http, SameHostRedirectKeepsAuthorization) {
  std::atomic<int> n{0};
  CannedServer reg("127.0.0.1", [&](int fd, const std::string&) {
    if (n++ == 0) {
      Send(fd, "HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    } else {
      Send(fd, Ok("x"));
    }
  });
  Request req;
  req.url = reg.base() + "/v2/";
  req.authorization = "Basic dTpw";
  auto r = Fetch(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(reg.heads().size(), 2u);
  EXPECT_TRUE(HasAuthorization(reg.heads()[1]));
}

TEST(Http, EndlessRedirectsStop) {
  CannedServer reg("127.0.0.1", [](int fd, const std::string&) {
    Send(fd, "HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  Request req;
  req.url = reg.base() + "/v2/";
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than 5 redirects"), std::string::npos) << r.error().message;
  EXPECT_EQ(reg.heads().size(), 6u);
}

TEST(Http, BodyOverTheCapIsRefused) {
  CannedServer reg("127.0.0.1", [](int fd, const std::string&) { Send(fd, Ok(std::string(100000, 'a'))); });
  Request req;
  req.url = reg.base() + "/big";
  req.max_body = 1000;
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("over 1000 bytes"), std::string::npos) << r.error().message;
}

TEST(Http, HeadersOverTheCapAreRefused) {
  CannedServer reg("127.0.0.1", [](int fd, const std::string&) {
    std::string many;
    for (int i = 0; i < 200; ++i) many += "X-Junk-" + std::to_string(i) + ": " + std::string(1000, 'j') + "\r\n";
    Send(fd, "HTTP/1.1 200 OK\r\n" + many + "Content-Length: 0\r\n\r\n");
  });
  Request req;
  req.url = reg.base() + "/h";
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("headers over 65536 bytes"), std::string::npos) << r.error().message;
}

TEST(Http, OneHugeHeaderLineIsRefused) {
  CannedServer reg("127.0.0.1", [](int fd, const std::string&) {
    Send(fd, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"" + std::string(200000, 'j') +
                 "\"\r\nContent-Length: 0\r\n\r\n");
  });
  Request req;
  req.url = reg.base() + "/h";
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("header line is too long"), std::string::npos) << r.error().message;
}

TEST(Http, TruncatedBodyIsAnError) {
  CannedServer reg("127.0.0.1", [](int fd, const std::string&) {
    Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\nonly this");
  });
  Request req;
  req.url = reg.base() + "/t";
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("closed before the whole body"), std::string::npos) << r.error().message;
}

TEST(Http, StalledBodyEndsAtTheStallDeadline) {
  std::atomic<bool> release{false};
  CannedServer reg("127.0.0.1", [&](int fd, const std::string&) {
    Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nfirst bytes");
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  });
  Request req;
  req.url = reg.base() + "/s";
  req.stall_timeout_s = 1;
  auto t0 = std::chrono::steady_clock::now();
  auto r = Fetch(req);
  auto took = std::chrono::steady_clock::now() - t0;
  release = true;
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("stalled"), std::string::npos) << r.error().message;
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST(Http, DrippingSenderIsCutOffBelowOneKibPerSecond) {
  std::atomic<bool> release{false};
  CannedServer reg("127.0.0.1", [&](int fd, const std::string&) {
    Send(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
    for (int i = 0; i < 100 && !release; ++i) {
      Send(fd, "x");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  Request req;
  req.url = reg.base() + "/drip";
  req.stall_timeout_s = 1;
  auto t0 = std::chrono::steady_clock::now();
  auto r = Fetch(req);
  auto took = std::chrono::steady_clock::now() - t0;
  release = true;
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("too slow"), std::string::npos) << r.error().message;
  EXPECT_LT(took, std::chrono::seconds(8));
}

TEST(Http, RedirectToAFileUrlIsRefused) {
  CannedServer reg("127.0.0.1", [](int fd, const std::string&) {
    Send(fd, "HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  });
  Request req;
  req.url = reg.base() + "/v2/";
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("non-HTTP"), std::string::npos) << r.error().message;
}

TEST(Http, NonHttpUrlIsAUsageError) {
  Request req;
  req.url = "file:///etc/passwd";
  auto r = Fetch(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kUsage);
}

}  // namespace
}  // namespace drydock::net
