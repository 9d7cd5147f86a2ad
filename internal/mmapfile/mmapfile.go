package mmapfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// File is an open, read-only file and its contents.
type File struct {
	f    *os.File
	data []byte
	// mapped is set when data is a memory map, to be unmapped on Close.
	mapped bool
}

// Open maps the file at path. The caller must Close it, and not use Bytes
// after that.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		// A *PathError like os.Open's, so callers print it the same way.
		reason := errors.New("not a regular file")
		if st.IsDir() {
			reason = syscall.EISDIR
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: reason}
	}
	size := st.Size()
	if int64(int(size)) != size {
		f.Close()
		return nil, fmt.Errorf("%s: too large to map (%d bytes)", path, size)
	}
	m := &File{f: f}
	if err := m.load(int(size)); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Bytes returns the file's contents. The slice is read-only: writing to a
// mapped one faults.
func (m *File) Bytes() []byte { return m.data }

// Close unmaps the file and closes it.
func (m *File) Close() error {
	uerr := m.unload()
	cerr := m.f.Close()
	if uerr != nil {
		return uerr
	}
	return cerr
}

// Holds reports whether p is exactly this file's contents (the same
// memory, not equal bytes), so a writer can copy the file instead.
func (m *File) Holds(p []byte) bool {
	return len(p) == len(m.data) && len(p) > 0 && &p[0] == &m.data[0]
}

// CopyTo appends the whole file to dst at dst's current offset, letting
// the kernel copy it file to file where it can (copy_file_range on Linux,
// which a copy-on-write file system turns into sharing extents) instead of
// through user memory.
func (m *File) CopyTo(dst *os.File) (int64, error) {
	src := io.NewSectionReader(m.f, 0, int64(len(m.data)))
	// *os.File.ReadFrom only takes its fast paths for an *os.File source
	// (optionally behind an io.LimitedReader), so hand it the file itself,
	// positioned at its start.
	if _, err := m.f.Seek(0, io.SeekStart); err != nil {
		return io.Copy(dst, src)
	}
	return dst.ReadFrom(&io.LimitedReader{R: m.f, N: int64(len(m.data))})
}

// Writer writes to dst, copying any chunk that is the whole contents of one
// of inputs file to file (see CopyTo) and writing the rest as usual. It
// suits outputs assembled from unchanged input files, as a composed
// component is.
func Writer(dst *os.File, inputs ...*File) io.Writer {
	return &writer{dst: dst, inputs: inputs}
}

type writer struct {
	dst    *os.File
	inputs []*File
}

func (w *writer) Write(p []byte) (int, error) {
	for _, in := range w.inputs {
		if in.Holds(p) {
			n, err := in.CopyTo(w.dst)
			if err == nil && n != int64(len(p)) {
				err = io.ErrShortWrite
			}
			return int(n), err
		}
	}
	return w.dst.Write(p)
}
