#include "cli/fetch.h"

#include <curl/curl.h>

#include <cstdio>
#include <memory>

namespace drydock {

namespace {

struct CurlCloser {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

size_t WriteFile(char* data, size_t size, size_t n, void* user) {
  return std::fwrite(data, size, n, static_cast<FILE*>(user)) * size;
}

}  // namespace

Status FetchToFile(const std::string& url, const std::string& path, int64_t max_bytes) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return UsageError("{}: want an http:// or https:// URL", url);
  }
  std::unique_ptr<CURL, CurlCloser> curl(curl_easy_init());
  if (!curl) return InputError("{}: cannot start a transfer", url);
  std::unique_ptr<FILE, FileCloser> out(std::fopen(path.c_str(), "wb"));
  if (!out) return InputError("{}: cannot write", path);
  char errbuf[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
  // Abort a stalled transfer: under 1 KiB/s for a minute.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
  curl_easy_setopt(c, CURLOPT_USERAGENT, "drydock/" DRYDOCK_VERSION);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &WriteFile);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, out.get());
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  const bool flushed = std::fflush(out.get()) == 0;
  out.reset();
  Status s = Ok();
  if (rc != CURLE_OK) {
    s = InputError("{}: {}", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
  } else if (status < 200 || status >= 300) {
    s = InputError("{}: HTTP status {}", url, status);
  } else if (!flushed) {
    s = InputError("{}: write failed", path);
  }
  if (!s.ok()) std::remove(path.c_str());
  return s;
}

}  // namespace drydock
