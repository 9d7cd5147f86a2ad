package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	wasmtime "github.com/bytecodealliance/wasmtime-go/v44"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/policy"
)

// Under a policy, an import it does not allow is absent at run time: the
// component is not instantiated, and the error names the import and the
// rule.
func TestRunPolicy(t *testing.T) {
	echo := fixture.Path(t, "echo")
	code, stdout, stderr := runWcomp("run", echo, "--allow", "wasi:*", "--deny", "wasi:filesystem/*", "--", "hi")
	want := "error: " + echo + ": component imports wasi:filesystem/types@0.2.12, which is not granted: deny wasi:filesystem/* (by --deny)\n"
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, stdout, stderr, want)
	}
	code, stdout, stderr = runWcomp("run", echo, "--allow", "wasi:cli/*", "--", "hi")
	if code != 1 || !strings.Contains(stderr, "which is not granted: not in the allow list") {
		t.Errorf("allow list: exit %d, stderr %q", code, stderr)
	}
	code, stdout, stderr = runWcomp("run", echo, "--allow", "wasi:*", "--", "hi")
	if code != 0 || stdout != "arg: hi\n" {
		t.Errorf("allowed: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, stderr := runWcomp("run", echo, "--deny", "wasi:*/x"); code != 1 || !strings.Contains(stderr, `--deny "wasi:*/x" (at offset 5)`) {
		t.Errorf("bad pattern: exit %d, stderr %q", code, stderr)
	}
}

// --dir HOST::GUEST:ro grants a directory in which the guest can create
// nothing (the probe tries to).
func TestRunReadOnlyDir(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "host", "testdata", "fsprobe.wat"))
	if err != nil {
		t.Fatal(err)
	}
	wasm, err := wasmtime.Wat2Wasm(string(src))
	if err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(t.TempDir(), "probe.wasm")
	if err := os.WriteFile(probe, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ suffix, want string }{{"", "true\n"}, {":ro", "false\n"}} {
		dir := t.TempDir()
		code, stdout, stderr := runWcomp("run", probe, "--dir", dir+"::/data"+tt.suffix, "--invoke", "probe()")
		if code != 0 || stdout != tt.want {
			t.Errorf("--dir …%s: exit %d, stdout %q, stderr %q; want %q", tt.suffix, code, stdout, stderr, tt.want)
		}
		_, statErr := os.Stat(filepath.Join(dir, "out.txt"))
		if created := statErr == nil; created != (tt.suffix == "") {
			t.Errorf("--dir …%s: out.txt created: %v", tt.suffix, created)
		}
	}
	if code, _, stderr := runWcomp("run", probe, "--dir", "::/data"); code != 1 || !strings.Contains(stderr, "expected HOST::GUEST[:ro]") {
		t.Errorf("bad --dir: exit %d, stderr %q", code, stderr)
	}
}

// A call into a deny-stub is reported as a denied capability, by name.
func TestRunDeniedCall(t *testing.T) {
	hello := fixture.Read(t, "hello")
	c, _, err := policy.FromComponent(hello, "hello", "hello")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Flags{Stub: []string{"wasi:cli/stdout"}}.Policy()
	if err != nil {
		t.Fatal(err)
	}
	o, err := policy.Enforce(c, p)
	if err != nil {
		t.Fatal(err)
	}
	opts := compose.Options{Root: compose.Input{Name: "hello", Bytes: hello}}
	for _, m := range o.Members {
		opts.Plugs = append(opts.Plugs, compose.Input{Name: m.Name, Bytes: m.Bytes})
	}
	res, err := compose.Compose(opts)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hello.wasm")
	if err := os.WriteFile(path, res.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runWcomp("run", path)
	want := "error: " + path + ": the component called get-stdout of wasi:cli/stdout@0.2.12, a capability the policy denied when it was composed (a deny-stub traps in its place): "
	if code != 1 || stdout != "" || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want it to start %q", code, stdout, stderr, want)
	}
}
