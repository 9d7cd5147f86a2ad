//go:build unix

package mmapfile

import "syscall"

func (m *File) load(size int) error {
	if size == 0 {
		m.data = []byte{}
		return nil
	}
	data, err := syscall.Mmap(int(m.f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return err
	}
	m.data, m.mapped = data, true
	return nil
}

func (m *File) unload() error {
	if !m.mapped {
		return nil
	}
	m.mapped = false
	data := m.data
	m.data = nil
	return syscall.Munmap(data)
}
