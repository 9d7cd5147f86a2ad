// Package policy owns wcomp's capability policy: which imports of a
// composed component may reach the host, which members brought each one
// in, and the components wcomp generates to take the place of what is
// denied.
//
//   - Patterns and precedence (pattern.go, policy.go): a Spec as written
//     in component.toml's [capabilities] or given by --allow/--deny/--stub
//     is checked and compiled by New into a Policy, whose Decide gives the
//     verdict on one import of one member.
//   - Provenance (trace.go): for any component, composed by anyone, which
//     nested members import each of its imports, by which path, and which
//     imports a member needs only because another interface uses their
//     types. It reads only component-level sections.
//   - Enforcement (enforce.go): the verdict table for a composition, and
//     the generated members and wires that replace stubbed and virtual
//     imports. wcomp compose and wcomp build add them to their graph.
//   - Generators (stub.go, virtual.go): deny-stubs and the virtual
//     wasi:cli/environment, written by wcomp's own encoders
//     (internal/coremod, internal/cabi), so no external tool runs.
//
// The package is pure: bytes and types in, bytes and tables out.
package policy
