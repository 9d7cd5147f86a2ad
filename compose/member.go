package compose

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/wcomp/wcomp/graph"
)

// MemberArg is a member as a command line names it: `[NAME=]FILE`. Both
// `wcomp compose` and `wcomp build` (for prebuilt members given on the
// command line) read members this way.
type MemberArg struct {
	Name string
	Path string
}

// ParseMemberArg reads `[NAME=]FILE`. A '=' starts a name only when what
// comes before it could be a member name (no path separator, no ':'), so a
// file whose path contains '=' can still be given as ./a=b.wasm. Without a
// name, the member is named after the file's stem (StemName).
func ParseMemberArg(spec string) (MemberArg, error) {
	m := MemberArg{Name: StemName(spec), Path: spec}
	if name, path, ok := strings.Cut(spec, "="); ok && !strings.ContainsAny(name, `/:\`) {
		if name == "" || path == "" {
			return m, fmt.Errorf("%q: expected FILE or NAME=FILE", spec)
		}
		m.Name, m.Path = name, path
	}
	if m.Name == "" {
		return m, fmt.Errorf("%q: no member name in the file name; give one as NAME=FILE", spec)
	}
	if err := CheckMemberName(m.Name); err != nil {
		return m, fmt.Errorf("%q: %w", spec, err)
	}
	return m, nil
}

// StemName is a file's name without directory and extension, the default
// member name: "out/business.wasm" → "business".
func StemName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// Wire is graph.Wire, the form of a `--wire`.
//
// Deprecated: use graph.Wire; this alias stays only until manifest's
// tests, written before graph's parser existed, use graph.ParseWire.
type Wire = graph.Wire

// ParseWire is graph.ParseWire.
//
// Deprecated: use graph.ParseWire (see Wire).
func ParseWire(s string) (Wire, error) { return graph.ParseWire(s) }
