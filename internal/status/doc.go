// Package status renders the events of a project build (package project)
// for people and for programs: Printer writes cargo's status lines
// (`   Compiling validator (rust)`, `       Fresh business (python)`,
// `    Finished target/service.wasm in 41.2s`), verbs right-aligned and
// styled with lipgloss, with a spinner and elapsed times for toolchains
// that run longer than a second on a terminal; JSON writes one object per
// event for `--message-format json`.
//
// Toolchain output is held back unless a member fails or Verbose is set.
// Whether there is a terminal and whether colour is wanted (NO_COLOR) is
// the caller's decision; this package only draws.
package status
