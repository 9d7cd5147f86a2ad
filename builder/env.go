package builder

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// environ is a process environment as "K=V" entries, with at most one
// entry per key. Tools run with the builder's environment plus what their
// toolchain sets plus the member's build.env.
type environ []string

func (e environ) get(key string) string {
	for i := len(e) - 1; i >= 0; i-- {
		if k, v, _ := strings.Cut(e[i], "="); k == key {
			return v
		}
	}
	return ""
}

// with returns a copy of e with key set to value.
func (e environ) with(key, value string) environ {
	out := slices.DeleteFunc(slices.Clone(e), func(kv string) bool {
		k, _, _ := strings.Cut(kv, "=")
		return k == key
	})
	return append(out, key+"="+value)
}

// withAll applies the entries of m in sorted key order.
func (e environ) withAll(m map[string]string) environ {
	for _, k := range sortedKeys(m) {
		e = e.with(k, m[k])
	}
	return e
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// lookPath finds an executable the way exec.LookPath does, but on this
// environment's PATH rather than the process's, so a builder (and a test)
// can run with a PATH of its own.
func (e environ) lookPath(name string) (string, bool) {
	if strings.ContainsRune(name, os.PathSeparator) {
		return name, isExecutable(name)
	}
	for _, dir := range filepath.SplitList(e.get("PATH")) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if isExecutable(p) {
			if !filepath.IsAbs(p) {
				if abs, err := filepath.Abs(p); err == nil {
					p = abs
				}
			}
			return p, true
		}
	}
	return "", false
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}
