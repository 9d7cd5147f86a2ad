package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/host"
)

// addProjectRun teaches `wcomp run` cargo's form: with no FILE.wasm (or
// only `-- ARGS`), it builds the project first, when anything changed, and
// runs target/<name>.wasm with [run]'s args, env and dirs, then the
// command line's.
func addProjectRun(cmd *cobra.Command, rf *runFlags) {
	var pf projectFlags
	pf.add(cmd.Flags())
	runFile := cmd.RunE
	cmd.Use = "run [FILE.wasm] [-- ARGS…]"
	cmd.Long += `

Without FILE.wasm, wcomp run builds the project first (as wcomp build does,
and only what changed), then runs target/<name>.wasm with component.toml's
[run] args, env and dirs; ARGS, --env and --dir are added to them. Under
component.toml's [capabilities], what the component imports must be allowed
there (--allow and --deny can only narrow it), and wasi:http is linked without
--http when the component imports it and the policy allows it.`
	cmd.Example = "  wcomp run                      build the project, then run it\n  wcomp run -- --verbose input.txt\n" + cmd.Example
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		dash := cmd.ArgsLenAtDash()
		if len(args) > 0 && dash != 0 {
			return runFile(cmd, args)
		}
		return runProject(cmd, args, rf, &pf)
	}
}

func runProject(cmd *cobra.Command, guestArgs []string, rf *runFlags, pf *projectFlags) error {
	p, res, err := buildProject(cmd, pf)
	if err != nil {
		return err
	}
	file, err := openInput(res.Path)
	if err != nil {
		return err
	}
	grants, err := p.RunGrants(file.Bytes())
	file.Close()
	if err != nil {
		return err
	}
	opts, err := runOptions(cmd, res.Path, append(grants.Args, guestArgs...), *rf)
	if err != nil {
		return err
	}
	opts.Env = append(grants.Env, opts.Env...)
	var dirs []host.DirGrant
	for _, d := range grants.Dirs {
		dirs = append(dirs, host.DirGrant{Host: d.Host, Guest: d.Guest, ReadOnly: d.ReadOnly})
	}
	opts.Dirs = append(dirs, opts.Dirs...)
	// component.toml's policy decides what reaches the host, and the
	// flags' --allow/--deny can only narrow it.
	opts.HTTP = opts.HTTP || grants.HTTP
	if check := grants.CheckImport; check != nil {
		flags := opts.CheckImport
		opts.CheckImport = func(name string) error {
			if err := check(name); err != nil {
				return fmt.Errorf("%w (component.toml [capabilities])", err)
			}
			if flags != nil {
				return flags(name)
			}
			return nil
		}
	}
	if pf.messageFormat != "json" {
		shown := res.Path
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, res.Path); err == nil && !strings.HasPrefix(rel, "..") {
				shown = rel
			}
		}
		say(cmd.ErrOrStderr(), "Running", "`"+shown+"`")
	}
	return runComponent(cmd, res.Path, opts, rf.invoke)
}
