package component

import (
	"fmt"
	"strings"

	"golang.org/x/mod/semver"
)

// CheckVersion says why v is not a full semantic version (semver.org 2.0:
// MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], no leading zeros, no "v"), or
// returns nil. It is the one rule for versions: in names (ParseName), in
// compatibility tracks and in the order of versions (graph), so a version
// one accepts the others accept too.
func CheckVersion(v string) error {
	core, build, hasBuild := strings.Cut(v, "+")
	core, pre, hasPre := strings.Cut(core, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return fmt.Errorf("expected MAJOR.MINOR.PATCH")
	}
	for _, p := range parts {
		if err := checkNumeric(p); err != nil {
			return err
		}
	}
	if hasPre {
		for _, id := range strings.Split(pre, ".") {
			if err := checkIdent(id); err != nil {
				return fmt.Errorf("pre-release: %v", err)
			}
			if allDigits(id) {
				if err := checkNumeric(id); err != nil {
					return fmt.Errorf("pre-release: %v", err)
				}
			}
		}
	}
	if hasBuild {
		for _, id := range strings.Split(build, ".") {
			if err := checkIdent(id); err != nil {
				return fmt.Errorf("build metadata: %v", err)
			}
		}
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func checkNumeric(p string) error {
	if p == "" || !allDigits(p) {
		return fmt.Errorf("%q is not a number", p)
	}
	if len(p) > 1 && p[0] == '0' {
		return fmt.Errorf("%q has a leading zero", p)
	}
	return nil
}

func checkIdent(id string) error {
	if id == "" {
		return fmt.Errorf("empty identifier")
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return fmt.Errorf("identifier %q has character %q", id, c)
		}
	}
	return nil
}

// CompareVersions orders two versions CheckVersion accepts by semver
// precedence: -1, 0 or +1 (build metadata does not count).
func CompareVersions(a, b string) int {
	return semver.Compare("v"+a, "v"+b)
}
