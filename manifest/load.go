package manifest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Find returns the path of the component.toml that governs dir: dir's own,
// or the nearest one in a parent directory, as cargo finds Cargo.toml.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("finding %s: %w", FileName, err)
	}
	for d := abs; ; {
		p := filepath.Join(d, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("finding %s: %w", FileName, err)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("%w in %s or any parent directory (wcomp init creates one)", errNotFound, abs)
		}
		d = parent
	}
}

// Load finds the manifest that governs dir and parses it. Positions name
// the file relative to dir when it is below it, so messages read
// component.toml:3:1 in the project itself.
func Load(dir string) (*File, error) {
	p, err := Find(dir)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("reading manifest: %w", err)
	}
	name := p
	if abs, err := filepath.Abs(dir); err == nil {
		if rel, err := filepath.Rel(abs, p); err == nil {
			name = rel
		}
	}
	f, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	// Dir is the real project root, also when name is relative to a
	// directory below it.
	f.Dir = filepath.Dir(p)
	return f, nil
}
