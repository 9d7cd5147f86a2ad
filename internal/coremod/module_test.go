package coremod

import (
	"strings"
	"testing"

	"github.com/bytecodealliance/wasmtime-go/v44"

	"github.com/wcomp/wcomp/internal/wasmtools"
)

// testModule exercises every part of the encoder: types shared between
// functions, locals, an if/else, a mutable global, memory with a data
// segment, exports of each kind, and names.
func testModule() *Module {
	m := &Module{Name: "test-module"}
	m.SetMemory(1)
	m.AddData(16, []byte("hello"))
	g := m.AddGlobal(I32, true, 100)
	// bump(n) = old heap, heap += n
	bump := &Code{}
	bump.GlobalGet(g).LocalTee(1).LocalGet(0).I32Add().GlobalSet(g).LocalGet(1)
	bi := m.AddFunc("bump", FuncType{Params: []ValType{I32}, Results: []ValType{I32}}, []ValType{I32}, bump)
	// pick(c, a) = c ? a : 64-bit -1, via if/else and select
	pick := &Code{}
	pick.LocalGet(0).If(I64).LocalGet(1).Else().I64Const(-1).End()
	pi := m.AddFunc("pick", FuncType{Params: []ValType{I32, I64}, Results: []ValType{I64}}, nil, pick)
	trap := &Code{}
	trap.Unreachable()
	ti := m.AddFunc("denied:example#f", FuncType{}, nil, trap)
	grow := &Code{}
	grow.I32Const(2).MemoryGrow().Drop().MemorySize()
	gi := m.AddFunc("", FuncType{Results: []ValType{I32}}, nil, grow)
	m.Export("memory", ExportMemory, 0)
	m.Export("heap", ExportGlobal, g)
	m.Export("bump", ExportFunc, bi)
	m.Export("pick", ExportFunc, pi)
	m.Export("trap", ExportFunc, ti)
	m.Export("grow", ExportFunc, gi)
	return m
}

func TestModuleValidates(t *testing.T) {
	wasm, err := testModule().Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := wasmtools.Validate(t, wasm); err != nil {
		t.Fatalf("wasm-tools rejects the module: %v", err)
	}
}

// The module runs in Wasmtime as written, and its names reach a trap's
// backtrace.
func TestModuleRuns(t *testing.T) {
	wasm, err := testModule().Encode()
	if err != nil {
		t.Fatal(err)
	}
	store := wasmtime.NewStore(wasmtime.NewEngine())
	mod, err := wasmtime.NewModule(store.Engine, wasm)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := wasmtime.NewInstance(store, mod, nil)
	if err != nil {
		t.Fatal(err)
	}
	call := func(name string, args ...any) any {
		t.Helper()
		v, err := inst.GetFunc(store, name).Call(store, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	if got := call("bump", int32(8)); got != int32(100) {
		t.Errorf("bump(8) = %v, want 100", got)
	}
	if got := call("bump", int32(1)); got != int32(108) {
		t.Errorf("second bump(1) = %v, want 108", got)
	}
	if got := call("pick", int32(1), int64(7)); got != int64(7) {
		t.Errorf("pick(1, 7) = %v, want 7", got)
	}
	if got := call("pick", int32(0), int64(7)); got != int64(-1) {
		t.Errorf("pick(0, 7) = %v, want -1", got)
	}
	if got := call("grow"); got != int32(3) {
		t.Errorf("grow() = %v pages, want 3", got)
	}
	mem := inst.GetExport(store, "memory").Memory()
	if got := string(mem.UnsafeData(store)[16:21]); got != "hello" {
		t.Errorf("data segment = %q, want hello", got)
	}
	_, err = inst.GetFunc(store, "trap").Call(store)
	if err == nil || !strings.Contains(err.Error(), "test-module!denied:example#f") {
		t.Errorf("trap: %v, want a backtrace naming test-module!denied:example#f", err)
	}
}

func TestModuleErrors(t *testing.T) {
	open := &Code{}
	open.I32Const(1).If()
	m := &Module{Name: "bad"}
	m.AddFunc("f", FuncType{}, nil, open)
	if _, err := m.Encode(); err == nil || !strings.Contains(err.Error(), "not closed") {
		t.Errorf("unclosed block: %v", err)
	}
	m = &Module{Name: "bad"}
	m.Export("f", ExportFunc, 0)
	if _, err := m.Encode(); err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("export of a missing function: %v", err)
	}
	m = &Module{Name: "bad"}
	m.AddData(0, []byte{1})
	if _, err := m.Encode(); err == nil || !strings.Contains(err.Error(), "need a memory") {
		t.Errorf("data without memory: %v", err)
	}
	m = &Module{Name: "bad"}
	m.SetMemory(1)
	m.Export("m", ExportMemory, 0)
	m.Export("m", ExportMemory, 0)
	if _, err := m.Encode(); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate export: %v", err)
	}
}
