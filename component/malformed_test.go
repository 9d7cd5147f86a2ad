package component

import (
	"errors"
	"runtime"
	"strings"
	"testing"
)

// comp builds a component binary from raw section bytes.
func comp(sections ...[]byte) []byte {
	b := append([]byte{}, Preamble[:]...)
	for _, s := range sections {
		b = append(b, s...)
	}
	return b
}

// sec builds one section with a correct size.
func sec(id SectionID, payload ...byte) []byte {
	var w Writer
	w.Byte(byte(id))
	w.Len32(len(payload))
	w.Raw(payload)
	return w.Bytes()
}

func TestDecodeMalformed(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string // substring of the error
	}{
		{"short preamble", []byte("\x00asm\x0d\x00"), "truncated"},
		{"old version", []byte("\x00asm\x0c\x00\x01\x00"), "unsupported component binary version 0xc"},
		{"unknown section", comp([]byte{13, 0}), "unknown section id 0x0d"},
		{"truncated section size", comp([]byte{7}), "expected section size, found end of input"},
		{"section size past end", comp([]byte{7, 10, 0}), "section size 10 exceeds the 1 bytes left"},
		{"section size LEB too long", comp([]byte{7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}), "LEB128 integer too long"},
		{"section size LEB overflow", comp([]byte{7, 0xff, 0xff, 0xff, 0xff, 0x7f}), "too large for u32"},
		{"section not consumed", comp(sec(SectionType, 0x00, 0x00)), "1 unexpected bytes at the end of the section"},
		{"absurd count", comp(sec(SectionType, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x7f, 0x7f)), "count 4294967295 is larger than the 3 bytes left allow"},
		{"truncated type", comp(sec(SectionType, 0x01, 0x72)), "expected record field count, found end of input"},
		{"bad valtype", comp(sec(SectionType, 0x01, 0x70, 0x40)), "expected value type (a primitive or a type index), found 0x40"},
		{"bad deftype", comp(sec(SectionType, 0x01, 0x12)), "type section: expected type definition, found 0x12"},
		{"bad result list", comp(sec(SectionType, 0x01, 0x40, 0x00, 0x01, 0x05)), "expected 0x00 after 0x01"},
		{"bad case terminator", comp(sec(SectionType, 0x01, 0x71, 0x01, 0x01, 'a', 0x00, 0x07)), "case refines (0x00 or 0x01), found 0x07"},
		{"bad utf8 name", comp(sec(SectionImport, 0x01, 0x00, 0x02, 0xc3, 0x28, 0x01, 0x00)), "name is not valid UTF-8"},
		{"name past end", comp(sec(SectionImport, 0x01, 0x00, 0x09, 'a')), "length 9 exceeds the 1 bytes left"},
		{"bad name form", comp(sec(SectionImport, 0x01, 0x03, 0x01, 'a', 0x01, 0x00)), "expected name attributes form"},
		{"duplicate attribute", comp(sec(SectionImport, 0x01, 0x02, 0x01, 'a', 0x02, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00)), "duplicate name attribute"},
		{"bad extern type", comp(sec(SectionImport, 0x01, 0x00, 0x01, 'a', 0x09, 0x00)), "expected extern type, found 0x09"},
		{"bad module sort", comp(sec(SectionImport, 0x01, 0x00, 0x01, 'a', 0x00, 0x10, 0x00)), "expected core module sort 0x11"},
		{"bad type bound", comp(sec(SectionImport, 0x01, 0x00, 0x01, 'a', 0x03, 0x02)), "expected type bound"},
		{"bad sort", comp(sec(SectionExport, 0x01, 0x00, 0x01, 'a', 0x06, 0x00, 0x00)), "expected sort, found 0x06"},
		{"bad core sort", comp(sec(SectionAlias, 0x01, 0x00, 0x05, 0x01, 0x00, 0x01, 'a')), "expected core sort, found 0x05"},
		{"bad alias target", comp(sec(SectionAlias, 0x01, 0x01, 0x03, 0x00, 0x00)), "expected alias target"},
		{"core alias of component sort", comp(sec(SectionAlias, 0x01, 0x01, 0x01, 0x00, 0x01, 'a')), "core export alias of non-core sort"},
		{"bad canon opcode", comp(sec(SectionCanon, 0x01, 0x3a)), "expected canonical definition opcode, found 0x3a"},
		{"bad canon option", comp(sec(SectionCanon, 0x01, 0x01, 0x00, 0x00, 0x01, 0x0a)), "expected canonical option, found 0x0a"},
		{"bad lift sort", comp(sec(SectionCanon, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00)), "expected func sort 0x00"},
		{"bad async flag", comp(sec(SectionCanon, 0x01, 0x06, 0x02)), "(0x00 or 0x01), found 0x02"},
		// The byte after waitable-set.wait and thread.yield was `cancellable`
		// until component-model#716 reserved it as 0x00 (issue #10 (h)).
		{"retired cancellable wait", comp(sec(SectionCanon, 0x01, 0x20, 0x01, 0x00)), "found 0x01: this was the `cancellable` immediate, retired by WebAssembly/component-model#716"},
		{"retired cancellable yield", comp(sec(SectionCanon, 0x01, 0x0c, 0x01)), "found 0x01: this was the `cancellable` immediate, retired by WebAssembly/component-model#716"},
		{"bad core instance", comp(sec(SectionCoreInstance, 0x01, 0x02, 0x00)), "expected core instance expression"},
		{"bad instantiate arg sort", comp(sec(SectionCoreInstance, 0x01, 0x00, 0x00, 0x01, 0x01, 'a', 0x11, 0x00)), "expected core instance sort 0x12"},
		{"bad instance", comp(sec(SectionInstance, 0x01, 0x05, 0x00)), "expected instance expression"},
		{"bad declarator", comp(sec(SectionType, 0x01, 0x42, 0x01, 0x03, 0x00)), "expected instance type declarator, found 0x03"},
		{"bad core type", comp(sec(SectionCoreType, 0x01, 0x12, 0x00)), "expected core composite type"},
		{"bad non-final sub", comp(sec(SectionCoreType, 0x01, 0x00, 0x60)), "non-final sub type 0x50 after 0x00"},
		{"bad core valtype", comp(sec(SectionCoreType, 0x01, 0x60, 0x01, 0x40, 0x00)), "expected core value type, found 0x40"},
		{"bad module decl", comp(sec(SectionCoreType, 0x01, 0x50, 0x01, 0x07, 0x00)), "expected module type declarator, found 0x07"},
		{"bad limits", comp(sec(SectionCoreType, 0x01, 0x50, 0x01, 0x03, 0x01, 'm', 0x02, 0x10, 0x00)), "expected limits flags, found 0x10"},
		{"start results limit", comp(sec(SectionStart, 0x00, 0x00, 0xe9, 0x07)), "exceeds the limit of 1000"},
		{"value past end", comp(sec(SectionValue, 0x01, 0x73, 0x05, 0x00)), "length 5 exceeds"},
		{"s33 too long", comp(sec(SectionType, 0x01, 0x70, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)), "LEB128 integer too long"},
		{"s33 too large", comp(sec(SectionType, 0x01, 0x70, 0x80, 0x80, 0x80, 0x80, 0x20)), "too large for s33"},
		{"negative type index", comp(sec(SectionType, 0x01, 0x70, 0x40)), "expected value type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Decode(tt.in)
			if err == nil {
				t.Fatalf("Decode succeeded: %+v", c)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *DecodeError: %v", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %q, want it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "offset 0x") {
				t.Errorf("error %q does not start with the offset", err)
			}
		})
	}
}

// TestDecodeNotComponent checks that input which is no component at all
// is told apart from a malformed component, and says what it is instead.
func TestDecodeNotComponent(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", "not a WebAssembly binary: file is empty"},
		{"blank", " \n\t\n", "not a WebAssembly binary: file holds only white space"},
		{"WAT component", "(component\n  (import \"f\" (func)))\n", `not a WebAssembly binary: starts with "(component" — looks like WAT text; assemble it with wasm-tools parse`},
		{"WAT module after a comment", "\n;; adds\n(module)\n", `not a WebAssembly binary: starts with ";; adds" — looks like WAT text; assemble it with wasm-tools parse`},
		{"WIT", "package test:bare;\nworld bare {}\n", `not a WebAssembly binary: starts with "package test:bare;" — looks like WIT text, not a component binary`},
		{"long text line", "hello, this line goes on and on\n", `not a WebAssembly binary: starts with "hello, this line goes on…" — looks like text, not a binary`},
		{"text cut inside a rune", "a" + strings.Repeat("é", 200), `not a WebAssembly binary: starts with "a` + strings.Repeat("é", 23) + `…" — looks like text, not a binary`},
		{"ELF", "\x7fELF\x02\x01\x01\x00", "not a WebAssembly binary: starts with bytes 7f 45 4c 46, not the magic 00 61 73 6d"},
		{"bad magic", "\x00wsm\x0d\x00\x01\x00", "not a WebAssembly binary: starts with bytes 00 77 73 6d, not the magic 00 61 73 6d"},
		{"core module", "\x00asm\x01\x00\x00\x00", "not a component: this is a core WebAssembly module (version 1)"},
		{"unknown layer", "\x00asm\x0d\x00\x02\x00", "not a component: unknown WebAssembly layer 2 (a component has layer 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			var nc *NotComponentError
			if !errors.As(err, &nc) {
				t.Fatalf("error %T is not a *NotComponentError: %v", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\n want   %q", err, tt.want)
			}
			if IsComponent([]byte(tt.in)) {
				t.Error("IsComponent accepts it")
			}
		})
	}
}

func TestDecodeErrorOffset(t *testing.T) {
	in := comp(sec(SectionType, 0x01, 0x70, 0x40))
	_, err := Decode(in)
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatal(err)
	}
	// Preamble 8, id 1, size 1, count 1, list opcode 1: the bad byte is at 12.
	if de.Offset != 12 || de.Context != "type section" {
		t.Errorf("offset %d context %q, want 12 and \"type section\"", de.Offset, de.Context)
	}
	if got, want := err.Error(), "offset 0xc: type section: expected value type (a primitive or a type index), found 0x40"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

// TestDecodeAbsurdCountsAllocateLittle checks that a declared count far
// beyond what the bytes can hold is rejected before anything is allocated
// in proportion to it, at every level that reads a vector.
func TestDecodeAbsurdCountsAllocateLittle(t *testing.T) {
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f}
	inputs := [][]byte{
		comp(sec(SectionType, append(huge, 0x7f, 0x7f, 0x7f)...)),
		comp(sec(SectionType, append([]byte{0x01, 0x72}, append(huge, 0x01, 'a', 0x7f)...)...)),
		comp(sec(SectionType, append([]byte{0x01, 0x42}, append(huge, 0x01, 0x7f)...)...)),
		comp(sec(SectionCanon, append([]byte{0x01, 0x01, 0x00, 0x00}, append(huge, 0x00)...)...)),
		comp(sec(SectionCoreType, append([]byte{0x01, 0x4e}, append(huge, 0x60, 0x00, 0x00)...)...)),
		comp(sec(SectionImport, append([]byte{0x01, 0x02, 0x01, 'a'}, append(huge, 0x00, 0x00)...)...)),
	}
	for i, in := range inputs {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		allocs := testing.AllocsPerRun(10, func() {
			if _, err := Decode(in); err == nil {
				t.Errorf("input %d: decode succeeded", i)
			}
		})
		runtime.ReadMemStats(&after)
		perRun := (after.TotalAlloc - before.TotalAlloc) / 11
		if allocs > 20 || perRun > 4096 {
			t.Errorf("input %d: %v allocations, %d bytes per decode; want a handful of small ones", i, allocs, perRun)
		}
	}
}

// TestDecodeDeepNesting checks that deeply nested instance types give an
// error, not a stack overflow.
func TestDecodeDeepNesting(t *testing.T) {
	const depth = 100000
	var payload []byte
	payload = append(payload, 0x01) // one type
	for i := 0; i < depth; i++ {
		payload = append(payload, 0x42, 0x01, 0x01) // instance type, 1 decl, type decl
	}
	payload = append(payload, 0x7f)
	_, err := Decode(comp(sec(SectionType, payload...)))
	if err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Fatalf("err = %v, want a nesting error", err)
	}
}
