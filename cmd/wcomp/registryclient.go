package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"os/signal"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	orasregistry "oras.land/oras-go/v2/registry"

	"github.com/wcomp/wcomp/internal/blobcache"
	"github.com/wcomp/wcomp/internal/progress"
	"github.com/wcomp/wcomp/registry"
)

// registrySession is what push, pull and login share: a client set up
// from the environment and the user's configuration, the package-name
// mapping, and progress bars when stderr is a terminal.
type registrySession struct {
	client *registry.Client
	names  *registry.Names
	bars   *progress.Bars
	ctx    context.Context
	stop   func()
}

// newRegistrySession reads DOCKER_CONFIG (through oras-go), wkg's config
// and WCOMP_REGISTRY_USER/PASSWORD. verb labels the progress bars.
func newRegistrySession(cmd *cobra.Command, insecure bool, verb string) (*registrySession, error) {
	wkg, err := registry.LoadWKGConfig(registry.WKGConfigPath(os.Getenv))
	if err != nil {
		return nil, err
	}
	s := &registrySession{}
	opts := registry.Options{Getenv: os.Getenv, WKG: wkg, Insecure: insecure, UserAgent: "wcomp/" + buildVersion()}
	if f, ok := cmd.ErrOrStderr().(*os.File); ok && term.IsTerminal(f.Fd()) {
		s.bars = progress.New(f, progress.Options{Color: os.Getenv("NO_COLOR") == ""})
		opts.Progress = barsAdapter{s.bars, verb}
	}
	if s.client, err = registry.NewClient(opts); err != nil {
		return nil, err
	}
	s.names = &registry.Names{WKG: wkg, HTTP: s.client.HTTP()}
	parent := cmd.Context()
	if parent == nil {
		parent = context.Background()
	}
	s.ctx, s.stop = signal.NotifyContext(parent, os.Interrupt)
	return s, nil
}

// close erases the progress bars and stops listening for ^C.
func (s *registrySession) close() {
	if s.bars != nil {
		s.bars.Close()
	}
	s.stop()
}

// reference reads a command-line reference: an OCI reference, or a
// package spec (ns:name@version, or a requirement for pull) placed through
// wkg's namespace mapping.
func (s *registrySession) reference(arg string, resolve bool) (orasregistry.Reference, string, error) {
	if !registry.IsPackageSpec(arg) {
		ref, err := registry.ParseReference(arg)
		return ref, "", err
	}
	pkg, version, err := registry.ParsePackage(arg)
	if err != nil {
		return orasregistry.Reference{}, "", err
	}
	if resolve {
		ref, err := s.client.ResolvePackage(s.ctx, s.names, arg)
		return ref, pkg.String(), err
	}
	loc, _, err := s.names.Locate(s.ctx, pkg)
	if err != nil {
		return orasregistry.Reference{}, "", err
	}
	return loc.Reference(pkg, version), pkg.String(), nil
}

// cache is wcomp's blob cache.
func openCache() (*blobcache.Cache, error) {
	dir, err := blobcache.DefaultDir(os.Getenv)
	if err != nil {
		return nil, err
	}
	return blobcache.New(dir), nil
}

// barsAdapter shows registry transfers as progress bars.
type barsAdapter struct {
	bars *progress.Bars
	verb string
}

func (a barsAdapter) Start(name string, total int64) registry.Transfer {
	return a.bars.Start(a.verb+" "+name, total)
}

// insecureFlag declares --insecure, the same on every registry command.
func insecureFlag(fl *pflag.FlagSet, insecure *bool) {
	fl.BoolVar(insecure, "insecure", false, "allow plain HTTP, and TLS without certificate checks, to any registry (loopback registries always get plain HTTP)")
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
