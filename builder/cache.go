package builder

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/internal/filelock"
)

// completeMarker is written last into a cached toolchain directory: a
// directory without it is a crashed install, redone.
const completeMarker = ".wcomp-complete"

// toolchainDir returns CacheDir/toolchains/NAME, filling it first if it is
// not there: fill gets an empty temporary directory beside it, which is
// renamed into place once fill succeeds. A file lock keeps two wcomp
// processes (or two members) from installing the same thing at once; the
// second waits, then finds it done. what is shown while installing.
func (j *job) toolchainDir(ctx context.Context, name, what string, fill func(dir string) error) (string, error) {
	root := filepath.Join(j.b.opts.CacheDir, "toolchains")
	dir := filepath.Join(root, name)
	if done(dir) {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	unlock, err := filelock.Lock(ctx, dir+".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if done(dir) { // another process finished it while we waited
		return dir, nil
	}
	j.emit(Event{Kind: EventInstalling, Message: what})
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := fill(tmp); err != nil {
		return "", fmt.Errorf("installing %s into %s: %w", what, dir, err)
	}
	if err := os.WriteFile(filepath.Join(tmp, completeMarker), []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", err
	}
	return dir, nil
}

func done(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, completeMarker))
	return err == nil
}

// crateSource returns the source directory of crate NAME at exactly
// VERSION, as cargo unpacks it in its registry cache. cargo fetches it
// through a throwaway package that depends on it; the directory is
// cargo's, so callers copy out what they keep.
func (j *job) crateSource(ctx context.Context, name, version string) (string, error) {
	cargo, err := j.need(cargoTool)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Join(j.b.opts.CacheDir, "toolchains"), ".crate-fetch*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	manifest := fmt.Sprintf("[package]\nname = \"wcomp-fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n%s = \"=%s\"\n", name, version)
	if err := os.WriteFile(filepath.Join(tmp, "Cargo.toml"), []byte(manifest), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(tmp, "lib.rs"), nil, 0o644); err != nil {
		return "", err
	}
	args := []string{cargo, "metadata", "--format-version", "1", "--manifest-path", filepath.Join(tmp, "Cargo.toml")}
	if j.b.opts.Offline {
		args = append(args, "--offline")
	}
	out, err := j.outputOf(ctx, tmp, j.env, args...)
	if err != nil {
		return "", fmt.Errorf("fetching crate %s %s: %w", name, version, err)
	}
	var meta struct {
		Packages []struct {
			Name         string `json:"name"`
			Version      string `json:"version"`
			ManifestPath string `json:"manifest_path"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(out, &meta); err != nil {
		return "", fmt.Errorf("fetching crate %s %s: reading cargo metadata: %w", name, version, err)
	}
	for _, p := range meta.Packages {
		if p.Name == name && p.Version == version {
			return filepath.Dir(p.ManifestPath), nil
		}
	}
	return "", fmt.Errorf("fetching crate %s %s: cargo metadata does not list it", name, version)
}

// copyTree copies the regular files and directories under src into dst
// (which may exist), skipping directories for which skip returns true.
func copyTree(src, dst string, skip func(rel string, d fs.DirEntry) bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel != "." && skip != nil && skip(rel, d) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			return copyFile(p, target)
		case d.Type()&fs.ModeSymlink != 0:
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return copyFile(p, target) // a linked file is copied as itself
			}
		}
		return nil // sockets, devices, links to directories: not sources
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm()|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeFileAtomic is atomicfile.WriteString for byte content.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.Write(path, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}
