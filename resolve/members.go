package resolve

import (
	"bytes"
	"fmt"
	"os"
)

// RecordMember puts a member's build into the lock. built carries the
// member's source, toolchain, inputs fingerprint and artifact digest.
//
//   - A new member, or one whose source, toolchain or inputs changed,
//     gets its entry replaced: a change to the lock, which --locked
//     (locked) refuses with a *LockedError.
//   - Unchanged inputs that gave the same digest change nothing.
//   - Unchanged inputs that gave a different digest mean the toolchain is
//     not reproducible. That is reported, never hidden: under --locked it
//     is an error naming both digests (a *DigestError; CI must not ship an
//     artifact other than the one pinned), otherwise a warning, returned
//     for the driver to print, and the entry takes the new digest.
func (l *Lock) RecordMember(built LockedMember, locked bool) (warning string, err error) {
	old := l.Member(built.Name)
	if old != nil && *old == built {
		return "", nil
	}
	if old != nil && old.Source == built.Source && old.Toolchain == built.Toolchain && old.Inputs == built.Inputs {
		d := &DigestError{What: "member " + built.Name + " (built from unchanged inputs " + built.Inputs + ")", Got: built.Digest, Want: old.Digest, PinnedBy: LockFile,
			Hint: "its toolchain is not reproducible"}
		if locked {
			return "", d
		}
		l.SetMember(built)
		return d.Error() + "; " + LockFile + " now records the new digest", nil
	}
	if locked {
		var before *Lock
		if old != nil {
			before = &Lock{Members: []LockedMember{*old}}
		}
		return "", &LockedError{Changes: Diff(before, &Lock{Members: []LockedMember{built}})}
	}
	l.SetMember(built)
	return "", nil
}

// Save writes the lock to path if its text differs from what is there,
// and reports whether it wrote. The driver calls it once a build is done,
// never under --locked.
func (l *Lock) Save(path string) (bool, error) {
	data, err := l.Format()
	if err != nil {
		return false, err
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return false, nil
	}
	if err := l.Write(path); err != nil {
		return false, fmt.Errorf("updating the lock: %w", err)
	}
	return true, nil
}
