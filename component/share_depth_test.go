package component

import (
	"encoding/binary"
	"errors"
	"testing"
)

// nestedComponents returns a component that holds depth components, each
// inside the last: what a hostile file can be made of, and what recursion
// over nested components must refuse before the stack does.
func nestedComponents(depth int) []byte {
	preamble := []byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}
	inner := append([]byte(nil), preamble...)
	for range depth {
		outer := append([]byte(nil), preamble...)
		outer = append(outer, 0x04) // component section
		outer = binary.AppendUvarint(outer, uint64(len(inner)))
		inner = append(outer, inner...)
	}
	return inner
}

func TestDeepNestingIsAnError(t *testing.T) {
	data := nestedComponents(10 * maxNesting)
	checks := []struct {
		name string
		run  func([]byte) error
	}{
		{"SelfContained", func(b []byte) error { _, err := SelfContained(b); return err }},
		{"OuterUses", func(b []byte) error { _, err := OuterUses(b); return err }},
		{"NestedItems", func(b []byte) error { _, err := NestedItems(b); return err }},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			err := c.run(data)
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("%s of %d nested components: got %v, want a DecodeError", c.name, 10*maxNesting, err)
			}
		})
		t.Run(c.name+"/shallow", func(t *testing.T) {
			if err := c.run(nestedComponents(3)); err != nil {
				t.Fatalf("%s of 3 nested components: %v", c.name, err)
			}
		})
	}
}
