package wit

import (
	"bytes"
	"encoding/json"

	bcwit "go.bytecodealliance.org/wit"
)

// packageDocs is the "package-docs" custom section of an encoded package:
// the doc comments, which the type encoding has no place for, so that
// decoding the package gives them back. Its layout is what wasm-tools
// writes and reads: a version byte, 1, then a JSON object in which
// everything empty is left out and entries keep the package's order:
//
//	{"docs", "worlds": {name: world}, "interfaces": {name: interface}}
//	interface: {"docs", "funcs": {name: {"docs"}}, "types": {name: type}}
//	type:      {"docs", "items": {field, case or flag: docs}}
//	world:     {"docs", "interfaces": {inline import: interface}, "types",
//	            "funcs" (imported), "interface_exports": {inline export:
//	            interface}, "func_exports"}
//
// The model wcomp loads WIT into keeps no docs for a world's import or
// export of a named interface, so those are not written.
func packageDocs(pkg *bcwit.Package) []byte {
	var doc jsonObject
	doc.text("docs", pkg.Docs)
	var worlds, ifaces jsonObject
	pkg.Worlds.All()(func(name string, w *bcwit.World) bool {
		worlds.object(name, worldDocs(w))
		return true
	})
	pkg.Interfaces.All()(func(name string, i *bcwit.Interface) bool {
		ifaces.object(name, interfaceDocs(i))
		return true
	})
	doc.object("worlds", worlds)
	doc.object("interfaces", ifaces)
	return append([]byte{1}, doc.json()...)
}

func worldDocs(w *bcwit.World) jsonObject {
	var o, imports, types, funcs, exports, funcExports jsonObject
	o.text("docs", w.Docs)
	w.Imports.All()(func(name string, it bcwit.WorldItem) bool {
		switch x := it.(type) {
		case *bcwit.InterfaceRef:
			if x.Interface != nil && x.Interface.Name == nil {
				imports.object(name, interfaceDocs(x.Interface))
			}
		case *bcwit.Function:
			funcs.object(name, docsOnly(x.Docs))
		case *bcwit.TypeDef:
			types.object(name, typeDocs(x))
		}
		return true
	})
	w.Exports.All()(func(name string, it bcwit.WorldItem) bool {
		switch x := it.(type) {
		case *bcwit.InterfaceRef:
			if x.Interface != nil && x.Interface.Name == nil {
				exports.object(name, interfaceDocs(x.Interface))
			}
		case *bcwit.Function:
			funcExports.object(name, docsOnly(x.Docs))
		}
		return true
	})
	o.object("interfaces", imports)
	o.object("types", types)
	o.object("funcs", funcs)
	o.object("interface_exports", exports)
	o.object("func_exports", funcExports)
	return o
}

func interfaceDocs(i *bcwit.Interface) jsonObject {
	var o, funcs, types jsonObject
	o.text("docs", i.Docs)
	i.Functions.All()(func(name string, f *bcwit.Function) bool {
		funcs.object(name, docsOnly(f.Docs))
		return true
	})
	i.TypeDefs.All()(func(name string, td *bcwit.TypeDef) bool {
		types.object(name, typeDocs(td))
		return true
	})
	o.object("funcs", funcs)
	o.object("types", types)
	return o
}

func typeDocs(td *bcwit.TypeDef) jsonObject {
	o := docsOnly(td.Docs)
	var items jsonObject
	switch k := td.Kind.(type) {
	case *bcwit.Record:
		for _, f := range k.Fields {
			items.text(f.Name, f.Docs)
		}
	case *bcwit.Variant:
		for _, c := range k.Cases {
			items.text(c.Name, c.Docs)
		}
	case *bcwit.Enum:
		for _, c := range k.Cases {
			items.text(c.Name, c.Docs)
		}
	case *bcwit.Flags:
		for _, f := range k.Flags {
			items.text(f.Name, f.Docs)
		}
	}
	o.object("items", items)
	return o
}

func docsOnly(d bcwit.Docs) jsonObject {
	var o jsonObject
	o.text("docs", d)
	return o
}

// jsonObject is a JSON object that keeps its keys in insertion order and
// leaves out empty members.
type jsonObject struct {
	keys   []string
	values [][]byte
}

func (o *jsonObject) text(key string, d bcwit.Docs) {
	if d.Contents != "" {
		o.keys, o.values = append(o.keys, key), append(o.values, jsonString(d.Contents))
	}
}

func (o *jsonObject) object(key string, v jsonObject) {
	if len(v.keys) > 0 {
		o.keys, o.values = append(o.keys, key), append(o.values, v.json())
	}
}

func (o jsonObject) json() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(jsonString(k))
		b.WriteByte(':')
		b.Write(o.values[i])
	}
	b.WriteByte('}')
	return b.Bytes()
}

// jsonString quotes s as JSON without HTML escaping, as serde_json does.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
