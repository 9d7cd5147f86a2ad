// Package bench measures composition: `go test -bench .` times
// compose.Compose on the seed (an 18 MB componentize-py consumer plugged
// with a Rust provider), auto-plugged and said explicitly, and the graph's
// share; compare.sh sets wcomp against `wac plug` and against plain `cp`
// of the same bytes, in the same run. Shared core modules (issue #14):
// share.sh prints output size, compose time and Wasmtime's first compile
// of two and three Python members with sharing against without, and
// BenchmarkComposeShared and BenchmarkCompileShared (the embedded engine,
// cache off) measure the same in-process.
package bench
