package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// renderTrace writes a trace one fact a line, for golden files.
func renderTrace(t *Trace) string {
	var b strings.Builder
	fmt.Fprintf(&b, "component %s\n", t.Component)
	for _, imp := range t.Imports {
		fmt.Fprintf(&b, "import %s\n", imp.Name)
		for _, u := range imp.Users {
			fmt.Fprintf(&b, "  %s", t.FormatPath(u, u.Import))
			fmt.Fprintf(&b, " [%s]", u.Use)
			if len(u.TypesFor) > 0 {
				fmt.Fprintf(&b, " for %s", strings.Join(u.TypesFor, ", "))
			}
			b.WriteString("\n")
		}
	}
	for _, m := range t.Members {
		fmt.Fprintf(&b, "member %s", strings.Join(m.Path, " → "))
		if m.Generated != "" {
			fmt.Fprintf(&b, " (generated %s: %s)", m.Generated, strings.Join(m.Exports, ", "))
		}
		b.WriteString("\n")
	}
	for _, l := range t.Links {
		fmt.Fprintf(&b, "link %s.%s ← %s.%s\n", strings.Join(l.Consumer, " → "), l.Import, strings.Join(l.Provider, " → "), l.Export)
	}
	return b.String()
}

// Each testdata/trace/*.wat is traced against its golden file.
func TestTraceGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/trace/*.wat")
	if err != nil || len(files) == 0 {
		t.Fatalf("no trace cases: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".wat")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := TraceComponent(wasmtools.Parse(t, string(text)), "app")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, strings.TrimSuffix(f, ".wat")+".golden", renderTrace(tr))
		})
	}
}

// The trace of a component wcomp generated says so, and what it provides.
func TestTraceGenerated(t *testing.T) {
	app, ct := denyApp(t)
	stub, err := GenerateStub(ct, []string{denyFiles})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := TraceComponent(stub.Bytes, "stub")
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Imports) != 1 || tr.Imports[0].Name != denyStreams || tr.Imports[0].Users[0].Use != UseTypes {
		t.Errorf("stub imports %+v, want %s used for its types", tr.Imports, denyStreams)
	}
	composed := composeWith(t, app, stub)
	tr, err = TraceComponent(composed, "app")
	if err != nil {
		t.Fatal(err)
	}
	got := renderTrace(tr)
	for _, want := range []string{
		"member deny-stubs (generated deny-stub: example:deny/files@0.1.0)",
		"link app.example:deny/files@0.1.0 ← deny-stubs.example:deny/files@0.1.0",
		"app → deny-stubs → example:deny/streams@0.1.0 [types] for example:deny/files@0.1.0",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("trace lacks %q:\n%s", want, got)
		}
	}
}

func TestTraceErrors(t *testing.T) {
	if _, err := TraceComponent([]byte("\x00asm\x01\x00\x00\x00"), "m"); err == nil {
		t.Error("a core module traced without error")
	}
	if _, err := TraceComponent([]byte("not wasm"), "m"); err == nil {
		t.Error("garbage traced without error")
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
