package graph

import (
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
)

func TestRootCandidates(t *testing.T) {
	// Members as "name: imports | exports", names only: the rule reads
	// nothing else.
	type member struct{ name, imports, exports string }
	app := member{"app", "example:svc/store@0.1.0 wasi:cli/environment@0.2.0", "wasi:cli/run@0.2.0"}
	store := member{"store", "wasi:io/streams@0.2.0", "example:svc/store@0.1.2"}
	cache := member{"cache", "example:svc/store@0.1.0", "example:svc/store@0.1.0"}
	tool := member{"tool", "", "example:tool/run"}
	for _, c := range []struct {
		name     string
		members  []member
		wires    []string
		autoPlug bool
		want     []string
	}{
		{"one member is its own root", []member{app}, nil, true, []string{"app"}},
		{"a semver-compatible provider plugs", []member{app, store}, nil, true, []string{"app"}},
		{"order does not matter", []member{store, app}, nil, true, []string{"app"}},
		{"two members plug nothing", []member{app, store, tool}, nil, true, []string{"app", "tool"}},
		{"a middleware plugs and is plugged", []member{app, cache, store}, nil, true, []string{"app"}},
		{"without auto-plug only wires plug", []member{app, store}, nil, false, []string{"app", "store"}},
		{"a wire makes a provider", []member{app, store}, []string{"app:example:svc/store@0.1.0=store:example:svc/store@0.1.2"}, false, []string{"app"}},
		{"mutual plugging leaves none", []member{cache, {"cache2", "example:svc/store@0.1.0", "example:svc/store@0.1.0"}}, nil, true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var names []string
			var types []*component.ComponentType
			for _, m := range c.members {
				ct := &component.ComponentType{}
				for _, n := range strings.Fields(m.imports) {
					ct.Imports = append(ct.Imports, component.Item{Name: n})
				}
				for _, n := range strings.Fields(m.exports) {
					ct.Exports = append(ct.Exports, component.Item{Name: n})
				}
				names = append(names, m.name)
				types = append(types, ct)
			}
			var wires []Wire
			for _, s := range c.wires {
				w, err := ParseWire(s)
				if err != nil {
					t.Fatal(err)
				}
				wires = append(wires, w)
			}
			var got []string
			for _, i := range RootCandidates(names, types, wires, c.autoPlug) {
				got = append(got, names[i])
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("RootCandidates = %v, want %v", got, c.want)
			}
		})
	}
}
