package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/mmapfile"
)

// Exit codes: 0 success, 1 the command failed, 2 the command line was
// wrong. A command may ask for another code with an error that has an
// ExitCode method (`wcomp run` passes on the guest's exit code).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// Run executes wcomp with args (without the program name) and returns the
// process exit code. Errors are printed as one line, `error: …`, on
// stderr; nothing, not even a panic, escapes as a stack trace.
func Run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "error: internal error (a bug in wcomp, please report it): %v\n", r)
			code = exitFailure
		}
	}()
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var failed *commandError
	if !errors.As(err, &failed) {
		fmt.Fprintf(stderr, "error: %s\n\nRun 'wcomp --help' for usage.\n", oneLine(err.Error()))
		return exitUsage
	}
	// A list of errors (graph.ErrorList, errors.Join) prints one per line,
	// so each is still one line a user can read.
	if list, ok := failed.err.(interface{ Unwrap() []error }); ok {
		for _, e := range list.Unwrap() {
			printError(stderr, e)
		}
	} else {
		printError(stderr, failed.err)
	}
	var withCode interface{ ExitCode() int }
	if errors.As(failed.err, &withCode) {
		return withCode.ExitCode()
	}
	return exitFailure
}

// commandError marks an error returned by a command's own work, as opposed
// to cobra's errors about the command line (unknown command or flag, wrong
// number of arguments), which exit with exitUsage.
type commandError struct{ err error }

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "wcomp",
		Short: "Build, inspect and compose WebAssembly components",
		Long: `wcomp is a build tool for WebAssembly components (WASI 0.2, the Component Model).

In a project (component.toml), wcomp build builds every member with its own
toolchain and composes them into one component; wcomp run runs it. It also
reads component binaries directly: inspect what a component imports and
exports, print its world as WIT, compose components into one, and run them.`,
		Example: `  wcomp build                     build the project in this directory
  wcomp run                       build it if needed, then run it
  wcomp inspect app.wasm          show imports and exports as a table
  wcomp inspect app.wasm --json   the same, as JSON
  wcomp wit app.wasm              print the component's world as WIT
  wcomp compose app.wasm --plug lib.wasm -o out.wasm
  wcomp run out.wasm`,
		Version:       buildVersion(),
		SilenceErrors: true,
		SilenceUsage:  true,
		CompletionOptions: cobra.CompletionOptions{
			HiddenDefaultCmd: true,
		},
	}
	root.SetVersionTemplate("wcomp {{.Version}}\n")
	root.Flags().BoolP("version", "V", false, "print the version and exit")
	root.PersistentFlags().BoolP("help", "h", false, "print help")
	root.AddGroup(
		&cobra.Group{ID: "look", Title: "Look inside a component:"},
		&cobra.Group{ID: "build", Title: "Compose and run:"},
	)
	for _, c := range []*cobra.Command{newInspectCmd(), newWitCmd(), newAuditCmd()} {
		c.GroupID = "look"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newComposeCmd(), newRunCmd()} {
		c.GroupID = "build"
		root.AddCommand(c)
	}
	root.AddCommand(newPublishCmd(), newPushCmd(), newPullCmd(), newLoginCmd(), newLogoutCmd())
	addProjectCommands(root)
	markCommandErrors(root)
	return root
}

// markCommandErrors wraps every command's RunE so that its errors are
// told apart from command-line errors.
func markCommandErrors(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if err := run(cmd, args); err != nil {
				return &commandError{err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markCommandErrors(sub)
	}
}

// buildVersion is the module version wcomp was built at, with the VCS
// revision when built from a checkout.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " (" + rev + dirty + ")"
	}
	return v
}

// oneFile accepts exactly one argument, the component file, with a
// message that says so.
func oneFile(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return fmt.Errorf("'wcomp %s' needs a component file: wcomp %s", cmd.Name(), cmd.Use)
	case len(args) > 1:
		return fmt.Errorf("'wcomp %s' takes one component file, got %d arguments", cmd.Name(), len(args))
	}
	return nil
}

// decodeComponentFile reads and decodes a component binary. Every error
// starts with the file's path, so that the one line the user sees names it.
func decodeComponentFile(path string) (ct *component.ComponentType, release func(), err error) {
	ct, _, release, err = mapComponentFile(path)
	return ct, release, err
}

// mapComponentFile is decodeComponentFile that also returns the file's
// bytes, valid until release.
func mapComponentFile(path string) (ct *component.ComponentType, data []byte, release func(), err error) {
	// The file is memory-mapped: decoding reads only its component-level
	// sections, so the pages of an 18 MB module's code are never touched.
	// The map stays open until release, since the decoded model may point
	// into it.
	m, err := mmapfile.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is added below, once
		}
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	release = func() { m.Close() }
	ct, err = component.DecodeType(m.Bytes())
	if err != nil {
		release()
		return nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return ct, m.Bytes(), release, nil
}

// oneLine keeps an error message on one line.
// printError prints one error as its one line, then, for an error about a
// place in a source file (a WAC document), the source excerpt under it.
func printError(w io.Writer, err error) {
	fmt.Fprintf(w, "error: %s\n", oneLine(err.Error()))
	var src interface{ Source() string }
	if errors.As(err, &src) {
		if s := src.Source(); s != "" {
			fmt.Fprintln(w, s)
		}
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}
