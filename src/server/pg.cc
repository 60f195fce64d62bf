#include "server/pg.h"

#include <poll.h>

#include <charconv>

#include "base/path.h"

namespace drydock::pg {

namespace {

// libpq's messages end in a newline and may span lines.
std::string OneLine(const char* msg) {
  std::string s = msg == nullptr ? "" : msg;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return Printable(s);
}

}  // namespace

int64_t Rows::get_int(int row, int col) const {
  const std::string_view v = get(row, col);
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

std::string Rows::get_bytes(int row, int col) const {
  size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r_.get(), row, col)), &n);
  if (raw == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

int64_t Rows::affected() const {
  const char* s = PQcmdTuples(r_.get());
  int64_t out = 0;
  if (s != nullptr) std::from_chars(s, s + std::char_traits<char>::length(s), out);
  return out;
}

Result<std::unique_ptr<Conn>> Conn::Connect(const std::string& url, int connect_timeout_s) {
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* values[] = {url.c_str(), timeout.c_str(), "drydock", nullptr};
  // expand_dbname=1: `dbname` may hold a whole URI or key=value string.
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (c == nullptr) return EnvError("postgresql: out of memory");
  std::unique_ptr<Conn> conn(new Conn(c));
  if (PQstatus(c) != CONNECTION_OK) return EnvError("postgresql: cannot connect: {}", OneLine(PQerrorMessage(c)));
  // Notices (e.g. "relation already exists, skipping") are not for the user.
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
  return conn;
}

Error Conn::Failure(std::string_view what) const {
  return EnvError("postgresql: {}: {}", what, OneLine(PQerrorMessage(c_.get())));
}

Result<Rows> Conn::Exec(std::string_view sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const Param& p : params) {
    values.push_back(p.value ? p.value->data() : nullptr);
    lengths.push_back(p.value ? static_cast<int>(p.value->size()) : 0);
    formats.push_back(p.binary ? 1 : 0);
  }
  const std::string q(sql);
  Rows rows(PQexecParams(c_.get(), q.c_str(), static_cast<int>(params.size()), nullptr, values.data(), lengths.data(),
                         formats.data(), 0));
  // Rows holds a null PGresult only when libpq ran out of memory or lost the connection.
  const ExecStatusType st = PQresultStatus(rows.raw());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const char* m = PQresultErrorMessage(rows.raw());
    return EnvError("postgresql: {}: {}", q.substr(0, q.find_first_of(" \n")),
                    OneLine(m != nullptr && *m != '\0' ? m : PQerrorMessage(c_.get())));
  }
  return rows;
}

Status Conn::ExecScript(std::string_view sql) {
  const std::string q(sql);
  Rows rows(PQexec(c_.get(), q.c_str()));
  const ExecStatusType st = PQresultStatus(rows.raw());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return Failure(q.substr(0, q.find_first_of(" \n")));
  return Status();
}

Result<bool> Conn::WaitNotify(int timeout_ms) {
  auto drain = [&] {
    bool any = false;
    while (PGnotify* n = PQnotifies(c_.get())) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (PQconsumeInput(c_.get()) == 0) return Failure("waiting for a notification");
  if (drain()) return true;
  struct pollfd p {};
  p.fd = PQsocket(c_.get());
  if (p.fd < 0) return Failure("waiting for a notification");
  p.events = POLLIN;
  const int r = poll(&p, 1, timeout_ms);
  if (r <= 0) return false;
  if (PQconsumeInput(c_.get()) == 0) return Failure("waiting for a notification");
  return drain();
}

}  // namespace drydock::pg
