package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/internal/mmapfile"
)

// runFlags are the flags of `wcomp run`.
type runFlags struct {
	invoke string
	dirs   []string
	env    []string
}

// newRunCmd builds `wcomp run`: run a wasi:cli/run component, or call one
// of its exports, in embedded Wasmtime.
func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run FILE.wasm [-- ARGS…]",
		Short: "Run a wasi:cli/run component, or --invoke one export",
		Long: `Run a component in embedded Wasmtime.

Without --invoke, the component's wasi:cli/run export is called with stdin,
stdout and stderr inherited; wcomp exits with the guest's exit code. With
--invoke 'name(args)', the export is called and its result printed as WAVE,
as ` + "`wasmtime run --invoke`" + ` does.

The guest sees no directories, no environment variables and no network unless
granted with --dir and --env.`,
		Example: `  wcomp run app.wasm -- --verbose input.txt
  wcomp run app.wasm --invoke 'handle("order-42")'
  wcomp run app.wasm --dir ./data::/data --env LOG=debug`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRun(cmd, args[0], args[1:], f)
		},
	}
	cmd.Flags().StringVar(&f.invoke, "invoke", "", "call this export, e.g. 'add(1, 2)', and print the result as WAVE")
	cmd.Flags().StringArrayVar(&f.dirs, "dir", nil, "grant a host directory as HOST::GUEST (or DIR for the same path; repeatable)")
	cmd.Flags().StringArrayVar(&f.env, "env", nil, "set a guest environment variable K=V (repeatable)")
	return cmd
}

// runExitError carries a guest's non-zero exit code to the CLI's exit.
type runExitError struct{ code int }

func (e *runExitError) Error() string { return fmt.Sprintf("guest exited with code %d", e.code) }

// ExitCode is the process exit code the CLI should use.
func (e *runExitError) ExitCode() int { return e.code }

func runRun(cmd *cobra.Command, path string, guestArgs []string, f runFlags) error {
	file, err := mmapfile.Open(path)
	if err != nil {
		return fmt.Errorf("reading component: %w", err)
	}
	defer file.Close()
	wasm := file.Bytes()
	opts := host.RunOptions{
		Args:   append([]string{memberName(path)}, guestArgs...),
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
	}
	for _, kv := range f.env {
		if !strings.Contains(kv, "=") {
			return fmt.Errorf("--env %q: expected K=V", kv)
		}
		opts.Env = append(opts.Env, kv)
	}
	for _, d := range f.dirs {
		hostDir, guest, ok := strings.Cut(d, "::")
		if !ok {
			guest = hostDir
		}
		if hostDir == "" || guest == "" {
			return fmt.Errorf("--dir %q: expected HOST::GUEST", d)
		}
		if st, err := os.Stat(hostDir); err != nil || !st.IsDir() {
			return fmt.Errorf("--dir %q: %s is not a directory", d, hostDir)
		}
		opts.Dirs = append(opts.Dirs, host.DirGrant{Host: hostDir, Guest: guest})
	}
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
	if f.invoke != "" {
		out, err := eng.Invoke(ctx, wasm, f.invoke, opts)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		fmt.Fprintln(cmd.OutOrStdout(), out)
		return nil
	}
	code, err := eng.Run(ctx, wasm, opts)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if code != 0 {
		return &runExitError{code: code}
	}
	return nil
}
