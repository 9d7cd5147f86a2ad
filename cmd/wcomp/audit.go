package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/inspect"
	"github.com/wcomp/wcomp/internal/mmapfile"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/policy"
	"github.com/wcomp/wcomp/project"
)

// addPolicyFlags registers the policy flags shared by the commands that
// take a policy.
func addPolicyFlags(cmd *cobra.Command, f *policy.Flags) {
	cmd.Flags().StringArrayVar(&f.Allow, "allow", nil, "allow imports matching PATTERN; any --allow denies what no --allow matches (repeatable)")
	cmd.Flags().StringArrayVar(&f.Deny, "deny", nil, "deny imports matching PATTERN (repeatable)")
	cmd.Flags().StringArrayVar(&f.Stub, "stub", nil, "deny imports matching PATTERN and replace them with generated stubs (repeatable)")
	cmd.Flags().StringArrayVar(&f.Grants, "grant", nil, "let MEMBER bring in only what PATTERNs match: MEMBER=PATTERN[,PATTERN...] (repeatable)")
	cmd.Flags().StringArrayVar(&f.VirtualEnv, "virtual-env", nil, "provide a virtual wasi:cli/environment with KEY=VALUE (repeatable)")
	cmd.Flags().StringArrayVar(&f.VirtualArgs, "virtual-arg", nil, "an argument of the virtual wasi:cli/environment (repeatable)")
	cmd.Flags().StringVar(&f.VirtualCwd, "virtual-cwd", "", "the working directory the virtual wasi:cli/environment reports")
}

func newAuditCmd() *cobra.Command {
	var (
		f      policy.Flags
		pf     projectFlags
		asJSON bool
		name   string
	)
	cmd := &cobra.Command{
		Use:   "audit [FILE]",
		Short: "Show every capability a component asks for, who asks, and what a policy says",
		Long: `Show every import of a component (composed by wcomp or by anyone) as a
capability: its version, the members that bring it in, and its status under the
policy given by flags: allowed, denied, stubbed or virtual.

Members are the nested components the file instantiates, named from its name
section; a member that is itself a composition is shown as a path (mid → enricher).
A member that needs an interface only because another interface uses its types
is shown as "(types of ...)". Interfaces that stubs or a virtual environment
composed into the file already provide are listed too.

Without FILE, wcomp audit audits the project: it builds it first, as wcomp
build does (only what changed), and shows what its members ask for under
component.toml's [capabilities] and the members' grants, each capability with
the members that bring it in, by their names in component.toml. A build the
policy refuses is shown too: its table is the audit.

PATTERN is * , NAMESPACE:* , NS:PACKAGE/* , NS:PACKAGE/INTERFACE or a plain name,
optionally with @REQUIREMENT (cargo syntax): wasi:http/outgoing-handler@0.2.x.
The most specific pattern wins; a tie goes to deny.

wcomp audit exits with status 1 if the policy denies any import, naming the
member and the capability.`,
		Example: `  wcomp audit                      the project, under component.toml's [capabilities]
  wcomp audit --json
  wcomp audit app.wasm
  wcomp audit app.wasm --allow 'wasi:*' --deny 'wasi:sockets/*' --stub 'wasi:http/*'
  wcomp audit app.wasm --allow 'wasi:*' --grant enricher='wasi:cli/*,wasi:io/*'
  wcomp audit app.wasm --json | jq '.imports[] | select(.status == "denied")'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				if !f.IsZero() || name != "" {
					return errors.New("wcomp audit without FILE audits the project under component.toml's [capabilities]; --allow, --deny, --stub, --grant, --virtual-* and --name apply to a FILE")
				}
				return runProjectAudit(cmd, &pf, asJSON)
			}
			return runAudit(cmd.OutOrStdout(), args[0], name, f, asJSON)
		},
	}
	addPolicyFlags(cmd, &f)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().StringVar(&name, "name", "", "the component's name in paths (default: the file's stem)")
	pf.add(cmd.Flags())
	return cmd
}

func runAudit(stdout io.Writer, path, name string, f policy.Flags, asJSON bool) error {
	p, err := f.Policy()
	if err != nil {
		return err
	}
	m, err := openInput(path)
	if err != nil {
		return err
	}
	defer m.Close()
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	c, trace, err := policy.FromComponent(m.Bytes(), name, name)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	report, err := policy.Check(c, p)
	if err != nil {
		return err
	}
	report.AddProvided(trace)
	if report.Shared, err = inspect.SharedOf(m.Bytes()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := printReport(stdout, report, asJSON); err != nil {
		return err
	}
	return report.Err()
}

// runProjectAudit builds the project (as cargo clippy does before it
// judges) and prints the audit of its composition. The build's status
// lines go to stderr, the table (or JSON) to stdout.
func runProjectAudit(cmd *cobra.Command, pf *projectFlags, asJSON bool) error {
	if asJSON && pf.messageFormat == "json" {
		return errors.New("--json and --message-format json both print to stdout: use --json for the audit, and read the build's events separately")
	}
	var a *project.Audit
	_, err := pf.runWith(cmd, func(ctx context.Context, p *project.Project, opts project.Options) (err error) {
		a, err = p.Audit(ctx, opts)
		return err
	})
	if manifest.IsNotFound(err) {
		return fmt.Errorf("wcomp audit audits a component file (wcomp audit FILE) or, without one, the project: %w", err)
	}
	if err != nil {
		return err
	}
	if a.Result != nil {
		if err := addShared(a.Report, a.Result.Path); err != nil {
			return err
		}
	}
	if err := printReport(cmd.OutOrStdout(), a.Report, asJSON); err != nil {
		return err
	}
	if a.Violation != nil {
		return exitOne{a.Violation}
	}
	return nil
}

// addShared adds to report what the built file at path stores once.
func addShared(report *policy.Report, path string) error {
	m, err := openInput(path)
	if err != nil {
		return err
	}
	defer m.Close()
	if report.Shared, err = inspect.SharedOf(m.Bytes()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// printReport prints an audit as its table or JSON.
func printReport(w io.Writer, report *policy.Report, asJSON bool) error {
	if asJSON {
		js, err := report.JSON()
		if err != nil {
			return err
		}
		_, err = w.Write(js)
		return err
	}
	table := report.Table(policy.TableOptions{Color: useColor(w)})
	if report.Shared != nil {
		table += report.Shared.Line() + "\n"
	}
	_, err := io.WriteString(w, table)
	return err
}

// openInput memory-maps an input file; its error starts with the path,
// once.
func openInput(path string) (*mmapfile.File, error) {
	m, err := mmapfile.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is added here, once
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
