package builder

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Watch globs are slash-separated paths relative to the member directory.
// Each segment is a path.Match pattern, and a segment "**" matches any
// number of directories, none included: `src/**` is every file under src,
// `**/*.py` every Python file at any depth.

// DefaultWatch returns the globs a language watches when the member gives
// none: the sources and build files a user of that language would expect
// to trigger a rebuild. Rust members also watch the Cargo.toml and
// Cargo.lock of an enclosing workspace (see watchedFiles).
func DefaultWatch(lang Language) []string {
	switch lang {
	case Rust:
		return []string{"src/**", "Cargo.toml", "Cargo.lock", "build.rs"}
	case Python:
		return []string{"**/*.py", "pyproject.toml"}
	case JS:
		return []string{"**/*.js", "**/*.mjs", "**/*.cjs", "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml"}
	case Go:
		return []string{"**/*.go", "go.mod", "go.sum"}
	case Shell:
		return []string{"**"}
	}
	return nil
}

// skippedDir reports whether a wildcard should not descend into a
// directory: version-control and tool state, dependency and build output
// trees. A glob that names such a directory literally still enters it.
func skippedDir(name string) bool {
	if strings.HasPrefix(name, ".") {
		return true
	}
	switch name {
	case "node_modules", "target", "__pycache__", "venv":
		return true
	}
	return false
}

// checkGlob reports a syntax error in a watch glob.
func checkGlob(glob string) error {
	if glob == "" {
		return errors.New("empty glob")
	}
	if path.IsAbs(glob) || filepath.IsAbs(glob) {
		return fmt.Errorf("glob %q must be relative to the member directory", glob)
	}
	for _, seg := range strings.Split(glob, "/") {
		if seg == "**" {
			continue
		}
		if strings.Contains(seg, "**") {
			return fmt.Errorf("glob %q: ** must be a whole path segment", glob)
		}
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("glob %q: bad pattern in segment %q", glob, seg)
		}
	}
	return nil
}

// matchGlob reports whether name (slash-separated, relative) matches glob.
func matchGlob(glob, name string) bool {
	return matchSegments(strings.Split(glob, "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			rest := pat[1:]
			for i := 0; i <= len(name); i++ {
				if matchSegments(rest, name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// literalBase splits a glob into its leading segments without wildcards
// (a directory to walk from) and the rest.
func literalBase(glob string) (base, rest string) {
	segs := strings.Split(glob, "/")
	i := 0
	for i < len(segs) && !strings.ContainsAny(segs[i], "*?[\\") {
		i++
	}
	return strings.Join(segs[:i], "/"), strings.Join(segs[i:], "/")
}

// expandGlobs returns the files under dir that the globs match, as sorted
// slash-separated paths relative to dir, leaving out the paths in exclude.
// A glob with no wildcard names one file, which may be missing.
func expandGlobs(dir string, globs, exclude []string) ([]string, error) {
	seen := map[string]bool{}
	for _, glob := range globs {
		if err := checkGlob(glob); err != nil {
			return nil, err
		}
		glob = path.Clean(glob)
		base, rest := literalBase(glob)
		root := filepath.Join(dir, filepath.FromSlash(base))
		if rest == "" { // a literal path: one file, or nothing
			if st, err := os.Stat(root); err == nil && st.Mode().IsRegular() {
				seen[glob] = true
			}
			continue
		}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == root {
					return fs.SkipAll
				}
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if p != root && skippedDir(d.Name()) {
					return fs.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			if matchGlob(rest, rel) {
				seen[path.Join(base, rel)] = true
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", root, err)
		}
	}
	for _, x := range exclude {
		delete(seen, x)
	}
	files := make([]string, 0, len(seen))
	for f := range seen {
		files = append(files, f)
	}
	slices.Sort(files)
	return files, nil
}
