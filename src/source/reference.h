// Image references as the docker CLI reads them (distribution/reference's
// ParseNormalizedNamed + the docker.io defaults): "alpine" is
// docker.io/library/alpine:latest, "index.docker.io/x/y" is docker.io/x/y,
// "127.0.0.1:5000/app@sha256:…" names a registry with a port and a digest.
// Input is untrusted (a command line, a compose file): every error names the
// reference and says what is wrong with it.
#pragma once

#include <string>
#include <string_view>

#include "base/digest.h"
#include "base/result.h"

namespace drydock {

struct Reference {
  std::string registry;    // "docker.io", "ghcr.io", "127.0.0.1:5000", "localhost:5000", "[::1]:5000"
  std::string repository;  // "library/alpine", "org/app" (lower case, as the grammar requires)
  std::string tag;         // "3.19"; empty when none was given
  Digest digest;           // set for "@sha256:…"; both tag and digest may be set

  // The form docker prints: "docker.io/library/alpine:3.19",
  // "127.0.0.1:5000/app@sha256:…", "ghcr.io/o/a:1.4@sha256:…".
  std::string str() const;
  // What to ask the registry for: the digest when there is one, else the
  // tag, else "latest".
  std::string manifest_ref() const;
  // The host the API lives on: "registry-1.docker.io" for docker.io, else
  // `registry`.
  std::string api_host() const;
  // True for localhost, 127.0.0.0/8 and ::1 (with or without a port):
  // registries that may speak plain HTTP without --insecure-registry, as
  // Docker allows.
  bool is_loopback() const;
};

// Parses a reference exactly as `docker pull` does: the first component is
// a registry when there is a '/' after it and it contains '.' or ':', is
// "localhost", or has upper case (namespaces cannot), else the registry is
// docker.io and one-component names get "library/"; "index.docker.io" is
// docker.io. Registries are host names ([A-Za-z0-9] components, inner
// '-'), IPv4 or bracketed IPv6 ("[::1]", no zones), with an optional
// ":<digits>" port; their case is kept. Path components are [a-z0-9]+
// joined by '.', '_', '__' or '-'+; tags are [A-Za-z0-9_][A-Za-z0-9_.-]{0,127};
// digests "sha256:<64 lower-case hex>" only (other algorithms are refused
// with a message saying so); the repository (without the registry, with
// "library/") is at most 255 characters, as distribution/reference has
// checked since v0.6. Upper-case repository names, empty components, a
// whole reference of 64 hex digits (an image ID), "://" schemes and
// whitespace are errors. One deliberate difference: where docker takes a
// first component that is not a valid host ("foo_bar.com/x") as part of a
// registry-less name and then fails to pull, this is a parse error.
// Thread-safe; linear in the input.
Result<Reference> ParseReference(std::string_view s);

}  // namespace drydock
