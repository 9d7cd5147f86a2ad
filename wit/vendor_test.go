package wit

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

func TestDepsEntry(t *testing.T) {
	for _, tc := range []struct{ name, version, want string }{
		{"wasi:cli", "0.2.3", "wasi-cli-0.2.3"},
		{"example:types", "", "example-types"},
		{"a:b:c", "1.0.0-rc.1+x", "a-b-c-1.0.0-rc.1+x"},
	} {
		if got := DepsEntry(tc.name, tc.version); got != tc.want {
			t.Errorf("DepsEntry(%q, %q) = %q, want %q", tc.name, tc.version, got, tc.want)
		}
	}
}

func listDeps(t *testing.T, witDir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join(witDir, "deps"), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(witDir, "deps"), path)
			data, _ := os.ReadFile(path)
			out = append(out, filepath.ToSlash(rel)+"="+string(data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// TestVendorKeepsDepsInStep: entries are written when they differ and only
// then, removed when they were ours and are no longer wanted, and anything
// put in deps/ by hand is left alone.
func TestVendorKeepsDepsInStep(t *testing.T) {
	wit := filepath.Join(t.TempDir(), "wit")
	a := VendoredPackage{Entry: "x-a-1.0.0", Files: []File{{Name: "a.wit", Data: []byte("package x:a@1.0.0;\n")}}}
	b := VendoredPackage{Entry: "x-b-2.0.0", Files: []File{{Name: "package.wit", Data: []byte("package x:b@2.0.0;\n")}}}
	step := func(pkgs []VendoredPackage, managed []string, written, removed []string, files ...string) {
		t.Helper()
		res, err := Vendor(wit, pkgs, managed)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Written, written) || !reflect.DeepEqual(res.Removed, removed) {
			t.Errorf("wrote %v removed %v, want %v and %v", res.Written, res.Removed, written, removed)
		}
		if got := listDeps(t, wit); !reflect.DeepEqual(got, files) {
			t.Errorf("deps/ holds %q, want %q", got, files)
		}
		if stale, _ := filepath.Glob(filepath.Join(wit, tempPrefix+"*")); len(stale) > 0 {
			t.Errorf("temporary directories left: %v", stale)
		}
	}
	step([]VendoredPackage{a, b}, nil, []string{"x-a-1.0.0", "x-b-2.0.0"}, nil,
		"x-a-1.0.0/a.wit=package x:a@1.0.0;\n", "x-b-2.0.0/package.wit=package x:b@2.0.0;\n")
	step([]VendoredPackage{a, b}, []string{"x-a-1.0.0", "x-b-2.0.0"}, nil, nil,
		"x-a-1.0.0/a.wit=package x:a@1.0.0;\n", "x-b-2.0.0/package.wit=package x:b@2.0.0;\n")

	// A hand edit and a stray file in a vendored package are undone.
	if err := os.WriteFile(filepath.Join(wit, "deps", "x-a-1.0.0", "a.wit"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wit, "deps", "x-a-1.0.0", "extra.wit"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Something vendored by hand, which wcomp never wrote.
	if err := os.MkdirAll(filepath.Join(wit, "deps", "mine"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wit, "deps", "mine", "m.wit"), []byte("package my:own;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	step([]VendoredPackage{a, b}, []string{"x-a-1.0.0", "x-b-2.0.0"}, []string{"x-a-1.0.0"}, nil,
		"mine/m.wit=package my:own;\n", "x-a-1.0.0/a.wit=package x:a@1.0.0;\n", "x-b-2.0.0/package.wit=package x:b@2.0.0;\n")

	// b is no longer a dependency; "mine" was never managed.
	step([]VendoredPackage{a}, []string{"x-a-1.0.0", "x-b-2.0.0", "mine-not-listed"}, nil, []string{"x-b-2.0.0"},
		"mine/m.wit=package my:own;\n", "x-a-1.0.0/a.wit=package x:a@1.0.0;\n")
}

func TestVendorRefusesBadEntries(t *testing.T) {
	wit := t.TempDir()
	for _, tc := range []struct {
		pkg  VendoredPackage
		want string
	}{
		{VendoredPackage{Entry: "../x", Files: []File{{Name: "a.wit"}}}, "not a deps/ entry name"},
		{VendoredPackage{Entry: ".hidden", Files: []File{{Name: "a.wit"}}}, "not a deps/ entry name"},
		{VendoredPackage{Entry: "x"}, "no files"},
		{VendoredPackage{Entry: "x", Files: []File{{Name: "../a.wit"}}}, "not a plain name"},
	} {
		if _, err := Vendor(wit, []VendoredPackage{tc.pkg}, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Vendor(%+v) error = %v, want %q", tc.pkg, err, tc.want)
		}
	}
}

func TestHashFiles(t *testing.T) {
	// The same files in any order hash alike, and as dirhash would hash a
	// directory holding them.
	f1 := []File{{Name: "a.wit", Data: []byte("A")}, {Name: "b.wit", Data: []byte("B")}}
	f2 := []File{f1[1], f1[0]}
	h1, err := HashFiles(f1)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashFiles(f2)
	if h1 != h2 || !strings.HasPrefix(h1, "h1:") {
		t.Errorf("HashFiles = %s and %s, want one h1: hash", h1, h2)
	}
	dir := t.TempDir()
	for _, f := range f1 {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if hd, err := HashDir(dir); err != nil || hd != h1 {
		t.Errorf("HashDir = %s, %v; want %s", hd, err, h1)
	}
	if h3, _ := HashFiles([]File{{Name: "a.wit", Data: []byte("A!")}, f1[1]}); h3 == h1 {
		t.Error("changed content, same hash")
	}
	if _, err := HashFiles([]File{f1[0], f1[0]}); err == nil {
		t.Error("duplicate names accepted")
	}
}

// TestVendoredDepsReadByConsumers vendors real WASI packages, most from
// WIT text and wasi:http from its binary encoding (through PackageText,
// as a registry package is), and has the tools that build members read
// the result: wasm-tools (the WIT parser inside wit-bindgen and wkg),
// componentize-py, and Load.
func TestVendoredDepsReadByConsumers(t *testing.T) {
	srcs := wasiSources(t)
	if len(srcs) == 0 {
		t.Skip("no WASI WIT installed")
	}
	jco := srcs[0].path // a project whose deps/ holds the WASI packages
	var pkgs []VendoredPackage
	entries, err := os.ReadDir(filepath.Join(jco, "deps"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		files, err := ReadFlatDir(filepath.Join(jco, "deps", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		info, err := ScanPackage(files)
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, VendoredPackage{Entry: DepsEntry(info.Name, info.Version), Files: files})
	}
	// wasi:http as a binary package, as a registry would serve it.
	httpWasm := wasmtools.EncodeWIT(t, jco)
	info, err := ReadPackageBinary(httpWasm)
	if err != nil {
		t.Fatal(err)
	}
	if info.ID() != "wasi:http@0.2.12" {
		t.Fatalf("ReadPackageBinary: package %s, want wasi:http@0.2.12", info.ID())
	}
	var refs []string
	for _, r := range info.Refs {
		refs = append(refs, r.ID())
	}
	if got, want := strings.Join(refs, " "), "wasi:cli@0.2.12 wasi:clocks@0.2.12 wasi:io@0.2.12 wasi:random@0.2.12"; got != want {
		t.Errorf("ReadPackageBinary refs = %s, want %s", got, want)
	}
	httpText, err := PackageText(httpWasm)
	if err != nil {
		t.Fatal(err)
	}
	pkgs = append(pkgs, VendoredPackage{Entry: DepsEntry(info.Name, info.Version), Files: httpText})

	wit := filepath.Join(t.TempDir(), "wit")
	if err := os.MkdirAll(wit, 0o755); err != nil {
		t.Fatal(err)
	}
	app := `package example:app@0.1.0;

world app {
  include wasi:cli/imports@0.2.12;
  import wasi:http/outgoing-handler@0.2.12;
  export run: func() -> string;
}
`
	if err := os.WriteFile(filepath.Join(wit, "app.wit"), []byte(app), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Vendor(wit, pkgs, nil); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command(wasmtools.Path(t), "component", "wit", wit).CombinedOutput()
	if err != nil {
		t.Fatalf("wasm-tools component wit on the vendored directory: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "import wasi:http/outgoing-handler@0.2.12;") {
		t.Errorf("wasm-tools does not see the binary package's interface:\n%s", out)
	}
	p, err := Load(wit)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.FindWorld("wasi:http/proxy@0.2.x"); err != nil {
		t.Errorf("Load: %v", err)
	}

	if testing.Short() {
		return
	}
	py, err := exec.LookPath("componentize-py")
	if err != nil {
		t.Fatalf("componentize-py not found: run .ci/install.sh")
	}
	bindings := t.TempDir()
	cmd := exec.Command(py, "-d", wit, "-w", "app", "bindings", bindings)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("componentize-py bindings on the vendored directory: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(bindings, "wit_world", "imports", "outgoing_handler.py")); err != nil {
		t.Errorf("componentize-py wrote no binding for the binary package's interface: %v", err)
	}
}
