package component

import (
	"bytes"
	"fmt"
)

// corePreamble is the 8-byte header of a core module: magic and version 1.
var corePreamble = [8]byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}

// CheckNestedFraming checks the framing of everything nested in the
// component data, which Decode keeps as opaque byte ranges: every nested
// core module and component must start with its preamble, and its sections
// (an id and a size each) must tile it exactly, to the last byte; nested
// components are checked the same way, recursively. Core module sections
// must also be known and in the order the core spec fixes.
//
// Nothing inside a section is parsed (no code, no types), so this reads a
// few bytes per section and costs microseconds even for a component of tens
// of megabytes. It is what lets a composer that embeds members unchanged
// refuse a truncated or corrupted member instead of writing an invalid
// output; it is not validation.
//
// Errors are *DecodeError (offsets into data) or *NotComponentError.
func CheckNestedFraming(data []byte) error {
	if err := checkPreamble(data); err != nil {
		return err
	}
	return checkComponentFraming(data, 0, len(data), "", 0)
}

// checkComponentFraming walks the sections of the component in
// data[start:end], whose preamble has been checked; where names it in
// messages ("" for the outermost).
func checkComponentFraming(data []byte, start, end int, where string, depth int) error {
	if depth > maxNesting {
		return &DecodeError{Offset: start, Context: where, Msg: fmt.Sprintf("components nested more than %d deep", maxNesting)}
	}
	var modules, components int
	return walkSections(data, start+8, end, where, func(id byte, idOff, from, to int) error {
		switch SectionID(id) {
		case SectionCustom:
			return checkCustomName(data, from, to, where)
		case SectionCoreModule:
			inner := nestedName(where, "core module", modules)
			modules++
			if to-from < 8 || !bytes.Equal(data[from:from+8], corePreamble[:]) {
				return &DecodeError{Offset: from, Context: inner, Msg: "does not start with the core module preamble 00 61 73 6d 01 00 00 00"}
			}
			return checkCoreFraming(data, from, to, inner)
		case SectionComponent:
			inner := nestedName(where, "component", components)
			components++
			if to-from < 8 || !bytes.Equal(data[from:from+8], Preamble[:]) {
				return &DecodeError{Offset: from, Context: inner, Msg: "does not start with the component preamble 00 61 73 6d 0d 00 01 00"}
			}
			return checkComponentFraming(data, from, to, inner, depth+1)
		}
		if id > uint8(SectionValue) {
			return &DecodeError{Offset: idOff, Context: where, Msg: fmt.Sprintf("unknown section id 0x%02x", id)}
		}
		return nil
	})
}

// coreSectionRank orders a core module's non-custom sections as the core
// spec requires them (the tag section 13 sits between memory and global,
// data count 12 before code); 0 marks an unknown id.
var coreSectionRank = [...]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 6, 6: 7, 7: 8, 8: 9, 9: 10, 12: 11, 10: 12, 11: 13}

// checkCoreFraming walks the sections of the core module in
// data[start:end], whose preamble has been checked.
func checkCoreFraming(data []byte, start, end int, where string) error {
	last := 0
	return walkSections(data, start+8, end, where, func(id byte, idOff, from, to int) error {
		if id == 0 {
			return checkCustomName(data, from, to, where)
		}
		rank := 0
		if int(id) < len(coreSectionRank) {
			rank = coreSectionRank[id]
		}
		switch {
		case rank == 0:
			return &DecodeError{Offset: idOff, Context: where, Msg: fmt.Sprintf("unknown core section id 0x%02x", id)}
		case rank <= last:
			return &DecodeError{Offset: idOff, Context: where, Msg: fmt.Sprintf("core section id 0x%02x out of order or repeated", id)}
		}
		last = rank
		return nil
	})
}

// walkSections reads the section headers in data[off:end] and calls visit
// with each id, the id's offset and the payload's bounds. The sizes must
// tile the range exactly.
func walkSections(data []byte, off, end int, where string, visit func(id byte, idOff, from, to int) error) error {
	r := &reader{data: data[:end], off: off, ctx: where}
	for !r.done() {
		idOff := r.off
		id, err := r.byte("section id")
		if err != nil {
			return err
		}
		size, err := r.u32("section size")
		if err != nil {
			return err
		}
		if int64(size) > int64(r.remaining()) {
			return r.errorf(idOff, "section size %d exceeds the %d bytes left", size, r.remaining())
		}
		from := r.off
		r.off += int(size)
		if err := visit(id, idOff, from, r.off); err != nil {
			return err
		}
	}
	return nil
}

// checkCustomName checks that a custom section's name fits in it.
func checkCustomName(data []byte, from, to int, where string) error {
	r := &reader{data: data[:to], off: from, ctx: where}
	_, err := r.nameBytes("custom section name")
	return err
}

// nestedName names the i-th nested item of a kind inside where.
func nestedName(where, kind string, i int) string {
	if where == "" {
		return fmt.Sprintf("%s %d", kind, i)
	}
	return fmt.Sprintf("%s: %s %d", where, kind, i)
}
