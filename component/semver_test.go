package component

import (
	"strings"
	"testing"

	"golang.org/x/mod/semver"
)

// TestCheckVersion: the one version rule, compared with x/mod's semver
// (which CompareVersions orders by) on full versions, so the rule that
// accepts a version and the one that orders it never disagree.
func TestCheckVersion(t *testing.T) {
	for _, tc := range []struct {
		v  string
		ok bool
	}{
		{"1.2.3", true}, {"0.2.6", true}, {"0.0.1", true},
		{"1.0.0-rc.1", true}, {"1.0.0-alpha-beta", true}, {"1.0.0+build.5", true}, {"1.0.0-rc.1+b-2", true},
		{"1.2", false}, {"v1.2.3", false}, {"01.2.3", false}, {"1.02.3", false}, {"1.2.03", false},
		{"1.0.0-01", false}, {"1.0.0-", false}, {"1.0.0+", false}, {"1.0.0-a..b", false},
		{"1.0.0-ä", false}, {"1.2.3.4", false}, {"", false},
	} {
		err := CheckVersion(tc.v)
		if (err == nil) != tc.ok {
			t.Errorf("CheckVersion(%q) = %v, want ok=%v", tc.v, err, tc.ok)
		}
		full := strings.Count(strings.SplitN(strings.SplitN(tc.v, "+", 2)[0], "-", 2)[0], ".") == 2
		if peer := semver.IsValid("v" + tc.v); full && peer != (err == nil) {
			t.Errorf("%q: CheckVersion says %v, x/mod semver.IsValid %v", tc.v, err, peer)
		}
	}
	if CompareVersions("0.2.10", "0.2.9") != 1 || CompareVersions("1.0.0-rc.1", "1.0.0") != -1 || CompareVersions("1.0.0+a", "1.0.0+b") != 0 {
		t.Error("CompareVersions orders versions wrongly")
	}
}
