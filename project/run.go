package project

import (
	"fmt"
	"os"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/dirgrant"
)

// RunGrants is what `wcomp run` grants the project's component, from
// [run] and the capability policy: the CLI maps it onto the host's
// options, adding its own flags.
type RunGrants struct {
	// Args and Env are [run]'s (Env as KEY=value).
	Args, Env []string
	// Dirs are [run] dirs, the host side resolved against the project.
	Dirs []dirgrant.Grant
	// HTTP links wasi:http: the component imports it and the policy
	// allows every such import. Without a policy it is never granted
	// quietly (the user asks with --http).
	HTTP bool
	// CheckImport refuses, at instantiation, an import the policy does
	// not let reach the host (nil without a policy).
	CheckImport func(name string) error
}

// RunGrants reads what the composed component wasm (target/<name>.wasm)
// may be given. A [run] dirs entry that is not a directory is an error at
// it.
func (p *Project) RunGrants(wasm []byte) (*RunGrants, error) {
	run := &p.Manifest.Run
	g := &RunGrants{Args: run.Args.Strings()}
	for _, e := range run.Env.Entries {
		g.Env = append(g.Env, e.Key+"="+e.Value.Value)
	}
	for i, d := range run.Dirs {
		hostDir := p.abs(d.Host)
		if st, err := os.Stat(hostDir); err != nil || !st.IsDir() {
			return nil, p.errorf(d.Text.Pos, fmt.Sprintf("run.dirs[%d]", i), "%s: %s is not a directory", d.Text.Value, p.Rel(hostDir))
		}
		g.Dirs = append(g.Dirs, dirgrant.Grant{Host: hostDir, Guest: d.Guest, ReadOnly: d.ReadOnly})
	}
	if p.policy == nil {
		return g, nil
	}
	g.CheckImport = p.policy.CheckImport
	ct, err := component.DecodeType(wasm)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Rel(p.OutputPath()), err)
	}
	for _, im := range ct.Imports {
		if !strings.HasPrefix(im.Name, "wasi:http/") {
			continue
		}
		if p.policy.CheckImport(im.Name) != nil {
			g.HTTP = false
			break
		}
		g.HTTP = true
	}
	return g, nil
}
