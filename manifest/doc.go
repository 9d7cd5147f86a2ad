// Package manifest reads component.toml, the project manifest of wcomp, into
// a typed model in which every value keeps its file:line:col.
//
// It is the first stage of the pipeline (manifest → resolve → build → graph
// → compose → check) and imports none of the later ones. Decoding is strict,
// in the manner of golang.org/x/mod/modfile: unknown keys, wrong types, bad
// names, versions, requirements, digests, paths and references are all
// reported at once, as an ErrorList of file:line:col messages, with a
// did-you-mean hint where a key or value looks like a typo.
//
// BurntSushi/toml decodes the TOML and is the authority on its syntax; the
// internal tomlsyntax package maps the same text to positions. What the
// strings of [compose] mean is graph/'s business: CheckCompose takes graph's
// parser as a function, so one parser serves both the manifest and the
// `wcomp compose` flags. component.toml.example at the repository root
// documents every key.
//
// The edit subpackage changes a manifest's text in place for `wcomp add`
// and `wcomp new`, keeping comments and layout.
package manifest
