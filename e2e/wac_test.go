package e2e

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/wac"
)

// composeWAC composes a WAC document over the seed fixtures, named
// example:NAME after their file stems.
func composeWAC(t *testing.T, doc string, names ...string) []byte {
	t.Helper()
	pkgs := wac.Packages{}
	for _, n := range names {
		pkgs["example:"+n] = fixture.Read(t, n)
	}
	comp, err := wac.Load(context.Background(), "app.wac", []byte(doc), pkgs)
	if err != nil {
		t.Fatal(wac.Format(err))
	}
	plan, err := comp.Plan()
	if err != nil {
		t.Fatal(wac.Format(err))
	}
	res, err := compose.Encode(plan, compose.EncodeOptions{Name: "app", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, res.Bytes())
	return res.Bytes()
}

// The seed from a WAC document: the validator's exports spread into the
// business component's missing arguments, WASI imported with `...`. It
// runs like the seed composed from flags, and has the same world.
func TestWACSeed(t *testing.T) {
	slow(t)
	out := composeWAC(t, `package example:app;

let validator = new example:validator { ... };
let business = new example:business { ...validator, ... };
export business...;
`, "business", "validator")
	var stdout bytes.Buffer
	code, err := eng(t).Run(context.Background(), out, host.RunOptions{Args: []string{"business"}, Stdout: &stdout})
	if err != nil || code != 0 {
		t.Fatalf("run: code %d, err %v\n%s", code, err, stdout.String())
	}
	if got := stdout.String(); !strings.Contains(got, "accepted order-42") || !strings.Contains(got, "validated-by-rust") {
		t.Fatalf("stdout %q: want the Rust validator's verdict", got)
	}
	got, err := eng(t).Invoke(context.Background(), out, `handle("")`, host.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "rejected handle") || !strings.Contains(got, "empty payload") {
		t.Fatalf(`handle("") = %s: want the validator's rejection`, got)
	}
	flags := composeOK(t, compose.Options{Root: member(t, "business"), Plugs: []compose.Input{member(t, "validator")}})
	if a, b := wasmtools.ComponentWIT(t, flags.Bytes()), wasmtools.ComponentWIT(t, out); a != b {
		t.Errorf("the WAC document's world differs from the flags' composition:\n--- flags\n%s\n--- wac\n%s", a, b)
	}
}

// The chain through the JS enricher, and the enricher instantiated twice,
// each wired by name in the document.
func TestWACChainThroughJS(t *testing.T) {
	slow(t)
	tests := []struct {
		name, doc string
		tags      int // enriched-by-js tags in the answer
	}{
		{"chain", `package example:chain;

let validator = new example:validator { ... };
let enricher = new example:enricher { processing: validator.processing, ... };
let business = new example:business { processing: enricher.processing, ... };
export business.handle;
`, 1},
		{"twice", `package example:twice;

let validator = new example:validator { ... };
let inner = new example:enricher { ...validator, ... };
let outer = new example:enricher { ...inner, ... };
export (new example:business { ...outer, ... }).handle;
`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := composeWAC(t, tt.doc, "business", "enricher", "validator")
			got, err := eng(t).Invoke(context.Background(), out, `handle("hello")`, host.RunOptions{HTTP: true})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, "validated-by-rust") || strings.Count(got, "enriched-by-js") != tt.tags {
				t.Fatalf(`handle("hello") = %s: want validated-by-rust and %d enriched-by-js`, got, tt.tags)
			}
		})
	}
}
