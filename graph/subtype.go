package graph

import "github.com/wcomp/wcomp/component"

// defaultSubtype checks links with the component model's own subtyping
// (component.CheckSubtype), sharing res across one consumer's imports.
func defaultSubtype(actual, expected component.Extern, res component.ResourceMap) error {
	return component.CheckSubtype(actual, expected, component.WithResourceMap(res))
}
