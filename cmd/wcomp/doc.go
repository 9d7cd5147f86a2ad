// Command wcomp builds, inspects and composes WebAssembly components.
//
// This package is the command line only: flags, help texts, output and exit
// codes (0 success, 1 failure, 2 command-line error). Each subcommand lives
// in its own file (inspect.go, wit.go, …) and calls into the library
// packages; main.go only calls Run.
package main
