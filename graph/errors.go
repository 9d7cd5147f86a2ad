package graph

import (
	"fmt"
	"strings"
)

// ErrorList is several errors found by one step of Resolve, reported
// together (as cmd/go's mvs does) so a user fixes them in one go. It
// prints one error per line and unwraps to its elements, so errors.As
// finds any of them.
type ErrorList []error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error { return l }

// err returns nil, the one error, or the list.
func (l ErrorList) err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	}
	return l
}

// pathPrefix renders a path from the root as a message prefix: `root → a:
// `. A one-element path is the instance itself.
func pathPrefix(path []string, instance string) string {
	if len(path) > 1 {
		return joinPath(path) + ": "
	}
	return instance + ": "
}

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
	Path       []string
}

func (e *AmbiguousError) Error() string {
	names := make([]string, len(e.Candidates))
	for i, c := range e.Candidates {
		names[i] = c.String()
	}
	return fmt.Sprintf("%simport %q: ambiguous providers %s; wire it explicitly",
		pathPrefix(e.Path, e.Consumer), e.Import, strings.Join(names, " and "))
}

// MissingExportError reports an argument, or an export of the result,
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

// MissingImportError reports an argument for an import the consumer does
// not have.
type MissingImportError struct {
	Instance  string
	Component string
	Import    string
}

func (e *MissingImportError) Error() string {
	return fmt.Sprintf("instance %s (component %s) has no import %q", e.Instance, e.Component, e.Import)
}

// MissingArgError reports an import of an instance under FillNone that
// was given no argument.
type MissingArgError struct {
	Instance  string
	Component string
	Import    string
	Path      []string
}

func (e *MissingArgError) Error() string {
	return fmt.Sprintf("%simport %q of component %s has no argument", pathPrefix(e.Path, e.Instance), e.Import, e.Component)
}

// ImplicitImportConflictError reports an import that FillImport would make
// an import of the result, where an explicit import of that name (or a
// semver-compatible one) already is one.
type ImplicitImportConflictError struct {
	Instance  string
	Component string
	Import    string
	Explicit  string
}

func (e *ImplicitImportConflictError) Error() string {
	return fmt.Sprintf("%s (component %s) would import %q implicitly, but it conflicts with the explicit import %q; pass the explicit import as its argument",
		e.Instance, e.Component, e.Import, e.Explicit)
}

// LinkError reports an argument whose type is not a subtype of the
// consumer's import. Err is the subtype error, which carries the path into
// the type; Path is the way from the root to the consumer.
type LinkError struct {
	Consumer string
	Import   string
	From     string // the source, as in messages: `p.x`, `instance p`, `import x`
	Path     []string
	Err      error
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("%s%s ← %s: %v", pathPrefix(e.Path, e.Consumer), e.Import, e.From, e.Err)
}

func (e *LinkError) Unwrap() error { return e.Err }

// ImportResourceError reports an explicit argument that cannot stand: an
// import of the result uses a resource of the consumer's import, so that
// import must come from outside too, but the user wired it to an
// instance. (An auto-plugged link is unplugged instead, with a Note.)
type ImportResourceError struct {
	Consumer string
	Import   string
	From     string
	// User is the import of the result that uses the resource, e.g.
	// `app.wasi:io/streams@0.2.6` or `import wasi:io/streams@0.2.6`.
	User     string
	Resource string
	Path     []string
}

func (e *ImportResourceError) Error() string {
	return fmt.Sprintf("%s%s is wired to %s, but %s, which stays an import of the result, uses its resource `%s`; "+
		"an import of the result can use only resources of other imports: give %s an argument inside the composition too, or drop the wire",
		pathPrefix(e.Path, e.Consumer), e.Import, e.From, e.User, e.Resource, e.User)
}

// ImportConflictError reports two instances' imports that must be one
// import of the result but whose types cannot be merged.
type ImportConflictError struct {
	Import               string
	First, FirstImport   string
	Second, SecondImport string
	Err                  error
}

func (e *ImportConflictError) Error() string {
	return fmt.Sprintf("import %s: %s imports %q and %s imports %q: %v", e.Import, e.First, e.FirstImport, e.Second, e.SecondImport, e.Err)
}

func (e *ImportConflictError) Unwrap() error { return e.Err }

// ImportCycleError reports imports of the result whose types use each
// other, which no order of imports can write.
type ImportCycleError struct {
	Imports []string
}

func (e *ImportCycleError) Error() string {
	return "imports use each other's types in a cycle: " + strings.Join(e.Imports, ", ")
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
