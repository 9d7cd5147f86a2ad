package manifest

import (
	"errors"
	"fmt"
	"strings"
)

// Error is one problem in a manifest, at a place and a key.
type Error struct {
	Filename string
	Pos      Pos    // the zero Pos when the error is about the whole file
	Key      string // dotted TOML key, e.g. components.validator.language
	Err      error
}

// Errorf makes an Error at pos; later stages use it to report a problem
// with a manifest value (a failed member build, a missing world) at the
// place the value was written.
func Errorf(pos Pos, key, format string, args ...any) *Error {
	return &Error{Filename: pos.Filename, Pos: pos, Key: key, Err: fmt.Errorf(format, args...)}
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Filename)
	if e.Pos.IsValid() {
		fmt.Fprintf(&b, ":%d:%d", e.Pos.Line, e.Pos.Col)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every problem found in a manifest, in file order. It prints
// one file:line:col: message per line.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.Is and errors.As see each error.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// errNotFound is returned, wrapped, by Find when no directory up from the
// start holds a component.toml.
var errNotFound = errors.New("no " + FileName + " found")

// IsNotFound reports whether err says no manifest was found.
func IsNotFound(err error) bool { return errors.Is(err, errNotFound) }
