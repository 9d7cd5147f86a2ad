package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// The seed service, as fixtures/README.md records what it prints (from
// wac and wasmtime 49): business (Python) → enricher (JS) → validator
// (Rust).
const (
	processing    = "example:service/processing@0.1.0"
	chainRun      = "business: accepted order-42/js (status 200, checksum 969803431, tags validated-by-rust,enriched-by-js): validated 17 bytes, enriched\n"
	chainRejected = "\"rejected handle: enricher: request handle/js: empty payload\"\n"
)

// composeChain runs `wcomp compose` on the chain with extra flags, into
// dir/name, and returns the output path and what wcomp printed.
func composeChain(t *testing.T, dir, name string, flags ...string) (out string, code int, stdout, stderr string) {
	t.Helper()
	out = filepath.Join(dir, name)
	args := []string{"compose", fixture.Path(t, "business"),
		"--plug", fixture.Path(t, "enricher"), "--plug", fixture.Path(t, "validator"),
		"--wire", "business:" + processing + "=enricher:" + processing,
		"--wire", "enricher:" + processing + "=validator:" + processing,
		"-o", out}
	code, stdout, stderr = runWcomp(append(args, flags...)...)
	return out, code, stdout, stderr
}

// plainChain composes the chain without a policy into dir/plain.wasm.
func plainChain(t *testing.T, dir string) string {
	t.Helper()
	out, code, _, stderr := composeChain(t, dir, "plain.wasm")
	if code != 0 {
		t.Fatalf("plain chain: exit %d: %s", code, stderr)
	}
	return out
}

// witImports lists the imports of the component at path as wasm-tools
// reads them.
func witImports(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return wasmtools.WorldImportNames(t, data)
}

func hasPrefixAny(s string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
}

func sameStrings(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// The scenario through `wcomp compose`: the JS, Python and Rust
// chain with wasi:filesystem/*, wasi:sockets/* and wasi:http/* stubbed.
// The output validates, its import list (as wasm-tools reads it) is the
// unstubbed chain's minus exactly the stubbed interfaces, and it still
// does its job in a plain `wasmtime run` without -S http.
func TestComposeStubbedChain(t *testing.T) {
	if testing.Short() {
		t.Skip("composes and runs the 29 MB service")
	}
	dir := t.TempDir()
	plain := plainChain(t, dir)
	stubs := []string{"wasi:filesystem/", "wasi:sockets/", "wasi:http/"}
	out, code, stdout, stderr := composeChain(t, dir, "stubbed.wasm", "--stub", "wasi:filesystem/*", "--stub", "wasi:sockets/*", "--stub", "wasi:http/*")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{
		"deny-stubs-enricher (deny-stub) serves enricher's wasi:filesystem/types@0.2.12, wasi:filesystem/preopens@0.2.12, wasi:http/types@0.2.10, wasi:http/outgoing-handler@0.2.10\n",
		"deny-stubs-business (deny-stub) serves business's wasi:filesystem/types@0.2.9, wasi:filesystem/preopens@0.2.9, wasi:sockets/network@0.2.9",
		"deny-stubs-validator (deny-stub) serves validator's wasi:filesystem/types@0.2.12, wasi:filesystem/preopens@0.2.12\n",
		"  policy:    16 allowed, 11 stubbed (wcomp audit " + out + " shows them)\n",
		"  imports:   16 remaining (",
		"  replaced:  11 by the policy (",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	checkWithWasmTools(t, out)

	before, after := witImports(t, plain), witImports(t, out)
	var kept, stubbed []string
	for _, name := range before {
		if hasPrefixAny(name, stubs) {
			stubbed = append(stubbed, name)
		} else {
			kept = append(kept, name)
		}
	}
	if len(stubbed) != 11 || !sameStrings(after, kept) {
		t.Errorf("imports: %d before, %d after; the output imports\n  %v\nwant the plain chain's minus the %d stubbed\n  %v", len(before), len(after), after, len(stubbed), kept)
	}
	t.Logf("imports of the chain (wasm-tools component wit): %d → %d with wasi:filesystem/*, wasi:sockets/*, wasi:http/* stubbed", len(before), len(after))

	if got, code := wasmtimeRun(t, out); code != 0 || got != chainRun {
		t.Errorf("wasmtime run (no -S http) = %q, exit %d; want %q", got, code, chainRun)
	}
	if got, code := wasmtimeRun(t, "--invoke", `handle("")`, out); code != 0 || got != chainRejected {
		t.Errorf("wasmtime run --invoke = %q, exit %d; want %q", got, code, chainRejected)
	}
	// wasmtime run is the Wasmtime check here. The embedded Wasmtime 44
	// cannot compile this output: every interface stubbed has resource
	// methods, whose borrow<self> crosses from the member into its stub
	// (Wasmtime bug #13540, fixed in 46; see host/doc.go), and `wcomp run`
	// says so. TestComposeStubbedChainEmbedded runs a stubbed chain in it.
}

// checkWithWasmTools runs `wasm-tools validate` on the file at path. The
// tests that call it check the output with the wasmtime CLI by running it,
// where the embedded Wasmtime has bug #13540 (validate.Component would
// compile the 29 MB output three times to find that out).
func checkWithWasmTools(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.WasmTools(data); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// Stubs of interfaces without resource methods (what create sockets and
// preopens, and outgoing HTTP) and a virtual environment: the embedded
// Wasmtime runs the result, which imports exactly the rest.
func TestComposeStubbedChainEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("composes and runs the 29 MB service")
	}
	dir := t.TempDir()
	plain := plainChain(t, dir)
	replaced := []string{"wasi:filesystem/preopens@", "wasi:sockets/instance-network@", "wasi:sockets/tcp-create-socket@", "wasi:sockets/udp-create-socket@", "wasi:http/outgoing-handler@", "wasi:cli/environment@"}
	out, code, _, stderr := composeChain(t, dir, "stubbed.wasm",
		"--stub", "wasi:filesystem/preopens", "--stub", "wasi:sockets/instance-network",
		"--stub", "wasi:sockets/tcp-create-socket", "--stub", "wasi:sockets/udp-create-socket",
		"--stub", "wasi:http/outgoing-handler", "--virtual-env", "MODE=test")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	before, after := witImports(t, plain), witImports(t, out)
	var kept []string
	for _, name := range before {
		if !hasPrefixAny(name, replaced) {
			kept = append(kept, name)
		}
	}
	if len(kept) != len(before)-len(replaced) || !sameStrings(after, kept) {
		t.Errorf("the output imports %v, want %v", after, kept)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, data) // compiled once, then cached for the runs
	for _, args := range [][]string{{"run", "--http", out}, {"run", "--http", "--invoke", `handle("")`, out}} {
		want := chainRun
		if len(args) > 3 {
			want = chainRejected
		}
		if code, got, stderr := runWcomp(args...); code != 0 || got != want {
			t.Errorf("wcomp %v: exit %d, stdout %q, stderr %q; want %q", args, code, got, stderr, want)
		}
	}
}

// A member brings in only what it is granted, even when the others may
// have more: every member may use WASI, but the enricher is granted only
// cli, io, clocks and random, so its filesystem and http imports are
// stubbed (`--stub '*'` stubs what a grant leaves out), while the business
// and the validator keep the real wasi:filesystem. The stub made for the
// enricher is wired to it alone.
func TestComposeGrants(t *testing.T) {
	if testing.Short() {
		t.Skip("composes and runs the 29 MB service")
	}
	dir := t.TempDir()
	out, code, stdout, stderr := composeChain(t, dir, "granted.wasm",
		"--allow", "wasi:*", "--stub", "*", "--grant", "enricher=wasi:cli/*,wasi:io/*,wasi:clocks/*,wasi:random/*")
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if want := "deny-stubs (deny-stub) serves enricher's wasi:filesystem/types@0.2.12, wasi:filesystem/preopens@0.2.12, wasi:http/types@0.2.10, wasi:http/outgoing-handler@0.2.10\n"; !strings.Contains(stdout, want) {
		t.Errorf("summary lacks %q:\n%s", want, stdout)
	}
	checkWithWasmTools(t, out)
	imports := witImports(t, out)
	for _, want := range []string{"wasi:filesystem/types@0.2.12", "wasi:filesystem/preopens@0.2.12", "wasi:sockets/tcp@0.2.9"} {
		if !slices.Contains(imports, want) {
			t.Errorf("the output lacks %s, which the business and the validator may have: %v", want, imports)
		}
	}
	for _, name := range imports {
		if strings.HasPrefix(name, "wasi:http/") {
			t.Errorf("the output imports %s, which only the enricher asked for", name)
		}
	}
	// Who takes the real wasi:filesystem, from the output's own bytes.
	code, js, stderr := runWcomp("audit", out, "--json")
	if code != 0 {
		t.Fatalf("audit: exit %d: %s", code, stderr)
	}
	var report struct {
		Imports []struct {
			Import, Status, Provider string
			Members                  []struct{ Member string }
		}
	}
	if err := json.Unmarshal([]byte(js), &report); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	for _, row := range report.Imports {
		if row.Import != "wasi:filesystem/types@0.2.12" {
			continue
		}
		var members []string
		for _, m := range row.Members {
			members = append(members, m.Member)
		}
		switch row.Status {
		case "allowed":
			if slices.Contains(members, "enricher") {
				t.Errorf("the enricher takes the host's wasi:filesystem/types: %v", members)
			}
		case "stubbed":
			if !slices.Equal(members, []string{"enricher"}) {
				t.Errorf("the stub serves %v, want only the enricher", members)
			}
		}
	}
	if got, code := wasmtimeRun(t, out); code != 0 || got != chainRun {
		t.Errorf("wasmtime run = %q, exit %d", got, code)
	}
}

// A denied capability fails before anything is written: the audit table
// on stderr, naming every member and capability, and the error line.
func TestComposeDenied(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the 29 MB service's members")
	}
	dir := t.TempDir()
	out, code, stdout, stderr := composeChain(t, dir, "denied.wasm",
		"--allow", "wasi:*", "--deny", "wasi:sockets/*", "--grant", "enricher=wasi:cli/*,wasi:io/*,wasi:clocks/*,wasi:random/*")
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q; want exit 1 and nothing on stdout", code, stdout)
	}
	words := strings.Join(strings.Fields(stderr), " ") // column widths aside
	for _, want := range []string{
		"Capabilities of business: 27 imports (16 allowed, 11 denied)",
		"wasi:http/types 0.2.10 enricher denied not granted to enricher",
		"wasi:filesystem/types 0.2.12 validator (allowed), enricher (denied), business (allowed) denied not granted to enricher",
		"wasi:sockets/tcp 0.2.9 business denied deny wasi:sockets/*",
		"error: business: 11 capabilities denied: enricher imports wasi:filesystem/types@0.2.12, wasi:filesystem/preopens@0.2.12, wasi:http/types@0.2.10, wasi:http/outgoing-handler@0.2.10 (not granted to enricher); business imports wasi:sockets/network@0.2.9,",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s exists after a violation (%v)", out, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the output directory holds %d entries, want none", len(entries))
	}
}

// Policy flags that are wrong fail before any member is read, naming the
// flag and where in its value the problem is.
func TestComposePolicyFlagErrors(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "missing.wasm") // never opened
	out := filepath.Join(dir, "out.wasm")
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{[]string{"--deny", "wasi:*/x"}, `error: --deny "wasi:*/x" (at offset 5): `},
		{[]string{"--allow", "wasi:cli/*", "--stub", "wasi:cli/*"}, `error: --stub "wasi:cli/*": both allowed and stubbed`},
		{[]string{"--grant", "enricher"}, `error: --grant "enricher": expected MEMBER=PATTERN[,PATTERN...]`},
		{[]string{"--virtual-env", "NOVALUE"}, `error: --virtual-env "NOVALUE": expected KEY=VALUE`},
	} {
		code, stdout, stderr := runWcomp(append([]string{"compose", root, "-o", out}, tc.flags...)...)
		if code != 1 || stdout != "" || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want it to start %q", tc.flags, code, stdout, stderr, tc.want)
		}
	}
}

// A WAC document takes the same policy flags: its instances are the
// members the policy judges and grants name, and the stubs are wired to
// them as to flags' members.
func TestComposeWACPolicy(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "app.wac")
	writeFile(t, doc, []byte("package test:app;\n\nlet reader = new test:io-consumer { ... };\nexport reader.copy;\n"))
	dep := "test:io-consumer=" + fixture.Path(t, "wit-io-consumer")
	out := filepath.Join(dir, "app.wasm")

	code, stdout, stderr := runWcomp("compose", doc, "--dep", dep, "-o", out, "--deny", "example:io/poll", "--grant", "reader=example:io/*")
	words := strings.Join(strings.Fields(stderr), " ")
	for _, want := range []string{
		"example:io/poll 0.1.0 reader denied deny example:io/poll",
		"error: test:app: capability denied: reader imports example:io/poll@0.1.0 (deny example:io/poll)",
	} {
		if !strings.Contains(words, want) {
			t.Errorf("denied: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(out); code != 1 || stdout != "" || !os.IsNotExist(err) {
		t.Errorf("denied: exit %d, stdout %q, output %v; want exit 1, nothing written", code, stdout, err)
	}

	code, stdout, stderr = runWcomp("compose", doc, "--dep", dep, "-o", out, "--stub", "example:io/*")
	if code != 0 || stderr != "" {
		t.Fatalf("stubbed: exit %d, stderr %q", code, stderr)
	}
	if want := "deny-stubs (deny-stub) serves reader's example:io/error@0.1.0, example:io/poll@0.1.0, example:io/streams@0.1.0\n"; !strings.Contains(stdout, want) {
		t.Errorf("summary lacks %q:\n%s", want, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, data)
	if got := wasmtools.WorldImportNames(t, data); len(got) != 0 {
		t.Errorf("the output imports %v, want nothing", got)
	}
}
