package wac

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// Files resolves packages from files the way `wac compose` does: an
// explicit file per package (`--dep ns:name=FILE`), else a deps
// directory where ns:name is DIR/ns/name.wasm and ns:name@1.2.3 is
// DIR/ns/name/1.2.3.wasm. A file is a component or a WIT package encoded
// as one; WIT text is not read (encode it first with `wasm-tools
// component wit DIR --wasm`).
//
// An unversioned Deps entry serves every version of its package unless a
// versioned entry matches exactly: `--dep a:b=b.wasm` means that file
// whichever version the document asks for.
type Files struct {
	Deps map[string]string // "ns:name" or "ns:name@version" → file
	Dir  string            // the deps directory; "" for none
	// ReadFile reads a file. A missing file must give an error that
	// errors.Is fs.ErrNotExist (os.ReadFile's do).
	ReadFile func(path string) ([]byte, error)
	// IsDir, if set, says whether a path is a directory: a deps directory
	// laid out for wac may hold WIT text as DIR/ns/name/, which the
	// message then explains how to encode.
	IsDir func(path string) bool
}

// ResolvePackage finds the file for a package and reads it.
func (f *Files) ResolvePackage(_ context.Context, name, version string) ([]byte, error) {
	key := packageKey(name, version)
	if p, ok := f.Deps[key]; ok {
		return f.read(p, true)
	}
	if p, ok := f.Deps[name]; ok {
		return f.read(p, true)
	}
	if f.Dir == "" {
		return nil, fmt.Errorf("%w: no --dep for it, and no deps directory", ErrUnknownPackage)
	}
	parts := append([]string{f.Dir}, strings.Split(name, ":")...)
	p := filepath.Join(parts...)
	if version != "" {
		p = filepath.Join(p, version)
	}
	return f.read(p+".wasm", false)
}

func (f *Files) read(path string, explicit bool) ([]byte, error) {
	data, err := f.ReadFile(path)
	if err == nil {
		return data, nil
	}
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		if dir := strings.TrimSuffix(path, ".wasm"); f.IsDir != nil && f.IsDir(dir) {
			return nil, fmt.Errorf("%s is a directory, WIT text perhaps, which is not read: encode it with `wasm-tools component wit %s --wasm -o %s`", dir, dir, path)
		}
		return nil, fmt.Errorf("%w: %s does not exist (or give the file with --dep)", ErrUnknownPackage, path)
	}
	return nil, err
}
