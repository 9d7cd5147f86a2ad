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
	out = append(out, foldVersions(diffEntries("wit", old.WIT, new.WIT,
		func(w LockedWIT) string { return w.ID() },
		func(a, b LockedWIT) string {
			return fields([]field{{"source", a.Source, b.Source}, {"digest", a.Digest, b.Digest}, {"manifest", a.Manifest, b.Manifest}, {"hash", a.Hash, b.Hash},
				{"dependencies", strings.Join(a.Dependencies, " "), strings.Join(b.Dependencies, " ")}})
		}))...)
	return out
}

// foldVersions turns the removal of one version of a WIT package and the
// addition of another into one change, "~ wit wasi:cli: 0.2.3 → 0.2.6",
// when the package has exactly one of each.
func foldVersions(cs []Change) []Change {
	type pair struct{ added, removed []int }
	byName := map[string]*pair{}
	name := func(id string) string { n, _, _ := strings.Cut(id, "@"); return n }
	for i, c := range cs {
		p := byName[name(c.Name)]
		if p == nil {
			p = &pair{}
			byName[name(c.Name)] = p
		}
		switch c.Op {
		case '+':
			p.added = append(p.added, i)
		case '-':
			p.removed = append(p.removed, i)
		}
	}
	drop := map[int]bool{}
	for n, p := range byName {
		if len(p.added) != 1 || len(p.removed) != 1 {
			continue
		}
		_, from, _ := strings.Cut(cs[p.removed[0]].Name, "@")
		_, to, _ := strings.Cut(cs[p.added[0]].Name, "@")
		cs[p.added[0]] = Change{Op: '~', Kind: "wit", Name: n, Detail: from + " → " + to}
		drop[p.removed[0]] = true
	}
	out := cs[:0]
	for i, c := range cs {
		if !drop[i] {
			out = append(out, c)
		}
	}
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
