package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Write lets fill write a temporary file in path's directory (the same file
// system, so the rename is atomic), flushes it to disk, and renames it to
// path; then it flushes the directory, so that after a crash path holds
// either the old content or the whole new one. A file that exists keeps
// its mode (an executable stays executable); a new one gets 0644. If fill
// or anything after it fails, the temporary file is removed and path is
// left as it was. Errors name path.
func Write(path string, fill func(*os.File) error) error {
	return write(path, fill, true)
}

// WriteOutput is Write without the flushes, for build outputs that wcomp
// can make again (a composed component, `wcomp compose -o`): as with
// cargo's and go's outputs, the kernel writes them back when it likes.
// The rename still means that no reader, and no crash of wcomp, ever
// leaves a half-written file at path; only a power loss before writeback
// can lose it, and the build that records it (project's fingerprints
// compare the output's size and time) then makes it again. Flushing an
// 18 MB component costs more than composing it.
func WriteOutput(path string, fill func(*os.File) error) error {
	return write(path, fill, false)
}

func write(path string, fill func(*os.File) error, durable bool) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		mode = st.Mode().Perm()
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	name := tmp.Name()
	err = fill(tmp)
	if err == nil && durable {
		err = syncData(tmp)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, mode)
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if !durable {
		return nil
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("writing %s: flushing directory %s: %w", path, dir, err)
	}
	return nil
}

// syncDir flushes a directory's entries, so a rename into it is durable.
// File systems and platforms that cannot sync a directory are not an
// error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
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
