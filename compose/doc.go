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
// Members with identical bytes are one component, embedded once and
// instantiated once per member. Code is never re-encoded or parsed; each
// member's nested modules get only a framing check
// (component.CheckNestedFraming), so a truncated member is refused rather
// than embedded. Composing an 18 MB Python component costs little more
// than copying it. The output depends only on the inputs: the name section
// names the root member unless Options.Name says otherwise. compose does no file or network I/O: bytes
// in, bytes out; Result.WriteTo hands the members' bytes to the writer
// uncopied.
package compose
