package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wcomp/wcomp/internal/status"
	"github.com/wcomp/wcomp/policy"
	"github.com/wcomp/wcomp/project"
)

// projectFlags are the flags every command that builds a project shares
// (build, run, graph), spelled as cargo spells them.
type projectFlags struct {
	jobs          int
	locked        bool
	offline       bool
	verbose       bool
	messageFormat string
	manifestPath  string
	insecure      bool
	noRemoteCache bool
	noShare       bool
}

func (f *projectFlags) add(fl *pflag.FlagSet) {
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "build at most N members at once (default: the number of CPUs)")
	fl.BoolVar(&f.locked, "locked", false, "fail if wcomp.lock would change (for CI)")
	fl.BoolVar(&f.offline, "offline", false, "never touch the network: use only what is vendored or cached")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "show each tool's command line and output, and why a member is rebuilt")
	fl.StringVar(&f.messageFormat, "message-format", "human", "how to print progress: human, or json (one object per event on stdout)")
	fl.BoolVar(&f.noShare, "no-share-modules", false, "embed every member whole, even core modules identical across members (default: [compose] share-modules, on)")
	fl.StringVar(&f.manifestPath, "manifest-path", "", "the component.toml to use (default: the one in this directory or the nearest parent)")
	fl.BoolVar(&f.noRemoteCache, "no-remote-cache", false, "neither read nor write the shared build cache ([cache] remote)")
	insecureFlag(fl, &f.insecure)
}

// check validates the flags before any work starts.
func (f *projectFlags) check() error {
	switch f.messageFormat {
	case "human", "json":
	default:
		return fmt.Errorf("--message-format %q: expected human or json", f.messageFormat)
	}
	if f.jobs < 0 {
		return fmt.Errorf("-j %d: expected a positive number of jobs", f.jobs)
	}
	return nil
}

// reporter is where a project command's events go: status lines on
// stderr, or JSON on stdout.
type reporter struct {
	project.Reporter
	close func()
	fail  func(error)
}

func (f *projectFlags) reporter(cmd *cobra.Command) *reporter {
	if f.messageFormat == "json" {
		j := status.NewJSON(cmd.OutOrStdout())
		return &reporter{Reporter: j, close: func() {}, fail: j.Error}
	}
	stderr := cmd.ErrOrStderr()
	dir, _ := os.Getwd()
	p := status.New(stderr, status.Options{
		Verbose: f.verbose, Color: useColor(stderr), Terminal: isTerminal(stderr), Dir: dir, Width: termWidth(stderr),
	})
	return &reporter{Reporter: p, close: p.Close, fail: func(error) {}}
}

// options are the project.Options the flags ask for.
func (f *projectFlags) options(r project.Reporter) project.Options {
	return project.Options{
		Jobs: f.jobs, Locked: f.locked, Offline: f.offline, NoShareModules: f.noShare,
		Reporter: r, Version: composeVersion(),
	}
}

// interruptible is the command's context, cancelled on Ctrl-C so that
// toolchains are stopped (the builder kills their process groups).
func interruptible(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	parent := cmd.Context()
	if parent == nil {
		parent = context.Background()
	}
	return signal.NotifyContext(parent, os.Interrupt)
}

// runWith loads the project the flags name and calls do with a context
// that Ctrl-C cancels and the options the flags ask for, reporting as they
// say. A failure exits 1, whatever its causes carry.
func (f *projectFlags) runWith(cmd *cobra.Command, do func(ctx context.Context, p *project.Project, opts project.Options) error) (*project.Project, error) {
	if err := f.check(); err != nil {
		return nil, err
	}
	p, err := project.Load(f.manifestPath)
	if err != nil {
		return nil, err
	}
	ctx, stop := interruptible(cmd)
	defer stop()
	r := f.reporter(cmd)
	opts := f.options(r)
	if err := f.connectRegistries(p, &opts); err != nil {
		r.close()
		return nil, err
	}
	err = do(ctx, p, opts)
	r.close()
	if err != nil {
		if ctx.Err() != nil {
			err = errors.New("interrupted: the build was stopped, toolchains included; target/ keeps what was finished")
		}
		var pe *project.PolicyError
		if f.messageFormat != "json" && errors.As(err, &pe) && pe.Report != nil {
			// The table says who brings in each capability and why it is
			// refused; the errors after it point at the rules.
			stderr := cmd.ErrOrStderr()
			io.WriteString(stderr, pe.Report.Table(policy.TableOptions{Color: useColor(stderr)}))
		}
		r.fail(err)
		return nil, exitOne{err}
	}
	return p, nil
}

// buildProject loads the project and builds it, reporting as the flags
// say. It is `wcomp build`, and the first half of `wcomp run`.
func buildProject(cmd *cobra.Command, f *projectFlags) (*project.Project, *project.Result, error) {
	var res *project.Result
	p, err := f.runWith(cmd, func(ctx context.Context, p *project.Project, opts project.Options) (err error) {
		res, err = p.Build(ctx, opts)
		return err
	})
	return p, res, err
}

// exitOne makes a failed build exit with 1, whatever its causes carry: a
// toolchain's exit status (cargo's 101) is not wcomp's. It keeps a list of
// errors a list, so each is printed on its own line.
type exitOne struct{ error }

func (e exitOne) ExitCode() int { return exitFailure }

func (e exitOne) Unwrap() []error {
	if l, ok := e.error.(interface{ Unwrap() []error }); ok {
		return l.Unwrap()
	}
	return []error{e.error}
}

// addProjectCommands adds the commands that work on a project, as a group
// of their own in the help.
func addProjectCommands(root *cobra.Command) {
	root.AddGroup(&cobra.Group{ID: "project", Title: "Work on a project (component.toml):"})
	for _, c := range []*cobra.Command{newBuildCmd(), newGraphCmd(), newUpdateCmd(), newAddCmd(), newInitCmd(), newNewCmd()} {
		c.GroupID = "project"
		root.AddCommand(c)
	}
}

func newBuildCmd() *cobra.Command {
	var f projectFlags
	cmd := &cobra.Command{
		Use:   "build [-j N] [--locked] [--offline] [-v] [--message-format human|json] [--manifest-path FILE]",
		Short: "Build every member of the project and compose them into one component",
		Long: `Build the project that component.toml describes into target/<name>.wasm.

Each member is built with its own toolchain (Rust, Python, JS, Go, or any
command), or taken prebuilt from a file, URL or registry; independent members
build in parallel. WIT dependencies are vendored into wit/deps and everything
is pinned in wcomp.lock. The members are then composed as [compose] (or the
WAC document it names) says, every link type-checked, and the result checked
against [target].

Under [capabilities], every member's imports are judged before anything is
written: a violation fails the build with the audit table and an error at the
rule that refuses it, naming the member and the capability; stubs and the
virtual environment the policy asks for are composed in (wcomp audit shows
the table of a build that succeeds).

A member is rebuilt only when what it reads changes: the files its watch
globs match, the WIT it builds against, its command or its toolchain. A build
with nothing to do runs no toolchain. Toolchain output is shown when a member
fails, or with -v. Two builds in one project take turns (target/wcomp/.lock).`,
		Example: `  wcomp build
  wcomp build -j 1 -v
  wcomp build --locked --offline          in CI, from a committed wcomp.lock
  wcomp build --message-format json | jq -c 'select(.event == "built")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, _, err := buildProject(cmd, &f)
			return err
		},
	}
	f.add(cmd.Flags())
	return cmd
}

// say prints one status line of a command's own (`     Running …`,
// `      Adding …`) in the build's style.
func say(w io.Writer, verb, text string) {
	status.New(w, status.Options{Color: useColor(w)}).Status(verb, text)
}

// termWidth is the width of the terminal w is, or 0.
func termWidth(w io.Writer) int {
	if file, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(file.Fd()); err == nil {
			return width
		}
	}
	return 0
}

// isTerminal reports whether w is a terminal, where progress is redrawn
// in place.
func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}
