// Package versionreq is the one place wcomp interprets version
// requirements: WIT dependencies ("wasi:cli" = "0.2.x"), registry members
// (version = "^1.2"), capability patterns and target worlds all go through
// it, so "which versions does this requirement admit" has one answer.
//
// The language is cargo's: comma-separated comparators that must all hold,
// each an optional operator (^ ~ = > >= < <=) and a version of one to three
// parts, where trailing parts may be wildcards (x, X, *). A bare version
// means ^, as in Cargo.toml: "0.2" admits 0.2.0 up to, not including, 0.3.0.
// npm's || and hyphen ranges, and the v prefix, are refused with a message
// rather than guessed at.
//
// Matching is Masterminds/semver/v3's, plus cargo's pre-release rule: a
// pre-release version matches only a requirement with a comparator that
// names a pre-release of the same MAJOR.MINOR.PATCH.
package versionreq
