package graph

import (
	"errors"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
)

// Resource identity across instances. Resource types are generative: two
// instances of one component have distinct resources, and what an instance's
// imported resource is bound to belongs to that instance alone. These cases
// are built from Go values because they need a type that uses a resource
// of another interface, which the mini-language cannot say.

func item(name string, x component.Extern) component.Item {
	return component.Item{Name: name, Attr: component.ExternName{Name: name}, Type: x}
}

func resourceBound(r *component.Resource) *component.TypeBound { return &component.TypeBound{Type: r} }

func makes(r *component.Resource) *component.Func {
	return &component.Func{Result: &component.Own{Resource: r}}
}

func takes(r *component.Resource) *component.Func {
	return &component.Func{Params: []component.Param{{Name: "v", Type: &component.Own{Resource: r}}}}
}

// definer exports x:y/res@1.0.0 { r: resource, take: func(v: own<r>) }
// with a resource of its own.
func definer() *component.ComponentType {
	r := &component.Resource{Name: "r"}
	return &component.ComponentType{Exports: []component.Item{
		item("x:y/res@1.0.0", &component.InstanceType{Exports: []component.Item{item("r", resourceBound(r)), item("take", takes(r))}}),
	}}
}

// TestInstancesOfOneComponentHaveOwnResources: g1 and g2 instantiate one
// component that defines a resource. A consumer binding its abstract
// resource to g1's r cannot pass it to g2's take: they are different types.
// Sharing the component's resolved type between the instances would accept
// the link.
func TestInstancesOfOneComponentHaveOwnResources(t *testing.T) {
	ca := &component.Resource{Name: "r", Abstract: true}
	consumer := &component.ComponentType{
		Imports: []component.Item{
			item("a", &component.InstanceType{Exports: []component.Item{item("r", resourceBound(ca))}}),
			item("b", &component.InstanceType{Exports: []component.Item{item("take", takes(ca))}}),
		},
		Exports: []component.Item{item("run", &component.Func{})},
	}
	for _, tc := range []struct {
		bFrom   string
		wantErr bool
	}{
		{"g1", false}, // a and b from the same instance: one resource
		{"g2", true},  // b from the other instance: another resource
	} {
		t.Run("b from "+tc.bFrom, func(t *testing.T) {
			g := New()
			gen, _ := g.AddComponent("gen", definer(), nil)
			cc, _ := g.AddComponent("consumer", consumer, nil)
			c, _ := g.Instantiate(cc, "c")
			g1, _ := g.Instantiate(gen, "g1")
			g2, _ := g.Instantiate(gen, "g2")
			ids := map[string]InstanceID{"g1": g1, "g2": g2}
			must(t, g.Wire(c, "a", g1, "x:y/res@1.0.0"))
			must(t, g.Wire(c, "b", ids[tc.bFrom], "x:y/res@1.0.0"))
			must(t, g.Keep(g1))
			must(t, g.Keep(g2))
			_, err := resolveFrom(g, c)
			checkLinkResult(t, err, tc.wantErr, "b", tc.bFrom)
		})
	}
}

// TestInstancesOfOneComponentBindSeparately: s1 and s2 instantiate one
// component S that imports x:y/res's resource and re-exports it through
// x:y/get. s1 is fed by p1, s2 by p2 (two components, two resources). A
// consumer gets a resource from each and passes the second to p2's take.
// That is right only if s2's imported resource is bound to p2's r, not
// also to p1's as it would be if s1 and s2 shared one resolved type (the
// first binding of the shared resource would win for both).
func TestInstancesOfOneComponentBindSeparately(t *testing.T) {
	sr := &component.Resource{Name: "r", Abstract: true}
	store := &component.ComponentType{
		Imports: []component.Item{
			item("x:y/res@1.0.0", &component.InstanceType{Exports: []component.Item{item("r", resourceBound(sr))}}),
		},
		Exports: []component.Item{
			item("x:y/get@1.0.0", &component.InstanceType{Exports: []component.Item{item("r", resourceBound(sr)), item("make", makes(sr))}}),
		},
	}
	c1 := &component.Resource{Name: "r", Abstract: true}
	c2 := &component.Resource{Name: "r", Abstract: true}
	getType := func(r *component.Resource) *component.InstanceType {
		return &component.InstanceType{Exports: []component.Item{item("r", resourceBound(r)), item("make", makes(r))}}
	}
	consumer := &component.ComponentType{
		Imports: []component.Item{
			item("first", getType(c1)),
			item("second", getType(c2)),
			item("sink", &component.InstanceType{Exports: []component.Item{item("take", takes(c2))}}),
		},
		Exports: []component.Item{item("run", &component.Func{})},
	}
	for _, tc := range []struct {
		sinkFrom string
		wantErr  bool
	}{
		{"p2", false}, // second's resource comes from s2, fed by p2
		{"p1", true},  // p1's resource is first's, not second's
	} {
		t.Run("sink from "+tc.sinkFrom, func(t *testing.T) {
			g := New()
			sc, _ := g.AddComponent("store", store, nil)
			pc1, _ := g.AddComponent("p1", definer(), nil)
			pc2, _ := g.AddComponent("p2", definer(), nil)
			cc, _ := g.AddComponent("consumer", consumer, nil)
			c, _ := g.Instantiate(cc, "c")
			s1, _ := g.Instantiate(sc, "s1")
			s2, _ := g.Instantiate(sc, "s2")
			p1, _ := g.Instantiate(pc1, "p1")
			p2, _ := g.Instantiate(pc2, "p2")
			ids := map[string]InstanceID{"p1": p1, "p2": p2}
			must(t, g.Wire(s1, "x:y/res@1.0.0", p1, "x:y/res@1.0.0"))
			must(t, g.Wire(s2, "x:y/res@1.0.0", p2, "x:y/res@1.0.0"))
			must(t, g.Wire(c, "first", s1, "x:y/get@1.0.0"))
			must(t, g.Wire(c, "second", s2, "x:y/get@1.0.0"))
			must(t, g.Wire(c, "sink", ids[tc.sinkFrom], "x:y/res@1.0.0"))
			p, err := resolveFrom(g, c)
			checkLinkResult(t, err, tc.wantErr, "sink", tc.sinkFrom)
			if err != nil {
				return
			}
			// The plan carries each instance's own type.
			var s1Type, s2Type *component.ComponentType
			for _, in := range p.Instances() {
				switch in.Name {
				case "s1":
					s1Type = in.Type
				case "s2":
					s2Type = in.Type
				}
			}
			if s1Type == nil || s2Type == nil || s1Type == s2Type || s1Type == store {
				t.Fatalf("s1 and s2 do not have types of their own: %p %p (component %p)", s1Type, s2Type, store)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkLinkResult wants either success or a *LinkError on import from
// provider.
func checkLinkResult(t *testing.T, err error, wantErr bool, imp, provider string) {
	t.Helper()
	if !wantErr {
		if err != nil {
			t.Fatalf("resolve: %v", err)
		}
		return
	}
	var link *LinkError
	if !errors.As(err, &link) || link.Import != imp || !strings.HasPrefix(link.From, provider+".") {
		t.Fatalf("want a *LinkError for %s from %s, got %v", imp, provider, err)
	}
	t.Log(err)
}
