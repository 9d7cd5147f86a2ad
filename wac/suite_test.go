package wac

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/internal/validate"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// TestWACSuite runs wac's own test suites against this package: the .wac
// files of crates/wac-parser/tests/{parser,resolution,encoding}, with
// their fail/ cases. Those files are not ours to commit, so the suite is
// found through WCOMP_WAC_SUITE, a checkout of bytecodealliance/wac:
//
//	git clone https://github.com/bytecodealliance/wac /tmp/wac
//	WCOMP_WAC_SUITE=/tmp/wac go test -run TestWACSuite -v ./wac/
//
// A failure case must fail with a positioned error; where wac's expected
// message shows a position, the test counts whether ours is the same.
func TestWACSuite(t *testing.T) {
	root := os.Getenv("WCOMP_WAC_SUITE")
	if root == "" {
		t.Skip("WCOMP_WAC_SUITE not set: a checkout of github.com/bytecodealliance/wac")
	}
	t.Run("graphs", func(t *testing.T) { runGraphSuite(t, root) })
	tests := filepath.Join(root, "crates", "wac-parser", "tests")
	for _, suite := range []string{"parser", "resolution", "encoding"} {
		t.Run(suite, func(t *testing.T) {
			var c suiteCounts
			for _, fail := range []bool{false, true} {
				dir := filepath.Join(tests, suite)
				if fail {
					dir = filepath.Join(dir, "fail")
				}
				files, _ := filepath.Glob(filepath.Join(dir, "*.wac"))
				sort.Strings(files)
				for _, f := range files {
					name := strings.TrimSuffix(filepath.Base(f), ".wac")
					if fail {
						name = "fail/" + name
					}
					t.Run(name, func(t *testing.T) { runSuiteCase(t, suite, f, fail, &c) })
				}
			}
			t.Logf("%s: %d ok cases passed of %d (%d checked by wasm-tools only: Wasmtime cannot compile their inputs, or wac's output either); %d fail cases failed with a positioned error of %d (%d at wac's position)",
				suite, c.okPass, c.ok, c.wasmtimeNA, c.failPass, c.fail, c.samePos)
		})
	}
}

type suiteCounts struct {
	ok, okPass, fail, failPass, samePos int
	// wasmtimeNA counts outputs Wasmtime cannot judge (see compareComposed).
	wasmtimeNA int
}

func runSuiteCase(t *testing.T, suite, path string, fail bool, c *suiteCounts) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFile(path, src)
	deps := dirDeps(strings.TrimSuffix(path, ".wac"))
	doc, err := Parse(f)
	var out []byte
	if err == nil && suite != "parser" {
		out, err = composeDoc(doc, deps)
	}
	if !fail {
		c.ok++
		if err != nil {
			t.Fatalf("expected success:\n%s", Format(err))
		}
		if suite != "parser" {
			if err := checkOutput(t, doc, deps, out, c); err != nil {
				t.Fatal(err)
			}
		}
		c.okPass++
		return
	}
	c.fail++
	if err == nil {
		t.Fatalf("expected a failure")
	}
	var we *Error
	if !errors.As(err, &we) {
		t.Fatalf("expected a positioned error, got %v", err)
	}
	c.failPass++
	want, _ := os.ReadFile(path + ".result")
	if line, col, ok := wacPosition(string(want)); ok {
		if p := we.Pos(); p.Line == line && p.Column == col {
			c.samePos++
		} else {
			t.Logf("position %d:%d, wac says %d:%d:\n%s\nwac:\n%s", p.Line, p.Column, line, col, Format(err), want)
		}
	}
	if testing.Verbose() {
		t.Logf("%s", Format(err))
	}
}

// composeDoc resolves, plans and encodes a document.
func composeDoc(doc *Document, deps PackageResolver) ([]byte, error) {
	comp, err := Resolve(context.Background(), doc, deps)
	if err != nil {
		return nil, err
	}
	plan, err := comp.Plan()
	if err != nil {
		return nil, err
	}
	res, err := compose.Encode(plan, compose.EncodeOptions{Name: "test", Version: "test"})
	if err != nil {
		return nil, err
	}
	return res.Bytes(), nil
}

// checkOutput validates a composed output with wasm-tools and Wasmtime,
// and compares its top-level imports and exports with what `wac compose`
// makes of the same document and packages.
func checkOutput(t *testing.T, doc *Document, deps dirDeps, out []byte, c *suiteCounts) error {
	ref, err := wacCompose(t, doc, deps)
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	inputs := Packages{}
	for _, r := range doc.Packages() {
		if data, err := deps.ResolvePackage(context.Background(), r.Name, r.Version); err == nil {
			inputs[r.String()] = data
		}
	}
	return compareComposed(out, ref, inputs, nil, c)
}

// compareComposed validates out with wasm-tools and Wasmtime, and checks
// that it has the top-level imports and exports of ref, wac's output for
// the same case, but for ref's lines that skip drops.
//
// Some of wac's test packages are stubs that Wasmtime cannot compile
// (they re-export their imported functions, or export types), and some
// documents export what they import, which Wasmtime does not implement
// either: when an input is refused, or wac's own output is refused for
// the same reason, Wasmtime's verdict says nothing about the composition,
// and the case counts as checked by wasm-tools only.
func compareComposed(out, ref []byte, inputs Packages, skip func(line string) bool, c *suiteCounts) error {
	if err := validate.WasmTools(out); err != nil {
		return fmt.Errorf("wasm-tools rejects the output: %w", err)
	}
	if err := validate.Wasmtime(out); err != nil {
		refErr := validate.Wasmtime(ref)
		alike := refErr != nil && lastLine(refErr.Error()) == lastLine(err.Error())
		if !alike && !anyRefused(inputs) {
			return fmt.Errorf("wasmtime rejects the output: %w", err)
		}
		c.wasmtimeNA++
	}
	got, err := topLevel(out)
	if err != nil {
		return err
	}
	want, err := topLevel(ref)
	if err != nil {
		return err
	}
	if skip != nil {
		var keep []string
		for _, l := range strings.Split(strings.TrimSpace(want), "\n") {
			if !skip(l) {
				keep = append(keep, l)
			}
		}
		want = strings.Join(keep, "\n") + "\n"
	}
	if got != want {
		return fmt.Errorf("top-level imports and exports differ from wac's (- wac, + wcomp):\n%s", golden.Diff(want, got))
	}
	return nil
}

// lastLine is the last line of a message: Wasmtime's reason.
func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.TrimSpace(s[strings.LastIndexByte(s, '\n')+1:])
}

// anyRefused reports whether Wasmtime refuses one of the inputs.
func anyRefused(inputs Packages) bool {
	for _, data := range inputs {
		if validate.Wasmtime(data) != nil {
			return true
		}
	}
	return false
}

// wacCompose runs the wac CLI on the document, with its packages written
// as .wasm files into a deps directory of wac's layout.
func wacCompose(t *testing.T, doc *Document, deps dirDeps) ([]byte, error) {
	wac, err := exec.LookPath("wac")
	if err != nil {
		return nil, fmt.Errorf("wac is required to compare outputs: %w", err)
	}
	dir := t.TempDir()
	for _, ref := range doc.Packages() {
		data, err := deps.ResolvePackage(context.Background(), ref.Name, ref.Version)
		if err != nil {
			continue // wac will say so
		}
		p := filepath.Join(append([]string{dir, "deps"}, strings.Split(ref.Name, ":")...)...)
		if ref.Version != "" {
			p = filepath.Join(p, ref.Version)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p+".wasm", data, 0o644); err != nil {
			return nil, err
		}
	}
	src := filepath.Join(dir, "doc.wac")
	if err := os.WriteFile(src, []byte(doc.File.Src), 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "out.wasm")
	if _, err := runTool(wac, "compose", src, "--deps-dir", filepath.Join(dir, "deps"), "-o", out); err != nil {
		return nil, err
	}
	return os.ReadFile(out)
}

var topLevelItem = regexp.MustCompile(`^  \((import|export) (?:\$\S+ )?(?:\(;\d+;\) )?"([^"]*)" \((\w+)`)

// topLevel lists a component's own imports and exports, name and kind,
// as `wasm-tools print` shows them.
func topLevel(wasm []byte) (string, error) {
	tool, err := wasmtools.Find()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "wac-top")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "c.wasm")
	if err := os.WriteFile(p, wasm, 0o644); err != nil {
		return "", err
	}
	text, err := runTool(tool, "print", p)
	if err != nil {
		return "", err
	}
	var items []string
	for _, line := range strings.Split(string(text), "\n") {
		if m := topLevelItem.FindStringSubmatch(line); m != nil {
			items = append(items, m[1]+" "+m[2]+" ("+m[3]+")")
		}
	}
	sort.Strings(items)
	return strings.Join(items, "\n") + "\n", nil
}

var wacPos = regexp.MustCompile(`╭─\[[^\]]*?:(\d+):(\d+)\]`)

// wacPosition reads the first position from one of wac's rendered errors.
func wacPosition(s string) (line, col int, ok bool) {
	m := wacPos.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	line, _ = strconv.Atoi(m[1])
	col, _ = strconv.Atoi(m[2])
	return line, col, true
}

// dirDeps resolves packages the way wac's test suites lay them out, and
// ours too: ns:name is root/ns/name (or root/ns/name/VERSION), a
// directory of WIT (encoded with `wasm-tools component wit --wasm`), a
// .wat file (assembled with `wasm-tools parse`) or a .wasm file.
type dirDeps string

func (d dirDeps) ResolvePackage(_ context.Context, name, version string) ([]byte, error) {
	p := filepath.Join(append([]string{string(d)}, strings.Split(name, ":")...)...)
	if version != "" {
		p = filepath.Join(p, version)
	}
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		return suiteTool("component", "wit", "--wasm", p)
	}
	if _, err := os.Stat(p + ".wat"); err == nil {
		return suiteTool("parse", p+".wat")
	}
	if b, err := os.ReadFile(p + ".wasm"); err == nil {
		return b, nil
	}
	rel, _ := filepath.Rel(string(d), p)
	return nil, fmt.Errorf("%w: no %s.wasm, .wat or directory", ErrUnknownPackage, filepath.ToSlash(rel))
}

func suiteTool(args ...string) ([]byte, error) {
	tool, err := wasmtools.Find()
	if err != nil {
		return nil, err
	}
	return runTool(tool, args...)
}
