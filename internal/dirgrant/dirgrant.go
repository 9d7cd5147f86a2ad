// Package dirgrant is the one parser of a directory grant,
// HOST::GUEST[:ro]: the syntax of `wcomp run --dir` and of [run] dirs in
// component.toml, so the flag and the manifest accept the same strings.
package dirgrant

import "strings"

// Grant is a host directory, the path the guest sees it at, and whether
// the guest may only read it.
type Grant struct {
	Host, Guest string
	ReadOnly    bool
}

// SyntaxError says what is wrong with a grant, at a byte offset in it.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse reads HOST::GUEST, with :ro for read-only (files and the
// directory can be read, nothing created or written) or :rw to say
// read-write explicitly. A bare DIR[:ro] is granted at the same path.
func Parse(s string) (Grant, error) {
	g := Grant{}
	rest := s
	if r, ok := strings.CutSuffix(rest, ":ro"); ok {
		rest, g.ReadOnly = r, true
	} else if r, ok := strings.CutSuffix(rest, ":rw"); ok {
		rest = r
	}
	hostDir, guest, ok := strings.Cut(rest, "::")
	if !ok {
		guest = hostDir
	}
	switch {
	case hostDir == "":
		return Grant{}, &SyntaxError{Msg: `expected HOST::GUEST[:ro], e.g. "data::/data", or DIR[:ro] for the same path; the host directory is empty`}
	case guest == "":
		return Grant{}, &SyntaxError{Offset: len(hostDir) + 2, Msg: `expected HOST::GUEST[:ro], e.g. "data::/data"; the guest directory is empty`}
	case strings.Contains(guest, "::"):
		return Grant{}, &SyntaxError{Offset: len(hostDir) + 2, Msg: "expected one '::' between the host and guest directories"}
	}
	g.Host, g.Guest = hostDir, guest
	return g, nil
}
