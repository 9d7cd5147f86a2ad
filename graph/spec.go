package graph

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// This file is the one parser of the composition syntax that both the
// `wcomp compose` flags and component.toml's [compose] strings use:
//
//	wire    CONSUMER:IMPORT=PROVIDER:EXPORT   an instance's export
//	        CONSUMER:IMPORT=PROVIDER          the whole instance
//	export  INSTANCE:NAME[=AS]                an instance's export, renamed
//	        INSTANCE=AS                       the whole instance, as AS
//	import  NAME                              typed as every instance's import NAME
//	        NAME=INSTANCE:IMPORT              typed as (and passed to) that import
//	keep    INSTANCE
//
// Instance names cannot contain ':' or '=' (CheckInstanceName), and
// component-model names cannot contain '=', so the first ':' ends an
// instance name and the first '=' ends the left-hand side. Errors are
// *SyntaxError with a byte offset, which the manifest turns into a column
// of its file.

// SyntaxError reports a composition string that does not parse. Offset is
// the byte offset in Input where the problem is.
type SyntaxError struct {
	Input  string
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%q, column %d: %s", e.Input, e.Offset+1, e.Msg)
}

// Wire is an explicit argument: Consumer's import Import is given
// Provider's export Export, or the whole instance Provider when Export is
// empty.
type Wire struct {
	Consumer, Import, Provider, Export string
}

func (w Wire) String() string {
	s := w.Consumer + ":" + w.Import + "=" + w.Provider
	if w.Export != "" {
		s += ":" + w.Export
	}
	return s
}

const wireForm = "expected CONSUMER:IMPORT=PROVIDER:EXPORT (or =PROVIDER for the whole instance)"

// ParseWire parses `CONSUMER:IMPORT=PROVIDER:EXPORT` or
// `CONSUMER:IMPORT=PROVIDER`.
func ParseWire(s string) (Wire, error) {
	fail := func(off int, format string, args ...any) (Wire, error) {
		return Wire{}, &SyntaxError{Input: s, Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	eq := strings.IndexByte(s, '=')
	if eq < 0 {
		return fail(len(s), "missing '=': %s", wireForm)
	}
	consumer, imp, err := instanceAndName(s, 0, s[:eq], "import", true)
	if err != nil {
		return Wire{}, err
	}
	provider, exp, err := instanceAndName(s, eq+1, s[eq+1:], "export", false)
	if err != nil {
		return Wire{}, err
	}
	return Wire{Consumer: consumer, Import: imp, Provider: provider, Export: exp}, nil
}

// instanceAndName splits part (which starts at byte start of s) into an
// instance name and the extern name after its first ':'. With needName, a
// missing ':' or name is an error; otherwise name may be "".
func instanceAndName(s string, start int, part, what string, needName bool) (inst, name string, err error) {
	colon := strings.IndexByte(part, ':')
	inst = part
	nameOff := start + len(part)
	if colon >= 0 {
		inst, name = part[:colon], part[colon+1:]
		nameOff = start + colon + 1
	}
	if inst == "" {
		return "", "", &SyntaxError{Input: s, Offset: start, Msg: "missing the instance name before ':'"}
	}
	if err := CheckInstanceName(inst); err != nil {
		return "", "", &SyntaxError{Input: s, Offset: start, Msg: "instance name " + err.Error()}
	}
	switch {
	case colon < 0 && needName:
		return "", "", &SyntaxError{Input: s, Offset: start + len(part), Msg: fmt.Sprintf("missing ':%s' after instance %q", strings.ToUpper(what), inst)}
	case colon >= 0 && name == "":
		return "", "", &SyntaxError{Input: s, Offset: nameOff, Msg: fmt.Sprintf("missing the %s name after ':'", what)}
	case colon >= 0:
		if _, err := component.ParseName(name); err != nil {
			return "", "", &SyntaxError{Input: s, Offset: nameOff, Msg: fmt.Sprintf("%s name: %v", what, unwrapName(err))}
		}
	}
	return inst, name, nil
}

// unwrapName strips the name from a *component.NameError, which the
// SyntaxError already quotes.
func unwrapName(err error) error {
	var ne *component.NameError
	if errors.As(err, &ne) {
		return errors.New(ne.Msg)
	}
	return err
}

// ExportSpec is an export of the result: Instance's export Export (the
// whole instance when Export is empty), exported as As (default: Export).
type ExportSpec struct {
	Instance, Export, As string
}

// Name is the name the result exports it under.
func (e ExportSpec) Name() string {
	if e.As != "" {
		return e.As
	}
	return e.Export
}

func (e ExportSpec) String() string {
	s := e.Instance
	if e.Export != "" {
		s += ":" + e.Export
	}
	if e.As != "" {
		s += "=" + e.As
	}
	return s
}

// ParseExport parses `INSTANCE:NAME[=AS]` or `INSTANCE=AS`.
func ParseExport(s string) (ExportSpec, error) {
	left, as, hasAs := strings.Cut(s, "=")
	inst, name, err := instanceAndName(s, 0, left, "export", false)
	if err != nil {
		return ExportSpec{}, err
	}
	if hasAs {
		asOff := len(left) + 1
		if as == "" {
			return ExportSpec{}, &SyntaxError{Input: s, Offset: asOff, Msg: "missing the name to export as after '='"}
		}
		if _, err := component.ParseName(as); err != nil {
			return ExportSpec{}, &SyntaxError{Input: s, Offset: asOff, Msg: fmt.Sprintf("export name: %v", unwrapName(err))}
		}
	}
	if name == "" && !hasAs {
		return ExportSpec{}, &SyntaxError{Input: s, Offset: len(s), Msg: fmt.Sprintf("expected INSTANCE:NAME[=AS], or %s=AS to export the whole instance under the name AS", inst)}
	}
	return ExportSpec{Instance: inst, Export: name, As: as}, nil
}

// ImportSpec is an explicit import of the result named Name. With
// Instance and Import set, it is typed as that instance's import and
// passed to it; without, it is typed as the union of every instance's
// import of that name (or a semver-compatible one).
type ImportSpec struct {
	Name, Instance, Import string
}

func (i ImportSpec) String() string {
	if i.Instance == "" {
		return i.Name
	}
	return i.Name + "=" + i.Instance + ":" + i.Import
}

// ParseImport parses `NAME` or `NAME=INSTANCE:IMPORT`.
func ParseImport(s string) (ImportSpec, error) {
	name, rhs, hasRHS := strings.Cut(s, "=")
	if name == "" {
		return ImportSpec{}, &SyntaxError{Input: s, Offset: 0, Msg: "missing the import name: expected NAME or NAME=INSTANCE:IMPORT"}
	}
	if _, err := component.ParseName(name); err != nil {
		return ImportSpec{}, &SyntaxError{Input: s, Offset: 0, Msg: fmt.Sprintf("import name: %v", unwrapName(err))}
	}
	if !hasRHS {
		return ImportSpec{Name: name}, nil
	}
	inst, imp, err := instanceAndName(s, len(name)+1, rhs, "import", true)
	if err != nil {
		return ImportSpec{}, err
	}
	return ImportSpec{Name: name, Instance: inst, Import: imp}, nil
}

// ParseKeep parses an instance name to keep.
func ParseKeep(s string) (string, error) {
	if err := CheckInstanceName(s); err != nil {
		return "", &SyntaxError{Input: s, Offset: 0, Msg: "instance name: " + err.Error()}
	}
	return s, nil
}

// Spec is a graph's arguments, imports, exports and kept instances as the
// flags and the manifest give them: by instance name. Apply adds them to a
// graph whose instances exist.
type Spec struct {
	Wires   []Wire
	Imports []ImportSpec
	Exports []ExportSpec
	Keep    []string
}

// SpecError is an item of a Spec that Apply could not add: which list
// (Field: "wire", "import", "export" or "keep"), its Index there, the item
// as text, and why.
type SpecError struct {
	Field string
	Index int
	Item  string
	Err   error
}

func (e *SpecError) Error() string { return fmt.Sprintf("%s %s: %v", e.Field, e.Item, e.Err) }

func (e *SpecError) Unwrap() error { return e.Err }

// Apply adds the spec to g: imports first (wires and exports may name
// them), then wires, exports and kept instances. Every item that fails is
// reported, as an ErrorList of *SpecError.
func (s *Spec) Apply(g *Graph) error {
	var errs ErrorList
	fail := func(field string, i int, item fmt.Stringer, err error) {
		errs = append(errs, &SpecError{Field: field, Index: i, Item: item.String(), Err: err})
	}
	instance := func(name string) (InstanceID, error) {
		if id, ok := g.InstanceByName(name); ok {
			return id, nil
		}
		return -1, fmt.Errorf("no instance named %q (instances: %s)", name, strings.Join(g.InstanceNames(), ", "))
	}

	// Imports: one per name; every spec of a name contributes its type.
	var names []string
	byName := map[string][]int{}
	for i, im := range s.Imports {
		if _, ok := byName[im.Name]; !ok {
			names = append(names, im.Name)
		}
		byName[im.Name] = append(byName[im.Name], i)
	}
	for _, name := range names {
		idx := byName[name]
		id, err := s.addImport(g, name, idx, instance)
		if err != nil {
			fail("import", idx[0], s.Imports[idx[0]], err)
			continue
		}
		for _, i := range idx {
			im := s.Imports[i]
			if im.Instance == "" {
				continue
			}
			c, _ := g.InstanceByName(im.Instance)
			if err := g.SetArg(c, im.Import, ImportOf(id)); err != nil {
				fail("import", i, im, err)
			}
		}
	}

	for i, w := range s.Wires {
		c, err := instance(w.Consumer)
		if err != nil {
			fail("wire", i, w, err)
			continue
		}
		p, err := instance(w.Provider)
		if err != nil {
			fail("wire", i, w, err)
			continue
		}
		from := InstanceOf(p)
		if w.Export != "" {
			from = ExportOf(p, w.Export)
		}
		if err := g.SetArg(c, w.Import, from); err != nil {
			fail("wire", i, w, err)
		}
	}

	for i, e := range s.Exports {
		id, err := instance(e.Instance)
		if err != nil {
			fail("export", i, e, err)
			continue
		}
		from := InstanceOf(id)
		if e.Export != "" {
			from = ExportOf(id, e.Export)
		}
		if err := g.Export(e.Name(), from); err != nil {
			fail("export", i, e, err)
		}
	}

	for i, k := range s.Keep {
		id, err := instance(k)
		if err == nil {
			err = g.Keep(id)
		}
		if err != nil {
			fail("keep", i, keepItem(k), err)
		}
	}
	return errs.err()
}

type keepItem string

func (k keepItem) String() string { return string(k) }

// addImport declares the import name, typed as the instance imports its
// specs (indices idx) name, or, when none names one, as every instance's
// import of that name or a semver-compatible one; several types are
// unioned.
func (s *Spec) addImport(g *Graph, name string, idx []int, instance func(string) (InstanceID, error)) (ImportID, error) {
	var types []component.Extern
	var from []string
	for _, i := range idx {
		im := s.Imports[i]
		if im.Instance == "" {
			continue
		}
		id, err := instance(im.Instance)
		if err != nil {
			return -1, err
		}
		it := g.instances[id].ct.Import(im.Import)
		if it == nil {
			return -1, &MissingImportError{Instance: im.Instance, Component: g.componentOf(id).name, Import: im.Import}
		}
		types = append(types, it.Type)
		from = append(from, im.Instance+"."+im.Import)
	}
	if len(types) == 0 {
		for _, in := range g.instances {
			for _, it := range in.ct.Imports {
				if Compatible(name, it.Name) {
					types = append(types, it.Type)
					from = append(from, in.name+"."+it.Name)
				}
			}
		}
		if len(types) == 0 {
			return -1, fmt.Errorf("no instance imports %q (or a semver-compatible version), so its type is unknown; type it as one instance's import: %s=INSTANCE:IMPORT", name, name)
		}
	}
	typ := types[0]
	for i, t := range types[1:] {
		merged, err := unionExterns(typ, t)
		if err != nil {
			return -1, fmt.Errorf("%s and %s cannot be one import: %w", from[0], from[i+1], err)
		}
		typ = merged
	}
	return g.Import(name, typ)
}

// unionExterns merges two import types into one that serves both: the
// union of instance types, or one type that each is a subtype of.
func unionExterns(a, b component.Extern) (component.Extern, error) {
	if ai, ok := a.(*component.InstanceType); ok {
		bi, ok := b.(*component.InstanceType)
		if !ok {
			return nil, fmt.Errorf("one is an instance, the other %s", articled(component.KindName(b)))
		}
		return component.UnionInstanceTypes(ai, bi)
	}
	rm := component.ResourceMap{}
	if err := component.CheckSubtype(a, b, component.WithResourceMap(rm)); err != nil {
		return nil, fmt.Errorf("conflicting types: %w", err)
	}
	if err := component.CheckSubtype(b, a, component.WithResourceMap(rm)); err != nil {
		return nil, fmt.Errorf("conflicting types: %w", err)
	}
	return a, nil
}

// InstanceRef is an instance named inside a composition string, at byte
// Offset of that string.
type InstanceRef struct {
	Name   string
	Offset int
}

// InstanceRefs parses s as a composition string of the given kind ("wire",
// "import", "export" or "keep") and returns the instances it names, with
// their offsets, so that a caller holding the string's position (the
// manifest) can check the names and point at each one. A parse failure is
// the parser's *SyntaxError.
func InstanceRefs(kind, s string) ([]InstanceRef, error) {
	switch kind {
	case "wire":
		w, err := ParseWire(s)
		if err != nil {
			return nil, err
		}
		return []InstanceRef{{w.Consumer, 0}, {w.Provider, strings.IndexByte(s, '=') + 1}}, nil
	case "import":
		i, err := ParseImport(s)
		if err != nil || i.Instance == "" {
			return nil, err
		}
		return []InstanceRef{{i.Instance, strings.IndexByte(s, '=') + 1}}, nil
	case "export":
		e, err := ParseExport(s)
		if err != nil {
			return nil, err
		}
		return []InstanceRef{{e.Instance, 0}}, nil
	case "keep":
		name, err := ParseKeep(s)
		if err != nil {
			return nil, err
		}
		return []InstanceRef{{name, 0}}, nil
	}
	return nil, fmt.Errorf("unknown composition string kind %q", kind)
}
