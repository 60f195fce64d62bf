#include "layer/pipeline.h"

#include <archive.h>
#include <archive_entry.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "base/chunk_queue.h"
#include "base/digest.h"
#include "base/path.h"
#include "layer/builder.h"
#include "layer/cache.h"
#include "layer/decompress.h"

namespace drydock {

std::string_view EntryTypeName(EntryType t) {
  switch (t) {
    case EntryType::kFile:
      return "file";
    case EntryType::kDir:
      return "dir";
    case EntryType::kSymlink:
      return "symlink";
    case EntryType::kHardlink:
      return "hardlink";
    case EntryType::kChar:
      return "char";
    case EntryType::kBlock:
      return "block";
    case EntryType::kFifo:
      return "fifo";
    case EntryType::kOther:
      break;
  }
  return "other";
}

namespace {

using ArchivePtr = std::unique_ptr<struct archive, decltype(&archive_read_free)>;

// Feeds libarchive from a ChunkQueue without copying: the callback hands out
// the current chunk's bytes and recycles the previous chunk.
struct QueueReader {
  ChunkQueue& queue;
  ChunkPool& pool;
  ByteStream& source;  // gets mapped views back once they are parsed
  Chunk current;

  void Recycle(Chunk c) {
    if (c.view != nullptr) source.Release(c.bytes());
    pool.Put(std::move(c));
  }
  static la_ssize_t Read(struct archive*, void* self, const void** buf) {
    auto* r = static_cast<QueueReader*>(self);
    r->Recycle(std::move(r->current));
    r->current = Chunk{};
    while (r->queue.Pop(r->current)) {
      if (r->current.size == 0) continue;
      *buf = r->current.ptr();
      return static_cast<la_ssize_t>(r->current.size);
    }
    return 0;
  }
  // Consumes what is left so upstream stages never block on a full queue.
  void Drain() {
    Recycle(std::move(current));
    Chunk c;
    while (queue.Pop(c)) Recycle(std::move(c));
  }
};

EntryType TypeOf(struct archive_entry* e) {
  if (archive_entry_hardlink(e) != nullptr) return EntryType::kHardlink;
  switch (archive_entry_filetype(e)) {
    case AE_IFREG:
      return EntryType::kFile;
    case AE_IFDIR:
      return EntryType::kDir;
    case AE_IFLNK:
      return EntryType::kSymlink;
    case AE_IFCHR:
      return EntryType::kChar;
    case AE_IFBLK:
      return EntryType::kBlock;
    case AE_IFIFO:
      return EntryType::kFifo;
    default:
      return EntryType::kOther;
  }
}

const char* PathOf(struct archive_entry* e) {
  const char* p = archive_entry_pathname(e);
  if (p == nullptr) p = archive_entry_pathname_utf8(e);
  return p;
}

// Reads the current entry's data (up to `limit` bytes, sparse holes as
// zeros) into a string. Once the first bytes are in, asks the builder whether
// any analyzer still wants the file (magic filters); false = stopped early.
Result<bool> ReadContent(struct archive* a, int64_t limit, LayerBuilder& builder, std::string& out) {
  constexpr size_t kHead = 16;
  out.clear();
  bool head_checked = false;
  const void* buf = nullptr;
  size_t size = 0;
  la_int64_t offset = 0;
  for (;;) {
    int r = archive_read_data_block(a, &buf, &size, &offset);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN)
      return InputError("tar: {}", archive_error_string(a) ? archive_error_string(a) : "read error");
    if (offset >= limit) continue;
    if (static_cast<int64_t>(out.size()) < offset) out.resize(static_cast<size_t>(offset), '\0');
    size_t take = std::min<size_t>(size, static_cast<size_t>(limit - offset));
    if (static_cast<int64_t>(out.size()) > offset) out.resize(static_cast<size_t>(offset));
    if (out.capacity() < static_cast<size_t>(limit)) out.reserve(static_cast<size_t>(limit));
    out.append(static_cast<const char*>(buf), take);
    if (!head_checked && out.size() >= std::min<size_t>(kHead, static_cast<size_t>(limit))) {
      head_checked = true;
      if (!builder.KeepAfterHead(out)) return false;
    }
  }
  if (static_cast<int64_t>(out.size()) < limit) out.resize(static_cast<size_t>(limit), '\0');
  if (!head_checked && !builder.KeepAfterHead(out)) return false;
  return true;
}

// Content buffers up to this size stay with the walker between files.
constexpr size_t kReuseBytes = 32 << 20;

// The walker stage: tar entries → LayerBuilder. Runs on its own thread.
Status WalkTar(QueueReader& reader, LayerBuilder& builder) {
  ArchivePtr a(archive_read_new(), &archive_read_free);
  archive_read_support_format_tar(a.get());
  archive_read_support_format_empty(a.get());
  if (archive_read_open(a.get(), &reader, nullptr, &QueueReader::Read, nullptr) != ARCHIVE_OK) {
    return InputError("tar: {}", archive_error_string(a.get()) ? archive_error_string(a.get()) : "cannot open");
  }
  struct archive_entry* e = nullptr;
  std::string content;
  int failures = 0;
  for (;;) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      const char* msg = archive_error_string(a.get());
      if (r == ARCHIVE_FATAL || ++failures > 100) return InputError("tar: {}", msg ? msg : "malformed header");
      builder.Diagnose(fmt::format("tar: {}", msg ? msg : "malformed entry skipped"));
      continue;
    }
    const char* name = PathOf(e);
    if (name == nullptr) continue;
    FileNode node;
    node.path = CleanPath(name);
    node.type = TypeOf(e);
    node.mode = archive_entry_perm(e) & 07777;
    node.uid = static_cast<uint32_t>(archive_entry_uid(e));
    node.gid = static_cast<uint32_t>(archive_entry_gid(e));
    node.size = node.type == EntryType::kFile ? std::max<int64_t>(0, archive_entry_size(e)) : 0;
    if (node.type == EntryType::kSymlink) {
      const char* t = archive_entry_symlink(e);
      node.link_target = t ? t : "";
    } else if (node.type == EntryType::kHardlink) {
      node.link_target = CleanPath(archive_entry_hardlink(e));
    }
    if (node.path == "/") continue;  // "./" itself
    int64_t want = 0;
    if (!builder.Add(std::move(node), &want)) {
      if (builder.over_limit()) return InputError("tar: too many entries (limit reached)");
      continue;
    }
    if (want > 0) {
      ASSIGN_OR_RETURN(bool kept, ReadContent(a.get(), want, builder, content));
      if (kept) builder.Content(content);
      // The buffer is reused for the next wanted file, which spares a fresh
      // allocation (and its page faults) per binary; a big one is let go so
      // a walker does not hold it for the rest of the layer.
      if (content.capacity() > kReuseBytes) content = std::string();
    }
    // Unread data is skipped by the next header read.
  }
  return Ok();
}

Status ReadAll(ByteStream& stream, Chunk& c) {
  c.size = 0;
  while (c.size < c.capacity) {
    ASSIGN_OR_RETURN(size_t n, stream.Read(std::span(c.data.get() + c.size, c.capacity - c.size)));
    if (n == 0) break;
    c.size += n;
  }
  return Ok();
}

}  // namespace

LayerResult ProcessLayerBlob(const std::string& name, ByteStream& stream,
                             const std::vector<const LayerAnalyzer*>& analyzers, const PipelineOptions& opts) {
  LayerResult result;
  result.blob_name = name;
  const auto chunk_size = static_cast<size_t>(opts.chunk_size);
  ChunkPool pool(chunk_size);
  ChunkQueue raw(static_cast<size_t>(opts.queue_depth));
  ChunkQueue tar(static_cast<size_t>(opts.queue_depth));
  Sha256 blob_hash;

  // A mapped blob is handed along as views into the mapping: no copy.
  std::span<const std::byte> mapped = stream.Mapped();
  auto next_view = [&](Chunk& c) {
    size_t n = std::min(mapped.size(), chunk_size);
    c = Chunk{nullptr, n, n, mapped.data()};
    mapped = mapped.subspan(n);
  };
  const bool use_map = !mapped.empty();
  Chunk first;
  if (use_map) {
    next_view(first);
  } else {
    first = pool.Get();
    if (auto s = ReadAll(stream, first); !s.ok()) {
      result.error = s.error();
      return result;
    }
  }
  const Compression comp = SniffCompression(first.bytes());
  result.compression = std::string(CompressionName(comp));
  const bool compressed = comp != Compression::kNone;

  // Stage 3: walk the tar.
  LayerBuilder builder(analyzers, opts.max_entries_per_layer, result);
  Status walk_status;
  QueueReader reader{compressed ? tar : raw, pool, stream, {}};
  std::thread walker([&] {
    walk_status = WalkTar(reader, builder);
    reader.Drain();
  });

  // Stage 2: decompress and hash the tar (compressed blobs only).
  Status inflate_status;
  Sha256 tar_hash;
  int64_t tar_bytes = 0;
  std::atomic<int64_t> blob_bytes_seen{0};
  std::thread inflater;
  if (compressed) {
    inflater = std::thread([&] {
      auto dec = MakeDecompressor(comp, chunk_size);
      Chunk out = pool.Get();
      auto emit = [&](std::span<const std::byte> bytes) -> Status {
        tar_hash.Update(bytes);
        tar_bytes += static_cast<int64_t>(bytes.size());
        const int64_t seen = blob_bytes_seen.load();
        if (tar_bytes > opts.min_bomb_bytes && tar_bytes > opts.max_ratio * std::max<int64_t>(seen, 1)) {
          return InputError("{}: refusing a decompression bomb ({} bytes from {} compressed)", CompressionName(comp),
                            tar_bytes, seen);
        }
        while (!bytes.empty()) {
          size_t n = std::min(bytes.size(), out.capacity - out.size);
          std::memcpy(out.data.get() + out.size, bytes.data(), n);
          out.size += n;
          bytes = bytes.subspan(n);
          if (out.size == out.capacity) {
            tar.Push(std::move(out));
            out = pool.Get();
          }
        }
        return Ok();
      };
      Chunk in;
      bool failed = false;
      while (raw.Pop(in)) {
        if (!failed) {
          Status s = dec->Feed(in.bytes(), emit);
          if (!s.ok()) {
            inflate_status = s;
            failed = true;  // keep draining so the blob digest can still be checked
          }
        }
        if (in.view != nullptr) stream.Release(in.bytes());
        pool.Put(std::move(in));
      }
      if (!failed) {
        inflate_status = dec->Finish();
        if (out.size) tar.Push(std::move(out));
      }
      tar.Close();
    });
  }

  // Stage 1 (this thread): read and hash the blob as stored.
  Status read_status;
  Chunk c = std::move(first);
  for (;;) {
    if (c.size == 0) break;
    blob_hash.Update(c.bytes());
    result.blob_bytes += static_cast<int64_t>(c.size);
    blob_bytes_seen.store(result.blob_bytes);
    if (opts.on_progress) opts.on_progress(static_cast<int64_t>(c.size));
    raw.Push(std::move(c));
    if (use_map) {
      next_view(c);
      continue;
    }
    c = pool.Get();
    if (auto s = ReadAll(stream, c); !s.ok()) {
      read_status = s;
      break;
    }
  }
  raw.Close();
  if (inflater.joinable()) inflater.join();
  walker.join();

  result.blob_digest = blob_hash.Finish();
  if (compressed) {
    result.diff_id = tar_hash.Finish();
    result.tar_bytes = tar_bytes;
  } else {
    result.diff_id = result.blob_digest;
    result.tar_bytes = result.blob_bytes;
  }
  if (!read_status.ok()) {
    // Not the whole blob was seen: its digests mean nothing.
    result.blob_digest = Digest{};
    result.diff_id = Digest{};
    result.error = read_status.error();
  } else if (!inflate_status.ok()) {
    result.error = inflate_status.error();
  } else if (!walk_status.ok()) {
    result.error = walk_status.error();
  }
  return result;
}

LayerCollector::LayerCollector(std::vector<const LayerAnalyzer*> analyzers, PipelineOptions opts,
                               const LayerStore* cache)
    : analyzers_(std::move(analyzers)), opts_(std::move(opts)), cache_(cache) {
  if (cache_ != nullptr) analyzer_key_ = AnalyzerKey(analyzers_, opts_);
}

bool LayerCollector::HaveLayer(const Layer& layer, int64_t declared) {
  if (cache_ == nullptr || layer.diff_id.empty()) return false;
  std::optional<LayerResult> hit = cache_->Load(LayerEntryKey(layer.diff_id, analyzer_key_));
  if (!hit || !AdoptCachedResult(layer, declared, *hit)) return false;
  auto r = std::make_shared<LayerResult>(std::move(*hit));
  std::lock_guard lock(mu_);
  results_[layer.blob.name] = std::move(r);
  from_cache_.insert(layer.blob.name);
  return true;
}

void LayerCollector::OnSkippedLayer(const Layer& layer, const std::string& why) {
  auto r = std::make_shared<LayerResult>();
  r->blob_name = layer.blob.name;
  r->blob_digest = layer.blob.digest;
  r->diff_id = layer.diff_id;
  r->compression = "skipped";
  r->blob_bytes = std::max<int64_t>(layer.blob.size, 0);
  r->diagnostics.push_back(Diagnostic{"", why});
  std::lock_guard lock(mu_);
  results_[layer.blob.name] = std::move(r);
  from_cache_.erase(layer.blob.name);
}

int LayerCollector::layers_from_cache() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(from_cache_.size());
}

int64_t LayerCollector::bytes_stored() const {
  std::lock_guard lock(mu_);
  return bytes_stored_;
}

Status LayerCollector::OnLayerBlob(const std::string& name, int64_t /*declared*/, ByteStream& stream) {
  auto r = std::make_shared<LayerResult>(ProcessLayerBlob(name, stream, analyzers_, opts_));
  std::lock_guard lock(mu_);
  results_[name] = std::move(r);
  from_cache_.erase(name);
  return Ok();
}

Status LayerCollector::OnRootfsDir(const std::string& name, const std::string& dir) {
  auto r = std::make_shared<LayerResult>(ProcessRootfsDir(name, dir, analyzers_, opts_));
  if (r->error) return *r->error;
  std::lock_guard lock(mu_);
  results_[name] = std::move(r);
  return Ok();
}

Result<std::vector<std::shared_ptr<const LayerResult>>> LayerCollector::Take(ImageInfo& image) {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<const LayerResult>> out;
  std::set<std::string> stored;
  const auto& diff_ids = image.config.diff_ids;
  for (auto& layer : image.layers) {
    const std::string label = fmt::format("layer {} of {} ({})", layer.index + 1, image.layers.size(),
                                          (!layer.diff_id.empty() ? layer.diff_id : layer.blob.digest).short_str());
    auto it = results_.find(layer.blob.name);
    if (it == results_.end()) {
      return InputError("{}: blob {:?} is missing from the image", label, Printable(layer.blob.name));
    }
    const LayerResult& r = *it->second;
    if (r.error && r.blob_digest.empty()) return r.error->Wrap(label);
    if (r.compression == "skipped") {  // not read: nothing to verify, nothing to cache
      layer.uncompressed_size = 0;
      out.push_back(it->second);
      continue;
    }
    if (r.compression == "dir") {
      layer.uncompressed_size = r.tar_bytes;
      out.push_back(it->second);
      continue;
    }
    if (!layer.blob.digest.empty() && r.blob_digest != layer.blob.digest) {
      return InputError("{}: blob digest mismatch: the manifest says {}, the content is {}", label,
                        layer.blob.digest.str(), r.blob_digest.str());
    }
    if (layer.blob.size >= 0 && r.blob_bytes != layer.blob.size && !r.error) {
      return InputError("{}: blob size mismatch: the manifest says {} bytes, the content is {}", label, layer.blob.size,
                        r.blob_bytes);
    }
    if (r.error) return r.error->Wrap(label);
    if (static_cast<size_t>(layer.index) < diff_ids.size() && r.diff_id != diff_ids[layer.index]) {
      return InputError("{}: diff_id mismatch: the config says {}, the uncompressed content is {}", label,
                        diff_ids[layer.index].str(), r.diff_id.str());
    }
    layer.diff_id = r.diff_id;
    layer.uncompressed_size = r.tar_bytes;
    out.push_back(it->second);
    // A verified layer that was read goes to the cache (a failed write only
    // costs the next scan a read).
    if (cache_ != nullptr && !from_cache_.contains(layer.blob.name) && stored.insert(layer.blob.name).second) {
      auto n = cache_->Store(LayerEntryKey(r.diff_id, analyzer_key_), r);
      if (n.ok()) bytes_stored_ += *n;
    }
  }
  return out;
}

}  // namespace drydock
