package main

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/internal/progress"
	"github.com/wcomp/wcomp/project"
	"github.com/wcomp/wcomp/registry"
	"github.com/wcomp/wcomp/wit"
)

type publishFlags struct {
	projectFlags
	wit    bool
	force  bool
	asJSON bool
}

func newPublishCmd() *cobra.Command {
	var f publishFlags
	cmd := &cobra.Command{
		Use:   "publish [--wit] [--force] [--json]",
		Short: "Build the project and push its component to its OCI registry",
		Long: `Build the project (as wcomp build does) and push target/<name>.wasm to the
registry its namespace maps to ([registries] in component.toml, else wkg's
namespace_registries), as <registry>/<prefix><ns>/<name>:<version>, in the
CNCF Wasm artifact layout wkg reads. The tag is [package] version; the
manifest is annotated with [package]'s description, license, repository and
authors. The manifest digest is printed.

An existing version is never overwritten with different content without
--force; publishing the same build again changes nothing. The artifact's
created time comes from SOURCE_DATE_EPOCH, else the last git commit, so the
same inputs always give the same manifest digest.

With --wit, the project's own WIT package is published instead, encoded as
WebAssembly (as wasm-tools component wit --wasm encodes it), under its own
name and version, for other projects to use as a WIT dependency.`,
		Example: `  wcomp publish
  wcomp publish --wit
  SOURCE_DATE_EPOCH=1764547200 wcomp publish --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPublish(cmd, &f)
		},
	}
	f.add(cmd.Flags())
	cmd.Flags().BoolVar(&f.wit, "wit", false, "publish the project's WIT package (encoded as wasm) instead of its component")
	cmd.Flags().BoolVar(&f.force, "force", false, "move the version's tag even if it names different content")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the result as JSON")
	return cmd
}

// publishOutput is the JSON form of `wcomp publish --json`.
type publishOutput struct {
	Package     string `json:"package"`
	Version     string `json:"version"`
	Reference   string `json:"reference"`
	Digest      string `json:"digest"`
	Kind        string `json:"kind"`
	LayerDigest string `json:"layerDigest"`
	Size        int64  `json:"size"`
	Unchanged   bool   `json:"unchanged"`
	Replaced    string `json:"replaced,omitempty"`
}

func runPublish(cmd *cobra.Command, f *publishFlags) error {
	var p *project.Project
	var wasm []byte
	var meta registry.Metadata
	if f.wit {
		// The WIT dependencies are resolved and vendored first (nothing is
		// built), so the package loads with what it uses.
		var err error
		p, err = f.runWith(cmd, func(ctx context.Context, p *project.Project, opts project.Options) error {
			_, err := p.Update(ctx, opts)
			return err
		})
		if err != nil {
			return err
		}
		if wasm, meta, err = witPackage(p); err != nil {
			return err
		}
	} else {
		var res *project.Result
		var err error
		if p, res, err = buildProject(cmd, &f.projectFlags); err != nil {
			return err
		}
		if wasm, err = os.ReadFile(res.Path); err != nil {
			return err
		}
		meta = registry.PackageMetadata(p.Manifest.Package) // the manifest requires name and version
	}
	s, err := newRegistrySession(cmd, f.insecure, "Publishing")
	if err != nil {
		return err
	}
	defer s.close()
	s.names.Project = registry.ProjectLocations(p.Manifest.Registries)
	created, _, err := registry.CreatedTime(s.ctx, p.Dir, os.Getenv)
	if err != nil {
		return err
	}
	res, ref, err := s.client.Publish(s.ctx, s.names, registry.Publication{Wasm: wasm, Metadata: meta, Created: created, Force: f.force})
	if err != nil {
		return err
	}
	s.close()
	out := publishOutput{
		Package: meta.Name, Version: meta.Version, Reference: ref.String(),
		Digest: res.Manifest.Digest.String(), LayerDigest: res.Layer.Digest.String(), Size: res.Layer.Size,
		Unchanged: res.Unchanged, Replaced: res.Replaced.String(),
	}
	out.Kind = "component"
	if f.wit {
		out.Kind = "wit"
	}
	what := fmt.Sprintf("%s@%s to %s", meta.Name, meta.Version, out.Reference)
	switch {
	case res.Unchanged:
		say(cmd.ErrOrStderr(), "Unchanged", what+" (already published with this digest)")
	case res.Replaced != "":
		say(cmd.ErrOrStderr(), "Published", fmt.Sprintf("%s (%s), replacing %s", what, progress.Size(out.Size), res.Replaced))
	default:
		say(cmd.ErrOrStderr(), "Published", fmt.Sprintf("%s (%s)", what, progress.Size(out.Size)))
	}
	w := cmd.OutOrStdout()
	if f.asJSON {
		return printJSON(w, out)
	}
	fmt.Fprintf(w, "Digest: %s\n", out.Digest)
	return nil
}

// witPackage is the project's WIT package encoded as wasm, with its own
// name and version as the package to publish.
func witPackage(p *project.Project) ([]byte, registry.Metadata, error) {
	wp, err := wit.Load(p.WITDir())
	if err != nil {
		return nil, registry.Metadata{}, err
	}
	name := wp.Package.Name
	if name.Version == nil {
		return nil, registry.Metadata{}, fmt.Errorf("%s: package %s has no version, and the version is the tag: write `package %s@0.1.0;`", p.Rel(p.WITDir()), name, name)
	}
	wasm, err := wp.EncodePackage()
	if err != nil {
		return nil, registry.Metadata{}, fmt.Errorf("encoding WIT package %s: %w", name, err)
	}
	meta := registry.PackageMetadata(p.Manifest.Package)
	meta.Name, meta.Version = name.Namespace+":"+name.Package, name.Version.String()
	return wasm, meta, nil
}
