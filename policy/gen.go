package policy

import (
	"fmt"
	"slices"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/cabi"
	"github.com/wcomp/wcomp/internal/coremod"
)

// This file writes the components wcomp generates: one that exports a set
// of interfaces whose every function is decided by a plan (trap, or
// return a constant), with wcomp's own encoders.
//
// Layout of a generated component:
//
//  1. imports of the interfaces whose types the exported ones use but
//     which it does not export itself (wasi:filesystem/types uses
//     wasi:io/streams), with their types, so a resource stays the one the
//     rest of the composition has;
//  2. a resource definition for each resource an exported interface owns;
//  3. one core module (wcomp's: coremod) holding a function per exported
//     function, a memory with the constant results, and cabi_realloc when
//     a parameter needs one; its instance;
//  4. each function lifted with `canon lift`;
//  5. per exported interface, a nested shim component that imports the
//     interface's types and functions and exports them under their WIT
//     names (the component model names a function's types only through
//     imports and exports, so an inline instance cannot do this; it is the
//     shape wit-component uses too), instantiated and exported.

// funcPlan says what one generated function does: trap, or return value
// (nil for a function without a result).
type funcPlan struct {
	trap  bool
	value cabi.Value
}

// generator builds one component.
type generator struct {
	kind   string // GeneratedStub or GeneratedVirtual
	module string // core module name, shown in trap backtraces
	// source holds the interfaces to export and their dependencies as
	// imports: a member's type, or a composed component's.
	source  *component.ComponentType
	exports []string // import names of source to export
	// plan decides each function of interface iface.
	plan func(iface, fn string, f *component.Func) (funcPlan, error)
	// coreName names a function in the core name section.
	coreName func(iface, fn string) string
}

// generated is a generated component and what it imports and exports.
type generated struct {
	bytes   []byte
	imports []string
	exports []string
}

func (g *generator) instanceType(name string) (*component.InstanceType, error) {
	imp := g.source.Import(name)
	if imp == nil {
		return nil, fmt.Errorf("no import %q", name)
	}
	it, ok := imp.Type.(*component.InstanceType)
	if !ok {
		return nil, fmt.Errorf("import %q is a %s, not an interface", name, component.KindName(imp.Type))
	}
	return it, nil
}

// dependencies returns, in source order, the imports of source whose
// types the exported interfaces use (directly or through each other)
// and that are not exported themselves.
func (g *generator) dependencies() ([]string, error) {
	owners := typeOwners(g.source)
	want := map[string]bool{}
	queue := slices.Clone(g.exports)
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		it, err := g.instanceType(name)
		if err != nil {
			return nil, err
		}
		for _, dep := range usedImports(it, owners) {
			if dep == name || want[dep] {
				continue
			}
			want[dep] = true
			queue = append(queue, dep)
		}
	}
	var out []string
	for _, imp := range g.source.Imports {
		if want[imp.Name] && !slices.Contains(g.exports, imp.Name) {
			if _, ok := imp.Type.(*component.InstanceType); !ok {
				return nil, fmt.Errorf("the interfaces use the types of %q, a %s: only interfaces can be imported by a stub", imp.Name, component.KindName(imp.Type))
			}
			out = append(out, imp.Name)
		}
	}
	return out, nil
}

// typeOwners maps each named type and introduced resource of ct's
// instance imports to the import that declares it.
func typeOwners(ct *component.ComponentType) map[any]string {
	owner := map[any]string{}
	for _, imp := range ct.Imports {
		it, ok := imp.Type.(*component.InstanceType)
		if !ok {
			continue
		}
		owner[it] = imp.Name
		for _, e := range it.Exports {
			if tb, ok := e.Type.(*component.TypeBound); ok {
				if r, ok := tb.Type.(*component.Resource); ok {
					owner[r] = imp.Name
				}
			}
		}
	}
	return owner
}

// usedImports lists the imports (by owners) whose named types or
// resources e refers to, e's own included when e is one of them.
func usedImports(e component.Extern, owners map[any]string) []string {
	self, _ := e.(*component.InstanceType)
	var out []string
	w := component.TypeWalk{Visit: func(n any) bool {
		var from string
		switch x := n.(type) {
		case *component.Named:
			if x.Owner != nil && x.Owner != self {
				from = owners[x.Owner]
			}
		case *component.Resource:
			from = owners[x]
		}
		if from != "" && !slices.Contains(out, from) {
			out = append(out, from)
		}
		return true
	}}
	w.Extern(e)
	return out
}

// Memory layout of a generated module: constants from imageBase, the
// bump allocator's heap after them.
const imageBase = 16

func (g *generator) generate() (*generated, error) {
	// Export in the source's order, which puts an interface after those
	// whose types it uses.
	order := map[string]int{}
	for i, imp := range g.source.Imports {
		order[imp.Name] = i
	}
	g.exports = slices.Clone(g.exports)
	slices.SortStableFunc(g.exports, func(a, b string) int { return order[a] - order[b] })
	deps, err := g.dependencies()
	if err != nil {
		return nil, err
	}
	b := newBuilder()
	out := &generated{}
	// 1. Imports of the interfaces the exported ones use.
	for _, name := range deps {
		it, _ := g.instanceType(name)
		et, err := b.types.EncodeExtern(it)
		if err != nil {
			return nil, fmt.Errorf("import %s: %w", name, err)
		}
		idx := b.importItem(name, et)
		b.types.BindExtern(it, idx)
		out.imports = append(out.imports, name)
	}
	// 2. The resources the exported interfaces own.
	owned := map[*component.Resource]uint32{}
	var its []*component.InstanceType
	for _, name := range g.exports {
		it, err := g.instanceType(name)
		if err != nil {
			return nil, err
		}
		its = append(its, it)
		for _, e := range it.Exports {
			if tb, ok := e.Type.(*component.TypeBound); ok {
				if r, ok := tb.Type.(*component.Resource); ok {
					idx := b.addType(component.TypeDef{Resource: &component.ResourceTypeDef{Rep: 0x7f}})
					b.types.Bind(r, idx)
					owned[r] = idx
				}
			}
		}
	}
	// 3. The core module.
	funcs, err := g.planFuncs(its)
	if err != nil {
		return nil, err
	}
	core, needMemory, needRealloc, err := g.coreModule(funcs)
	if err != nil {
		return nil, err
	}
	b.flush()
	b.enc.CoreModule(core)
	b.enc.CoreInstances([]component.CoreInstance{{Module: 0}})
	var memIdx, reallocIdx uint32
	if needMemory {
		memIdx = b.coreAlias(component.SortCoreMemory, "memory")
	}
	if needRealloc {
		reallocIdx = b.coreAlias(component.SortCoreFunc, "cabi_realloc")
	}
	// 4. Lift every function.
	lifted := make([]uint32, len(funcs))
	for i, fn := range funcs {
		coreIdx := b.coreAlias(component.SortCoreFunc, fmt.Sprintf("f%d", i))
		ft, err := b.types.EncodeFunc(fn.f)
		if err != nil {
			return nil, fmt.Errorf("%s#%s: %w", fn.iface, fn.name, err)
		}
		var opts []component.CanonOption
		if fn.sig.NeedsMemory {
			opts = append(opts, component.CanonOption{Kind: component.OptMemory, Index: memIdx})
		}
		if fn.sig.NeedsRealloc {
			opts = append(opts, component.CanonOption{Kind: component.OptRealloc, Index: reallocIdx})
		}
		lifted[i] = b.lift(coreIdx, ft, opts)
	}
	// 5. A shim per interface, instantiated and exported.
	next := 0
	for i, name := range g.exports {
		it := its[i]
		types := shimTypes(it)
		shim, err := shimComponent(it, types)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		var args []component.InstantiateArg
		for _, st := range types {
			r, _ := st.key.(*component.Resource)
			idx, isOwned := owned[r]
			if !isOwned {
				// Wrapped in a name, a resource is looked up rather than
				// declared anew.
				et, err := b.types.EncodeExtern(&component.TypeBound{Type: &component.Named{Name: typeName(st.key), Type: st.key}})
				if err != nil || et.SubResource {
					return nil, fmt.Errorf("%s: type %s is not in scope (%v)", name, typeName(st.key), err)
				}
				idx = et.Index
			}
			args = append(args, component.InstantiateArg{Name: st.import_, Item: component.SortIndex{Sort: component.SortType, Index: idx}})
		}
		for _, e := range it.Exports {
			if _, ok := e.Type.(*component.Func); ok {
				args = append(args, component.InstantiateArg{Name: shimFuncName(len(args) - len(types)), Item: component.SortIndex{Sort: component.SortFunc, Index: lifted[next]}})
				next++
			}
		}
		inst := b.instantiate(shim, args)
		exported := b.export(name, component.SortIndex{Sort: component.SortInstance, Index: inst})
		// Later interfaces that use this one's types take them from its
		// export: a type passed on to an export must itself be exported.
		b.types.BindInstance(it, exported)
		out.exports = append(out.exports, name)
	}
	b.flush()
	b.enc.Custom(GeneratedSection, []byte(g.kind))
	if out.bytes, err = b.enc.Bytes(); err != nil {
		return nil, err
	}
	return out, nil
}

// plannedFunc is one function of an exported interface, and what its
// core function does.
type plannedFunc struct {
	iface, name string
	f           *component.Func
	sig         cabi.Signature
	plan        funcPlan
}

// planFuncs decides every function of the exported interfaces, in order.
func (g *generator) planFuncs(its []*component.InstanceType) ([]plannedFunc, error) {
	var out []plannedFunc
	for i, name := range g.exports {
		for _, e := range its[i].Exports {
			f, ok := e.Type.(*component.Func)
			if !ok {
				continue
			}
			if f.Async {
				return nil, fmt.Errorf("%s#%s is an async function: generating async functions (WASI 0.3) is not supported yet", name, e.Name)
			}
			sig, err := cabi.LiftSignature(f)
			if err != nil {
				return nil, fmt.Errorf("%s#%s: %w", name, e.Name, err)
			}
			p, err := g.plan(name, e.Name, f)
			if err != nil {
				return nil, fmt.Errorf("%s#%s: %w", name, e.Name, err)
			}
			out = append(out, plannedFunc{iface: name, name: e.Name, f: f, sig: sig, plan: p})
		}
	}
	return out, nil
}

// coreModule writes the one core module: function i is exported as
// "f<i>"; "memory" holds the constant results (and the heap), and
// "cabi_realloc" is there when a parameter needs it.
func (g *generator) coreModule(funcs []plannedFunc) (wasm []byte, memory, realloc bool, err error) {
	image := cabi.NewImage(imageBase)
	addrs := make([]uint32, len(funcs))
	for i, fn := range funcs {
		memory = memory || fn.sig.NeedsMemory
		realloc = realloc || fn.sig.NeedsRealloc
		if fn.plan.trap || fn.plan.value == nil || !fn.sig.ResultInMemory {
			continue
		}
		if addrs[i], err = image.StoreNew(fn.f.Result, fn.plan.value); err != nil {
			return nil, false, false, fmt.Errorf("%s#%s: %w", fn.iface, fn.name, err)
		}
	}
	mod := &coremod.Module{Name: g.module}
	heapBase := cabi.AlignTo(image.End(), 8)
	if memory || len(image.Bytes()) > 0 {
		memory = true
		mod.SetMemory((heapBase + coremod.PageSize - 1) / coremod.PageSize)
		mod.Export("memory", coremod.ExportMemory, 0)
		if len(image.Bytes()) > 0 {
			mod.AddData(image.Base(), image.Bytes())
		}
	}
	var heap uint32
	if realloc {
		heap = mod.AddGlobal(coremod.I32, true, int64(heapBase))
		mod.Export("cabi_realloc", coremod.ExportFunc, mod.AddFunc("cabi_realloc", reallocType, reallocLocals, reallocBody(heap)))
	}
	for i, fn := range funcs {
		code := &coremod.Code{}
		switch {
		case fn.plan.trap:
			code.Unreachable()
		default:
			if fn.sig.NeedsRealloc {
				// The caller's arguments were allocated for this call only
				// and are never read: the next call starts afresh.
				code.I32Const(int32(heapBase)).GlobalSet(heap)
			}
			if err := constantResult(code, fn.f, fn.sig, fn.plan.value, addrs[i]); err != nil {
				return nil, false, false, fmt.Errorf("%s#%s: %w", fn.iface, fn.name, err)
			}
		}
		mod.Export(fmt.Sprintf("f%d", i), coremod.ExportFunc, mod.AddFunc(g.coreName(fn.iface, fn.name), fn.sig.Core, nil, code))
	}
	wasm, err = mod.Encode()
	return wasm, memory, realloc, err
}

// shimType is one type a shim imports: every type the interface
// exports, and before each, the named types and resources its definition
// refers to that the interface does not export itself (wasi:http's
// error-code, used by outgoing-handler, has payload records declared in
// wasi:http/types). A type may be imported only once all its parts are.
type shimType struct {
	key     component.Type // the *Named or *Resource
	import_ string
	export  string // "" for a type only imported
}

// shimTypes lists the types the shim for it imports, in dependency order.
func shimTypes(it *component.InstanceType) []shimType {
	var out []shimType
	at := map[component.Type]int{} // every link of a name chain → its entry
	used := map[string]bool{}
	var visit func(t component.Type, name, export string)
	visit = func(t component.Type, name, export string) {
		if i, ok := at[t]; ok {
			if export != "" && out[i].export == "" {
				out[i].export = export
			}
			return
		}
		for _, dep := range typeParts(t) {
			visit(dep, typeName(dep), "")
		}
		imp := "type-" + name
		for n := 2; used[imp]; n++ {
			imp = fmt.Sprintf("type-%s-%d", name, n)
		}
		used[imp] = true
		for _, link := range nameChain(t) {
			if _, ok := at[link]; !ok {
				at[link] = len(out)
			}
		}
		out = append(out, shimType{key: t, import_: imp, export: export})
	}
	for _, e := range it.Exports {
		if tb, ok := e.Type.(*component.TypeBound); ok {
			visit(tb.Type, e.Name, e.Name)
		}
	}
	return out
}

// nameChain is t and every *Named it aliases, down to what they name.
func nameChain(t component.Type) []component.Type {
	out := []component.Type{t}
	for {
		n, ok := t.(*component.Named)
		if !ok {
			return out
		}
		t = n.Type
		out = append(out, t)
	}
}

// typeParts lists the named types and resources t's definition refers to.
func typeParts(t component.Type) []component.Type {
	u := component.Underlying(t)
	if _, ok := u.(*component.Resource); ok {
		return nil
	}
	var parts []component.Type
	w := component.TypeWalk{Visit: func(n any) bool {
		switch x := n.(type) {
		case *component.Named:
			parts = append(parts, x)
			return false
		case *component.Resource:
			parts = append(parts, x)
		}
		return true
	}}
	w.Type(u)
	return parts
}

func typeName(t component.Type) string {
	switch x := t.(type) {
	case *component.Named:
		return x.Name
	case *component.Resource:
		if x.Name != "" {
			return x.Name
		}
	}
	return "t"
}

func shimFuncName(i int) string { return fmt.Sprintf("func-%d", i) }

// shimComponent builds the nested component that gives an interface's
// types and functions their names: it imports each type and function and
// exports them under the interface's names, functions with their types
// restated in terms of the exported types.
func shimComponent(it *component.InstanceType, types []shimType) ([]byte, error) {
	s := newBuilder()
	var funcs []component.Item
	for _, e := range it.Exports {
		if _, ok := e.Type.(*component.Func); ok {
			funcs = append(funcs, e)
		}
	}
	bindChain := func(t component.Type, idx uint32) {
		for _, link := range nameChain(t) {
			if _, ok := link.(*component.Named); ok {
				s.types.Bind(link, idx)
			}
		}
	}
	imported := make([]uint32, len(types))
	for i, st := range types {
		tb := &component.TypeBound{Type: st.key}
		et, err := s.types.EncodeExtern(tb)
		if err != nil {
			return nil, fmt.Errorf("type %s: %w", typeName(st.key), err)
		}
		imported[i] = s.importItem(st.import_, et)
		s.types.BindExtern(tb, imported[i])
		bindChain(st.key, imported[i])
	}
	funcIdx := make([]uint32, len(funcs))
	for i, e := range funcs {
		et, err := s.types.EncodeExtern(e.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		funcIdx[i] = s.importItem(shimFuncName(i), et)
	}
	// A type export may refer only to types exported (or imported) before
	// it, so a value type the interface defines is exported as a fresh
	// definition written in terms of the exports so far, not as its
	// import (whose parts the outer component does not name).
	named := map[*component.Resource]bool{}
	for i, st := range types {
		if st.export == "" {
			continue
		}
		item := imported[i]
		r := component.ResourceOf(st.key)
		// A type the interface uses from another (its name aliases a
		// name) is exported as imported: the generated component passes
		// in that interface's own type, already named outside.
		used := false
		if n, ok := st.key.(*component.Named); ok {
			_, used = n.Type.(*component.Named)
		}
		if r == nil && !used {
			et, err := s.types.EncodeExtern(&component.TypeBound{Type: component.Underlying(st.key)})
			if err != nil {
				return nil, fmt.Errorf("type %s: %w", st.export, err)
			}
			s.flush()
			item = et.Index
		}
		idx := s.export(st.export, component.SortIndex{Sort: component.SortType, Index: item})
		bindChain(st.key, idx)
		// A resource keeps the name it was first exported under (fields,
		// not its aliases headers and trailers): [constructor]fields must
		// return a fields.
		if r != nil && !named[r] {
			named[r] = true
			s.types.Bind(r, idx)
		}
	}
	for i, e := range funcs {
		et, err := s.types.EncodeExtern(e.Type)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name, err)
		}
		s.exportTyped(e.Name, component.SortIndex{Sort: component.SortFunc, Index: funcIdx[i]}, et)
	}
	s.flush()
	return s.enc.Bytes()
}

// constantResult ends a function body by returning v: a pointer to its
// image at addr when the result is returned in memory, else its one flat
// value.
func constantResult(code *coremod.Code, f *component.Func, sig cabi.Signature, v cabi.Value, addr uint32) error {
	switch {
	case f.Result == nil:
		return nil
	case v == nil:
		return fmt.Errorf("no value planned for a function with a result")
	case sig.ResultInMemory:
		code.I32Const(int32(addr))
		return nil
	}
	flat, err := cabi.FlatConstant(f.Result, v)
	if err != nil {
		return err
	}
	switch sig.Core.Results[0] {
	case coremod.I64:
		code.I64Const(flat)
	case coremod.I32:
		code.I32Const(int32(flat))
	default:
		return fmt.Errorf("float results are not supported")
	}
	return nil
}

var (
	reallocType   = coremod.FuncType{Params: []coremod.ValType{coremod.I32, coremod.I32, coremod.I32, coremod.I32}, Results: []coremod.ValType{coremod.I32}}
	reallocLocals = []coremod.ValType{coremod.I32, coremod.I32} // ret, end
)

// reallocBody is cabi_realloc(old_ptr, old_size, align, new_size): a bump
// allocator over the global heap, growing memory as needed and copying
// an old allocation's bytes into a new one.
func reallocBody(heap uint32) *coremod.Code {
	const oldPtr, oldSize, align, newSize, ret, end = 0, 1, 2, 3, 4, 5
	c := &coremod.Code{}
	// ret = (heap + align - 1) & -align
	c.GlobalGet(heap).LocalGet(align).I32Add().I32Const(1).I32Sub()
	c.I32Const(0).LocalGet(align).I32Sub().I32And().LocalSet(ret)
	// end = ret + new_size, trapping on overflow
	c.LocalGet(ret).LocalGet(newSize).I32Add().LocalTee(end).LocalGet(ret).I32LtU()
	c.If().Unreachable().End()
	// grow memory to hold end
	c.LocalGet(end).MemorySize().I32Const(16).I32Shl().I32GtU()
	c.If()
	c.LocalGet(end).MemorySize().I32Const(16).I32Shl().I32Sub().I32Const(coremod.PageSize - 1).I32Add().I32Const(16).I32ShrU()
	c.MemoryGrow().I32Const(-1).I32Eq()
	c.If().Unreachable().End()
	c.End()
	c.LocalGet(end).GlobalSet(heap)
	// a reallocation keeps the old bytes (the smaller of the two sizes)
	c.LocalGet(oldPtr)
	c.If()
	c.LocalGet(ret).LocalGet(oldPtr)
	c.LocalGet(oldSize).LocalGet(newSize).LocalGet(oldSize).LocalGet(newSize).I32LtU().Select()
	c.MemoryCopy()
	c.End()
	c.LocalGet(ret)
	return c
}
