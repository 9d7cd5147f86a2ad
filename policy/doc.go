// Package policy owns wcomp's capability policy: which imports of a
// composed component may reach the host, which members brought each one
// in, and the components wcomp generates to take the place of what is
// denied.
//
//   - Patterns and precedence (pattern.go, policy.go, spec.go, flags.go):
//     a Spec as written in component.toml's [capabilities] or given by
//     --allow/--deny/--stub/--grant is checked and compiled by New into a
//     Policy, whose Decide gives the verdict on one import of one member
//     and whose CheckImport is the run-time check (host.RunOptions).
//   - Provenance (trace.go): for any component, composed by anyone, which
//     nested members import each of its imports, by which path, and which
//     imports a member needs only because another interface uses their
//     types. Only component-level sections are read.
//   - Enforcement (enforce.go, report.go): a Composition (FromComponent
//     for any file, FromMembers for wcomp's own plans) is judged by Check
//     into a Report (the table and JSON of wcomp audit); Enforce and Plan
//     add the generated members and wires that serve stubbed and virtual
//     imports.
//   - Composition (graph.go): EnforceGraph is the engine `wcomp compose`
//     and `wcomp build` share. It judges the plan wcomp resolved (FromPlan:
//     each instance a member), refuses a violation before anything is
//     generated, adds the stubs and the virtual environment to the graph
//     wired only to the member imports they replace (graph.WiredOnly), and
//     resolves again. AuditPlan is a project's audit table.
//   - The manifest (manifest.go): FromManifest maps [capabilities] and the
//     members' capabilities onto a Spec, every entry with its
//     component.toml:LINE:COL.
//   - Generators (gen.go, stub.go, virtual.go): deny-stubs and the virtual
//     wasi:cli/environment, written by wcomp's own encoders
//     (internal/coremod, internal/cabi), so no external tool runs.
//
// The package is pure: bytes and types in, bytes and tables out.
package policy
