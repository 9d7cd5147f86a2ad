package main

import (
	"fmt"
	"hash/adler32"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/ci"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtimecli"
)

// The examples are built and run end to end with the real toolchains
// (Rust, Python, JavaScript), and what they print is checked three ways:
// against the lines the service must print (checksums recomputed here with
// Go's own Adler-32), and against what the outside tools print for the same
// members, composed by `wac plug` and run by `wasmtime run`.

// orders are the business member's requests (examples/polyglot-service/
// business/app.py): id, payload, priority.
var orders = []struct {
	id, payload string
	priority    int
}{
	{"order-42", "hello, components", 3},
	{"order-43", "two languages, one component", 9},
	{"order-44", "", 1},
	{"order-45", "rush", 12},
}

// expectedLines is what the service prints for orders, the enricher (if
// chained) adding its suffixes, as the validator's and enricher's sources
// say.
func expectedLines(chained bool) string {
	var b strings.Builder
	for _, o := range orders {
		id := o.id
		if chained {
			id += "/js"
		}
		var line string
		switch {
		case o.payload == "":
			line = fmt.Sprintf("rejected %s: request %s: empty payload", o.id, id)
		case o.priority > 9:
			line = fmt.Sprintf("rejected %s: request %s: priority %d out of range 0..=9", o.id, id, o.priority)
		default:
			tags, msg := "validated-by-rust", fmt.Sprintf("validated %d bytes", len(o.payload))
			if chained {
				tags, msg = tags+",enriched-by-js", msg+", enriched"
			}
			line = fmt.Sprintf("accepted %s (status 200, checksum %d, tags %s): %s", id, adler32.Checksum([]byte(o.payload)), tags, msg)
		}
		if chained && strings.HasPrefix(line, "rejected") {
			line = strings.Replace(line, ": request", ": enricher: request", 1)
		}
		b.WriteString("business: " + line + "\n")
	}
	return b.String()
}

// copyExamples copies examples/ into a fresh directory, leaving out build
// output, and returns the copy. The chain example refers to the service's
// members by relative path, so both go together.
func copyExamples(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir("../../examples", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("../../examples", path)
		if d.IsDir() && (d.Name() == "target" || d.Name() == "node_modules" || d.Name() == "__pycache__") {
			return filepath.SkipDir
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			// The chain's links to the service's members stay links.
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, filepath.Join(dst, rel))
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// exampleEnv prepares the environment the examples build in: a cargo
// target directory kept between test runs (under the repository's ignored
// target/), so std, built for wasm32-wasip1 with -Z build-std, is compiled
// once and not once per run.
func exampleEnv(t *testing.T) {
	t.Helper()
	cargoTarget, err := filepath.Abs("../../target/test-cargo")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("CARGO_TARGET_DIR", cargoTarget)
	t.Setenv("NO_COLOR", "1")
}

// wcompIn runs wcomp in dir.
func wcompIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	return runWcomp(args...)
}

// outside runs a reference tool and returns its standard output.
func outside(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

func needTools(t *testing.T) (wac, wasmtime string) {
	t.Helper()
	if testing.Short() {
		ci.Skip(t, "builds the examples with the real toolchains, which takes minutes")
	}
	wac, err := exec.LookPath("wac")
	if err != nil {
		ci.Skip(t, "wac is not installed (.ci/install.sh): %v", err)
	}
	return wac, wasmtimecli.Path(t)
}

// buildExample runs `wcomp build` in dir, checks that its output has each
// of lines and that target/NAME.wasm is valid, and returns the directory of
// the members' components.
func buildExample(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	code, stdout, stderr := wcompIn(t, dir, "build")
	if code != 0 {
		t.Fatalf("wcomp build: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, line := range lines {
		if !strings.Contains(stderr, line) {
			t.Errorf("wcomp build's output lacks %q:\n%s", line, stderr)
		}
	}
	validate.Component(t, []byte(readFile(t, filepath.Join(dir, "target", name+".wasm"))))
	return filepath.Join(dir, "target", "wcomp", "members")
}

func TestExamplePolyglotService(t *testing.T) {
	wac, wasmtime := needTools(t)
	exampleEnv(t)
	dir := filepath.Join(copyExamples(t), "polyglot-service")

	members := buildExample(t, dir, "service", "   Compiling validator (rust)\n", "   Compiling business (python)\n",
		"     Checked capabilities: ", "   Composing service (2 members + ", "    Finished target/service.wasm in ")

	// The same members, composed and run by the outside tools.
	ref := filepath.Join(t.TempDir(), "wac.wasm")
	outside(t, wac, "plug", filepath.Join(members, "business.wasm"), "--plug", filepath.Join(members, "validator.wasm"), "-o", ref)
	want := outside(t, wasmtime, "run", ref)
	if want != expectedLines(false) {
		t.Errorf("wac plug + wasmtime run print:\n%s\nthe sources say:\n%s", want, expectedLines(false))
	}

	code, stdout, stderr := wcompIn(t, dir, "run")
	if code != 0 || stdout != want {
		t.Errorf("wcomp run: exit %d\nstdout:\n%s\nwant (wasmtime run of wac plug's output):\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
	if strings.Contains(stderr, "Compiling") || strings.Contains(stderr, "Composing") {
		t.Errorf("wcomp run after wcomp build rebuilt something:\n%s", stderr)
	}
	invoke := `handle("hi there")`
	wantInvoke := outside(t, wasmtime, "run", "--invoke", invoke, ref)
	if code, stdout, _ = wcompIn(t, dir, "run", "--invoke", invoke); code != 0 || stdout != wantInvoke {
		t.Errorf("wcomp run --invoke: exit %d, %q; wasmtime --invoke: %q", code, stdout, wantInvoke)
	}

	// Nothing changed: every member is fresh and nothing is composed.
	code, _, stderr = wcompIn(t, dir, "build", "-j", "1")
	if want := "       Fresh validator (rust)\n       Fresh business (python)\n    Finished target/service.wasm in "; code != 0 || !strings.HasPrefix(stderr, want) {
		t.Errorf("no-op build: exit %d\n%s\nwant it to start with\n%s", code, stderr, want)
	}

	// One member's source: only that member is rebuilt.
	lib := filepath.Join(dir, "validator", "src", "lib.rs")
	writeText(t, lib, readFile(t, lib)+"\n// touched by the test\n")
	code, _, stderr = wcompIn(t, dir, "build", "-j", "1")
	if code != 0 || !strings.Contains(stderr, "   Compiling validator (rust)\n") || !strings.Contains(stderr, "       Fresh business (python)\n") {
		t.Errorf("after editing the validator: exit %d\n%s", code, stderr)
	}
	if code, _, stderr = wcompIn(t, dir, "build", "--locked"); code != 0 {
		t.Errorf("--locked after a build: exit %d\n%s", code, stderr)
	}
	if code, stdout, _ = wcompIn(t, dir, "run"); code != 0 || stdout != want {
		t.Errorf("wcomp run after the rebuild: exit %d\n%s", code, stdout)
	}
}

func TestExamplePolyglotChain(t *testing.T) {
	wac, wasmtime := needTools(t)
	exampleEnv(t)
	dir := filepath.Join(copyExamples(t), "polyglot-chain")

	members := buildExample(t, dir, "service-chain", "   Compiling validator (rust)\n", "   Compiling enricher (js)\n",
		"   Compiling business (python)\n", "     Checked capabilities: ", "   Composing service-chain (3 members + ")

	// wac plugs the chain in two steps (it leaves the enricher's import
	// open when given all three at once, wac issue #95).
	tmp := t.TempDir()
	mid, ref := filepath.Join(tmp, "mid.wasm"), filepath.Join(tmp, "chain.wasm")
	outside(t, wac, "plug", filepath.Join(members, "enricher.wasm"), "--plug", filepath.Join(members, "validator.wasm"), "-o", mid)
	outside(t, wac, "plug", filepath.Join(members, "business.wasm"), "--plug", mid, "-o", ref)
	want := outside(t, wasmtime, "run", "-S", "http", ref)
	if want != expectedLines(true) {
		t.Errorf("wac plug + wasmtime run print:\n%s\nthe sources say:\n%s", want, expectedLines(true))
	}
	// The example's [capabilities] stub the outgoing handler and allow
	// wasi:http/types, so wcomp run links wasi:http without --http.
	code, stdout, stderr := wcompIn(t, dir, "run")
	if code != 0 || stdout != want {
		t.Errorf("wcomp run: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
}
