package compose

// A tiny byte writer for the few component-level sections compose writes
// itself (instance, alias, import, export, custom). It never touches member
// bytes, which are copied in as whole nested component sections.

type buf struct{ b []byte }

func (w *buf) byte1(v byte)   { w.b = append(w.b, v) }
func (w *buf) bytes(p []byte) { w.b = append(w.b, p...) }
func (w *buf) u32(v uint32)   { w.b = appendU32(w.b, v) }
func (w *buf) str(s string)   { w.u32(uint32(len(s))); w.b = append(w.b, s...) }
func (w *buf) len() int       { return len(w.b) }
func (w *buf) reset()         { w.b = w.b[:0] }
func (w *buf) take() []byte   { out := w.b; w.b = nil; return out }

// appendU32 appends v as unsigned LEB128.
func appendU32(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

// appendSection appends a section with the given id and payload.
func appendSection(out []byte, id byte, payload []byte) []byte {
	out = append(out, id)
	out = appendU32(out, uint32(len(payload)))
	return append(out, payload...)
}

// preamble is the header of every component binary (Binary.md: magic,
// version 0x0d, layer 1).
var preamble = []byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}

// Sort bytes as they appear in a sortidx (Binary.md "sort").
const (
	sortCore      = 0x00
	sortFunc      = 0x01
	sortValue     = 0x02
	sortType      = 0x03
	sortComponent = 0x04
	sortInstance  = 0x05
)
