package builder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// StepError is a tool of a build that failed: it exited non-zero, could
// not start, or was stopped by cancellation. Its output is in the
// enclosing BuildError.
type StepError struct {
	Argv     []string
	Dir      string
	ExitCode int // -1 when the tool did not exit by itself
	Err      error
}

func (e *StepError) Error() string {
	cmd := quoteArgv(e.Argv)
	if e.ExitCode > 0 {
		return fmt.Sprintf("`%s` exited with code %d", cmd, e.ExitCode)
	}
	return fmt.Sprintf("`%s`: %v", cmd, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// quoteArgv renders an argument vector for a message, quoting what a
// shell would split.
func quoteArgv(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts[i] = a
	}
	return strings.Join(parts, " ")
}

// job is one member's build in progress: its spec, environment and the
// toolchain output captured so far.
type job struct {
	b    *Builder
	spec *Spec
	env  environ

	mu     sync.Mutex
	output bytes.Buffer
}

// Write collects tool output (stdout and stderr interleaved) and passes
// each complete line to the progress callback for -v.
func (j *job) Write(p []byte) (int, error) {
	j.mu.Lock()
	start := j.output.Len()
	j.output.Write(p)
	var lines []string
	if j.b.opts.Progress != nil {
		// Lines completed by this write: from the last newline before
		// start to the last newline now.
		all := j.output.Bytes()
		from := bytes.LastIndexByte(all[:start], '\n') + 1
		to := bytes.LastIndexByte(all, '\n')
		if to >= from {
			lines = strings.Split(string(all[from:to]), "\n")
		}
	}
	j.mu.Unlock()
	for _, l := range lines {
		j.emit(Event{Kind: EventOutput, Message: l})
	}
	return len(p), nil
}

// envWith is the environment for a tool: the builder's, then the
// toolchain's settings (key, value pairs), then the member's build.env,
// which has the last word.
func (j *job) envWith(kv ...string) environ {
	e := j.b.env
	for i := 0; i+1 < len(kv); i += 2 {
		e = e.with(kv[i], kv[i+1])
	}
	return e.withAll(j.spec.Env)
}

func (j *job) capturedOutput() []byte {
	j.mu.Lock()
	defer j.mu.Unlock()
	return bytes.Clone(j.output.Bytes())
}

func (j *job) emit(ev Event) {
	if j.b.opts.Progress == nil {
		return
	}
	ev.Member = j.spec.Name
	ev.Language = j.spec.Language
	j.b.opts.Progress(ev)
}

// run runs one tool in dir with env, its output going to the job. The
// tool gets a process group of its own, so cancelling ctx stops it and
// everything it started (cargo's rustc processes, a shell's children).
func (j *job) run(ctx context.Context, dir string, env environ, argv ...string) error {
	return j.runTo(ctx, j, dir, env, argv...)
}

// runTo is run with the tool's standard output sent to stdout instead (for
// tools whose output is data, such as cargo metadata); standard error
// still goes to the job.
func (j *job) runTo(ctx context.Context, stdout interface{ Write([]byte) (int, error) }, dir string, env environ, argv ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	path, ok := env.lookPath(argv[0])
	if !ok {
		return &StepError{Argv: argv, Dir: dir, ExitCode: -1, Err: fmt.Errorf("%s not found on PATH", argv[0])}
	}
	j.emit(Event{Kind: EventRunning, Message: quoteArgv(argv)})
	cmd := exec.CommandContext(ctx, path, argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	cmd.Stdout = stdout
	cmd.Stderr = j
	ownProcessGroup(cmd)
	// After the interrupt, give the group a moment to clean up (cargo
	// removes its lock files) before Wait stops waiting for its pipes.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		// Only on cancellation: a finished build may leave a daemon
		// (sccache, a compile server) that is not ours to stop.
		killProcessGroup(cmd)
		return &StepError{Argv: argv, Dir: dir, ExitCode: -1, Err: ctx.Err()}
	}
	if err == nil {
		return nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() > 0 {
		return &StepError{Argv: argv, Dir: dir, ExitCode: exit.ExitCode(), Err: err}
	}
	return &StepError{Argv: argv, Dir: dir, ExitCode: -1, Err: err}
}

// outputOf runs a tool and returns its standard output, for probes and
// queries (versions, cargo metadata). Standard error goes to the job.
func (j *job) outputOf(ctx context.Context, dir string, env environ, argv ...string) ([]byte, error) {
	var out bytes.Buffer
	err := j.runTo(ctx, &out, dir, env, argv...)
	return out.Bytes(), err
}
