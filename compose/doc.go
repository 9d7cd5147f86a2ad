// Package compose links several components into one by writing a new
// component that embeds each member's bytes unchanged, imports what the
// members still need (merged, semver-unified, with types used across
// interfaces kept as the same types), instantiates the members in dependency
// order and re-exports what the root exports.
//
// It owns the encoding of a finished graph plan; the plan itself (who plugs
// into whom) comes from package graph, and type definitions are written by
// component.TypeEncoder. Two rules of the component model shape the result
// beyond the plan, and Result.Notes reports both:
//   - an import may use only types of other imports, so an auto-plugged link
//     whose types a remaining import uses is left unplugged (see unplug.go);
//   - a chosen subset of exports is completed with the sibling exports whose
//     types it uses, so `use` between exported interfaces survives
//     (exports.go).
//
// Code is never re-encoded: composing an 18 MB Python component costs
// little more than copying it. compose does no file or network I/O: bytes
// in, bytes out; Result.WriteTo hands the members' bytes to the writer
// uncopied.
package compose
