package builder

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestCommandMember(t *testing.T) {
	p := newProject(t)
	p.write("app/small.wasm", string(smallComponent(t)))
	p.write("app/Makefile", "all:\n")
	spec := Spec{
		Name: "app", Language: Shell, Dir: filepath.Join(p.root, "app"),
		Command:  Command{Script: `mkdir -p out && cp small.wasm out/app.wasm && echo "built with $MODE"`},
		Env:      map[string]string{"MODE": "release"},
		Artifact: "out/app.wasm",
	}
	var mu sync.Mutex
	var events []string
	b := p.builder(func(o *Options) {
		o.Progress = func(ev Event) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, ev.Kind.String()+" "+ev.Message)
		}
	})
	res := mustBuild(t, b, spec)
	if got := string(res.Output); got != "built with release\n" {
		t.Errorf("captured output %q", got)
	}
	wantEvents := []string{
		"compiling never built",
		`running sh -c 'mkdir -p out && cp small.wasm out/app.wasm && echo "built with $MODE"'`,
		"output built with release",
		"finished ",
	}
	if strings.Join(events, "\n") != strings.Join(wantEvents, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(events, "\n"), strings.Join(wantEvents, "\n"))
	}
	// The artifact is the command's output, not its input: rebuilding
	// it leaves the member fresh.
	if again := mustBuild(t, b, spec); !again.Fresh {
		t.Error("second build not fresh")
	}
	p.write("app/Makefile", "all: x\n")
	if again := mustBuild(t, b, spec); again.Fresh {
		t.Error("editing a file under ** left the member fresh")
	}

	// A failing command: its output travels with the error.
	spec.Command = Command{Argv: []string{"sh", "-c", "echo 'error: no rule' >&2; exit 3"}}
	_, err := b.Build(context.Background(), spec)
	var be *BuildError
	if !errors.As(err, &be) {
		t.Fatalf("Build: %v, want a *BuildError", err)
	}
	if want := "member app (command): `sh -c 'echo '\\''error: no rule'\\'' >&2; exit 3'` exited with code 3"; err.Error() != want {
		t.Errorf("error:\n got %s\nwant %s", err, want)
	}
	if string(be.Output) != "error: no rule\n" {
		t.Errorf("output %q", be.Output)
	}

	// A command that writes nothing.
	spec.Command = Command{Argv: []string{"true"}}
	spec.Artifact = "out/none.wasm"
	_, err = b.Build(context.Background(), spec)
	if err == nil || !strings.Contains(err.Error(), "the build left no artifact") {
		t.Errorf("no artifact: %v", err)
	}
}

// TestCancelKillsProcessGroup starts a build whose command runs a child
// in the background, cancels it, and checks that Build returns at once
// and that the child is gone too.
func TestCancelKillsProcessGroup(t *testing.T) {
	p := newProject(t)
	pidFile := filepath.Join(p.root, "child.pid")
	spec := Spec{
		Name: "app", Language: Shell, Dir: filepath.Join(p.root, "app"),
		Command:  Command{Script: "sleep 60 & echo $! > " + pidFile + "; wait"},
		Artifact: "out.wasm",
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := p.builder(nil).Build(ctx, spec)
		done <- err
	}()
	var pid int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if data, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(data), "\n") {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
			break
		}
	}
	if pid == 0 {
		t.Fatal("the command did not start its child")
	}
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Build after cancel: %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Build did not return within 10s of cancellation")
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("Build took %v to return after cancellation", d)
	}
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			break
		}
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("the command's child survived cancellation")
		}
	}
}

// TestParallelMembers builds several members at once with one Builder.
func TestParallelMembers(t *testing.T) {
	p := newProject(t)
	p.write("small.wasm", string(smallComponent(t)))
	b := p.builder(nil)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		name := "m" + strconv.Itoa(i)
		dir := filepath.Join(p.root, name)
		os.MkdirAll(dir, 0o755)
		spec := Spec{Name: name, Language: Shell, Dir: dir, Command: Command{Argv: []string{"cp", filepath.Join(p.root, "small.wasm"), "c.wasm"}}, Artifact: "c.wasm"}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = b.Build(context.Background(), spec)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("member m%d: %v", i, err)
		}
		if _, err := os.Stat(b.OutputPath("m" + strconv.Itoa(i))); err != nil {
			t.Error(err)
		}
	}
}
