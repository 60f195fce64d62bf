#include "layer/decompress.h"

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include <cstring>
#include <vector>

namespace drydock {

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kNone:
      break;
  }
  return "none";
}

Compression SniffCompression(std::span<const std::byte> head) {
  auto b = [&](size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0; };
  if (head.size() >= 2 && b(0) == 0x1f && b(1) == 0x8b) return Compression::kGzip;
  if (head.size() >= 4 && b(0) == 0x28 && b(1) == 0xb5 && b(2) == 0x2f && b(3) == 0xfd) return Compression::kZstd;
  return Compression::kNone;
}

namespace {

std::string_view IsalError(int r) {
  switch (r) {
    case ISAL_INVALID_BLOCK:
      return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
      return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
      return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER:
      return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unsupported compression method";
    case ISAL_INCORRECT_CHECKSUM:
      return "CRC mismatch";
    case ISAL_NEED_DICT:
      return "preset dictionary required";
    default:
      return "decode error";
  }
}

// gzip via ISA-L's igzip (several times faster than zlib on this work).
// Concatenated gzip members are decoded one after another, as gzip(1) does.
class GzipDecompressor final : public Decompressor {
 public:
  explicit GzipDecompressor(size_t out_chunk) : out_(out_chunk), state_(std::make_unique<inflate_state>()) { Reset(); }
  Status Feed(std::span<const std::byte> in, const Emit& emit) override {
    const auto* p = reinterpret_cast<const uint8_t*>(in.data());
    size_t left = in.size();
    while (left > 0) {
      if (finished_member_) {
        // Another member may follow; anything else is trailing garbage.
        if (static_cast<uint8_t>(*p) != 0x1f) {
          return InputError("gzip: trailing garbage after the end of the stream at input offset {}", in_total_);
        }
        Reset();
      }
      state_->next_in = const_cast<uint8_t*>(p);
      state_->avail_in = static_cast<uint32_t>(std::min<size_t>(left, 1u << 30));
      uint32_t given = state_->avail_in;
      for (;;) {
        uint32_t avail_before = state_->avail_in;
        state_->next_out = reinterpret_cast<uint8_t*>(out_.data());
        state_->avail_out = static_cast<uint32_t>(out_.size());
        int r = isal_inflate(state_.get());
        if (r < 0) {
          return InputError("gzip: {} near input offset {}", IsalError(r), in_total_ + (given - state_->avail_in));
        }
        size_t produced = out_.size() - state_->avail_out;
        if (produced) RETURN_IF_ERROR(emit(std::span(out_.data(), produced)));
        if (state_->block_state == ISAL_BLOCK_FINISH) {
          finished_member_ = true;
          break;
        }
        // Stop when input is used up and output has room, or nothing moved.
        if (state_->avail_out != 0 && state_->avail_in == 0) break;
        if (produced == 0 && state_->avail_in == avail_before) break;
      }
      size_t used = given - state_->avail_in;
      in_total_ += used;
      p += used;
      left -= used;
      if (used == 0 && !finished_member_) break;  // needs more input
    }
    return Ok();
  }
  Status Finish() override {
    if (!finished_member_) return InputError("gzip: unexpected end of data at input offset {}", in_total_);
    return Ok();
  }

 private:
  void Reset() {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP;
    finished_member_ = false;
  }
  std::vector<std::byte> out_;
  std::unique_ptr<inflate_state> state_;
  bool finished_member_ = false;
  uint64_t in_total_ = 0;
};

class ZstdDecompressor final : public Decompressor {
 public:
  explicit ZstdDecompressor(size_t out_chunk) : out_(out_chunk), ctx_(ZSTD_createDCtx(), &ZSTD_freeDCtx) {
    // 2^27 = 128 MiB is zstd's own default ceiling for streaming windows;
    // stating it keeps a hostile frame header from asking for more.
    ZSTD_DCtx_setParameter(ctx_.get(), ZSTD_d_windowLogMax, 27);
  }
  Status Feed(std::span<const std::byte> in, const Emit& emit) override {
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    while (ib.pos < ib.size || more_) {
      ZSTD_outBuffer ob{out_.data(), out_.size(), 0};
      size_t r = ZSTD_decompressStream(ctx_.get(), &ob, &ib);
      if (ZSTD_isError(r)) {
        return InputError("zstd: {} near input offset {}", ZSTD_getErrorName(r), in_total_ + ib.pos);
      }
      if (ob.pos) RETURN_IF_ERROR(emit(std::span(out_.data(), ob.pos)));
      frame_done_ = (r == 0);
      more_ = ob.pos == ob.size;  // output full: flush more before taking input
      if (!more_ && ib.pos == ib.size) break;
    }
    in_total_ += in.size();
    return Ok();
  }
  Status Finish() override {
    if (!frame_done_) return InputError("zstd: unexpected end of data at input offset {}", in_total_);
    return Ok();
  }

 private:
  std::vector<std::byte> out_;
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> ctx_;
  bool frame_done_ = false;
  bool more_ = false;
  uint64_t in_total_ = 0;
};

}  // namespace

std::unique_ptr<Decompressor> MakeDecompressor(Compression c, size_t out_chunk) {
  switch (c) {
    case Compression::kGzip:
      return std::make_unique<GzipDecompressor>(out_chunk);
    case Compression::kZstd:
      return std::make_unique<ZstdDecompressor>(out_chunk);
    case Compression::kNone:
      break;
  }
  return nullptr;
}

}  // namespace drydock
