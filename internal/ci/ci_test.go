package ci

import (
	"testing"
)

func TestEnabled(t *testing.T) {
	for _, tc := range []struct {
		value string
		set   bool
		want  bool
	}{
		{"", false, false},
		{"", true, false},
		{"true", true, true},
		{"1", true, true},
		{"false", true, false},
		{"0", true, false},
		{"yes", true, true},
	} {
		if tc.set {
			t.Setenv("CI", tc.value)
		} else {
			t.Setenv("CI", "")
		}
		if got := Enabled(); got != tc.want {
			t.Errorf("CI=%q (set %v): Enabled() = %v, want %v", tc.value, tc.set, got, tc.want)
		}
	}
}

// recorder is a testing.TB that records whether it was failed or skipped.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper()                           {}
func (r *recorder) Fatalf(format string, args ...any) { r.failed = true }
func (r *recorder) Skipf(format string, args ...any)  { r.skipped = true }

func TestSkip(t *testing.T) {
	for _, tc := range []struct {
		ci         string
		fail, skip bool
	}{{"true", true, false}, {"", false, true}} {
		t.Setenv("CI", tc.ci)
		r := &recorder{TB: t}
		Skip(r, "wasmtime %d is too old", 44)
		if r.failed != tc.fail || r.skipped != tc.skip {
			t.Errorf("CI=%q: failed %v, skipped %v; want %v, %v", tc.ci, r.failed, r.skipped, tc.fail, tc.skip)
		}
	}
}
