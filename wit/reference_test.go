package wit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	bcwit "go.bytecodealliance.org/wit"
)

// This file renders the reference tool's view of a component — the JSON of
// `wasm-tools component wit --json` decoded with go.bytecodealliance.org/wit
// — in the same canonical form as Canonical, so tests can diff the two.
//
// go.bytecodealliance.org/wit v0.7.0 does not decode a few newer kinds
// (map, fixed-length lists, async functions): it leaves them nil. For
// those the renderer reads the same JSON raw.

// rawResolve is the part of the JSON that go.bytecodealliance.org/wit may
// drop.
type rawResolve struct {
	Types []struct {
		Kind json.RawMessage `json:"kind"`
	} `json:"types"`
	Interfaces []struct {
		Functions map[string]struct {
			Kind json.RawMessage `json:"kind"`
		} `json:"functions"`
	} `json:"interfaces"`
	Worlds []struct {
		Imports map[string]struct {
			Function *struct {
				Kind json.RawMessage `json:"kind"`
			} `json:"function"`
		} `json:"imports"`
		Exports map[string]struct {
			Function *struct {
				Kind json.RawMessage `json:"kind"`
			} `json:"function"`
		} `json:"exports"`
	} `json:"worlds"`
}

type reference struct {
	res     *bcwit.Resolve
	raw     rawResolve
	typeIdx map[*bcwit.TypeDef]int
	async   map[*bcwit.Function]bool
}

// canonicalReference renders the component world in the reference JSON
// the way Canonical renders ours.
func canonicalReference(data []byte) (string, error) {
	res, err := bcwit.DecodeJSON(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("decode reference JSON: %w", err)
	}
	r := &reference{res: res, typeIdx: map[*bcwit.TypeDef]int{}, async: map[*bcwit.Function]bool{}}
	if err := json.Unmarshal(data, &r.raw); err != nil {
		return "", fmt.Errorf("decode reference JSON: %w", err)
	}
	for i, td := range res.TypeDefs {
		r.typeIdx[td] = i
	}
	isAsync := func(kind json.RawMessage) bool {
		var s string
		_ = json.Unmarshal(kind, &s)
		if s == "" {
			var m map[string]json.RawMessage
			_ = json.Unmarshal(kind, &m)
			for k := range m {
				s = k
			}
		}
		return strings.HasPrefix(s, "async")
	}
	for i, ifc := range res.Interfaces {
		for name, fn := range ifc.Functions.All() {
			r.async[fn] = isAsync(r.raw.Interfaces[i].Functions[name].Kind)
		}
	}
	if len(res.Worlds) != 1 {
		return "", fmt.Errorf("reference has %d worlds, want 1", len(res.Worlds))
	}
	w := res.Worlds[0]
	for name, item := range w.Imports.All() {
		if fn, ok := item.(*bcwit.Function); ok && r.raw.Worlds[0].Imports[name].Function != nil {
			r.async[fn] = isAsync(r.raw.Worlds[0].Imports[name].Function.Kind)
		}
	}
	for name, item := range w.Exports.All() {
		if fn, ok := item.(*bcwit.Function); ok && r.raw.Worlds[0].Exports[name].Function != nil {
			r.async[fn] = isAsync(r.raw.Worlds[0].Exports[name].Function.Kind)
		}
	}

	var lines []string
	for _, dir := range []struct {
		keyword string
		items   func(func(string, bcwit.WorldItem) bool)
	}{{"import", w.Imports.All()}, {"export", w.Exports.All()}} {
		var err error
		dir.items(func(key string, item bcwit.WorldItem) bool {
			var line string
			line, err = r.item(dir.keyword, key, item)
			lines = append(lines, line)
			return err == nil
		})
		if err != nil {
			return "", err
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n", nil
}

func (r *reference) item(keyword, key string, item bcwit.WorldItem) (string, error) {
	switch x := item.(type) {
	case *bcwit.Function:
		sig, err := r.signature(x)
		return keyword + " " + key + ": " + sig, err
	case *bcwit.TypeDef:
		def, err := r.typeDef(x)
		return keyword + " " + key + ": " + def, err
	case *bcwit.InterfaceRef:
		ifc := x.Interface
		name := key
		head := ": interface"
		if ifc.Name != nil {
			if strings.HasPrefix(key, "interface-") {
				name = ifacePath(ifc)
			} else {
				head += " " + ifacePath(ifc)
			}
		}
		var members []string
		for _, td := range ifc.TypeDefs.All() {
			def, err := r.typeDef(td)
			if err != nil {
				return "", err
			}
			members = append(members, def)
		}
		for fname, fn := range ifc.Functions.All() {
			sig, err := r.signature(fn)
			if err != nil {
				return "", err
			}
			members = append(members, fname+": "+sig)
		}
		return keyword + " " + name + head + " { " + strings.Join(sortMembers(members), "; ") + " }", nil
	}
	return "", fmt.Errorf("%s %s: unknown world item %T", keyword, key, item)
}

func ifacePath(ifc *bcwit.Interface) string {
	id := ifc.Package.Name
	s := escape(id.Namespace) + ":" + escape(id.Package) + "/" + escape(*ifc.Name)
	if id.Version != nil {
		s += "@" + id.Version.String()
	}
	return s
}

func (r *reference) signature(fn *bcwit.Function) (string, error) {
	var b strings.Builder
	if r.async[fn] {
		b.WriteString("async ")
	}
	b.WriteString("func(")
	for i, p := range fn.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		t, err := r.typeRef(p.Type)
		if err != nil {
			return "", err
		}
		b.WriteString(escape(p.Name) + ": " + t)
	}
	b.WriteString(")")
	if len(fn.Results) > 1 {
		return "", fmt.Errorf("function %s has %d results", fn.Name, len(fn.Results))
	}
	if len(fn.Results) == 1 && fn.Results[0].Type != nil {
		t, err := r.typeRef(fn.Results[0].Type)
		if err != nil {
			return "", err
		}
		b.WriteString(" -> " + t)
	}
	return b.String(), nil
}

func (r *reference) typeDef(td *bcwit.TypeDef) (string, error) {
	if td.Name == nil {
		return "", fmt.Errorf("unnamed type definition")
	}
	name := escape(*td.Name)
	switch k := td.Kind.(type) {
	case *bcwit.TypeDef:
		if k.Name == nil {
			break
		}
		if ifc, ok := k.Owner.(*bcwit.Interface); ok && ifc.Name != nil && k.Owner != td.Owner {
			return "use " + ifacePath(ifc) + ".{" + escape(*k.Name) + " as " + name + "}", nil
		}
		return "type " + name + " = " + escape(*k.Name), nil
	case *bcwit.Resource:
		return "resource " + name, nil
	case *bcwit.Record:
		fields := make([]string, len(k.Fields))
		for i, f := range k.Fields {
			t, err := r.typeRef(f.Type)
			if err != nil {
				return "", err
			}
			fields[i] = escape(f.Name) + ": " + t
		}
		return "record " + name + " { " + strings.Join(fields, ", ") + " }", nil
	case *bcwit.Variant:
		cases := make([]string, len(k.Cases))
		for i, c := range k.Cases {
			cases[i] = escape(c.Name)
			if c.Type != nil {
				t, err := r.typeRef(c.Type)
				if err != nil {
					return "", err
				}
				cases[i] += "(" + t + ")"
			}
		}
		return "variant " + name + " { " + strings.Join(cases, ", ") + " }", nil
	case *bcwit.Enum:
		names := make([]string, len(k.Cases))
		for i, c := range k.Cases {
			names[i] = c.Name
		}
		return "enum " + name + " { " + escapeAll(names) + " }", nil
	case *bcwit.Flags:
		names := make([]string, len(k.Flags))
		for i, f := range k.Flags {
			names[i] = f.Name
		}
		return "flags " + name + " { " + escapeAll(names) + " }", nil
	}
	body, err := r.kind(td)
	if err != nil {
		return "", fmt.Errorf("type %s: %w", *td.Name, err)
	}
	return "type " + name + " = " + body, nil
}

// typeRef renders a type where it is used: by name if it has one.
func (r *reference) typeRef(t bcwit.Type) (string, error) {
	if td, ok := t.(*bcwit.TypeDef); ok {
		if td.Name != nil {
			return escape(*td.Name), nil
		}
		return r.kind(td)
	}
	return refPrimName(t)
}

// kind renders the structure of a type definition.
func (r *reference) kind(td *bcwit.TypeDef) (string, error) {
	switch k := td.Kind.(type) {
	case nil:
		return r.rawKind(td)
	case *bcwit.TypeDef:
		return r.typeRef(k)
	case *bcwit.List:
		e, err := r.typeRef(k.Type)
		return "list<" + e + ">", err
	case *bcwit.Option:
		e, err := r.typeRef(k.Type)
		return "option<" + e + ">", err
	case *bcwit.Tuple:
		parts := make([]string, len(k.Types))
		for i, e := range k.Types {
			s, err := r.typeRef(e)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "tuple<" + strings.Join(parts, ", ") + ">", nil
	case *bcwit.Result:
		var ok, errT string
		var err error
		if k.OK != nil {
			if ok, err = r.typeRef(k.OK); err != nil {
				return "", err
			}
		}
		if k.Err != nil {
			if errT, err = r.typeRef(k.Err); err != nil {
				return "", err
			}
		}
		switch {
		case k.OK != nil && k.Err != nil:
			return "result<" + ok + ", " + errT + ">", nil
		case k.Err != nil:
			return "result<_, " + errT + ">", nil
		case k.OK != nil:
			return "result<" + ok + ">", nil
		}
		return "result", nil
	case *bcwit.Own:
		return "own<" + escape(*k.Type.Name) + ">", nil
	case *bcwit.Borrow:
		return "borrow<" + escape(*k.Type.Name) + ">", nil
	case *bcwit.Stream:
		if k.Type == nil {
			return "stream", nil
		}
		e, err := r.typeRef(k.Type)
		return "stream<" + e + ">", err
	case *bcwit.Future:
		if k.Type == nil {
			return "future", nil
		}
		e, err := r.typeRef(k.Type)
		return "future<" + e + ">", err
	case bcwit.Type:
		return refPrimName(k)
	}
	return "", fmt.Errorf("unexpected kind %T", td.Kind)
}

// rawKind renders the kinds go.bytecodealliance.org/wit leaves undecoded.
func (r *reference) rawKind(td *bcwit.TypeDef) (string, error) {
	raw := r.raw.Types[r.typeIdx[td]].Kind
	var k struct {
		Map               []json.RawMessage `json:"map"`
		FixedLengthList   []json.RawMessage `json:"fixed-length-list"`
		FixedLengthListV2 []json.RawMessage `json:"fixed-size-list"`
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		return "", fmt.Errorf("kind %s: %w", raw, err)
	}
	fixed := k.FixedLengthList
	if fixed == nil {
		fixed = k.FixedLengthListV2
	}
	switch {
	case len(k.Map) == 2:
		key, err := r.rawRef(k.Map[0])
		if err != nil {
			return "", err
		}
		val, err := r.rawRef(k.Map[1])
		return "map<" + key + ", " + val + ">", err
	case len(fixed) == 2:
		elem, err := r.rawRef(fixed[0])
		return "list<" + elem + ", " + string(fixed[1]) + ">", err
	}
	return "", fmt.Errorf("unsupported kind %s", raw)
}

// rawRef renders a JSON type reference: a primitive name or a type index.
func (r *reference) rawRef(m json.RawMessage) (string, error) {
	var idx int
	if err := json.Unmarshal(m, &idx); err == nil {
		if idx < 0 || idx >= len(r.res.TypeDefs) {
			return "", fmt.Errorf("type index %d out of range", idx)
		}
		return r.typeRef(r.res.TypeDefs[idx])
	}
	var s string
	if err := json.Unmarshal(m, &s); err != nil {
		return "", fmt.Errorf("type reference %s: %w", m, err)
	}
	return s, nil
}

func refPrimName(t bcwit.Type) (string, error) {
	switch t.(type) {
	case bcwit.Bool:
		return "bool", nil
	case bcwit.S8:
		return "s8", nil
	case bcwit.U8:
		return "u8", nil
	case bcwit.S16:
		return "s16", nil
	case bcwit.U16:
		return "u16", nil
	case bcwit.S32:
		return "s32", nil
	case bcwit.U32:
		return "u32", nil
	case bcwit.S64:
		return "s64", nil
	case bcwit.U64:
		return "u64", nil
	case bcwit.F32:
		return "f32", nil
	case bcwit.F64:
		return "f64", nil
	case bcwit.Char:
		return "char", nil
	case bcwit.String:
		return "string", nil
	case bcwit.ErrorContext:
		return "error-context", nil
	}
	return "", fmt.Errorf("unexpected type %T", t)
}
