package wac

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

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
			t.Logf("%s: %d ok cases passed of %d; %d fail cases failed with a positioned error of %d (%d at wac's position)",
				suite, c.okPass, c.ok, c.failPass, c.fail, c.samePos)
		})
	}
}

type suiteCounts struct {
	ok, okPass, fail, failPass, samePos int
}

func runSuiteCase(t *testing.T, suite, path string, fail bool, c *suiteCounts) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFile(path, src)
	var comp *Composition
	doc, err := Parse(f)
	if err == nil && suite != "parser" {
		deps := dirDeps(strings.TrimSuffix(path, ".wac"))
		comp, err = Resolve(context.Background(), doc, deps)
	}
	_ = comp
	if !fail {
		c.ok++
		if err != nil {
			t.Fatalf("expected success:\n%v", err)
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
			t.Logf("position %d:%d, wac says %d:%d:\n%v\nwac:\n%s", p.Line, p.Column, line, col, err, want)
		}
	}
	if testing.Verbose() {
		t.Logf("%v", err)
	}
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
