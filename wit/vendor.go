package wit

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/dirhash"
)

// Vendoring writes resolved WIT packages into <wit dir>/deps/, flat, one
// directory of .wit files per package, which is the layout wit-parser
// reads and so what wit-bindgen, componentize-py, wasm-tools and wkg read.
// Directories are named as wkg names them, deps/wasi-cli-0.2.3/ (':' and
// '@' become '-'), so two versions of one package sit side by side;
// wit-deps names them after its manifest keys (deps/cli/), and wit-parser
// ignores the names, so both read the same.
//
// Packages are always vendored as text, never as binaries: a binary
// package carries copies of the packages it uses, and wit-parser (in
// wasm-tools 1.262 and componentize-py 0.25 alike) panics when such a
// copy meets the text of the same package in deps/. PackageText turns a
// registry's binary into text.

// VendoredPackage is one entry to write under deps/: a directory named
// Entry (DepsEntry(name, version)) holding Files.
type VendoredPackage struct {
	Entry string
	Files []File
}

// DepsEntry is the name under deps/ of package name at version:
// "wasi:cli", "0.2.3" → "wasi-cli-0.2.3".
func DepsEntry(name, version string) string {
	return strings.NewReplacer(":", "-", "@", "-").Replace(PackageID(name, version))
}

// VendorResult says what Vendor changed, as deps/ entry names.
type VendorResult struct {
	Written, Removed []string
}

// Vendor makes <witDir>/deps hold pkgs. An entry whose content on disk is
// already what pkgs say is left untouched; one that differs is replaced
// whole (written beside, then renamed into place, so a reader never sees
// half a package). Entries that an earlier Vendor wrote (managed, as
// recorded in wcomp.lock) and pkgs no longer hold are removed. Anything
// else in deps/ was put there by hand and is left alone.
func Vendor(witDir string, pkgs []VendoredPackage, managed []string) (*VendorResult, error) {
	deps := filepath.Join(witDir, "deps")
	if err := os.MkdirAll(deps, 0o755); err != nil {
		return nil, fmt.Errorf("vendoring WIT: %w", err)
	}
	cleanStaleTemps(witDir)
	res := &VendorResult{}
	wanted := map[string]bool{}
	for i := range pkgs {
		p := &pkgs[i]
		if len(p.Files) == 0 {
			return nil, fmt.Errorf("vendoring %s: no files", p.Entry)
		}
		name := p.Entry
		if name == "" || strings.ContainsAny(name, `/\`) || name[0] == '.' {
			return nil, fmt.Errorf("vendoring: %q is not a deps/ entry name", name)
		}
		if wanted[name] {
			return nil, fmt.Errorf("vendoring: two packages for deps/%s", name)
		}
		wanted[name] = true
		changed, err := vendorOne(witDir, deps, p)
		if err != nil {
			return nil, fmt.Errorf("vendoring %s: %w", filepath.Join(deps, name), err)
		}
		if changed {
			res.Written = append(res.Written, name)
		}
	}
	for _, name := range managed {
		if wanted[name] || name == "" || strings.ContainsAny(name, `/\`) || name[0] == '.' {
			continue
		}
		path := filepath.Join(deps, name)
		if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.RemoveAll(path); err != nil {
			return nil, fmt.Errorf("removing %s, no longer a dependency: %w", path, err)
		}
		res.Removed = append(res.Removed, name)
	}
	sort.Strings(res.Written)
	sort.Strings(res.Removed)
	return res, nil
}

// tempPrefix names Vendor's temporary directories. They live in the WIT
// directory, not in deps/, because every entry of deps/ is read as a
// package: a leftover there would break every build.
const tempPrefix = ".wcomp-vendor-"

func cleanStaleTemps(witDir string) {
	stale, _ := filepath.Glob(filepath.Join(witDir, tempPrefix+"*"))
	for _, s := range stale {
		os.RemoveAll(s)
	}
}

// vendorOne writes one entry if it differs from what is on disk.
func vendorOne(witDir, deps string, p *VendoredPackage) (bool, error) {
	target := filepath.Join(deps, p.Entry)
	want, err := HashFiles(p.Files)
	if err != nil {
		return false, err
	}
	if have, err := HashDir(target); err == nil && have == want {
		return false, nil
	}
	tmp, err := os.MkdirTemp(witDir, tempPrefix)
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	for _, f := range p.Files {
		if !safeFileName(f.Name) {
			return false, fmt.Errorf("file name %q is not a plain name", f.Name)
		}
		if err := os.WriteFile(filepath.Join(tmp, f.Name), f.Data, 0o644); err != nil {
			return false, err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return false, err
	}
	old := ""
	if _, err := os.Lstat(target); err == nil {
		old = tmp + ".old"
		if err := os.Rename(target, old); err != nil {
			return false, err
		}
		defer os.RemoveAll(old)
	}
	if err := os.Rename(tmp, target); err != nil {
		if old != "" {
			os.Rename(old, target)
		}
		return false, err
	}
	return true, nil
}

// safeFileName accepts a plain file name: no directory part, not "." or
// "..", not hidden.
func safeFileName(name string) bool {
	return name != "" && name[0] != '.' && !strings.ContainsAny(name, `/\`)
}

// HashFiles is the h1: dirhash (golang.org/x/mod/sumdb/dirhash, as go.sum
// uses) of a package's files, by name: what wcomp.lock records for a WIT
// package from text, so a vendored directory can be checked without its
// source.
func HashFiles(files []File) (string, error) {
	byName := map[string][]byte{}
	var names []string
	for _, f := range files {
		if _, dup := byName[f.Name]; dup {
			return "", fmt.Errorf("two files named %s", f.Name)
		}
		if strings.Contains(f.Name, "\n") {
			return "", fmt.Errorf("file name %q contains a newline", f.Name)
		}
		byName[f.Name] = f.Data
		names = append(names, f.Name)
	}
	return dirhash.Hash1(names, func(name string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(byName[name])), nil
	})
}

// HashDir is HashFiles of the regular files directly in dir.
func HashDir(dir string) (string, error) {
	files, err := ReadFlatDir(dir)
	if err != nil {
		return "", err
	}
	return HashFiles(files)
}

// ReadFlatDir returns the regular files directly in dir (names relative to
// it), sorted. A subdirectory is an error: a vendored package is flat.
func ReadFlatDir(dir string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []File
	for _, e := range entries {
		if !e.Type().IsRegular() {
			return nil, fmt.Errorf("%s: %s is not a regular file", dir, e.Name())
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: e.Name(), Data: data})
	}
	return files, nil
}
