package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/cabi"
)

// denialCases are the error cases, in order of preference, that a stub
// returns from a function whose result is result<_, E>: the interface's
// own way of saying "not allowed" (wasi:filesystem's access, wasi:sockets'
// access-denied, wasi:http's HTTP-request-denied).
var denialCases = []string{"access", "access-denied", "not-permitted", "permission-denied", "HTTP-request-denied"}

// Generated is a component wcomp generated: a deny-stub or a virtual
// environment.
type Generated struct {
	// Kind is GeneratedStub or GeneratedVirtual.
	Kind string
	// Bytes is the component.
	Bytes []byte
	// Exports are the interfaces it provides; Imports the interfaces whose
	// types they use, which it takes from the composition.
	Exports, Imports []string
}

// GenerateStub generates a deny-stub exporting the interfaces named
// (imports of source, whose types are the ones copied) in which every
// function
//
//   - returns the interface's own denial error when its result is
//     result<T, E> and E has one of denialCases without a payload;
//   - returns none when its result is an option;
//   - returns an empty list when its result is a list of handles to
//     resources the stub owns (wasi:filesystem/preopens' get-directories:
//     no directory, rather than a crash);
//   - otherwise traps. Its core function is named
//     "denied:INTERFACE#FUNCTION", which Wasmtime prints in the trap's
//     backtrace, so the user sees which capability was refused.
//
// Interfaces the stubbed ones use (wasi:io/streams for
// wasi:filesystem/types) are imported, unless they are stubbed too, so
// the resources stay those of the rest of the composition.
func GenerateStub(source *component.ComponentType, interfaces []string) (*Generated, error) {
	if len(interfaces) == 0 {
		return nil, fmt.Errorf("no interface to stub")
	}
	g := &generator{
		kind:    GeneratedStub,
		module:  "wcomp-deny-stub",
		source:  source,
		exports: interfaces,
	}
	owned := map[*component.Resource]bool{}
	for _, name := range interfaces {
		it, err := g.instanceType(name)
		if err != nil {
			return nil, err
		}
		for _, e := range it.Exports {
			if tb, ok := e.Type.(*component.TypeBound); ok {
				if r, ok := tb.Type.(*component.Resource); ok {
					owned[r] = true
				}
			}
		}
	}
	g.plan = func(_, _ string, f *component.Func) (funcPlan, error) {
		return denyPlan(f, owned), nil
	}
	g.coreName = func(iface, fn string) string { return "denied:" + iface + "#" + fn }
	out, err := g.generate()
	if err != nil {
		return nil, fmt.Errorf("generating a stub for %s: %w", strings.Join(interfaces, ", "), err)
	}
	return &Generated{Kind: GeneratedStub, Bytes: out.bytes, Exports: out.exports, Imports: out.imports}, nil
}

// denyPlan decides what a stubbed function does (see GenerateStub).
func denyPlan(f *component.Func, owned map[*component.Resource]bool) funcPlan {
	switch r := component.Underlying(f.Result).(type) {
	case *component.Result:
		if idx, ok := denialCase(r.Err); ok {
			return funcPlan{value: cabi.Case{Index: 1, Payload: cabi.Case{Index: idx}}}
		}
	case *component.Option:
		return funcPlan{value: cabi.Case{Index: 0}}
	case *component.List:
		if r.Len == 0 && handlesTo(r.Elem, owned) {
			return funcPlan{value: cabi.List{}}
		}
	}
	return funcPlan{trap: true}
}

// denialCase finds the first of denialCases among the payload-free cases
// of an enum or variant.
func denialCase(t component.ValType) (int, bool) {
	var names []string
	switch e := component.Underlying(t).(type) {
	case *component.Enum:
		names = e.Names
	case *component.Variant:
		for _, c := range e.Cases {
			if c.Type == nil {
				names = append(names, c.Name)
			} else {
				names = append(names, "") // a case with a payload is never chosen
			}
		}
	default:
		return 0, false
	}
	for _, want := range denialCases {
		if i := slices.Index(names, want); i >= 0 {
			return i, true
		}
	}
	return 0, false
}

// handlesTo reports whether t holds an own handle to one of the resources.
func handlesTo(t component.ValType, resources map[*component.Resource]bool) bool {
	found := false
	w := component.TypeWalk{Visit: func(n any) bool {
		if o, ok := n.(*component.Own); ok && resources[component.ResourceOf(o.Resource)] {
			found = true
		}
		return !found
	}}
	w.Type(t)
	return found
}

// stubFrame matches a deny-stub's function in a trap backtrace, as
// Wasmtime prints it: "wcomp-deny-stub!denied:wasi:cli/stdout@0.2.12#get-stdout".
var stubFrame = regexp.MustCompile(`wcomp-deny-stub!denied:([^\s#]+)#(\S+)`)

// DeniedCall finds, in the message of a trap, the deny-stub function that
// trapped: the interface and function the policy denied. It lets a runner
// say "denied capability" instead of showing a bare backtrace.
func DeniedCall(msg string) (iface, fn string, ok bool) {
	m := stubFrame.FindStringSubmatch(msg)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
