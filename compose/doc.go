// Package compose encodes a graph.Plan into one component: it imports
// what the plan says (merged types written through component.TypeEncoder,
// types used across interfaces kept as the same types), embeds each
// member's bytes unchanged, instantiates the members in the plan's order
// and exports what the plan exports.
//
// Encode only reads the plan; every decision about the composition is
// graph.Resolve's, and encoding one plan twice gives the same bytes.
// Compose is the whole pipeline for members given as bytes (what `wcomp
// compose` and `wcomp build` use): decode, build the graph from Options,
// resolve, encode.
//
// Members with identical bytes are one component, embedded once and
// instantiated once per member. Nested core modules and components that
// graph.Resolve found identical (Plan.Shared) are written once, before the
// members, and each place they stood becomes an outer alias
// (component.ReplaceNested): only such a member is copied, with every
// other byte as it was; the rest are spliced in uncopied. Code is never re-encoded or parsed; each
// member's nested modules get only a framing check
// (component.CheckNestedFraming), so a truncated member is refused rather
// than embedded. Composing an 18 MB Python component costs little more
// than copying it. The output depends only on the inputs: the name section
// names the root member unless Options.Name says otherwise. compose does
// no file or network I/O: bytes in, bytes out; Result.WriteTo hands the
// members' bytes to the writer uncopied. Members are spliced into the
// output as chunks (output.go), so a later pass may hand the writer a
// member rewritten in parts rather than its original bytes.
package compose
