package project

import (
	"os"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestWAC takes the graph from a WAC document: the members are packages
// test:provider and test:consumer ([package]'s namespace), and the result
// exports what the document says, under its names.
func TestWAC(t *testing.T) {
	b := newTestBuild(t, "pair")
	write(t, b.path("app.wac"), `package test:app;

let p = new test:provider { ... };
let c = new test:consumer { "test:pair/greeter@0.1.0": p["test:pair/greeter@0.1.0"] };

export c.run as "start";
export p["test:pair/greeter@0.1.0"];
`)
	appendTo(t, b.path("component.toml"), "\n[compose]\nwac = \"app.wac\"\n")
	res, rec := b.mustRun(Options{})
	if !rec.has(Composing) {
		t.Fatal("nothing composed")
	}
	out := []byte(read(t, res.Path))
	validate.Component(t, out)
	wit := wasmtools.ComponentWIT(t, out)
	for _, want := range []string{"export start: func() -> string;", "export test:pair/greeter@0.1.0;"} {
		if !strings.Contains(wit, want) {
			t.Errorf("the result's world lacks %q:\n%s", want, wit)
		}
	}
	if strings.Contains(wit, "import test:pair/greeter") {
		t.Errorf("the consumer's import was not plugged:\n%s", wit)
	}

	// The document is an input of the composition: editing it recomposes,
	// and its errors are positioned in it, with the member packages listed.
	write(t, b.path("app.wac"), strings.Replace(read(t, b.path("app.wac")), "new test:consumer", "new test:consumr", 1))
	_, _, err := b.run(Options{})
	if err == nil {
		t.Fatal("a document naming no member composed")
	}
	msg := err.Error()
	for _, want := range []string{"app.wac:4:", "test:consumr", "the project's members are test:consumer, test:provider"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if _, err := os.Stat(res.Path); err != nil {
		t.Errorf("the last good output is gone: %v", err)
	}
}
