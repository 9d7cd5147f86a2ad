// Package tomlsyntax is a concrete-syntax view of a TOML document: where
// every table header, key, value and array element sits in the text, and
// which key path each one defines.
//
// It exists because BurntSushi/toml decodes values but keeps positions to
// itself, and because editing a manifest while keeping its comments needs
// the same map of the text. It does not decide what is valid TOML: callers
// decode with BurntSushi/toml first and scan only what that accepted, so one
// parser is the authority on the language. On anything else Parse returns an
// error; it never panics.
package tomlsyntax
