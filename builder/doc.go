// Package builder turns one member of a wcomp project into a component: it
// runs the member's toolchain (Rust, Python, JS, Go or any command), takes
// prebuilt members from a file or a URL with a digest, wraps a core module
// into a component with the right WASI adapter, and decides from a hash of
// the member's inputs whether a build is needed at all.
//
// It knows nothing of component.toml: the project driver maps each
// [components.NAME] table onto a Spec. One file holds each toolchain
// (rust.go, python.go, js.go, golang.go, command.go, prebuilt.go), so the
// route a language takes, its defaults and its install hints sit together.
//
// Layout on disk (PLAN.md, contract 3): a Builder writes under the
// project's target/wcomp directory (members/NAME.wasm, fingerprints/NAME.json
// and build/NAME/ for scratch work) and keeps what toolchains need across
// projects in $XDG_CACHE_HOME/wcomp (toolchains/ and blobs/sha256/).
//
// A Builder is safe for concurrent use by builds of different members: each
// member has its own scratch directory and output file, and shared caches
// are filled under a file lock and renamed into place.
package builder
