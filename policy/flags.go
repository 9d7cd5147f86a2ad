package policy

import (
	"fmt"
	"strings"
)

// Flags is a policy as wcomp's command-line flags give it, shared by
// `wcomp audit`, `wcomp compose` and `wcomp run`.
type Flags struct {
	Allow, Deny, Stub []string
	// Grants are MEMBER=PATTERN[,PATTERN...] (--grant); MEMBER= grants
	// nothing.
	Grants []string
	// VirtualEnv are KEY=VALUE (--virtual-env), VirtualArgs the arguments
	// (--virtual-arg) and VirtualCwd the working directory (--virtual-cwd)
	// of a virtual wasi:cli/environment; any of them asks for one.
	VirtualEnv  []string
	VirtualArgs []string
	VirtualCwd  string
}

// IsZero reports whether no policy flag was given.
func (f Flags) IsZero() bool {
	return len(f.Allow)+len(f.Deny)+len(f.Stub)+len(f.Grants)+len(f.VirtualEnv)+len(f.VirtualArgs) == 0 && f.VirtualCwd == ""
}

// Spec turns the flags into a Spec; New checks the patterns.
func (f Flags) Spec() (Spec, error) {
	var s Spec
	entries := func(flag string, values []string) []Entry {
		out := make([]Entry, len(values))
		for i, v := range values {
			out[i] = Entry{Pattern: v, At: Source{Flag: flag}}
		}
		return out
	}
	s.Allow = entries("--allow", f.Allow)
	s.Deny = entries("--deny", f.Deny)
	s.Stub = entries("--stub", f.Stub)
	for _, g := range f.Grants {
		member, list, ok := strings.Cut(g, "=")
		if !ok || member == "" {
			return s, fmt.Errorf("--grant %q: expected MEMBER=PATTERN[,PATTERN...], e.g. enricher=wasi:cli/*,wasi:io/*", g)
		}
		grant := Grant{Member: member, At: Source{Flag: "--grant"}}
		if list != "" {
			grant.Patterns = entries("--grant", strings.Split(list, ","))
		}
		s.Grants = append(s.Grants, grant)
	}
	if len(f.VirtualEnv) > 0 || len(f.VirtualArgs) > 0 || f.VirtualCwd != "" {
		v := &Virtual{Args: f.VirtualArgs, At: Source{Flag: "--virtual-env"}}
		for _, kv := range f.VirtualEnv {
			k, val, ok := strings.Cut(kv, "=")
			if !ok {
				return s, fmt.Errorf("--virtual-env %q: expected KEY=VALUE", kv)
			}
			v.Env = append(v.Env, EnvVar{Key: k, Value: val, At: Source{Flag: "--virtual-env"}})
		}
		if f.VirtualCwd != "" {
			cwd := f.VirtualCwd
			v.Cwd = &cwd
		}
		s.Virtual = v
	}
	return s, nil
}

// Policy compiles the flags; the zero Flags give a nil Policy, which
// allows everything.
func (f Flags) Policy() (*Policy, error) {
	if f.IsZero() {
		return nil, nil
	}
	s, err := f.Spec()
	if err != nil {
		return nil, err
	}
	return New(s)
}
