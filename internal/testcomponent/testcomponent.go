package testcomponent

import (
	_ "embed"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// Case is a named test component and how to build it; tests name their
// golden files after Name.
type Case struct {
	Name  string
	Build func(testing.TB) []byte
}

// KindsWAT is a component with one import of each kind a component can have
// (core module, component, instance, type, func; values aside), a labelled
// instance that implements an interface, and a func export.
//
//go:embed kinds.wat
var KindsWAT string

// Kinds builds KindsWAT.
func Kinds(t testing.TB) []byte {
	t.Helper()
	return wasmtools.Parse(t, KindsWAT)
}

// FromWIT returns a Case for each WIT file matching pattern (one world per
// file, e.g. "testdata/*.wit"), named by the file's stem and built by
// wasmtools.DummyComponent. No match fails the test: a golden test over an
// empty list would pass while checking nothing.
func FromWIT(t testing.TB, pattern string) []Case {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no WIT sources match %s (err %v)", pattern, err)
	}
	cases := make([]Case, len(paths))
	for i, path := range paths {
		cases[i] = Case{
			Name:  strings.TrimSuffix(filepath.Base(path), ".wit"),
			Build: func(t testing.TB) []byte { return wasmtools.DummyComponent(t, path, "") },
		}
	}
	return cases
}
