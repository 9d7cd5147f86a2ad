package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtimecli"
)

// member reads fixture NAME as a composition member named NAME.
func member(t *testing.T, name string) compose.Input {
	t.Helper()
	return compose.Input{Name: name, Bytes: fixture.Read(t, name), Path: fixture.Path(t, name)}
}

func slow(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end: slow, skipped under -short")
	}
}

var engine = sync.OnceValues(func() (*host.Engine, error) { return host.NewEngine(host.Options{}) })

func eng(t *testing.T) *host.Engine {
	t.Helper()
	e, err := engine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func composeOK(t *testing.T, opts compose.Options) *compose.Result {
	t.Helper()
	res, err := compose.Compose(opts)
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, res.Bytes())
	return res
}

// The seed: a Python consumer plugged with a Rust provider. The consumer's
// run prints what the provider answered; handle() returns it.
func TestSeedPythonRust(t *testing.T) {
	slow(t)
	res := composeOK(t, compose.Options{Root: member(t, "business"), Plugs: []compose.Input{member(t, "validator")}})
	var stdout bytes.Buffer
	code, err := eng(t).Run(context.Background(), res.Bytes(), host.RunOptions{Args: []string{"business"}, Stdout: &stdout})
	if err != nil || code != 0 {
		t.Fatalf("run: code %d, err %v\n%s", code, err, stdout.String())
	}
	if got := stdout.String(); !strings.Contains(got, "accepted order-42") || !strings.Contains(got, "200") || !strings.Contains(got, "validated-by-rust") {
		t.Fatalf("stdout %q: want the Rust validator's verdict (accepted order-42, 200, validated-by-rust)", got)
	}
	out, err := eng(t).Invoke(context.Background(), res.Bytes(), `handle("hello")`, host.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "validated 5 bytes") || !strings.Contains(out, "validated-by-rust") {
		t.Fatalf("handle(\"hello\") = %s", out)
	}
	// The WASI imports of both (0.2.9 from Python, 0.2.12 from Rust) are
	// merged: one import per interface, at the highest version.
	ct, err := component.DecodeType(res.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, im := range ct.Imports {
		base, _, _ := strings.Cut(im.Name, "@")
		if prev, dup := seen[base]; dup {
			t.Errorf("%s imported twice (%s and %s)", base, prev, im.Name)
		}
		seen[base] = im.Name
		if strings.HasPrefix(im.Name, "example:service/") {
			t.Errorf("output still imports %s, which the validator provides", im.Name)
		}
	}
	if got := seen["wasi:io/streams"]; got != "wasi:io/streams@0.2.12" {
		t.Errorf("wasi:io/streams imported as %q, want the highest version @0.2.12", got)
	}
	compareWithWac(t, res.Bytes(), "business", "validator")
}

// A chain through a JS component: business → enricher (JS) → validator
// (Rust). Both plugs export the interface business imports, so the chain is
// wired explicitly.
func TestChainThroughJS(t *testing.T) {
	slow(t)
	const iface = "example:service/processing@0.1.0"
	res := composeOK(t, compose.Options{
		Root:  member(t, "business"),
		Plugs: []compose.Input{member(t, "enricher"), member(t, "validator")},
		Wires: []graph.Wire{
			{Consumer: "business", Import: iface, Provider: "enricher", Export: iface},
			{Consumer: "enricher", Import: iface, Provider: "validator", Export: iface},
		},
	})
	if strings.Join(res.Members, ",") != "validator,enricher,business" {
		t.Fatalf("members %v, want validator, enricher, business", res.Members)
	}
	// The enricher (componentize-js output) imports wasi:http, which the
	// host links only when asked.
	out, err := eng(t).Invoke(context.Background(), res.Bytes(), `handle("hello")`, host.RunOptions{HTTP: true})
	if err != nil {
		t.Fatal(err)
	}
	// The validator tags its verdict, and the JS enricher tags the
	// validator's answer on the way back: both tags show all three ran.
	if !strings.Contains(out, "validated-by-rust") || !strings.Contains(out, "enriched-by-js") {
		t.Fatalf("handle(\"hello\") = %s: want the Rust validator reached through the JS enricher (validated-by-rust, enriched-by-js)", out)
	}
	t.Logf("handle(\"hello\") = %s", out)
}

// One component instantiated twice: business → outer → inner → validator,
// where outer and inner are two instances of the JS enricher, embedded
// once. Each instance appends its own tag and its own "/js" to the id, so
// the answer shows that both ran.
func TestSameComponentTwiceJS(t *testing.T) {
	slow(t)
	const iface = "example:service/processing@0.1.0"
	enricher := member(t, "enricher")
	outer, inner := enricher, enricher
	outer.Name, inner.Name = "outer", "inner"
	res := composeOK(t, compose.Options{
		Root:  member(t, "business"),
		Plugs: []compose.Input{outer, inner, member(t, "validator")},
		Wires: []graph.Wire{
			{Consumer: "business", Import: iface, Provider: "outer", Export: iface},
			{Consumer: "outer", Import: iface, Provider: "inner", Export: iface},
			{Consumer: "inner", Import: iface, Provider: "validator", Export: iface},
		},
		// The enricher is counted whole: with sharing, the shim it has in
		// common with the validator would be an alias (compose's sharing
		// tests cover that).
		NoShareModules: true,
	})
	if got := strings.Join(res.Members, ","); got != "validator,inner,outer,business" {
		t.Fatalf("members %s, want validator, inner, outer, business", got)
	}
	if n := bytes.Count(res.Bytes(), enricher.Bytes); n != 1 {
		t.Fatalf("the enricher is embedded %d times, want once", n)
	}
	var stdout bytes.Buffer
	code, err := eng(t).Run(context.Background(), res.Bytes(), host.RunOptions{Args: []string{"business"}, Stdout: &stdout, HTTP: true})
	if err != nil || code != 0 {
		t.Fatalf("run: code %d, err %v\n%s", code, err, stdout.String())
	}
	const want = "business: accepted order-42/js/js (status 200, checksum 969803431, tags validated-by-rust,enriched-by-js,enriched-by-js): validated 17 bytes, enriched, enriched\n"
	if got := stdout.String(); got != want {
		t.Fatalf("stdout:\n  %q\nwant:\n  %q", got, want)
	}
}

// A component exporting a resource, used by another through its handle.
//
// The embedded Wasmtime 44 fails to compile the fused adapter between these
// two components (its bug #13540, host.ErrBorrowAdapterBug; it fails the
// same way on wac's output of the same inputs): validate.Component has the
// wasmtime CLI (46 or later, which has the fix) compile it on that error
// only, and the CLI runs the result.
func TestExportedResource(t *testing.T) {
	slow(t)
	res, err := compose.Compose(compose.Options{Root: member(t, "counter-user"), Plugs: []compose.Input{member(t, "counter")}})
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, res.Bytes())
	f := filepath.Join(t.TempDir(), "counter.wasm")
	if err := os.WriteFile(f, res.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(wasmtimecli.Path(t), "run", "--invoke", "count(5, 3)", f).CombinedOutput()
	if err != nil {
		t.Fatalf("wasmtime run: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "8" {
		t.Fatalf("count(5, 3) = %s, want 8", got)
	}
	compareWithWac(t, res.Bytes(), "counter-user", "counter")
}

// A WASI command, composed on its own (re-wrapped), prints to stdout.
func TestHelloStdout(t *testing.T) {
	slow(t)
	res := composeOK(t, compose.Options{Root: member(t, "hello")})
	var stdout bytes.Buffer
	code, err := eng(t).Run(context.Background(), res.Bytes(), host.RunOptions{Args: []string{"hello", "world"}, Stdout: &stdout})
	if err != nil || code != 0 {
		t.Fatalf("run: code %d, err %v", code, err)
	}
	if got, want := stdout.String(), "hello from rust\n"; got != want {
		t.Fatalf("stdout %q, want %q", got, want)
	}
}

// compareWithWac composes the same inputs with `wac plug` and checks that
// both outputs import the same interfaces and export the same names. Import
// versions may differ: wcomp imports each interface at the highest version
// any member asks for, where wac keeps the root's. wac is part of the test
// setup (.ci/install.sh installs it): a missing wac fails the test.
func compareWithWac(t *testing.T, ours []byte, root string, plugs ...string) {
	t.Helper()
	wac := wacPath(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "wac.wasm")
	args := []string{"plug", fixture.Path(t, root)}
	for _, p := range plugs {
		args = append(args, "--plug", fixture.Path(t, p))
	}
	args = append(args, "-o", out)
	if msg, err := exec.Command(wac, args...).CombinedOutput(); err != nil {
		t.Fatalf("wac %v: %v\n%s", args, err, msg)
	}
	theirs, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	oi, oe := names(t, ours)
	ti, te := names(t, theirs)
	if strings.Join(unversioned(oi), " ") != strings.Join(unversioned(ti), " ") || strings.Join(oe, " ") != strings.Join(te, " ") {
		t.Errorf("wcomp and wac differ:\n wcomp imports %s\n   wac imports %s\n wcomp exports %s\n   wac exports %s", oi, ti, oe, te)
	}
	for i := range oi {
		if i < len(ti) && oi[i] != ti[i] {
			t.Logf("version: wcomp imports %s, wac %s", oi[i], ti[i])
		}
	}
}

// names returns a component's import and export names, sorted.
func names(t *testing.T, data []byte) (imports, exports []string) {
	t.Helper()
	ct, err := component.DecodeType(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range ct.Imports {
		imports = append(imports, i.Name)
	}
	for _, e := range ct.Exports {
		exports = append(exports, e.Name)
	}
	sort.Strings(imports)
	sort.Strings(exports)
	return imports, exports
}

func unversioned(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i], _, _ = strings.Cut(n, "@")
	}
	return out
}

// wacPath finds wac on PATH or where cargo installs it.
func wacPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("wac"); err == nil {
		return p
	}
	p := filepath.Join(os.Getenv("HOME"), ".cargo", "bin", "wac")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("wac is not installed (not on PATH, nor at %s): run .ci/install.sh (cargo install wac-cli --locked) to compare with the peer", p)
	}
	return p
}
