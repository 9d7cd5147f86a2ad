package resolve

import (
	"context"
	"errors"
)

// Inputs is what resolution starts from. The project driver maps
// component.toml onto it; resolve does not read the manifest.
type Inputs struct {
	// Project names the root of "why" paths: the [package] name, e.g.
	// "example:service".
	Project string
	// Dir is the project directory. Relative paths in sources are
	// relative to it.
	Dir string
	// WITDir is the project's WIT directory ([wit] dir), relative to Dir
	// or absolute. The references of the package it declares are
	// requirements too, and deps/ in it is where resolved packages are
	// vendored. Empty: the project has no WIT of its own.
	WITDir string
	// WIT lists [wit.dependencies], in manifest order.
	WIT []WITDependency
	// Components lists the prebuilt and remote members.
	Components []ComponentSource
}

// WITDependency is one [wit.dependencies] entry. Exactly one source: Path,
// URL, or neither (a registry package, with Version as the requirement).
type WITDependency struct {
	// Name is the package, ns:name, as the manifest key gives it.
	Name string
	// Path is a directory holding the package's .wit files, and perhaps a
	// deps/ of its own whose packages come along (as wit-deps does).
	Path string
	// URL is a tarball (.tar.gz or .tar) of such a directory; SHA256 its
	// expected digest (64 hex digits or sha256:…; optional, the lock pins
	// it anyway); Subdir the directory inside the archive that holds the
	// package (default: "wit" if the archive has one, else its root; a
	// single top-level directory, as GitHub archives have, is stripped
	// first).
	URL, SHA256, Subdir string
	// Version is a cargo-style requirement (internal/versionreq): for a
	// registry package, which versions may be chosen; for a path or URL,
	// what the package found there must declare (optional).
	Version string
	// Where is the entry's position, "component.toml:12:1", put in front
	// of errors about it.
	Where string
}

// ComponentSource is a prebuilt or remote member. Exactly one source:
// Path; URL with Digest; OCI; or Package with Version.
type ComponentSource struct {
	Name string
	// Path is a component file.
	Path string
	// URL is fetched over HTTP(S) and must have Digest (sha256:…).
	URL, Digest string
	// OCI is a reference such as ghcr.io/acme/logger:1.2.0.
	OCI string
	// Package (ns:name) and Version (a requirement) name a component in a
	// registry.
	Package, Version string
	Where            string
}

// Fetcher downloads URLs. The real one is HTTPFetcher; progress display
// and retries belong to the implementation.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// Registry is a package registry: where ns:name packages (WIT packages and
// components) are published by version, and where OCI references are
// pulled from. The registry package implements it over OCI (namespace →
// registry mapping, wkg's layout); tests use fakes.
type Registry interface {
	// Locate names, without network access, where package pkg (ns:name)
	// is published, e.g. "ghcr.io/webassembly/wasi/cli". It identifies the
	// source in wcomp.lock, so a changed mapping re-resolves. It fails
	// for a namespace no registry is configured for.
	Locate(pkg string) (string, error)
	// Versions lists the published versions of pkg. Tags that are not
	// semantic versions may be included; they are ignored.
	Versions(ctx context.Context, pkg string) ([]string, error)
	// Fetch returns pkg at an exact version: a WIT package in its binary
	// encoding, or a component. An unknown package or version gives an
	// error wrapping ErrNotFound.
	Fetch(ctx context.Context, pkg, version string) (*Blob, error)
	// Pull returns the component at an OCI reference.
	Pull(ctx context.Context, ref string) (*Blob, error)
}

// Blob is content from a registry.
type Blob struct {
	Data []byte
	// Digest is the sha256: of Data (for OCI, the wasm layer's digest).
	// resolve checks it.
	Digest string
	// Manifest is the OCI manifest's digest, if there is one.
	Manifest string
}

// ErrNotFound is wrapped by a Registry's error for a package, version or
// reference it does not have.
var ErrNotFound = errors.New("not found")

// Store is the content-addressed cache of downloads ($XDG_CACHE_HOME/
// wcomp/blobs). Resolution looks there before any network access, which
// is what lets --offline builds work once everything has been fetched.
type Store interface {
	// Lookup returns the path of the blob with digest d (sha256:…), or an
	// error wrapping fs.ErrNotExist. The store verified the content when
	// it was put.
	Lookup(d string) (string, error)
	// Put stores data, whose digest d the caller has checked, and returns
	// its path.
	Put(d string, data []byte) (string, error)
}

// Options are the lock and network policy of one resolution.
type Options struct {
	// Lock is the current wcomp.lock (nil: none). Versions and digests it
	// pins are kept unless the manifest no longer allows them or Update
	// names them.
	Lock *Lock
	// Locked fails resolution if the lock would change (--locked).
	Locked bool
	// Offline forbids network access (--offline): what is not vendored or
	// in the Store is an error.
	Offline bool
	// Update names the WIT packages (ns:name) and components to resolve
	// afresh, ignoring the lock (`wcomp update NAME…`); UpdateAll does so
	// for everything (`wcomp update`).
	Update    []string
	UpdateAll bool
}

// Env is the I/O resolution may do. Fetcher and Registry may be nil when
// the inputs need none; Store may be nil (nothing is cached).
type Env struct {
	Fetcher  Fetcher
	Registry Registry
	Store    Store
}
