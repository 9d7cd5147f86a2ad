package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/internal/mmapfile"
)

// composeFlags are the flags of `wcomp compose`.
type composeFlags struct {
	plugs   []string
	wires   []string
	exports []string
	output  string
	name    string
}

// newComposeCmd builds `wcomp compose`: link a root component with plug
// components into one component file.
func newComposeCmd() *cobra.Command {
	var f composeFlags
	cmd := &cobra.Command{
		Use:   "compose ROOT.wasm --plug P.wasm [--plug Q.wasm …] -o OUT.wasm",
		Short: "Link components into one, plugging imports with matching exports",
		Long: `Link a root component with plug components into one component.

Every import of the root (and of each plug, transitively) that a member exports
is plugged, exact names first, then semver-compatible ones; every link is
type-checked. Imports several members still need are merged into one import at
the highest compatible version. Member code is embedded unchanged.

Members are named by their file stem (business.wasm → business) in --wire and in
messages.`,
		Example: `  wcomp compose business.wasm --plug validator.wasm -o app.wasm
  wcomp compose app.wasm --plug a.wasm --plug b.wasm \
      --wire app:example:svc/store=b:example:svc/store -o out.wasm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompose(cmd.OutOrStdout(), args[0], f)
		},
	}
	cmd.Flags().StringArrayVar(&f.plugs, "plug", nil, "a component whose exports plug the others' imports (repeatable)")
	cmd.Flags().StringArrayVar(&f.wires, "wire", nil, "an explicit link CONSUMER:IMPORT=PROVIDER:EXPORT (repeatable); overrides auto-plugging")
	cmd.Flags().StringArrayVar(&f.exports, "export", nil, "export only this of the root's exports (repeatable; default: all)")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "where to write the composed component (required)")
	cmd.Flags().StringVar(&f.name, "name", "", "the composed component's name in its name section (default: the output's file stem)")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

func runCompose(stdout io.Writer, rootPath string, f composeFlags) error {
	// Inputs are memory-mapped and stay mapped until the output is
	// written: compose reads only their component-level sections, and the
	// output takes their bytes file to file.
	var inputs []*mmapfile.File
	defer func() {
		for _, in := range inputs {
			in.Close()
		}
	}()
	readMember := func(path string) (compose.Input, error) {
		m, err := mmapfile.Open(path)
		if err != nil {
			return compose.Input{}, fmt.Errorf("reading component: %w", err)
		}
		inputs = append(inputs, m)
		return compose.Input{Name: memberName(path), Bytes: m.Bytes(), Path: path}, nil
	}
	root, err := readMember(rootPath)
	if err != nil {
		return err
	}
	opts := compose.Options{
		Root:    root,
		Exports: f.exports,
		Name:    f.name,
		Version: composeVersion(),
	}
	if opts.Name == "" {
		opts.Name = memberName(f.output)
	}
	for _, p := range f.plugs {
		m, err := readMember(p)
		if err != nil {
			return err
		}
		opts.Plugs = append(opts.Plugs, m)
	}
	for _, w := range f.wires {
		wire, err := compose.ParseWire(w)
		if err != nil {
			return fmt.Errorf("--wire %q: %w", w, err)
		}
		opts.Wires = append(opts.Wires, wire)
	}
	res, err := compose.Compose(opts)
	if err != nil {
		return err
	}
	err = atomicfile.Write(f.output, func(out *os.File) error {
		mmapfile.Preallocate(out, int64(res.Size()))
		_, err := res.WriteTo(mmapfile.Writer(out, inputs...))
		return err
	})
	if err != nil {
		return err
	}
	printComposeSummary(stdout, f.output, res)
	return nil
}

// memberName is a file's stem: "out/business.wasm" → "business".
func memberName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func printComposeSummary(w io.Writer, out string, res *compose.Result) {
	fmt.Fprintf(w, "composed %s (%s)\n", out, humanSize(res.Size()))
	fmt.Fprintf(w, "  members:   %s\n", strings.Join(res.Members, ", "))
	if len(res.Links) == 0 {
		fmt.Fprintf(w, "  plugged:   none\n")
	}
	for i, l := range res.Links {
		label := "  plugged:  "
		if i > 0 {
			label = "            "
		}
		fmt.Fprintf(w, "%s %s\n", label, l)
	}
	fmt.Fprintf(w, "  imports:   %d remaining", len(res.Imports))
	if len(res.Imports) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(res.Imports, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  exports:   %s\n", strings.Join(res.Exports, ", "))
	if len(res.Unused) > 0 {
		fmt.Fprintf(w, "  unused:    %s (nothing the root needs; left out)\n", strings.Join(res.Unused, ", "))
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "  note:      %s\n", n)
	}
}

func humanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// composeVersion is wcomp's version as recorded in the producers section:
// the module version of this build, or "dev" for a source-tree build.
func composeVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "dev"
}
