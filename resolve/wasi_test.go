package resolve

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/wasmtools"
	"github.com/wcomp/wcomp/wit"
)

// jcoWASI is WASI 0.2.12 as jco ships it (fixtures/js/node_modules, put
// there by .ci/install.sh): one directory per package.
const jcoWASI = "../fixtures/js/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12"

// wasiRegistry is a fakeRegistry whose packages are real WASI 0.2.12,
// each in the binary encoding wasm-tools gives it (what `wkg publish`
// publishes).
func wasiRegistry(t testing.TB) *fakeRegistry {
	t.Helper()
	entries, err := os.ReadDir(jcoWASI)
	if err != nil {
		if testing.Short() {
			t.Skip("jco's WASI WIT is not installed (.ci/install.sh)")
		}
		t.Fatalf("jco's WASI WIT: %v: run .ci/install.sh", err)
	}
	reg := newFakeRegistry(t)
	reg.host = "ghcr.io/webassembly"
	for _, pkg := range entries {
		// Each package encoded with all of WASI beside it in deps/.
		dir := t.TempDir()
		for _, e := range entries {
			dst := filepath.Join(dir, "deps", e.Name(), "package.wit")
			if e.Name() == pkg.Name() {
				dst = filepath.Join(dir, "package.wit")
			}
			data, err := os.ReadFile(filepath.Join(jcoWASI, e.Name(), "package.wit"))
			if err != nil {
				t.Fatal(err)
			}
			write(t, dst, string(data))
		}
		bin, err := exec.Command(wasmtools.Path(t), "component", "wit", "--wasm", dir).Output()
		if err != nil {
			t.Fatalf("encoding %s: %v", pkg.Name(), err)
		}
		info, err := wit.ReadPackageBinary(bin)
		if err != nil {
			t.Fatal(err)
		}
		reg.comps[info.Name] = map[string][]byte{info.Version: bin}
	}
	return reg
}

// TestWASIFromRegistry resolves `"wasi:cli" = "0.2.x"` against real WASI
// packages in their published form: wasi:cli's references (io, clocks,
// filesystem, sockets, random) are fetched at their exact versions and
// everything is vendored as WIT text. The vendored directory must then
// mean exactly what the original does: a component built by wasm-tools
// for each world from either has the same type. And componentize-py,
// which builds Python members, must read it.
func TestWASIFromRegistry(t *testing.T) {
	reg := wasiRegistry(t)
	dir := t.TempDir()
	app := "package example:app@0.1.0;\n\nworld app {\n  include wasi:cli/imports@0.2.12;\n  export run: func() -> string;\n}\n"
	write(t, filepath.Join(dir, "wit", "app.wit"), app)
	in := Inputs{Project: "example:app", Dir: dir, WITDir: "wit", WIT: []WITDependency{{Name: "wasi:cli", Version: "0.2.x"}}}
	res, err := Resolve(context.Background(), in, Options{}, Env{Registry: reg, Store: newDirStore(t)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range res.Packages {
		got = append(got, p.ID()+" "+p.Source)
	}
	want := "wasi:cli@0.2.12 registry+ghcr.io/webassembly/wasi/cli\n" +
		"wasi:clocks@0.2.12 registry+ghcr.io/webassembly/wasi/clocks\n" +
		"wasi:filesystem@0.2.12 registry+ghcr.io/webassembly/wasi/filesystem\n" +
		"wasi:io@0.2.12 registry+ghcr.io/webassembly/wasi/io\n" +
		"wasi:random@0.2.12 registry+ghcr.io/webassembly/wasi/random\n" +
		"wasi:sockets@0.2.12 registry+ghcr.io/webassembly/wasi/sockets"
	if strings.Join(got, "\n") != want {
		t.Errorf("packages:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	witDir := filepath.Join(dir, "wit")
	if _, err := wit.Vendor(witDir, res.Vendored(), nil); err != nil {
		t.Fatal(err)
	}
	p, err := wit.Load(witDir)
	if err != nil {
		t.Fatalf("vendored WASI does not load: %v", err)
	}

	// Offline, with an empty cache: the vendored copies are all it needs.
	reg.calls = nil
	again, err := Resolve(context.Background(), in, Options{Lock: res.Lock, Offline: true}, Env{Registry: reg, Store: newDirStore(t)})
	if err != nil {
		t.Fatalf("offline rebuild from the vendored copies: %v", err)
	}
	if len(again.Changes) != 0 || len(reg.calls) != 0 {
		t.Errorf("offline rebuild: changes %v, registry calls %v", again.Changes, reg.calls)
	}

	// The same worlds from the original text: one directory holding app.wit
	// and jco's packages.
	orig := t.TempDir()
	write(t, filepath.Join(orig, "app.wit"), app)
	entries, _ := os.ReadDir(jcoWASI)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(jcoWASI, e.Name(), "package.wit"))
		write(t, filepath.Join(orig, "deps", e.Name(), "package.wit"), string(data))
	}
	for _, world := range []string{"app", "wasi:cli/command@0.2.12", "wasi:sockets/imports@0.2.12", "wasi:filesystem/imports@0.2.12"} {
		if _, err := p.FindWorld(world); err != nil {
			t.Errorf("%s: %v", world, err)
			continue
		}
		ours, err := component.DecodeType(wasmtools.DummyComponent(t, witDir, world))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := component.DecodeType(wasmtools.DummyComponent(t, orig, world))
		if err != nil {
			t.Fatal(err)
		}
		a, _ := wit.Canonical(ours)
		b, _ := wit.Canonical(theirs)
		if a != b {
			t.Errorf("%s from the vendored WIT differs from the original", world)
		}
	}

	if testing.Short() {
		return
	}
	py, err := exec.LookPath("componentize-py")
	if err != nil {
		t.Fatal("componentize-py not found: run .ci/install.sh")
	}
	out := t.TempDir()
	if msg, err := exec.Command(py, "-d", witDir, "-w", "app", "bindings", out).CombinedOutput(); err != nil {
		t.Fatalf("componentize-py bindings: %v\n%s", err, msg)
	}
	if _, err := os.Stat(filepath.Join(out, "wit_world", "imports", "streams.py")); err != nil {
		t.Errorf("componentize-py wrote no binding for wasi:io/streams: %v", err)
	}
}

// BenchmarkResolveVendored is what every build pays when nothing changed:
// resolving WASI 0.2.12 (six packages) against a current lock and
// vendored deps/, offline.
func BenchmarkResolveVendored(b *testing.B) {
	reg := wasiRegistry(b)
	dir := b.TempDir()
	write(b, filepath.Join(dir, "wit", "app.wit"), "package example:app@0.1.0;\n\nworld app {\n  include wasi:cli/imports@0.2.12;\n}\n")
	in := Inputs{Project: "example:app", Dir: dir, WITDir: "wit", WIT: []WITDependency{{Name: "wasi:cli", Version: "0.2.x"}}}
	ctx := context.Background()
	res, err := Resolve(ctx, in, Options{}, Env{Registry: reg})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := wit.Vendor(filepath.Join(dir, "wit"), res.Vendored(), nil); err != nil {
		b.Fatal(err)
	}
	opts := Options{Lock: res.Lock, Offline: true}
	for b.Loop() {
		if _, err := Resolve(ctx, in, opts, Env{Registry: reg}); err != nil {
			b.Fatal(err)
		}
	}
}
