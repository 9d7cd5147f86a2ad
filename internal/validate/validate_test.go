package validate

import (
	"strings"
	"testing"

	wasmtime "github.com/bytecodealliance/wasmtime-go/v44"
)

// recorder captures Fatalf so the failure path can be checked.
type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	r.msg = format
	for _, a := range args {
		r.msg += " " + a.(string)
	}
}

func TestComponent(t *testing.T) {
	valid, err := wasmtime.Wat2Wasm(`(component
		(core module $m (func (export "f") (result i32) (i32.const 7)))
		(core instance $i (instantiate $m))
		(func (export "f") (result u32) (canon lift (core func $i "f"))))`)
	if err != nil {
		t.Fatal(err)
	}
	Component(t, valid)

	// A lift whose core signature does not match: both tools reject it.
	invalid, err := wasmtime.Wat2Wasm(`(component
		(core module $m (func (export "f") (param i64)))
		(core instance $i (instantiate $m))
		(func (export "f") (param "x" u32) (canon lift (core func $i "f"))))`)
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	Component(r, invalid)
	if !r.failed {
		t.Fatal("invalid component passed")
	}
	for _, want := range []string{"wasm-tools validate:", "wasmtime:", "do not match"} {
		if !strings.Contains(r.msg, want) {
			t.Errorf("failure message %q lacks %q", r.msg, want)
		}
	}
}
