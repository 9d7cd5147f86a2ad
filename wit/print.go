package wit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// Options tune Print. The zero value prints what `wasm-tools component wit`
// prints.
type Options struct {
	// Package is the name of the package holding the world; a component
	// binary does not record one. Default "root:component".
	Package string
	// World is the world's name. Default "root".
	World string
}

// Print renders ct's imports and exports as WIT: a package with one world,
// then each foreign package the world refers to as a nested
// `package ns:pkg@v { interface … }` block. The layout follows
// `wasm-tools component wit` (two-space indent, blank lines between items,
// `use` for types shared across interfaces) so the outputs can be diffed.
func Print(ct *component.ComponentType, opts Options) (string, error) {
	if pkg, ok := encodedPackage(ct); ok {
		return "", fmt.Errorf("WIT package %s encoded as WebAssembly: %w", pkg, ErrPackageBinary)
	}
	v, err := newView(ct)
	if err != nil {
		return "", err
	}
	if opts.Package == "" {
		opts.Package = "root:component"
	}
	if opts.World == "" {
		opts.World = "root"
	}
	p := &printer{v: v}
	if err := p.document(opts); err != nil {
		return "", err
	}
	return p.out.String(), nil
}

// ErrPackageBinary is returned by Print for a WIT package encoded as a
// component binary (what `wasm-tools component wit --wasm` writes): such a
// binary describes interfaces and worlds, it has no world of its own.
var ErrPackageBinary = errors.New("not a component, so it has no world to print")

// encodedPackage reports whether ct is a WIT package encoded as a
// component, and returns the package's name.
func encodedPackage(ct *component.ComponentType) (string, bool) {
	p, ok := DecodeEncodedPackage(ct)
	if !ok {
		return "", false
	}
	return p.Name, true
}

// printer writes WIT text. blankBefore tracks whether the next item in the
// current block needs a blank line before it.
type printer struct {
	v           *view
	out         strings.Builder
	indent      int
	needIndent  bool
	blankBefore bool
}

// str writes s (which holds no newline), indenting first if at a line start.
func (p *printer) str(s string) {
	if p.needIndent {
		p.out.WriteString(strings.Repeat("  ", p.indent))
		p.needIndent = false
	}
	p.out.WriteString(s)
}

func (p *printer) newline() {
	p.out.WriteByte('\n')
	p.needIndent = true
}

// open ends the line with ` {` and indents; close dedents and writes `}`.
func (p *printer) open() {
	p.str(" {")
	p.indent++
	p.newline()
}

func (p *printer) close() {
	p.indent--
	p.str("}")
	p.newline()
}

func (p *printer) semicolon() {
	p.str(";")
	p.newline()
}

// item starts a new item in a block, separated by a blank line from the
// previous one.
func (p *printer) item() {
	if p.blankBefore {
		p.newline()
	}
	p.blankBefore = true
}

func (p *printer) document(opts Options) error {
	p.str("package " + opts.Package)
	p.semicolon()
	p.newline()
	p.str("world " + escape(opts.World))
	p.open()
	if err := p.world(); err != nil {
		return err
	}
	p.close()
	for i, pk := range p.v.packages {
		if i > 0 {
			p.newline()
			p.newline()
		}
		p.str("package " + pk.id())
		p.open()
		for _, ifc := range pk.interfaces {
			p.str("interface " + escape(ifc.name))
			p.open()
			if err := p.iface(ifc); err != nil {
				return fmt.Errorf("interface %s: %w", ifc.path(), err)
			}
			p.close()
		}
		p.close()
	}
	return nil
}

// world prints the world body: imported interfaces, then the world's own
// types (with their resource functions), then imported functions, then a
// blank line and the exports.
func (p *printer) world() error {
	w := p.v.world
	saved := p.blankBefore
	p.blankBefore = false
	var funcs []worldItem
	for _, it := range w.imports {
		switch {
		case it.iface != nil:
			if err := p.worldInterface("import", it); err != nil {
				return err
			}
			p.blankBefore = true
		case it.fn != nil:
			if it.fn.kind == freestanding {
				funcs = append(funcs, it)
			}
		}
	}
	if err := p.types(w.own); err != nil {
		return err
	}
	for _, it := range funcs {
		if err := p.worldFunc("import", it); err != nil {
			return err
		}
		p.blankBefore = true
	}
	if len(w.exports) > 0 {
		p.item()
	}
	for _, it := range w.exports {
		var err error
		if it.iface != nil {
			err = p.worldInterface("export", it)
		} else {
			err = p.worldFunc("export", it)
		}
		if err != nil {
			return err
		}
	}
	p.blankBefore = saved
	return nil
}

func (p *printer) externalID(id string) {
	if id == "" {
		return
	}
	p.str("@external-id(" + quote(id) + ")")
	p.newline()
}

func (p *printer) worldInterface(keyword string, it worldItem) error {
	p.externalID(it.externalID)
	switch {
	case it.iface.pkg == nil:
		p.str(keyword + " " + escape(it.name) + ": interface")
		p.open()
		if err := p.iface(it.iface); err != nil {
			return fmt.Errorf("%s %s: %w", keyword, it.name, err)
		}
		p.close()
	case it.implements:
		p.str(keyword + " " + escape(it.name) + ": " + it.iface.path())
		p.semicolon()
	default:
		p.str(keyword + " " + it.iface.path())
		p.semicolon()
	}
	return nil
}

func (p *printer) worldFunc(keyword string, it worldItem) error {
	p.externalID(it.externalID)
	p.str(keyword + " " + escape(it.name) + ": ")
	if err := p.function(p.v.world.own, it.fn); err != nil {
		return fmt.Errorf("%s %s: %w", keyword, it.name, err)
	}
	p.semicolon()
	return nil
}

// iface prints an interface body: uses, types (resources with their
// functions), then the freestanding functions.
func (p *printer) iface(ifc *iface) error {
	saved := p.blankBefore
	p.blankBefore = false
	if err := p.types(ifc); err != nil {
		return err
	}
	for _, fn := range ifc.funcs {
		if fn.kind != freestanding {
			continue
		}
		p.item()
		p.externalID(fn.externalID)
		p.str(escape(fn.item) + ": ")
		if err := p.function(ifc, fn); err != nil {
			return fmt.Errorf("function %s: %w", fn.name, err)
		}
		p.semicolon()
	}
	p.blankBefore = saved
	return nil
}

// types prints owner's types: first one `use` line per run of types taken
// from the same interface, then each declared type as its own item.
func (p *printer) types(owner *iface) error {
	type useGroup struct {
		from *iface
		tds  []*typeDef
	}
	var uses []*useGroup
	var declared []*typeDef
	for _, td := range owner.types {
		if !td.isUse() {
			declared = append(declared, td)
			continue
		}
		if n := len(uses); n > 0 && uses[n-1].from == td.alias.owner && td.externalID == "" && uses[n-1].tds[0].externalID == "" {
			uses[n-1].tds = append(uses[n-1].tds, td)
			continue
		}
		uses = append(uses, &useGroup{from: td.alias.owner, tds: []*typeDef{td}})
	}
	for _, u := range uses {
		p.blankBefore = true
		p.externalID(u.tds[0].externalID)
		path := u.from.path()
		if owner.pkg != nil && u.from.pkg == owner.pkg {
			path = escape(u.from.name)
		}
		names := make([]string, len(u.tds))
		for i, td := range u.tds {
			if td.name == td.alias.name {
				names[i] = escape(td.name)
			} else {
				names[i] = escape(td.alias.name) + " as " + escape(td.name)
			}
		}
		p.str("use " + path + ".{" + strings.Join(names, ", ") + "}")
		p.semicolon()
	}
	for _, td := range declared {
		p.item()
		p.externalID(td.externalID)
		if err := p.declare(owner, td); err != nil {
			return fmt.Errorf("type %s: %w", td.name, err)
		}
	}
	return nil
}

// declare prints one type definition.
func (p *printer) declare(scope *iface, td *typeDef) error {
	name := escape(td.name)
	switch {
	case td.alias != nil:
		p.str("type " + name + " = " + escape(td.alias.name))
		p.semicolon()
		return nil
	case td.resource != nil:
		return p.resource(scope, td)
	}
	switch d := td.def.(type) {
	case *component.Record:
		p.str("record " + name)
		p.open()
		for _, f := range d.Fields {
			t, err := p.typeRef(scope, f.Type)
			if err != nil {
				return fmt.Errorf("field %s: %w", f.Name, err)
			}
			p.str(escape(f.Name) + ": " + t + ",")
			p.newline()
		}
		p.close()
	case *component.Variant:
		p.str("variant " + name)
		p.open()
		for _, c := range d.Cases {
			s := escape(c.Name)
			if c.Type != nil {
				t, err := p.typeRef(scope, c.Type)
				if err != nil {
					return fmt.Errorf("case %s: %w", c.Name, err)
				}
				s += "(" + t + ")"
			}
			p.str(s + ",")
			p.newline()
		}
		p.close()
	case *component.Enum:
		p.labels("enum "+name, d.Names)
	case *component.Flags:
		p.labels("flags "+name, d.Names)
	case *component.Own:
		r, err := p.resourceName(scope, d.Resource)
		if err != nil {
			return err
		}
		p.str("type " + name + " = own<" + r + ">")
		p.semicolon()
	default:
		t, err := p.typeRef(scope, d)
		if err != nil {
			return err
		}
		p.str("type " + name + " = " + t)
		p.semicolon()
	}
	return nil
}

func (p *printer) labels(head string, names []string) {
	p.str(head)
	p.open()
	for _, n := range names {
		p.str(escape(n) + ",")
		p.newline()
	}
	p.close()
}

// resource prints `resource r;` or, when it has functions, a block with
// its constructor, methods and static functions in declaration order.
func (p *printer) resource(scope *iface, td *typeDef) error {
	var funcs []*function
	for _, fn := range scope.funcs {
		if fn.resource == td {
			funcs = append(funcs, fn)
		}
	}
	p.str("resource " + escape(td.name))
	if len(funcs) == 0 {
		p.semicolon()
		return nil
	}
	p.open()
	for _, fn := range funcs {
		p.externalID(fn.externalID)
		switch fn.kind {
		case method:
			p.str(escape(fn.item) + ": ")
		case static:
			p.str(escape(fn.item) + ": static ")
		}
		if err := p.function(scope, fn); err != nil {
			return fmt.Errorf("function %s: %w", fn.name, err)
		}
		p.semicolon()
	}
	p.close()
	return nil
}

// function prints a signature: `func(a: T) -> R`, or `constructor(a: T)`
// for a constructor that returns its own resource. A method's self
// parameter is implied and not printed.
func (p *printer) function(scope *iface, fn *function) error {
	s, err := p.v.signature(scope, fn, false)
	if err != nil {
		return err
	}
	p.str(s)
	return nil
}

// signature renders fn's type. With canonical set every parameter,
// including self, is shown and handles are always spelled own<…>.
func (v *view) signature(scope *iface, fn *function, canonical bool) (string, error) {
	var b strings.Builder
	if fn.typ.Async {
		b.WriteString("async ")
	}
	if fn.kind == constructor && !canonical {
		b.WriteString("constructor(")
	} else {
		b.WriteString("func(")
	}
	params := fn.typ.Params
	if fn.kind == method && !canonical && len(params) > 0 {
		params = params[1:]
	}
	for i, prm := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		t, err := v.typeRef(scope, prm.Type, canonical)
		if err != nil {
			return "", fmt.Errorf("parameter %s: %w", prm.Name, err)
		}
		b.WriteString(escape(prm.Name) + ": " + t)
	}
	b.WriteString(")")
	if fn.typ.Result == nil || (fn.kind == constructor && !canonical && v.returnsOwnResource(scope, fn)) {
		return b.String(), nil
	}
	t, err := v.typeRef(scope, fn.typ.Result, canonical)
	if err != nil {
		return "", fmt.Errorf("result: %w", err)
	}
	b.WriteString(" -> " + t)
	return b.String(), nil
}

// returnsOwnResource reports whether a constructor's result is an owned
// handle of its own resource, which WIT leaves implicit.
func (v *view) returnsOwnResource(scope *iface, fn *function) bool {
	own, ok := fn.typ.Result.(*component.Own)
	if !ok {
		return false
	}
	if td := v.resourceDef(scope, own.Resource); td != nil {
		return td == fn.resource || td.underlyingResource() == fn.resource.resource
	}
	return component.ResourceOf(own.Resource) == fn.resource.resource
}

func (p *printer) typeRef(scope *iface, t component.ValType) (string, error) {
	return p.v.typeRef(scope, t, false)
}

func (p *printer) resourceName(scope *iface, r component.Type) (string, error) {
	return p.v.resourceName(scope, r)
}

// typeRef renders a value type where it is used: named types by name,
// anonymous ones structurally. Records, variants, enums and flags must be
// named in WIT; an anonymous one is an error.
func (v *view) typeRef(scope *iface, t component.ValType, canonical bool) (string, error) {
	switch x := t.(type) {
	case component.Prim:
		return primName(x), nil
	case *component.Named:
		if td := v.created[x]; td != nil {
			return escape(td.name), nil
		}
		if td := v.aliasOf(x); td != nil {
			return escape(td.name), nil
		}
		return escape(x.Name), nil
	case *component.List:
		e, err := v.typeRef(scope, x.Elem, canonical)
		if err != nil {
			return "", err
		}
		if x.Len > 0 {
			return "list<" + e + ", " + strconv.FormatUint(uint64(x.Len), 10) + ">", nil
		}
		return "list<" + e + ">", nil
	case *component.Tuple:
		parts := make([]string, len(x.Types))
		for i, e := range x.Types {
			s, err := v.typeRef(scope, e, canonical)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "tuple<" + strings.Join(parts, ", ") + ">", nil
	case *component.Option:
		e, err := v.typeRef(scope, x.Elem, canonical)
		if err != nil {
			return "", err
		}
		return "option<" + e + ">", nil
	case *component.Result:
		return v.resultRef(scope, x, canonical)
	case *component.Own:
		r, err := v.resourceName(scope, x.Resource)
		if err != nil {
			return "", err
		}
		if canonical {
			return "own<" + r + ">", nil
		}
		return r, nil
	case *component.Borrow:
		r, err := v.resourceName(scope, x.Resource)
		if err != nil {
			return "", err
		}
		return "borrow<" + r + ">", nil
	case *component.Stream:
		return v.optionalArg(scope, "stream", x.Elem, canonical)
	case *component.Future:
		return v.optionalArg(scope, "future", x.Elem, canonical)
	case *component.Map:
		k, err := v.typeRef(scope, x.Key, canonical)
		if err != nil {
			return "", err
		}
		val, err := v.typeRef(scope, x.Value, canonical)
		if err != nil {
			return "", err
		}
		return "map<" + k + ", " + val + ">", nil
	case *component.Record:
		return "", fmt.Errorf("an anonymous record cannot be written in WIT")
	case *component.Variant:
		return "", fmt.Errorf("an anonymous variant cannot be written in WIT")
	case *component.Enum:
		return "", fmt.Errorf("an anonymous enum cannot be written in WIT")
	case *component.Flags:
		return "", fmt.Errorf("anonymous flags cannot be written in WIT")
	}
	return "", fmt.Errorf("unsupported value type %T", t)
}

func (v *view) optionalArg(scope *iface, head string, elem component.ValType, canonical bool) (string, error) {
	if elem == nil {
		return head, nil
	}
	e, err := v.typeRef(scope, elem, canonical)
	if err != nil {
		return "", err
	}
	return head + "<" + e + ">", nil
}

func (v *view) resultRef(scope *iface, r *component.Result, canonical bool) (string, error) {
	var ok, errT string
	var err error
	if r.Ok != nil {
		if ok, err = v.typeRef(scope, r.Ok, canonical); err != nil {
			return "", err
		}
	}
	if r.Err != nil {
		if errT, err = v.typeRef(scope, r.Err, canonical); err != nil {
			return "", err
		}
	}
	switch {
	case r.Ok != nil && r.Err != nil:
		return "result<" + ok + ", " + errT + ">", nil
	case r.Err != nil:
		return "result<_, " + errT + ">", nil
	case r.Ok != nil:
		return "result<" + ok + ">", nil
	}
	return "result", nil
}

// resourceName names the resource behind a handle as scope sees it.
func (v *view) resourceName(scope *iface, r component.Type) (string, error) {
	if td := v.resourceDef(scope, r); td != nil {
		return escape(td.name), nil
	}
	if n, ok := r.(*component.Named); ok {
		return escape(n.Name), nil
	}
	if res := component.ResourceOf(r); res != nil && res.Name != "" {
		return escape(res.Name), nil
	}
	return "", fmt.Errorf("handle to a resource that has no name")
}

// resourceDef finds the WIT type a handle's resource refers to: the name
// it was created under, else a name for the same resource in scope, else
// the first name the resource was given anywhere.
func (v *view) resourceDef(scope *iface, r component.Type) *typeDef {
	if td := v.aliasOf(r); td != nil {
		return td
	}
	res := component.ResourceOf(r)
	if res == nil {
		return nil
	}
	cands := v.byResource[res]
	for _, td := range cands {
		if td.owner == scope {
			return td
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	return nil
}

func primName(p component.Prim) string {
	switch component.PrimType(p) {
	case component.PrimBool:
		return "bool"
	case component.PrimS8:
		return "s8"
	case component.PrimU8:
		return "u8"
	case component.PrimS16:
		return "s16"
	case component.PrimU16:
		return "u16"
	case component.PrimS32:
		return "s32"
	case component.PrimU32:
		return "u32"
	case component.PrimS64:
		return "s64"
	case component.PrimU64:
		return "u64"
	case component.PrimF32:
		return "f32"
	case component.PrimF64:
		return "f64"
	case component.PrimChar:
		return "char"
	case component.PrimString:
		return "string"
	case component.PrimErrorContext:
		return "error-context"
	}
	return fmt.Sprintf("<primitive 0x%02x>", uint8(p))
}

// keywords are the WIT keywords (WIT.md) plus the names the reference
// printer also escapes; an identifier spelled like one is written %name.
var keywords = map[string]bool{
	"as": true, "async": true, "bool": true, "borrow": true, "char": true,
	"constructor": true, "enum": true, "export": true, "f32": true, "f64": true,
	"flags": true, "from": true, "func": true, "future": true, "import": true,
	"include": true, "interface": true, "list": true, "map": true, "option": true,
	"own": true, "package": true, "record": true, "resource": true, "result": true,
	"s16": true, "s32": true, "s64": true, "s8": true, "static": true,
	"stream": true, "string": true, "tuple": true, "type": true, "u16": true,
	"u32": true, "u64": true, "u8": true, "use": true, "variant": true,
	"with": true, "world": true,
	"float32": true, "float64": true, "error-context": true, "_": true,
}

// escape writes an identifier, prefixing % when it is a keyword.
func escape(name string) string {
	if keywords[name] {
		return "%" + name
	}
	return name
}

// quote writes s as a WIT string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '"':
			b.WriteString(`\"`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\u{%x}`, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
