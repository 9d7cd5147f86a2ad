package main

import (
	"fmt"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/inspect"
)

func newInspectCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "Show what a component imports and exports",
		Long: `Show every import and export of a component binary: its kind (instance, func,
type, component, module, value), its name and version, and a short summary of
its type.

Colour is used on a terminal; set NO_COLOR to turn it off. With --json the
summary is printed as JSON, with each interface name split into namespace,
package, interface and version, and the members of each instance listed.`,
		Example: `  wcomp inspect app.wasm
  wcomp inspect app.wasm --json | jq '.imports[].name'`,
		Args: oneFile,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runInspect(cmd.OutOrStdout(), args[0], asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}

func runInspect(stdout io.Writer, path string, asJSON bool) error {
	ct, data, release, err := mapComponentFile(path)
	if err != nil {
		return err
	}
	defer release()
	summary := inspect.Summarize(ct)
	if summary.Shared, err = inspect.SharedOf(data); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if asJSON {
		js, err := summary.JSON()
		if err != nil {
			return err
		}
		_, err = stdout.Write(js)
		return err
	}
	_, err = io.WriteString(stdout, inspect.Table(summary, inspect.TableOptions{Color: useColor(stdout)}))
	return err
}

// useColor reports whether w is a terminal and the user has not asked
// for plain output (https://no-color.org).
func useColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}
