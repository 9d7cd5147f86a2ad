package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/wit"
)

func newWitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "wit FILE",
		Short: "Print a component's imports and exports as WIT",
		Long: `Print the world of a component binary as WIT: the imports and exports, then each
package the world uses, with its interfaces, types and resources.

The output has the same shape as 'wasm-tools component wit FILE'. A binary does
not record its package or world name, so they print as root:component and root.`,
		Example: `  wcomp wit app.wasm
  wcomp wit app.wasm > app.wit`,
		Args: oneFile,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWit(cmd.OutOrStdout(), args[0])
		},
	}
}

func runWit(stdout io.Writer, path string) error {
	ct, release, err := decodeComponentFile(path)
	if err != nil {
		return err
	}
	defer release()
	text, err := wit.Print(ct, wit.Options{})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	_, err = io.WriteString(stdout, text)
	return err
}
