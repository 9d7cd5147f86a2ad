package graph

import (
	"fmt"
	"strings"
)

// CycleError reports instances that depend on one another in a loop.
// Path lists instance names from the first to itself again, consumer before
// provider: `a → b → a` means a imports from b and b from a.
type CycleError struct {
	Path []string
	// Links names the import taken at each step, one fewer than Path.
	Links []string
}

func (e *CycleError) Error() string {
	var b strings.Builder
	b.WriteString("cycle: ")
	b.WriteString(strings.Join(e.Path, " → "))
	if len(e.Links) > 0 {
		b.WriteString(" (")
		for i, l := range e.Links {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s imports %s from %s", e.Path[i], l, e.Path[i+1])
		}
		b.WriteString(")")
	}
	return b.String()
}

// Candidate is one instance export that could plug an import.
type Candidate struct {
	Instance string
	Export   string
}

func (c Candidate) String() string { return c.Instance + "." + c.Export }

// AmbiguousError reports an import that more than one instance could plug.
// It is resolved by wiring the import explicitly.
type AmbiguousError struct {
	Consumer   string
	Import     string
	Candidates []Candidate // sorted by instance insertion order
}

func (e *AmbiguousError) Error() string {
	names := make([]string, len(e.Candidates))
	for i, c := range e.Candidates {
		names[i] = c.String()
	}
	return fmt.Sprintf("%s: import %q: ambiguous providers %s; wire it explicitly",
		e.Consumer, e.Import, strings.Join(names, " and "))
}

// MissingExportError reports an explicit wire, or a chosen result export,
// that names an export the instance does not have.
type MissingExportError struct {
	Instance  string
	Component string
	Export    string
	// Similar lists semver-compatible exports of the instance, as hints.
	Similar []string
}

func (e *MissingExportError) Error() string {
	msg := fmt.Sprintf("instance %s (component %s) has no export %q", e.Instance, e.Component, e.Export)
	if len(e.Similar) > 0 {
		msg += fmt.Sprintf(" (it has %s)", strings.Join(quoteAll(e.Similar), ", "))
	}
	return msg
}

// MissingImportError reports an explicit wire to an import the consumer
// does not have.
type MissingImportError struct {
	Instance  string
	Component string
	Import    string
}

func (e *MissingImportError) Error() string {
	return fmt.Sprintf("instance %s (component %s) has no import %q", e.Instance, e.Component, e.Import)
}

// LinkError reports a link whose provider export is not a subtype of the
// consumer's import. Err is the subtype error, which carries the path into
// the type.
type LinkError struct {
	Consumer string
	Import   string
	Provider string
	Export   string
	Err      error
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("%s.%s ← %s.%s: %v", e.Consumer, e.Import, e.Provider, e.Export, e.Err)
}

func (e *LinkError) Unwrap() error { return e.Err }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
