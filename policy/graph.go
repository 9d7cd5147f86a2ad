package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
)

// This file is the engine `wcomp compose` and `wcomp build` share: the
// policy judged on the plan wcomp resolved (which imports reach the host
// depends on what the members plug), then the generated members added to
// the graph, wired explicitly, and the graph resolved again.

// FromPlan describes a resolved plan as a Composition: each instance is a
// member and the consumer of its own imports, so a grant names an
// instance, and a stub can be wired to one member's import and not to
// another's. How each member uses its imports is read from its bytes
// (TraceComponent), so a member that is itself a composition shows its
// own members. An explicit import of the result that no member takes
// whole is a row of its own, brought in by the composition.
func FromPlan(name string, plan *graph.Plan) (*Composition, error) {
	data := map[graph.ComponentID][]byte{}
	for _, pc := range plan.Components() {
		data[pc.ID] = pc.Data
	}
	var members []MemberSource
	for _, in := range plan.Instances() {
		members = append(members, MemberSource{Name: in.Name, Bytes: data[in.Component]})
	}
	var imports []MemberImport
	for _, im := range plan.Imports() {
		for _, u := range im.Members {
			imports = append(imports, MemberImport{Outer: im.Name, Member: plan.InstanceName(u.Instance), Import: u.Import})
		}
	}
	c, err := FromMembers(name, members, imports)
	if err != nil {
		return nil, err
	}
	// FromMembers lists the imports members take; put them back in the
	// plan's order, with the explicit imports nobody takes whole.
	byName := map[string]Import{}
	for _, imp := range c.Imports {
		byName[imp.Name] = imp
	}
	ordered := make([]Import, 0, len(plan.Imports()))
	for _, im := range plan.Imports() {
		imp, ok := byName[im.Name]
		if !ok {
			imp = Import{Name: im.Name, Users: partUsers(plan, im)}
		}
		ordered = append(ordered, imp)
	}
	c.Imports = ordered
	return c, nil
}

// partUsers lists the instances given an export of the explicit import
// im (a WAC document's `x.f`): they bring in im, judged by its name,
// though how they use it is not known, and it can only be replaced
// whole.
func partUsers(plan *graph.Plan, im graph.PlannedImport) []User {
	var users []User
	for _, in := range plan.Instances() {
		for _, a := range in.Args {
			if a.From.Kind == graph.SourceImportExport && a.From.Import == im.ID {
				users = append(users, User{Path: []string{in.Name}, Import: im.Name, Use: UseOpaque})
				break
			}
		}
	}
	return users
}

// AuditPlan is the verdict table of a plan under p (nil: no policy), as
// `wcomp audit` prints it for a project. Its error is about the policy (a
// grant to a member the plan does not have); violations are in the
// report (Report.Err).
func AuditPlan(name string, plan *graph.Plan, p *Policy) (*Report, error) {
	c, err := FromPlan(name, plan)
	if err != nil {
		return nil, err
	}
	return Check(c, p)
}

// Enforced is what EnforceGraph gives.
type Enforced struct {
	// Plan is the final plan, ready for compose.Encode: the members and
	// the generated members, every stubbed or virtual import wired
	// inside. Nil when the policy is violated.
	Plan *graph.Plan
	// Initial is the plan without the policy's members: the imports the
	// members ask for, which Report judges.
	Initial *graph.Plan
	// Report is the verdict table of Initial's imports under the policy.
	Report *Report
	// Members and Wires are what was added to the graph.
	Members []GeneratedMember
	Wires   []Wire
}

// Replaced lists the imports of Initial that the final plan no longer
// has: those the generated members now serve for every member. An import
// still there at another version (the members left import a lower one)
// is not replaced.
func (e *Enforced) Replaced() []string {
	if e.Plan == nil || e.Initial == nil {
		return nil
	}
	left := map[string]bool{}
	for _, im := range e.Plan.Imports() {
		left[graph.CompatName(im.Name)] = true
	}
	var out []string
	for _, im := range e.Initial.Imports() {
		if !left[graph.CompatName(im.Name)] {
			out = append(out, im.Name)
		}
	}
	return out
}

// EnforceGraph applies p to the composition g describes. It resolves g
// and judges the plan's imports member by member (FromPlan, Check); a
// violation returns the report and a *ViolationError, and g is left as it
// was. Otherwise the stubs and the virtual environment the policy asks
// for are generated and added to g, each wired only to the imports it
// serves (graph.WiredOnly: a stub generated for one member is never
// auto-plugged into another that may have the real interface), their own
// imports taken from where their consumer takes its own; g is resolved
// again and the final plan checked: an import the policy does not allow
// in it is an error, never a quiet result.
//
// name names the composition in the report and its paths. A nil p
// allows everything: the plan is g's, the report says "no policy". The
// *Enforced is nil exactly when the error is not the policy's: the first
// Resolve's errors are g's own, unwrapped, so a caller positions them as
// it does without a policy (and a member that cannot be traced).
func EnforceGraph(g *graph.Graph, name string, p *Policy) (*Enforced, error) {
	initial, err := g.Resolve()
	if err != nil {
		return nil, err
	}
	c, err := FromPlan(name, initial)
	if err != nil {
		return nil, err
	}
	c.taken = func(n string) bool {
		_, inst := g.InstanceByName(n)
		_, comp := g.ComponentByName(n)
		return inst || comp
	}
	e := &Enforced{Initial: initial}
	o, err := Enforce(c, p)
	if o != nil {
		e.Report = o.Report
	}
	if err != nil {
		return e, err
	}
	e.Members, e.Wires = o.Members, o.Wires
	if len(o.Members) == 0 {
		e.Plan = initial
		return e, e.checkFinal(p, name, nil)
	}
	if err := addGenerated(g, initial, o); err != nil {
		return e, err
	}
	final, err := g.Resolve()
	if err != nil {
		return e, fmt.Errorf("%s: composing the policy's generated members: %w", name, err)
	}
	e.Plan = final
	generated := map[string]bool{}
	for _, m := range o.Members {
		generated[m.Name] = true
	}
	if err := e.checkFinal(p, name, generated); err != nil {
		e.Plan = nil
		return e, err
	}
	return e, nil
}

// addGenerated adds o's members to g and wires them. A generated member
// takes each of its own imports (the interfaces whose types its exports
// use) exactly as its consumer takes its import of that name in the
// initial plan: from the same instance or explicit import, else from an
// import of the result, merged with the consumer's.
func addGenerated(g *graph.Graph, initial *graph.Plan, o *Outcome) error {
	consumerOf := map[string]string{}
	for _, w := range o.Wires {
		if _, ok := consumerOf[w.Provider]; !ok {
			consumerOf[w.Provider] = w.Consumer
		}
	}
	args := map[string][]graph.Arg{}
	for _, in := range initial.Instances() {
		args[in.Name] = in.Args
	}
	for _, m := range o.Members {
		ct, err := component.DecodeType(m.Bytes)
		if err != nil {
			return fmt.Errorf("generated %s %s: %w (a bug in wcomp)", m.Kind, m.Name, err)
		}
		comp, err := g.AddComponent(m.Name, ct, m.Bytes)
		if err != nil {
			return fmt.Errorf("adding generated %s %s: %w", m.Kind, m.Name, err)
		}
		id, err := g.Instantiate(comp, m.Name)
		if err != nil {
			return fmt.Errorf("adding generated %s %s: %w", m.Kind, m.Name, err)
		}
		if err := g.WiredOnly(id); err != nil {
			return err
		}
		if err := g.SetFill(id, graph.FillImport); err != nil {
			return err
		}
		for _, imp := range ct.Imports {
			a, ok := argNamed(args[consumerOf[m.Name]], imp.Name)
			if !ok || a.Kind == graph.ArgImport {
				continue // imported, merged with the consumer's import
			}
			if a.From.Kind == graph.SourceImport {
				if pi, ok := initial.Import(a.From.Import); !ok || !pi.Explicit {
					continue
				}
			}
			if err := g.SetArg(id, imp.Name, a.From); err != nil {
				return fmt.Errorf("%s: giving %s the %s its consumer %s has: %w", m.Name, imp.Name, initial.DescribeSource(a.From), consumerOf[m.Name], err)
			}
		}
	}
	for _, w := range o.Wires {
		consumer, ok := g.InstanceByName(w.Consumer)
		if !ok {
			return fmt.Errorf("wire %s: no member %s (a bug in wcomp)", w, w.Consumer)
		}
		provider, _ := g.InstanceByName(w.Provider)
		if err := g.Wire(consumer, w.Import, provider, w.Export); err != nil {
			var already string
			if a, ok := argNamed(args[w.Consumer], w.Import); ok && a.Kind == graph.ArgExplicit {
				already = fmt.Sprintf(": %s.%s is given %s explicitly; drop that argument or do not stub it", w.Consumer, w.Import, initial.DescribeSource(a.From))
			}
			return fmt.Errorf("cannot serve %s.%s from %s%s: %w", w.Consumer, w.Import, w.Provider, already, err)
		}
	}
	return nil
}

func argNamed(args []graph.Arg, name string) (graph.Arg, bool) {
	for _, a := range args {
		if a.Import == name {
			return a, true
		}
	}
	return graph.Arg{}, false
}

// checkFinal checks that every import of the final plan is one the
// policy lets reach the host: for each member that takes it, the verdict
// on its own import (a generated member's by the global rules). It is
// what makes "the output never imports what is denied" hold whatever the
// graph decided, and catches an import the composition keeps on its own
// (an explicit import the policy stubs).
func (e *Enforced) checkFinal(p *Policy, name string, generated map[string]bool) error {
	if p == nil {
		return nil
	}
	var problems []string
	for _, im := range e.Plan.Imports() {
		if len(im.Members) == 0 {
			if v := p.Decide(im.Name, ""); v.Status != StatusAllowed {
				problems = append(problems, fmt.Sprintf("%s is an explicit import of the result, which the policy says is %s (%s): it cannot be replaced; remove the explicit import or the rule", im.Name, v.Status, v.Reason))
			}
			continue
		}
		for _, u := range im.Members {
			member := e.Plan.InstanceName(u.Instance)
			who := member
			if generated[member] {
				who = ""
			}
			if v := p.Decide(u.Import, who); v.Status != StatusAllowed {
				problems = append(problems, fmt.Sprintf("%s still imports %s, which the policy says is %s (%s)", member, u.Import, v.Status, v.Reason))
			}
		}
	}
	if len(problems) > 0 {
		return &UnservedError{Component: name, Problems: problems}
	}
	return nil
}

// UnservedError reports a composition whose final plan still imports
// what the policy does not allow, though nothing was denied: the
// generated members could not take its place. Nothing may be written.
type UnservedError struct {
	Component string
	Problems  []string
}

func (e *UnservedError) Error() string {
	return fmt.Sprintf("%s: the policy cannot be enforced: %s", e.Component, strings.Join(e.Problems, "; "))
}

// IsViolation reports whether err says the policy was violated (or could
// not be enforced), as opposed to a composition that failed for other
// reasons: the caller then prints the report's table.
func IsViolation(err error) bool {
	var ve *ViolationError
	var ue *UnservedError
	return errors.As(err, &ve) || errors.As(err, &ue)
}
