package policy

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// These tests use the real fixtures (fixtures/build.sh): the Rust
// validator, the JS enricher and the Python business, the seed service.

const processing = "example:service/processing@0.1.0"

// What the service prints, as fixtures/README.md records it from wac and
// wasmtime 49.
const (
	serviceRun    = "business: accepted order-42/js (status 200, checksum 969803431, tags validated-by-rust,enriched-by-js): validated 17 bytes, enriched"
	serviceReject = `"rejected handle: enricher: request handle/js: empty payload"`
)

// composeService composes business → enricher → validator with explicit
// wires, as `wcomp compose` would.
func composeService(t testing.TB, business, enricher, validator []byte) []byte {
	t.Helper()
	res, err := compose.Compose(compose.Options{
		Root: compose.Input{Name: "business", Bytes: business},
		Plugs: []compose.Input{
			{Name: "enricher", Bytes: enricher},
			{Name: "validator", Bytes: validator},
		},
		Wires: []compose.Wire{
			{Consumer: "business", Import: processing, Provider: "enricher", Export: processing},
			{Consumer: "enricher", Import: processing, Provider: "validator", Export: processing},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Bytes()
}

// enforceMember applies a policy to one member on its own: the member
// composed with the stubs and environment Enforce generates for it.
func enforceMember(t *testing.T, name string, wasm []byte, p *Policy) ([]byte, *Outcome) {
	t.Helper()
	c, _, err := FromComponent(wasm, name, name)
	if err != nil {
		t.Fatal(err)
	}
	o, err := Enforce(c, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Members) == 0 {
		return wasm, o
	}
	return apply(t, name, wasm, o), o
}

// minus returns a without the names in b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// The scenario: the JS enricher with wasi:filesystem/*,
// wasi:sockets/* and wasi:http/* stubbed, composed with the Python
// business and the Rust validator, still does its job, in a plain
// `wasmtime run` without -S http; its import list and the service's shrink
// by exactly the interfaces stubbed.
func TestServiceWithStubbedEnricher(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs the 30 MB service")
	}
	business, enricher, validator := fixture.Read(t, "business"), fixture.Read(t, "enricher"), fixture.Read(t, "validator")
	p := mustPolicy(t, "stub wasi:filesystem/* wasi:sockets/* wasi:http/*")
	stubbedEnricher, o := enforceMember(t, "enricher", enricher, p)
	var stubbed []string
	for _, w := range o.Wires {
		stubbed = append(stubbed, w.Import)
	}
	wantStubbed := []string{"wasi:http/types@0.2.10", "wasi:http/outgoing-handler@0.2.10", "wasi:filesystem/types@0.2.12", "wasi:filesystem/preopens@0.2.12"}
	if !sameSet(stubbed, wantStubbed) {
		t.Fatalf("stubbed %v, want %v (the enricher imports no wasi:sockets)", stubbed, wantStubbed)
	}
	before, after := importNames(t, enricher), importNames(t, stubbedEnricher)
	if !sameSet(after, minus(before, stubbed)) {
		t.Errorf("enricher imports %v after stubbing, want %v", after, minus(before, stubbed))
	}
	validate.Component(t, stubbedEnricher)

	plain := composeService(t, business, enricher, validator)
	svc := composeService(t, business, stubbedEnricher, validator)
	validate.Component(t, svc)
	// The service loses the stubbed interfaces that no other member
	// imports: wasi:http. The others still bring in wasi:filesystem.
	others := map[string]bool{}
	for _, m := range [][]byte{business, validator} {
		for _, n := range importNames(t, m) {
			others[graph.CompatName(n)] = true
		}
	}
	var gone []string
	for _, s := range stubbed {
		if !others[graph.CompatName(s)] {
			gone = append(gone, s)
		}
	}
	plainImports, svcImports := importNames(t, plain), importNames(t, svc)
	if !sameSet(svcImports, minus(plainImports, gone)) {
		t.Errorf("service imports %v, want %v", svcImports, minus(plainImports, gone))
	}
	t.Logf("enricher imports: %d → %d; service imports: %d → %d", len(before), len(after), len(plainImports), len(svcImports))

	out, errOut, err := wasmtimeRun(t, svc, nil)
	if err != nil || out != serviceRun {
		t.Errorf("wasmtime run (without -S http) = %q, %v\n%s\nwant %q", out, err, errOut, serviceRun)
	}
	out, errOut, err = wasmtimeInvoke(t, svc, `handle("")`)
	if err != nil || out != serviceReject {
		t.Errorf("handle(\"\") = %q, %v\n%s", out, err, errOut)
	}

	// The audit of the result shows what the stubs provide, inside the
	// enricher.
	c, tr, err := FromComponent(svc, "svc", "svc")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Check(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.AddProvided(tr)
	table := r.Table(TableOptions{})
	words := strings.Join(strings.Fields(table), " ") // column widths aside
	for _, want := range []string{"wasi:http/outgoing-handler 0.2.10 enricher → enricher stubbed provided by enricher → deny-stubs"} {
		if !strings.Contains(words, want) {
			t.Errorf("audit lacks %q:\n%s", want, table)
		}
	}
}

// Every member stubbed the same way: the service keeps running on what is
// left.
func TestServiceAllStubbed(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles and runs the 30 MB service")
	}
	p := mustPolicy(t, "stub wasi:filesystem/* wasi:sockets/* wasi:http/*")
	var members [3][]byte
	var counts []string
	for i, name := range []string{"business", "enricher", "validator"} {
		wasm := fixture.Read(t, name)
		members[i], _ = enforceMember(t, name, wasm, p)
		counts = append(counts, fmt.Sprintf("%s %d → %d", name, len(importNames(t, wasm)), len(importNames(t, members[i]))))
	}
	svc := composeService(t, members[0], members[1], members[2])
	if err := wasmtools.Validate(t, svc); err != nil {
		t.Fatal(err)
	}
	imports := importNames(t, svc)
	for _, n := range imports {
		if v := p.Decide(n, ""); v.Status != StatusAllowed {
			t.Errorf("the service still imports %s (%s)", n, v.Status)
		}
	}
	t.Logf("imports: %s; service %d → %d", strings.Join(counts, ", "), len(importNames(t, composedService(t))), len(imports))
	if out, errOut, err := wasmtimeRun(t, svc, nil); err != nil || out != serviceRun {
		t.Errorf("wasmtime run = %q, %v\n%s", out, err, errOut)
	}
}

// echo reads /data/greeting.txt from a preopened directory when it can.
// With wasi:filesystem stubbed it finds no preopens (get-directories
// returns none) and carries on: the rest of its job still runs.
func TestEchoWithStubbedFilesystem(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the wasmtime CLI")
	}
	echo := fixture.Read(t, "echo")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "greeting.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	flags := []string{"--dir", dir + "::/data"}
	out, _, err := wasmtimeRun(t, echo, flags, "hi")
	if err != nil || out != "arg: hi\nfile: hello" {
		t.Fatalf("echo as built = %q, %v", out, err)
	}
	stubbed, _ := enforceMember(t, "echo", echo, mustPolicy(t, "stub wasi:filesystem/*"))
	validate.Component(t, stubbed)
	out, errOut, err := wasmtimeRun(t, stubbed, flags, "hi")
	if err != nil || out != "arg: hi" {
		t.Errorf("echo with wasi:filesystem stubbed = %q, %v\n%s\nwant only the argument", out, err, errOut)
	}
}

// A call into a function that traps names the capability: seen from the
// stub of the Python member's wasi:sockets, whose other functions return
// access-denied.
func TestSocketsStubOfBusiness(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the wasmtime CLI")
	}
	business := fixture.Read(t, "business")
	c, _, err := FromComponent(business, "business", "business")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Enforce(c, mustPolicy(t, "stub wasi:sockets/*"))
	if err != nil {
		t.Fatal(err)
	}
	stub := o.Members[0].Bytes
	validate.Component(t, stub)
	if out, errOut, err := wasmtimeInvoke(t, stub, "create-tcp-socket(ipv4)"); err != nil || out != "err(access-denied)" {
		t.Errorf("create-tcp-socket = %q, %v %s", out, err, errOut)
	}
	_, errOut, err := wasmtimeInvoke(t, stub, "instance-network()")
	if err == nil || !strings.Contains(errOut, "wcomp-deny-stub!denied:wasi:sockets/instance-network@0.2.9#instance-network") {
		t.Errorf("instance-network: err %v, stderr:\n%s", err, errOut)
	}
}

// The virtual environment replaces the host's: echo sees the virtual
// variables and arguments, never the ones the host passes, in the wasmtime
// CLI and in wcomp's embedded Wasmtime alike.
func TestEchoWithVirtualEnv(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the wasmtime CLI")
	}
	echo := fixture.Read(t, "echo")
	spec := specFrom(t, "env WCOMP_ECHO=from-the-policy")
	spec.Virtual.Args = []string{"echo", "virtual-arg"}
	p, err := New(spec)
	if err != nil {
		t.Fatal(err)
	}
	venv, o := enforceMember(t, "echo", echo, p)
	if len(o.Members) != 1 || o.Members[0].Kind != GeneratedVirtual {
		t.Fatalf("members %+v", o.Members)
	}
	validate.Component(t, venv)
	want := "arg: virtual-arg\nenv: from-the-policy"
	out, errOut, err := wasmtimeRun(t, venv, []string{"--env", "WCOMP_ECHO=from-the-host"}, "host-arg")
	if err != nil || out != want {
		t.Errorf("wasmtime run = %q, %v %s; want %q", out, err, errOut, want)
	}
	eng, err := host.NewEngine(host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	var stdout bytes.Buffer
	code, err := eng.Run(context.Background(), venv, host.RunOptions{Args: []string{"echo", "host-arg"}, Env: []string{"WCOMP_ECHO=from-the-host"}, Stdout: &stdout})
	if err != nil || code != 0 || strings.TrimSpace(stdout.String()) != want {
		t.Errorf("embedded run = %q, %d, %v; want %q", stdout.String(), code, err, want)
	}
}

// witImports reads a component's imported interfaces, and whether each
// has functions, as wasm-tools reads them.
func witImports(t *testing.T, wasm []byte) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, imp := range wasmtools.WorldImports(t, wasm) {
		if strings.Contains(imp.Name, "/") {
			out[imp.Name] = imp.Functions > 0
		}
	}
	return out
}

// The trace of the composed service agrees with the members' own worlds,
// as wasm-tools reads them: every outer import is brought in by exactly
// the members that import that interface (on its semver track), under
// their own names; a member whose world has no function of it uses it
// only for another import's types.
func TestTraceOfService(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the 30 MB service")
	}
	members := map[string]map[string]bool{}
	for _, name := range []string{"business", "enricher", "validator"} {
		members[name] = witImports(t, fixture.Read(t, name))
	}
	tr, err := TraceComponent(composedService(t), "svc")
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range tr.Imports {
		want := map[string]string{}
		for member, imports := range members {
			for name, hasFuncs := range imports {
				if name == processing || graph.CompatName(name) != graph.CompatName(imp.Name) {
					continue
				}
				use := "calls"
				if !hasFuncs {
					use = "types"
				}
				want[member+" "+name] = use
			}
		}
		got := map[string]string{}
		for _, u := range imp.Users {
			if len(u.Path) != 1 {
				t.Errorf("%s: user path %v, want one member", imp.Name, u.Path)
				continue
			}
			got[u.Path[0]+" "+u.Import] = u.Use.String()
			if u.Use == UseTypes && len(u.TypesFor) == 0 {
				t.Errorf("%s: %s uses it for types, of nothing", imp.Name, u.Path[0])
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: users %v, want %v", imp.Name, got, want)
		}
	}
}

// A composition made by another tool (wac, which writes no name section):
// the members are positional, the enricher and validator nested one level
// deeper, and each import has the same users as in wcomp's composition.
func TestTraceOfWacComposition(t *testing.T) {
	if testing.Short() {
		t.Skip("runs wac on the fixtures")
	}
	dir := t.TempDir()
	mid, chain := filepath.Join(dir, "mid.wasm"), filepath.Join(dir, "chain.wasm")
	runWac(t, fixture.Path(t, "enricher"), fixture.Path(t, "validator"), mid)
	runWac(t, fixture.Path(t, "business"), mid, chain)
	data, err := os.ReadFile(chain)
	if err != nil {
		t.Fatal(err)
	}
	wac, err := TraceComponent(data, "chain")
	if err != nil {
		t.Fatal(err)
	}
	ours, err := TraceComponent(composedService(t), "svc")
	if err != nil {
		t.Fatal(err)
	}
	uses := func(tr *Trace) map[string]string {
		out := map[string]string{}
		for _, imp := range tr.Imports {
			var us []string
			for _, u := range imp.Users {
				us = append(us, u.Use.String())
			}
			slices.Sort(us)
			// by track: wac names a merged import at the lowest version of
			// its members, wcomp at the highest
			out[graph.CompatName(imp.Name)] = strings.Join(us, ",")
		}
		return out
	}
	if got, want := uses(wac), uses(ours); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("users by import: wac's composition %v, wcomp's %v", got, want)
	}
	for _, imp := range wac.Imports {
		if !strings.HasPrefix(imp.Name, "wasi:http/") {
			continue
		}
		for _, u := range imp.Users {
			if len(u.Path) != 2 {
				t.Errorf("%s: user %v, want the enricher nested in mid (two members deep)", imp.Name, u.Path)
			}
		}
	}
	for _, m := range wac.Members {
		if !strings.HasPrefix(m.Path[len(m.Path)-1], "component-") {
			t.Errorf("member %v: wac writes no names, want a positional one", m.Path)
		}
	}
}

// runWac runs `wac plug ROOT --plug PLUG -o OUT`.
func runWac(t *testing.T, root, plug, out string) {
	t.Helper()
	wac, err := exec.LookPath("wac")
	if err != nil {
		t.Fatalf("wac is required by this test (.ci/install.sh installs it): %v", err)
	}
	if b, err := exec.Command(wac, "plug", root, "--plug", plug, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("wac plug: %v\n%s", err, b)
	}
}

// A generated stub composes with another composer too: `wac plug`
// plugs the enricher's stubbed imports by name, and the result validates
// and imports exactly what is left.
func TestStubWithWac(t *testing.T) {
	if testing.Short() {
		t.Skip("runs wac on the fixtures")
	}
	enricher := fixture.Read(t, "enricher")
	c, _, err := FromComponent(enricher, "enricher", "enricher")
	if err != nil {
		t.Fatal(err)
	}
	o, err := Enforce(c, mustPolicy(t, "stub wasi:filesystem/* wasi:http/*"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	stub, out := filepath.Join(dir, "deny-stubs.wasm"), filepath.Join(dir, "out.wasm")
	if err := os.WriteFile(stub, o.Members[0].Bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	runWac(t, fixture.Path(t, "enricher"), stub, out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := wasmtools.Validate(t, data); err != nil {
		t.Fatal(err)
	}
	if got, want := importNames(t, data), minus(importNames(t, enricher), o.Members[0].Exports); !sameSet(got, want) {
		t.Errorf("wac's result imports %v, want %v", got, want)
	}
}
