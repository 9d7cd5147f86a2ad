package builder

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// moduleInfo is what wrapping a core module needs to know about it: which
// modules it imports from, what it exports, and its custom sections (a
// component-type section carries the world that bindings generators
// embedded).
type moduleInfo struct {
	importModules map[string]bool
	exports       map[string]bool
	customs       []string
}

// wasmKind says what a file is: a component, a core module, or neither
// (with a description for the message).
func wasmKind(data []byte) (kind string, describe string) {
	switch {
	case len(data) < 8 || !bytes.Equal(data[:4], []byte("\x00asm")):
		return "other", "not a WebAssembly file"
	case binary.LittleEndian.Uint16(data[6:8]) == 1:
		return "component", ""
	case binary.LittleEndian.Uint16(data[6:8]) == 0 && binary.LittleEndian.Uint16(data[4:6]) == 1:
		return "module", ""
	}
	return "other", fmt.Sprintf("a WebAssembly file of unknown version %x", data[4:8])
}

func (m *moduleInfo) hasComponentType() bool {
	for _, c := range m.customs {
		if strings.HasPrefix(c, "component-type") {
			return true
		}
	}
	return false
}

// readModule reads a core module's import, export and custom sections. It
// reads only what it needs and relies on section sizes to skip the rest.
func readModule(data []byte) (*moduleInfo, error) {
	info := &moduleInfo{importModules: map[string]bool{}, exports: map[string]bool{}}
	r := &wasmReader{data: data, off: 8}
	for r.off < len(r.data) {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		if size > uint32(len(r.data)-r.off) {
			return nil, fmt.Errorf("section %d at offset %d runs past the end of the module", id, r.off)
		}
		body := &wasmReader{data: r.data[:r.off+int(size)], off: r.off}
		r.off += int(size)
		switch id {
		case 0:
			name, err := body.name()
			if err != nil {
				return nil, err
			}
			info.customs = append(info.customs, name)
		case 2:
			if err := body.imports(info); err != nil {
				return nil, fmt.Errorf("import section: %w", err)
			}
		case 7:
			if err := body.exports(info); err != nil {
				return nil, fmt.Errorf("export section: %w", err)
			}
		}
	}
	return info, nil
}

type wasmReader struct {
	data []byte
	off  int
}

var errTruncated = errors.New("unexpected end of module")

func (r *wasmReader) byte() (byte, error) {
	if r.off >= len(r.data) {
		return 0, errTruncated
	}
	b := r.data[r.off]
	r.off++
	return b, nil
}

func (r *wasmReader) uleb() (uint64, error) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(b&0x7f) << shift
		if b&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("LEB128 number too long")
}

func (r *wasmReader) u32() (uint32, error) {
	v, err := r.uleb()
	if v > 0xffffffff {
		return 0, errors.New("number out of u32 range")
	}
	return uint32(v), err
}

func (r *wasmReader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	if int(n) > len(r.data)-r.off {
		return "", errTruncated
	}
	s := string(r.data[r.off : r.off+int(n)])
	r.off += int(n)
	return s, nil
}

func (r *wasmReader) imports(info *moduleInfo) error {
	n, err := r.u32()
	if err != nil {
		return err
	}
	for range n {
		module, err := r.name()
		if err != nil {
			return err
		}
		if _, err := r.name(); err != nil {
			return err
		}
		info.importModules[module] = true
		if err := r.skipImportDesc(); err != nil {
			return err
		}
	}
	return nil
}

func (r *wasmReader) skipImportDesc() error {
	kind, err := r.byte()
	if err != nil {
		return err
	}
	switch kind {
	case 0x00: // func: type index
		_, err = r.u32()
	case 0x01: // table: reference type, limits
		if err = r.skipValType(); err == nil { // a reference type
			err = r.skipLimits()
		}
	case 0x02: // memory: limits
		err = r.skipLimits()
	case 0x03: // global: value type, mutability
		if err = r.skipValType(); err == nil {
			_, err = r.byte()
		}
	case 0x04: // tag: attribute, type index
		if _, err = r.byte(); err == nil {
			_, err = r.u32()
		}
	default:
		return fmt.Errorf("unknown import kind 0x%02x", kind)
	}
	return err
}

func (r *wasmReader) skipLimits() error {
	flags, err := r.byte()
	if err != nil {
		return err
	}
	if _, err := r.uleb(); err != nil { // minimum
		return err
	}
	if flags&0x01 != 0 { // maximum
		if _, err := r.uleb(); err != nil {
			return err
		}
	}
	if flags&0x08 != 0 { // custom page size
		if _, err := r.uleb(); err != nil {
			return err
		}
	}
	return nil
}

// skipValType skips a value type; reference types are value types too.
func (r *wasmReader) skipValType() error {
	b, err := r.byte()
	if err != nil {
		return err
	}
	if b == 0x63 || b == 0x64 { // (ref null? ht)
		return r.skipHeapType()
	}
	return nil // numeric, vector and abbreviated reference types are one byte
}

// skipHeapType skips an s33: an abstract heap type byte or a type index.
func (r *wasmReader) skipHeapType() error {
	_, err := r.uleb()
	return err
}

func (r *wasmReader) exports(info *moduleInfo) error {
	n, err := r.u32()
	if err != nil {
		return err
	}
	for range n {
		name, err := r.name()
		if err != nil {
			return err
		}
		if _, err := r.byte(); err != nil {
			return err
		}
		if _, err := r.u32(); err != nil {
			return err
		}
		info.exports[name] = true
	}
	return nil
}
