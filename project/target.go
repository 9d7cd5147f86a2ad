package project

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/wit"
)

// checkTarget checks the composed component against [target]: its
// imports within the world's, the world's exports among its own, every
// type a subtype (wit.CheckTarget). Each violation is one error at
// target.world, naming the member that brought the import in, or that
// provides (or should provide) the export.
func (s *session) checkTarget(ctx context.Context, plan *graph.Plan, out []byte) error {
	t := &s.p.Manifest.Target
	if !t.Set {
		return nil
	}
	s.report(Event{Kind: Checking, Message: s.p.Name() + " against " + t.World.Value})
	at := func(format string, args ...any) error {
		return s.p.errorf(t.World.Pos, "target.world", format, args...)
	}
	proj, err := wit.Load(s.p.WITDir())
	if err != nil {
		return at("loading %s: %w", s.p.Rel(s.p.WITDir()), err)
	}
	world, err := proj.FindWorld(t.World.Value)
	if err != nil {
		return at("%w", err)
	}
	want, err := wit.WorldType(world, wit.WorldOptions{})
	if err != nil {
		return at("world %s: %w", wit.WorldID(world), err)
	}
	got, err := component.DecodeType(out)
	if err != nil {
		return fmt.Errorf("reading the composed component back (a bug in wcomp): %w", err)
	}
	err = wit.CheckTarget(wit.WorldID(world), want, got, wit.TargetOptions{Compatible: graph.Compatible})
	var te *wit.TargetError
	if !errors.As(err, &te) {
		return err
	}
	errs := make(ErrorList, len(te.Violations))
	for i, v := range te.Violations {
		errs[i] = at("%s does not conform to %s: %s (%s)", s.p.Name(), te.World, v, blame(plan, v))
	}
	return errs
}

// blame names the members behind a violation: those whose imports an
// import of the result serves, or the member an export comes from.
func blame(plan *graph.Plan, v wit.Violation) string {
	switch v.Kind {
	case wit.ExtraImport, wit.ImportMismatch:
		for _, im := range plan.Imports() {
			if im.Name != v.Name {
				continue
			}
			var who []string
			for _, u := range im.Members {
				n := plan.InstanceName(u.Instance)
				if u.Import != im.Name {
					n += " as " + u.Import
				}
				if !contains(who, n) {
					who = append(who, n)
				}
			}
			if im.Explicit {
				return "imported by compose.imports, for " + orNone(who)
			}
			return "brought in by " + orNone(who)
		}
	case wit.ExportMismatch:
		for _, e := range plan.Exports() {
			if e.Name == v.Name {
				return "exported from " + plan.DescribeSource(e.From)
			}
		}
	case wit.MissingExport:
		if root, ok := plan.Root(); ok {
			return "no member provides it: the result exports what " + plan.InstanceName(root) + " exports, unless compose.exports says otherwise"
		}
		return "no member provides it: add it to the exports"
	}
	return "from no member"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "no member"
	}
	return strings.Join(names, ", ")
}

// errorf is manifest.Errorf that still names the file when the value has
// no position (a table the manifest does not have).
func (p *Project) errorf(pos manifest.Pos, key, format string, args ...any) *manifest.Error {
	e := manifest.Errorf(pos, key, format, args...)
	if e.Filename == "" {
		e.Filename = p.Manifest.Filename
	}
	return e
}
