package component

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// shareWAT nests, in order: core module 0, component 0 (self-contained,
// holding core module 1), component 1 (aliasing the outer type $t),
// holding core module 2.
const shareWAT = `(component
  (type $t (func))
  (core module (func))
  (component
    (core module (func (export "f")))
    (type (func)))
  (component
    (alias outer 1 $t (type))
    (core module (func (export "g")))))`

func TestNestedItems(t *testing.T) {
	data := wasmtools.Parse(t, shareWAT)
	items, err := NestedItems(data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		kind := "module"
		if it.Kind == SectionComponent {
			kind = "component"
		}
		got = append(got, fmt.Sprintf("%s depth %d parent %d", kind, it.Depth, it.Parent))
		if it.Kind == SectionComponent && !IsComponent(it.Bytes(data)) || it.Kind == SectionCoreModule && !bytes.Equal(it.Bytes(data)[:8], corePreamble[:]) {
			t.Errorf("item %d's bytes do not start with its preamble", len(got)-1)
		}
	}
	want := "module depth 1 parent -1, component depth 1 parent -1, module depth 2 parent 1, component depth 1 parent -1, module depth 2 parent 3"
	if strings.Join(got, ", ") != want {
		t.Errorf("items\n%s\nwant\n%s", strings.Join(got, ", "), want)
	}
	for i, wantOK := range map[int]bool{1: true, 3: false} {
		ok, err := SelfContained(items[i].Bytes(data))
		if err != nil || ok != wantOK {
			t.Errorf("item %d: self-contained %v, %v; want %v", i, ok, err, wantOK)
		}
	}
	if ok, err := SelfContained(data); err != nil || !ok {
		t.Errorf("the outermost component: self-contained %v, %v", ok, err)
	}
}

// TestReplaceNested replaces a module two levels down and one at the top
// by outer aliases: wasm-tools prints the aliases where the modules were,
// and the parts pass the framing check; refs that name no nested section
// of their sort are errors.
func TestReplaceNested(t *testing.T) {
	data := wasmtools.Parse(t, shareWAT)
	items, err := NestedItems(data)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := ReplaceNested(data, []OuterRef{
		{Section: items[4].Section, Sort: SortCoreModule, Count: 2, Index: 0},
		{Section: items[0].Section, Sort: SortCoreModule, Count: 1, Index: 0},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckFramingParts(parts); err != nil {
		t.Fatalf("framing: %v", err)
	}
	var joined []byte
	for _, p := range parts {
		joined = append(joined, p...)
	}
	// Wrapped in a component that defines the module the aliases name.
	var w Writer
	w.Raw(Preamble[:])
	w.Byte(byte(SectionCoreModule))
	w.Len32(len(items[0].Bytes(data)))
	w.Raw(items[0].Bytes(data))
	w.Byte(byte(SectionComponent))
	w.Len32(len(joined))
	w.Raw(joined)
	printed := wasmtools.Print(t, w.Bytes())
	for _, want := range []string{"(alias outer 1 0 (core module", "(alias outer 2 0 (core module"} {
		if !strings.Contains(printed, want) {
			t.Errorf("printed output lacks %q:\n%s", want, printed)
		}
	}
	if err := wasmtools.Validate(t, w.Bytes()); err != nil {
		t.Errorf("wasm-tools validate: %v", err)
	}
	// The size OuterUses gives is the byte range wasm-tools objdump
	// gives for the wrapper's first module.
	var size int
	for _, it := range wasmtools.NestedItems(t, w.Bytes()) {
		if it.Module && it.Level == 1 {
			size = it.Size()
			break
		}
	}
	uses, err := OuterUses(w.Bytes())
	if err != nil || size == 0 || len(uses) != 1 || uses[0].Uses != 2 || uses[0].Size != size {
		t.Errorf("OuterUses = %+v, %v; want module 0 used twice, of %d bytes (wasm-tools objdump)", uses, err, size)
	}

	for name, ref := range map[string]OuterRef{
		"not a section":     {Section: items[0].Section + 1, Sort: SortCoreModule, Count: 1},
		"wrong sort":        {Section: items[0].Section, Sort: SortComponent, Count: 1},
		"not nested at all": {Section: 8, Sort: SortCoreModule, Count: 1},
		"a func":            {Section: items[0].Section, Sort: SortFunc, Count: 1},
	} {
		if _, err := ReplaceNested(data, []OuterRef{ref}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := ReplaceNested(data, []OuterRef{{Section: items[0].Section, Sort: SortCoreModule}, {Section: items[0].Section, Sort: SortCoreModule}}); err == nil {
		t.Error("two refs for one section: no error")
	}
	// A part cut short fails the framing check.
	short := append([][]byte(nil), parts...)
	short[len(short)-1] = short[len(short)-1][:len(short[len(short)-1])-1]
	if err := CheckFramingParts(short); err == nil {
		t.Error("framing check passed parts cut short")
	}
}
