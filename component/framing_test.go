package component

import (
	"testing"
)

// Every real component's nested modules and components are framed well.
func TestCheckNestedFramingFixtures(t *testing.T) {
	eachFixture(t, func(t *testing.T, name string, data []byte) {
		if err := CheckNestedFraming(data); err != nil {
			t.Fatal(err)
		}
	})
}

// mod builds a core module binary from raw section bytes.
func mod(sections ...[]byte) []byte {
	b := append([]byte{}, corePreamble[:]...)
	for _, s := range sections {
		b = append(b, s...)
	}
	return b
}

// rawSec builds one section with a correct size, for any id.
func rawSec(id byte, payload ...byte) []byte {
	return sec(SectionID(id), payload...)
}

func TestCheckNestedFramingErrors(t *testing.T) {
	goodModule := mod(rawSec(1, 0x00), rawSec(0, 0x01, 'n'), rawSec(3, 0x00), rawSec(13, 0x00), rawSec(12, 0x00), rawSec(10, 0x00))
	inner := comp(sec(SectionCoreModule, goodModule...))
	tests := []struct {
		name string
		in   []byte
		want string // the whole message; empty: no error
	}{
		{"good", comp(sec(SectionCoreModule, goodModule...), sec(SectionComponent, inner...)), ""},
		{"empty component", comp(), ""},
		{"module without preamble", comp(sec(SectionCoreModule, 0x00, 0x61)),
			"offset 0xa: core module 0: does not start with the core module preamble 00 61 73 6d 01 00 00 00"},
		{"component in place of a module", comp(sec(SectionCoreModule, Preamble[:]...)),
			"offset 0xa: core module 0: does not start with the core module preamble 00 61 73 6d 01 00 00 00"},
		{"module section past its end", comp(sec(SectionCoreModule, mod([]byte{10, 5, 0})...)),
			"offset 0x12: core module 0: section size 5 exceeds the 1 bytes left"},
		{"trailing byte in module", comp(sec(SectionCoreModule, mod(rawSec(1, 0x00), []byte{10})...)),
			"offset 0x16: core module 0: expected section size, found end of input"},
		{"unknown core section", comp(sec(SectionCoreModule, mod(rawSec(14))...)),
			"offset 0x12: core module 0: unknown core section id 0x0e"},
		{"core sections out of order", comp(sec(SectionCoreModule, mod(rawSec(10, 0x00), rawSec(3, 0x00))...)),
			"offset 0x15: core module 0: core section id 0x03 out of order or repeated"},
		{"core section repeated", comp(sec(SectionCoreModule, mod(rawSec(1, 0x00), rawSec(1, 0x00))...)),
			"offset 0x15: core module 0: core section id 0x01 out of order or repeated"},
		{"custom name past its section", comp(sec(SectionCoreModule, mod(rawSec(0, 0x05, 'a'))...)),
			"offset 0x15: core module 0: custom section name: length 5 exceeds the 1 bytes left"},
		{"second module counted", comp(sec(SectionCoreModule, goodModule...), sec(SectionCoreModule, 0x00)),
			"offset 0x27: core module 1: does not start with the core module preamble 00 61 73 6d 01 00 00 00"},
		{"nested component truncated", comp(sec(SectionComponent, inner[:len(inner)-1]...)),
			"offset 0x12: component 0: section size 27 exceeds the 26 bytes left"},
		{"module in a nested component", comp(sec(SectionComponent, comp(sec(SectionCoreModule, mod(rawSec(14))...))...)),
			"offset 0x1c: component 0: core module 0: unknown core section id 0x0e"},
		{"unknown section in a nested component", comp(sec(SectionComponent, comp(rawSec(13))...)),
			"offset 0x12: component 0: unknown section id 0x0d"},
		{"not a component", []byte("(component)"), `not a WebAssembly binary: starts with "(component)" — looks like WAT text; assemble it with wasm-tools parse`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNestedFraming(tt.in)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}
