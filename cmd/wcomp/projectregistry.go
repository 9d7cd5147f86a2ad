package main

import (
	"os"

	"github.com/wcomp/wcomp/project"
	"github.com/wcomp/wcomp/registry"
)

// connectRegistries gives a project's build its registries: the
// namespace mapping ([registries], then wkg's config), a client with the
// user's credentials, and the shared build cache when [cache] remote
// names one and --no-remote-cache is not given. Nothing is contacted
// here; a build that needs no registry never touches one.
func (f *projectFlags) connectRegistries(p *project.Project, opts *project.Options) error {
	wkg, err := registry.LoadWKGConfig(registry.WKGConfigPath(os.Getenv))
	if err != nil {
		// A broken wkg config must not stop builds that need no registry.
		if opts.Reporter != nil {
			opts.Reporter.Report(project.Event{Kind: project.Warning, Message: "ignoring wkg's configuration: " + err.Error()})
		}
		wkg = nil
	}
	client, err := registry.NewClient(registry.Options{Getenv: os.Getenv, WKG: wkg, Insecure: f.insecure, UserAgent: "wcomp/" + buildVersion()})
	if err != nil {
		return err
	}
	cache, err := openCache()
	if err != nil {
		return err
	}
	names := &registry.Names{Project: registry.ProjectLocations(p.Manifest.Registries), WKG: wkg, HTTP: client.HTTP()}
	opts.Registry = &registry.Source{Client: client, Names: names, Cache: cache}
	if c := p.Manifest.Cache; c.Remote.Set && c.Registry != "" && !f.noRemoteCache {
		opts.RemoteCache = registry.NewBuildCache(client, cache, c.Registry, c.Repository)
	}
	return nil
}
