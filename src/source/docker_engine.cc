// docker:NAME — the image as the local Docker Engine has it, streamed from
// GET /images/{name}/get (a docker-save tar) straight into the pipeline.
#include "base/path.h"
#include "engine/client.h"
#include "source/source.h"
#include "source/tar_stream.h"

namespace drydock {

namespace {

class DockerEngineSource final : public ImageSource {
 public:
  DockerEngineSource(EngineClient client, std::string name, SourceOptions opts)
      : client_(std::move(client)), name_(std::move(name)), opts_(std::move(opts)) {}

  Result<ImageInfo> Read(BlobSink& sink) override {
    const std::string what = "docker:" + Printable(name_);
    const std::string escaped = EscapeImageName(name_);
    if (auto r = client_.Get("/images/" + escaped + "/json"); !r.ok()) return r.error().Wrap(what);
    ASSIGN_OR_RETURN(auto body, client_.Stream("/images/" + escaped + "/get"));
    MemberLinks links;
    ASSIGN_OR_RETURN(auto meta, StreamDockerSave(*body, what, opts_.max_metadata_bytes, sink, &links));
    auto read = [&](const std::string& n) -> Result<std::string> {
      auto it = meta.find(n);
      if (it == meta.end()) return InputError("{}: {:?} missing from the engine's export", what, Printable(n));
      return it->second;
    };
    ASSIGN_OR_RETURN(ImageInfo info,
                     ResolveSaveArchive(read, meta.contains("manifest.json"), meta.contains("index.json"), opts_));
    RETURN_IF_ERROR(FollowMemberLinks(info, links));
    info.source_kind = "docker-engine";
    return info;
  }

 private:
  EngineClient client_;
  std::string name_;
  SourceOptions opts_;
};

}  // namespace

Result<bool> DockerEngineHasImage(const std::string& name, const SourceOptions& opts) {
  ASSIGN_OR_RETURN(EngineEndpoint ep, EngineEndpoint::Resolve(opts.docker_host));
  EngineClient client(std::move(ep));
  RETURN_IF_ERROR(client.Ping());
  return client.Get("/images/" + EscapeImageName(name) + "/json").ok();
}

Result<std::unique_ptr<ImageSource>> OpenDockerEngine(const std::string& name, const SourceOptions& opts) {
  ASSIGN_OR_RETURN(EngineEndpoint ep, EngineEndpoint::Resolve(opts.docker_host));
  EngineClient client(std::move(ep));
  if (auto s = client.Ping(); !s.ok()) return s.error().Wrap("docker:" + Printable(name));
  return std::unique_ptr<ImageSource>(std::make_unique<DockerEngineSource>(std::move(client), name, opts));
}

}  // namespace drydock
