package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wcomp/wcomp/compose"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/internal/mmapfile"
	"github.com/wcomp/wcomp/wac"
)

// wacFlags are the flags of `wcomp compose DOC.wac`.
type wacFlags struct {
	deps    []string
	depsDir string
}

// register adds the WAC flags and an example to `wcomp compose`.
func (w *wacFlags) register(cmd *cobra.Command, fl *pflag.FlagSet) {
	fl.StringArrayVar(&w.deps, "dep", nil, "with a .wac document: the file of package ns:name (or ns:name@version), as ns:name=FILE (repeatable)")
	fl.StringVar(&w.depsDir, "deps-dir", "deps", "with a .wac document: where packages not given by --dep are found, ns:name as DIR/ns/name.wasm")
	cmd.Long += `

Given a .wac file instead of ROOT.wasm, the graph comes from that WAC document
(the composition language of wac): it names its packages (new ns:name { … }),
which --dep ns:name=FILE gives, or --deps-dir finds as DIR/ns/name.wasm
(ns:name@1.0.0 as DIR/ns/name/1.0.0.wasm). The graph flags above do not apply.`
	cmd.Example += `
  wcomp compose app.wac --dep example:business=business.wasm \
      --dep example:validator=validator.wasm -o app.wasm`
}

// isWAC reports whether compose's argument is a WAC document.
func isWAC(arg string) bool { return strings.HasSuffix(arg, ".wac") }

// runComposeWAC composes by a WAC document.
func runComposeWAC(stdout, stderr io.Writer, docPath string, f composeFlags, w *wacFlags) error {
	for flag, set := range map[string]bool{
		"--plug": len(f.plugs) > 0, "--wire": len(f.wires) > 0, "--import": len(f.imports) > 0,
		"--export": len(f.exports) > 0, "--keep": len(f.keep) > 0, "--no-auto-plug": f.noAutoPlug,
	} {
		if set {
			return fmt.Errorf("%s does not apply to a WAC document, which says itself what to link, import and export", flag)
		}
	}
	deps := map[string]string{}
	for _, d := range w.deps {
		key, file, ok := strings.Cut(d, "=")
		if !ok || file == "" {
			return fmt.Errorf("--dep %s: expected ns:name=FILE", d)
		}
		if _, _, err := wac.ParsePackageKey(key); err != nil {
			return fmt.Errorf("--dep %s: %w", d, err)
		}
		if prev, dup := deps[key]; dup {
			return fmt.Errorf("--dep %s: %s is given twice (first as %s)", d, key, prev)
		}
		deps[key] = file
	}
	if err := checkOutputPath(f.output); err != nil {
		return err
	}
	run, err := newPolicyRun(f.policy, "")
	if err != nil {
		return err
	}
	src, err := os.ReadFile(docPath)
	if err != nil {
		return err
	}

	var inputMaps inputMaps
	defer inputMaps.close()
	files := &wac.Files{Deps: deps, Dir: w.depsDir, ReadFile: func(path string) ([]byte, error) {
		m, err := inputMaps.open(path, func() (*mmapfile.File, error) {
			if st, err := os.Stat(path); err == nil && st.IsDir() {
				return nil, fmt.Errorf("%s is a directory: a package is a .wasm file; encode WIT text with `wasm-tools component wit %s --wasm -o %s.wasm`", path, path, path)
			}
			m, err := mmapfile.Open(path)
			var pe *os.PathError
			if err != nil && errors.As(err, &pe) && !errors.Is(err, os.ErrNotExist) {
				err = fmt.Errorf("%s: %w", path, pe.Err)
			}
			return m, err
		})
		if err != nil {
			return nil, err
		}
		return m.Bytes(), nil
	}, IsDir: func(path string) bool {
		st, err := os.Stat(path)
		return err == nil && st.IsDir()
	}}
	comp, err := wac.Load(context.Background(), docPath, src, files)
	if err != nil {
		return err
	}
	name := f.name
	if name == "" {
		name = comp.Doc.Package.Name
	}
	resolve := (*graph.Graph).Resolve
	if run != nil {
		run.name = name
		resolve = run.resolve
	}
	judge := resolve
	plan, err := comp.PlanWith(func(g *graph.Graph) (*graph.Plan, error) {
		g.SetShareModules(!f.noShare)
		return judge(g)
	})
	if err != nil {
		if perr := run.failure(stderr); perr != nil {
			return perr
		}
		return err
	}
	res, err := compose.Encode(plan, compose.EncodeOptions{Name: name, Version: composeVersion()})
	if err != nil {
		return err
	}
	if err := inputMaps.write(f.output, res); err != nil {
		return err
	}
	// The summary shows each instance with the package it instantiates.
	var members []memberArg
	for _, inst := range comp.Instances {
		members = append(members, memberArg{MemberArg: compose.MemberArg{Name: inst.Name, Path: inst.Package.Name}})
	}
	printComposeSummary(stdout, f.output, res, members, run.outcome())
	return nil
}
