package inspect

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/wcomp/wcomp/internal/tabular"
)

// TableOptions control Table.
type TableOptions struct {
	// Color turns on colours and bold headings. Without it the output is
	// plain text: no escape codes and ASCII rules, fit for pipes, files and
	// NO_COLOR.
	Color bool
	// TypeWidth caps the TYPE column; longer descriptions are cut with "…".
	// Zero means 60.
	TypeWidth int
}

// Table renders s as two tables, imports then exports, with the columns
// KIND, NAME, VERSION and TYPE. Interface names are shown without their
// version, which has its own column.
func Table(s Summary, opts TableOptions) string {
	if opts.TypeWidth <= 0 {
		opts.TypeWidth = 60
	}
	r := tabular.Style{Color: opts.Color}.Renderer()
	var b strings.Builder
	section := func(title string, entries []Entry) {
		heading := r.NewStyle()
		if opts.Color {
			heading = heading.Bold(true).Foreground(lipgloss.Color("12"))
		}
		b.WriteString(heading.Render(title+" ("+strconv.Itoa(len(entries))+")") + "\n")
		if len(entries) == 0 {
			b.WriteString("  (none)\n")
			return
		}
		b.WriteString(entryTable(entries, opts) + "\n")
	}
	section("Imports", s.Imports)
	b.WriteString("\n")
	section("Exports", s.Exports)
	if s.Shared != nil {
		b.WriteString("\n" + s.Shared.Line() + "\n")
	}
	return b.String()
}

// kindColors give each kind its own colour in colour mode.
var kindColors = map[string]string{
	"instance":  "10", // green
	"func":      "14", // cyan
	"type":      "13", // magenta
	"component": "11", // yellow
	"module":    "11",
	"value":     "9", // red
}

func entryTable(entries []Entry, opts TableOptions) string {
	rows := make([][]string, len(entries))
	for i, e := range entries {
		rows[i] = []string{e.Kind, displayName(e), e.Version, truncate(typeSummary(e), opts.TypeWidth)}
	}
	style := tabular.Style{Color: opts.Color, Cell: func(row, col int, cell lipgloss.Style) lipgloss.Style {
		switch col {
		case 0:
			return cell.Foreground(lipgloss.Color(kindColors[entries[row].Kind]))
		case 2:
			return cell.Foreground(lipgloss.Color("8"))
		}
		return cell
	}}
	return style.Render([]string{"KIND", "NAME", "VERSION", "TYPE"}, rows)
}

// displayName is the name without its version for interfaces.
func displayName(e Entry) string {
	if e.Interface != "" {
		return e.Namespace + ":" + e.Package + "/" + e.Interface
	}
	return e.Name
}

func typeSummary(e Entry) string {
	if e.Implements != "" {
		return "implements " + e.Implements + "; " + e.Type
	}
	return e.Type
}

// truncate cuts s to at most n runes, marking the cut with "…".
func truncate(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}
