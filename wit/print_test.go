package wit

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// buildComponent makes a component from a test source. For a WIT file
// (one world) it uses a dummy core module, the way a toolchain would:
// `wasm-tools component embed --dummy` then `wasm-tools component new`. A
// WAT file is assembled with `wasm-tools parse`.
func buildComponent(t *testing.T, src string) []byte {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "component.wasm")
	if strings.HasSuffix(src, ".wat") {
		runWasmTools(t, nil, "parse", src, "-o", out)
	} else {
		core := filepath.Join(dir, "core.wasm")
		runWasmTools(t, nil, "component", "embed", "--dummy", src, "-o", core)
		runWasmTools(t, nil, "component", "new", core, "-o", out)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func decode(t *testing.T, data []byte) *component.ComponentType {
	t.Helper()
	ct, err := component.DecodeType(data)
	if err != nil {
		t.Fatalf("DecodeType: %v", err)
	}
	return ct
}

// TestPrintGolden prints components built from testdata/src (WIT and WAT) and
// checks the text three ways: against the golden file, byte for byte
// against `wasm-tools component wit`, and item by item (Canonical) against
// the reference's JSON.
func TestPrintGolden(t *testing.T) {
	srcs, err := filepath.Glob("testdata/src/*.w[ia]t")
	if err != nil || len(srcs) == 0 {
		t.Fatalf("no sources in testdata/src: %v", err)
	}
	for _, src := range srcs {
		name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			data := buildComponent(t, src)
			ct := decode(t, data)
			got, err := Print(ct, Options{})
			if err != nil {
				t.Fatalf("Print: %v", err)
			}
			checkGolden(t, filepath.Join("testdata", "golden", name+".wit"), got)
			if testing.Short() {
				return // the golden files were checked against wasm-tools when written
			}
			if want := referenceWIT(t, data); got != want {
				t.Errorf("Print differs from wasm-tools component wit:\n%s", lineDiff(want, got))
			}
			compareWithReference(t, ct, data)
		})
	}
}

// compareWithReference diffs Canonical(ct) against the same rendering of
// `wasm-tools component wit --json`.
func compareWithReference(t *testing.T, ct *component.ComponentType, data []byte) {
	t.Helper()
	ours, err := Canonical(ct)
	if err != nil {
		t.Fatalf("Canonical: %v", err)
	}
	theirs, err := canonicalReference(referenceJSON(t, data))
	if err != nil {
		t.Fatalf("reference: %v", err)
	}
	if ours != theirs {
		t.Errorf("imports/exports differ from wasm-tools (- wasm-tools, + ours):\n%s", lineDiff(theirs, ours))
	}
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (- want, + got):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+), in order:
// enough to see a mismatch without a diff library.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	// Longest common subsequence table, then walk it.
	lcs := make([][]int, len(w)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(g)+1)
	}
	for i := len(w) - 1; i >= 0; i-- {
		for j := len(g) - 1; j >= 0; j-- {
			if w[i] == g[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	i, j := 0, 0
	for i < len(w) || j < len(g) {
		switch {
		case i < len(w) && j < len(g) && w[i] == g[j]:
			i, j = i+1, j+1
		case j < len(g) && (i == len(w) || lcs[i][j+1] >= lcs[i+1][j]):
			b.WriteString("+ " + g[j] + "\n")
			j++
		default:
			b.WriteString("- " + w[i] + "\n")
			i++
		}
	}
	return b.String()
}
