// Package compose links several components into one by writing a new
// component that embeds each member's bytes unchanged, imports what the
// members still need (merged, semver-unified, with types used across
// interfaces kept as the same types), instantiates the members in dependency
// order and re-exports what the root exports.
//
// It owns the encoding of a finished graph plan; the plan itself (who plugs
// into whom) comes from package graph. Code is never re-encoded: composing an
// 18 MB Python component costs little more than copying it. compose does no
// file or network I/O: bytes in, bytes out.
package compose
