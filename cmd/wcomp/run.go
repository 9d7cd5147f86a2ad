package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/dirgrant"
	"github.com/wcomp/wcomp/policy"
)

// runFlags are the flags of `wcomp run`.
type runFlags struct {
	invoke string
	dirs   []string
	env    []string
	http   bool
	allow  []string
	deny   []string
}

// newRunCmd builds `wcomp run`: run a wasi:cli/run component, or call one
// of its exports, in embedded Wasmtime.
func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run FILE.wasm [-- ARGS…]",
		Short: "Run a wasi:cli/run component, or --invoke one export",
		Long: `Run a component in embedded Wasmtime (WASI 0.2).

Without --invoke, the component's wasi:cli/run export is called with stdin,
stdout and stderr inherited and ARGS as its arguments; wcomp exits with the
guest's exit code. With --invoke 'name(args)', the export is called and its
result printed as WAVE, as ` + "`wasmtime run --invoke`" + ` does.

The guest is sandboxed: it sees no directories, no environment variables and
no network unless granted.
  --dir HOST::GUEST[:ro]  grant a directory (read-only with :ro)
  --env         grant environment variables, as wasmtime run's flag does
  --allow, --deny  a capability policy: a component that imports what it
                does not allow is not instantiated, and the error names the
                import and the rule
  --http        link wasi:http (as ` + "`wasmtime run -S http`" + `): the guest may then
                send HTTP requests to any host
wasi:sockets is always linked, but every bind and connect is refused and
ip-name-lookup is disabled; the embedded Wasmtime offers no way to grant them.
With --deny 'wasi:sockets/*' a component that imports them is not run at all.`,
		Example: `  wcomp run app.wasm -- --verbose input.txt
  wcomp run app.wasm --invoke 'handle("order-42")'
  wcomp run app.wasm --dir ./data::/data --env LOG=debug
  wcomp run app.wasm --http
  wcomp run app.wasm --dir ./assets::/assets:ro --allow 'wasi:cli/*' --allow 'wasi:io/*' --allow 'wasi:filesystem/*'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, args[0], args[1:], f)
		},
	}
	cmd.Flags().StringVar(&f.invoke, "invoke", "", "call this export, e.g. 'add(1, 2)', and print the result as WAVE")
	cmd.Flags().StringArrayVar(&f.dirs, "dir", nil, "grant a host directory as HOST::GUEST (or DIR for the same path; repeatable)")
	cmd.Flags().StringArrayVar(&f.env, "env", nil, "set a guest environment variable K=V, or K to pass on wcomp's own (repeatable)")
	cmd.Flags().BoolVar(&f.http, "http", false, "link wasi:http, letting the guest send HTTP requests to any host")
	cmd.Flags().StringArrayVar(&f.allow, "allow", nil, "refuse to run a component that imports anything no --allow PATTERN matches (repeatable)")
	cmd.Flags().StringArrayVar(&f.deny, "deny", nil, "refuse to run a component that imports what PATTERN matches (repeatable)")
	addProjectRun(cmd, &f)
	return cmd
}

// runExitError carries a guest's non-zero exit code to the CLI's exit.
type runExitError struct{ code int }

func (e *runExitError) Error() string { return fmt.Sprintf("guest exited with code %d", e.code) }

// ExitCode is the process exit code the CLI should use.
func (e *runExitError) ExitCode() int { return e.code }

func runRun(cmd *cobra.Command, path string, guestArgs []string, f runFlags) error {
	opts, err := runOptions(cmd, path, guestArgs, f)
	if err != nil {
		return err
	}
	return runComponent(cmd, path, opts, f.invoke)
}

// runComponent runs the component at path with opts, or calls invoke on
// it when that is set.
func runComponent(cmd *cobra.Command, path string, opts host.RunOptions, invoke string) error {
	file, err := openInput(path)
	if err != nil {
		return err
	}
	defer file.Close()
	wasm := file.Bytes()

	parent := cmd.Context()
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt)
	defer stop()
	eng, err := host.NewEngine(host.Options{})
	if err != nil {
		return err
	}
	defer eng.Close()
	if invoke != "" {
		out, err := eng.Invoke(ctx, wasm, invoke, opts)
		if err != nil {
			return runError(path, err)
		}
		fmt.Fprintln(cmd.OutOrStdout(), out)
		return nil
	}
	code, err := eng.Run(ctx, wasm, opts)
	if err != nil {
		return runError(path, err)
	}
	if code != 0 {
		return &runExitError{code: code}
	}
	return nil
}

// runOptions turns the command line into the guest's WASI environment. The
// guest writes to the command's stdout and stderr, which are the process's
// own (inherited directly) unless a caller such as a test replaced them.
func runOptions(cmd *cobra.Command, path string, guestArgs []string, f runFlags) (host.RunOptions, error) {
	opts := host.RunOptions{
		// argv[0] is the file's base name, as wasmtime gives it, so the
		// guest does not learn the host's directory layout.
		Args:   append([]string{filepath.Base(path)}, guestArgs...),
		Stdin:  cmd.InOrStdin(),
		Stdout: cmd.OutOrStdout(),
		Stderr: cmd.ErrOrStderr(),
		HTTP:   f.http,
	}
	for _, kv := range f.env {
		name, _, hasValue := strings.Cut(kv, "=")
		if name == "" {
			return opts, fmt.Errorf("--env %q: expected K=V or K", kv)
		}
		if !hasValue {
			value, ok := os.LookupEnv(name)
			if !ok {
				continue // as wasmtime: an unset variable is not passed on
			}
			kv = name + "=" + value
		}
		opts.Env = append(opts.Env, kv)
	}
	for _, d := range f.dirs {
		g, err := dirgrant.Parse(d)
		if err != nil {
			return opts, fmt.Errorf("--dir %q: %w", d, err)
		}
		if st, err := os.Stat(g.Host); err != nil || !st.IsDir() {
			return opts, fmt.Errorf("--dir %q: %s is not a directory", d, g.Host)
		}
		opts.Dirs = append(opts.Dirs, host.DirGrant{Host: g.Host, Guest: g.Guest, ReadOnly: g.ReadOnly})
	}
	p, err := policy.Flags{Allow: f.allow, Deny: f.deny}.Policy()
	if err != nil {
		return opts, err
	}
	if p != nil {
		opts.CheckImport = p.CheckImport
	}
	return opts, nil
}

// runError names the file and, where the fix is a flag of this command,
// says which.
func runError(path string, err error) error {
	var noHTTP *host.HTTPNotGrantedError
	var notGranted *host.NotGrantedError
	switch {
	case errors.As(err, &notGranted):
		return fmt.Errorf("%s: %w", path, notGranted)
	}
	if iface, fn, ok := policy.DeniedCall(err.Error()); ok {
		return fmt.Errorf("%s: the component called %s of %s, a capability the policy denied when it was composed (a deny-stub traps in its place): %w", path, fn, iface, err)
	}
	switch {
	case errors.As(err, &noHTTP):
		return fmt.Errorf("%s: component imports %s; run with --http to grant it", path, noHTTP.Import)
	case errors.Is(err, host.ErrNotCommand):
		return fmt.Errorf("%s: %w; use --invoke 'name(args)' to call one of its functions", path, err)
	}
	return fmt.Errorf("%s: %w", path, err)
}
