package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/testcomponent"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestComposeCommand composes two real fixtures twice into the same output
// (the second run replaces the first atomically) and checks the summary,
// the file and that no temporary file is left behind.
func TestComposeCommand(t *testing.T) {
	consumer := fixture.Path(t, "wit-semver-020")
	provider := fixture.Path(t, "wit-semver-provider")
	dir := t.TempDir()
	out := filepath.Join(dir, "app.wasm")
	for range 2 {
		code, stdout, stderr := runWcomp("compose", consumer, "--plug", provider, "-o", out)
		if code != 0 || stderr != "" {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		for _, want := range []string{"composed " + out, "members:   wit-semver-provider, wit-semver-020", "plugged:   wit-semver-020."} {
			if !strings.Contains(stdout, want) {
				t.Errorf("summary lacks %q:\n%s", want, stdout)
			}
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, data)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("output directory holds %d entries, want only app.wasm", len(entries))
	}
}

// TestComposeErrors: every failure exits 1 with one line on stderr,
// nothing on stdout, and leaves no output file (nor any temporary one).
func TestComposeErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.wasm")
	fx := func(name string) string { return fixture.Path(t, name) }
	missing := filepath.Join(dir, "missing.wasm")
	// Two files with one stem, and a member whose nested module is cut
	// short.
	provider := fixture.Read(t, "wit-semver-provider")
	for _, sub := range []string{"a", "b"} {
		writeFile(t, filepath.Join(dir, sub, "log.wasm"), provider)
	}
	corrupt := filepath.Join(dir, "corrupt", "log.wasm")
	writeFile(t, corrupt, provider[:len(provider)-1])
	// Cut off the last byte, which ends the last section (the producers
	// section, whose size takes one byte): Decode sees that. Cutting one
	// inside a nested module only the framing check sees.
	last := lastSection(t, provider)
	truncatedModule := filepath.Join(dir, "corrupt", "mod.wasm")
	writeFile(t, truncatedModule, testcomponent.WithFirstModule(t, provider, func(m []byte) []byte { return m[:len(m)-1] }))
	const iface = "example:shapes/geometry@0.1.0"
	cases := []struct {
		name string
		args []string
		want string // stderr, without "error: " and the newline
	}{
		{"missing root", []string{missing},
			"root " + missing + ": no such file or directory"},
		{"missing plug", []string{fx("wit-semver-020"), "--plug", missing},
			"plug " + missing + ": no such file or directory"},
		{"missing named plug", []string{fx("wit-semver-020"), "--plug", "log=" + missing},
			"plug log=" + missing + ": no such file or directory"},
		{"root is a directory", []string{dir},
			"root " + dir + ": is a directory, not a component file"},
		{"type mismatch", []string{fx("wit-mismatch-b"), "--plug", fx("wit-mismatch-a")},
			"wit-mismatch-b: " + iface + " ← wit-mismatch-a." + iface + ": export `point`: field `x`: expected f64, found u32"},
		{"cycle", []string{fx("wit-cycle-a"), "--plug", fx("wit-cycle-b"), "--wire", "wit-cycle-b:example:cycle/pong@0.1.0=wit-cycle-a:example:cycle/pong@0.1.0"},
			"cycle: wit-cycle-a → wit-cycle-b → wit-cycle-a (wit-cycle-a imports example:cycle/ping@0.1.0 from wit-cycle-b, wit-cycle-b imports example:cycle/pong@0.1.0 from wit-cycle-a)"},
		{"bad wire syntax", []string{fx("wit-mismatch-b"), "--plug", fx("wit-mismatch-a"), "--wire", "wit-mismatch-b=wit-mismatch-a"},
			`--wire "wit-mismatch-b=wit-mismatch-a", column 15: missing ':IMPORT' after instance "wit-mismatch-b"`},
		{"unknown wire member", []string{fx("wit-mismatch-b"), "--plug", fx("wit-mismatch-a"), "--wire", "wit-mismatch-b:" + iface + "=shapes:" + iface},
			`--wire wit-mismatch-b:` + iface + `=shapes:` + iface + `: no instance named "shapes" (instances: wit-mismatch-b, wit-mismatch-a)`},
		{"missing export", []string{fx("wit-semver-020"), "--plug", fx("wit-semver-provider"), "--wire", "wit-semver-020:example:logging/log@0.2.0=wit-semver-provider:example:logging/log@0.2.0"},
			`--wire wit-semver-020:example:logging/log@0.2.0=wit-semver-provider:example:logging/log@0.2.0: instance wit-semver-provider (component wit-semver-provider) has no export "example:logging/log@0.2.0" (it has "example:logging/log@0.2.6")`},
		{"missing chosen export", []string{fx("wit-semver-020"), "--export", "stop"},
			`--export "stop", column 5: expected INSTANCE:NAME[=AS], or stop=AS to export the whole instance under the name AS (the root's export stop is wit-semver-020:stop)`},
		{"missing root export", []string{fx("wit-semver-020"), "--export", "wit-semver-020:stop"},
			`--export wit-semver-020:stop: instance wit-semver-020 (component wit-semver-020) has no export "stop"`},
		{"conflicting wires", []string{fx("wit-semver-020"), "--plug", "p1=" + fx("wit-semver-provider"), "--plug", "p2=" + fx("wit-semver-provider"),
			"--wire", "wit-semver-020:example:logging/log@0.2.0=p1:example:logging/log@0.2.6",
			"--wire", "wit-semver-020:example:logging/log@0.2.0=p2:example:logging/log@0.2.6"},
			"--wire wit-semver-020:example:logging/log@0.2.0=p2:example:logging/log@0.2.6: wit-semver-020.example:logging/log@0.2.0 is already given p1.example:logging/log@0.2.6: an import takes one argument"},
		{"same stem twice", []string{fx("wit-semver-020"), "--plug", filepath.Join(dir, "a", "log.wasm"), "--plug", filepath.Join(dir, "b", "log.wasm")},
			`two members are named "log" (plug ` + filepath.Join(dir, "a", "log.wasm") + ` and plug ` + filepath.Join(dir, "b", "log.wasm") + `): give one of them another name, e.g. --plug NAME=FILE`},
		{"same file twice", []string{fx("wit-semver-020"), "--plug", fx("wit-semver-provider"), "--plug", fx("wit-semver-provider")},
			`two members are named "wit-semver-provider" (plug ` + fx("wit-semver-provider") + ` and plug ` + fx("wit-semver-provider") + `): give one of them another name, e.g. --plug NAME=FILE`},
		{"empty member name", []string{fx("wit-semver-020"), "--plug", "=" + fx("wit-semver-provider")},
			`plug "=` + fx("wit-semver-provider") + `": expected FILE or NAME=FILE`},
		{"truncated member", []string{fx("wit-semver-020"), "--plug", corrupt},
			"plug " + corrupt + ": offset 0x" + strconv.FormatInt(int64(len(provider)-len(last)), 16) + ": custom section: section size " +
				strconv.Itoa(len(last)-2) + " exceeds the " + strconv.Itoa(len(last)-3) + " bytes left"},
		{"member with a truncated module", []string{fx("wit-semver-020"), "--plug", truncatedModule},
			"plug " + truncatedModule + ": offset 0x"},
		{"output is a directory", []string{fx("wit-semver-020"), "-o", dir + "/"},
			"-o " + dir + "/: names a directory; give the output file, e.g. -o " + filepath.Join(dir, "app.wasm")},
		{"output is an existing directory", []string{fx("wit-semver-020"), "-o", dir},
			"-o " + dir + ": is a directory; give the output file, e.g. -o " + filepath.Join(dir, "app.wasm")},
		{"output directory missing", []string{fx("wit-semver-020"), "-o", filepath.Join(dir, "nope", "x.wasm")},
			"-o " + filepath.Join(dir, "nope", "x.wasm") + ": directory " + filepath.Join(dir, "nope") + " does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"compose"}, tc.args...)
			if !slices.Contains(tc.args, "-o") {
				args = append(args, "-o", out)
			}
			code, stdout, stderr := runWcomp(args...)
			want := "error: " + tc.want + "\n"
			exact := !strings.HasSuffix(tc.want, "offset 0x")
			if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 ||
				(exact && stderr != want) || (!exact && !strings.HasPrefix(stderr, want[:len(want)-1])) {
				t.Fatalf("exit %d, stdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a failed compose left %s behind", out)
			}
			if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*")); len(leftovers) > 0 {
				t.Errorf("temporary files left behind: %v", leftovers)
			}
		})
	}
}

// TestComposeNamedPlugs gives one file twice under two names: one component,
// two instances (the wire picks which one plugs the root; the other is
// kept, or it would be a plug that plugs nothing).
func TestComposeNamedPlugs(t *testing.T) {
	root := fixture.Path(t, "wit-semver-020")
	provider := fixture.Path(t, "wit-semver-provider")
	out := filepath.Join(t.TempDir(), "app.wasm")
	code, stdout, stderr := runWcomp("compose", root, "--plug", "p1="+provider, "--plug", "p2="+provider,
		"--wire", "wit-semver-020:example:logging/log@0.2.0=p2:example:logging/log@0.2.6", "--keep", "p1", "-o", out)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"members:   p2=" + provider + ", wit-semver-020, p1=" + provider + "\n",
		"plugged:   wit-semver-020.example:logging/log@0.2.0 ← p2.example:logging/log@0.2.6\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	validate.Component(t, data)
}

// TestComposeOutputNameDoesNotMatter: the same inputs give the same bytes
// whatever the output file is called; --name alone changes the name.
func TestComposeOutputNameDoesNotMatter(t *testing.T) {
	root := fixture.Path(t, "wit-semver-020")
	provider := fixture.Path(t, "wit-semver-provider")
	dir := t.TempDir()
	compose := func(out string, extra ...string) []byte {
		t.Helper()
		args := append([]string{"compose", root, "--plug", provider, "-o", out}, extra...)
		if code, _, stderr := runWcomp(args...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	a := compose(filepath.Join(dir, "a.wasm"))
	b := compose(filepath.Join(dir, "other-name.wasm"))
	if !bytes.Equal(a, b) {
		t.Error("the output file's name changed the output's bytes")
	}
	if named := compose(filepath.Join(dir, "c.wasm"), "--name", "app"); bytes.Equal(a, named) {
		t.Error("--name did not change the name section")
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// lastSection returns the bytes of data's last top-level section, header
// included.
func lastSection(t *testing.T, data []byte) []byte {
	t.Helper()
	c, err := component.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	prevEnd := 8
	for _, s := range c.Sections[:len(c.Sections)-1] {
		prevEnd = s.Offset + s.Size
	}
	return data[prevEnd:]
}

// TestComposeGraphFlags: --export (renamed, from a plug, a whole member),
// --import, --keep and --no-auto-plug, each checked in the output as
// wasm-tools prints its world.
func TestComposeGraphFlags(t *testing.T) {
	root := fixture.Path(t, "wit-semver-020")
	provider := fixture.Path(t, "wit-semver-provider")
	const (
		log020 = "example:logging/log@0.2.0"
		log026 = "example:logging/log@0.2.6"
	)
	cases := []struct {
		name  string
		args  []string
		world []string // exactly the world's lines
		notes []string // summary lines that must be there
	}{
		{"auto-plugged", nil,
			[]string{"export start: func();"}, []string{"plugged:   wit-semver-020." + log020 + " ← wit-semver-provider." + log026}},
		{"a plug's export, renamed, next to the root's",
			[]string{"--export", "wit-semver-020:start", "--export", "wit-semver-provider:" + log026 + "=example:logging/journal@0.2.6"},
			[]string{"export start: func();", "export example:logging/journal@0.2.6;"}, nil},
		{"a whole member", []string{"--export", "wit-semver-020=example:app/all@1.0.0"},
			[]string{"export example:app/all@1.0.0;"}, nil},
		{"an explicit import, the plug kept",
			[]string{"--import", log020, "--keep", "wit-semver-provider"},
			[]string{"import " + log020 + ";", "export start: func();"}, []string{"plugged:   wit-semver-020." + log020 + " ← import " + log020}},
		{"an import renamed for one member",
			[]string{"--import", "log=wit-semver-020:" + log020, "--keep", "wit-semver-provider"},
			[]string{"import log: interface {", "export start: func();"}, nil},
		{"no auto-plug", []string{"--no-auto-plug", "--keep", "wit-semver-provider"},
			[]string{"import " + log020 + ";", "export start: func();"}, []string{"plugged:   none"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.wasm")
			args := append([]string{"compose", root, "--plug", provider, "-o", out}, tc.args...)
			code, stdout, stderr := runWcomp(args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			validate.Component(t, data)
			var world []string
			in := false
			for _, line := range strings.Split(wasmtools.ComponentWIT(t, data), "\n") {
				switch {
				case strings.HasPrefix(line, "world "):
					in = true
				case in && line == "}":
					in = false
				case in && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "    ") && strings.TrimSpace(line) != "":
					world = append(world, strings.TrimSpace(line))
				}
			}
			for _, w := range tc.world {
				if !slices.Contains(world, w) {
					t.Errorf("world lacks %q: %q", w, world)
				}
			}
			for _, n := range tc.notes {
				if !strings.Contains(stdout, n) {
					t.Errorf("summary lacks %q:\n%s", n, stdout)
				}
			}
		})
	}
}

// TestComposeReportsErrorsTogether: several bad flags are all reported,
// one per line, each with its column.
func TestComposeReportsErrorsTogether(t *testing.T) {
	root := fixture.Path(t, "wit-semver-020")
	code, stdout, stderr := runWcomp("compose", root, "--wire", "a=b", "--export", "x:", "--import", "Bad", "-o", filepath.Join(t.TempDir(), "o.wasm"))
	want := `error: --wire "a=b", column 2: missing ':IMPORT' after instance "a"
error: --import "Bad", column 1: import name: "Bad" is not kebab case: fragment "Bad" mixes upper and lower case
error: --export "x:", column 3: missing the export name after ':'
`
	if code != 1 || stdout != "" || stderr != want {
		t.Fatalf("exit %d, stdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
	}
}
