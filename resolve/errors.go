package resolve

import (
	"errors"
	"strings"
)

// Error is a resolution failure with the requirement path that led to it,
// as cmd/go's mvs reports `a@v1 requires b@v2: …`: Path[0] is the project
// (or a component), each later element a requirement it led to, e.g.
// ["example:service", "wasi:cli@0.2.x", "wasi:io@0.2.3"].
type Error struct {
	// Where is the position of the manifest entry (or WIT reference) the
	// path starts from, "component.toml:12:1"; empty if unknown.
	Where string
	Path  []string
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Where != "" {
		b.WriteString(e.Where + ": ")
	}
	for i, p := range e.Path {
		switch i {
		case 0:
		case 1:
			b.WriteString(" requires ")
		default:
			b.WriteString(", which requires ")
		}
		b.WriteString(p)
	}
	if len(e.Path) > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every resolution failure found, one per line: resolution
// goes on past the first, so a user fixes them all at once.
type ErrorList []error

func (l ErrorList) Error() string {
	var s []string
	for _, e := range l {
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}

func (l ErrorList) Unwrap() []error { return l }

// errOrNil returns nil for an empty list.
func (l ErrorList) errOrNil() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// ErrOffline is wrapped by the error for something that must be
// downloaded under --offline.
var ErrOffline = errors.New("--offline is set")

// DigestError is content whose digest differs from the one pinned: by the
// manifest, or by wcomp.lock. Both digests are named; the lock is never
// rewritten to hide it.
type DigestError struct {
	What     string // e.g. "https://example.com/logger.wasm"
	Got      string
	Want     string
	PinnedBy string // "wcomp.lock" or "component.toml"
	Hint     string
}

func (e *DigestError) Error() string {
	s := e.What + " has digest " + e.Got + ", but " + e.PinnedBy + " pins " + e.Want
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// LockedError is --locked refusing a lock that would change; Changes says
// how.
type LockedError struct {
	Changes []Change
}

func (e *LockedError) Error() string {
	var b strings.Builder
	b.WriteString(LockFile + " would change, but --locked is set:")
	for _, c := range e.Changes {
		b.WriteString("\n  " + c.String())
	}
	b.WriteString("\nrun without --locked (or `wcomp update`) to update it, and commit the result")
	return b.String()
}
