package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"golang.org/x/tools/txtar"
)

// TestExampleDocumentsEveryKey parses component.toml.example, which must be
// valid and must use every key of the schema (wac, which excludes the graph
// keys, is shown commented out).
func TestExampleDocumentsEveryKey(t *testing.T) {
	data := readExample(t)
	if _, err := parseAndCheck(FileName, data); err != nil {
		t.Fatalf("component.toml.example:\n%v", err)
	}
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		t.Fatal(err)
	}
	used := map[tableKind]map[string]bool{}
	for _, k := range md.Keys() {
		for i := 1; i <= len(k); i++ {
			if kind, ok := keyKind(k[:i-1]); ok {
				if used[kind] == nil {
					used[kind] = map[string]bool{}
				}
				used[kind][k[i-1]] = true
			}
		}
	}
	for _, kind := range kindOrder {
		for _, key := range schema[kind] {
			if used[kind][key] {
				continue
			}
			if kind == kindCompose && key == "wac" && strings.Contains(string(data), "\n# wac = ") {
				continue
			}
			t.Errorf("component.toml.example does not show %s in %s", key, kindNames[kind])
		}
	}
	for kind := range schema {
		if !slices.Contains(kindOrder, kind) {
			t.Errorf("table kind %q is missing from kindOrder", kind)
		}
	}
}

// TestExampleModel checks what the example decodes to.
func TestExampleModel(t *testing.T) {
	f, err := parseAndCheck(FileName, readExample(t))
	if err != nil {
		t.Fatal(err)
	}
	m := func(name string) *Member {
		t.Helper()
		mem := f.Member(name)
		if mem == nil {
			t.Fatalf("no member %s", name)
		}
		return mem
	}
	var depKinds []string
	for _, d := range f.WIT.Dependencies {
		depKinds = append(depKinds, d.Name+"="+d.Kind.String())
	}
	var sources []string
	for _, mem := range f.Components {
		sources = append(sources, mem.Name+"="+mem.Source.String())
	}
	var regs []string
	for _, r := range f.Registries {
		regs = append(regs, r.Namespace+"="+r.Registry.Value+"|"+r.Prefix.Value)
	}
	var dirs []string
	for _, d := range f.Run.Dirs {
		dirs = append(dirs, d.Host+"→"+d.Guest+map[bool]string{true: ":ro"}[d.ReadOnly])
	}
	tests := []struct {
		what      string
		got, want any
	}{
		{"package short name", f.Package.ShortName(), "service"},
		{"package namespace", f.Package.Namespace(), "example"},
		{"authors", f.Package.Authors.Strings(), []string{"Ada <ada@example.com>"}},
		{"target", f.Target.Ref.String(), "wasi:cli/command@0.2.x"},
		{"target requirement admits 0.2.5", f.Target.Ref.Req.Matches("0.2.5"), true},
		{"target requirement refuses 0.3.0", f.Target.Ref.Req.Matches("0.3.0"), false},
		{"wit dir", f.WIT.Dir.Value, "wit"},
		{"wit dependencies", depKinds, []string{"wasi:cli=registry", "wasi:io=registry", "example:types=path", "wasi:http=url"}},
		{"wasi:io requirement", f.WIT.Dependencies[1].Req.String(), "^0.2.3"},
		{"members", sources, []string{"validator=language", "business=language", "frontend=language", "reporter=language",
			"legacy=language", "logger=path", "metrics=url", "auth=oci", "cache-client=package"}},
		{"validator argv", m("validator").Build.Command.Argv.Strings(), []string{"cargo", "build", "--release", "--target", "wasm32-wasip2"}},
		{"validator env", m("validator").Build.Env.Entries[0].Key + "=" + m("validator").Build.Env.Entries[0].Value.Value, "RUSTFLAGS=-C opt-level=s"},
		{"legacy shell command", m("legacy").Build.Command.Shell.Value, "make wasm"},
		{"business module", m("business").Module.Value, "app"},
		{"registry member requirement", m("cache-client").Req.Matches("1.9.0"), true},
		{"registries", regs, []string{"acme=ghcr.io|acme-corp/", "wasi=ghcr.io|webassembly/"}},
		{"cache", f.Cache.Registry + "/" + f.Cache.Repository, "localhost:5000/wcomp-cache"},
		{"run dirs", dirs, []string{"data→/data", "assets→/assets:ro"}},
		{"virtual files", f.Capabilities.Virtual.Files.Entries[0].Key, "/data"},
		{"compose root", f.Compose.Root.Value, "business"},
		{"share modules", f.Compose.ShareModules.Value, true},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.what, tt.got, tt.want)
		}
	}
}

// TestDefaults checks the values a minimal manifest implies, and that each
// default points at the table it belongs to.
func TestDefaults(t *testing.T) {
	src := "[package]\nname = \"example:svc\"\nversion = \"0.1.0\"\n\n[components.app]\nlanguage = \"rust\"\n\n[components.lib]\npath = \"lib.wasm\"\n"
	f, err := parseAndCheck(FileName, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	app, lib := f.Member("app"), f.Member("lib")
	top := Pos{Filename: FileName, Line: 1, Col: 1}
	appPos := Pos{Filename: FileName, Line: 5, Col: 1, Offset: strings.Index(src, "[components.app]")}
	tests := []struct {
		what string
		got  any
		want any
	}{
		{"wit.dir", f.WIT.Dir, String{Value: "wit", Pos: top}},
		{"app dir", app.Dir, String{Value: "app", Pos: appPos}},
		{"app world", app.World, String{Value: "app", Pos: appPos}},
		{"app workdir", app.Build.Workdir, String{Value: ".", Pos: appPos}},
		{"app artifact", app.Artifact, String{Pos: appPos}},
		{"app module (the builder's default)", app.Module.Value, ""},
		{"prebuilt dir", lib.Dir.Value, ""},
		{"prebuilt world", lib.World.Value, ""},
		{"auto-plug", f.Compose.AutoPlug, Bool{Value: true, Pos: top}},
		{"share-modules", f.Compose.ShareModules, Bool{Value: true, Pos: top}},
		{"root", f.Compose.Root.Value, ""},
		{"target", f.Target.Set, false},
		{"build", app.Build.Set, false},
		{"virtual", f.Capabilities.Virtual.Set, false},
		{"file dir", f.Dir, "."},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.what, tt.got, tt.want)
		}
	}
}

// TestPositionsPointAtValues walks every string in the example's model:
// its position must be where the text writes it, line and column agreeing
// with the offset, and At must map the content byte for byte.
func TestPositionsPointAtValues(t *testing.T) {
	data := readExample(t)
	f, err := Parse(FileName, data)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	walkStrings(reflect.ValueOf(f), func(s String) {
		if !s.Set {
			return
		}
		n++
		checkPos(t, data, s.Pos)
		if data[s.Pos.Offset] != '"' && data[s.Pos.Offset] != '\'' {
			t.Errorf("%v: %q is not at a string: %q", s.Pos, s.Value, data[s.Pos.Offset:min(len(data), s.Pos.Offset+20)])
			return
		}
		if s.inner.ok {
			end := s.At(len(s.Value)).Offset
			if got := string(data[s.At(0).Offset:end]); got != s.Value {
				t.Errorf("%v: At maps %q to %q", s.Pos, s.Value, got)
			}
		}
	})
	if n < 60 {
		t.Errorf("walked %d strings, want every string of the example", n)
	}
}

// checkPos checks that p's line and column match its offset.
func checkPos(t *testing.T, data []byte, p Pos) {
	t.Helper()
	if p.Filename != FileName || p.Offset < 0 || p.Offset >= len(data) {
		t.Fatalf("bad position %+v", p)
	}
	lineStart := strings.LastIndexByte(string(data[:p.Offset]), '\n') + 1
	line := strings.Count(string(data[:p.Offset]), "\n") + 1
	if p.Line != line || p.Col != p.Offset-lineStart+1 {
		t.Errorf("position %v: offset %d is at %d:%d", p, p.Offset, line, p.Offset-lineStart+1)
	}
}

// walkStrings calls fn for every String reachable from v.
func walkStrings(v reflect.Value, fn func(String)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), fn)
		}
	case reflect.Struct:
		if s, ok := v.Interface().(String); ok {
			fn(s)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkStrings(v.Field(i), fn)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkStrings(v.Index(i), fn)
		}
	}
}

func TestErrorf(t *testing.T) {
	f, err := Parse("svc/component.toml", []byte("[package]\nname = \"example:svc\"\nversion = \"0.1.0\"\n\n[components.validator]\nlanguage = \"rust\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	cause := errors.New("cargo exited with status 101")
	e := Errorf(f.Member("validator").Pos, "components.validator", "build failed: %w", cause)
	if got, want := e.Error(), "svc/component.toml:5:1: components.validator: build failed: cargo exited with status 101"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, cause) {
		t.Error("the cause is not wrapped")
	}
	list := ErrorList{e, {Filename: "x.toml", Err: errors.New("whole file")}}
	if got, want := list.Error(), e.Error()+"\nx.toml: whole file"; got != want {
		t.Errorf("ErrorList = %q, want %q", got, want)
	}
	if !errors.Is(list, cause) {
		t.Error("ErrorList does not unwrap to its errors")
	}
}

func TestCheckComposeSyntaxOffset(t *testing.T) {
	src := "[package]\nname = \"example:svc\"\nversion = \"0.1.0\"\n[compose]\nexports = [\"app:wasi:cli/run=run=x\"]\n"
	f, err := Parse(FileName, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = f.CheckCompose(func(key, value string) ([]MemberRef, error) {
		i := strings.LastIndex(value, "=")
		return nil, &SyntaxError{Offset: i, Err: errors.New("one rename at most")}
	})
	want := "component.toml:5:33: compose.exports[0]: one rename at most"
	if err == nil || err.Error() != want {
		t.Errorf("CheckCompose = %v, want %s", err, want)
	}
}

func TestLoad(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "validator", "src")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	src := "[package]\nname = \"example:svc\"\nversion = \"0.1.0\"\n[compose]\nroot = \"nobody\"\n"
	if err := os.WriteFile(filepath.Join(root, FileName), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// From a subdirectory, the project's manifest is found, and messages
	// name it relative to where wcomp runs.
	_, err := Load(sub)
	want := "../../component.toml:5:8: compose.root: unknown member \"nobody\": no [components.NAME] tables are declared"
	if err == nil || err.Error() != want {
		t.Errorf("Load from a subdirectory = %v, want %s", err, want)
	}
	fixed := strings.Replace(src, "root = \"nobody\"\n", "", 1)
	if err := os.WriteFile(filepath.Join(root, FileName), []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	if f.Dir != root || f.Filename != filepath.Join("..", "..", FileName) {
		t.Errorf("Load: Dir %q, Filename %q", f.Dir, f.Filename)
	}
	if f, err := Load(root); err != nil || f.Filename != FileName {
		t.Errorf("Load(root): %v, %v", f, err)
	}

	empty := t.TempDir()
	if _, err := Load(empty); !IsNotFound(err) {
		t.Errorf("Load of a directory without a manifest = %v, want a not-found error", err)
	}
}

// FuzzParse: no input makes Parse panic, every error is positioned, and a
// manifest that parses has only valid positions.
func FuzzParse(f *testing.F) {
	f.Add(string(readExampleF(f)))
	paths, _ := filepath.Glob("testdata/bad/*.txtar")
	for _, p := range paths {
		if ar, err := txtar.ParseFile(p); err == nil {
			for _, file := range ar.Files {
				if file.Name == FileName {
					f.Add(string(file.Data))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		mf, err := parseAndCheck(FileName, []byte(src))
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v is not an ErrorList", err, err)
			}
			for _, e := range list {
				if !e.Pos.IsValid() || e.Filename != FileName || e.Err == nil || e.Err.Error() == "" {
					t.Fatalf("bad error %#v", e)
				}
			}
			return
		}
		walkStrings(reflect.ValueOf(mf), func(s String) {
			if !s.Pos.IsValid() || s.Pos.Offset > len(src) {
				t.Fatalf("string %q has position %+v", s.Value, s.Pos)
			}
		})
	})
}

func readExampleF(f *testing.F) []byte {
	data, err := os.ReadFile("../component.toml.example")
	if err != nil {
		f.Fatal(err)
	}
	return data
}
