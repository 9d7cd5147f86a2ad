package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wcomp/wcomp/internal/membername"

	"github.com/wcomp/wcomp/component"
)

// Action is what a rule does with the imports its pattern matches.
type Action uint8

const (
	// ActionAllow lets the import through to the host.
	ActionAllow Action = iota
	// ActionDeny makes the import a violation.
	ActionDeny
	// ActionStub denies the import and replaces it with a generated stub.
	ActionStub
)

func (a Action) String() string {
	switch a {
	case ActionAllow:
		return "allow"
	case ActionDeny:
		return "deny"
	case ActionStub:
		return "stub"
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// tieRank orders actions among equally specific rules: a tie goes to
// deny, and a plain deny beats a stub (the stricter of the two).
func (a Action) tieRank() int {
	switch a {
	case ActionDeny:
		return 2
	case ActionStub:
		return 1
	}
	return 0
}

// Rule is one compiled entry of a policy.
type Rule struct {
	Action  Action
	Pattern Pattern
	At      Source
}

// String renders the rule as its flag would be written: "deny wasi:sockets/*".
func (r Rule) String() string { return r.Action.String() + " " + r.Pattern.String() }

// Policy is a checked, compiled policy. The zero Policy allows everything.
type Policy struct {
	rules     []Rule
	allowList bool
	grants    []grant
	virtual   *Virtual
}

type grant struct {
	member string
	at     Source
	rules  []Rule
}

// Status is a verdict on one import of one member.
type Status uint8

const (
	// StatusAllowed: the import reaches the host.
	StatusAllowed Status = iota
	// StatusVirtual: wcomp's generated wasi:cli/environment provides it.
	StatusVirtual
	// StatusStubbed: denied, and a generated stub provides it.
	StatusStubbed
	// StatusDenied: a violation.
	StatusDenied
)

func (s Status) String() string {
	switch s {
	case StatusAllowed:
		return "allowed"
	case StatusVirtual:
		return "virtual"
	case StatusStubbed:
		return "stubbed"
	case StatusDenied:
		return "denied"
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Verdict is what the policy says about one import of one member, and why.
type Verdict struct {
	Status Status
	// Rule is the rule that decided; nil when a default did (no rule
	// matched, or the member's grant does not cover the import and no stub
	// rule matches).
	Rule *Rule
	// Reason says why in words, for tables and messages.
	Reason string
}

// New checks spec and compiles it. Every problem is reported, each with
// where it was written, as an ErrorList.
func New(spec Spec) (*Policy, error) {
	p := &Policy{allowList: len(spec.Allow) > 0}
	var errs ErrorList
	type seenRule struct {
		action Action
		at     Source
	}
	seen := map[string]seenRule{}
	add := func(action Action, entries []Entry) {
		for _, e := range entries {
			pat, err := ParsePattern(e.Pattern)
			if err != nil {
				errs = append(errs, patternError(e, err))
				continue
			}
			key := pat.Key()
			if prev, dup := seen[key]; dup {
				msg := fmt.Sprintf("listed twice (also %s)", describeAt(prev.at))
				if prev.action != action {
					msg = fmt.Sprintf("both %s and %s: an import it matches cannot be both (the %s is %s)", pastTense(prev.action), pastTense(action), prev.action, describeAt(prev.at))
				}
				errs = append(errs, &Error{At: e.At, Text: e.Pattern, Offset: -1, Msg: msg})
				continue
			}
			seen[key] = seenRule{action, e.At}
			p.rules = append(p.rules, Rule{Action: action, Pattern: pat, At: e.At})
		}
	}
	add(ActionAllow, spec.Allow)
	add(ActionDeny, spec.Deny)
	add(ActionStub, spec.Stub)

	if spec.Virtual != nil {
		errs = append(errs, p.checkVirtual(spec.Virtual)...)
		p.virtual = spec.Virtual
	}
	members := map[string]Source{}
	for _, g := range spec.Grants {
		// The manifest's rule, for file stems given on the command line too.
		if err := membername.Check(g.Member); err != nil {
			errs = append(errs, &Error{At: g.At, Text: g.Member, Offset: -1, Msg: err.Error()})
			continue
		}
		if prev, dup := members[g.Member]; dup {
			errs = append(errs, &Error{At: g.At, Text: g.Member, Offset: -1, Msg: fmt.Sprintf("capabilities granted twice (also %s)", describeAt(prev))})
			continue
		}
		members[g.Member] = g.At
		gr := grant{member: g.Member, at: g.At}
		grantSeen := map[string]Source{}
		for _, e := range g.Patterns {
			pat, err := ParsePattern(e.Pattern)
			if err != nil {
				errs = append(errs, patternError(e, err))
				continue
			}
			if prev, dup := grantSeen[pat.Key()]; dup {
				errs = append(errs, &Error{At: e.At, Text: e.Pattern, Offset: -1, Msg: fmt.Sprintf("granted to %s twice (also %s)", g.Member, describeAt(prev))})
				continue
			}
			grantSeen[pat.Key()] = e.At
			if why := p.deadGrant(pat); why != "" {
				errs = append(errs, &Error{At: e.At, Text: e.Pattern, Offset: -1,
					Msg: fmt.Sprintf("granted to %s, but %s for every member: a grant only narrows what the policy allows", g.Member, why)})
				continue
			}
			gr.rules = append(gr.rules, Rule{Action: ActionAllow, Pattern: pat, At: e.At})
		}
		p.grants = append(p.grants, gr)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

func pastTense(a Action) string {
	switch a {
	case ActionAllow:
		return "allowed"
	case ActionDeny:
		return "denied"
	}
	return "stubbed"
}

func describeAt(s Source) string {
	switch {
	case s.File != "":
		return "at " + s.String()
	case s.Flag != "":
		return "by " + s.Flag
	}
	return "earlier"
}

// patternError positions a ParsePattern error at the offending character.
func patternError(e Entry, err error) *Error {
	if pe, ok := err.(*PatternError); ok {
		return &Error{At: e.At.at(pe.Offset), Text: e.Pattern, Offset: pe.Offset, Msg: pe.Msg}
	}
	return &Error{At: e.At, Text: e.Pattern, Offset: -1, Msg: err.Error()}
}

// environment is the interface a virtual environment replaces.
const environment = "wasi:cli/environment"

func isEnvironment(name string) bool {
	n, ok := component.InterfaceName(name)
	return ok && n.WithoutVersion() == environment
}

func (p *Policy) checkVirtual(v *Virtual) ErrorList {
	var errs ErrorList
	keys := map[string]Source{}
	for _, kv := range v.Env {
		at := kv.At
		if at == (Source{}) {
			at = v.At
		}
		switch {
		case kv.Key == "":
			errs = append(errs, &Error{At: at, Text: kv.Key, Offset: -1, Msg: "empty environment variable name"})
		case strings.ContainsAny(kv.Key, "=\x00"):
			errs = append(errs, &Error{At: at, Text: kv.Key, Offset: strings.IndexAny(kv.Key, "=\x00"), Msg: "an environment variable name cannot contain '=' or NUL"})
		default:
			if prev, dup := keys[kv.Key]; dup {
				errs = append(errs, &Error{At: at, Text: kv.Key, Offset: -1, Msg: fmt.Sprintf("set twice (also %s)", describeAt(prev))})
			}
			keys[kv.Key] = at
		}
	}
	if v.Cwd != nil && !strings.HasPrefix(*v.Cwd, "/") {
		errs = append(errs, &Error{At: v.At, Text: *v.Cwd, Offset: -1, Msg: "the virtual working directory must be an absolute path"})
	}
	for _, r := range p.rules {
		if r.Action != ActionAllow && r.Pattern.IsExactName() && r.Pattern.Match(environment) {
			errs = append(errs, &Error{At: r.At, Text: r.Pattern.String(), Offset: -1,
				Msg: fmt.Sprintf("%s, but the virtual environment (%s) provides it: remove one of the two", pastTense(r.Action), describeAt(v.At))})
		}
	}
	return errs
}

// deadGrant says why a grant pattern can never let anything through, or
// returns "".
func (p *Policy) deadGrant(g Pattern) string {
	overlaps := func(a Pattern) bool { return a.Covers(g) || g.Covers(a) }
	var allows []Rule
	for _, r := range p.rules {
		if r.Action == ActionAllow && overlaps(r.Pattern) {
			allows = append(allows, r)
		}
	}
	if p.allowList && len(allows) == 0 {
		return "the allow list allows none of it"
	}
	for _, r := range p.rules {
		if r.Action == ActionAllow || !r.Pattern.Covers(g) {
			continue
		}
		rescued := slices.ContainsFunc(allows, func(a Rule) bool {
			return a.Pattern.Specificity().Compare(r.Pattern.Specificity()) > 0
		})
		if !rescued {
			return fmt.Sprintf("%q (%s) %s all of it", r.Pattern.String(), describeAt(r.At), map[Action]string{ActionDeny: "denies", ActionStub: "stubs"}[r.Action])
		}
	}
	return ""
}

// Members returns the members the policy grants capabilities to, in the
// order they were given.
func (p *Policy) Members() []string {
	out := make([]string, len(p.grants))
	for i, g := range p.grants {
		out[i] = g.member
	}
	return out
}

// CheckMembers reports grants to members that are not in members (the
// composition's member names), each with where it was written.
func (p *Policy) CheckMembers(members []string) error {
	var errs ErrorList
	for _, g := range p.grants {
		if !slices.Contains(members, g.member) {
			list := "none"
			if len(members) > 0 {
				list = strings.Join(members, ", ")
			}
			errs = append(errs, &Error{At: g.at, Text: g.member, Offset: -1,
				Msg: fmt.Sprintf("capabilities granted to a member that does not exist (members: %s)", list)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// HasVirtual reports whether the policy replaces wasi:cli/environment.
func (p *Policy) HasVirtual() bool { return p != nil && p.virtual != nil }

// VirtualEnv returns the virtual environment, or nil.
func (p *Policy) VirtualEnv() *Virtual {
	if p == nil {
		return nil
	}
	return p.virtual
}

// Decide returns the verdict on the import name of member. member may be
// "" for an import whose member is unknown; then only the global rules
// apply.
//
// Precedence: the virtual environment takes wasi:cli/environment. Among
// the rules whose pattern matches, the most specific decides
// (Specificity); among equally specific ones, deny beats stub beats
// allow. With no match, an allow list denies and its absence allows. A
// member with a grant may then have only what the grant matches: anything
// else is stubbed if a stub rule matches it, and denied otherwise.
func (p *Policy) Decide(name, member string) Verdict {
	if p == nil {
		return Verdict{Status: StatusAllowed, Reason: "no policy"}
	}
	if p.virtual != nil && isEnvironment(name) {
		return Verdict{Status: StatusVirtual, Reason: "virtual environment"}
	}
	best := p.match(p.rules, name)
	var v Verdict
	switch {
	case best == nil && p.allowList:
		v = Verdict{Status: StatusDenied, Reason: "not in the allow list"}
	case best == nil:
		v = Verdict{Status: StatusAllowed, Reason: "no rule denies it"}
	default:
		v = Verdict{Rule: best, Reason: best.String()}
		switch best.Action {
		case ActionAllow:
			v.Status = StatusAllowed
		case ActionDeny:
			v.Status = StatusDenied
		case ActionStub:
			v.Status = StatusStubbed
		}
	}
	if v.Status != StatusAllowed || member == "" {
		return v
	}
	for _, g := range p.grants {
		if g.member != member {
			continue
		}
		if p.match(g.rules, name) != nil {
			return v
		}
		reason := "not granted to " + member
		for i := range p.rules {
			if r := &p.rules[i]; r.Action == ActionStub && r.Pattern.Match(name) {
				return Verdict{Status: StatusStubbed, Rule: r, Reason: reason + "; " + r.String()}
			}
		}
		return Verdict{Status: StatusDenied, Reason: reason}
	}
	return v
}

// match returns the most specific rule of rules matching name, with ties
// going to the stricter action, or nil.
func (p *Policy) match(rules []Rule, name string) *Rule {
	n, err := component.ParseName(name)
	if err != nil {
		return nil
	}
	var best *Rule
	for i := range rules {
		r := &rules[i]
		if !r.Pattern.MatchName(n) {
			continue
		}
		if best == nil {
			best = r
			continue
		}
		switch c := r.Pattern.Specificity().Compare(best.Pattern.Specificity()); {
		case c > 0, c == 0 && r.Action.tieRank() > best.Action.tieRank():
			best = r
		}
	}
	return best
}

// RunError is what CheckImport returns for an import the policy does not
// let reach the host at run time.
type RunError struct {
	Import string
	Verdict
}

func (e *RunError) Error() string {
	switch e.Status {
	case StatusStubbed:
		return fmt.Sprintf("%s; it is replaced by a stub when the component is composed under this policy, and this one was not", e.Reason)
	case StatusVirtual:
		return "the policy's virtual environment replaces it when the component is composed, and this one was not"
	}
	if e.Rule != nil && e.Rule.At != (Source{}) {
		return fmt.Sprintf("%s (%s)", e.Reason, describeAt(e.Rule.At))
	}
	return e.Reason
}

// CheckImport is the run-time check of one import of a component about to
// be instantiated (host.RunOptions.CheckImport): nil if the policy lets it
// reach the host, else a *RunError. At run time the component is one
// whole, so only the global rules apply, not per-member grants.
func (p *Policy) CheckImport(name string) error {
	v := p.Decide(name, "")
	if v.Status == StatusAllowed {
		return nil
	}
	return &RunError{Import: name, Verdict: v}
}
