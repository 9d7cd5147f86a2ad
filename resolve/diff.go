package resolve

import (
	"fmt"
	"strings"
)

// Change is one difference between two locks.
type Change struct {
	// Op is '+' (added), '-' (removed) or '~' (changed).
	Op byte
	// Kind is "member", "component" or "wit"; Name the entry (name@version
	// for WIT packages).
	Kind, Name string
	// Detail says what changed: "digest sha256:… → sha256:…".
	Detail string
}

func (c Change) String() string {
	s := string(c.Op) + " " + c.Kind + " " + c.Name
	if c.Detail != "" {
		s += ": " + c.Detail
	}
	return s
}

// Diff lists how new differs from old (either may be nil), in the lock's
// order: members, components, WIT packages, each by name.
func Diff(old, new *Lock) []Change {
	if old == nil {
		old = &Lock{}
	}
	if new == nil {
		new = &Lock{}
	}
	var out []Change
	out = append(out, diffEntries("member", old.Members, new.Members,
		func(m LockedMember) string { return m.Name },
		func(a, b LockedMember) string {
			return fields([]field{{"source", a.Source, b.Source}, {"toolchain", a.Toolchain, b.Toolchain}, {"inputs", a.Inputs, b.Inputs}, {"digest", a.Digest, b.Digest}})
		})...)
	out = append(out, diffEntries("component", old.Components, new.Components,
		func(c LockedComponent) string { return c.Name },
		func(a, b LockedComponent) string {
			return fields([]field{{"source", a.Source, b.Source}, {"version", a.Version, b.Version}, {"digest", a.Digest, b.Digest}, {"manifest", a.Manifest, b.Manifest}})
		})...)
	out = append(out, diffEntries("wit", old.WIT, new.WIT,
		func(w LockedWIT) string { return w.ID() },
		func(a, b LockedWIT) string {
			return fields([]field{{"source", a.Source, b.Source}, {"digest", a.Digest, b.Digest}, {"hash", a.Hash, b.Hash},
				{"dependencies", strings.Join(a.Dependencies, " "), strings.Join(b.Dependencies, " ")}})
		})...)
	return out
}

type field struct{ name, old, new string }

func fields(fs []field) string {
	var parts []string
	for _, f := range fs {
		if f.old == f.new {
			continue
		}
		o, n := f.old, f.new
		if o == "" {
			o = "(none)"
		}
		if n == "" {
			n = "(none)"
		}
		parts = append(parts, fmt.Sprintf("%s %s → %s", f.name, o, n))
	}
	return strings.Join(parts, ", ")
}

func diffEntries[T any](kind string, old, new []T, key func(T) string, differ func(a, b T) string) []Change {
	oldBy := map[string]T{}
	for _, e := range old {
		oldBy[key(e)] = e
	}
	newBy := map[string]bool{}
	var out []Change
	// Walk both in order, so the result follows the lock's order.
	for _, e := range new {
		k := key(e)
		newBy[k] = true
		o, ok := oldBy[k]
		if !ok {
			out = append(out, Change{Op: '+', Kind: kind, Name: k})
			continue
		}
		if d := differ(o, e); d != "" {
			out = append(out, Change{Op: '~', Kind: kind, Name: k, Detail: d})
		}
	}
	for _, e := range old {
		if k := key(e); !newBy[k] {
			out = append(out, Change{Op: '-', Kind: kind, Name: k})
		}
	}
	return out
}
