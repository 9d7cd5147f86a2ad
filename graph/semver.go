package graph

import (
	"strings"

	"github.com/wcomp/wcomp/component"
)

// CompatKey returns the semver compatibility track of a version: "1" for
// 1.y.z (any major ≥ 1), "0.2" for 0.2.z, and "" for versions that are
// compatible with nothing but themselves: 0.0.z, pre-releases, and
// anything that is not a full semver (component.CheckVersion, the one
// rule names are parsed by too).
func CompatKey(version string) string {
	if component.CheckVersion(version) != nil {
		return ""
	}
	core, _, _ := strings.Cut(version, "+")
	if strings.Contains(core, "-") {
		return "" // a pre-release
	}
	major, rest, _ := strings.Cut(core, ".")
	minor, _, _ := strings.Cut(rest, ".")
	switch {
	case major != "0":
		return major
	case minor != "0":
		return "0." + minor
	}
	return ""
}

// CompatName returns the name under which semver-compatible interface
// names group: `ns:pkg/iface@1` or `ns:pkg/iface@0.2`. Names that are not
// interfaces, are unversioned, or have no compatibility track group only
// with themselves, so the name itself is returned.
func CompatName(name string) string {
	n, ok := component.InterfaceName(name)
	if !ok || n.Version == "" {
		return name
	}
	key := CompatKey(n.Version)
	if key == "" {
		return name
	}
	return n.WithoutVersion() + "@" + key
}

// Compatible reports whether an import named imp may be satisfied by an
// export named exp: the same name, or the same interface on the same
// compatibility track.
func Compatible(imp, exp string) bool {
	return imp == exp || (CompatName(imp) == CompatName(exp) && CompatName(imp) != imp)
}

// Highest returns the name with the highest version among names, which
// must be semver-compatible with one another (one CompatName). Ties and
// unversioned names fall back to the lexically smallest, so the choice is
// deterministic.
func Highest(names []string) string {
	best := ""
	for _, n := range names {
		if best == "" || compareNames(n, best) > 0 {
			best = n
		}
	}
	return best
}

// compareNames orders interface names by version, then by text.
func compareNames(a, b string) int {
	na, _ := component.InterfaceName(a)
	nb, _ := component.InterfaceName(b)
	if na.Version != "" && nb.Version != "" {
		if c := component.CompareVersions(na.Version, nb.Version); c != 0 {
			return c
		}
	}
	// Lower text sorts as "higher" so Highest picks it on a tie.
	return strings.Compare(b, a)
}
