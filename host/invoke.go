package host

// #include <stdlib.h>
// #include <wasmtime.h>
import "C"

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unsafe"

	"github.com/wcomp/wcomp/host/wave"
)

// Invoke calls one exported function of the component, like
// `wasmtime run --invoke`, and returns its results printed as WAVE exactly
// as that command prints them (without the trailing newline).
//
// call is a WAVE function call, `name(arg, ...)`. The name may be
//   - a bare function name, `add`: a root export, else the one exported
//     instance that has such a function (ambiguity is an error);
//   - Wasmtime's item name, `iface.func` or `ns:pkg/iface.func@1.2.3`;
//   - an instance export and function joined by `#`, as wac and jco write
//     them: `ns:pkg/iface@1.2.3#func`.
//
// Arguments are typed by the function's parameters; trailing option
// parameters may be omitted. The guest's WASI environment comes from opts.
func (e *Engine) Invoke(ctx context.Context, wasm []byte, call string, opts RunOptions) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	parsed, err := wave.ParseCall(call)
	if err != nil {
		return "", fmt.Errorf("parsing invoke %q: %w", call, err)
	}
	tgt, err := parseTarget(parsed.Name)
	if err != nil {
		return "", fmt.Errorf("parsing invoke %q: %w", call, err)
	}
	component, err := e.compile(wasm)
	if err != nil {
		return "", err
	}
	eng, err := e.acquire()
	if err != nil {
		C.wasmtime_component_delete(component)
		return "", err
	}
	defer e.mu.RUnlock()

	tgt, sig, err := resolveFunc(eng, component, tgt)
	if err != nil {
		C.wasmtime_component_delete(component)
		return "", err
	}
	args, err := parsed.Params(sig.Params)
	if err != nil {
		C.wasmtime_component_delete(component)
		return "", fmt.Errorf("arguments of %s%s: %w", tgt, signatureString(sig), err)
	}

	s, err := newSession(ctx, eng, component, opts)
	if err != nil {
		return "", err
	}
	defer s.close()
	if err := s.instantiate(); err != nil {
		_, err = exitOr(ctx, err)
		return "", err
	}
	fn, err := s.lookupFunc(tgt.instance, tgt.name)
	if err != nil {
		return "", err
	}
	results, err := callFunc(s, &fn, args, sig.Result != nil)
	if err != nil {
		if _, exitErr := exitOr(ctx, err); exitErr != nil {
			return "", fmt.Errorf("calling %s: %w", tgt, exitErr)
		}
		return "", fmt.Errorf("calling %s: %w", tgt, err)
	}
	return wave.FormatResults(results), nil
}

// callFunc converts args to C, calls fn, runs post-return and copies the
// results back to Go, freeing every C value it made.
func callFunc(s *session, fn *C.wasmtime_component_func_t, args []wave.Value, hasResult bool) ([]wave.Value, error) {
	valSize := C.size_t(unsafe.Sizeof(C.wasmtime_component_val_t{}))
	var cargs *C.wasmtime_component_val_t
	if len(args) > 0 {
		cargs = (*C.wasmtime_component_val_t)(C.calloc(C.size_t(len(args)), valSize))
		defer C.free(unsafe.Pointer(cargs))
		slots := unsafe.Slice(cargs, len(args))
		for i, a := range args {
			if err := toC(&slots[i], a); err != nil {
				// Typed WAVE values never fail here; if one did, the
				// partly built value is leaked rather than freed half-made.
				return nil, fmt.Errorf("argument %d: %w", i+1, err)
			}
		}
		defer func() {
			for i := range slots {
				C.wasmtime_component_val_delete(&slots[i])
			}
		}()
	}
	nres := 0
	if hasResult {
		nres = 1
	}
	var result C.wasmtime_component_val_t
	var resultPtr *C.wasmtime_component_val_t
	if hasResult {
		resultPtr = &result
	}
	if err := takeError(C.wasmtime_component_func_call(fn, s.context, cargs, C.size_t(len(args)), resultPtr, C.size_t(nres))); err != nil {
		return nil, err
	}
	if hasResult {
		defer C.wasmtime_component_val_delete(&result)
	}
	if err := takeError(C.wasmtime_component_func_post_return(fn, s.context)); err != nil {
		return nil, err
	}
	if !hasResult {
		return nil, nil
	}
	v, err := fromC(&result)
	if err != nil {
		return nil, err
	}
	return []wave.Value{v}, nil
}

// target names an exported function: instance is "" for a root export.
type target struct {
	instance, name string
	// search is set for a bare name that may live in any exported instance.
	search bool
}

func (t target) String() string { return qualified(t.instance, t.name) }

var (
	labelPattern = `[a-zA-Z][a-zA-Z0-9]*(?:-[a-zA-Z0-9]+)*`
	// itemName is Wasmtime's `ns:pkg/iface.func@1.2.3` form.
	itemName = regexp.MustCompile(`^(?:(` + labelPattern + `:` + labelPattern + `)/)?(?:(` + labelPattern + `)\.)?(` + labelPattern + `)(?:@([0-9A-Za-z.+-]+))?$`)
)

// parseTarget reads the function name of an invoke call.
func parseTarget(name string) (target, error) {
	if inst, fn, ok := strings.Cut(name, "#"); ok {
		if inst == "" || fn == "" || strings.Contains(fn, "#") {
			return target{}, fmt.Errorf("%q: expected instance#function", name)
		}
		return target{instance: inst, name: fn}, nil
	}
	m := itemName.FindStringSubmatch(name)
	if m == nil {
		return target{}, fmt.Errorf("%q is not a function name (expected func, iface.func, ns:pkg/iface.func@version or instance#func)", name)
	}
	pkg, iface, fn, version := m[1], m[2], m[3], m[4]
	switch {
	case pkg != "" && iface == "":
		return target{}, fmt.Errorf("%q names an interface, not a function: write %s.<func> or %s#<func>", name, name, name)
	case version != "" && pkg == "":
		return target{}, fmt.Errorf("%q: a version needs a package name (ns:pkg/iface.func@version)", name)
	case pkg == "" && iface == "":
		return target{name: fn, search: true}, nil
	}
	inst := iface
	if pkg != "" {
		inst = pkg + "/" + iface
	}
	if version != "" {
		inst += "@" + version
	}
	return target{instance: inst, name: fn}, nil
}

// export is one item of a component's type, copied out of C.
type exportItem struct {
	name string
	kind C.wasmtime_component_item_kind_t
}

func componentExports(eng *C.wasm_engine_t, ct *C.wasmtime_component_type_t) []exportItem {
	var out []exportItem
	for i := C.size_t(0); i < C.wasmtime_component_type_export_count(ct, eng); i++ {
		var name *C.char
		var n C.size_t
		var item C.wasmtime_component_item_t
		if C.wasmtime_component_type_export_nth(ct, eng, i, &name, &n, &item) {
			out = append(out, exportItem{name: nameString(name, n), kind: item.kind})
			C.wasmtime_component_item_delete(&item)
		}
	}
	return out
}

func instanceFuncs(eng *C.wasm_engine_t, it *C.wasmtime_component_instance_type_t) []string {
	var out []string
	for i := C.size_t(0); i < C.wasmtime_component_instance_type_export_count(it, eng); i++ {
		var name *C.char
		var n C.size_t
		var item C.wasmtime_component_item_t
		if C.wasmtime_component_instance_type_export_nth(it, eng, i, &name, &n, &item) {
			if item.kind == C.WASMTIME_COMPONENT_ITEM_COMPONENT_FUNC {
				out = append(out, nameString(name, n))
			}
			C.wasmtime_component_item_delete(&item)
		}
	}
	return out
}

// resolveFunc finds the function a target names in the component's type
// and returns the exact target and its signature, before instantiation, so
// bad names and arguments fail without running any guest code.
func resolveFunc(eng *C.wasm_engine_t, component *C.wasmtime_component_t, tgt target) (target, *funcSignature, error) {
	ct := C.wasmtime_component_type(component)
	defer C.wasmtime_component_type_delete(ct)
	exports := componentExports(eng, ct)

	getItem := func(name string) (C.wasmtime_component_item_t, bool) {
		var item C.wasmtime_component_item_t
		var ok C.bool
		withCString(name, func(p *C.char, n C.size_t) {
			ok = C.wasmtime_component_type_export_get(ct, eng, p, n, &item)
		})
		return item, bool(ok)
	}
	funcIn := func(instance, fname string) (*funcSignature, bool, error) {
		item, ok := getItem(instance)
		if !ok {
			return nil, false, nil
		}
		defer C.wasmtime_component_item_delete(&item)
		if item.kind != C.WASMTIME_COMPONENT_ITEM_COMPONENT_INSTANCE {
			return nil, false, nil
		}
		it := *(**C.wasmtime_component_instance_type_t)(unsafe.Pointer(&item.of))
		var fitem C.wasmtime_component_item_t
		var found C.bool
		withCString(fname, func(p *C.char, n C.size_t) {
			found = C.wasmtime_component_instance_type_export_get(it, eng, p, n, &fitem)
		})
		if !found {
			return nil, false, nil
		}
		defer C.wasmtime_component_item_delete(&fitem)
		if fitem.kind != C.WASMTIME_COMPONENT_ITEM_COMPONENT_FUNC {
			return nil, false, nil
		}
		sig, err := convertFuncType(*(**C.wasmtime_component_func_type_t)(unsafe.Pointer(&fitem.of)))
		return sig, true, err
	}

	if tgt.instance == "" {
		if item, ok := getItem(tgt.name); ok {
			defer C.wasmtime_component_item_delete(&item)
			if item.kind == C.WASMTIME_COMPONENT_ITEM_COMPONENT_FUNC {
				sig, err := convertFuncType(*(**C.wasmtime_component_func_type_t)(unsafe.Pointer(&item.of)))
				return tgt, sig, err
			}
		}
		var found []target
		var sig *funcSignature
		for _, ex := range exports {
			if ex.kind != C.WASMTIME_COMPONENT_ITEM_COMPONENT_INSTANCE {
				continue
			}
			s, ok, err := funcIn(ex.name, tgt.name)
			if err != nil {
				return tgt, nil, err
			}
			if ok {
				found = append(found, target{instance: ex.name, name: tgt.name})
				sig = s
			}
		}
		switch len(found) {
		case 1:
			return found[0], sig, nil
		case 0:
			return tgt, nil, fmt.Errorf("no exported function named %q in component; it exports: %s", tgt.name, listOrNone(exportedFuncs(eng, ct, exports)))
		}
		var names []string
		for _, f := range found {
			names = append(names, f.String())
		}
		return tgt, nil, fmt.Errorf("several exported instances have a function named %q; name one of: %s", tgt.name, strings.Join(names, ", "))
	}

	instance := tgt.instance
	if _, ok := getItem(instance); !ok {
		// Accept a semver-compatible version of the instance, as the
		// component model's name matching does.
		for _, ex := range exports {
			if ex.kind == C.WASMTIME_COMPONENT_ITEM_COMPONENT_INSTANCE && semverCompatible(ex.name, instance) {
				instance = ex.name
				break
			}
		}
	} else {
		item, _ := getItem(instance)
		C.wasmtime_component_item_delete(&item)
	}
	sig, ok, err := funcIn(instance, tgt.name)
	if err != nil {
		return tgt, nil, err
	}
	if !ok {
		return tgt, nil, fmt.Errorf("no exported function %s in component; it exports: %s", tgt, listOrNone(exportedFuncs(eng, ct, exports)))
	}
	return target{instance: instance, name: tgt.name}, sig, nil
}

// exportedFuncs lists every exported function as instance#func, for
// error messages that tell the user what they could call.
func exportedFuncs(eng *C.wasm_engine_t, ct *C.wasmtime_component_type_t, exports []exportItem) []string {
	var out []string
	for _, ex := range exports {
		switch ex.kind {
		case C.WASMTIME_COMPONENT_ITEM_COMPONENT_FUNC:
			out = append(out, ex.name)
		case C.WASMTIME_COMPONENT_ITEM_COMPONENT_INSTANCE:
			var item C.wasmtime_component_item_t
			var ok C.bool
			withCString(ex.name, func(p *C.char, n C.size_t) {
				ok = C.wasmtime_component_type_export_get(ct, eng, p, n, &item)
			})
			if !ok {
				continue
			}
			it := *(**C.wasmtime_component_instance_type_t)(unsafe.Pointer(&item.of))
			for _, f := range instanceFuncs(eng, it) {
				out = append(out, ex.name+"#"+f)
			}
			C.wasmtime_component_item_delete(&item)
		}
	}
	sort.Strings(out)
	return out
}

// semverCompatible reports whether two interface names differ only in
// semver-compatible versions: same major, or same minor for 0.x, or same
// patch for 0.0.x.
func semverCompatible(a, b string) bool {
	an, av, aok := strings.Cut(a, "@")
	bn, bv, bok := strings.Cut(b, "@")
	if !aok || !bok || an != bn {
		return false
	}
	ap, bp := strings.Split(stripPre(av), "."), strings.Split(stripPre(bv), ".")
	if len(ap) != 3 || len(bp) != 3 {
		return false
	}
	switch {
	case ap[0] != "0":
		return ap[0] == bp[0]
	case ap[1] != "0":
		return bp[0] == "0" && ap[1] == bp[1]
	default:
		return bp[0] == "0" && bp[1] == "0" && ap[2] == bp[2]
	}
}

func stripPre(v string) string {
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		return v[:i]
	}
	return v
}

func signatureString(sig *funcSignature) string {
	var b strings.Builder
	b.WriteString(": func(")
	for i, p := range sig.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", sig.ParamNames[i], p)
	}
	b.WriteString(")")
	if sig.Result != nil {
		b.WriteString(" -> " + sig.Result.String())
	}
	return b.String()
}
