package policy

import (
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
	"github.com/wcomp/wcomp/inspect"
)

// Composition is what a policy judges: the imports a composed component
// would ask its host for, who brings each in, and where a generated member
// can be wired in instead.
//
// FromComponent builds one from any component's bytes; wcomp compose and
// wcomp build build one from their own plan, where each member is a
// consumer of its own imports.
type Composition struct {
	// Name names the composition in messages and paths.
	Name string
	// Members are the names grants may refer to (the direct members).
	Members []string
	Imports []Import
	// taken reports names a generated member may not have besides
	// Members' (the graph's other instance and component names).
	taken func(string) bool
}

// Import is one import of a composition.
type Import struct {
	Name string
	// Users are the members that bring it in (Path[0] is the direct
	// member, the one a grant names; an empty Path is the composition
	// itself).
	Users []User
	// Consumers are where the import can be replaced: the members whose
	// own import it is, at the level where generated members are wired.
	Consumers []Consumer
}

// Consumer is one place an import can be served by a generated member.
type Consumer struct {
	// Member is the member whose import it is; Import is its name there.
	Member, Import string
	// Type is the member's component type: the source of the interface's
	// type when a stub is generated for it.
	Type *component.ComponentType
	// Users indexes the Import's Users this consumer serves.
	Users []int
}

// FromComponent traces a component (any component, composed by anyone)
// into a Composition. Its imports can be replaced only as a whole, so its
// one consumer is the component itself, as the member named root.
func FromComponent(data []byte, name, root string) (*Composition, *Trace, error) {
	t, err := TraceComponent(data, name)
	if err != nil {
		return nil, nil, err
	}
	c := &Composition{Name: t.Component}
	seen := map[string]bool{}
	for _, m := range t.Members {
		if len(m.Path) == 1 && !seen[m.Path[0]] {
			seen[m.Path[0]] = true
			c.Members = append(c.Members, m.Path[0])
		}
	}
	if len(c.Members) == 0 {
		c.Members = []string{t.Component}
	}
	for _, imp := range t.Imports {
		in := Import{Name: imp.Name, Users: imp.Users}
		cons := Consumer{Member: root, Import: imp.Name, Type: t.Type}
		for i := range imp.Users {
			cons.Users = append(cons.Users, i)
		}
		in.Consumers = []Consumer{cons}
		c.Imports = append(c.Imports, in)
	}
	return c, t, nil
}

// memberOf is the member a grant names for a user: its direct member, or
// the composition itself.
func (c *Composition) memberOf(u User) string {
	if len(u.Path) > 0 {
		return u.Path[0]
	}
	return c.Name
}

// Report is the verdict table of a composition.
type Report struct {
	Component string
	// Policy is false when no policy was given: everything is allowed.
	Policy bool
	// Rows are in the composition's import order, then the rows
	// AddProvided adds.
	Rows []Row
	// Shared is what the audited file stores once for several members
	// (inspect.SharedOf), shown by `wcomp audit`; nil when nothing is.
	Shared *inspect.Shared
}

// Row is the verdict on one import.
type Row struct {
	// Import is the composition's import name; Capability and Version its
	// parts.
	Import, Capability, Version string
	// Status is the strictest of the members' verdicts.
	Status  Status
	Members []MemberVerdict
	// Provider is set for a row that reports an interface a generated
	// member already provides inside the component: that member.
	Provider string
}

// MemberVerdict is the verdict on one member's import.
type MemberVerdict struct {
	// Member is the direct member; Path the full path to the one that
	// imports it.
	Member string
	Path   []string
	// Import is that member's own name for the import.
	Import   string
	Use      Use
	TypesFor []string
	Verdict
}

// Violations lists the denied member imports, in table order.
func (r *Report) Violations() []Violation {
	var out []Violation
	for _, row := range r.Rows {
		for _, m := range row.Members {
			if m.Status == StatusDenied {
				out = append(out, Violation{Import: row.Import, MemberVerdict: m})
			}
		}
	}
	return out
}

// Violation is one denied import of one member.
type Violation struct {
	Import string
	MemberVerdict
}

func (v Violation) String() string {
	who := strings.Join(v.Path, " → ")
	if who == "" {
		who = v.Member
	}
	return fmt.Sprintf("%s imports %s (%s)", who, v.MemberVerdict.Import, v.Reason)
}

// ViolationError reports a composition that asks for what the policy
// denies. Nothing may be written when it is returned.
type ViolationError struct {
	Component  string
	Violations []Violation
}

func (e *ViolationError) Error() string {
	// One clause per member and reason: "business imports
	// wasi:sockets/tcp@0.2.9, wasi:sockets/udp@0.2.9 (deny wasi:sockets/*)".
	type clause struct {
		who, reason string
		imports     []string
	}
	var clauses []*clause
	byKey := map[string]*clause{}
	for _, v := range e.Violations {
		who := strings.Join(v.Path, " → ")
		if who == "" {
			who = v.Member
		}
		key := who + "|" + v.Reason
		c := byKey[key]
		if c == nil {
			c = &clause{who: who, reason: v.Reason}
			byKey[key] = c
			clauses = append(clauses, c)
		}
		c.imports = append(c.imports, v.MemberVerdict.Import)
	}
	parts := make([]string, len(clauses))
	for i, c := range clauses {
		parts[i] = fmt.Sprintf("%s imports %s (%s)", c.who, strings.Join(c.imports, ", "), c.reason)
	}
	what := "capability denied"
	if len(e.Violations) > 1 {
		what = fmt.Sprintf("%d capabilities denied", len(e.Violations))
	}
	return fmt.Sprintf("%s: %s: %s", e.Component, what, strings.Join(parts, "; "))
}

// Err returns a *ViolationError if the report has violations, else nil.
func (r *Report) Err() error {
	if v := r.Violations(); len(v) > 0 {
		return &ViolationError{Component: r.Component, Violations: v}
	}
	return nil
}

// Check gives the verdict on every member import of c. Its error is about
// the policy (a grant to a member c does not have); violations are in the
// report (Report.Err).
func Check(c *Composition, p *Policy) (*Report, error) {
	if p != nil {
		if err := p.CheckMembers(c.Members); err != nil {
			return nil, err
		}
	}
	r := &Report{Component: c.Name, Policy: p != nil}
	for _, imp := range c.Imports {
		row := Row{Import: imp.Name, Capability: imp.Name}
		if n, ok := component.InterfaceName(imp.Name); ok {
			row.Capability, row.Version = n.WithoutVersion(), n.Version
		}
		users := imp.Users
		if len(users) == 0 {
			users = []User{{Import: imp.Name, Use: UseOpaque}}
		}
		for _, u := range users {
			member := c.memberOf(u)
			v := p.Decide(u.Import, member)
			row.Members = append(row.Members, MemberVerdict{Member: member, Path: u.Path, Import: u.Import, Use: u.Use, TypesFor: u.TypesFor, Verdict: v})
			row.Status = max(row.Status, v.Status)
		}
		r.Rows = append(r.Rows, row)
	}
	return r, nil
}

// AddProvided adds rows for interfaces that generated members inside the
// traced component already provide (a file composed with stubs), so the
// table shows them as stubbed or virtual.
func (r *Report) AddProvided(t *Trace) {
	generated := map[string]string{}
	for _, m := range t.Members {
		if m.Generated != "" {
			generated[strings.Join(m.Path, "/")] = m.Generated
		}
	}
	byExport := map[string]int{}
	for _, l := range t.Links {
		kind, ok := generated[strings.Join(l.Provider, "/")]
		if !ok {
			continue
		}
		provider := strings.Join(l.Provider, " → ")
		key := provider + "|" + l.Export
		i, seen := byExport[key]
		if !seen {
			row := Row{Import: l.Export, Capability: l.Export, Provider: provider, Status: StatusStubbed}
			if kind == GeneratedVirtual {
				row.Status = StatusVirtual
			}
			if n, ok := component.InterfaceName(l.Export); ok {
				row.Capability, row.Version = n.WithoutVersion(), n.Version
			}
			i = len(r.Rows)
			byExport[key] = i
			r.Rows = append(r.Rows, row)
		}
		row := &r.Rows[i]
		v := Verdict{Status: row.Status, Reason: "provided by " + provider}
		row.Members = append(row.Members, MemberVerdict{Member: l.Consumer[0], Path: l.Consumer, Import: l.Import, Verdict: v})
	}
}

// GeneratedMember is a generated component to add to a composition.
type GeneratedMember struct {
	// Name is its member name, unique in the composition.
	Name string
	*Generated
}

// Wire links a consumer's import to a generated member's export, in the
// terms of `wcomp compose --wire CONSUMER:IMPORT=PROVIDER:EXPORT`.
type Wire struct {
	Consumer, Import, Provider, Export string
}

func (w Wire) String() string {
	return w.Consumer + ":" + w.Import + "=" + w.Provider + ":" + w.Export
}

// Outcome is what enforcing a policy on a composition gives: the verdict
// table, and the members and wires to add so that stubbed and virtual
// imports are served inside.
type Outcome struct {
	Report  *Report
	Members []GeneratedMember
	Wires   []Wire
}

// Enforce checks c against p and, when nothing is denied, generates the
// stubs and the virtual environment the policy asks for and says how to
// wire them. A composition that violates the policy returns the report and
// a *ViolationError; a stub that cannot be wired (see Plan) an error.
func Enforce(c *Composition, p *Policy) (*Outcome, error) {
	r, err := Check(c, p)
	if err != nil {
		return nil, err
	}
	if err := r.Err(); err != nil {
		return &Outcome{Report: r}, err
	}
	o, err := Plan(c, p, r)
	if err != nil {
		return &Outcome{Report: r}, err
	}
	return o, nil
}

// Plan generates the members and wires that serve r's stubbed and virtual
// imports (r from Check(c, p)). Each consumer gets its stubbed imports
// from one generated stub; consumers with the same set share one. It
// fails when a consumer serves members with different verdicts (a
// composed file whose import one member may have and another may not:
// only a composition of the members themselves can split it), or when an
// import a consumer keeps uses the types of one it stubs.
func Plan(c *Composition, p *Policy, r *Report) (*Outcome, error) {
	o := &Outcome{Report: r}
	perConsumer := map[string][]wanted{} // by consumer member
	var consumerOrder []string
	for i, imp := range c.Imports {
		row := r.Rows[i]
		for ci := range imp.Consumers {
			cons := &imp.Consumers[ci]
			status, mixed := StatusAllowed, false
			if len(cons.Users) == 0 {
				status = row.Status // nobody inside is known to use it
			}
			for k, ui := range cons.Users {
				s := row.Members[ui].Status
				if k > 0 && s != status {
					mixed = true
				}
				status = max(status, s)
			}
			if status != StatusStubbed && status != StatusVirtual {
				continue
			}
			if mixed {
				return nil, fmt.Errorf("%s: %s is %s for some of the members that share it and not for others (%s): a composed component's import can only be replaced for all of them; compose the members with the policy instead",
					c.Name, imp.Name, status, describeMembers(row, cons.Users))
			}
			if _, ok := perConsumer[cons.Member]; !ok {
				consumerOrder = append(consumerOrder, cons.Member)
			}
			perConsumer[cons.Member] = append(perConsumer[cons.Member], wanted{cons: cons, status: status})
		}
	}
	taken := map[string]bool{}
	for _, m := range c.Members {
		taken[m] = true
	}
	memberName := func(base string) string {
		name := base
		for n := 2; taken[name] || c.taken != nil && c.taken(name); n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		taken[name] = true
		return name
	}
	// Each consumer gets a stub of its own, generated from its own types:
	// members importing one interface at different versions may import
	// different functions of it, and the resources a stub's interfaces
	// use must be that consumer's.
	var virtualUsers []*Consumer
	var stubConsumers []string
	for _, member := range consumerOrder {
		ws := perConsumer[member]
		for _, w := range ws {
			if w.status == StatusVirtual {
				virtualUsers = append(virtualUsers, w.cons)
			}
		}
		if len(stubbed(ws)) == 0 {
			continue
		}
		if err := checkStubClosure(member, ws); err != nil {
			return nil, err
		}
		stubConsumers = append(stubConsumers, member)
	}
	for _, member := range stubConsumers {
		ws := stubbed(perConsumer[member])
		names := make([]string, len(ws))
		for i, w := range ws {
			names[i] = w.cons.Import
		}
		stub, err := GenerateStub(ws[0].cons.Type, names)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", member, err)
		}
		base := "deny-stubs"
		if len(stubConsumers) > 1 {
			base += "-" + member
		}
		name := memberName(base)
		o.Members = append(o.Members, GeneratedMember{Name: name, Generated: stub})
		for _, w := range ws {
			o.Wires = append(o.Wires, Wire{Consumer: w.cons.Member, Import: w.cons.Import, Provider: name, Export: w.cons.Import})
		}
	}
	if len(virtualUsers) > 0 {
		// One environment serves every consumer: it exports the union of
		// the functions they import, at the highest version.
		venv, err := generateSharedEnv(virtualUsers, p.VirtualEnv())
		if err != nil {
			return nil, err
		}
		name := memberName("virtual-env")
		o.Members = append(o.Members, GeneratedMember{Name: name, Generated: venv})
		for _, v := range virtualUsers {
			o.Wires = append(o.Wires, Wire{Consumer: v.Member, Import: v.Import, Provider: name, Export: venv.Exports[0]})
		}
	}
	return o, nil
}

// generateSharedEnv generates the virtual environment for several
// consumers of wasi:cli/environment: its functions use no named types, so
// their union is one instance type.
func generateSharedEnv(users []*Consumer, v *Virtual) (*Generated, error) {
	var names []string
	merged := &component.InstanceType{}
	for _, u := range users {
		names = append(names, u.Import)
		it, ok := u.Type.Import(u.Import).Type.(*component.InstanceType)
		if !ok {
			return nil, fmt.Errorf("%s: %s is not an interface", u.Member, u.Import)
		}
		for _, e := range it.Exports {
			if merged.Export(e.Name) == nil {
				merged.Exports = append(merged.Exports, e)
			}
		}
	}
	name := graph.Highest(names)
	source := &component.ComponentType{Imports: []component.Item{{Name: name, Type: merged}}}
	return GenerateVirtualEnv(source, name, v)
}

func describeMembers(row Row, users []int) string {
	parts := make([]string, len(users))
	for i, u := range users {
		m := row.Members[u]
		parts[i] = fmt.Sprintf("%s: %s", strings.Join(append([]string{}, m.Path...), " → "), m.Status)
	}
	return strings.Join(parts, ", ")
}

// wanted is one import of a consumer to serve with a generated member.
type wanted struct {
	cons   *Consumer
	status Status
}

func stubbed(ws []wanted) []wanted {
	var out []wanted
	for _, w := range ws {
		if w.status == StatusStubbed {
			out = append(out, w)
		}
	}
	return out
}

// checkStubClosure refuses to stub an interface whose types another
// import the consumer keeps uses: the kept one would refer to the host's
// resource and the stubbed one to the stub's, and the two could not link.
func checkStubClosure(member string, ws []wanted) error {
	ct := ws[0].cons.Type
	replaced := map[string]bool{}
	for _, w := range ws {
		replaced[w.cons.Import] = true
	}
	owners := typeOwners(ct)
	for _, imp := range ct.Imports {
		it, ok := imp.Type.(*component.InstanceType)
		if !ok || replaced[imp.Name] {
			continue
		}
		for _, dep := range usedImports(it, owners) {
			if replaced[dep] && dep != imp.Name {
				return fmt.Errorf("%s: cannot replace %s: %s, which %s keeps, uses its types; stub %s too, or allow %s",
					member, dep, imp.Name, member, imp.Name, dep)
			}
		}
	}
	return nil
}

// MemberSource is one member of a composition wcomp builds itself.
type MemberSource struct {
	Name  string
	Bytes []byte
}

// MemberImport says that the composition's import Outer serves member
// Member's import Import (a graph plan's import groups, flattened).
type MemberImport struct {
	Outer, Member, Import string
}

// FromMembers describes a composition wcomp builds from members: each
// member is the consumer of its own imports, so a generated member can be
// wired to one member's import and not another's. How each member uses
// its imports is read from its bytes, so a member that is itself a
// composition shows its own members, and type-only imports show as such.
func FromMembers(name string, members []MemberSource, imports []MemberImport) (*Composition, error) {
	c := &Composition{Name: name}
	traces := map[string]*Trace{}
	for _, m := range members {
		t, err := TraceComponent(m.Bytes, m.Name)
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", m.Name, err)
		}
		traces[m.Name] = t
		c.Members = append(c.Members, m.Name)
	}
	index := map[string]int{}
	for _, mi := range imports {
		t, ok := traces[mi.Member]
		if !ok {
			return nil, fmt.Errorf("import %s: no member named %q", mi.Outer, mi.Member)
		}
		var users []User
		found := false
		for _, ti := range t.Imports {
			if ti.Name != mi.Import {
				continue
			}
			found = true
			for _, u := range ti.Users {
				u.Path = prefix(mi.Member, u.Path)
				users = append(users, u)
			}
		}
		if !found {
			return nil, fmt.Errorf("import %s: member %s has no import %q", mi.Outer, mi.Member, mi.Import)
		}
		i, ok := index[mi.Outer]
		if !ok {
			i = len(c.Imports)
			index[mi.Outer] = i
			c.Imports = append(c.Imports, Import{Name: mi.Outer})
		}
		imp := &c.Imports[i]
		cons := Consumer{Member: mi.Member, Import: mi.Import, Type: t.Type}
		for _, u := range users {
			cons.Users = append(cons.Users, len(imp.Users))
			imp.Users = append(imp.Users, u)
		}
		imp.Consumers = append(imp.Consumers, cons)
	}
	return c, nil
}
