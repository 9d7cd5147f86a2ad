package status

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/wcomp/wcomp/internal/golden"
	"github.com/wcomp/wcomp/project"
)

// build is the event stream of a build in which one member is fresh, one
// is rebuilt (installing a toolchain piece, running two tools), and the
// result is checked and written; then a member fails.
var build = []project.Event{
	{Kind: project.Locking, Message: "wit wasi:cli@0.2.3 added"},
	{Kind: project.Vendoring, Message: "wit/deps/wasi-cli-0.2.3"},
	{Kind: project.Fresh, Member: "business", Language: "python"},
	{Kind: project.Built, Member: "business", Language: "python", Fresh: true},
	{Kind: project.Cached, Member: "checks", Language: "go", Path: "/p/target/wcomp/members/checks.wasm"},
	{Kind: project.Built, Member: "checks", Language: "go", Path: "/p/target/wcomp/members/checks.wasm"},
	{Kind: project.Compiling, Member: "validator", Language: "rust", Message: "src/lib.rs changed"},
	{Kind: project.Installing, Member: "validator", Language: "rust", Message: "wasi-preview1 adapter 49.0.3 (crates.io)"},
	{Kind: project.Running, Member: "validator", Language: "rust", Message: "cargo build --release --target wasm32-wasip1"},
	{Kind: project.Output, Member: "validator", Language: "rust", Message: "   Compiling validator v0.1.0"},
	{Kind: project.Built, Member: "validator", Language: "rust", Path: "/p/target/wcomp/members/validator.wasm", Elapsed: 41 * time.Second},
	{Kind: project.Composing, Message: "service (2 members, root business)"},
	{Kind: project.Note, Message: "wasi:cli/environment@0.2.9 and @0.2.12 merged"},
	{Kind: project.Checking, Message: "service against wasi:cli/command@0.2.x"},
	{Kind: project.Finished, Path: "/p/target/service.wasm", Elapsed: 41234 * time.Millisecond},
	{Kind: project.Blocking, Message: "waiting for file lock on build directory"},
	{Kind: project.Compiling, Member: "enricher", Language: "js", Message: "enricher.js changed"},
	{Kind: project.Failed, Member: "enricher", Language: "js", Output: "enricher.js:3: SyntaxError: Unexpected token\n", Elapsed: time.Second},
	{Kind: project.Warning, Member: "validator", Language: "rust", Message: "its toolchain is not reproducible"},
}

func render(opts Options) string {
	var buf bytes.Buffer
	opts.Dir = "/p"
	p := New(&buf, opts)
	for _, e := range build {
		p.Report(e)
	}
	p.Close()
	return buf.String()
}

func TestGolden(t *testing.T) {
	golden.Check(t, "testdata/plain.txt", render(Options{}))
	golden.Check(t, "testdata/verbose.txt", render(Options{Verbose: true}))
	golden.Check(t, "testdata/color.txt", render(Options{Color: true}))
}

// TestVerbsAligned: every status line's verb ends at cargo's column 12.
func TestVerbsAligned(t *testing.T) {
	for _, line := range strings.Split(strings.TrimSpace(render(Options{Verbose: true})), "\n") {
		if strings.HasPrefix(line, "warning:") || !strings.HasPrefix(line, " ") {
			continue // warnings and toolchain output are not status lines
		}
		if line[verbWidth] != ' ' || line[verbWidth-1] == ' ' {
			t.Errorf("verb not right-aligned to column %d: %q", verbWidth, line)
		}
	}
}

func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	j := NewJSON(&buf)
	for _, e := range build {
		j.Report(e)
	}
	j.Error(errorString("component.toml:12:1: components.enricher: member enricher (js) failed to build"))
	golden.Check(t, "testdata/events.jsonl", buf.String())
}

type errorString string

func (e errorString) Error() string { return string(e) }

// TestSpinner: on a terminal, a toolchain running for more than a second
// shows on a line of its own with its elapsed time, erased before the next
// status line; one running for less shows nothing.
func TestSpinner(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	p := New(&buf, Options{Terminal: true, Now: func() time.Time { return now }})
	p.Close() // stop the ticker; the test draws by hand
	p.Report(project.Event{Kind: project.Compiling, Member: "validator", Language: "rust"})
	p.Report(project.Event{Kind: project.Compiling, Member: "business", Language: "python"})
	p.mu.Lock()
	p.drawSpinner()
	p.mu.Unlock()
	if strings.Contains(buf.String(), "Building") {
		t.Fatalf("spinner shown before a second passed:\n%q", buf.String())
	}
	now = now.Add(12500 * time.Millisecond)
	p.mu.Lock()
	p.drawSpinner()
	p.mu.Unlock()
	p.Report(project.Event{Kind: project.Built, Member: "business", Language: "python"})
	p.Report(project.Event{Kind: project.Composing, Message: "service"})
	p.Close()
	want := "   Compiling validator (rust)\n" +
		"   Compiling business (python)\n" +
		"    Building ⠋ validator (rust) 12s, business (python) 12s" +
		"\r\x1b[2K   Composing service\n" +
		"    Building ⠋ validator (rust) 12s" +
		"\r\x1b[2K"
	if got := buf.String(); got != want {
		t.Errorf("terminal output:\n got %q\nwant %q", got, want)
	}
}

func TestDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0.00s"},
		{5 * time.Millisecond, "0.01s"},
		{580 * time.Millisecond, "0.58s"},
		{9994 * time.Millisecond, "9.99s"},
		{41234 * time.Millisecond, "41.2s"},
		{62 * time.Second, "1m 02s"},
		{9*time.Minute + 25*time.Second, "9m 25s"},
	} {
		if got := Duration(c.d); got != c.want {
			t.Errorf("Duration(%v) = %s, want %s", c.d, got, c.want)
		}
	}
}

// TestSpinnerWidth: a spinner line longer than the terminal is cut, since a
// line that wraps cannot be redrawn in place.
func TestSpinnerWidth(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	p := New(&buf, Options{Terminal: true, Width: 40, Now: func() time.Time { return now }})
	p.Close()
	for _, m := range []string{"validator", "business", "enricher"} {
		p.Report(project.Event{Kind: project.Compiling, Member: m, Language: "rust"})
	}
	buf.Reset()
	now = now.Add(3 * time.Second)
	p.mu.Lock()
	p.drawSpinner()
	p.mu.Unlock()
	got := buf.String()
	if want := "    Building ⠋ validator (rust) 3s, bu…"; got != want {
		t.Errorf("spinner line at width 40:\n got %q\nwant %q", got, want)
	}
}
