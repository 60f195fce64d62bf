// Paths inside an image. Every path the pipeline stores is "clean": absolute,
// '/'-separated, no "." or ".." components, no trailing slash, no NUL. Names
// from tar headers are untrusted, so cleaning is lexical and clamps at the
// root: "../../etc/passwd" becomes "/etc/passwd", never a path above it.
#pragma once

#include <string>
#include <string_view>

namespace drydock {

// Cleans a tar member name or link target into the form above. An empty
// result means the name had no components (e.g. "./"), i.e. the root "/".
std::string CleanPath(std::string_view name);

// Joins a directory and a relative link target, then cleans.
std::string JoinPath(std::string_view dir, std::string_view rel);

// "/a/b/c" -> "/a/b"; "/a" -> "/"; "/" -> "/".
std::string_view Dirname(std::string_view clean);
// "/a/b/c" -> "c".
std::string_view Basename(std::string_view clean);

// Shell-style glob match on a clean path: '*' matches within one component,
// '**' matches any number of components, '?' one character. Used by analyzers
// to declare the files they want.
bool GlobMatch(std::string_view pattern, std::string_view path);

// A printable rendering of an untrusted name for messages: non-UTF-8 and
// control bytes are escaped, and it is cut at `max` bytes.
std::string Printable(std::string_view s, size_t max = 200);

}  // namespace drydock
