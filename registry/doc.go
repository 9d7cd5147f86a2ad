// Package registry publishes and fetches WebAssembly components and WIT
// packages through OCI registries, in the CNCF TAG-Runtime Wasm artifact
// layout that wkg writes and reads.
//
// The layout (artifact.go) is pure: Build turns component bytes and package
// metadata into a manifest, a config and one layer, and the same inputs
// always give the same manifest digest (`created` comes from
// SOURCE_DATE_EPOCH or the last commit, never the clock), and annotation
// sections the component carries fill what the metadata leaves out. Pull
// checks what it fetches against the layout (layout.go) and, for a manifest
// of another kind, says what it is: a container image, a Spin app, a Helm
// chart.
//
// Push, Pull, Versions and ResolveVersion work over oras-go's narrow
// interfaces (oras.Target, oras.ReadOnlyTarget, registry.TagLister), so a
// remote repository and an OCI image layout on disk both serve. Client makes the
// remote repositories: credentials (WCOMP_REGISTRY_USER/PASSWORD, Docker's
// config.json and credential helpers), bounded retries with backoff,
// timeouts, and plain HTTP only to loopback or when asked (--insecure).
// Pulled blobs are verified and land in the shared content-addressed cache
// (internal/blobcache). Source adapts all of it to resolve.Registry.
//
// Names (names.go) map a package, ns:name@version, to a reference the way
// wkg does, <registry>/<prefix><ns>/<name>:<version>, through the project's
// [registries] first and wkg's own config.toml after.
package registry
