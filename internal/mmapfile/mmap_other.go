//go:build !unix

package mmapfile

import "io"

// load reads the file: no memory map on this system.
func (m *File) load(size int) error {
	m.data = make([]byte, size)
	_, err := io.ReadFull(m.f, m.data)
	return err
}

func (m *File) unload() error {
	m.data = nil
	return nil
}
