// Package project drives a whole wcomp build, so that cmd/wcomp stays flags
// and output. It is the one package that sees every stage:
//
//	manifest → resolve (WIT deps vendored, wcomp.lock) → build members
//	(builder, in parallel) → graph ([compose] or a WAC document) →
//	[capabilities] (policy.EnforceGraph) → compose → target check →
//	target/<name>.wasm
//
// Load reads and checks component.toml (the [compose] strings through
// graph's parser, [capabilities] through policy.FromManifest). The policy
// is judged on the resolved graph, member by member, before anything is
// encoded: a violation is a *PolicyError (the verdict table, and an error
// at each rule that refuses), and the stubs and virtual environment it
// asks for are added to the graph. Project.Audit is `wcomp audit` of the
// project; Project.RunGrants what `wcomp run` grants from [run] and the
// policy. Project.Build runs the pipeline under a file lock on
// target/wcomp/.lock, so two builds in one project take turns instead of
// corrupting target/. Members build as soon as what they read is in place
// (their WIT vendored), at most Options.Jobs at a time; composition starts
// when all are ready. A build whose inputs are unchanged does nothing: each
// member has its fingerprint (builder), and the composition its own
// (target/wcomp/compose.json, the policy included), so a no-op build reads files and hashes them,
// and runs no toolchain and no encoder.
//
// Progress is a typed stream of Events handed to a Reporter, one at a time;
// rendering them (cargo-style status lines, JSON) is the caller's business.
// Errors about a manifest value are positioned at its key
// (manifest.Errorf), so a failed member build names component.toml:LINE:COL,
// the member and its toolchain.
//
// The layout on disk is PLAN.md's contract 3: target/wcomp/members/NAME.wasm,
// target/wcomp/fingerprints/NAME.json, target/wcomp/.lock, and the result at
// target/<package name after ':'>.wasm; wcomp.lock beside component.toml.
package project
