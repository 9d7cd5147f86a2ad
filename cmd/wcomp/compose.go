package main

import (
	"errors"
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
		Use:   "compose [NAME=]ROOT.wasm --plug [NAME=]P.wasm [--plug …] -o OUT.wasm",
		Short: "Link components into one, plugging imports with matching exports",
		Long: `Link a root component with plug components into one component.

Every import of the root (and of each plug, transitively) that a member exports
is plugged, exact names first, then semver-compatible ones; every link is
type-checked. Imports several members still need are merged into one import at
the highest compatible version. Member code is embedded unchanged. The result
exports the root's exports.

Members are named by their file stem (business.wasm → business) in --wire, in
messages and in the output's name section. NAME=FILE names a member explicitly:
to tell apart two files with the same stem, or to instantiate one component
twice (the same FILE under two names is embedded once, instantiated twice).
The same bytes give the same output, whatever -o is.`,
		Example: `  wcomp compose business.wasm --plug validator.wasm -o app.wasm
  wcomp compose app.wasm --plug a.wasm --plug b.wasm \
      --wire app:example:svc/store=b:example:svc/store -o out.wasm
  wcomp compose app.wasm --plug outer=wrap.wasm --plug inner=wrap.wasm --plug base.wasm \
      --wire app:example:svc/x=outer:example:svc/x \
      --wire outer:example:svc/x=inner:example:svc/x \
      --wire inner:example:svc/x=base:example:svc/x -o out.wasm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompose(cmd.OutOrStdout(), args[0], f)
		},
	}
	cmd.Flags().StringArrayVar(&f.plugs, "plug", nil, "a component whose exports plug the others' imports, as FILE or NAME=FILE (repeatable)")
	cmd.Flags().StringArrayVar(&f.wires, "wire", nil, "an explicit link CONSUMER:IMPORT=PROVIDER:EXPORT between member names (repeatable); overrides auto-plugging")
	cmd.Flags().StringArrayVar(&f.exports, "export", nil, "export only this of the root's exports (repeatable; default: all)")
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "where to write the composed component (required)")
	cmd.Flags().StringVar(&f.name, "name", "", "the composed component's name in its name section (default: the root member's name)")
	_ = cmd.MarkFlagRequired("output")
	return cmd
}

// memberArg is one member as given on the command line.
type memberArg struct {
	spec string // as typed, for messages: "validator.wasm", "v2=validator.wasm"
	role string // "root" or "plug"
	name string
	path string
}

func (m memberArg) String() string { return m.role + " " + m.spec }

// parseMember reads [NAME=]FILE. A '=' starts a name only when what comes
// before it could be a member name (no path separator, no ':'), so a file
// whose path contains '=' can still be given as ./a=b.wasm.
func parseMember(role, spec string) (memberArg, error) {
	m := memberArg{spec: spec, role: role, name: memberName(spec), path: spec}
	if name, path, ok := strings.Cut(spec, "="); ok && !strings.ContainsAny(name, `/:\`) {
		if name == "" || path == "" {
			return m, fmt.Errorf("%s %q: expected FILE or NAME=FILE", role, spec)
		}
		m.name, m.path = name, path
	}
	if m.name == "" {
		return m, fmt.Errorf("%s %q: no member name in the file name; give one as NAME=FILE", role, spec)
	}
	return m, nil
}

func runCompose(stdout io.Writer, rootSpec string, f composeFlags) error {
	// Everything that can be checked without reading a member is checked
	// first: member names, wires and the output path.
	root, err := parseMember("root", rootSpec)
	if err != nil {
		return err
	}
	members := []memberArg{root}
	for _, spec := range f.plugs {
		m, err := parseMember("plug", spec)
		if err != nil {
			return err
		}
		members = append(members, m)
	}
	inputs := make([]compose.Input, len(members))
	for i, m := range members {
		inputs[i] = compose.Input{Name: m.name, Path: m.path}
	}
	if err := compose.CheckNames(inputs[0], inputs[1:]); err != nil {
		var dup *compose.DuplicateNameError
		if errors.As(err, &dup) {
			return fmt.Errorf("%w, e.g. --plug NAME=FILE", err)
		}
		return err
	}
	opts := compose.Options{Exports: f.exports, Name: f.name, Version: composeVersion()}
	for _, w := range f.wires {
		wire, err := compose.ParseWire(w)
		if err != nil {
			return fmt.Errorf("--wire %q: %w", w, err)
		}
		opts.Wires = append(opts.Wires, wire)
	}
	if err := checkOutputPath(f.output); err != nil {
		return err
	}

	// Inputs are memory-mapped and stay mapped until the output is
	// written: compose reads only their component-level sections, and the
	// output takes their bytes file to file. A file given twice is mapped
	// once.
	var maps []*mmapfile.File
	defer func() {
		for _, m := range maps {
			m.Close()
		}
	}()
	byPath := map[string]*mmapfile.File{}
	for i, m := range members {
		key, err := filepath.Abs(m.path)
		if err != nil {
			key = m.path
		}
		mf := byPath[key]
		if mf == nil {
			if mf, err = openMember(m); err != nil {
				return err
			}
			byPath[key] = mf
			maps = append(maps, mf)
		}
		inputs[i].Bytes = mf.Bytes()
	}
	opts.Root, opts.Plugs = inputs[0], inputs[1:]
	res, err := compose.Compose(opts)
	if err != nil {
		return err
	}
	err = atomicfile.Write(f.output, func(out *os.File) error {
		mmapfile.Preallocate(out, int64(res.Size()))
		_, err := res.WriteTo(mmapfile.Writer(out, maps...))
		return err
	})
	if err != nil {
		return err
	}
	printComposeSummary(stdout, f.output, res, members)
	return nil
}

// openMember maps a member's file; errors name its role and file once
// ("root business.wasm: no such file or directory").
func openMember(m memberArg) (*mmapfile.File, error) {
	if st, err := os.Stat(m.path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a component file", m)
	}
	mf, err := mmapfile.Open(m.path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is in m already
		}
		return nil, fmt.Errorf("%s: %w", m, err)
	}
	return mf, nil
}

// checkOutputPath rejects an -o that cannot be written as a file, before
// any work is done.
func checkOutputPath(out string) error {
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return fmt.Errorf("-o %s: names a directory; give the output file, e.g. -o %s", out, filepath.Join(out, "app.wasm"))
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		return fmt.Errorf("-o %s: is a directory; give the output file, e.g. -o %s", out, filepath.Join(out, "app.wasm"))
	}
	dir := filepath.Dir(out)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("-o %s: directory %s does not exist", out, dir)
	case !st.IsDir():
		return fmt.Errorf("-o %s: %s is not a directory", out, dir)
	}
	return nil
}

// memberName is a file's stem: "out/business.wasm" → "business".
func memberName(path string) string {
	base := filepath.Base(path)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

func printComposeSummary(w io.Writer, out string, res *compose.Result, members []memberArg) {
	fmt.Fprintf(w, "composed %s (%s)\n", out, humanSize(res.Size()))
	// A member named with NAME=FILE shows its file, so the summary says
	// which file each name stands for.
	files := map[string]string{}
	for _, m := range members {
		if m.name != memberName(m.path) {
			files[m.name] = m.path
		}
	}
	shown := make([]string, len(res.Members))
	for i, n := range res.Members {
		shown[i] = n
		if p, ok := files[n]; ok {
			shown[i] = n + "=" + p
		}
	}
	fmt.Fprintf(w, "  members:   %s\n", strings.Join(shown, ", "))
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
