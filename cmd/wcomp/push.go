package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wcomp/wcomp/internal/mmapfile"
	"github.com/wcomp/wcomp/internal/progress"
	"github.com/wcomp/wcomp/internal/versionreq"
	"github.com/wcomp/wcomp/registry"
)

type pushFlags struct {
	force       bool
	insecure    bool
	asJSON      bool
	annotations []string
}

func newPushCmd() *cobra.Command {
	var f pushFlags
	cmd := &cobra.Command{
		Use:   "push FILE REF",
		Short: "Push a component or WIT package to an OCI registry",
		Long: `Push a component, or a WIT package encoded as WebAssembly (wasm-tools component
wit --wasm), to an OCI registry in the CNCF Wasm artifact layout that wkg
reads and writes, and print the manifest digest.

REF is an OCI reference with a tag, host/repository:tag, or a package
version, ns:name@1.2.0, placed through wkg's namespace_registries
($XDG_CONFIG_HOME/wasm-pkg/config.toml) as <registry>/<prefix><ns>/<name>:1.2.0.

The tag is the version: an existing tag is never moved to different content
without --force (pushing identical content again changes nothing). The
manifest's created time comes from SOURCE_DATE_EPOCH, else the last git
commit, so the same file pushed twice gets the same digest.

Credentials: WCOMP_REGISTRY_USER and WCOMP_REGISTRY_PASSWORD, else a
` + "`wcomp login`" + ` (Docker's config.json and credential helpers). Plain HTTP is used
only for loopback registries, or with --insecure.`,
		Example: `  wcomp push app.wasm ghcr.io/acme/app:1.0.0
  wcomp push types.wasm acme:types@0.2.0 --json
  wcomp push app.wasm localhost:5000/acme/app:1.0.0 --force`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("'wcomp push' takes a file and a reference, got %d arguments: wcomp %s", len(args), cmd.Use)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPush(cmd, args[0], args[1], f)
		},
	}
	cmd.Flags().BoolVar(&f.force, "force", false, "move the tag even if it names different content")
	insecureFlag(cmd.Flags(), &f.insecure)
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print the result as JSON")
	cmd.Flags().StringArrayVar(&f.annotations, "annotation", nil, "add a manifest annotation KEY=VALUE (repeatable)")
	return cmd
}

// pushOutput is the JSON form of `wcomp push --json`.
type pushOutput struct {
	Reference   string `json:"reference"`
	Digest      string `json:"digest"`
	Kind        string `json:"kind"`
	LayerDigest string `json:"layerDigest"`
	Size        int64  `json:"size"`
	Created     string `json:"created"`
	CreatedFrom string `json:"createdFrom"`
	Unchanged   bool   `json:"unchanged"`
	Replaced    string `json:"replaced,omitempty"`
}

func runPush(cmd *cobra.Command, path, refArg string, f pushFlags) error {
	extra := map[string]string{}
	for _, a := range f.annotations {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return fmt.Errorf("--annotation %q: want KEY=VALUE", a)
		}
		extra[k] = v
	}
	file, err := mmapfile.Open(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	defer file.Close()

	s, err := newRegistrySession(cmd, f.insecure, "Pushing")
	if err != nil {
		return err
	}
	defer s.close()
	if registry.IsPackageSpec(refArg) {
		if _, version, err := registry.ParsePackage(refArg); err == nil && versionreq.CheckVersion(version) != nil {
			name, _, _ := strings.Cut(refArg, "@")
			return fmt.Errorf("%s: push needs an exact version, e.g. %s@1.0.0", refArg, name)
		}
	}
	ref, pkg, err := s.reference(refArg, false)
	if err != nil {
		return err
	}
	if ref.Reference == "" {
		return fmt.Errorf("%s: push needs a version tag, e.g. %s:1.0.0", refArg, refArg)
	}
	meta := registry.Metadata{Name: pkg, Annotations: extra}
	if pkg == "" {
		meta.Title = filepath.Base(path)
	}
	if versionreq.CheckVersion(ref.Reference) == nil {
		meta.Version = ref.Reference
	}
	dir, _ := filepath.Abs(filepath.Dir(path))
	created, from, err := registry.CreatedTime(s.ctx, dir, os.Getenv)
	if err != nil {
		return err
	}
	a, err := registry.Build(file.Bytes(), meta, created)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	res, err := s.client.Push(s.ctx, ref, a, registry.PushOptions{Force: f.force})
	if err != nil {
		return err
	}
	s.close()
	out := pushOutput{
		Reference:   ref.String(),
		Digest:      res.Manifest.Digest.String(),
		Kind:        string(a.Kind),
		LayerDigest: res.Layer.Digest.String(),
		Size:        res.Layer.Size,
		Created:     created.Format("2006-01-02T15:04:05Z07:00"),
		CreatedFrom: string(from),
		Unchanged:   res.Unchanged,
		Replaced:    res.Replaced.String(),
	}
	w := cmd.OutOrStdout()
	if f.asJSON {
		return printJSON(w, out)
	}
	switch {
	case res.Unchanged:
		fmt.Fprintf(w, "Unchanged %s (already published with this digest)\n", out.Reference)
	case res.Replaced != "":
		fmt.Fprintf(w, "Pushed %s (%s, %s), replacing %s\n", out.Reference, a.Kind, progress.Size(out.Size), res.Replaced)
	default:
		fmt.Fprintf(w, "Pushed %s (%s, %s)\n", out.Reference, a.Kind, progress.Size(out.Size))
	}
	fmt.Fprintf(w, "Digest: %s\n", out.Digest)
	return nil
}
