package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/ci"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/manifest"
)

// extraWorlds are target worlds the pair project does not conform to, one
// way each.
const extraWorlds = `
world needs-more {
  export run: func() -> string;
  export stop: func();
}

world wrong-run {
  export run: func() -> u32;
}
`

// TestTarget checks the composed component against [target] worlds:
// every violation is its own error at target.world, naming the member
// behind it.
func TestTarget(t *testing.T) {
	cases := []struct {
		name   string
		toml   string // appended to component.toml
		errors []string
	}{
		{name: "conforms", toml: "[target]\nworld = \"app\"\n"},
		{name: "by full name", toml: "[target]\nworld = \"test:pair/app@0.1.0\"\n"},
		{
			name: "missing export",
			toml: "[target]\nworld = \"needs-more\"\n",
			errors: []string{"component.toml:18:9: target.world: pair does not conform to test:pair/needs-more@0.1.0: " +
				"export `stop`: missing: the world exports a function func() (no member provides it: the result exports what consumer exports, unless compose.exports says otherwise)"},
		},
		{
			name: "export of the wrong type",
			toml: "[target]\nworld = \"wrong-run\"\n",
			errors: []string{"component.toml:18:9: target.world: pair does not conform to test:pair/wrong-run@0.1.0: " +
				"export `run`: result: expected u32, found string (exported from consumer.run)"},
		},
		{
			name: "an import the world does not provide",
			toml: "[compose]\nroot = \"consumer\"\nauto-plug = false\ninstances = [\"provider\"]\n\n[target]\nworld = \"app\"\n",
			errors: []string{"component.toml:23:9: target.world: pair does not conform to test:pair/app@0.1.0: " +
				"import `test:pair/greeter@0.1.0`: the world does not provide it (brought in by consumer)"},
		},
		{
			name:   "no such world",
			toml:   "[target]\nworld = \"ap\"\n",
			errors: []string{"component.toml:18:9: target.world: world \"ap\": package test:pair@0.1.0 has no world `ap`; worlds loaded: test:pair/app@0.1.0, "},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newTestBuild(t, "pair")
			write(t, b.path("wit/pair.wit"), read(t, b.path("wit/pair.wit"))+extraWorlds)
			write(t, b.path("component.toml"), read(t, b.path("component.toml"))+"\n"+c.toml)
			res, rec, err := b.run(Options{})
			if !rec.has(Checking) {
				t.Errorf("no Checking event")
			}
			if len(c.errors) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				validate.Component(t, []byte(read(t, res.Path)))
				return
			}
			got := errorLines(err)
			if len(got) != len(c.errors) {
				t.Fatalf("errors:\n%s\nwant %d", strings.Join(got, "\n"), len(c.errors))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.errors[i]) {
					t.Errorf("error %d:\n got %s\nwant %s", i, got[i], c.errors[i])
				}
			}
			if _, err := os.Stat(b.path("target/pair.wasm")); err == nil {
				t.Error("a component that fails its target was written")
			}
		})
	}
}

// errorLines flattens err into one line per error, as the CLI prints it.
func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	if l, ok := err.(interface{ Unwrap() []error }); ok {
		if _, positioned := err.(*manifest.Error); !positioned {
			for _, e := range l.Unwrap() {
				out = append(out, errorLines(e)...)
			}
			return out
		}
	}
	return []string{err.Error()}
}

// TestTargetWASI composes the real seed fixtures (a componentize-py
// consumer importing WASI 0.2.9 and a Rust provider importing 0.2.12) as
// prebuilt members and checks the result against wasi:cli/command, taken
// from real WASI WIT (jco's copy of WASI 0.2.12) as path dependencies.
// The merged imports must fit the world's; a world without sockets must
// then name the Python member as the one that brought them in.
func TestTargetWASI(t *testing.T) {
	jco, err := filepath.Abs("../fixtures/js/node_modules/@bytecodealliance/jco/lib/wit/builtin/0.2.12")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(jco); err != nil {
		ci.Skip(t, "jco's WASI WIT is not installed (.ci/install.sh): %v", err)
	}
	business, validator := fixture.Path(t, "business"), fixture.Path(t, "validator")
	env, cache := toolEnv(t)
	dir := t.TempDir()
	var deps strings.Builder
	for _, pkg := range []string{"cli", "clocks", "filesystem", "io", "random", "sockets"} {
		fmt.Fprintf(&deps, "\"wasi:%s\" = { path = %q }\n", pkg, filepath.Join(jco, "wasi-"+pkg))
	}
	write(t, filepath.Join(dir, "wit", "app.wit"), `package example:app@0.1.0;

world no-sockets {
  import wasi:cli/environment@0.2.12;
  import wasi:cli/exit@0.2.12;
  import wasi:cli/stdin@0.2.12;
  import wasi:cli/stdout@0.2.12;
  import wasi:cli/stderr@0.2.12;
  import wasi:io/error@0.2.12;
  import wasi:io/streams@0.2.12;
  import wasi:io/poll@0.2.12;
  import wasi:clocks/wall-clock@0.2.12;
  import wasi:clocks/monotonic-clock@0.2.12;
  import wasi:filesystem/types@0.2.12;
  import wasi:filesystem/preopens@0.2.12;
  import wasi:random/random@0.2.12;
  export wasi:cli/run@0.2.12;
}
`)
	toml := fmt.Sprintf(`[package]
name = "example:app"
version = "0.1.0"

[target]
world = "wasi:cli/command@0.2.x"

[wit.dependencies]
%s
[components.business]
path = %q

[components.validator]
path = %q
`, deps.String(), business, validator)
	write(t, filepath.Join(dir, "component.toml"), toml)
	p, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	res, err := p.Build(t.Context(), Options{Env: env, CacheDir: cache, Reporter: rec})
	if err != nil {
		t.Fatalf("the seed against wasi:cli/command: %v", err)
	}
	validate.Component(t, []byte(read(t, res.Path)))

	write(t, filepath.Join(dir, "component.toml"), strings.Replace(toml, `"wasi:cli/command@0.2.x"`, `"no-sockets"`, 1))
	p, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Build(t.Context(), Options{Env: env, CacheDir: cache})
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("against a world without sockets: %v, want a list of violations", err)
	}
	sockets := 0
	for _, e := range list {
		msg := e.Error()
		if strings.Contains(msg, "wasi:sockets/") {
			sockets++
			if !strings.Contains(msg, "brought in by business") || strings.Contains(msg, "validator") {
				t.Errorf("a sockets import not blamed on business alone: %s", msg)
			}
		}
		if !strings.HasPrefix(msg, "component.toml:6:9: target.world: ") {
			t.Errorf("not positioned at target.world: %s", msg)
		}
	}
	if sockets == 0 {
		t.Errorf("no violation names wasi:sockets:\n%v", list)
	}
}
