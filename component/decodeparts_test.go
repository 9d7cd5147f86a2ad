package component

import (
	"errors"
	"reflect"
	"testing"
)

// TestDecodeParts: a component given as parts, a nested component spliced
// in as one part after its section header, decodes as the concatenation
// does, offsets included; a part boundary anywhere else is read as bytes.
func TestDecodeParts(t *testing.T) {
	nested := comp(sec(SectionType, 0x01, 0x73))
	head := comp(sec(SectionType, 0x01, 0x73))
	// The nested component's section header: id and size.
	head = append(head, byte(SectionComponent), byte(len(nested)))
	tail := sec(SectionCustom, 0x01, 'n', 0xaa)
	whole := append(append(append([]byte(nil), head...), nested...), tail...)

	want, err := Decode(whole)
	if err != nil {
		t.Fatal(err)
	}
	want.Data = nil
	for _, parts := range [][][]byte{
		{head, nested, tail},
		{whole},
		{append(append([]byte(nil), head...), nested...), tail},
	} {
		got, err := DecodeParts(parts)
		if err != nil {
			t.Fatalf("%d parts: %v", len(parts), err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d parts: got %+v\nwant %+v", len(parts), got, want)
		}
	}
	// An error in a later part is reported at its offset in the whole.
	bad := sec(SectionType, 0x01, 0x12)
	_, err = DecodeParts([][]byte{head, nested, bad})
	var de *DecodeError
	if !errors.As(err, &de) || de.Offset != len(head)+len(nested)+3 {
		t.Fatalf("got %v, want a *DecodeError at offset %d", err, len(head)+len(nested)+3)
	}
}
