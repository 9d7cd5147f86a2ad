// Package scaffold holds the templates of `wcomp new NAME --lang L`: for
// each language, the member's WIT world, a source file that implements it,
// the build files its toolchain expects, and the [components.NAME] entry
// for component.toml. Every template builds as it is with package builder
// into a component whose greet export answers a known string; the tests
// build and call each one with the real toolchains.
//
// The package only makes data and writes new files. Adding the entry to
// an existing component.toml is the manifest editor's job, and the
// commands are cmd/wcomp's.
package scaffold
