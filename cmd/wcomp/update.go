package main

import (
	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/project"
)

func newUpdateCmd() *cobra.Command {
	var f projectFlags
	cmd := &cobra.Command{
		Use:   "update [NAME…]",
		Short: "Re-resolve WIT dependencies and components, and update wcomp.lock",
		Long: `Resolve the project's WIT dependencies and prebuilt components afresh, as
cargo update does: each takes the highest version its requirement in
component.toml allows, whatever wcomp.lock pinned. With NAMEs (a WIT package
such as wasi:cli, or a member), only those are re-resolved. What changed is
vendored into wit/deps and written to wcomp.lock; nothing is built.`,
		Example: `  wcomp update
  wcomp update wasi:cli`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			p, err := project.Load(f.manifestPath)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd)
			defer stop()
			r := f.reporter(cmd)
			opts := f.options(r)
			opts.Update, opts.UpdateAll = args, len(args) == 0
			changes, err := p.Update(ctx, opts)
			r.close()
			if err != nil {
				r.fail(err)
				return exitOne{err}
			}
			if f.messageFormat == "human" && len(changes) == 0 {
				say(cmd.ErrOrStderr(), "Locking", "nothing to update: "+p.Rel(p.LockPath())+" is current")
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.offline, "offline", false, "never touch the network: use only what is vendored or cached")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "say more")
	fl.StringVar(&f.messageFormat, "message-format", "human", "how to print progress: human, or json")
	fl.StringVar(&f.manifestPath, "manifest-path", "", "the component.toml to use")
	return cmd
}
