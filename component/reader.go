package component

import (
	"fmt"
	"unicode/utf8"
)

// DecodeError is a syntax error in a component binary: what was being read,
// where (a byte offset into the decoded input), and what went wrong.
type DecodeError struct {
	// Offset is the byte offset in the input where the problem was found.
	Offset int
	// Context says what was being decoded, e.g. "type section".
	Context string
	// Msg says what was expected and what was found.
	Msg string
}

func (e *DecodeError) Error() string {
	if e.Context == "" {
		return fmt.Sprintf("offset 0x%x: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("offset 0x%x: %s: %s", e.Offset, e.Context, e.Msg)
}

// maxNesting bounds how deeply component and instance types may nest, so a
// malicious input cannot exhaust the stack.
const maxNesting = 100

// reader reads the binary format from a byte slice. It never copies
// the input: byte ranges it returns are sub-slices. Errors are sticky-free:
// every read returns an error the caller propagates.
type reader struct {
	data []byte
	off  int
	// ctx names the section being read, for error messages.
	ctx string
	// depth counts nested component/instance types.
	depth int
}

func (r *reader) errorf(off int, format string, args ...any) error {
	return &DecodeError{Offset: off, Context: r.ctx, Msg: fmt.Sprintf(format, args...)}
}

// eof reports an unexpected end of input while reading what.
func (r *reader) eof(what string) error {
	return r.errorf(r.off, "expected %s, found end of input", what)
}

func (r *reader) remaining() int { return len(r.data) - r.off }

func (r *reader) done() bool { return r.off >= len(r.data) }

func (r *reader) byte(what string) (byte, error) {
	if r.off >= len(r.data) {
		return 0, r.eof(what)
	}
	b := r.data[r.off]
	r.off++
	return b, nil
}

func (r *reader) peek(what string) (byte, error) {
	if r.off >= len(r.data) {
		return 0, r.eof(what)
	}
	return r.data[r.off], nil
}

func (r *reader) bytes(n int, what string) ([]byte, error) {
	if n < 0 || n > r.remaining() {
		return nil, r.errorf(r.off, "%s: length %d exceeds the %d bytes left", what, n, r.remaining())
	}
	b := r.data[r.off : r.off+n : r.off+n]
	r.off += n
	return b, nil
}

// u32 reads an unsigned LEB128 of at most 5 bytes whose value fits in 32
// bits.
func (r *reader) u32(what string) (uint32, error) {
	v, err := r.uleb(what, 32)
	return uint32(v), err
}

// u64 reads an unsigned LEB128 of at most 10 bytes.
func (r *reader) u64(what string) (uint64, error) {
	return r.uleb(what, 64)
}

// uleb reads an unsigned LEB128 whose value fits in bits (32 or 64): at
// most ceil(bits/7) bytes, the last of which may not carry bits beyond the
// width (the binary format's rule, which also rejects overlong encodings).
func (r *reader) uleb(what string, bits int) (uint64, error) {
	start := r.off
	maxBytes := (bits + 6) / 7
	lastUnused := byte(0xff) << (bits - 7*(maxBytes-1)) // 0xf0 for 32, 0xfe for 64
	var v uint64
	for i := 0; i < maxBytes; i++ {
		if r.off >= len(r.data) {
			return 0, r.eof(what)
		}
		b := r.data[r.off]
		r.off++
		if i == maxBytes-1 && b&lastUnused != 0 {
			if b&0x80 != 0 {
				return 0, r.errorf(start, "%s: LEB128 integer too long", what)
			}
			return 0, r.errorf(start, "%s: LEB128 integer too large for u%d", what, bits)
		}
		v |= uint64(b&0x7f) << (7 * i)
		if b&0x80 == 0 {
			return v, nil
		}
	}
	return 0, r.errorf(start, "%s: LEB128 integer too long", what)
}

// s33 reads a signed LEB128 of at most 5 bytes (33 significant bits).
func (r *reader) s33(what string) (int64, error) {
	start := r.off
	var v int64
	var shift uint
	for i := 0; i < 5; i++ {
		if r.off >= len(r.data) {
			return 0, r.eof(what)
		}
		b := r.data[r.off]
		r.off++
		if i == 4 {
			// 4*7 = 28 bits read; 5 remain (33 total). The top 2 payload
			// bits must sign-extend bit 32.
			if b&0x80 != 0 {
				return 0, r.errorf(start, "%s: LEB128 integer too long", what)
			}
			if top := b & 0x70; top != 0 && top != 0x70 {
				return 0, r.errorf(start, "%s: LEB128 integer too large for s33", what)
			}
		}
		v |= int64(b&0x7f) << shift
		shift += 7
		if b&0x80 == 0 {
			if shift < 64 && b&0x40 != 0 {
				v |= -1 << shift
			}
			return v, nil
		}
	}
	return 0, r.errorf(start, "%s: LEB128 integer too long", what)
}

// count reads a vector length and checks that at least minSize bytes per
// item remain, so absurd counts fail before anything is allocated.
func (r *reader) count(what string, minSize int) (int, error) {
	start := r.off
	n, err := r.u32(what + " count")
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(minSize) > uint64(r.remaining()) {
		return 0, r.errorf(start, "%s count %d is larger than the %d bytes left allow", what, n, r.remaining())
	}
	return int(n), nil
}

// nameBytes reads a core:name (length-prefixed UTF-8) as a sub-slice.
func (r *reader) nameBytes(what string) ([]byte, error) {
	start := r.off
	n, err := r.u32(what + " length")
	if err != nil {
		return nil, err
	}
	b, err := r.bytes(int(n), what)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		return nil, r.errorf(start, "%s is not valid UTF-8", what)
	}
	return b, nil
}

func (r *reader) name(what string) (string, error) {
	b, err := r.nameBytes(what)
	return string(b), err
}

// flag reads a 0x00/0x01 boolean immediate.
func (r *reader) flag(what string) (bool, error) {
	off := r.off
	b, err := r.byte(what)
	if err != nil {
		return false, err
	}
	switch b {
	case 0:
		return false, nil
	case 1:
		return true, nil
	}
	return false, r.errorf(off, "expected %s (0x00 or 0x01), found 0x%02x", what, b)
}

// optional reads the <T>? discriminant: 0x00 absent, 0x01 present.
func (r *reader) optional(what string) (bool, error) { return r.flag(what) }

// bad reports an unexpected leading byte b found at off.
func (r *reader) bad(off int, what string, b byte) error {
	return r.errorf(off, "expected %s, found 0x%02x", what, b)
}

// sub returns a reader over the next n bytes, sharing this reader's
// offsets, and advances past them.
func (r *reader) sub(n int, ctx string) (*reader, error) {
	start := r.off
	if _, err := r.bytes(n, ctx); err != nil {
		return nil, err
	}
	return &reader{data: r.data[:start+n], off: start, ctx: ctx, depth: r.depth}, nil
}
