package mmapfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"unsafe"
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

// offsetOf returns where p starts in the file's contents, if p is a
// sub-slice of them (the same memory, not equal bytes).
func (m *File) offsetOf(p []byte) (int64, bool) {
	if len(p) == 0 || len(m.data) == 0 {
		return 0, false
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(m.data)))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(p)))
	if at < base || at-base+uintptr(len(p)) > uintptr(len(m.data)) {
		return 0, false
	}
	return int64(at - base), true
}

// copyRange appends n bytes of the file, from off, to dst as CopyTo does.
func (m *File) copyRange(dst *os.File, off, n int64) (int64, error) {
	if _, err := m.f.Seek(off, io.SeekStart); err != nil {
		return io.Copy(dst, io.NewSectionReader(m.f, off, n))
	}
	return dst.ReadFrom(&io.LimitedReader{R: m.f, N: n})
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

// Writer writes to dst, copying any chunk that is the contents of one of
// inputs, whole or a range of it, file to file (see CopyTo) and writing
// the rest as usual. It suits outputs assembled from input files and
// ranges of them, as a composed component is (a member written with
// shared modules is a few ranges of its file).
func Writer(dst *os.File, inputs ...*File) io.Writer {
	return &writer{dst: dst, inputs: inputs}
}

type writer struct {
	dst    *os.File
	inputs []*File
}

func (w *writer) Write(p []byte) (int, error) {
	for _, in := range w.inputs {
		off, ok := in.offsetOf(p)
		if !ok {
			continue
		}
		var n int64
		var err error
		if in.Holds(p) {
			n, err = in.CopyTo(w.dst)
		} else {
			n, err = in.copyRange(w.dst, off, int64(len(p)))
		}
		if err == nil && n != int64(len(p)) {
			err = io.ErrShortWrite
		}
		return int(n), err
	}
	return w.dst.Write(p)
}
