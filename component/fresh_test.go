package component

import (
	"path/filepath"
	"strings"
	"testing"
)

// reachable is what a component type holds by identity: its resources,
// and its instance and component types, including the owners of its names
// (which may be instances the type does not otherwise reach, such as an
// instance built only to be passed to an instantiation).
type reachable struct {
	resources map[*Resource]bool
	scopes    map[any]bool // *InstanceType and *ComponentType
}

func collect(ct *ComponentType) *reachable {
	r := &reachable{resources: map[*Resource]bool{}, scopes: map[any]bool{}}
	var w *TypeWalk
	w = newTypeWalk(func(node any) {
		switch x := node.(type) {
		case *Resource:
			r.resources[x] = true
		case *InstanceType, *ComponentType:
			r.scopes[x] = true
		case *Named:
			if x.Owner != nil {
				w.Extern(x.Owner)
			}
		}
	})
	w.Extern(ct)
	return r
}

// checkFresh checks Fresh(ct): the same dump (names, structure, and which
// items share a resource), no resource or scope (so no name's owner) in
// common with ct, and imports that are subtypes of the
// original's both ways (so the copy means the same up to identities).
func checkFresh(t *testing.T, ct *ComponentType) {
	t.Helper()
	before := FormatComponentType(ct)
	cp := Fresh(ct)
	if got := FormatComponentType(cp); got != before {
		t.Fatalf("the copy dumps differently:\n--- copy\n%s\n--- original\n%s", got, before)
	}
	if FormatComponentType(ct) != before {
		t.Fatal("Fresh changed its input")
	}
	orig, copied := collect(ct), collect(cp)
	if len(copied.resources) != len(orig.resources) {
		t.Errorf("the copy has %d resources, the original %d", len(copied.resources), len(orig.resources))
	}
	for r := range copied.resources {
		if orig.resources[r] {
			t.Errorf("resource %s is shared with the original", r.Name)
		}
	}
	if len(copied.scopes) != len(orig.scopes) {
		t.Errorf("the copy has %d instance and component types, the original %d", len(copied.scopes), len(orig.scopes))
	}
	for s := range copied.scopes {
		if orig.scopes[s] {
			t.Errorf("a %T is shared with the original", s)
		}
	}
	checkItemsBothWays(t, "imports", ct.Imports, cp.Imports)
	// Two copies are distinct from each other too.
	again := collect(Fresh(ct))
	for r := range again.resources {
		if copied.resources[r] {
			t.Errorf("two copies share resource %s", r.Name)
		}
	}
}

func TestFreshResolveCases(t *testing.T) {
	eachFile(t, filepath.Join("testdata", "resolve", "*.wat"), func(t *testing.T, path string) {
		if strings.HasPrefix(filepath.Base(path), "err-") {
			return
		}
		ct, err := DecodeType(parseWATFile(t, path))
		if err != nil {
			t.Fatal(err)
		}
		checkFresh(t, ct)
	})
}

func TestFreshFixtures(t *testing.T) {
	eachFixture(t, func(t *testing.T, _ string, data []byte) {
		ct, err := DecodeType(data)
		if err != nil {
			t.Fatal(err)
		}
		checkFresh(t, ct)
	})
}

func TestFreshNil(t *testing.T) {
	if Fresh(nil) != nil {
		t.Fatal("Fresh(nil) is not nil")
	}
}
