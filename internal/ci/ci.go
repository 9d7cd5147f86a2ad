package ci

import (
	"os"
	"strconv"
	"testing"
)

// Enabled reports whether the tests run in CI: $CI is set to a true value
// ("true", "1", …).
func Enabled() bool {
	v, ok := os.LookupEnv("CI")
	if !ok || v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	return err != nil || b // a CI that sets CI to some other word still means it
}

// Skip skips the test outside CI and fails it in CI, with the same
// message: in CI, what would be skipped must be made to run instead.
func Skip(t testing.TB, format string, args ...any) {
	t.Helper()
	if Enabled() {
		t.Fatalf("in CI this must run, not be skipped: "+format, args...)
		return
	}
	t.Skipf(format, args...)
}
