package inspect

import (
	"fmt"
	"strings"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/progress"
)

// Shared is what a component stores once for several of its nested
// components: the core modules and components its own sections define
// and nested components refer to by outer aliases (what `wcomp compose`
// writes for members that hold identical modules).
type Shared struct {
	Modules     int `json:"modules"`
	Components  int `json:"components"`
	StoredBytes int `json:"stored_bytes"`
	// SavedBytes is what embedding every use whole would have added.
	SavedBytes int `json:"saved_bytes"`
}

// SharedOf reads what the component data stores once; nil when nothing
// is (every nested component embeds what it uses).
func SharedOf(data []byte) (*Shared, error) {
	uses, err := component.OuterUses(data)
	if err != nil || len(uses) == 0 {
		return nil, err
	}
	s := &Shared{}
	for _, u := range uses {
		if u.Sort == component.SortCoreModule {
			s.Modules++
		} else {
			s.Components++
		}
		s.StoredBytes += u.Size
		s.SavedBytes += (u.Uses - 1) * u.Size
	}
	return s, nil
}

// Line is the one-line report `wcomp inspect` and `wcomp audit` print:
// "shared: 8 core modules and 1 component, 7.0 MB stored once (7.0 MB
// saved)".
func (s *Shared) Line() string {
	var what []string
	if s.Modules > 0 {
		what = append(what, plural(s.Modules, "core module"))
	}
	if s.Components > 0 {
		what = append(what, plural(s.Components, "component"))
	}
	return fmt.Sprintf("shared: %s, %s stored once (%s saved)", strings.Join(what, " and "), progress.Size(int64(s.StoredBytes)), progress.Size(int64(s.SavedBytes)))
}
