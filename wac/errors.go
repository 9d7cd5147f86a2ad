package wac

import (
	"strings"
)

// Error is a problem found at a place in a WAC document: a parse error or
// a resolution error. Error() is one line, `file:line:col: message`;
// Source() is the excerpt to show under it: the source line with carets
// under the span, then each note with its own. Print both, as compilers
// do:
//
//	app.wac:3:6: expected identifier, found keyword `u32`
//	 3 | type u32 = x;
//	   |      ^^^
type Error struct {
	File *File
	Span Span
	Msg  string
	// Err is the underlying cause, if any: why a package failed to decode,
	// why an argument's type does not fit.
	Err error
	// Notes point at related places: where a name was first defined, the
	// instantiation an implicit import came from.
	Notes []Note
}

// Note is a secondary position of an Error.
type Note struct {
	Span Span
	Msg  string
}

// Pos returns the position where the error starts.
func (e *Error) Pos() Position { return e.File.Position(e.Span.Start) }

func (e *Error) Error() string {
	s := e.Pos().String() + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Source returns the source excerpt of the error and of its notes.
func (e *Error) Source() string {
	var b strings.Builder
	b.WriteString(e.File.snippet(e.Span))
	for _, n := range e.Notes {
		b.WriteString("\n" + e.File.Position(n.Span.Start).String() + ": note: " + n.Msg + "\n")
		b.WriteString(e.File.snippet(n.Span))
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Format renders err as a user should see it: for an *Error or an
// ErrorList, each message followed by its source excerpt.
func Format(err error) string {
	var list ErrorList
	switch e := err.(type) {
	case *Error:
		return e.Error() + "\n" + e.Source()
	case ErrorList:
		list = e
	default:
		return err.Error()
	}
	parts := make([]string, len(list))
	for i, e := range list {
		parts[i] = Format(e)
	}
	return strings.Join(parts, "\n")
}
