package builder

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	wasmtime "github.com/bytecodealliance/wasmtime-go/v44"

	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/validate"
)

// A WASI preview 1 command: prints a line from _start.
const commandModule = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from a core module\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 25))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))`

// A reactor: exports f (world app's `f: func() -> u32`) and uses WASI.
const reactorModule = `(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "f") (result i32)
    (drop (call $random_get (i32.const 0) (i32.const 4)))
    (i32.const 42)))`

// A module that imports from "env", which nothing provides.
const envModule = `(module
  (import "env" "host_log" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "f") (result i32) (i32.const 1)))`

func wat(t *testing.T, text string) []byte {
	t.Helper()
	wasm, err := wasmtime.Wat2Wasm(text)
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// TestWrapCoreModule builds command members that leave core modules and
// checks the adapter chosen, that the component validates and runs, and
// the messages when wrapping is refused. It fetches the adapters with
// cargo, so it is not a -short test.
func TestWrapCoreModule(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches the WASI adapters with cargo: skipped under -short")
	}
	env := append(os.Environ(), "XDG_CACHE_HOME=") // the user's cache: the adapter crate is fetched once
	p := newProject(t)
	p.write("wit/cmd.wit", "package example:app;\n\nworld cmd {}\n")
	p.write("app/command.wasm", string(wat(t, commandModule)))
	p.write("app/reactor.wasm", string(wat(t, reactorModule)))
	p.write("app/env.wasm", string(wat(t, envModule)))
	b := p.builder(func(o *Options) { o.Env = env; o.CacheDir = "" })
	eng, err := host.NewEngine(host.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	spec := func(artifact, world string) Spec {
		return Spec{Name: "app", Language: Shell, Dir: filepath.Join(p.root, "app"), Command: Command{Argv: []string{"true"}},
			Artifact: artifact, WIT: filepath.Join(p.root, "wit"), World: world, Watch: []string{artifact}}
	}
	ctx := context.Background()

	res := mustBuild(t, b, spec("command.wasm", "cmd"))
	if res.Adapter != "command" {
		t.Errorf("command module: adapter %q, want command", res.Adapter)
	}
	wasm, _ := os.ReadFile(res.Path)
	validate.Component(t, wasm)
	var out bytes.Buffer
	if code, err := eng.Run(ctx, wasm, host.RunOptions{Stdout: &out}); err != nil || code != 0 || out.String() != "hello from a core module\n" {
		t.Errorf("running it: code %d, err %v, output %q", code, err, out.String())
	}

	res = mustBuild(t, b, spec("reactor.wasm", "app"))
	if res.Adapter != "reactor" {
		t.Errorf("reactor module: adapter %q, want reactor", res.Adapter)
	}
	wasm, _ = os.ReadFile(res.Path)
	validate.Component(t, wasm)
	if got, err := eng.Invoke(ctx, wasm, "f()", host.RunOptions{}); err != nil || got != "42" {
		t.Errorf("f() = %q, %v; want 42", got, err)
	}

	_, err = b.Build(ctx, spec("env.wasm", "app"))
	if want := "member app (command): wrapping core module env.wasm into a component without an adapter (it imports no WASI preview 1); it imports from env, which no adapter provides: `"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("env imports:\n got %v\nwant prefix %s", err, want)
	}

	noWorld := spec("reactor.wasm", "")
	noWorld.WIT = ""
	_, err = b.Build(ctx, noWorld)
	if want := "member app (command): artifact reactor.wasm is a core module with no component type in it (no component-type custom section), so wcomp cannot wrap it: generate its bindings with wit-bindgen, or give the member a WIT world to embed"; err == nil || err.Error() != want {
		t.Errorf("no world:\n got %v\nwant %s", err, want)
	}
}

func TestReadModule(t *testing.T) {
	info, err := readModule(wat(t, `(module
		(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
		(import "env" "table" (table 1 funcref))
		(import "env" "mem" (memory 1 2))
		(import "env" "g" (global (mut i32)))
		(import "other" "f" (func))
		(func (export "_start"))
		(func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0))
		(@custom "component-type:app" "x"))`))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"wasi_snapshot_preview1", "env", "other"} {
		if !info.importModules[m] {
			t.Errorf("import module %s not found", m)
		}
	}
	if !info.exports["_start"] || !info.exports["cabi_realloc"] || len(info.exports) != 2 {
		t.Errorf("exports %v", info.exports)
	}
	if !info.hasComponentType() {
		t.Errorf("customs %v: no component-type", info.customs)
	}
	if _, err := readModule(append(wat(t, `(module)`), 0x07, 0x05, 0x01)); err == nil {
		t.Error("a truncated section was read without error")
	}
}
