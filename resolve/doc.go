// Package resolve turns a project's sources into pinned inputs, and owns
// wcomp.lock.
//
// Resolve takes Inputs (the [wit.dependencies] and prebuilt or remote
// members of component.toml, mapped by the driver onto resolve's own
// types) and chooses, for every WIT package reachable from them and from
// the project's own WIT, one version and one source; for every component,
// its bytes. It is pure code over interfaces, like cmd/go's mvs: URLs
// through a Fetcher (HTTPFetcher is the real one), packages and OCI
// references through a Registry (the registry package implements it),
// downloads through a content-addressed Store. Only path sources and the
// vendored deps/ are read from disk directly.
//
// Requirements are cargo's (internal/versionreq): a manifest requirement
// takes the highest matching version, unless the lock pins one that still
// matches, or the project's own WIT names an exact one. References inside
// WIT are exact (WIT has no ranges): a package is taken from what is
// chosen already, from a source's bundled deps/, or from the registry.
// Errors carry the requirement path: `example:service requires
// wasi:cli@0.2.x (chose 0.2.3), which requires wasi:io@0.2.3: …`.
//
// The lock (Lock, ReadLock, Write) pins members (inputs fingerprint,
// artifact digest, toolchain), components (source, digest) and WIT
// packages (version, source, h1: hash of the vendored files, sha256: of
// downloads), in a deterministic order. Content that does not match a
// pinned digest is an error naming both; the lock is never rewritten to
// hide it. Options.Locked makes any change an error, Options.Offline
// forbids the network, Options.Update re-resolves named entries.
// RecordMember decides what a member's build means for the lock.
package resolve
