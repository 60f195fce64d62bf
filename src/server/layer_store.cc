#include "server/layer_store.h"

namespace drydock::server {

pg::Conn* PgLayerStore::Connection() const {
  if (conn_ && conn_->ok()) return conn_.get();
  conn_.reset();
  auto c = pg::Conn::Connect(url_, 5);
  if (!c.ok()) return nullptr;
  conn_ = std::move(c).value();
  return conn_.get();
}

std::optional<LayerResult> PgLayerStore::Load(std::string_view key) const {
  std::lock_guard lock(mu_);
  pg::Conn* c = Connection();
  if (c == nullptr) {
    ++misses_;
    return std::nullopt;
  }
  auto rows = c->Exec("SELECT entry FROM layers WHERE entry_key = $1", {std::string(key)});
  if (!rows.ok() || rows->size() == 0) {
    ++misses_;
    return std::nullopt;
  }
  auto r = DecodeLayerEntry(key, rows->get_bytes(0, 0));
  if (!r.ok()) {
    // A damaged row is a miss and is replaced by the next Store.
    (void)c->Run("DELETE FROM layers WHERE entry_key = $1", {std::string(key)});
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  return std::move(r).value();
}

Result<int64_t> PgLayerStore::Store(std::string_view key, const LayerResult& r) const {
  std::string entry = EncodeLayerEntry(key, r);
  if (static_cast<int64_t>(entry.size()) > kMaxLayerEntryBytes) return int64_t{0};
  const auto size = static_cast<int64_t>(entry.size());
  std::lock_guard lock(mu_);
  pg::Conn* c = Connection();
  if (c == nullptr) return EnvError("postgresql: cannot connect to store a layer result");
  RETURN_IF_ERROR(c->Run("INSERT INTO layers (entry_key, diff_id, entry) VALUES ($1, $2, $3) "
                         "ON CONFLICT (entry_key) DO NOTHING",
                         {std::string(key), r.diff_id.str(), pg::Param::Bytes(std::move(entry))}));
  return size;
}

}  // namespace drydock::server
