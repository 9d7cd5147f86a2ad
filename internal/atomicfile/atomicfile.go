package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write lets fill write a temporary file in path's directory (the same file
// system, so the rename is atomic), then renames it to path with mode 0644.
// If fill or anything after it fails, the temporary file is removed and
// path is left as it was. Errors name path.
func Write(path string, fill func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	name := tmp.Name()
	err = fill(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// WriteString is Write for content already in memory.
func WriteString(path, content string) error {
	return Write(path, func(f *os.File) error {
		_, err := f.WriteString(content)
		return err
	})
}
