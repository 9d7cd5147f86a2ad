package policy

import (
	"fmt"

	"github.com/wcomp/wcomp/manifest"
)

// FromManifest builds the policy a manifest declares: [capabilities]
// allow, deny and stub, [capabilities.virtual], and each member's
// capabilities grant. A manifest that declares none of them has no
// policy: the nil Policy, which allows everything. Every problem is
// reported with the place it was written (component.toml:LINE:COL and the
// key), as an ErrorList.
func FromManifest(f *manifest.File) (*Policy, error) {
	spec, ok, err := SpecFromManifest(f)
	if err != nil || !ok {
		return nil, err
	}
	return New(spec)
}

// SpecFromManifest maps a manifest onto a Spec, every entry with where it
// is written. ok is false when the manifest declares no policy. A
// [capabilities.virtual] table asks for a virtual wasi:cli/environment
// with its env and args (an empty table: an empty environment). Virtual
// files are refused: wcomp does not generate a virtual file system yet.
func SpecFromManifest(f *manifest.File) (spec Spec, ok bool, err error) {
	c := &f.Capabilities
	entries := func(key string, l manifest.List) []Entry {
		out := make([]Entry, len(l.Items))
		for i, s := range l.Items {
			out[i] = Entry{Pattern: s.Value, At: sourceAt(s.At(0), fmt.Sprintf("%s[%d]", key, i))}
		}
		return out
	}
	spec.Allow = entries("capabilities.allow", c.Allow)
	spec.Deny = entries("capabilities.deny", c.Deny)
	spec.Stub = entries("capabilities.stub", c.Stub)
	ok = c.Allow.Set || c.Deny.Set || c.Stub.Set
	for _, m := range f.Components {
		if !m.Capabilities.Set {
			continue
		}
		key := "components." + m.Name + ".capabilities"
		spec.Grants = append(spec.Grants, Grant{Member: m.Name, At: sourceAt(m.Capabilities.Pos, key), Patterns: entries(key, m.Capabilities)})
		ok = true
	}
	if v := c.Virtual; v.Set {
		if v.Files.Set && len(v.Files.Entries) > 0 {
			e := v.Files.Entries[0]
			return spec, true, ErrorList{{At: sourceAt(e.KeyPos, "capabilities.virtual.files"), Text: e.Key, Offset: -1,
				Msg: "a virtual directory is not supported yet: wcomp generates a virtual wasi:cli/environment only; grant the directory at run time instead ([run] dirs, wcomp run --dir)"}}
		}
		// The table asks for a virtual environment: without env or args,
		// an empty one, which hides the host's.
		virt := &Virtual{At: sourceAt(v.Pos, "capabilities.virtual")}
		for _, e := range v.Env.Entries {
			virt.Env = append(virt.Env, EnvVar{Key: e.Key, Value: e.Value.Value, At: sourceAt(e.KeyPos, "capabilities.virtual.env."+e.Key)})
		}
		for _, a := range v.Args.Items {
			virt.Args = append(virt.Args, a.Value)
		}
		spec.Virtual = virt
		ok = true
	}
	return spec, ok, nil
}

// sourceAt is a manifest position as a policy Source.
func sourceAt(p manifest.Pos, key string) Source {
	if !p.IsValid() {
		return Source{File: p.Filename, Key: key}
	}
	return Source{File: p.Filename, Line: p.Line, Col: p.Col, Key: key}
}
