package policy

import (
	"fmt"
	"strings"
)

// Spec is a policy as written: in component.toml's [capabilities] and
// [components.X] capabilities (the driver fills it from the manifest), or
// from `--allow/--deny/--stub` flags. New checks and compiles it.
type Spec struct {
	// Allow, Deny and Stub are the three lists. An Allow list makes every
	// import it does not allow denied. Stub entries deny, and replace what
	// they deny with generated stubs.
	Allow, Deny, Stub []Entry
	// Grants are per-member allow lists: a member with a grant may bring
	// in only what the grant matches, whatever the lists above allow.
	Grants []Grant
	// Virtual, when set, replaces wasi:cli/environment with a generated one.
	Virtual *Virtual
}

// Entry is one pattern and where it was written.
type Entry struct {
	Pattern string
	At      Source
}

// Grant is [components.NAME] capabilities = [...].
type Grant struct {
	Member   string
	At       Source // where the member's capabilities key is
	Patterns []Entry
}

// Virtual is [capabilities.virtual]: the environment, arguments and
// working directory the generated wasi:cli/environment returns, and
// nothing else. A nil Cwd means none (initial-cwd returns none).
type Virtual struct {
	Env  []EnvVar
	Args []string
	Cwd  *string
	At   Source
}

// EnvVar is one virtual environment variable.
type EnvVar struct {
	Key, Value string
	At         Source
}

// Source says where something in a policy was written, for messages: a
// place in a file (File, Line and Col, 1-based, of the first character of
// the value; Key the TOML key, e.g. capabilities.deny), or a command-line
// flag (Flag, e.g. --deny). The zero Source says nothing.
type Source struct {
	File      string
	Line, Col int
	Key       string
	Flag      string
}

// String renders s as a message prefix: "component.toml:12:9" or
// "--deny".
func (s Source) String() string {
	switch {
	case s.File != "" && s.Line > 0:
		return fmt.Sprintf("%s:%d:%d", s.File, s.Line, s.Col)
	case s.File != "":
		return s.File
	}
	return s.Flag
}

// at returns s moved offset bytes into the value it points at.
func (s Source) at(offset int) Source {
	if s.Line > 0 && offset > 0 {
		s.Col += offset
	}
	return s
}

// Error is one problem in a policy.
type Error struct {
	// At is where the problem is: for a bad pattern, the offending
	// character (for a flag, where the value starts; Offset then says
	// where in it).
	At Source
	// Text is the value the problem is in, as written.
	Text string
	// Offset is the byte offset of the problem in Text, -1 when the
	// problem is the whole value.
	Offset int
	Msg    string
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.At.File != "":
		b.WriteString(e.At.String())
		b.WriteString(": ")
		if e.At.Key != "" {
			b.WriteString(e.At.Key)
			b.WriteString(": ")
		}
		fmt.Fprintf(&b, "%q: ", e.Text)
	case e.At.Flag != "":
		fmt.Fprintf(&b, "%s %q", e.At.Flag, e.Text)
		if e.Offset > 0 {
			fmt.Fprintf(&b, " (at offset %d)", e.Offset)
		}
		b.WriteString(": ")
	default:
		fmt.Fprintf(&b, "%q", e.Text)
		if e.Offset > 0 {
			fmt.Fprintf(&b, " (at offset %d)", e.Offset)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem New found, in the order of the spec.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As reach each *Error.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}
