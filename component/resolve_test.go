package component

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wcomp/wcomp/internal/golden"
)

// TestResolveGolden resolves every testdata/resolve/*.wat and compares the
// canonical dump (or, for err-*.wat, the error) with the .txt next to it.
func TestResolveGolden(t *testing.T) {
	eachFile(t, filepath.Join("testdata", "resolve", "*.wat"), func(t *testing.T, wat string) {
		t.Parallel()
		name := strings.TrimSuffix(filepath.Base(wat), ".wat")
		data := parseWATFile(t, wat)
		wantErr := strings.HasPrefix(name, "err-")
		// Each case's expectation (valid, or err-*) is checked against
		// the reference validator, not only against our own output.
		if verr := validateAll(t, data); (verr == nil) == wantErr {
			t.Fatalf("wasm-tools validate: valid=%v, but the case expects valid=%v: %v", verr == nil, !wantErr, verr)
		}
		ct, err := DecodeType(data)
		var got string
		switch {
		case wantErr && err == nil:
			t.Fatalf("resolved without error; want one:\n%s", FormatComponentType(ct))
		case wantErr:
			var re *ResolveError
			if !errors.As(err, &re) {
				t.Fatalf("error is %T, want *ResolveError: %v", err, err)
			}
			got = "error: " + err.Error() + "\n"
		case err != nil:
			t.Fatalf("DecodeType: %v", err)
		default:
			got = FormatComponentType(ct)
		}
		golden.Check(t, filepath.Join("testdata", "resolve", name+".txt"), got)
	})
}

// TestResolveIdentity checks resource identity directly, beyond the dumps.
func TestResolveIdentity(t *testing.T) {
	t.Run("wasi-io", func(t *testing.T) {
		t.Parallel()
		ct := mustResolve(t, "wasi-io.wat")
		errInst := ct.Import("wasi:io/error@0.2.0").Type.(*InstanceType)
		pollInst := ct.Import("wasi:io/poll@0.2.0").Type.(*InstanceType)
		streams := ct.Import("wasi:io/streams@0.2.0").Type.(*InstanceType)
		errRes := typeOf(t, errInst, "error")
		if r, ok := errRes.(*Resource); !ok || !r.Abstract {
			t.Fatalf("error is %T, want an abstract *Resource", errRes)
		}
		se := typeOf(t, streams, "error")
		n, ok := se.(*Named)
		if !ok || n.Owner != streams || n.Name != "error" {
			t.Fatalf("streams.error = %#v, want a name owned by streams", se)
		}
		if ResourceOf(se) != errRes {
			t.Errorf("streams.error is not error.error")
		}
		if ResourceOf(typeOf(t, streams, "pollable")) != ResourceOf(typeOf(t, pollInst, "pollable")) {
			t.Errorf("streams.pollable is not poll.pollable")
		}
		if ResourceOf(typeOf(t, streams, "input-stream")) == ResourceOf(se) {
			t.Errorf("input-stream and error are the same resource")
		}
		// The top-level func reaches the same resources through aliases.
		reader := ct.Import("reader").Type.(*Func)
		if ResourceOf(reader.Params[1].Type.(*Own).Resource) != errRes {
			t.Errorf("reader's error param is not error.error")
		}
	})
	t.Run("instance type used twice", func(t *testing.T) {
		t.Parallel()
		ct := mustResolve(t, "resources.wat")
		f1 := typeOf(t, ct.Import("fs1").Type.(*InstanceType), "file")
		f2 := typeOf(t, ct.Import("fs2").Type.(*InstanceType), "file")
		if f1 == f2 {
			t.Errorf("fs1.file and fs2.file are the same resource")
		}
		open2 := ct.Import("fs2").Type.(*InstanceType).Export("open").Type.(*Func)
		if ResourceOf(open2.Result.(*Own).Resource) != f2 {
			t.Errorf("fs2.open does not return fs2.file")
		}
		if ResourceOf(typeOf(t, t2(ct), "r1")) != ResourceOf(typeOf(t, t2(ct), "r2")) {
			t.Errorf("r1 and r2 are not the same resource")
		}
	})
	t.Run("substitution", func(t *testing.T) {
		t.Parallel()
		ct := mustResolve(t, "instantiate.wat")
		r := ct.Import("r").Type.(*TypeBound).Type.(*Resource)
		w := ct.Export("wrapped").Type.(*InstanceType)
		thing := typeOf(t, w, "thing")
		if ResourceOf(thing) != r {
			t.Fatalf("wrapped.thing is %v, want the imported r", FormatType(thing))
		}
		if n := thing.(*Named); n.Owner != w {
			t.Errorf("wrapped.thing is not owned by the wrapped instance")
		}
		mk := w.Export("make").Type.(*Func)
		if mk.Result.(*Own).Resource != thing {
			t.Errorf("make returns %v, not the exported thing", FormatType(mk.Result))
		}
		g1 := ResourceOf(typeOf(t, ct.Export("gen1").Type.(*InstanceType), "res"))
		g2 := ResourceOf(typeOf(t, ct.Export("gen2").Type.(*InstanceType), "res"))
		if g1 == nil || g1 == g2 {
			t.Errorf("two instantiations share a defined resource (or none): %p %p", g1, g2)
		}
		c1 := ct.Export("c1").Type.(*InstanceType)
		take := c1.Export("take").Type.(*Func)
		if ResourceOf(take.Params[0].Type.(*Own).Resource) != r {
			t.Errorf("c1.take does not take the r supplied through instance \"in\"")
		}
	})
}

// t2 adapts a component type's exports to typeOf.
func t2(ct *ComponentType) *InstanceType { return &InstanceType{Exports: ct.Exports} }

func typeOf(t *testing.T, it *InstanceType, name string) Type {
	t.Helper()
	e := it.Export(name)
	if e == nil {
		t.Fatalf("no export %q", name)
	}
	tb, ok := e.Type.(*TypeBound)
	if !ok {
		t.Fatalf("export %q is %T, not a type", name, e.Type)
	}
	return tb.Type
}

func mustResolve(t *testing.T, file string) *ComponentType {
	t.Helper()
	ct, err := DecodeType(parseWATFile(t, filepath.Join("testdata", "resolve", file)))
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

// TestResolveTruncatedNeverPanics feeds every prefix-truncated and
// byte-flipped variant of a real component to DecodeType: bad input must
// give an error, never a panic.
func TestResolveCorruptNeverPanics(t *testing.T) {
	data := parseWATFile(t, filepath.Join("testdata", "resolve", "shim-wit-component.wat"))
	step := 1
	if testing.Short() {
		step = 13
	}
	for i := 8; i < len(data); i += step {
		for _, x := range []byte{0x00, 0x01, 0x7f, 0xff} {
			c := append([]byte(nil), data...)
			c[i] = x
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic with byte %d set to 0x%02x: %v", i, x, p)
					}
				}()
				_, _ = DecodeType(c)
			}()
		}
	}
}
