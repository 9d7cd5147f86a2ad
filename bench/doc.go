// Package bench measures composition (issue #3): `go test -bench .` times
// compose.Compose on the seed (an 18 MB componentize-py consumer plugged
// with a Rust provider), and compare.sh sets wcomp against `wac plug` and
// against plain `cp` of the same bytes.
package bench
