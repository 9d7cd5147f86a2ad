package manifest

import (
	"errors"
	"fmt"
	"sort"
)

// MemberRef is a member named inside a [compose] string, at byte Offset of
// that string.
type MemberRef struct {
	Name   string
	Offset int
}

// ComposeParser parses one string of [compose] with the syntax of the
// `wcomp compose` flags, which graph/ owns: key is "wires", "imports" or
// "exports". It returns the members the string names (the INSTANCE parts),
// or an error, preferably a *SyntaxError that says where in the string the
// problem is.
type ComposeParser func(key, value string) ([]MemberRef, error)

// SyntaxError is a problem at byte Offset of a string value; a
// ComposeParser returns it so the message points inside the string.
type SyntaxError struct {
	Offset int
	Err    error
}

func (e *SyntaxError) Error() string { return e.Err.Error() }
func (e *SyntaxError) Unwrap() error { return e.Err }

// CheckCompose checks the strings of compose.wires, compose.imports and
// compose.exports with graph/'s parser: their syntax, and that every member
// they name is declared. Parse cannot do it alone, since the manifest, the
// first stage, must not import graph/; the driver calls it right after
// Parse. Like Parse, it returns an ErrorList of every problem.
func (f *File) CheckCompose(parse ComposeParser) error {
	var errs ErrorList
	add := func(pos Pos, key string, err error) {
		errs = append(errs, &Error{Filename: f.Filename, Pos: pos, Key: key, Err: err})
	}
	for _, l := range []struct {
		key  string
		list List
	}{{"wires", f.Compose.Wires}, {"imports", f.Compose.Imports}, {"exports", f.Compose.Exports}} {
		for i, s := range l.list.Items {
			key := fmt.Sprintf("compose.%s[%d]", l.key, i)
			refs, err := parse(l.key, s.Value)
			if err != nil {
				pos := s.Pos
				var se *SyntaxError
				if errors.As(err, &se) {
					pos = s.At(se.Offset)
				}
				add(pos, key, err)
				continue
			}
			for _, r := range refs {
				if err := unknownMember(f, r.Name); err != nil {
					add(s.At(r.Offset), key, err)
				}
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Pos.Offset < errs[j].Pos.Offset })
	return errs
}
