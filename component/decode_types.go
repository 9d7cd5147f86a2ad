package component

// Decoding of component types (deftype, defvaltype, functype, component and
// instance types with their declarators) and of core types.

func isPrim(b byte) bool {
	return (b >= byte(PrimString) && b <= byte(PrimBool)) || b == byte(PrimErrorContext)
}

// valType reads a valtype: a primitive opcode, or a non-negative s33 type
// index.
func (r *reader) valType() (ValTypeRef, error) {
	off := r.off
	b, err := r.peek("value type")
	if err != nil {
		return ValTypeRef{}, err
	}
	if isPrim(b) {
		r.off++
		return ValTypeRef{Prim: PrimType(b)}, nil
	}
	v, err := r.s33("value type")
	if err != nil {
		return ValTypeRef{}, err
	}
	if v < 0 || v > 0xffffffff {
		return ValTypeRef{}, r.bad(off, "value type (a primitive or a type index)", b)
	}
	return ValTypeRef{Index: uint32(v)}, nil
}

func (r *reader) optValType(what string) (*ValTypeRef, error) {
	has, err := r.optional(what)
	if err != nil || !has {
		return nil, err
	}
	t, err := r.valType()
	return &t, err
}

func (r *reader) label(what string) (string, error) { return r.name(what) }

func (r *reader) typeDef() (TypeDef, error) {
	off := r.off
	b, err := r.byte("type definition")
	if err != nil {
		return TypeDef{}, err
	}
	switch b {
	case 0x40, 0x43:
		ft, err := r.funcType(b == 0x43)
		return TypeDef{Func: ft}, err
	case 0x41, 0x42:
		if r.depth >= maxNesting {
			return TypeDef{}, r.errorf(off, "component and instance types nested more than %d deep", maxNesting)
		}
		r.depth++
		decls, err := vec(r, "declarator", 2, func(r *reader) (Decl, error) { return r.decl(b == 0x41) })
		r.depth--
		if err != nil {
			return TypeDef{}, err
		}
		if b == 0x41 {
			return TypeDef{Component: &ComponentTypeDef{Decls: decls}}, nil
		}
		return TypeDef{Instance: &InstanceTypeDef{Decls: decls}}, nil
	case 0x3f:
		rep, err := r.byte("resource representation")
		if err != nil {
			return TypeDef{}, err
		}
		rt := &ResourceTypeDef{Rep: rep}
		has, err := r.optional("optional destructor")
		if err != nil {
			return TypeDef{}, err
		}
		if has {
			f, err := r.u32("destructor function index")
			if err != nil {
				return TypeDef{}, err
			}
			rt.Dtor = &f
		}
		return TypeDef{Resource: rt}, nil
	}
	dv, err := r.defValType(off, b)
	return TypeDef{Value: dv}, err
}

func (r *reader) funcType(async bool) (*FuncType, error) {
	params, err := vec(r, "parameter", 2, func(r *reader) (LabeledType, error) {
		n, err := r.label("parameter name")
		if err != nil {
			return LabeledType{}, err
		}
		t, err := r.valType()
		return LabeledType{Name: n, Type: t}, err
	})
	if err != nil {
		return nil, err
	}
	res, err := r.resultList()
	return &FuncType{Async: async, Params: params, Result: res}, err
}

// resultList reads 0x00 t (one result) or 0x01 0x00 (none).
func (r *reader) resultList() (*ValTypeRef, error) {
	off := r.off
	b, err := r.byte("result list")
	if err != nil {
		return nil, err
	}
	switch b {
	case 0x00:
		t, err := r.valType()
		return &t, err
	case 0x01:
		off := r.off
		z, err := r.byte("result list")
		if err != nil {
			return nil, err
		}
		if z != 0 {
			return nil, r.bad(off, "0x00 after 0x01 in an empty result list", z)
		}
		return nil, nil
	}
	return nil, r.bad(off, "result list (0x00 or 0x01)", b)
}

// defValType reads the rest of a defvaltype whose opcode b was read at off.
func (r *reader) defValType(off int, b byte) (*DefValType, error) {
	if isPrim(b) {
		return &DefValType{Kind: DefPrim, Prim: PrimType(b)}, nil
	}
	d := &DefValType{Kind: DefValKind(b)}
	var err error
	switch DefValKind(b) {
	case DefRecord:
		d.Fields, err = vec(r, "record field", 2, func(r *reader) (LabeledType, error) {
			n, err := r.label("field name")
			if err != nil {
				return LabeledType{}, err
			}
			t, err := r.valType()
			return LabeledType{Name: n, Type: t}, err
		})
	case DefVariant:
		d.Cases, err = vec(r, "variant case", 3, (*reader).variantCase)
	case DefList, DefOption:
		var t ValTypeRef
		t, err = r.valType()
		d.Elem = &t
	case DefFixedList:
		var t ValTypeRef
		if t, err = r.valType(); err == nil {
			d.Elem = &t
			d.Len, err = r.u32("fixed list length")
		}
	case DefTuple:
		d.Types, err = vec(r, "tuple type", 1, func(r *reader) (ValTypeRef, error) { return r.valType() })
	case DefFlags, DefEnum:
		d.Labels, err = vec(r, "label", 1, func(r *reader) (string, error) { return r.label("label") })
	case DefResult:
		if d.Ok, err = r.optValType("optional ok type"); err == nil {
			d.Err, err = r.optValType("optional error type")
		}
	case DefOwn, DefBorrow:
		d.Resource, err = r.u32("resource type index")
	case DefStream, DefFuture:
		d.Elem, err = r.optValType("optional element type")
	case DefMap:
		var k, v ValTypeRef
		if k, err = r.valType(); err == nil {
			if v, err = r.valType(); err == nil {
				d.Key, d.Elem = &k, &v
			}
		}
	default:
		return nil, r.bad(off, "type definition", b)
	}
	return d, err
}

func (r *reader) variantCase() (VariantCase, error) {
	n, err := r.label("case name")
	if err != nil {
		return VariantCase{}, err
	}
	c := VariantCase{Name: n}
	if c.Type, err = r.optValType("optional case type"); err != nil {
		return VariantCase{}, err
	}
	has, err := r.optional("case refines")
	if err != nil {
		return VariantCase{}, err
	}
	if has {
		i, err := r.u32("refined case index")
		if err != nil {
			return VariantCase{}, err
		}
		c.Refines = &i
	}
	return c, nil
}

// decl reads a componentdecl (inComponent) or an instancedecl.
func (r *reader) decl(inComponent bool) (Decl, error) {
	off := r.off
	b, err := r.byte("declarator")
	if err != nil {
		return Decl{}, err
	}
	d := Decl{Kind: DeclKind(b)}
	switch DeclKind(b) {
	case DeclCoreType:
		ct, err := r.coreType(true)
		d.CoreType = &ct
		return d, err
	case DeclType:
		t, err := r.typeDef()
		d.Type = &t
		return d, err
	case DeclAlias:
		a, err := r.alias()
		d.Alias = &a
		return d, err
	case DeclImport, DeclExport:
		if DeclKind(b) == DeclImport && !inComponent {
			break
		}
		if d.Name, err = r.externName(); err != nil {
			return Decl{}, err
		}
		d.Extern, err = r.externType()
		return d, err
	}
	if inComponent {
		return Decl{}, r.bad(off, "component type declarator", b)
	}
	return Decl{}, r.bad(off, "instance type declarator", b)
}

// coreType reads a core:type. At the top of a component (topLevel) a
// non-final sub type carries a 0x00 prefix so that 0x50 can mean a module
// type; inside a module type there is no prefix and no nested module type.
func (r *reader) coreType(topLevel bool) (CoreType, error) {
	start := r.off
	b, err := r.peek("core type")
	if err != nil {
		return CoreType{}, err
	}
	if topLevel {
		switch b {
		case 0x50:
			r.off++
			decls, err := vec(r, "module type declarator", 2, (*reader).coreModuleDecl)
			return CoreType{Module: &CoreModuleType{Decls: decls}}, err
		case 0x00:
			r.off++
			if b, err := r.peek("non-final sub type"); err != nil || b != 0x50 {
				if err != nil {
					return CoreType{}, err
				}
				return CoreType{}, r.bad(r.off, "non-final sub type 0x50 after 0x00", b)
			}
		}
	}
	fn, err := r.recGroup()
	if err != nil {
		return CoreType{}, err
	}
	return CoreType{Raw: r.data[start:r.off:r.off], Func: fn}, nil
}

func (r *reader) coreModuleDecl() (CoreModuleDecl, error) {
	off := r.off
	b, err := r.byte("module type declarator")
	if err != nil {
		return CoreModuleDecl{}, err
	}
	d := CoreModuleDecl{Kind: b}
	switch b {
	case 0x00:
		if d.ImportModule, err = r.name("import module name"); err != nil {
			return d, err
		}
		if d.ImportName, err = r.name("import name"); err != nil {
			return d, err
		}
		d.Extern, err = r.coreExternType()
		return d, err
	case 0x01:
		ct, err := r.coreType(false)
		d.Type = &ct
		return d, err
	case 0x02:
		off := r.off
		s, err := r.byte("alias sort")
		if err != nil {
			return d, err
		}
		if s != 0x10 {
			return d, r.bad(off, "core type sort 0x10 in a module type alias", s)
		}
		off = r.off
		t, err := r.byte("alias target")
		if err != nil {
			return d, err
		}
		if t != 0x01 {
			return d, r.bad(off, "outer alias 0x01 in a module type", t)
		}
		if d.AliasCount, err = r.u32("outer alias count"); err != nil {
			return d, err
		}
		d.AliasIndex, err = r.u32("outer alias index")
		return d, err
	case 0x03:
		if d.ExportName, err = r.name("export name"); err != nil {
			return d, err
		}
		d.Extern, err = r.coreExternType()
		return d, err
	}
	return d, r.bad(off, "module type declarator", b)
}

// coreExternType reads a core:externtype and returns its encoding.
func (r *reader) coreExternType() ([]byte, error) {
	start := r.off
	b, err := r.byte("core extern type")
	if err != nil {
		return nil, err
	}
	switch b {
	case 0x00, 0x20: // func, exact func
		_, err = r.u32("type index")
	case 0x01: // table
		if err = r.coreRefType(); err == nil {
			err = r.limits(0b111, false)
		}
	case 0x02: // memory
		err = r.limits(0b1111, true)
	case 0x03: // global
		if err = r.coreValType(); err == nil {
			off := r.off
			var m byte
			if m, err = r.byte("global mutability"); err == nil && m > 0b11 {
				err = r.bad(off, "global flags", m)
			}
		}
	case 0x04: // tag
		off := r.off
		var a byte
		if a, err = r.byte("tag attribute"); err == nil {
			if a != 0 {
				err = r.bad(off, "tag attribute 0x00", a)
			} else {
				_, err = r.u32("type index")
			}
		}
	default:
		return nil, r.bad(start, "core extern type", b)
	}
	if err != nil {
		return nil, err
	}
	return r.data[start:r.off:r.off], nil
}

// limits reads table or memory limits; pageSize allows the custom page
// size flag (0x08).
func (r *reader) limits(mask byte, pageSize bool) error {
	off := r.off
	flags, err := r.byte("limits")
	if err != nil {
		return err
	}
	if flags&^mask != 0 {
		return r.bad(off, "limits flags", flags)
	}
	if _, err := r.u64("limits minimum"); err != nil {
		return err
	}
	if flags&1 != 0 {
		if _, err := r.u64("limits maximum"); err != nil {
			return err
		}
	}
	if pageSize && flags&0b1000 != 0 {
		if _, err := r.u32("page size"); err != nil {
			return err
		}
	}
	return nil
}

// recGroup reads a core rectype and, when it is a lone plain function
// type, returns it decoded.
func (r *reader) recGroup() (*CoreFuncType, error) {
	b, err := r.peek("core type")
	if err != nil {
		return nil, err
	}
	if b == 0x4e {
		r.off++
		n, err := r.count("rec group type", 2)
		if err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			if _, err := r.subType(); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	return r.subType()
}

func (r *reader) subType() (*CoreFuncType, error) {
	b, err := r.peek("core sub type")
	if err != nil {
		return nil, err
	}
	if b == 0x50 || b == 0x4f {
		r.off++
		n, err := r.count("supertype", 1)
		if err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			if _, err := r.u32("supertype index"); err != nil {
				return nil, err
			}
		}
		_, err = r.compType()
		return nil, err
	}
	return r.compType()
}

func (r *reader) compType() (*CoreFuncType, error) {
	off := r.off
	b, err := r.byte("core composite type")
	if err != nil {
		return nil, err
	}
	plain := true
	if b == 0x65 { // shared
		plain = false
		if b, err = r.byte("core composite type"); err != nil {
			return nil, err
		}
	}
	for _, prefix := range []byte{0x4c, 0x4d} { // describes, descriptor
		if b == prefix {
			plain = false
			if _, err := r.u32("type index"); err != nil {
				return nil, err
			}
			if b, err = r.byte("core composite type"); err != nil {
				return nil, err
			}
		}
	}
	switch b {
	case 0x60:
		params, err := r.coreValTypes("parameter")
		if err != nil {
			return nil, err
		}
		results, err := r.coreValTypes("result")
		if err != nil || !plain {
			return nil, err
		}
		return &CoreFuncType{Params: params, Results: results}, nil
	case 0x5e:
		return nil, r.fieldType()
	case 0x5f:
		n, err := r.count("struct field", 2)
		if err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			if err := r.fieldType(); err != nil {
				return nil, err
			}
		}
		return nil, nil
	case 0x5d:
		_, err := r.u32("continuation type index")
		return nil, err
	}
	return nil, r.bad(off, "core composite type (func, struct, array or cont)", b)
}

func (r *reader) coreValTypes(what string) ([]CoreValType, error) {
	return vec(r, "core "+what, 1, func(r *reader) (CoreValType, error) {
		start := r.off
		if err := r.coreValType(); err != nil {
			return nil, err
		}
		return CoreValType(r.data[start:r.off:r.off]), nil
	})
}

func (r *reader) fieldType() error {
	b, err := r.peek("field type")
	if err != nil {
		return err
	}
	if b == 0x78 || b == 0x77 { // packed i8, i16
		r.off++
	} else if err := r.coreValType(); err != nil {
		return err
	}
	off := r.off
	m, err := r.byte("field mutability")
	if err == nil && m > 1 {
		err = r.bad(off, "field mutability (0x00 or 0x01)", m)
	}
	return err
}

// isAbstractHeapType reports whether b is an abstract heap type opcode
// (cont 0x68 through nocont 0x75).
func isAbstractHeapType(b byte) bool { return b >= 0x68 && b <= 0x75 }

func (r *reader) coreValType() error {
	off := r.off
	b, err := r.peek("core value type")
	if err != nil {
		return err
	}
	switch {
	case b >= 0x7b && b <= 0x7f: // i32 i64 f32 f64 v128
		r.off++
		return nil
	case b == 0x63 || b == 0x64 || b == 0x65 || isAbstractHeapType(b):
		return r.coreRefType()
	}
	return r.bad(off, "core value type", b)
}

// coreRefType reads a reference type: (ref null? ht), or an abstract heap
// type shorthand (optionally shared).
func (r *reader) coreRefType() error {
	off := r.off
	b, err := r.byte("reference type")
	if err != nil {
		return err
	}
	switch {
	case b == 0x63 || b == 0x64:
		return r.heapType()
	case b == 0x65:
		return r.abstractHeapType()
	case isAbstractHeapType(b):
		return nil
	}
	return r.bad(off, "reference type", b)
}

// abstractHeapType reads the abstract heap type that follows 0x65
// (shared).
func (r *reader) abstractHeapType() error {
	off := r.off
	b, err := r.byte("abstract heap type")
	if err != nil {
		return err
	}
	if !isAbstractHeapType(b) {
		return r.bad(off, "abstract heap type", b)
	}
	return nil
}

func (r *reader) heapType() error {
	off := r.off
	b, err := r.peek("heap type")
	if err != nil {
		return err
	}
	switch {
	case b == 0x65:
		r.off++
		return r.abstractHeapType()
	case b == 0x62: // exact
		r.off++
		_, err := r.u32("type index")
		return err
	case isAbstractHeapType(b):
		r.off++
		return nil
	}
	v, err := r.s33("heap type")
	if err != nil {
		return err
	}
	if v < 0 {
		return r.bad(off, "heap type", b)
	}
	return nil
}
