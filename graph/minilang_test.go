package graph

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/wcomp/wcomp/component"
)

// This file parses the small language of testdata/*.txt (in the spirit of
// cmd/go's mvs tests). A case is a list of lines:
//
//	# comment
//	COMP: import NAME TYPE      component COMP imports NAME
//	COMP: export NAME TYPE      component COMP exports NAME
//	instance INST COMP          instantiate COMP as INST (default: one
//	                            instance per component, named after it)
//	root INST                   the root (default: the first instance)
//	noroot                      no root
//	wire INST IMPORT <- INST EXPORT
//	arg INST IMPORT <- SOURCE   an explicit argument (SetArg)
//	export NAME <- SOURCE       an export of the result (Export)
//	exports NAME...             export these of the root's exports
//	import NAME TYPE            an explicit import of the result
//	fill INST auto|import|none  how INST's other imports are filled
//	keep INST                   instantiate INST even if unused
//	wiredonly INST              INST's exports serve only explicit arguments
//
// SOURCE is `INST EXPORT`, `INST` (the whole instance), `import NAME` or
// `import NAME EXPORT`.
//
// TYPE is `func(T, name: T) -> T`, or an instance `{name: TYPE, r: resource}`
// whose functions may use own<r>/borrow<r>. Value types: the primitives,
// list<T>, option<T>, result<T, E> (with _ for none), tuple<T...>.

type testCase struct {
	comps     []string
	types     map[string]*component.ComponentType
	instances [][2]string // name, component
	root      string
	noRoot    bool
	wires     [][4]string
	exports   []string
	hasExport bool
	imports   []component.Item
	args      []caseArg
	exportsTo []caseArg // export NAME <- SOURCE: inst is unused, imp is NAME
	fills     [][2]string
	keep      []string
	wiredOnly []string
}

// caseArg is `arg INST IMPORT <- SOURCE` or `export NAME <- SOURCE`.
type caseArg struct {
	inst, imp string
	src       []string // the SOURCE words
}

func parseCase(text string) (*testCase, error) {
	c := &testCase{types: map[string]*component.ComponentType{}}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := c.parseLine(line); err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
	}
	if len(c.instances) == 0 {
		for _, comp := range c.comps {
			c.instances = append(c.instances, [2]string{comp, comp})
		}
	}
	if c.root == "" && !c.noRoot && len(c.instances) > 0 {
		c.root = c.instances[0][0]
	}
	return c, nil
}

func (c *testCase) parseLine(line string) error {
	f := strings.Fields(line)
	switch f[0] {
	case "instance":
		if len(f) != 3 {
			return fmt.Errorf("want: instance INST COMP")
		}
		c.instances = append(c.instances, [2]string{f[1], f[2]})
		return nil
	case "root":
		if len(f) != 2 {
			return fmt.Errorf("want: root INST")
		}
		c.root = f[1]
		return nil
	case "wire":
		if len(f) != 6 || f[3] != "<-" {
			return fmt.Errorf("want: wire INST IMPORT <- INST EXPORT")
		}
		c.wires = append(c.wires, [4]string{f[1], f[2], f[4], f[5]})
		return nil
	case "exports":
		c.exports, c.hasExport = append([]string{}, f[1:]...), true
		return nil
	case "noroot":
		c.noRoot = true
		return nil
	case "arg":
		if len(f) < 5 || f[3] != "<-" {
			return fmt.Errorf("want: arg INST IMPORT <- SOURCE")
		}
		c.args = append(c.args, caseArg{inst: f[1], imp: f[2], src: f[4:]})
		return nil
	case "export":
		if len(f) < 4 || f[2] != "<-" {
			return fmt.Errorf("want: export NAME <- SOURCE")
		}
		c.exportsTo = append(c.exportsTo, caseArg{imp: f[1], src: f[3:]})
		return nil
	case "fill":
		if len(f) != 3 {
			return fmt.Errorf("want: fill INST auto|import|none")
		}
		c.fills = append(c.fills, [2]string{f[1], f[2]})
		return nil
	case "keep":
		c.keep = append(c.keep, f[1:]...)
		return nil
	case "wiredonly":
		c.wiredOnly = append(c.wiredOnly, f[1:]...)
		return nil
	case "import":
		name, typ, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(line, "import")), " ")
		p := &typeParser{toks: tokenize(typ), abstract: true}
		ext, err := p.extern()
		if err != nil {
			return fmt.Errorf("import %s: %v", name, err)
		}
		c.imports = append(c.imports, component.Item{Name: name, Attr: component.ExternName{Name: name}, Type: ext})
		return nil
	}
	comp, rest, ok := strings.Cut(line, ": ")
	if !ok || strings.ContainsAny(comp, " \t") {
		return fmt.Errorf("unknown line %q", line)
	}
	ct := c.types[comp]
	if ct == nil {
		ct = &component.ComponentType{}
		c.types[comp] = ct
		c.comps = append(c.comps, comp)
	}
	dir, rest, _ := strings.Cut(strings.TrimSpace(rest), " ")
	name, typ, _ := strings.Cut(strings.TrimSpace(rest), " ")
	if dir != "import" && dir != "export" {
		return fmt.Errorf("want COMP: import|export NAME TYPE")
	}
	p := &typeParser{toks: tokenize(typ), abstract: dir == "import"}
	ext, err := p.extern()
	if err != nil {
		return fmt.Errorf("%s %s: %v", dir, name, err)
	}
	if p.pos != len(p.toks) {
		return fmt.Errorf("%s %s: trailing %q", dir, name, p.toks[p.pos])
	}
	item := component.Item{Name: name, Attr: component.ExternName{Name: name}, Type: ext}
	if dir == "import" {
		ct.Imports = append(ct.Imports, item)
	} else {
		ct.Exports = append(ct.Exports, item)
	}
	return nil
}

func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		r := rune(s[i])
		switch {
		case unicode.IsSpace(r):
			i++
		case strings.HasPrefix(s[i:], "->"):
			toks = append(toks, "->")
			i += 2
		case strings.ContainsRune("{}()<>,:", r):
			toks = append(toks, string(r))
			i++
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && !strings.ContainsRune("{}()<>,:", rune(s[j])) && !strings.HasPrefix(s[j:], "->") {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

type typeParser struct {
	toks     []string
	pos      int
	abstract bool // resources declared here are imported: (sub resource)
	scope    map[string]*component.Resource
}

func (p *typeParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *typeParser) next() string { t := p.peek(); p.pos++; return t }

func (p *typeParser) expect(t string) error {
	if got := p.next(); got != t {
		return fmt.Errorf("expected %q, found %q", t, got)
	}
	return nil
}

func (p *typeParser) extern() (component.Extern, error) {
	switch p.peek() {
	case "func":
		return p.fn()
	case "{":
		return p.instance()
	}
	return nil, fmt.Errorf("expected func or {, found %q", p.peek())
}

func (p *typeParser) instance() (*component.InstanceType, error) {
	p.next()
	it := &component.InstanceType{}
	p.scope = map[string]*component.Resource{}
	for p.peek() != "}" {
		name := p.next()
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		var ext component.Extern
		if p.peek() == "resource" {
			p.next()
			r := &component.Resource{Name: name, Abstract: p.abstract}
			p.scope[name] = r
			ext = &component.TypeBound{Type: r}
		} else {
			var err error
			if ext, err = p.fn(); err != nil {
				return nil, err
			}
		}
		it.Exports = append(it.Exports, component.Item{Name: name, Attr: component.ExternName{Name: name}, Type: ext})
		if p.peek() == "," {
			p.next()
		}
	}
	p.next()
	return it, nil
}

func (p *typeParser) fn() (*component.Func, error) {
	if err := p.expect("func"); err != nil {
		return nil, err
	}
	if err := p.expect("("); err != nil {
		return nil, err
	}
	f := &component.Func{}
	for i := 0; p.peek() != ")"; i++ {
		name := fmt.Sprintf("arg%d", i)
		if p.pos+1 < len(p.toks) && p.toks[p.pos+1] == ":" {
			name = p.next()
			p.next()
		}
		t, err := p.val()
		if err != nil {
			return nil, err
		}
		f.Params = append(f.Params, component.Param{Name: name, Type: t})
		if p.peek() == "," {
			p.next()
		}
	}
	p.next()
	if p.peek() == "->" {
		p.next()
		t, err := p.val()
		if err != nil {
			return nil, err
		}
		f.Result = t
	}
	return f, nil
}

var prims = map[string]component.PrimType{
	"bool": component.PrimBool, "s8": component.PrimS8, "u8": component.PrimU8,
	"s16": component.PrimS16, "u16": component.PrimU16, "s32": component.PrimS32,
	"u32": component.PrimU32, "s64": component.PrimS64, "u64": component.PrimU64,
	"f32": component.PrimF32, "f64": component.PrimF64, "char": component.PrimChar,
	"string": component.PrimString,
}

func (p *typeParser) val() (component.ValType, error) {
	tok := p.next()
	if pr, ok := prims[tok]; ok {
		return component.Prim(pr), nil
	}
	args, err := p.typeArgs(tok)
	if err != nil {
		return nil, err
	}
	switch tok {
	case "list":
		if len(args) == 1 && args[0] != nil {
			return &component.List{Elem: args[0]}, nil
		}
	case "option":
		if len(args) == 1 && args[0] != nil {
			return &component.Option{Elem: args[0]}, nil
		}
	case "result":
		switch len(args) {
		case 0:
			return &component.Result{}, nil
		case 1:
			return &component.Result{Ok: args[0]}, nil
		case 2:
			return &component.Result{Ok: args[0], Err: args[1]}, nil
		}
	case "tuple":
		return &component.Tuple{Types: args}, nil
	case "own", "borrow":
		if len(args) == 1 { // typeArgs built the handle
			return args[0], nil
		}
	}
	return nil, fmt.Errorf("bad type %q", tok)
}

// typeArgs reads `<T, ...>` after a type constructor; `_` stands for none.
// own<r> and borrow<r> are handled here because r names a resource.
func (p *typeParser) typeArgs(ctor string) ([]component.ValType, error) {
	if p.peek() != "<" {
		return nil, nil
	}
	p.next()
	var args []component.ValType
	for p.peek() != ">" {
		if p.peek() == "" {
			return nil, fmt.Errorf("unterminated %s<", ctor)
		}
		switch {
		case ctor == "own" || ctor == "borrow":
			name := p.next()
			r := p.scope[name]
			if r == nil {
				return nil, fmt.Errorf("unknown resource %q", name)
			}
			if ctor == "own" {
				args = append(args, &component.Own{Resource: r})
			} else {
				args = append(args, &component.Borrow{Resource: r})
			}
		case p.peek() == "_":
			p.next()
			args = append(args, nil)
		default:
			t, err := p.val()
			if err != nil {
				return nil, err
			}
			args = append(args, t)
		}
		if p.peek() == "," {
			p.next()
		}
	}
	p.next()
	return args, nil
}
