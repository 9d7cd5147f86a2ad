// Package capability is the syntax and meaning of capability patterns
// (`wasi:*`, `wasi:http/*`, `wasi:http/outgoing-handler@0.2.x`): parsing
// with offsets, matching an import name, and how specific a pattern is.
// It is the one place patterns are read: component.toml's checks
// (manifest) and the policy engine (policy) both use it.
package capability
