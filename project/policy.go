package project

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/manifest"
	"github.com/wcomp/wcomp/policy"
)

// This file is [capabilities] in the driver: the manifest's policy
// (policy.FromManifest, read by Load so its errors come before any
// build), enforced on the resolved graph (policy.EnforceGraph), with the
// outcome reported as an event and a violation as a *PolicyError.

// loadPolicy reads the manifest's [capabilities] and the members'
// grants, and checks that every grant names a member.
func loadPolicy(f *manifest.File) (*policy.Policy, error) {
	pol, err := policy.FromManifest(f)
	if err != nil || pol == nil {
		return nil, err
	}
	names := make([]string, len(f.Components))
	for i, m := range f.Components {
		names[i] = m.Name
	}
	if err := pol.CheckMembers(names); err != nil {
		return nil, err
	}
	return pol, nil
}

// Policy is the capability policy component.toml declares; nil when it
// declares none (everything is allowed, as without wcomp).
func (p *Project) Policy() *policy.Policy { return p.policy }

// resolveGraph resolves g under the project's policy: EnforceGraph
// judges the members' imports, and composes in the stubs and the virtual
// environment. Without a policy it is g.Resolve. The outcome is kept in
// s.enforced (also on a violation, for its table).
func (s *session) resolveGraph(g *graph.Graph) (*graph.Plan, error) {
	// [compose] share-modules (and --no-share-modules), for the WAC
	// document's graph as for [compose]'s.
	g.SetShareModules(s.shareModules())
	if s.p.policy == nil {
		return g.Resolve()
	}
	e, err := policy.EnforceGraph(g, s.p.Name(), s.p.policy)
	if e != nil {
		s.enforced = e
	}
	if err != nil {
		if e != nil {
			return nil, s.policyError(e, err)
		}
		return nil, err
	}
	s.report(Event{Kind: Capabilities, Message: capabilitySummary(e.Report), Counts: statusCounts(e.Report)})
	return e.Plan, nil
}

// statusCounts counts a report's imports by status.
func statusCounts(r *policy.Report) map[string]int {
	counts := map[string]int{}
	for _, row := range r.Rows {
		if row.Provider == "" {
			counts[row.Status.String()]++
		}
	}
	return counts
}

// capabilitySummary is "14 allowed, 1 virtual, 3 stubbed".
func capabilitySummary(r *policy.Report) string {
	counts := statusCounts(r)
	var parts []string
	for _, st := range []policy.Status{policy.StatusAllowed, policy.StatusVirtual, policy.StatusStubbed, policy.StatusDenied} {
		if n := counts[st.String()]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, st))
		}
	}
	if len(parts) == 0 {
		return "no imports"
	}
	return strings.Join(parts, ", ")
}

// PolicyError is a build the capability policy refused: nothing was
// written. Report is the verdict table of what the members ask for (the
// CLI prints it; nil when the policy could not be applied at all); Errs says, for each refused import, which member brings
// it in and which rule of component.toml refuses it, at that rule.
type PolicyError struct {
	Report *policy.Report
	Errs   ErrorList
}

func (e *PolicyError) Error() string { return e.Errs.Error() }

// Unwrap lets errors.As reach each positioned error.
func (e *PolicyError) Unwrap() []error { return e.Errs }

// policyError positions a violation at the manifest: a denial at the
// rule that denies it (a deny or the allow list), a member's refusal at
// its capabilities grant; what cannot be enforced at [capabilities].
func (s *session) policyError(e *policy.Enforced, err error) error {
	f := s.p.Manifest
	caps := &f.Capabilities
	pe := &PolicyError{}
	if policy.IsViolation(err) {
		pe.Report = e.Report
	}
	var ve *policy.ViolationError
	if !errors.As(err, &ve) {
		pe.Errs = ErrorList{s.p.errorf(caps.Pos, "capabilities", "%w", err)}
		return pe
	}
	for _, v := range ve.Violations {
		who := strings.Join(v.Path, " → ")
		if who == "" {
			who = v.Member
		}
		msg := fmt.Sprintf("member %s imports %s, which is denied (%s)", who, v.MemberVerdict.Import, v.Reason)
		switch {
		case v.Rule != nil && v.Rule.At.Line > 0:
			at := manifest.Pos{Filename: v.Rule.At.File, Line: v.Rule.At.Line, Col: v.Rule.At.Col}
			pe.Errs = append(pe.Errs, s.p.errorf(at, v.Rule.At.Key, "%s", msg))
		case strings.HasPrefix(v.Reason, "not granted to "):
			key := "components." + v.Member + ".capabilities"
			pos := caps.Pos
			if m := f.Member(v.Member); m != nil && m.Capabilities.Set {
				pos = m.Capabilities.Pos
			}
			pe.Errs = append(pe.Errs, s.p.errorf(pos, key, "%s: grant it there, or stub it ([capabilities] stub)", msg))
		case caps.Allow.Set:
			pe.Errs = append(pe.Errs, s.p.errorf(caps.Allow.Pos, "capabilities.allow", "%s: allow it here, or stub it ([capabilities] stub)", msg))
		default:
			pe.Errs = append(pe.Errs, s.p.errorf(caps.Pos, "capabilities", "%s", msg))
		}
	}
	return pe
}

// policyKey is the policy as the composition's fingerprint sees it: every
// rule, grant and virtual value, without positions (moving a line in
// component.toml composes nothing).
type policyKey struct {
	Allow, Deny, Stub []string
	Grants            []string
	Virtual           bool
	Env               []string
	Args              []string
}

func manifestPolicyKey(f *manifest.File) policyKey {
	c := &f.Capabilities
	k := policyKey{Allow: c.Allow.Strings(), Deny: c.Deny.Strings(), Stub: c.Stub.Strings(), Virtual: c.Virtual.Set}
	for _, m := range f.Components {
		if m.Capabilities.Set {
			k.Grants = append(k.Grants, m.Name+"="+strings.Join(m.Capabilities.Strings(), ","))
		}
	}
	for _, e := range c.Virtual.Env.Entries {
		k.Env = append(k.Env, e.Key+"="+e.Value.Value)
	}
	k.Args = c.Virtual.Args.Strings()
	return k
}

func isPolicyError(err error) bool {
	var pe *PolicyError
	return errors.As(err, &pe)
}

// Audit is a project's capability audit.
type Audit struct {
	// Report is the verdict table of what the members ask for under
	// component.toml's policy, each import with the members that bring
	// it in, by their manifest names.
	Report *policy.Report
	// Result is the build; nil when the policy refused it.
	Result *Result
	// Violation is the *PolicyError of a refused build (nothing was
	// written), nil otherwise.
	Violation error
}

// Audit builds the project, as Build does (only what changed), and
// returns the audit of its composition. A build the policy refuses is not
// an error here: its table is the audit, and Violation says why it was
// refused. Any other failure is.
func (p *Project) Audit(ctx context.Context, opts Options) (*Audit, error) {
	s, unlock, err := p.begin(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer unlock()
	res, err := s.build(ctx)
	var pe *PolicyError
	switch {
	case errors.As(err, &pe) && pe.Report != nil:
		return &Audit{Report: pe.Report, Violation: err}, nil
	case err != nil:
		return nil, err
	}
	a := &Audit{Result: res}
	if s.enforced == nil {
		// The composition was fresh, or there is no policy: resolve the
		// graph again for its provenance (nothing is encoded).
		in, err := s.openInputs()
		if err != nil {
			return nil, err
		}
		defer in.close()
		plan, _, err := s.plan(ctx, in)
		if err != nil {
			return nil, err
		}
		if s.enforced == nil {
			if a.Report, err = policy.AuditPlan(p.Name(), plan, nil); err != nil {
				return nil, err
			}
		}
	}
	if a.Report == nil {
		a.Report = s.enforced.Report
	}
	s.finish(res)
	return a, nil
}
