package wac

import (
	"strings"
)

// Error is a problem found at a place in a WAC document: a parse error or
// a resolution error. Its message starts with file:line:col and shows the
// source line with carets under the span, as compilers do.
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
	var b strings.Builder
	b.WriteString(e.Pos().String())
	b.WriteString(": ")
	b.WriteString(e.Msg)
	// A one-line cause completes the message; a longer one (a tool's
	// report with its own snippet) follows the source line, indented.
	var cause string
	if e.Err != nil {
		cause = e.Err.Error()
		if !strings.Contains(cause, "\n") {
			b.WriteString(": " + cause)
			cause = ""
		}
	}
	if s := e.File.snippet(e.Span); s != "" {
		b.WriteByte('\n')
		b.WriteString(s)
	}
	if cause != "" {
		b.WriteString("\n    " + strings.ReplaceAll(strings.TrimRight(cause, "\n"), "\n", "\n    "))
	}
	for _, n := range e.Notes {
		b.WriteByte('\n')
		b.WriteString(e.File.Position(n.Span.Start).String())
		b.WriteString(": note: ")
		b.WriteString(n.Msg)
		if s := e.File.snippet(n.Span); s != "" {
			b.WriteByte('\n')
			b.WriteString(s)
		}
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }
