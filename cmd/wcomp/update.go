package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/project"
	"github.com/wcomp/wcomp/resolve"
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
			var changes []resolve.Change
			p, err := f.runWith(cmd, func(ctx context.Context, p *project.Project, opts project.Options) (err error) {
				opts.Update, opts.UpdateAll = args, len(args) == 0
				changes, err = p.Update(ctx, opts)
				return err
			})
			if err != nil {
				return err
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
	insecureFlag(fl, &f.insecure)
	return cmd
}
