package host

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	wasmtime "github.com/bytecodealliance/wasmtime-go/v44"

	"github.com/wcomp/wcomp/internal/wasmtimecli"
)

// testEngine is shared by the tests of this package: engines are meant to
// be long-lived, and sharing one also exercises concurrent use.
var testEngine = sync.OnceValues(func() (*Engine, error) { return NewEngine(Options{}) })

func engine(t testing.TB) *Engine {
	t.Helper()
	e, err := testEngine()
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	return e
}

// wat compiles a testdata WAT file, after replacing placeholders, into a
// component binary (wasmtime-go's Wat2Wasm accepts component WAT).
func wat(t testing.TB, name string, replacements ...string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer(replacements...).Replace(string(src))
	wasm, err := wasmtime.Wat2Wasm(text)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return wasm
}

func helloWat(t testing.TB, message string, result int) []byte {
	t.Helper()
	return wat(t, "hello.wat",
		"MESSAGE", strings.ReplaceAll(message, "\n", `\n`),
		"LENGTH", strconv.Itoa(len(message)),
		"RESULT", strconv.Itoa(result))
}

func TestValidate(t *testing.T) {
	e := engine(t)
	if err := e.Validate(wat(t, "values.wat")); err != nil {
		t.Fatalf("valid component rejected: %v", err)
	}
	tests := []struct {
		name string
		wasm []byte
		want string
	}{
		{"empty", nil, "empty input"},
		{"garbage", []byte("not wasm at all"), "not a WebAssembly binary"},
		{"core module", mustWat(t, `(module)`), "component"},
		// Lifting a core function whose signature does not match.
		{"bad lift", mustWat(t, `(component
			(core module $m (func (export "f") (param i64)))
			(core instance $i (instantiate $m))
			(func (export "f") (param "x" u32) (canon lift (core func $i "f"))))`), "do not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.Validate(tt.wasm)
			if err == nil {
				t.Fatal("invalid component accepted")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

// mustWat assembles inline WAT; unlike wat it does not read testdata.
func mustWat(t testing.TB, src string) []byte {
	t.Helper()
	wasm, err := wasmtime.Wat2Wasm(src)
	if err != nil {
		// Invalid components still assemble; only syntax errors land here.
		t.Fatalf("wat2wasm: %v", err)
	}
	return wasm
}

// invokeCases are calls on testdata/values.wat with the output that
// `wasmtime run --invoke` prints for them.
var invokeCases = []struct{ call, want string }{
	{"add(1, 2)", "3"},
	{"add(4294967295, 1)", "0"},
	{"flip(true)", "false"},
	{"scale(1.5)", "3.75"},
	{"scale(-0.1)", "-0.25"},
	{"negate(9223372036854775807)", "-9223372036854775807"},
	{"next-char('a')", "'b'"},
	{`echo("héllo \"x\"\n")`, `"héllo \"x\"\n"`},
	{"echo(\"\"\"\n  two\n  lines\n  \"\"\")", `"two\nlines"`},
	{"maybe-double(some(21))", "some(42)"},
	{"maybe-double(21)", "some(42)"},
	{"maybe-double(none)", "none"},
	{"safe-div(7, 2)", "ok(3)"},
	{"safe-div(1, 0)", `err("division by zero")`},
	{"swap({x: 1, y: -2})", "{x: -2, y: 1}"},
	{"pick(blue)", "red"},
	{"invert({read})", "{write, exec}"},
	{"invert({})", "{read, write, exec}"},
	{"dup(7)", "(7, 7)"},
	{"range(4)", "[0, 1, 2, 3]"},
	{"range(0)", "[]"},
	{"same-shape(circle(1.5))", "circle(1.5)"},
	{"same-shape(square(3))", "square(3)"},
	{"same-shape(%none)", "%none"},
	{"pick(%red)", "green"},
}

func TestInvoke(t *testing.T) {
	e := engine(t)
	wasm := wat(t, "values.wat")
	for _, tt := range invokeCases {
		t.Run(tt.call, func(t *testing.T) {
			got, err := e.Invoke(context.Background(), wasm, tt.call, RunOptions{})
			if err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			if got != tt.want {
				t.Errorf("Invoke = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestInvokeNames(t *testing.T) {
	e := engine(t)
	wasm := wat(t, "values.wat")
	for _, call := range []string{
		`process("p")`,
		`example:service/processing.process@0.1.0("p")`,
		`example:service/processing@0.1.0#process("p")`,
		// semver-compatible with the exported 0.1.0
		`example:service/processing@0.1.5#process("p")`,
	} {
		t.Run(call, func(t *testing.T) {
			got, err := e.Invoke(context.Background(), wasm, call, RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got != `"p"` {
				t.Errorf("got %s", got)
			}
		})
	}
}

// TestInvokeMatchesCLI runs each call through the wasmtime CLI too and
// requires identical output.
func TestInvokeMatchesCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the wasmtime CLI once per case")
	}
	cli := wasmtimecli.Path(t)
	e := engine(t)
	wasm := wat(t, "values.wat")
	path := filepath.Join(t.TempDir(), "values.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range invokeCases {
		t.Run(tt.call, func(t *testing.T) {
			out, err := exec.Command(cli, "run", "--invoke", tt.call, path).CombinedOutput()
			if err != nil {
				t.Fatalf("wasmtime CLI failed: %v\n%s", err, out)
			}
			got, err := e.Invoke(context.Background(), wasm, tt.call, RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.TrimSuffix(string(out), "\n"); got != want {
				t.Errorf("host prints %s, wasmtime CLI prints %s", got, want)
			}
		})
	}
}

func TestInvokeErrors(t *testing.T) {
	e := engine(t)
	wasm := wat(t, "values.wat")
	tests := []struct {
		call string
		want []string
	}{
		{"add(1,", []string{"parsing invoke", "expected a value"}},
		{"add", []string{"expected `(`"}},
		{"add(1)", []string{"missing argument 2", "func(a: u32, b: u32) -> u32"}},
		{"add(true, 1)", []string{"argument 1", "expected u32"}},
		{"nope()", []string{`no exported function named "nope"`, "add", "example:service/processing@0.1.0#process"}},
		{"other:pkg/iface.f()", []string{"no exported function other:pkg/iface#f"}},
		{"example:service/processing()", []string{"names an interface"}},
		{"pick(purple)", []string{`unknown case "purple"`}},
		{"maybe-double()", []string{"no arguments given"}},
		{`processing.process("p")`, []string{"no exported function processing#process"}},
		{"boom()", []string{"calling boom", "unreachable"}},
	}
	for _, tt := range tests {
		t.Run(tt.call, func(t *testing.T) {
			_, err := e.Invoke(context.Background(), wasm, tt.call, RunOptions{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	// A trap is a *Error carrying Wasmtime's message and backtrace.
	_, err := e.Invoke(context.Background(), wasm, "boom()", RunOptions{})
	var werr *Error
	if !errors.As(err, &werr) || len(werr.Trace) == 0 {
		t.Errorf("trap error %#v: want *host.Error with a wasm backtrace", err)
	}
}

func TestRun(t *testing.T) {
	e := engine(t)
	// wasi:cli/run returning err is exit code 1, not a Go error.
	for _, tt := range []struct {
		name, message string
		code          int
	}{{"stdout captured", "hello from wat\n", 0}, {"run returns err", "failing\n", 1}} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			code, err := e.Run(context.Background(), helloWat(t, tt.message, tt.code), RunOptions{Stdout: &out})
			if err != nil || code != tt.code {
				t.Fatalf("Run = %d, %v; want exit code %d", code, err, tt.code)
			}
			if out.String() != tt.message {
				t.Errorf("stdout = %q, want %q", out.String(), tt.message)
			}
		})
	}
	t.Run("stdout to file", func(t *testing.T) {
		f, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if code, err := e.Run(context.Background(), helloWat(t, "to a file\n", 0), RunOptions{Stdout: f}); err != nil || code != 0 {
			t.Fatalf("Run = %d, %v", code, err)
		}
		got, _ := os.ReadFile(f.Name())
		if string(got) != "to a file\n" {
			t.Errorf("file holds %q", got)
		}
	})
	t.Run("not a command", func(t *testing.T) {
		_, err := e.Run(context.Background(), wat(t, "values.wat"), RunOptions{})
		if err == nil || !strings.Contains(err.Error(), "does not export wasi:cli/run@0.2.x") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := e.Run(ctx, helloWat(t, "x", 0), RunOptions{}); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("bad dir grant", func(t *testing.T) {
		_, err := e.Run(context.Background(), helloWat(t, "x", 0), RunOptions{Dirs: []DirGrant{{Host: "/does/not/exist", Guest: "/"}}})
		if err == nil || !strings.Contains(err.Error(), "granting directory") {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestRunInterrupted cancels a guest stuck in an infinite loop: the epoch
// callback must trap it, and other runs on the engine must not be hurt.
func TestRunInterrupted(t *testing.T) {
	e := engine(t)
	loop := mustWat(t, `(component
		(core module $m (func (export "run") (result i32) (loop $l (br $l)) (i32.const 0)))
		(core instance $i (instantiate $m))
		(func $run (result (result)) (canon lift (core func $i "run")))
		(instance $r (export "run" (func $run)))
		(export "wasi:cli/run@0.2.3" (instance $r)))`)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.Run(ctx, loop, RunOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("interrupt took %v", d)
	}
	// The epoch bump must not break later runs.
	var out bytes.Buffer
	if code, err := e.Run(context.Background(), helloWat(t, "after\n", 0), RunOptions{Stdout: &out}); err != nil || code != 0 || out.String() != "after\n" {
		t.Fatalf("run after interrupt = %d, %v, %q", code, err, out.String())
	}
}

func TestRunMatchesCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the wasmtime CLI")
	}
	cli := wasmtimecli.Path(t)
	wasm := helloWat(t, "same output\n", 1)
	path := filepath.Join(t.TempDir(), "hello.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(cli, "run", path)
	var cliOut bytes.Buffer
	cmd.Stdout = &cliOut
	cliErr := cmd.Run()
	var exitErr *exec.ExitError
	if !errors.As(cliErr, &exitErr) {
		t.Fatalf("wasmtime CLI: %v", cliErr)
	}
	var out bytes.Buffer
	code, err := engine(t).Run(context.Background(), wasm, RunOptions{Stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	if code != exitErr.ExitCode() || out.String() != cliOut.String() {
		t.Errorf("host: code %d stdout %q; CLI: code %d stdout %q", code, out.String(), exitErr.ExitCode(), cliOut.String())
	}
}

func TestEngineClose(t *testing.T) {
	e, err := NewEngine(Options{DisableCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if e.CacheEnabled() {
		t.Error("cache reported on")
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := e.Validate(wat(t, "values.wat")); !errors.Is(err, errClosed) {
		t.Errorf("Validate after Close = %v", err)
	}
}

func TestEngineBadCacheConfig(t *testing.T) {
	_, err := NewEngine(Options{CacheConfig: filepath.Join(t.TempDir(), "missing.toml")})
	if err == nil || !strings.Contains(err.Error(), "compilation cache") {
		t.Fatalf("err = %v", err)
	}
}
