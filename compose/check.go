package compose

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/graph"
)

// BugError reports an output that does not check: the plan was resolved
// and type-checked, so an output that fails its own check is wcomp's
// mistake, not the user's. Item names what is wrong in the output.
type BugError struct {
	Item string
	Err  error
}

func (e *BugError) Error() string {
	return fmt.Sprintf("this is a wcomp bug (please report it): the composed component does not check: %s: %v", e.Item, e.Err)
}

func (e *BugError) Unwrap() error { return e.Err }

// selfCheck reads the output back with package component, as a validator
// would at component level, before anyone writes it: every instantiation
// argument must be a subtype of the member's import, resources by
// identity, and every import and export must have the type the plan
// promised. Function bodies are not needed, so this costs about what
// decoding the members cost; the members' bytes are read in place, never
// copied.
func (e *encoder) selfCheck(chunks [][]byte) error {
	// A member written with outer aliases is no longer its input's bytes:
	// its framing is checked again, and its type is its input's, since an
	// alias of an identical module changes no type.
	for _, m := range e.rewritten {
		if err := component.CheckFramingParts(m.parts); err != nil {
			return &BugError{Item: "a member written with shared modules", Err: err}
		}
	}
	c, err := component.DecodeParts(chunks)
	if err != nil {
		return &BugError{Item: "the binary", Err: err}
	}
	// The members' types were resolved from the very bytes spliced in.
	members := e.p.Components()
	known := func(n *component.Nested) *component.ComponentType {
		for _, m := range e.rewritten {
			if m.typ != nil && len(n.Parts) == len(m.parts) && &n.Parts[0][0] == &m.parts[0][0] {
				return m.typ
			}
		}
		for _, m := range members {
			if len(m.Data) == len(n.Bytes) && len(m.Data) > 0 && len(n.Bytes) > 0 && &m.Data[0] == &n.Bytes[0] {
				return m.Type
			}
		}
		return nil
	}
	ct, err := component.Check(c, known)
	if err != nil {
		item, why := e.describeResolveError(err)
		return &BugError{Item: item, Err: why}
	}
	if err := checkItems("import", true, ct.Imports, e.imports, func(im graph.PlannedImport) (string, component.Extern) { return im.Name, im.Type }); err != nil {
		return err
	}
	return checkItems("export", false, ct.Exports, e.p.Exports(), func(ex graph.PlannedExport) (string, component.Extern) { return ex.Name, ex.Type })
}

// checkItems compares the output's imports or exports with the plan's:
// the same names in the same order, and types that agree up to a renaming
// of resources (the output's resources are its own). An import must be
// what the plan says; an export may be a subtype of it, since an instance
// that re-exports an import it was given a wider one for exports the
// wider type.
func checkItems[T any](what string, exact bool, got []component.Item, want []T, item func(T) (string, component.Extern)) error {
	if len(got) != len(want) {
		return &BugError{Item: what + "s", Err: fmt.Errorf("the output has %d, the plan %d", len(got), len(want))}
	}
	for i, w := range want {
		name, typ := item(w)
		if got[i].Name != name {
			return &BugError{Item: fmt.Sprintf("%s %d", what, i), Err: fmt.Errorf("named %q, the plan says %q", got[i].Name, name)}
		}
		if err := component.CheckSubtype(got[i].Type, typ, component.WithAnyResources()); err != nil {
			return &BugError{Item: what + " " + name, Err: fmt.Errorf("the written type is not a subtype of the plan's: %w", err)}
		}
		if !exact {
			continue
		}
		if err := component.CheckSubtype(typ, got[i].Type, component.WithAnyResources()); err != nil {
			return &BugError{Item: what + " " + name, Err: fmt.Errorf("the plan's type is not a subtype of the written one: %w", err)}
		}
	}
	return nil
}

// describeResolveError names the item of the output a resolve error is
// about, with the member's name for an instance, and says what is wrong.
func (e *encoder) describeResolveError(err error) (string, error) {
	var re *component.ResolveError
	if !errors.As(err, &re) {
		return "the output", err
	}
	why := errors.New(strings.TrimPrefix(err.Error(), re.Where+": "))
	var n uint32
	if _, scanErr := fmt.Sscanf(re.Where, "instance %d", &n); scanErr == nil {
		for _, in := range e.instanceNames {
			if in.index == n {
				return fmt.Sprintf("%s (%s)", re.Where, in.name), why
			}
		}
	}
	return re.Where, why
}
