package component

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/wasmtools"
)

// Helpers shared by this package's tests: testdata files, the real
// wasm-tools (through internal/wasmtools). Golden files go through
// internal/golden, which owns the -update flag.

// eachFile runs one subtest per file matching the testdata glob pattern,
// named after the file without its extension. No match is a failure: a
// table test over an empty directory would pass while testing nothing.
func eachFile(t *testing.T, pattern string, run func(t *testing.T, path string)) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cases match %s (%v)", pattern, err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		t.Run(name, func(t *testing.T) { run(t, path) })
	}
}

// eachFixture runs one subtest per built fixture (fixtures/out, found by
// internal/fixture), named after it, given its bytes.
func eachFixture(t *testing.T, run func(t *testing.T, name string, data []byte)) {
	t.Helper()
	for _, path := range fixture.All(t) {
		name := fixture.Name(path)
		t.Run(name, func(t *testing.T) { run(t, name, fixture.Read(t, name)) })
	}
}

// parseWATFile assembles a testdata .wat file with the real wasm-tools.
func parseWATFile(t testing.TB, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return wasmtools.Parse(t, string(src))
}

// validateAll runs `wasm-tools validate --features all` on b and returns
// its complaint. Every proposal is on because the WAT tests, the type
// encoder's outputs and some fixtures use gated features (async, fixed-size
// lists, error-context) on purpose: what is checked here is the encoding,
// not which proposals a runtime ships.
func validateAll(t testing.TB, b []byte) error {
	t.Helper()
	return wasmtools.Validate(t, b, "all")
}

// mustValidate fails the test unless validateAll accepts b.
func mustValidate(t testing.TB, b []byte) {
	t.Helper()
	if err := validateAll(t, b); err != nil {
		t.Fatal(err)
	}
}

// bigFixture is the size above which a fixture (a componentize-py or
// componentize-js output of 10–20 MB) skips its slow whole-binary checks
// under -short: validating or compiling it costs seconds, while its
// component-level structure is still decoded, resolved and round-tripped.
// The full run checks every fixture.
const bigFixture = 1 << 20

// largestFixture returns the name and bytes of the largest built fixture,
// the input of the decoding benchmarks.
func largestFixture(t testing.TB) (string, []byte) {
	t.Helper()
	var name string
	var data []byte
	for _, path := range fixture.All(t) {
		n := fixture.Name(path)
		if d := fixture.Read(t, n); len(d) > len(data) {
			name, data = n, d
		}
	}
	return name, data
}

// newTypeWalk returns a TypeWalk that calls visit on every node and always
// walks on into its parts.
func newTypeWalk(visit func(node any)) *TypeWalk {
	return &TypeWalk{Visit: func(node any) bool { visit(node); return true }}
}
