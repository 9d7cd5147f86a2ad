package project

import (
	"context"
	"net/http"

	"github.com/wcomp/wcomp/builder"
	"github.com/wcomp/wcomp/resolve"
)

// Options configure one build. The zero value builds with one job per CPU,
// reports nothing, and reads the environment of the process.
type Options struct {
	// Jobs is how many members build at once (`-j N`); 0 means the number
	// of CPUs.
	Jobs int
	// Locked fails the build if wcomp.lock would change (`--locked`).
	Locked bool
	// Offline forbids network access (`--offline`): what is not vendored
	// or cached is an error.
	Offline bool
	// Update re-resolves these WIT packages and components, ignoring what
	// the lock pins; UpdateAll re-resolves everything (`wcomp update`).
	Update    []string
	UpdateAll bool
	// Reporter receives the build's events; nil drops them.
	Reporter Reporter
	// Env is the environment toolchains run in, as os.Environ gives it;
	// nil means the process's own.
	Env []string
	// CacheDir is wcomp's cache ($XDG_CACHE_HOME/wcomp when empty):
	// toolchains and content-addressed downloads.
	CacheDir string
	// HTTPClient fetches url sources; nil means a default client.
	HTTPClient *http.Client
	// Registry resolves registry WIT packages and components (`ns:pkg` =
	// "REQ", package = …, oci = …); nil makes such a source an error that
	// says no registry is configured. Package registry implements it.
	Registry resolve.Registry
	// OCI fetches oci members for the builder; nil as for Registry.
	OCI builder.OCIFetcher
	// RemoteCache is the shared build cache ([cache] remote): a stale
	// member is looked up there by its inputs digest before it is built,
	// and what is built is stored there. nil turns it off
	// (`--no-remote-cache`, or no [cache] remote). Package registry
	// implements it over an OCI repository.
	RemoteCache RemoteCache
	// NoShareModules embeds every member unchanged, even where members
	// hold identical core modules (`--no-share-modules`); otherwise
	// [compose] share-modules decides (on by default).
	NoShareModules bool
	// Version is wcomp's version, recorded in the result's producers
	// section and in the composition's fingerprint.
	Version string
}

// RemoteCache is a store of built members' components shared between
// machines, keyed by the builder's inputs digest (Fingerprint.Inputs,
// the digest that decides Fresh here), so a checkout elsewhere with the
// same sources, WIT and toolchain finds what this one built.
type RemoteCache interface {
	// Fetch brings the component stored for member under inputs into a
	// local file, its digest verified, and returns the file and digest;
	// found is false when there is no entry. An error is an entry that
	// cannot be used (corrupt, another member's, unreachable): the driver
	// warns and builds.
	Fetch(ctx context.Context, member, inputs string) (path, digest string, found bool, err error)
	// Store uploads the component at path, built for member from inputs.
	// A failure is a warning: the build has its result.
	Store(ctx context.Context, member, inputs, path string) error
}
