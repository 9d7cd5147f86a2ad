package tabular

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/muesli/termenv"
)

// Style is how one table is drawn.
type Style struct {
	// Color turns on colours, bold headings and box-drawing rules.
	Color bool
	// Cell, when set, styles a body cell (row and col from 0), given the
	// base style; it is only called when Color is on.
	Cell func(row, col int, base lipgloss.Style) lipgloss.Style
}

// Renderer returns a lipgloss renderer for the style: ANSI 256 colours, or
// plain ASCII.
func (s Style) Renderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(nil)
	if s.Color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}

// Render draws headers and rows. Trailing spaces are trimmed from every
// line: in plain text they are noise.
func (s Style) Render(headers []string, rows [][]string) string {
	r := s.Renderer()
	border := lipgloss.ASCIIBorder()
	if s.Color {
		border = lipgloss.NormalBorder()
	}
	cell := r.NewStyle().PaddingRight(2)
	header, rule := cell, r.NewStyle()
	if s.Color {
		header = header.Bold(true)
		rule = rule.Foreground(lipgloss.Color("8"))
	}
	t := table.New().
		Headers(headers...).
		Rows(rows...).
		Border(border).
		BorderStyle(rule).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderColumn(false).BorderRow(false).BorderHeader(true).
		StyleFunc(func(row, col int) lipgloss.Style {
			switch {
			case row == table.HeaderRow:
				return header
			case s.Color && s.Cell != nil:
				return s.Cell(row, col, cell)
			}
			return cell
		})
	lines := strings.Split(t.Render(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
