// RAII over libpq (PostgreSQL's C API): one connection, parameterised
// statements, text results. Not thread-safe: one thread uses a Conn at a
// time (fleet workers hold one per job thread). Every error names what was
// being done and carries libpq's message on one line.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock::pg {

// A statement parameter: text, or bytes sent in binary (bytea), or NULL.
struct Param {
  std::optional<std::string> value;
  bool binary = false;
  Param() = default;
  Param(std::string v) : value(std::move(v)) {}           // NOLINT: implicit on purpose
  Param(const char* v) : value(std::string(v)) {}         // NOLINT
  Param(int64_t v) : value(std::to_string(v)) {}          // NOLINT
  static Param Bytes(std::string v) {
    Param p(std::move(v));
    p.binary = true;
    return p;
  }
  static Param Null() { return Param(); }
};

// A statement's result (rows of text values). Owned; movable.
class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r, PQclear) {}
  int size() const { return PQntuples(r_.get()); }
  bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string_view get(int row, int col) const {
    return {PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col))};
  }
  int64_t get_int(int row, int col) const;
  // A bytea column in text form ("\x…") decoded to its bytes.
  std::string get_bytes(int row, int col) const;
  // Rows an UPDATE/INSERT/DELETE touched.
  int64_t affected() const;
  const PGresult* raw() const { return r_.get(); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

class Conn {
 public:
  // Connects to `url` (a libpq connection URI or key=value string). An
  // environment error naming the failure (the URL's password is never
  // printed: libpq's message does not carry it).
  static Result<std::unique_ptr<Conn>> Connect(const std::string& url, int connect_timeout_s = 10);
  ~Conn() = default;

  // Runs one statement with $1… parameters. An environment error when the
  // server refused it or the connection broke (then ok() is false).
  Result<Rows> Exec(std::string_view sql, const std::vector<Param>& params = {});
  // Exec, rows discarded.
  Status Run(std::string_view sql, const std::vector<Param>& params = {}) {
    auto r = Exec(sql, params);
    if (!r.ok()) return r.error();
    return Status();
  }
  // Runs statements with no parameters (several separated by ';').
  Status ExecScript(std::string_view sql);
  // Runs BEGIN; `body`; COMMIT, rolling back when body or COMMIT fails.
  template <typename F>
  Status Transaction(F body) {
    RETURN_IF_ERROR(ExecScript("BEGIN"));
    Status s = body();
    if (!s.ok()) {
      (void)ExecScript("ROLLBACK");
      return s;
    }
    return ExecScript("COMMIT");
  }

  // Waits up to `timeout_ms` for a NOTIFY on a channel this connection
  // LISTENs to; true when one (or more) arrived. False on timeout; an error
  // when the connection broke.
  Result<bool> WaitNotify(int timeout_ms);

  bool ok() const { return PQstatus(c_.get()) == CONNECTION_OK; }

 private:
  explicit Conn(PGconn* c) : c_(c, PQfinish) {}
  Error Failure(std::string_view what) const;
  std::unique_ptr<PGconn, void (*)(PGconn*)> c_;
};

}  // namespace drydock::pg
