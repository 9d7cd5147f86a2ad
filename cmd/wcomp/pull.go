package main

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/internal/atomicfile"
	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/internal/progress"
	"github.com/wcomp/wcomp/registry"
)

type pullFlags struct {
	output   string
	insecure bool
	asJSON   bool
}

func newPullCmd() *cobra.Command {
	var f pullFlags
	cmd := &cobra.Command{
		Use:   "pull REF [-o FILE]",
		Short: "Pull a component or WIT package from an OCI registry",
		Long: `Pull a Wasm component (CNCF Wasm OCI artifact) and write it to a file.

REF is an OCI reference, host/repository:tag or host/repository@sha256:…, or
a package: ns:name@1.2.0 for that version, ns:name@^1.2 for the highest
version the requirement admits, ns:name for the highest release. Packages
are placed through wkg's namespace_registries.

Every digest is checked: the manifest, the config and the layer. An artifact
in another layout (a container image, a Spin app, a Helm chart) is refused
with a message saying what it is. The layer is kept in wcomp's cache
($XDG_CACHE_HOME/wcomp), so pulling it again reads no network but the
manifest.

Without -o the file is named by the layer's title (as oras does), else by
the repository's last segment: <name>.wasm in the current directory.`,
		Example: `  wcomp pull ghcr.io/acme/app:1.0.0 -o app.wasm
  wcomp pull acme:types@^0.2 --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("'wcomp pull' takes one reference, got %d arguments: wcomp %s", len(args), cmd.Use)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPull(cmd, args[0], f)
		},
	}
	cmd.Flags().StringVarP(&f.output, "output", "o", "", "write the component to FILE")
	insecureFlag(cmd.Flags(), &f.insecure)
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the result as JSON")
	return cmd
}

// pullOutput is the JSON form of `wcomp pull --json`.
type pullOutput struct {
	Reference   string                  `json:"reference"`
	Digest      string                  `json:"digest"`
	LayerDigest string                  `json:"layerDigest"`
	Size        int64                   `json:"size"`
	File        string                  `json:"file"`
	Annotations map[string]string       `json:"annotations"`
	Component   *registry.ComponentInfo `json:"component"`
}

func runPull(cmd *cobra.Command, refArg string, f pullFlags) error {
	cache, err := openCache()
	if err != nil {
		return err
	}
	s, err := newRegistrySession(cmd, f.insecure, "Pulling")
	if err != nil {
		return err
	}
	defer s.close()
	ref, _, err := s.reference(refArg, true)
	if err != nil {
		return err
	}
	var pulled *registry.Pulled
	var out string
	// A cached layer changed on disk is noticed as it is copied out; it is
	// then dropped and pulled once more.
	for attempt := 0; ; attempt++ {
		if pulled, err = s.client.Pull(s.ctx, ref, registry.PullOptions{Cache: cache}); err != nil {
			return err
		}
		out = f.output
		if out == "" {
			out = defaultPullName(pulled, ref.Repository)
		}
		err = atomicfile.Write(out, func(w *os.File) error {
			return registry.CopyVerified(w, pulled.Path, pulled.Layer.Digest)
		})
		if err == nil || attempt > 0 || !errors.Is(err, blobcache.ErrDigestMismatch) {
			break
		}
		cache.Remove(pulled.Layer.Digest)
	}
	if err != nil {
		return err
	}
	s.close()
	w := cmd.OutOrStdout()
	if f.asJSON {
		return printJSON(w, pullOutput{
			Reference:   ref.String(),
			Digest:      pulled.Manifest.Digest.String(),
			LayerDigest: pulled.Layer.Digest.String(),
			Size:        pulled.Layer.Size,
			File:        out,
			Annotations: pulled.Annotations,
			Component:   pulled.Config.Component,
		})
	}
	fmt.Fprintf(w, "Pulled %s (%s) to %s\n", ref, progress.Size(pulled.Layer.Size), out)
	fmt.Fprintf(w, "Digest: %s\n", pulled.Manifest.Digest)
	return nil
}

// defaultPullName is the layer's title when it is a plain file name (a
// title with a directory in it is not trusted), else <last segment>.wasm.
func defaultPullName(p *registry.Pulled, repository string) string {
	title := p.Layer.Annotations[registry.AnnotationTitle]
	if title != "" && title == filepath.Base(title) && !strings.HasPrefix(title, ".") && !strings.ContainsAny(title, `/\`) {
		return title
	}
	return path.Base(repository) + ".wasm"
}
