package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/wac"
)

// wacPlan builds the composition from the WAC document compose.wac names.
// In it, member NAME is the package NS:NAME, NS being [package]'s
// namespace: `let v = new example:validator { ... };`.
func (s *session) wacPlan(ctx context.Context, in *inputs) (*graph.Plan, error) {
	c := &s.p.Manifest.Compose
	path := s.p.abs(c.WAC.Value)
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, s.p.errorf(c.WAC.Pos, "compose.wac", "%w", err)
	}
	// Named as the manifest is, so both read alike in messages.
	shown := filepath.Join(filepath.Dir(s.p.Manifest.Filename), c.WAC.Value)
	doc, err := wac.Parse(wac.NewFile(shown, src))
	if err != nil {
		return nil, err
	}
	comp, err := wac.Resolve(ctx, doc, &memberPackages{ns: s.p.Manifest.Package.Namespace(), in: in})
	if err != nil {
		return nil, err
	}
	return comp.PlanWith(s.resolveGraph)
}

// memberPackages serves the project's members to a WAC document as
// packages NS:NAME.
type memberPackages struct {
	ns string
	in *inputs
}

func (m *memberPackages) ResolvePackage(_ context.Context, name, version string) ([]byte, error) {
	ns, member, _ := strings.Cut(name, ":")
	if ns == m.ns {
		for _, c := range m.in.list {
			if c.Name == member {
				return c.Bytes, nil
			}
		}
	}
	var known []string
	for _, c := range m.in.list {
		known = append(known, m.ns+":"+c.Name)
	}
	sort.Strings(known)
	return nil, fmt.Errorf("%w: the project's members are %s", wac.ErrUnknownPackage, strings.Join(known, ", "))
}
