package policy

import (
	"fmt"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/cabi"
)

// GenerateVirtualEnv generates a wasi:cli/environment that returns
// exactly v's variables, arguments and working directory, and nothing of
// the host's. iface is the name under which source imports the interface
// (wasi:cli/environment@0.2.9); the generated component exports it under
// that name, with source's type for it, so every function the consumer
// imports is there. A function the environment interface does not define
// traps, its core function named "virtual:INTERFACE#FUNCTION".
//
// The values are laid out once, in the module's data segment, in the
// Canonical ABI's memory layout; each function returns a pointer to its
// own.
func GenerateVirtualEnv(source *component.ComponentType, iface string, v *Virtual) (*Generated, error) {
	if !isEnvironment(iface) {
		return nil, fmt.Errorf("a virtual environment provides %s, not %s", environment, iface)
	}
	if v == nil {
		v = &Virtual{}
	}
	env := make(cabi.List, len(v.Env))
	for i, kv := range v.Env {
		env[i] = cabi.Fields{cabi.String(kv.Key), cabi.String(kv.Value)}
	}
	args := make(cabi.List, len(v.Args))
	for i, a := range v.Args {
		args[i] = cabi.String(a)
	}
	cwd := cabi.Case{Index: 0}
	if v.Cwd != nil {
		cwd = cabi.Case{Index: 1, Payload: cabi.String(*v.Cwd)}
	}
	values := map[string]cabi.Value{
		"get-environment": env,
		"get-arguments":   args,
		"initial-cwd":     cwd,
	}
	g := &generator{
		kind:    GeneratedVirtual,
		module:  "wcomp-virtual-env",
		source:  source,
		exports: []string{iface},
		plan: func(_, fn string, f *component.Func) (funcPlan, error) {
			val, ok := values[fn]
			if !ok || len(f.Params) > 0 || f.Result == nil {
				return funcPlan{trap: true}, nil
			}
			return funcPlan{value: val}, nil
		},
		coreName: func(iface, fn string) string { return "virtual:" + iface + "#" + fn },
	}
	out, err := g.generate()
	if err != nil {
		return nil, fmt.Errorf("generating the virtual environment: %w", err)
	}
	return &Generated{Kind: GeneratedVirtual, Bytes: out.bytes, Exports: out.exports, Imports: out.imports}, nil
}
