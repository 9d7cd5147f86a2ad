package policy

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtimecli"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

const (
	denyStreams = "example:deny/streams@0.1.0"
	denyFiles   = "example:deny/files@0.1.0"
	denyNet     = "example:deny/net@0.1.0"
	denyClient  = "example:deny/client@0.1.0"
)

func denyApp(t *testing.T) ([]byte, *component.ComponentType) {
	return dummyApp(t, "testdata/wit/deny.wit")
}

// dummyApp builds world app of a WIT file as a dummy component.
func dummyApp(t *testing.T, wit string) ([]byte, *component.ComponentType) {
	t.Helper()
	wasm := wasmtools.DummyComponent(t, wit, "app")
	ct, err := component.DecodeType(wasm)
	if err != nil {
		t.Fatal(err)
	}
	return wasm, ct
}

// importNames lists a component's import names.
func importNames(t *testing.T, wasm []byte) []string {
	t.Helper()
	ct, err := component.DecodeType(wasm)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, imp := range ct.Imports {
		out = append(out, imp.Name)
	}
	return out
}

// A stub exports what it stubs, imports what those use and it does not
// stub, validates, and composed into the consumer removes exactly the
// stubbed imports.
func TestGenerateStub(t *testing.T) {
	app, ct := denyApp(t)
	tests := []struct {
		name    string
		stub    []string
		imports []string
	}{
		{"an interface that uses another's resource imports it", []string{denyFiles}, []string{denyStreams}},
		{"stubbed together, nothing is imported", []string{denyStreams, denyFiles}, nil},
		{"a use of a variant with payloads imports its interface", []string{denyClient}, []string{denyNet}},
		{"given in any order, exported in dependency order", []string{denyClient, denyNet}, nil},
		{"everything", []string{denyClient, denyNet, denyFiles, denyStreams}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := GenerateStub(ct, tt.stub)
			if err != nil {
				t.Fatal(err)
			}
			if g.Kind != GeneratedStub {
				t.Errorf("Kind = %q", g.Kind)
			}
			if !slices.Equal(g.Imports, tt.imports) {
				t.Errorf("imports %v, want %v", g.Imports, tt.imports)
			}
			want := slices.Clone(tt.stub)
			slices.Sort(want)
			got := slices.Clone(g.Exports)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("exports %v, want %v", g.Exports, tt.stub)
			}
			validate.Component(t, g.Bytes)

			composed := composeWith(t, app, g)
			validate.Component(t, composed)
			var wantImports []string
			for _, imp := range ct.Imports {
				if !slices.Contains(tt.stub, imp.Name) {
					wantImports = append(wantImports, imp.Name)
				}
			}
			if got := importNames(t, composed); !sameSet(got, wantImports) {
				t.Errorf("composed imports %v, want %v", got, wantImports)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestGenerateStubErrors(t *testing.T) {
	_, ct := denyApp(t)
	for _, tt := range []struct {
		stub []string
		msg  string
	}{
		{nil, "no interface to stub"},
		{[]string{"example:deny/missing@0.1.0"}, `no import "example:deny/missing@0.1.0"`},
	} {
		if _, err := GenerateStub(ct, tt.stub); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("GenerateStub(%v) = %v, want an error containing %q", tt.stub, err, tt.msg)
		}
	}
}

// wasmtimeInvoke runs `wasmtime run --invoke CALL` on wasm and returns its
// output and error output.
func wasmtimeInvoke(t *testing.T, wasm []byte, call string) (stdout, stderr string, err error) {
	t.Helper()
	return wasmtimeRun(t, wasm, []string{"--invoke", call})
}

// wasmtimeRun runs `wasmtime run FLAGS… FILE ARGS…` on wasm, written to
// a temporary file.
func wasmtimeRun(t *testing.T, wasm []byte, flags []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.wasm")
	if werr := os.WriteFile(path, wasm, 0o644); werr != nil {
		t.Fatal(werr)
	}
	cmdArgs := append(append(append([]string{"run"}, flags...), path), args...)
	cmd := exec.Command(wasmtimecli.Path(t), cmdArgs...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return strings.TrimSpace(out.String()), errOut.String(), err
}

// What a stubbed function does, seen through the wasmtime CLI: the
// interface's denial error, none, an empty list of handles, or a trap
// whose backtrace names the capability.
func TestStubBehaviour(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the wasmtime CLI")
	}
	_, ct := denyApp(t)
	g, err := GenerateStub(ct, []string{denyStreams, denyFiles, denyNet, denyClient})
	if err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 100_000) // past the first page: cabi_realloc grows memory
	tests := []struct {
		call, want, trap string
	}{
		{`open("a/b", [1, 2, 3])`, `err(access)`, ""},
		{`open("` + big + `", [])`, `err(access)`, ""},
		{`get-directories()`, `[]`, ""},
		{`terminal()`, `none`, ""},
		{`wide(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17)`, `err(access)`, ""},
		{`connect("example.com", 80)`, `err(access-denied)`, ""},
		{`count()`, "", "wcomp-deny-stub!denied:example:deny/files@0.1.0#count"},
		{`random-bytes(16)`, "", "wcomp-deny-stub!denied:example:deny/files@0.1.0#random-bytes"},
	}
	for _, tt := range tests {
		name := tt.call
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		t.Run(name, func(t *testing.T) {
			out, errOut, err := wasmtimeInvoke(t, g.Bytes, tt.call)
			if tt.trap != "" {
				if err == nil || !strings.Contains(errOut, tt.trap) || !strings.Contains(errOut, "unreachable") {
					t.Errorf("want a trap naming %s; got err %v, stderr:\n%s", tt.trap, err, errOut)
				}
				return
			}
			if err != nil || out != tt.want {
				t.Errorf("got %q (%v, stderr %s), want %q", out, err, errOut, tt.want)
			}
		})
	}
}

// composeWith composes app (as member "app") with a generated member
// named after its kind, every import it provides wired explicitly.
func composeWith(t *testing.T, app []byte, g *Generated) []byte {
	t.Helper()
	name := "deny-stubs"
	if g.Kind == GeneratedVirtual {
		name = "virtual-env"
	}
	var wires []compose.Wire
	for _, e := range g.Exports {
		wires = append(wires, compose.Wire{Consumer: "app", Import: e, Provider: name, Export: e})
	}
	res, err := compose.Compose(compose.Options{
		Root:  compose.Input{Name: "app", Bytes: app},
		Plugs: []compose.Input{{Name: name, Bytes: g.Bytes}},
		Wires: wires,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Bytes()
}

func TestDeniedCall(t *testing.T) {
	msg := "error while executing at wasm backtrace:\n    0:    0x5e8 - wcomp-deny-stub!denied:wasi:sockets/instance-network@0.2.9#instance-network\n    1: wasm trap"
	iface, fn, ok := DeniedCall(msg)
	if !ok || iface != "wasi:sockets/instance-network@0.2.9" || fn != "instance-network" {
		t.Errorf("DeniedCall = %q, %q, %v", iface, fn, ok)
	}
	if _, _, ok := DeniedCall("wasm trap: unreachable"); ok {
		t.Error("found a stub in a trap without one")
	}
}
