package wit

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	bcwit "go.bytecodealliance.org/wit"
)

func TestScanPackage(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		// want: "ID | nested… | ref@pos…", "-" for none
		want string
	}{
		{
			name: "references in use, import, export, include",
			files: map[string]string{"a.wit": `// package not:this;
/* package not:that; /* nested */ still a comment */
package example:app@0.1.0;

interface types {
  use wasi:io/streams@0.2.3.{input-stream, output-stream};
  record r { name: string, count: u32 }
  f: func(a: u32, b: list<r>) -> result<_, string>;
}

world app {
  include wasi:cli/imports@0.2.3;
  import wasi:http/types@0.2.3;
  export wasi:cli/run@0.2.3;
  import example:app/types@0.1.0;
  import local: interface { g: func(x: u32); }
}
`},
			want: "example:app@0.1.0 | - | wasi:cli@0.2.3@a.wit:12:11 wasi:http@0.2.3@a.wit:13:10 wasi:io@0.2.3@a.wit:6:7",
		},
		{
			name: "unversioned, escaped, pre-release and build versions, nested namespaces",
			files: map[string]string{
				"a.wit": "package %my:%pkg;\ninterface i { use dep:types/t.{x}; use pre:rel/t@1.0.0-rc.1+b.2.{y}; use a:b:c/d@1.2.3.{z}; }\n",
				"b.wit": "// no package line: it belongs to the package a.wit declares\ninterface j { use my:pkg/i.{x}; }\n",
			},
			want: "my:pkg | - | a:b:c@1.2.3@a.wit:2:74 dep:types@a.wit:2:19 pre:rel@1.0.0-rc.1+b.2@a.wit:2:40",
		},
		{
			name: "nested package blocks are declarations, not references",
			files: map[string]string{"a.wit": `package example:service@0.1.0;
world business { export wasi:cli/run@0.2.6; import other:x/y; }
package wasi:cli@0.2.6 {
  interface run { run: func() -> result; }
}
`},
			want: "example:service@0.1.0 | wasi:cli@0.2.6 | other:x@a.wit:2:52",
		},
		{
			name:  "the same package in two files",
			files: map[string]string{"a.wit": "package x:y@1.0.0;\n", "b.wit": "package x:y@1.0.0;\ninterface i {}\n"},
			want:  "x:y@1.0.0 | - | -",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := ScanPackage(files(tc.files))
			if err != nil {
				t.Fatal(err)
			}
			var refs []string
			for _, r := range info.Refs {
				refs = append(refs, r.ID()+"@"+r.Pos.String())
			}
			got := info.ID() + " | " + orDash(info.Nested) + " | " + orDash(refs)
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func orDash(list []string) string {
	if len(list) == 0 {
		return "-"
	}
	return strings.Join(list, " ")
}

func files(m map[string]string) []File {
	var out []File
	for name, text := range m {
		out = append(out, File{Name: name, Data: []byte(text)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func TestScanPackageErrors(t *testing.T) {
	for _, tc := range []struct {
		files map[string]string
		want  string
	}{
		{map[string]string{"a.wit": "interface i {}\n"}, "a.wit:1:1: no `package ns:name;` declaration in any file of the package"},
		{map[string]string{"a.wit": "package a:b;\n", "b.wit": "\npackage a:c;\n"}, "b.wit:2:9: package a:c differs from package a:b declared at a.wit:1:9"},
		{map[string]string{"a.wit": "package a:b@1.0.0;\n", "b.wit": "package a:b@2.0.0;\n"}, "b.wit:1:9: package a:b@2.0.0 differs from package a:b@1.0.0 declared at a.wit:1:9"},
		{map[string]string{"a.wit": "package a:b;\n/* open\n"}, "a.wit:2:1: unterminated block comment"},
		{map[string]string{"a.wit": "package a:b/c;\n"}, "a.wit:1:9: package name a:b/c has an interface part"},
		{map[string]string{"a.wit": "package a:b\ninterface i {}\n"}, "a.wit:2:1: expected `;` or `{` after package a:b"},
		{map[string]string{"a.wit": "package a:b;\nworld w { import x:y/; }\n"}, "a.wit:2:22: expected an interface or world name after `x:y/`"},
		{map[string]string{"a.wit": "package a:b;\ninterface é {}\n"}, "a.wit:2:11: unexpected non-ASCII character outside a comment"},
	} {
		_, err := ScanPackage(files(tc.files))
		if err == nil || err.Error() != tc.want {
			t.Errorf("ScanPackage(%v) error = %v\nwant %s", tc.files, err, tc.want)
		}
	}
}

// TestScanPackageAgreesWithWasmTools scans every package of real WASI
// releases and compares the packages it refers to with those its
// interfaces and worlds use once wasm-tools has resolved them.
func TestScanPackageAgreesWithWasmTools(t *testing.T) {
	checked := 0
	for _, src := range wasiSources(t) {
		res, err := bcwit.LoadWIT(src.path)
		if err != nil {
			t.Fatal(err)
		}
		dirs := []string{src.path}
		deps, _ := filepath.Glob(filepath.Join(src.path, "deps", "*"))
		dirs = append(dirs, deps...)
		for _, dir := range dirs {
			fs, err := ReadPackageDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			info, err := ScanPackage(fs)
			if err != nil {
				t.Fatal(err)
			}
			var pkg *bcwit.Package
			for _, p := range res.Packages {
				if p.Name.String() == info.ID() {
					pkg = p
				}
			}
			if pkg == nil {
				t.Errorf("%s: scanned package %s is not among wasm-tools' packages", dir, info.ID())
				continue
			}
			var got []string
			for _, r := range info.Refs {
				got = append(got, r.ID())
			}
			if want := directDeps(pkg); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s: scanned references %v, wasm-tools resolves %v", info.ID(), got, want)
			}
			checked++
		}
	}
	if checked == 0 && !testing.Short() {
		t.Error("no WASI package checked")
	}
}

// directDeps lists the other packages whose interfaces pkg's interfaces
// `use` or its worlds name, sorted: what the package's text refers to,
// read back from the resolved model. World items that wasm-tools adds
// while elaborating an `include` or a `use` are left out by keeping only
// packages an interface or a non-elaborated item names directly.
func directDeps(pkg *bcwit.Package) []string {
	seen := map[string]bool{}
	add := func(p *bcwit.Package) {
		if p != nil && p != pkg {
			seen[p.Name.String()] = true
		}
	}
	pkg.Interfaces.All()(func(_ string, i *bcwit.Interface) bool {
		i.TypeDefs.All()(func(_ string, td *bcwit.TypeDef) bool {
			if ref, ok := td.Kind.(*bcwit.TypeDef); ok {
				if owner, ok := ref.Owner.(*bcwit.Interface); ok {
					add(owner.Package)
				}
			}
			return true
		})
		return true
	})
	pkg.Worlds.All()(func(_ string, w *bcwit.World) bool {
		w.AllItems()(func(_ string, it bcwit.WorldItem) bool {
			if ref, ok := it.(*bcwit.InterfaceRef); ok {
				add(ref.Interface.Package)
			}
			return true
		})
		return true
	})
	var out []string
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func TestReadPackageDirErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadPackageDir(dir); err == nil || !strings.Contains(err.Error(), "no .wit files") {
		t.Errorf("error = %v, want no .wit files", err)
	}
	if _, err := ReadPackageDir(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("error = %v, want no such file", err)
	}
}

// FuzzScanPackage: any bytes give a result or an error, never a panic.
func FuzzScanPackage(f *testing.F) {
	for _, seed := range []string{
		"package a:b@1.0.0;\nworld w { import c:d/e@2.0.0; }\n",
		"package a:b;\n/* /* */ */ use x:y/z@1.0.0.{t};",
		"package %a:%b@1.0.0-rc+1 { interface i { use c:d:e/f/g@0.1.0.{x as y}; } }",
		"package", "package a:", "package a:b/", "a:b/c@", "/*", "@",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		info, err := ScanPackage([]File{{Name: "f.wit", Data: []byte(text)}})
		if err == nil && info.Name == "" {
			t.Errorf("no error and no package name for %q", text)
		}
	})
}
