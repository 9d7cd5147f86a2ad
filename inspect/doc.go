// Package inspect summarizes a component's imports and exports for people
// (a lipgloss table) and for programs (JSON).
//
// Summarize reads a resolved component type into a Summary: one entry per
// import and export with its kind, its parsed interface name and version,
// and a short description of its type. Table renders it for a terminal,
// with colour or as plain text. The package owns no I/O: the CLI decides
// where output goes and whether it is a terminal.
package inspect
