package policy

import "github.com/wcomp/wcomp/internal/capability"

// Patterns are internal/capability's: component.toml's checks parse the
// same syntax, so it lives below both.
type (
	Pattern      = capability.Pattern
	PatternError = capability.PatternError
	Specificity  = capability.Specificity
)

// ParsePattern parses a capability pattern (see capability.Pattern).
func ParsePattern(s string) (Pattern, error) { return capability.ParsePattern(s) }
