package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/host"
	"github.com/wcomp/wcomp/manifest"
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
[run] args, env and dirs; ARGS, --env and --dir are added to them.`
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
	run := &p.Manifest.Run
	args := append(run.Args.Strings(), guestArgs...)
	opts, err := runOptions(cmd, res.Path, args, *rf)
	if err != nil {
		return err
	}
	var env []string
	for _, e := range run.Env.Entries {
		env = append(env, e.Key+"="+e.Value.Value)
	}
	opts.Env = append(env, opts.Env...)
	var dirs []host.DirGrant
	for _, d := range run.Dirs {
		hostDir := d.Host
		if !filepath.IsAbs(hostDir) {
			hostDir = filepath.Join(p.Dir, hostDir)
		}
		if st, err := os.Stat(hostDir); err != nil || !st.IsDir() {
			return manifest.Errorf(d.Text.Pos, "run.dirs", "%s: %s is not a directory", d.Text.Value, hostDir)
		}
		dirs = append(dirs, host.DirGrant{Host: hostDir, Guest: d.Guest, ReadOnly: d.ReadOnly})
	}
	opts.Dirs = append(dirs, opts.Dirs...)
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
