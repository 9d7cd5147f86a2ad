package wac

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
)

// Plan builds the composition into a graph (package graph) and resolves
// it: each package used is a component, each `new` an instance (kept,
// whether or not anything uses it, as wac instantiates every one; `...`
// makes its missing arguments imports of the result), each argument and
// export a graph source, each top-level type a type export. Resolve's
// errors, the links' subtype checks among them, come back positioned at
// the text that asked for the link. With `targets`, the result is then
// checked against the world.
//
// The plan is what compose.Encode writes.
func (c *Composition) Plan() (*graph.Plan, error) {
	return c.PlanWith((*graph.Graph).Resolve)
}

// PlanWith is Plan with resolve turning the built graph into the plan in
// place of Graph.Resolve: a capability policy judges the plan and adds
// the members it generates there (policy.EnforceGraph). Its errors are
// positioned as Resolve's; the target check runs on the plan it returns.
func (c *Composition) PlanWith(resolve func(*graph.Graph) (*graph.Plan, error)) (*graph.Plan, error) {
	b := &builder{
		c:         c,
		g:         graph.New(),
		comps:     map[*Package]graph.ComponentID{},
		instances: map[*Instance]graph.InstanceID{},
		imports:   map[*Import]graph.ImportID{},
		byName:    map[string]*Instance{},
	}
	if err := b.build(); err != nil {
		return nil, err
	}
	plan, err := resolve(b.g)
	if err != nil {
		return nil, b.position(err)
	}
	if c.Target != nil {
		if err := b.checkTarget(plan); err != nil {
			return nil, err
		}
	}
	return plan, nil
}

type builder struct {
	c         *Composition
	g         *graph.Graph
	comps     map[*Package]graph.ComponentID
	instances map[*Instance]graph.InstanceID
	imports   map[*Import]graph.ImportID
	// byName finds an instance by its graph name, to position Resolve's
	// errors.
	byName map[string]*Instance
	names  map[*Instance]string
}

func (b *builder) errorf(s Span, format string, args ...any) *Error {
	return &Error{File: b.c.Doc.File, Span: s, Msg: fmt.Sprintf(format, args...)}
}

// cause turns a graph error into an *Error at s, keeping it as the cause.
func (b *builder) cause(s Span, msg string, err error) *Error {
	e := b.errorf(s, "%s", msg)
	e.Err = err
	return e
}

func (b *builder) build() error {
	g := b.g
	b.nameInstances()
	for _, inst := range b.c.Instances {
		p := inst.Package
		if _, ok := b.comps[p]; ok {
			continue
		}
		id, err := g.AddComponent(p.key(), p.Type, p.Data)
		if err != nil {
			return b.cause(inst.Span, fmt.Sprintf("package `%s` cannot be composed", p.key()), err)
		}
		b.comps[p] = id
	}
	for _, imp := range b.c.Imports {
		id, err := b.importOf(imp)
		if err != nil {
			return b.cause(imp.Span, fmt.Sprintf("import `%s` cannot be declared", imp.Name), err)
		}
		b.imports[imp] = id
	}
	for _, inst := range b.c.Instances {
		id, err := g.Instantiate(b.comps[inst.Package], b.names[inst])
		if err != nil {
			return b.cause(inst.Span, "cannot instantiate", err)
		}
		b.instances[inst] = id
		fill := graph.FillNone
		if inst.Fill {
			fill = graph.FillImport
		}
		if err := g.SetFill(id, fill); err != nil {
			return err
		}
		if err := g.Keep(id); err != nil {
			return err
		}
	}
	for _, inst := range b.c.Instances {
		for _, a := range inst.Args {
			src, err := b.source(a.Value, a.Span)
			if err != nil {
				return err
			}
			if err := g.SetArg(b.instances[inst], a.Name, src); err != nil {
				return b.argError(a, err)
			}
		}
	}
	for _, e := range b.c.Exports {
		src, err := b.source(e.Value, e.Span)
		if err != nil {
			return err
		}
		if err := g.Export(e.Name, src); err != nil {
			return b.cause(e.Span, fmt.Sprintf("cannot export `%s`", e.Name), err)
		}
	}
	for _, t := range b.c.Types {
		if err := g.ExportType(t.Name, t.Type); err != nil {
			return b.cause(t.Span, fmt.Sprintf("cannot export type `%s`", t.Name), err)
		}
	}
	return nil
}

// importOf declares an import. One whose type uses other interfaces is
// declared with them (graph.ImportItem), and one that an earlier import
// declared already, because it uses its types, is that import.
func (b *builder) importOf(imp *Import) (graph.ImportID, error) {
	if id, ok := b.g.ImportByName(imp.Name); ok {
		return id, nil
	}
	if len(imp.Uses) == 0 {
		return b.g.Import(imp.Name, imp.Type)
	}
	ct := &component.ComponentType{Imports: imp.Uses, Exports: []component.Item{externItemOf(imp.Name, imp.Type)}}
	return b.g.ImportItem(imp.Name, ct, imp.Name)
}

// nameInstances gives every instance a graph name: its `let` name, or,
// for one never bound, its package's name (`b` for `a:b`) made unique.
func (b *builder) nameInstances() {
	b.names = map[*Instance]string{}
	taken := map[string]bool{}
	for _, inst := range b.c.Instances {
		if inst.Name != "" {
			taken[inst.Name] = true
			b.names[inst] = inst.Name
		}
	}
	for _, inst := range b.c.Instances {
		if inst.Name != "" {
			continue
		}
		base := inst.Package.Name
		if i := strings.LastIndexByte(base, ':'); i >= 0 {
			base = base[i+1:]
		}
		name := base
		for n := 2; taken[name]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		taken[name] = true
		b.names[inst] = name
	}
	for inst, name := range b.names {
		b.byName[name] = inst
	}
}

// source is where a value comes from, as the graph names it.
func (b *builder) source(v *Value, at Span) (graph.Source, error) {
	switch {
	case v.Import != nil:
		return graph.ImportOf(b.imports[v.Import]), nil
	case v.Instance != nil:
		return graph.InstanceOf(b.instances[v.Instance]), nil
	case v.Of != nil && v.Of.Import != nil:
		return graph.ImportExportOf(b.imports[v.Of.Import], v.Export), nil
	case v.Of != nil && v.Of.Instance != nil:
		return graph.ExportOf(b.instances[v.Of.Instance], v.Export), nil
	}
	if v.Span != (Span{}) {
		at = v.Span
	}
	return graph.Source{}, b.errorf(at, "an export of an instance's export cannot be composed yet; pass or export the instance `%s` whole instead", v.Of.Export)
}

func (b *builder) argError(a *Arg, err error) error {
	var le *graph.LinkError
	if errors.As(err, &le) {
		return b.cause(a.Span, fmt.Sprintf("argument `%s` does not fit", a.Name), le.Err)
	}
	return b.cause(a.Span, fmt.Sprintf("argument `%s` cannot be passed", a.Name), err)
}

// position turns Resolve's errors into errors at the text they concern.
func (b *builder) position(err error) error {
	var list graph.ErrorList
	if errors.As(err, &list) && len(list) > 1 {
		var out ErrorList
		for _, e := range list {
			out = append(out, b.positionOne(e))
		}
		return out
	}
	return b.positionOne(err)
}

func (b *builder) positionOne(err error) *Error {
	var (
		link     *graph.LinkError
		missing  *graph.MissingArgError
		implicit *graph.ImplicitImportConflictError
		conflict *graph.ImportConflictError
		resource *graph.ImportResourceError
		cycle    *graph.CycleError
	)
	switch {
	case errors.As(err, &link):
		if a := b.arg(link.Consumer, link.Import); a != nil {
			return b.cause(a.Span, fmt.Sprintf("argument `%s` does not fit", a.Name), link.Err)
		}
	case errors.As(err, &missing):
		if inst := b.byName[missing.Instance]; inst != nil {
			return b.errorf(inst.Span, "missing argument `%s` for `%s`; pass it, or end the arguments with `...` to import it", missing.Import, inst.Package.key())
		}
	case errors.As(err, &implicit):
		if inst := b.byName[implicit.Instance]; inst != nil {
			e := b.errorf(inst.Span, "`...` would import `%s` for `%s`, but the document imports `%s` explicitly; pass that import as the argument", implicit.Import, inst.Package.key(), implicit.Explicit)
			if imp := b.importNamed(implicit.Explicit); imp != nil {
				e.Notes = []Note{{Span: imp.Span, Msg: "the explicit import"}}
			}
			return e
		}
	case errors.As(err, &conflict):
		second, first := b.byName[conflict.Second], b.byName[conflict.First]
		if second != nil {
			e := b.cause(second.Span, fmt.Sprintf("the import `%s` that `...` makes for `%s` cannot be merged with the one made for an earlier instance", conflict.Import, second.Package.key()), conflict.Err)
			if first != nil {
				e.Notes = []Note{{Span: first.Span, Msg: fmt.Sprintf("the earlier instance, of `%s`", first.Package.key())}}
			}
			return e
		}
	case errors.As(err, &resource):
		if a := b.arg(resource.Consumer, resource.Import); a != nil {
			return b.cause(a.Span, fmt.Sprintf("argument `%s` cannot come from inside the composition", a.Name), err)
		}
	case errors.As(err, &cycle):
		if len(cycle.Path) > 0 {
			if inst := b.byName[cycle.Path[0]]; inst != nil {
				return b.cause(inst.Span, "the instances depend on each other", err)
			}
		}
	}
	// Anything else is about the composition as a whole.
	return b.cause(b.c.Doc.Package.Span, "the composition cannot be built", err)
}

// arg finds the argument for import imp of the instance named inst.
func (b *builder) arg(inst, imp string) *Arg {
	in := b.byName[inst]
	if in == nil {
		return nil
	}
	for _, a := range in.Args {
		if a.Name == imp {
			return a
		}
	}
	return nil
}

func (b *builder) importNamed(name string) *Import {
	for _, imp := range b.c.Imports {
		if imp.Name == name {
			return imp
		}
	}
	return nil
}

// ErrorList is several positioned errors found together.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the errors, for errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// checkTarget checks the result against the `targets` world: it may
// import only what the world imports, with types the world's are
// subtypes of, and must export everything the world exports, with
// subtypes of the world's types.
func (b *builder) checkTarget(p *graph.Plan) error {
	t := b.c.Target
	world := t.Path.String()
	rm := component.ResourceMap{}
	for _, im := range p.Imports() {
		want := t.World.Import(im.Name)
		at := b.importSpan(p, im)
		if want == nil {
			return b.errorf(at, "target world `%s` has no import named `%s`", world, im.Name)
		}
		if err := component.CheckSubtype(want.Type, im.Type, component.WithResourceMap(rm)); err != nil {
			return b.cause(at, fmt.Sprintf("import `%s` does not match target world `%s`", im.Name, world), err)
		}
	}
	// The exports are checked the other way round, so the resources bound
	// by the imports are looked up from the world's side.
	back := component.ResourceMap{}
	for k, v := range rm {
		back[v] = k
	}
	have := map[string]graph.PlannedExport{}
	for _, e := range p.Exports() {
		have[e.Name] = e
	}
	for _, want := range t.World.Exports {
		e, ok := have[want.Name]
		if !ok {
			return b.errorf(t.Path.Span, "target world `%s` requires an export named `%s` (%s)", world, want.Name, article(externKind(want.Type)))
		}
		if err := component.CheckSubtype(e.Type, want.Type, component.WithResourceMap(back)); err != nil {
			return b.cause(b.exportSpan(e.Name), fmt.Sprintf("export `%s` does not match target world `%s`", e.Name, world), err)
		}
	}
	return nil
}

// importSpan is where an import of the result comes from: its import
// statement, or the first instance whose `...` made it.
func (b *builder) importSpan(p *graph.Plan, im graph.PlannedImport) Span {
	if im.Explicit {
		if imp := b.importNamed(im.Name); imp != nil {
			return imp.Span
		}
	}
	for _, u := range im.Members {
		if inst := b.byName[p.InstanceName(u.Instance)]; inst != nil {
			return inst.Span
		}
	}
	return b.c.Doc.Package.Span
}

func (b *builder) exportSpan(name string) Span {
	for _, e := range b.c.Exports {
		if e.Name == name {
			return e.Span
		}
	}
	for _, t := range b.c.Types {
		if t.Name == name {
			return t.Span
		}
	}
	return b.c.Doc.Package.Span
}
