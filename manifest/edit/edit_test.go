package edit

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/manifest/internal/tomlsyntax"
)

// The edit cases: each edits a file in testdata and compares the result
// with testdata/NAME.golden (go test -update rewrites them). Every result
// must be a valid manifest, and check says it holds what was asked for.
var cases = []struct {
	name  string
	in    string
	edit  func(e *Editor) error
	check func(t *testing.T, f *manifest.File)
}{
	{
		name: "add-member",
		in:   "service.toml",
		edit: func(e *Editor) error {
			return e.SetMember("auth", Entry{"oci", String("ghcr.io/acme/auth:1.2.0")})
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "auth source", f.Member("auth").Source, manifest.SourceOCI)
			want(t, "members", memberNames(f), []string{"validator", "business", "logger", "auth"})
		},
	},
	{
		name: "replace-member",
		in:   "service.toml",
		edit: func(e *Editor) error {
			// Keys kept keep their comments and place; dir and the build
			// table go; world is new.
			return e.SetMember("validator",
				Entry{"language", String("rust")},
				Entry{"capabilities", Strings("wasi:clocks/*")},
				Entry{"world", String("checker")})
		},
		check: func(t *testing.T, f *manifest.File) {
			v := f.Member("validator")
			want(t, "dir (now the default)", v.Dir.Set, false)
			want(t, "world", v.World.Value, "checker")
			want(t, "capabilities", v.Capabilities.Strings(), []string{"wasi:clocks/*"})
			want(t, "build", v.Build.Set, false)
		},
	},
	{
		name: "replace-member-source",
		in:   "service.toml",
		edit: func(e *Editor) error {
			// wcomp add --oci over a path member.
			return e.SetMember("logger", Entry{"oci", String("ghcr.io/acme/logger:2.0.0")})
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "logger", f.Member("logger").OCI.Value, "ghcr.io/acme/logger:2.0.0")
			want(t, "path", f.Member("logger").Path.Set, false)
		},
	},
	{
		name: "new-member-with-build",
		in:   "service.toml",
		edit: func(e *Editor) error {
			// wcomp new web --lang js.
			return e.SetMember("web",
				Entry{"language", String("js")},
				Entry{"build", Table(Entry{"watch", Strings("src/**", "package.json")}, Entry{"env", Inline(Entry{"NODE_ENV", String("production")})})})
		},
		check: func(t *testing.T, f *manifest.File) {
			w := f.Member("web")
			want(t, "watch", w.Build.Watch.Strings(), []string{"src/**", "package.json"})
			want(t, "env", w.Build.Env.Entries[0].Value.Value, "production")
		},
	},
	{
		name: "member-build-dotted",
		in:   "service.toml",
		edit: func(e *Editor) error {
			// business writes its build table with dotted keys; new keys
			// follow suit.
			return e.SetMember("business",
				Entry{"language", String("python")},
				Entry{"build", Table(Entry{"command", Strings("make", "wasm")}, Entry{"watch", Strings("*.py")})})
		},
		check: func(t *testing.T, f *manifest.File) {
			b := f.Member("business").Build
			want(t, "argv", b.Command.Argv.Strings(), []string{"make", "wasm"})
			want(t, "watch", b.Watch.Strings(), []string{"*.py"})
		},
	},
	{
		name: "wit-dependency",
		in:   "service.toml",
		edit: func(e *Editor) error {
			if err := e.SetWITDependency("wasi:http", String("0.2.x")); err != nil {
				return err
			}
			// An existing one keeps its comment.
			return e.SetWITDependency("wasi:cli", String("=0.2.3"))
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "deps", depNames(f), []string{"wasi:cli=0.2.3", "example:types=", "wasi:http=0.2.x"})
		},
	},
	{
		name: "wit-dependency-new-table",
		in:   "minimal.toml",
		edit: func(e *Editor) error {
			return e.SetWITDependency("wasi:cli", Inline(Entry{"version", String("0.2.x")}))
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "deps", depNames(f), []string{"wasi:cli=0.2.x"})
		},
	},
	{
		name: "append-multiline",
		in:   "service.toml",
		edit: func(e *Editor) error {
			path := []string{"components", "validator", "capabilities"}
			if err := e.Append(path, String("wasi:random/*")); err != nil {
				return err
			}
			// Already there: nothing changes.
			return e.Append(path, String("wasi:io/*"))
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "capabilities", f.Member("validator").Capabilities.Strings(), []string{"wasi:clocks/*", "wasi:io/*", "wasi:random/*"})
		},
	},
	{
		name: "append-single-line-and-new",
		in:   "service.toml",
		edit: func(e *Editor) error {
			if err := e.Append([]string{"components", "validator", "build", "watch"}, String("Cargo.toml")); err != nil {
				return err
			}
			return e.Append([]string{"compose", "instances"}, String("logger"))
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "watch", f.Member("validator").Build.Watch.Strings(), []string{"src/**", "Cargo.toml"})
			want(t, "instances", f.Compose.Instances.Strings(), []string{"logger"})
		},
	},
	{
		name: "delete-member",
		in:   "service.toml",
		edit: func(e *Editor) error {
			if err := e.Delete([]string{"components", "validator"}); err != nil {
				return err
			}
			return e.Delete([]string{"components", "nobody"})
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "members", memberNames(f), []string{"business", "logger"})
		},
	},
	{
		name: "inline-and-super-tables",
		in:   "layouts.toml",
		edit: func(e *Editor) error {
			for _, step := range []func() error{
				// [wit] dependencies = { … }: the inline table grows.
				func() error { return e.SetWITDependency("wasi:http", String("0.2.x")) },
				// An inline member is replaced in place.
				func() error {
					return e.SetMember("logger", Entry{"path", String("vendor/logger.wasm")}, Entry{"capabilities", Strings("wasi:io/*", "wasi:cli/*")})
				},
				// [components.app.build] alone: app gets its header before it.
				func() error {
					return e.SetMember("app", Entry{"language", String("command")}, Entry{"artifact", String("out/app.wasm")},
						Entry{"build", Table(Entry{"command", String("make")})})
				},
				// build.watch dotted: build.env joins it as a dotted key.
				func() error {
					return e.Set([]string{"components", "lib", "build", "env", "RUSTFLAGS"}, String("-C opt-level=s"))
				},
			} {
				if err := step(); err != nil {
					return err
				}
			}
			return nil
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "deps", depNames(f), []string{"wasi:cli=0.2.x", "wasi:http=0.2.x"})
			want(t, "logger", f.Member("logger").Capabilities.Strings(), []string{"wasi:io/*", "wasi:cli/*"})
			want(t, "app", f.Member("app").Artifact.Value, "out/app.wasm")
			want(t, "lib env", f.Member("lib").Build.Env.Entries[0].Value.Value, "-C opt-level=s")
		},
	},
	{
		name: "init-project",
		in:   "",
		edit: func(e *Editor) error {
			// wcomp init, then wcomp new app --lang rust, into an empty file.
			if err := e.SetTable([]string{"package"}, Entry{"name", String("example:hello")}, Entry{"version", String("0.1.0")}); err != nil {
				return err
			}
			return e.SetMember("app", Entry{"language", String("rust")})
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "package", f.Package.Name.Value, "example:hello")
			want(t, "members", memberNames(f), []string{"app"})
		},
	},
	{
		name: "crlf",
		in:   "crlf.toml",
		edit: func(e *Editor) error {
			return e.SetMember("lib", Entry{"path", String("lib.wasm")})
		},
		check: func(t *testing.T, f *manifest.File) {
			want(t, "members", memberNames(f), []string{"app", "lib"})
		},
	},
	{
		name: "quoting",
		in:   "minimal.toml",
		edit: func(e *Editor) error {
			return e.Set([]string{"run", "env", "GREETING"}, String("say \"hi\"\tand\\or\n\x01"))
		},
		check: func(t *testing.T, f *manifest.File) {
			v, _ := f.Run.Env.Get("GREETING")
			want(t, "env", v.Value, "say \"hi\"\tand\\or\n\x01")
		},
	},
}

func TestEdits(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var in []byte
			if tc.in != "" {
				var err error
				if in, err = os.ReadFile(filepath.Join("testdata", tc.in)); err != nil {
					t.Fatal(err)
				}
			}
			e, err := New(manifest.FileName, in)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.edit(e); err != nil {
				t.Fatal(err)
			}
			out := e.Bytes()
			golden.Check(t, filepath.Join("testdata", tc.name+".golden"), string(out))
			f, err := e.Parse()
			if err != nil {
				t.Fatalf("the edited file is not a valid manifest:\n%v\n%s", err, out)
			}
			tc.check(t, f)
			if tc.name == "crlf" && strings.Count(string(out), "\n") != strings.Count(string(out), "\r\n") {
				t.Errorf("a CRLF file got LF lines:\n%q", out)
			}
		})
	}
}

// TestUntouchedBytes: an edit changes only the table it is about.
func TestUntouchedBytes(t *testing.T) {
	in, err := os.ReadFile("testdata/service.toml")
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(manifest.FileName, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetMember("validator", Entry{"language", String("rust")}, Entry{"dir", String("validator")},
		Entry{"capabilities", Strings("wasi:clocks/*", "wasi:io/*")}, Entry{"build", Table(Entry{"watch", Strings("src/**")})}); err != nil {
		t.Fatal(err)
	}
	// The same keys and values (capabilities as a new array): everything
	// but the capabilities value is byte for byte the same.
	got := string(e.Bytes())
	before, after, _ := strings.Cut(string(in), "capabilities = [")
	_, after, _ = strings.Cut(after, "]\n")
	if !strings.HasPrefix(got, before+"capabilities = [\"wasi:clocks/*\", \"wasi:io/*\"]\n") || !strings.HasSuffix(got, after) {
		t.Errorf("unrelated bytes changed:\n%s", got)
	}
}

func TestErrors(t *testing.T) {
	src := "[package]\nname = \"x:y\"\nversion = \"0.1.0\"\n[[components]]\nlanguage = \"rust\"\n"
	e, err := New(manifest.FileName, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SetMember("a", Entry{"path", String("a.wasm")}); err == nil || !strings.Contains(err.Error(), "array of tables") {
		t.Errorf("SetMember under [[components]] = %v, want an array-of-tables error", err)
	}
	if err := e.Append([]string{"package", "name"}, String("z")); err == nil || err.Error() != "component.toml: package.name: not an array" {
		t.Errorf("Append to a string = %v", err)
	}
	if string(e.Bytes()) != src {
		t.Errorf("failed edits changed the text:\n%s", e.Bytes())
	}
	if _, err := New(manifest.FileName, []byte("[package\n")); err == nil || !strings.HasPrefix(err.Error(), "component.toml:1:") {
		t.Errorf("New on invalid TOML = %v, want a positioned error", err)
	}
}

func want(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func memberNames(f *manifest.File) []string {
	var out []string
	for _, m := range f.Components {
		out = append(out, m.Name)
	}
	return out
}

func depNames(f *manifest.File) []string {
	var out []string
	for _, d := range f.WIT.Dependencies {
		out = append(out, d.Name+"="+strings.TrimPrefix(d.Version.Value, "="))
	}
	return out
}

// TestSetSameValueKeepsBytes sets every single-line string key of
// component.toml.example, wherever and however it is written (header
// tables, dotted keys, inline tables), to the value it already has: the
// text must not change by a byte.
func TestSetSameValueKeepsBytes(t *testing.T) {
	in, err := os.ReadFile("../../component.toml.example")
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(manifest.FileName, in)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, node := range e.doc.Nodes() {
		v := node.Value
		if v == nil || v.Kind != tomlsyntax.String || v.Multiline || !v.Literal ||
			(node.Kind != tomlsyntax.NodeKeyValue && node.Kind != tomlsyntax.NodeEntry) || in[v.Span.Start] != '"' {
			continue
		}
		if err := e.Set(node.Path, String(v.Text)); err != nil {
			t.Fatalf("Set(%q): %v", node.Path, err)
		}
		n++
	}
	if n < 40 {
		t.Errorf("set %d keys, want every string key of the example", n)
	}
	if got := string(e.Bytes()); got != string(in) {
		t.Errorf("setting keys to their own values changed the text:\n%s", golden.Diff(string(in), got))
	}
}
