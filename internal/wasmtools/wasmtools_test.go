package wasmtools

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const addWAT = `(component
  (core module $m (func (export "add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add))
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add"))))`

// TestFindsNativeBinary: with the pip wrapper on PATH, what runs is the
// bundled native binary, not the script that takes most of a second to
// start. A fallback to the wrapper would still pass every other test,
// only slowly, so this is where such a regression shows.
func TestFindsNativeBinary(t *testing.T) {
	p := Path(t)
	if os.Getenv("WASM_TOOLS") == "" && isScript(p) {
		t.Fatalf("found the wrapper script %s, not the native binary it runs", p)
	}
	out, err := run(p, nil, "--version")
	if err != nil || !strings.HasPrefix(string(out), "wasm-tools ") {
		t.Fatalf("%s --version: %q, %v", p, out, err)
	}
}

// TestLocateHonoursEnv: $WASM_TOOLS wins, and a wrong one is an error that
// names the variable instead of a silent fallback to PATH.
func TestLocateHonoursEnv(t *testing.T) {
	native := Path(t)
	t.Setenv("WASM_TOOLS", native)
	if got, err := locate(); err != nil || got != native {
		t.Fatalf("locate() = %q, %v; want %q", got, err, native)
	}
	t.Setenv("WASM_TOOLS", filepath.Join(t.TempDir(), "missing"))
	if _, err := locate(); err == nil || !strings.Contains(err.Error(), "$WASM_TOOLS") {
		t.Fatalf("locate() with a missing $WASM_TOOLS: %v", err)
	}
}

func TestShebangInterpreter(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ script, want string }{
		{"#!/usr/bin/python3.11\nimport sys\n", "/usr/bin/python3.11"},
		{"#!/usr/bin/env python3\n", "python3"},
		{"#!/usr/bin/env bash\nset -e\n", "bash"},
		{"\x7fELF", "\x7fELF"},
		{"", ""},
	} {
		p := filepath.Join(dir, "s")
		if err := os.WriteFile(p, []byte(tt.script), 0o755); err != nil {
			t.Fatal(err)
		}
		if tt.want == "\x7fELF" {
			if isScript(p) {
				t.Errorf("an ELF file is taken for a script")
			}
			continue
		}
		if got := shebangInterpreter(p); got != tt.want {
			t.Errorf("shebangInterpreter(%q) = %q, want %q", tt.script, got, tt.want)
		}
	}
}

func TestParseAndValidate(t *testing.T) {
	wasm := Parse(t, addWAT)
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		t.Fatalf("Parse gave % x", wasm[:min(len(wasm), 8)])
	}
	if err := Validate(t, wasm); err != nil {
		t.Fatalf("a valid component is rejected: %v", err)
	}
	if err := Check(wasm, "all"); err != nil {
		t.Fatalf("Check: %v", err)
	}

	// A lift whose core signature does not match the function type.
	bad := Parse(t, strings.Replace(addWAT, `(param "b" u32) `, "", 1))
	err := Validate(t, bad)
	var complaint *Error
	if !errors.As(err, &complaint) || complaint.Command != "validate" || !strings.Contains(complaint.Msg, "do not match") {
		t.Fatalf("Validate(invalid) = %v, want an *Error from validate with the mismatch", err)
	}
}

// TestValidateFeatures: features are passed through; a gated proposal is
// rejected by default and accepted once enabled.
func TestValidateFeatures(t *testing.T) {
	wasm := Parse(t, `(component (type (list u8 4)))`)
	if err := Validate(t, wasm); err == nil || !strings.Contains(err.Error(), "fixed-length lists") {
		t.Fatalf("a fixed-length list passed the default features: %v", err)
	}
	for _, features := range [][]string{{"cm-fixed-length-lists"}, {"all"}, {"cm-async", "cm-fixed-length-lists"}} {
		if err := Validate(t, wasm, features...); err != nil {
			t.Errorf("features %v: %v", features, err)
		}
	}
}

// fatalRecorder records Fatal instead of stopping the test, to check the
// failure messages of the helpers.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}
func (r *fatalRecorder) Fatal(args ...any) {
	r.msg = fmt.Sprint(args...)
}

func TestParseFailureNamesTheProblem(t *testing.T) {
	r := &fatalRecorder{TB: t}
	if out := Parse(r, "(component (func (export \"f\")"); out != nil {
		t.Fatalf("Parse of broken WAT returned %d bytes", len(out))
	}
	if !strings.Contains(r.msg, "wasm-tools parse") || !strings.Contains(r.msg, "expected") {
		t.Fatalf("failure message %q does not say what wasm-tools parse found", r.msg)
	}
}

func TestComponentWIT(t *testing.T) {
	wasm := Parse(t, addWAT)
	wit := ComponentWIT(t, wasm)
	if !strings.Contains(wit, "world ") || !strings.Contains(wit, "export add: func(a: u32, b: u32) -> u32;") {
		t.Fatalf("WIT lacks the world or its export:\n%s", wit)
	}
	var doc struct {
		Worlds []struct {
			Name    string         `json:"name"`
			Exports map[string]any `json:"exports"`
		} `json:"worlds"`
	}
	raw := ComponentWITJSON(t, wasm)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	if len(doc.Worlds) != 1 || doc.Worlds[0].Exports["add"] == nil {
		t.Fatalf("JSON world = %+v, want one world exporting add", doc.Worlds)
	}
}

// TestDummyComponentAndEncodeWIT: the component built from a WIT world has
// exactly that world, and the encoded package holds the package, as
// wasm-tools itself reads them back.
func TestDummyComponentAndEncodeWIT(t *testing.T) {
	src := filepath.Join(t.TempDir(), "w.wit")
	witText := "package my:pkg;\n\nworld w {\n  import f: func(x: u32);\n  export g: func() -> string;\n}\n"
	if err := os.WriteFile(src, []byte(witText), 0o644); err != nil {
		t.Fatal(err)
	}
	wasm := DummyComponent(t, src, "w")
	if err := Validate(t, wasm); err != nil {
		t.Fatalf("the dummy component is not valid: %v", err)
	}
	got := ComponentWIT(t, wasm)
	for _, want := range []string{"import f: func(x: u32);", "export g: func() -> string;"} {
		if !strings.Contains(got, want) {
			t.Errorf("the dummy component's WIT lacks %q:\n%s", want, got)
		}
	}

	pkg := EncodeWIT(t, src)
	if err := Validate(t, pkg); err != nil {
		t.Fatalf("the encoded package is not valid: %v", err)
	}
	if got := ComponentWIT(t, pkg); !strings.Contains(got, "package my:pkg;") || !strings.Contains(got, "world w {") {
		t.Errorf("the encoded package reads back as:\n%s", got)
	}

	r := &fatalRecorder{TB: t}
	if out := DummyComponent(r, filepath.Join(t.TempDir(), "missing.wit"), ""); out != nil || !strings.Contains(r.msg, "component embed") {
		t.Errorf("a missing WIT file: got %d bytes, failure %q", len(out), r.msg)
	}
}
