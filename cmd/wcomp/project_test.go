package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// pairProject writes the project package's test project (two command
// members made by wasm-tools from WIT; see its header) into a fresh
// directory, and puts the native wasm-tools first on PATH for its
// commands, with a cache of the test's own.
func pairProject(t *testing.T) string {
	t.Helper()
	ar, err := txtar.ParseFile("../../project/testdata/pair.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		writeText(t, filepath.Join(dir, f.Name), string(f.Data))
	}
	bin := t.TempDir()
	if err := os.Symlink(wasmtools.Path(t), filepath.Join(bin, "wasm-tools")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	return dir
}

// writeText is writeFile for text.
func writeText(t *testing.T, path, content string) { t.Helper(); writeFile(t, path, []byte(content)) }

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var (
	durations = regexp.MustCompile(`\b\d+(\.\d+)?s\b|\b\d+m \d\ds\b`)
	digests   = regexp.MustCompile(`sha256:[0-9a-f]{64}`)
	millis    = regexp.MustCompile(`"(elapsed|at)_ms":[0-9.]+`)
)

// mask replaces what changes from run to run: the project's directory,
// durations and digests.
func mask(s, dir string) string {
	s = strings.ReplaceAll(s, dir, "$PROJECT")
	s = durations.ReplaceAllString(s, "X.XXs")
	s = millis.ReplaceAllString(s, `"${1}_ms":X`)
	return digests.ReplaceAllString(s, "sha256:…")
}

// transcript runs each command line and records it with its exit code and
// masked stderr (and stdout when there is any), like a terminal session.
func transcript(t *testing.T, dir string, steps []string, before map[int]func()) string {
	t.Helper()
	var b strings.Builder
	for i, step := range steps {
		if f := before[i]; f != nil {
			f()
		}
		args := strings.Fields(step)
		code, stdout, stderr := runWcomp(append(args, "--manifest-path", filepath.Join(dir, "component.toml"))...)
		fmt.Fprintf(&b, "$ wcomp %s\n%s", step, mask(stderr, dir))
		if stdout != "" {
			fmt.Fprintf(&b, "-- stdout --\n%s", mask(stdout, dir))
		}
		fmt.Fprintf(&b, "[exit %d]\n\n", code)
	}
	return b.String()
}

// TestBuildTranscript is `wcomp build`'s output, as a user sees it off a
// terminal: a cold build, a no-op build, a rebuild of one member with -v,
// and a failure that shows the toolchain's output and a positioned error.
func TestBuildTranscript(t *testing.T) {
	dir := pairProject(t)
	steps := []string{"build -j 1", "build -j 1", "build -j 1 -v", "build -j 1"}
	got := transcript(t, dir, steps, map[int]func(){
		2: func() { writeText(t, filepath.Join(dir, "provider", "src.txt"), "provider v2\n") },
		3: func() { writeText(t, filepath.Join(dir, "consumer", "src.txt"), "fail\n") },
	})
	golden.Check(t, "testdata/build-transcript.txt", got)
}

// TestBuildJSON checks --message-format json: one JSON object per line
// on stdout, nothing else there, and the events a build must report.
func TestBuildJSON(t *testing.T) {
	dir := pairProject(t)
	got := transcript(t, dir, []string{"build -j 1 --message-format json", "build -j 1 --message-format json"}, nil)
	golden.Check(t, "testdata/build-json.txt", got)

	code, stdout, _ := runWcomp("build", "--message-format", "json", "--manifest-path", filepath.Join(dir, "component.toml"))
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	sc := bufio.NewScanner(strings.NewReader(stdout))
	n := 0
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", n+1, err, sc.Text())
		}
		if _, ok := ev["event"].(string); !ok {
			t.Errorf("line %d has no event: %s", n+1, sc.Text())
		}
		n++
	}
	if n == 0 {
		t.Error("no events")
	}
}

// TestBuildErrors: bad manifests and bad graphs, through `wcomp build`:
// exit code 1, and one `error:` line per problem, positioned.
func TestBuildErrors(t *testing.T) {
	cases := []struct {
		name, manifest string
		want           []string
	}{
		{
			name:     "typos and bad values, all at once",
			manifest: "[package]\nname = \"test:pair\"\nversoin = \"0.1.0\"\n\n[components.provider]\nlenguage = \"rust\"\n",
			want: []string{
				`error: component.toml:1:1: package.version: missing: the package version, e.g. version = "0.1.0"`,
				"error: component.toml:3:1: package.versoin: unknown key; did you mean version?",
				"error: component.toml:6:1: components.provider.lenguage: unknown key; did you mean language?",
			},
		},
		{
			name:     "a wire naming no member",
			manifest: "[package]\nname = \"test:pair\"\nversion = \"0.1.0\"\n\n[components.provider]\npath = \"p.wasm\"\n\n[compose]\nwires = [\"consumer:a:b/c=provider:a:b/c\"]\n",
			want:     []string{`error: component.toml:9:11: compose.wires[0]: unknown member "consumer" (members: provider)`},
		},
		{
			name:     "a member with two sources and a bad requirement",
			manifest: "[package]\nname = \"test:pair\"\nversion = \"0.1.0\"\n\n[wit.dependencies]\n\"wasi:cli\" = \"0.2.x.y\"\n\n[components.provider]\npath = \"p.wasm\"\nlanguage = \"rust\"\n",
			want: []string{
				`error: component.toml:6:20: wit.dependencies."wasi:cli": invalid version requirement "0.2.x.y": a version has at most three parts, MAJOR.MINOR.PATCH`,
				"error: component.toml:10:1: components.provider.language: a member has one source (language, path, url, oci or package), and this one already has path (at 9:1)",
			},
		},
		{
			name:     "a prebuilt member whose file is missing",
			manifest: "[package]\nname = \"test:pair\"\nversion = \"0.1.0\"\n\n[components.provider]\npath = \"vendor/p.wasm\"\n",
			want:     []string{"error: component.toml:5:1: component provider: open "},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeText(t, filepath.Join(dir, "component.toml"), c.manifest)
			t.Chdir(dir)
			code, stdout, stderr := runWcomp("build")
			if code != 1 || stdout != "" {
				t.Errorf("exit %d, stdout %q", code, stdout)
			}
			got := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(got) != len(c.want) {
				t.Fatalf("stderr:\n%s\nwant:\n%s", stderr, strings.Join(c.want, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], c.want[i]) {
					t.Errorf("line %d:\n got %s\nwant %s…", i+1, got[i], c.want[i])
				}
			}
		})
	}
}

// TestBuildFlags: bad flag values are command-line errors (exit 2), before
// any work.
func TestBuildFlags(t *testing.T) {
	for _, args := range [][]string{
		{"build", "--message-format", "xml"},
		{"build", "-j", "-1"},
		{"build", "extra"},
		{"graph", "--format", "svg"},
	} {
		code, _, stderr := runWcomp(args...)
		if code == 0 || !strings.HasPrefix(stderr, "error: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// TestGraphCommand draws the pair project's composition in each format.
func TestGraphCommand(t *testing.T) {
	dir := pairProject(t)
	got := transcript(t, dir, []string{"graph -j 1", "graph -j 1 --format dot", "graph -j 1 --format json"}, nil)
	golden.Check(t, "testdata/graph.txt", got)
}

// TestRunProject: `wcomp run` without a file builds the project, then runs
// it with [run]'s args, env and dirs followed by the command line's, and
// passes the guest's exit code on.
func TestRunProject(t *testing.T) {
	echo := fixture.Path(t, "echo")
	dir := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	writeText(t, filepath.Join(dir, "data", "greeting.txt"), "hello from a granted directory\n")
	writeText(t, filepath.Join(dir, "component.toml"), fmt.Sprintf(`[package]
name = "example:echo"
version = "0.1.0"

[components.echo]
path = %q

[run]
args = ["--from-manifest"]
env = { WCOMP_ECHO = "from the manifest" }
dirs = ["data::/data:ro"]
`, echo))
	t.Chdir(dir)
	code, stdout, stderr := runWcomp("run", "--", "from-the-command-line")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	want := "arg: --from-manifest\narg: from-the-command-line\nenv: from the manifest\nfile: hello from a granted directory\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	for _, line := range []string{"   Composing echo (1 member, root echo)", "    Finished target/echo.wasm in ", "     Running `target/echo.wasm`"} {
		if !strings.Contains(stderr, line) {
			t.Errorf("stderr lacks %q:\n%s", line, stderr)
		}
	}
	validate.Component(t, []byte(readFile(t, filepath.Join(dir, "target", "echo.wasm"))))

	// Built already, and [run] is no input of the composition: the second
	// run composes nothing, and the guest's failure (echo fails when its
	// first argument is "fail") is the exit code.
	writeText(t, "component.toml", strings.Replace(readFile(t, "component.toml"), `args = ["--from-manifest"]`, `args = []`, 1))
	code, stdout, stderr = runWcomp("run", "--", "fail")
	if code != 1 || strings.Contains(stderr, "Composing") || !strings.Contains(stdout, "arg: fail") {
		t.Errorf("second run: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	// A file still runs as before, with the project's flags unused.
	code, stdout, _ = runWcomp("run", filepath.Join(dir, "target", "echo.wasm"), "--", "direct")
	if code != 0 || stdout != "arg: direct\n" {
		t.Errorf("wcomp run FILE: exit %d, stdout %q", code, stdout)
	}
}

// TestInitAndNew makes a project with `wcomp init` and adds members with
// `wcomp new`: the files each writes, and component.toml edited in place
// with the user's comments kept.
func TestInitAndNew(t *testing.T) {
	goldenFile, err := filepath.Abs("testdata/init-new.txt") // before Chdir
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "My Service")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeText(t, filepath.Join(dir, ".gitignore"), "*.log\n")
	t.Chdir(dir)
	var b strings.Builder
	step := func(args ...string) {
		code, stdout, stderr := runWcomp(args...)
		fmt.Fprintf(&b, "$ wcomp %s\n%s%s[exit %d]\n\n", strings.Join(args, " "), stdout, stderr, code)
	}
	step("init")
	step("init")
	// A comment of the user's, which `wcomp new` must keep.
	writeText(t, "component.toml", readFile(t, "component.toml")+"\n# The validator goes first.\n")
	step("new", "validator", "--lang", "rust")
	step("new", "business", "--lang", "python")
	step("new", "business", "--lang", "js")
	step("new", "Bad_Name", "--lang", "go")
	step("new", "logger", "--lang", "cobol")
	for _, f := range []string{"component.toml", ".gitignore", "wit/package.wit"} {
		fmt.Fprintf(&b, "-- %s --\n%s", f, readFile(t, f))
	}
	golden.Check(t, goldenFile, b.String())
	for _, f := range []string{"validator/Cargo.toml", "validator/src/lib.rs", "wit/validator.wit", "business/app.py", "wit/business.wit"} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
}
