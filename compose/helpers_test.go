package compose

import (
	"os/exec"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtimecli"
)

// compileWithWasmtimeCLI compiles the component in file with the wasmtime
// CLI (the native binary, not the pip launcher), failing the test with its
// complaint.
func compileWithWasmtimeCLI(t testing.TB, file string, args ...string) {
	t.Helper()
	cmd := exec.Command(wasmtimecli.Path(t), append([]string{"compile"}, append(args, file, "-o", file+".cwasm")...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wasmtime compile %s: %v\n%s", file, err, out)
	}
}
