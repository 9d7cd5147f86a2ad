package component_test

// An external test package, so that it can use internal/testcomponent,
// which imports component.

import (
	"errors"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/testcomponent"
)

// TestCheckNestedFramingCatchesWhatDecodeMisses corrupts a real fixture's
// first nested core module in three ways that Decode (and DecodeType) do
// not see, since they skip nested modules by length: the check must.
func TestCheckNestedFramingCatchesWhatDecodeMisses(t *testing.T) {
	for _, name := range []string{"validator", "wit-store-provider"} {
		data := fixture.Read(t, name)
		cases := map[string][]byte{
			"truncated":     testcomponent.WithFirstModule(t, data, func(m []byte) []byte { return m[:len(m)-3] }),
			"trailing byte": testcomponent.WithFirstModule(t, data, func(m []byte) []byte { return append(m[:len(m):len(m)], 0x0b) }),
			"flipped id": testcomponent.WithFirstModule(t, data, func(m []byte) []byte {
				m = append([]byte(nil), m...)
				m[8] ^= 0x40 // the first section's id: 0x01 (type) becomes 0x41
				return m
			}),
		}
		for what, bad := range cases {
			t.Run(name+"/"+what, func(t *testing.T) {
				if _, err := component.DecodeType(bad); err != nil {
					t.Fatalf("DecodeType already rejects it (%v): the case tests nothing", err)
				}
				err := component.CheckNestedFraming(bad)
				var de *component.DecodeError
				if !errors.As(err, &de) || !strings.HasPrefix(de.Context, "core module 0") {
					t.Fatalf("want a *DecodeError in core module 0, got %v", err)
				}
				t.Log(err)
			})
		}
	}
}
