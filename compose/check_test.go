package compose

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/validate"
)

// TestSelfCheckCatchesBadOutput: the encoder's own check refuses an
// output whose instantiation argument is wrong, or whose export is not the
// one planned, with a "this is a wcomp bug" error naming the item. The
// outputs are made wrong by editing a good one; wasm-tools agrees that
// each edited output is invalid or not what was planned, so the check is
// tested against a real fault.
func TestSelfCheckCatchesBadOutput(t *testing.T) {
	plan := resolved(t, Options{
		Root:  Input{Name: "root", Bytes: build(t, m("root", "root-x"))},
		Plugs: []Input{{Name: "px", Bytes: build(t, m("px", "prov-x"))}},
	})
	cases := []struct {
		name, item string
		edit       func(c *component.Component)
		invalid    bool // wasm-tools rejects the edited output too
	}{
		{"argument of the wrong type", "instance 2 (root)", func(c *component.Component) {
			// root's x import is given px's whole instance instead of its
			// export x: an instance of the wrong type.
			for i := range c.Sections {
				for j := range c.Sections[i].Instances {
					in := &c.Sections[i].Instances[j]
					if len(in.Args) == 1 && in.Args[0].Name == "test:graph/x@0.1.0" {
						in.Args[0].Item.Index = 0
					}
				}
			}
		}, true},
		{"export not planned", "export 0", func(c *component.Component) {
			for i := range c.Sections {
				for j := range c.Sections[i].Exports {
					c.Sections[i].Exports[j].Name.Name = "walk"
				}
			}
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEncoder(plan)
			chunks, _, err := e.encode(EncodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := e.selfCheck(chunks); err != nil {
				t.Fatalf("the unedited output fails its check: %v", err)
			}
			c, err := component.Decode(concat(chunks))
			if err != nil {
				t.Fatal(err)
			}
			tc.edit(c)
			bad, err := c.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if peer := validate.WasmTools(bad); (peer != nil) != tc.invalid {
				t.Fatalf("wasm-tools says %v for the edited output; the case expects invalid=%v", peer, tc.invalid)
			}
			err = e.selfCheck([][]byte{bad})
			var bug *BugError
			if !errors.As(err, &bug) || bug.Item != tc.item || !strings.HasPrefix(err.Error(), "this is a wcomp bug") {
				t.Fatalf("got %v, want a *BugError about %s", err, tc.item)
			}
			t.Log(err)
		})
	}
}

// TestEncodeReadsPlanOnly: encoding one plan twice gives the same bytes
// and notes, and leaves the plan as it was.
func TestEncodeReadsPlanOnly(t *testing.T) {
	plan := resolved(t, Options{
		Root:  Input{Name: "user", Bytes: build(t, m("user", "io-error-user"))},
		Plugs: []Input{{Name: "errors", Bytes: build(t, m("errors", "io-error-provider"))}},
		Keep:  []string{"errors"},
	})
	before := []any{plan.Components(), plan.Instances(), plan.Imports(), plan.Exports(), plan.Notes(), plan.Resources()}
	a, err := Encode(plan, EncodeOptions{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encode(plan, EncodeOptions{Name: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if string(a.Bytes()) != string(b.Bytes()) || !reflect.DeepEqual(a.Notes, b.Notes) {
		t.Fatal("two encodings of one plan differ")
	}
	after := []any{plan.Components(), plan.Instances(), plan.Imports(), plan.Exports(), plan.Notes(), plan.Resources()}
	if !reflect.DeepEqual(before, after) {
		t.Fatal("encoding changed the plan")
	}
	if len(a.Notes) != 1 {
		t.Fatalf("notes %q, want the one unplugged link", a.Notes)
	}
}

// resolved builds and resolves the graph opts describe.
func resolved(t *testing.T, opts Options) *graph.Plan {
	t.Helper()
	g, _, err := Graph(opts)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := g.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func concat(chunks [][]byte) []byte {
	var out []byte
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
}
