package wit

import (
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
	bcwit "go.bytecodealliance.org/wit"
	"go.bytecodealliance.org/wit/ordered"
)

// This file turns a WIT world, as go.bytecodealliance.org/wit models it,
// into the component type that a component built for that world has: what
// `wasm-tools component embed --dummy` then `component new` would give,
// read back by component.DecodeType. The rules follow that encoding:
//
//   - A world item `import ns:pkg/iface@v` becomes an instance import under
//     that name; an inline `import name: interface { … }` an instance import
//     under `name`; a function a function import; a world-level type a type
//     import. Exports likewise.
//   - Inside an instance type, every type the interface defines or `use`s
//     is a type export: a resource as (sub resource), anything else as an
//     eq bound to a *component.Named owned by that instance type. A `use`
//     (or alias) is a Named whose type is the other interface's Named or
//     resource, so resource identity crosses interfaces as it does in a
//     binary.
//   - An exported interface that uses a type of another interface sees
//     that interface's export if the world exports it, else its import.
//   - Items gated @unstable are left out unless their feature is enabled,
//     as wasm-tools leaves them out by default.

// WorldOptions tunes WorldType.
type WorldOptions struct {
	// Features enables items gated by @unstable(feature = …).
	Features []string
}

// WorldType returns the component type of a component that targets w:
// its imports and exports with every type resolved. Resources are
// abstract, as in a component type declaration.
func WorldType(w *bcwit.World, opts WorldOptions) (*component.ComponentType, error) {
	c := &worldConverter{
		world:    w,
		features: map[string]bool{},
		sides: [2]*worldSide{
			{instances: map[*bcwit.Interface]*component.InstanceType{}, types: map[*bcwit.TypeDef]component.Type{}},
			{instances: map[*bcwit.Interface]*component.InstanceType{}, types: map[*bcwit.TypeDef]component.Type{}},
		},
		exported: map[*bcwit.Interface]bool{},
		imported: map[*bcwit.Interface]bool{},
	}
	for _, f := range opts.Features {
		c.features[f] = true
	}
	w.Imports.All()(func(_ string, it bcwit.WorldItem) bool {
		if ref, ok := it.(*bcwit.InterfaceRef); ok {
			c.imported[ref.Interface] = true
		}
		return true
	})
	w.Exports.All()(func(_ string, it bcwit.WorldItem) bool {
		if ref, ok := it.(*bcwit.InterfaceRef); ok {
			c.exported[ref.Interface] = true
		}
		return true
	})
	ct := &component.ComponentType{}
	var err error
	if ct.Imports, err = c.items(&w.Imports, sideImport); err != nil {
		return nil, err
	}
	if ct.Exports, err = c.items(&w.Exports, sideExport); err != nil {
		return nil, err
	}
	return ct, nil
}

type side int

const (
	sideImport side = iota
	sideExport
)

func (s side) String() string {
	if s == sideExport {
		return "export"
	}
	return "import"
}

// worldSide holds what one direction of the world has built: the instance
// type of each interface, and the type a reference to each WIT type
// definition resolves to (a *component.Named, or a bare *component.Resource
// for a resource definition).
type worldSide struct {
	instances map[*bcwit.Interface]*component.InstanceType
	types     map[*bcwit.TypeDef]component.Type
}

type worldConverter struct {
	world    *bcwit.World
	features map[string]bool
	sides    [2]*worldSide
	// imported and exported record which interfaces the world names on
	// each side, so an exported interface's `use` finds the right one.
	imported, exported map[*bcwit.Interface]bool
	// scopes holds the interfaces being converted, innermost last, so a
	// type of one is found while its own functions are converted, and a
	// malformed model in which an interface uses itself fails instead of
	// recursing.
	scopes []*buildScope
}

// enabled reports whether an item with stability s is part of the world.
func (c *worldConverter) enabled(s bcwit.Stability) bool {
	u, ok := s.(*bcwit.Unstable)
	return !ok || c.features[u.Feature]
}

func (c *worldConverter) items(m *ordered.Map[string, bcwit.WorldItem], sd side) ([]component.Item, error) {
	var out []component.Item
	var err error
	m.All()(func(key string, it bcwit.WorldItem) bool {
		var item component.Item
		item, err = c.item(key, it, sd)
		if err != nil {
			err = fmt.Errorf("world %s: %s %s: %w", WorldID(c.world), sd, itemName(key, it), err)
			return false
		}
		if item.Type != nil {
			out = append(out, item)
		}
		return true
	})
	return out, err
}

// item converts one world import or export; an item left out (gated off)
// has a nil Type.
func (c *worldConverter) item(key string, it bcwit.WorldItem, sd side) (component.Item, error) {
	name := itemName(key, it)
	attr := component.ExternName{Name: name}
	if ref, ok := it.(*bcwit.InterfaceRef); ok {
		if id, ok := interfaceID(ref.Interface); ok && id != name {
			// `import label: ns:pkg/iface;`: a plain name that implements
			// the interface.
			attr.Form, attr.Implements = 0x02, id
		}
	}
	mk := func(t component.Extern) component.Item {
		return component.Item{Name: name, Attr: attr, Type: t}
	}
	switch x := it.(type) {
	case *bcwit.InterfaceRef:
		if x.Interface == nil {
			return component.Item{}, fmt.Errorf("interface reference without an interface")
		}
		if !c.enabled(x.Stability) || !c.enabled(x.Interface.Stability) {
			return component.Item{}, nil
		}
		inst, err := c.instance(x.Interface, sd, attr.Implements != "")
		return mk(inst), err
	case *bcwit.Function:
		if !c.enabled(x.Stability) {
			return component.Item{}, nil
		}
		fn, _, err := c.function(x, sd)
		return mk(fn), err
	case *bcwit.TypeDef:
		if !c.enabled(x.Stability) {
			return component.Item{}, nil
		}
		t, err := c.typeRef(x, sd)
		if err != nil {
			return component.Item{}, err
		}
		return mk(&component.TypeBound{Type: t}), nil
	}
	return component.Item{}, fmt.Errorf("unsupported world item %T", it)
}

// itemName is the extern name of a world item: an interface's full name
// (ns:pkg/iface@v) or, for inline interfaces, labelled imports of an
// interface (`import label: ns:pkg/iface;`), functions and types, the key
// the world gives it. The JSON keys a plain interface import by its id
// ("interface-N"). An `[async]` prefix (how older WIT JSON marks async
// functions) is not part of the name.
func itemName(key string, it bcwit.WorldItem) string {
	switch x := it.(type) {
	case *bcwit.InterfaceRef:
		if id, ok := interfaceID(x.Interface); ok && strings.HasPrefix(key, "interface-") {
			return id
		}
	case *bcwit.Function:
		name, _ := splitAsync(x.Name)
		return name
	}
	return key
}

// interfaceID is ns:pkg/iface@version for a named interface of a package.
func interfaceID(i *bcwit.Interface) (string, bool) {
	if i.Name == nil || i.Package == nil {
		return "", false
	}
	id := i.Package.Name
	id.Extension = *i.Name
	return id.String(), true
}

// WorldID is a world's full name, ns:pkg/world@version: what target
// checks report and FindWorld accepts.
func WorldID(w *bcwit.World) string {
	if w.Package == nil {
		return w.Name
	}
	id := w.Package.Name
	id.Extension = w.Name
	return id.String()
}

// instance returns the instance type of interface i on side sd, building
// it on first use. A fresh instance (a labelled import of an interface the
// world also imports under its own name) is built again, with resources of
// its own, and is not what other interfaces' `use` refers to.
func (c *worldConverter) instance(i *bcwit.Interface, sd side, fresh bool) (*component.InstanceType, error) {
	s := c.sides[sd]
	if inst, ok := s.instances[i]; ok && !fresh {
		return inst, nil
	}
	if c.scopeOf(i, sd) != nil {
		return nil, fmt.Errorf("interface %s uses itself", describeInterface(i))
	}
	inst := &component.InstanceType{}
	scope := &buildScope{iface: i, side: sd, types: map[*bcwit.TypeDef]component.Type{}}
	c.scopes = append(c.scopes, scope)
	defer func() { c.scopes = c.scopes[:len(c.scopes)-1] }()
	var err error
	i.TypeDefs.All()(func(name string, td *bcwit.TypeDef) bool {
		if !c.enabled(td.Stability) {
			return true
		}
		var t component.Type
		if t, err = c.define(td, inst, sd, scope.types); err != nil {
			err = fmt.Errorf("type `%s`: %w", name, err)
			return false
		}
		inst.Exports = append(inst.Exports, component.Item{Name: name, Attr: component.ExternName{Name: name}, Type: &component.TypeBound{Type: t}})
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", describeInterface(i), err)
	}
	i.Functions.All()(func(_ string, f *bcwit.Function) bool {
		if !c.enabled(f.Stability) {
			return true
		}
		var fn *component.Func
		var name string
		if fn, name, err = c.function(f, sd); err != nil {
			err = fmt.Errorf("function `%s`: %w", f.Name, err)
			return false
		}
		inst.Exports = append(inst.Exports, component.Item{Name: name, Attr: component.ExternName{Name: name}, Type: fn})
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("interface %s: %w", describeInterface(i), err)
	}
	if !fresh {
		for td, t := range scope.types {
			s.types[td] = t
		}
		s.instances[i] = inst
	}
	return inst, nil
}

// buildScope is an interface being converted: the types it has defined so
// far, which its later types and functions refer to.
type buildScope struct {
	iface *bcwit.Interface
	side  side
	types map[*bcwit.TypeDef]component.Type
}

// scopeOf returns the innermost scope converting i on side sd, or nil.
func (c *worldConverter) scopeOf(i *bcwit.Interface, sd side) *buildScope {
	for k := len(c.scopes) - 1; k >= 0; k-- {
		if c.scopes[k].iface == i && c.scopes[k].side == sd {
			return c.scopes[k]
		}
	}
	return nil
}

func describeInterface(i *bcwit.Interface) string {
	if id, ok := interfaceID(i); ok {
		return id
	}
	return "(inline)"
}

// define converts the named type definition td of an interface (or world)
// and records in into what references to it resolve to.
func (c *worldConverter) define(td *bcwit.TypeDef, owner *component.InstanceType, sd side, into map[*bcwit.TypeDef]component.Type) (component.Type, error) {
	if t, ok := into[td]; ok {
		return t, nil
	}
	name := td.TypeName()
	var t component.Type
	switch k := td.Kind.(type) {
	case *bcwit.Resource:
		t = &component.Resource{Name: name, Abstract: true}
	case *bcwit.TypeDef:
		// `use` or an alias of a named type: a name for that type.
		target, err := c.typeRef(k, sd)
		if err != nil {
			return nil, err
		}
		t = &component.Named{Name: name, Type: target, Owner: owner}
	default:
		v, err := c.structure(td.Kind, sd)
		if err != nil {
			return nil, err
		}
		t = &component.Named{Name: name, Type: v, Owner: owner}
	}
	into[td] = t
	return t, nil
}

// typeRef returns what a reference to the named type td resolves to on
// side sd: the type its owner's instance type exports. The owner is built
// first if need be: an exported interface's `use` of an interface the world
// only imports resolves to the import.
func (c *worldConverter) typeRef(td *bcwit.TypeDef, sd side) (component.Type, error) {
	if td.Name == nil {
		return nil, fmt.Errorf("reference to an anonymous type")
	}
	switch owner := td.Owner.(type) {
	case *bcwit.Interface:
		from := sd
		if sd == sideExport && !c.exported[owner] {
			from = sideImport
		}
		if scope := c.scopeOf(owner, from); scope != nil {
			// A type of the interface being built, defined earlier in it.
			if t, ok := scope.types[td]; ok {
				return t, nil
			}
			return nil, fmt.Errorf("type `%s` is used before %s defines it", *td.Name, describeInterface(owner))
		}
		if _, err := c.instance(owner, from, false); err != nil {
			return nil, err
		}
		t, ok := c.sides[from].types[td]
		if !ok {
			return nil, fmt.Errorf("type `%s` of %s is not part of the world (gated off?)", *td.Name, describeInterface(owner))
		}
		return t, nil
	case *bcwit.World:
		// World-level types are imports of the component.
		return c.define(td, nil, sideImport, c.sides[sideImport].types)
	}
	return nil, fmt.Errorf("type `%s` has no owner", *td.Name)
}

// valType converts a reference to a type: a primitive, a named type, or an
// anonymous one (list<…>, option<…>, own<…>, …).
func (c *worldConverter) valType(t bcwit.Type, sd side) (component.ValType, error) {
	if t == nil {
		return nil, nil
	}
	if p, ok := primitive(t); ok {
		return p, nil
	}
	td, ok := t.(*bcwit.TypeDef)
	if !ok {
		return nil, fmt.Errorf("unsupported type %T", t)
	}
	if td.Name != nil {
		ref, err := c.typeRef(td, sd)
		if err != nil {
			return nil, err
		}
		v, ok := ref.(component.ValType)
		if !ok {
			return nil, fmt.Errorf("resource `%s` used as a value type (expected own<%s> or borrow<%s>)", *td.Name, *td.Name, *td.Name)
		}
		return v, nil
	}
	if inner, ok := td.Kind.(bcwit.Type); ok {
		return c.valType(inner, sd)
	}
	return c.structure(td.Kind, sd)
}

func primitive(t bcwit.Type) (component.Prim, bool) {
	var p component.PrimType
	switch t.(type) {
	case bcwit.Bool:
		p = component.PrimBool
	case bcwit.S8:
		p = component.PrimS8
	case bcwit.U8:
		p = component.PrimU8
	case bcwit.S16:
		p = component.PrimS16
	case bcwit.U16:
		p = component.PrimU16
	case bcwit.S32:
		p = component.PrimS32
	case bcwit.U32:
		p = component.PrimU32
	case bcwit.S64:
		p = component.PrimS64
	case bcwit.U64:
		p = component.PrimU64
	case bcwit.F32:
		p = component.PrimF32
	case bcwit.F64:
		p = component.PrimF64
	case bcwit.Char:
		p = component.PrimChar
	case bcwit.String:
		p = component.PrimString
	case bcwit.ErrorContext:
		p = component.PrimErrorContext
	default:
		return 0, false
	}
	return component.Prim(p), true
}

// structure converts a type constructor.
func (c *worldConverter) structure(k bcwit.TypeDefKind, sd side) (component.ValType, error) {
	switch k := k.(type) {
	case *bcwit.Record:
		r := &component.Record{}
		for _, f := range k.Fields {
			t, err := c.valType(f.Type, sd)
			if err != nil {
				return nil, fmt.Errorf("field `%s`: %w", f.Name, err)
			}
			r.Fields = append(r.Fields, component.Field{Name: f.Name, Type: t})
		}
		return r, nil
	case *bcwit.Variant:
		v := &component.Variant{}
		for _, cs := range k.Cases {
			t, err := c.valType(cs.Type, sd)
			if err != nil {
				return nil, fmt.Errorf("case `%s`: %w", cs.Name, err)
			}
			v.Cases = append(v.Cases, component.Case{Name: cs.Name, Type: t})
		}
		return v, nil
	case *bcwit.Enum:
		e := &component.Enum{}
		for _, cs := range k.Cases {
			e.Names = append(e.Names, cs.Name)
		}
		return e, nil
	case *bcwit.Flags:
		f := &component.Flags{}
		for _, fl := range k.Flags {
			f.Names = append(f.Names, fl.Name)
		}
		return f, nil
	case *bcwit.Tuple:
		tu := &component.Tuple{}
		for i, t := range k.Types {
			v, err := c.valType(t, sd)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			tu.Types = append(tu.Types, v)
		}
		return tu, nil
	case *bcwit.List:
		e, err := c.valType(k.Type, sd)
		if err != nil {
			return nil, fmt.Errorf("list element: %w", err)
		}
		return &component.List{Elem: e}, nil
	case *bcwit.Option:
		e, err := c.valType(k.Type, sd)
		if err != nil {
			return nil, fmt.Errorf("option: %w", err)
		}
		return &component.Option{Elem: e}, nil
	case *bcwit.Result:
		ok, err := c.valType(k.OK, sd)
		if err != nil {
			return nil, fmt.Errorf("result ok: %w", err)
		}
		er, err := c.valType(k.Err, sd)
		if err != nil {
			return nil, fmt.Errorf("result error: %w", err)
		}
		return &component.Result{Ok: ok, Err: er}, nil
	case *bcwit.Own:
		r, err := c.resource(k.Type, sd)
		return &component.Own{Resource: r}, err
	case *bcwit.Borrow:
		r, err := c.resource(k.Type, sd)
		return &component.Borrow{Resource: r}, err
	case *bcwit.Future:
		e, err := c.valType(k.Type, sd)
		if err != nil {
			return nil, fmt.Errorf("future: %w", err)
		}
		return &component.Future{Elem: e}, nil
	case *bcwit.Stream:
		e, err := c.valType(k.Type, sd)
		if err != nil {
			return nil, fmt.Errorf("stream: %w", err)
		}
		return &component.Stream{Elem: e}, nil
	case bcwit.Type:
		return c.valType(k, sd)
	case nil:
		// go.bytecodealliance.org/wit v0.7.0 leaves Kind nil for
		// constructors it does not know (fixed-size lists, maps).
		return nil, fmt.Errorf("a type the WIT model (go.bytecodealliance.org/wit v0.7.0) does not represent, such as a fixed-size list or a map")
	}
	return nil, fmt.Errorf("unsupported type constructor %T", k)
}

// resource returns the type a handle refers to: the resource's own type
// export, or the Named of the `use` that brought it into scope.
func (c *worldConverter) resource(td *bcwit.TypeDef, sd side) (component.Type, error) {
	if td == nil {
		return nil, fmt.Errorf("handle without a resource")
	}
	t, err := c.typeRef(td, sd)
	if err != nil {
		return nil, err
	}
	if component.ResourceOf(t) == nil {
		return nil, fmt.Errorf("handle to `%s`, which is not a resource", td.TypeName())
	}
	return t, nil
}

// function converts a WIT function; name is its extern name. The model
// has no async flag: older WIT JSON (the wasm-tools inside
// go.bytecodealliance.org/wit) marks async functions by an `[async]`,
// `[async method]` or `[async static]` prefix, newer JSON by a kind the
// model does not decode (nil). Both become Async functions under their
// plain name.
func (c *worldConverter) function(f *bcwit.Function, sd side) (*component.Func, string, error) {
	name, async := splitAsync(f.Name)
	if f.Kind == nil {
		// The model decodes every function kind but the async ones
		// (async-freestanding, async-method, async-static in newer JSON).
		async = true
	}
	fn := &component.Func{Async: async}
	for _, p := range f.Params {
		t, err := c.valType(p.Type, sd)
		if err != nil {
			return nil, "", fmt.Errorf("param `%s`: %w", p.Name, err)
		}
		fn.Params = append(fn.Params, component.Param{Name: p.Name, Type: t})
	}
	switch len(f.Results) {
	case 0:
	case 1:
		if f.Results[0].Name != "" {
			return nil, "", fmt.Errorf("named results are not part of the component model any more")
		}
		t, err := c.valType(f.Results[0].Type, sd)
		if err != nil {
			return nil, "", fmt.Errorf("result: %w", err)
		}
		fn.Result = t
	default:
		return nil, "", fmt.Errorf("%d results: the component model allows at most one", len(f.Results))
	}
	return fn, name, nil
}

// splitAsync strips the async markers of older WIT JSON from a function
// name: `[async]f` → `f`, `[async method]r.m` → `[method]r.m`,
// `[async static]r.m` → `[static]r.m`.
func splitAsync(name string) (string, bool) {
	if rest, ok := strings.CutPrefix(name, "[async]"); ok {
		return rest, true
	}
	if rest, ok := strings.CutPrefix(name, "[async "); ok {
		return "[" + rest, true
	}
	return name, false
}
