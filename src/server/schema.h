// The fleet schema in PostgreSQL and its migrations: versioned, forward-only,
// applied at start by `serve` and `worker` under an advisory lock, so many
// processes starting at once apply each migration exactly once.
#pragma once

#include <string>

#include "base/result.h"
#include "server/pg.h"

namespace drydock::server {

// The schema version this binary needs (the last migration).
int SchemaVersion();

// Applies the migrations after the database's current version, each in its
// own transaction, under pg_advisory_lock. An environment error when the
// database is newer than this binary (a newer drydock migrated it) or a
// statement fails.
Status Migrate(pg::Conn& c);

// The version the database is at (0: none applied).
Result<int> CurrentVersion(pg::Conn& c);

// What `serve`, `worker` and `db rematch` do first: connect to `url` and
// migrate, on a connection closed afterwards.
Status ConnectAndMigrate(const std::string& url);

}  // namespace drydock::server
