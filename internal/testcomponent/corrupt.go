package testcomponent

import (
	"testing"

	"github.com/wcomp/wcomp/component"
)

// WithFirstModule returns a copy of the component data whose first nested
// core module is replaced by edit's result, its section size fixed up. The
// component's own sections still decode; what edit broke inside the module
// is left for the code under test to find.
func WithFirstModule(t testing.TB, data []byte, edit func([]byte) []byte) []byte {
	t.Helper()
	c, err := component.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	var w component.Writer
	w.Raw(data[:8])
	prevEnd, done := 8, false
	for _, s := range c.Sections {
		if s.CoreModule != nil && !done {
			done = true
			mod := edit(s.CoreModule.Bytes)
			w.Byte(byte(component.SectionCoreModule))
			w.Len32(len(mod))
			w.Raw(mod)
		} else {
			w.Raw(data[prevEnd : s.Offset+s.Size])
		}
		prevEnd = s.Offset + s.Size
	}
	if !done {
		t.Fatal("no nested core module")
	}
	return w.Bytes()
}
