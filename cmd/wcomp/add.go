package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"path"

	"github.com/wcomp/wcomp/internal/membername"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/manifest/edit"
	"github.com/wcomp/wcomp/project"
	"github.com/wcomp/wcomp/registry"
)

type addFlags struct {
	projectFlags
	wit  bool
	oci  string
	name string
}

func newAddCmd() *cobra.Command {
	var f addFlags
	cmd := &cobra.Command{
		Use:   "add ns:name[@REQ] | --oci REF [--name NAME] [--wit]",
		Short: "Add a component or WIT dependency from a registry to component.toml",
		Long: `Add a registry package to component.toml, as cargo add does, and update
wcomp.lock: a member { package = "ns:name", version = "REQ" }, or with --wit
a [wit.dependencies] entry "ns:name" = "REQ", or with --oci a member
oci = "REF". The rest of component.toml, its comments and layout included,
is left as it was.

The package is looked up in the registry its namespace maps to
([registries], else wkg's namespace_registries). Without @REQ the
requirement is the highest version published, which reads as ^ of it; with
one, some version must match it. The member is named after the package (or
the repository's last segment) unless --name says otherwise.`,
		Example: `  wcomp add acme:validator
  wcomp add acme:validator@0.3 --name checks
  wcomp add wasi:http@0.2.x --wit
  wcomp add --oci ghcr.io/acme/enricher:1.0.0`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case f.oci != "" && len(args) > 0:
				return fmt.Errorf("give a package or --oci REF, not both")
			case f.oci == "" && len(args) != 1:
				return fmt.Errorf("'wcomp add' takes one package, ns:name[@REQ], or --oci REF")
			case f.oci != "" && f.wit:
				return fmt.Errorf("--wit adds a WIT package by name: wcomp add ns:name@REQ --wit")
			}
			return runAdd(cmd, &f, args)
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().BoolVar(&f.wit, "wit", false, "add a WIT dependency to [wit.dependencies] instead of a member")
	cmd.Flags().StringVar(&f.oci, "oci", "", "add a member pulled from this OCI reference (host/repository:tag)")
	cmd.Flags().StringVar(&f.name, "name", "", "the member's name (default: the package's name)")
	return cmd
}

func runAdd(cmd *cobra.Command, f *addFlags, args []string) error {
	p, err := project.Load(f.manifestPath)
	if err != nil {
		return err
	}
	s, err := newRegistrySession(cmd, f.insecure, "Pulling")
	if err != nil {
		return err
	}
	defer s.close()
	s.names.Project = registry.ProjectLocations(p.Manifest.Registries)

	// What to add, checked against the registry before anything is written.
	var key, what string // the member or WIT package, and what the status line says
	var change func(ed *edit.Editor) error
	switch {
	case f.oci != "":
		ref, err := registry.ParseReference(f.oci)
		if err != nil {
			return err
		}
		if ref.Reference == "" {
			return fmt.Errorf("--oci %s: name a tag or digest, e.g. %s:1.0.0", f.oci, f.oci)
		}
		key = cmp.Or(f.name, path.Base(ref.Repository))
		what = fmt.Sprintf("member %s (oci %s)", key, f.oci)
		change = func(ed *edit.Editor) error {
			return ed.SetMember(key, edit.Entry{Key: "oci", Value: edit.String(f.oci)})
		}
	default:
		ref, req, err := s.client.FindPackage(s.ctx, s.names, args[0])
		if err != nil {
			return err
		}
		pkg, _, _ := registry.ParsePackage(args[0])
		found := ""
		if req != ref.Reference {
			found = " (found " + ref.Reference + ")"
		}
		if f.wit {
			key = pkg.String()
			what = fmt.Sprintf("WIT package %s %s%s", key, req, found)
			change = func(ed *edit.Editor) error { return ed.SetWITDependency(key, edit.String(req)) }
		} else {
			key = cmp.Or(f.name, pkg.Name)
			what = fmt.Sprintf("member %s: %s %s%s", key, pkg, req, found)
			change = func(ed *edit.Editor) error {
				return ed.SetMember(key, edit.Entry{Key: "package", Value: edit.String(pkg.String())}, edit.Entry{Key: "version", Value: edit.String(req)})
			}
		}
	}
	if !f.wit {
		if err := membername.Check(key); err != nil {
			if f.name != "" {
				return fmt.Errorf("--name: %w", err)
			}
			return fmt.Errorf("%w: name the member with --name", err)
		}
	}
	if err := alreadyPresent(p.Manifest, key, f.wit); err != nil {
		return err
	}
	s.close()

	original, err := os.ReadFile(p.ManifestPath())
	if err != nil {
		return err
	}
	ed, err := edit.New(p.Manifest.Filename, original)
	if err != nil {
		return err
	}
	if err := change(ed); err != nil {
		return err
	}
	if _, err := ed.Parse(); err != nil {
		return fmt.Errorf("the edited manifest would not be valid (a bug in wcomp): %w", err)
	}
	if err := atomicfile.WriteString(p.ManifestPath(), string(ed.Bytes())); err != nil {
		return err
	}
	say(cmd.ErrOrStderr(), "Adding", what+" to "+p.Manifest.Filename)
	// The lock follows, as `wcomp update NAME` would make it; if that
	// fails, component.toml goes back to what it was.
	_, err = f.runWith(cmd, func(ctx context.Context, p *project.Project, opts project.Options) error {
		opts.Update = []string{key}
		_, err := p.Update(ctx, opts)
		return err
	})
	if err != nil {
		if rerr := atomicfile.WriteString(p.ManifestPath(), string(original)); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return nil
}

// alreadyPresent refuses to add what component.toml has.
func alreadyPresent(f *manifest.File, key string, wit bool) error {
	if wit {
		for _, d := range f.WIT.Dependencies {
			if d.Name == key {
				return manifest.Errorf(d.Pos, "wit.dependencies."+key, "%s is already a WIT dependency; edit its requirement there, or run `wcomp update %s`", key, key)
			}
		}
		return nil
	}
	if m := f.Member(key); m != nil {
		return manifest.Errorf(m.Pos, "components."+key, "a member %s is already there; choose another name with --name", key)
	}
	return nil
}
