package project

import (
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
	// NoShareModules embeds every member unchanged, even where members
	// hold identical core modules (`--no-share-modules`); otherwise
	// [compose] share-modules decides (on by default).
	NoShareModules bool
	// Version is wcomp's version, recorded in the result's producers
	// section and in the composition's fingerprint.
	Version string
}
