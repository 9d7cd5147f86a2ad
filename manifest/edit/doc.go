// Package edit changes a component.toml's text in place, for `wcomp add`
// and `wcomp new`: it adds or replaces a member table, sets a WIT
// dependency, appends to a list, and leaves every other byte alone, so the
// comments, blank lines and key order a user wrote survive.
//
// Every operation works on whichever layout the file uses for a table (a
// [header], dotted keys, or an inline { } table), and re-reads the result
// with BurntSushi/toml, so the text never stops being TOML. Whether the
// result is a valid manifest is manifest.Parse's to say: Editor.Parse runs
// it, and callers refuse to write a file it rejects.
package edit
