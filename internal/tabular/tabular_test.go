package tabular

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestPlain(t *testing.T) {
	got := Style{}.Render([]string{"NAME", "STATUS"}, [][]string{{"wasi:io/poll", "allowed"}, {"log", "denied"}})
	want := "NAME          STATUS\n-----------------------\nwasi:io/poll  allowed\nlog           denied"
	if got != want {
		t.Errorf("plain table:\n%s\nwant:\n%s", got, want)
	}
}

func TestColor(t *testing.T) {
	called := false
	s := Style{Color: true, Cell: func(row, col int, base lipgloss.Style) lipgloss.Style {
		called = true
		return base.Foreground(lipgloss.Color("9"))
	}}
	got := s.Render([]string{"A"}, [][]string{{"x"}})
	if !called || !strings.Contains(got, "\x1b[") || !strings.Contains(got, "─") {
		t.Errorf("colour table has no escapes or box rules (cell styled: %v): %q", called, got)
	}
}
