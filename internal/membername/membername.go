// Package membername holds the one rule for a project member's name, used
// by component.toml, `wcomp new`, `wcomp add`, the builder and capability
// grants: a lowercase kebab-case label, as a component-model plain name
// is (`validator`, `order-store`), so it can name the member's instance,
// world and directory alike.
package membername

import (
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
)

// Check says why s cannot name a member, or returns nil.
func Check(s string) error {
	n, err := component.ParseName(s)
	if err != nil || n.Kind != component.NameLabel || strings.ToLower(s) != s {
		return fmt.Errorf("invalid member name %q: expected lowercase kebab-case, e.g. my-validator", s)
	}
	return nil
}
