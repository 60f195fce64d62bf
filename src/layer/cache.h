// The per-layer analysis cache: what one pass over a layer yielded (the
// parts of LayerResult that depend only on the layer's uncompressed bytes),
// kept under <cache>/layers and keyed by the layer's diff_id and everything
// else that shapes the result (this binary, the pipeline limits, the
// analyzers and what they want). A re-scan of any image that shares a layer
// skips reading it.
//
// The cache only saves time: a missing, damaged, truncated or foreign entry
// is a miss (and is removed), and a cache dir that cannot be written is not
// an error. Entries are written to a temporary file, fsync'd and renamed, so
// a reader never sees half an entry and two writers of one key both leave a
// valid one. The reader treats every byte as untrusted (the dir is
// user-writable): lengths are bounds-checked, counts capped, the payload
// checksummed (SHA-256) and every field validated before use.
//
// On-disk layout:  <dir>/<first 2 hex of the key>/<other 62 hex>
// Entry format (integers little-endian):
//   magic "DDLAYER\n" (8) | format version u32 | flags u32 (0) |
//   entry key (32 raw bytes) | payload length u64 |
//   SHA-256 of everything before it and the payload (32) | payload
// The payload is a sequence of unsigned LEB128 varints (signed values
// zigzag-encoded), length-prefixed strings and IEEE doubles (8 bytes), in the
// field order of the structs in layer.h and model/.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/digest.h"
#include "base/result.h"
#include "layer/analyzer.h"
#include "layer/layer.h"
#include "layer/pipeline.h"
#include "model/scan.h"

namespace drydock {

// The default bound of the layer cache (--cache-max-size).
inline constexpr int64_t kDefaultLayerCacheBytes = int64_t{2} << 30;
// Bumped when the entry format changes (the build-id changes with any code
// change anyway; this keeps two builds of one source tree apart too).
inline constexpr uint32_t kLayerCacheFormat = 1;
// An entry larger than this is never written, and a file larger than this
// is not read.
inline constexpr int64_t kMaxLayerEntryBytes = int64_t{1} << 30;

// What identifies the running binary: its GNU build-id (hex) when the
// executable carries one, else DRYDOCK_VERSION with /proc/self/exe's size
// and mtime. Any rebuild changes it, so entries of another build are misses.
std::string BinaryIdentity();

// What shapes a layer's result besides its bytes, as 64 hex: the cache
// format, BinaryIdentity(), the PipelineOptions limits and, for each analyzer
// in order, its name(), cache_key() and FileWants.
std::string AnalyzerKey(const std::vector<const LayerAnalyzer*>& analyzers, const PipelineOptions& opts);

// The entry key of one layer under one analyzer key (64 hex).
std::string LayerEntryKey(const Digest& diff_id, std::string_view analyzer_key);

// Serializes the cached fields of `r`: everything but blob_name and error.
// blob_digest, compression and blob_bytes are kept as the blob the result
// was computed from (a hint: another image may hold the layer differently).
std::string EncodeLayerPayload(const LayerResult& r);
// The inverse. Input errors for anything malformed (short, overlong,
// out-of-range or invalid values, trailing bytes). Never trusts a length.
Result<LayerResult> DecodeLayerPayload(std::string_view payload);

// A whole entry file for `key` (64 hex) and the inverse; DecodeLayerEntry
// checks magic, version, flags, key, length and checksum before decoding.
std::string EncodeLayerEntry(std::string_view key, const LayerResult& r);
Result<LayerResult> DecodeLayerEntry(std::string_view key, std::string_view file);

// Where layer results are kept, by entry key (LayerEntryKey): the local
// directory below, or PostgreSQL in fleet mode (server/pg_layer_store.h).
// Both hold the same bytes (EncodeLayerEntry) and treat them as untrusted.
// Implementations are thread-safe; a store only saves time, so a failed
// Load is a miss and a failed Store may be ignored.
class LayerStore {
 public:
  virtual ~LayerStore() = default;
  virtual std::optional<LayerResult> Load(std::string_view key) const = 0;
  // Returns the bytes written (0 when not written).
  virtual Result<int64_t> Store(std::string_view key, const LayerResult& r) const = 0;
};

// A whole ScanResult (all but `outcomes`, which only live audits have) in the
// layer payload encoding, framed "DDSCAN1\n" | format u32 | payload length
// u64 | SHA-256 of both and the payload | payload: what a fleet worker
// stores and a client (`image --server`) renders. Decode checks the framing
// and every field as DecodeLayerPayload does.
std::string EncodeScanResult(const ScanResult& s);
Result<ScanResult> DecodeScanResult(std::string_view bytes);
// The framing alone around an encoded payload (for the fuzz target).
std::string FrameScanPayload(std::string_view payload);

// The cache directory. Thread-safe and safe across processes: every method
// may run in several threads and processes on one directory at once.
class LayerCache final : public LayerStore {
 public:
  struct Usage {
    int64_t entries = 0;
    int64_t bytes = 0;
    int64_t oldest = 0;  // mtime (seconds since the epoch) of the least recently used entry; 0 when none
    int64_t newest = 0;
    int64_t temp_files = 0;  // writes in progress or left by killed runs
  };
  struct EvictStats {
    int64_t removed = 0;  // entries removed to fit max_bytes
    int64_t removed_bytes = 0;
    int64_t stale_temps = 0;  // temp files of dead writers removed
    bool skipped = false;     // another process held the lock: it evicts
  };

  // Opens `dir` (created 0700 with its parent when missing) bounded to
  // `max_bytes`. An environment error when it cannot be created.
  static Result<std::unique_ptr<LayerCache>> Open(std::string dir, int64_t max_bytes);

  const std::string& dir() const { return dir_; }
  int64_t max_bytes() const { return max_bytes_; }

  // The result stored under `key` (LayerEntryKey), or nullopt. A hit marks
  // the entry used (its mtime is the LRU clock); an entry that does not
  // verify is removed and is a miss.
  std::optional<LayerResult> Load(std::string_view key) const override;
  // Writes the entry (temp file, fsync, rename). Returns the bytes written,
  // 0 when the entry is over the bound; an error when the write failed
  // (callers may ignore it: the cache only saves time).
  Result<int64_t> Store(std::string_view key, const LayerResult& r) const override;
  // Removes least recently used entries until the total is at most
  // max_bytes, and temp files of writers that are gone. Runs under an
  // exclusive flock on <dir>/.lock; when another process holds it, returns
  // at once with `skipped` set.
  EvictStats Evict() const;
  // Counts what is in the directory.
  Usage Measure() const;
  // Removes every entry and temp file; returns what was there.
  Usage Clear() const;

  // What this object saw (for tests and `cache info`).
  int64_t hits() const { return hits_.load(); }
  int64_t misses() const { return misses_.load(); }
  int64_t dropped() const { return dropped_.load(); }  // entries that did not verify

 private:
  LayerCache(std::string dir, int64_t max_bytes) : dir_(std::move(dir)), max_bytes_(max_bytes) {}
  std::string EntryPath(std::string_view key) const;

  std::string dir_;
  int64_t max_bytes_;
  mutable std::atomic<int64_t> hits_{0};
  mutable std::atomic<int64_t> misses_{0};
  mutable std::atomic<int64_t> dropped_{0};
};

// The result a cold scan would have produced for `layer`'s blob, built from
// a cached result: blob_name from the layer, and blob_digest, compression
// and blob_bytes as reading the blob would have measured them — from the
// cached blob when the digests match, else from the media type (gzip, zstd,
// plain tar; a plain tar needs blob digest == diff_id, or, with no digest,
// `declared` == tar_bytes). False when they cannot be known without reading
// the blob (then the blob must be read). `declared` is the blob size the
// source knows (-1: take layer.blob.size).
bool AdoptCachedResult(const Layer& layer, int64_t declared, LayerResult& cached);

}  // namespace drydock
