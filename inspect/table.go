package inspect

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/muesli/termenv"
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
	r := lipgloss.NewRenderer(nil)
	if opts.Color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
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
		b.WriteString(entryTable(r, entries, opts) + "\n")
	}
	section("Imports", s.Imports)
	b.WriteString("\n")
	section("Exports", s.Exports)
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

func entryTable(r *lipgloss.Renderer, entries []Entry, opts TableOptions) string {
	rows := make([][]string, len(entries))
	for i, e := range entries {
		rows[i] = []string{e.Kind, displayName(e), e.Version, truncate(typeSummary(e), opts.TypeWidth)}
	}
	border := lipgloss.ASCIIBorder()
	if opts.Color {
		border = lipgloss.NormalBorder()
	}
	cell := r.NewStyle().PaddingRight(2)
	header := cell
	rule := r.NewStyle()
	if opts.Color {
		header = header.Bold(true)
		rule = rule.Foreground(lipgloss.Color("8"))
	}
	t := table.New().
		Headers("KIND", "NAME", "VERSION", "TYPE").
		Rows(rows...).
		Border(border).
		BorderStyle(rule).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderColumn(false).BorderRow(false).BorderHeader(true).
		StyleFunc(func(row, col int) lipgloss.Style {
			if row == table.HeaderRow {
				return header
			}
			if opts.Color && col == 0 {
				return cell.Foreground(lipgloss.Color(kindColors[entries[row].Kind]))
			}
			if opts.Color && col == 2 {
				return cell.Foreground(lipgloss.Color("8"))
			}
			return cell
		})
	// Trailing padding of the last column is noise in plain text.
	lines := strings.Split(t.Render(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
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
