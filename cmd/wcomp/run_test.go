package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	wasmtime "github.com/bytecodealliance/wasmtime-go/v44"

	"github.com/wcomp/wcomp/internal/fixture"
	"github.com/wcomp/wcomp/internal/wasmtimecli"
)

// TestRunEcho runs the echo fixture (fixtures/rust/echo), which prints the
// arguments, environment variable and file it was granted, so each flag of
// `wcomp run` is seen arriving in the guest, or not.
func TestRunEcho(t *testing.T) {
	echo := fixture.Path(t, "echo")
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "greeting.txt"), []byte("hello from the host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A greeting.txt in the working directory must stay invisible too.
	t.Chdir(data)
	t.Setenv("WCOMP_ECHO", "from wcomp's environment")

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"no grants", nil, 0, "", ""},
		{"arguments after --", []string{"--", "a", "b c", "--invoke"}, 0, "arg: a\narg: b c\narg: --invoke\n", ""},
		{"arguments without --", []string{"a", "b"}, 0, "arg: a\narg: b\n", ""},
		{"env K=V", []string{"--env", "WCOMP_ECHO=x=y"}, 0, "env: x=y\n", ""},
		{"env K passes wcomp's value", []string{"--env", "WCOMP_ECHO"}, 0, "env: from wcomp's environment\n", ""},
		{"env K unset is not passed", []string{"--env", "WCOMP_ECHO_UNSET_" + t.Name()}, 0, "", ""},
		{"dir HOST::GUEST", []string{"--dir", data + "::/data"}, 0, "file: hello from the host\n", ""},
		{"dir at another guest path", []string{"--dir", data + "::/elsewhere"}, 0, "", ""},
		{"all together", []string{"--env", "WCOMP_ECHO=1", "--dir", data + "::/data", "--", "x"}, 0,
			"arg: x\nenv: 1\nfile: hello from the host\n", ""},
		{"run returns err", []string{"--", "fail", "more"}, 1, "arg: fail\narg: more\n", "error: guest exited with code 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runWcomp(append([]string{"run", echo}, tt.args...)...)
			if code != tt.code || stdout != tt.stdout || stderr != tt.stderr {
				t.Errorf("wcomp run echo.wasm %s:\nexit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q",
					strings.Join(tt.args, " "), code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

// The same guest under the wasmtime CLI prints the same lines and exits
// with the same code: wcomp run passes arguments, environment and
// directories as wasmtime run does.
func TestRunEchoMatchesWasmtime(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the wasmtime CLI")
	}
	echo := fixture.Path(t, "echo")
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "greeting.txt"), []byte("hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ flags, args []string }{
		{[]string{"--env", "WCOMP_ECHO=v", "--dir", data + "::/data"}, []string{"one", "two"}},
		{nil, []string{"fail"}},
	} {
		wantOut, wantCode := wasmtimeRun(t, append(append(tt.flags, echo), tt.args...)...)
		code, stdout, _ := runWcomp(append(append(append([]string{"run", echo}, tt.flags...), "--"), tt.args...)...)
		if code != wantCode || stdout != wantOut {
			t.Errorf("%v %v: wcomp exit %d stdout %q; wasmtime exit %d stdout %q", tt.flags, tt.args, code, stdout, wantCode, wantOut)
		}
	}
}

// --invoke prints exactly what `wasmtime run --invoke` prints.
func TestRunInvokeMatchesWasmtime(t *testing.T) {
	for _, tt := range []struct{ fixture, call string }{
		{"wat-add", "add(1, 2)"},
		{"wat-add", "add(4294967295, 1)"},
		{"validator", `process({id: "order-42", payload: [1, 2, 3], priority: 1})`},
		{"validator", `process({id: "", payload: [], priority: 0})`},
	} {
		t.Run(tt.fixture+" "+tt.call, func(t *testing.T) {
			path := fixture.Path(t, tt.fixture)
			code, stdout, stderr := runWcomp("run", path, "--invoke", tt.call)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if testing.Short() {
				if stdout == "" || strings.Count(stdout, "\n") != 1 {
					t.Errorf("stdout %q: want one line of WAVE", stdout)
				}
				return
			}
			want, wantCode := wasmtimeRun(t, "--invoke", tt.call, path)
			if wantCode != 0 || stdout != want {
				t.Errorf("wcomp: %q\nwasmtime (exit %d): %q", stdout, wantCode, want)
			}
		})
	}
}

// Every failure is one `error:` line on stderr, naming the file, with the
// exit code of a failed command.
func TestRunErrors(t *testing.T) {
	add := fixture.Path(t, "wat-add")
	validator := fixture.Path(t, "validator")
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.wasm")
	notDir := filepath.Join(dir, "file.txt")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want []string // substrings of the one error line
	}{
		{"bad WAVE", []string{"run", add, "--invoke", "add(1,"}, []string{add + ": ", `parsing invoke "add(1,"`, "invalid WAVE"}},
		{"wrong argument type", []string{"run", add, "--invoke", `add("x", 2)`}, []string{add + ": ", "arguments of add", "u32"}},
		{"no such export", []string{"run", add, "--invoke", "sub(1, 2)"}, []string{add + ": ", `no exported function named "sub"`, "add"}},
		{"not a command", []string{"run", validator}, []string{validator + ": ",
			"component does not export wasi:cli/run@0.2.x (it exports: example:service/processing@0.1.0)",
			"use --invoke 'name(args)' to call one of its functions"}},
		{"missing file", []string{"run", missing}, []string{missing + ": no such file or directory"}},
		{"not a component", []string{"run", notDir}, []string{notDir + ": ", "compiling component"}},
		{"dir not a directory", []string{"run", add, "--dir", notDir + "::/data"}, []string{"--dir", "is not a directory"}},
		{"bad env", []string{"run", add, "--env", "=v"}, []string{`--env "=v"`, "expected K=V or K"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runWcomp(tt.args...)
			if code != 1 || stdout != "" || !strings.HasPrefix(stderr, "error: ") || strings.Count(stderr, "\n") != 1 {
				t.Fatalf("exit %d, stdout %q, stderr %q: want exit 1 and one error line", code, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q lacks %q", stderr, w)
				}
			}
			if strings.Contains(stderr, "host:") {
				t.Errorf("stderr %q shows the internal package name", stderr)
			}
		})
	}
}

// A component importing wasi:http runs only with --http, and without it
// the error says which flag grants it.
func TestRunHTTPFlag(t *testing.T) {
	wasm, err := wasmtime.Wat2Wasm(`(component
		(import "wasi:http/types@0.2.0" (instance (export "fields" (type (sub resource)))))
		(core module $m (func (export "run") (result i32) (i32.const 0)))
		(core instance $i (instantiate $m))
		(func $run (result (result)) (canon lift (core func $i "run")))
		(instance $r (export "run" (func $run)))
		(export "wasi:cli/run@0.2.0" (instance $r)))`)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "http.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runWcomp("run", path)
	want := "error: " + path + ": component imports wasi:http/types@0.2.0; run with --http to grant it\n"
	if code != 1 || stdout != "" || stderr != want {
		t.Errorf("without --http: exit %d, stdout %q, stderr %q; want exit 1, stderr %q", code, stdout, stderr, want)
	}
	if code, stdout, stderr := runWcomp("run", "--http", path); code != 0 || stdout != "" || stderr != "" {
		t.Errorf("with --http: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, stderr := runWcomp("run", path, "--http", "--invoke", "run()"); code != 0 || stdout != "ok\n" || stderr != "" {
		t.Errorf("--http --invoke: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestRunHelpNamesTheGrants(t *testing.T) {
	code, stdout, _ := runWcomp("run", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"--http", "--dir", "--env", "--invoke", "wasi:sockets", "no network"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("wcomp run --help lacks %q:\n%s", want, stdout)
		}
	}
}

// wasmtimeRun runs `wasmtime run ARGS…` and returns its stdout and exit
// code; a failure to start it fails the test.
func wasmtimeRun(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(wasmtimecli.Path(t), append([]string{"run"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.String(), 0
	case errors.As(err, &exit):
		return stdout.String(), exit.ExitCode()
	}
	t.Fatalf("wasmtime run %v: %v\n%s", args, err, stderr.String())
	return "", 0
}
