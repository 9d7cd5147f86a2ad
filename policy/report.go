package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/wcomp/wcomp/inspect"
	"github.com/wcomp/wcomp/internal/tabular"
)

// TableOptions control Report.Table.
type TableOptions struct {
	// Color turns on colours; without it the output is plain ASCII, for
	// pipes, files and NO_COLOR.
	Color bool
}

var statusColors = map[Status]string{
	StatusAllowed: "10", // green
	StatusVirtual: "14", // cyan
	StatusStubbed: "11", // yellow
	StatusDenied:  "9",  // red
}

// Table renders the report as `wcomp audit` prints it: one row per
// capability, with its version, the members that bring it in (with the
// path through nested members, and "(types of X)" for a member that needs
// it only because X uses its types), the status, and the rule that
// decided.
func (r *Report) Table(opts TableOptions) string {
	style := tabular.Style{Color: opts.Color}
	lr := style.Renderer()
	var b strings.Builder
	heading := lr.NewStyle()
	if opts.Color {
		heading = heading.Bold(true).Foreground(lipgloss.Color("12"))
	}
	counts := map[Status]int{}
	imports := 0
	for _, row := range r.Rows {
		if row.Provider == "" {
			counts[row.Status]++
			imports++
		}
	}
	var summary []string
	for _, s := range []Status{StatusAllowed, StatusVirtual, StatusStubbed, StatusDenied} {
		if counts[s] > 0 {
			summary = append(summary, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	title := fmt.Sprintf("Capabilities of %s: %d imports", r.Component, imports)
	if len(summary) > 0 && r.Policy {
		title += " (" + strings.Join(summary, ", ") + ")"
	}
	if !r.Policy {
		title += " (no policy given: every import would reach the host)"
	}
	b.WriteString(heading.Render(title) + "\n")
	if len(r.Rows) == 0 {
		b.WriteString("  (none: the component imports nothing)\n")
		return b.String()
	}
	order := r.sorted()
	headers := []string{"CAPABILITY", "VERSION", "MEMBERS", "STATUS", "WHY"}
	if !r.Policy && !slices.ContainsFunc(r.Rows, func(row Row) bool { return row.Provider != "" }) {
		headers = headers[:4]
	}
	rows := make([][]string, len(order))
	for i, row := range order {
		rows[i] = []string{row.Capability, row.Version, membersCell(row), row.Status.String(), whyCell(row)}[:len(headers)]
	}
	style.Cell = func(row, col int, cell lipgloss.Style) lipgloss.Style {
		switch col {
		case 3:
			return cell.Foreground(lipgloss.Color(statusColors[order[row].Status]))
		case 1, 4:
			return cell.Foreground(lipgloss.Color("8"))
		}
		return cell
	}
	b.WriteString(style.Render(headers, rows) + "\n")
	return b.String()
}

// sorted returns the rows for display: the imports by capability and
// version, then the interfaces generated members provide.
func (r *Report) sorted() []Row {
	out := slices.Clone(r.Rows)
	slices.SortStableFunc(out, func(a, b Row) int {
		if (a.Provider == "") != (b.Provider == "") {
			if a.Provider == "" {
				return -1
			}
			return 1
		}
		if c := strings.Compare(a.Capability, b.Capability); c != 0 {
			return c
		}
		return strings.Compare(a.Import, b.Import)
	})
	return out
}

// membersCell lists a row's members: the path below the component, the
// status when members differ, and how a member uses the import when it
// does not call it.
func membersCell(row Row) string {
	same := true
	for _, m := range row.Members {
		same = same && m.Status == row.Members[0].Status
	}
	parts := make([]string, 0, len(row.Members))
	for _, m := range row.Members {
		who := strings.Join(m.Path, " → ")
		if who == "" {
			who = m.Member
		}
		var notes []string
		switch m.Use {
		case UseTypes:
			notes = append(notes, "types of "+firstOf(m.TypesFor))
		case UseUnused:
			notes = append(notes, "unused")
		case UseExported:
			notes = append(notes, "re-exported")
		}
		if !same {
			notes = append(notes, m.Status.String())
		}
		if len(notes) > 0 {
			who += " (" + strings.Join(notes, ", ") + ")"
		}
		parts = append(parts, who)
	}
	return strings.Join(parts, ", ")
}

// firstOf names the first interface without its version, and how many
// more there are: "wasi:io/streams +1".
func firstOf(names []string) string {
	if len(names) == 0 {
		return "another import"
	}
	first, _, _ := strings.Cut(names[0], "@")
	if len(names) > 1 {
		return fmt.Sprintf("%s +%d", first, len(names)-1)
	}
	return first
}

// whyCell is the reason of the member verdict that decided the row
// (nothing when no policy was given).
func whyCell(row Row) string {
	if row.Provider == "" && len(row.Members) > 0 && row.Members[0].Rule == nil && row.Members[0].Reason == "no policy" {
		return ""
	}
	for _, m := range row.Members {
		if m.Status == row.Status {
			return m.Reason
		}
	}
	return ""
}

// The JSON form of a report (wcomp audit --json).
type jsonReport struct {
	Component  string          `json:"component"`
	Policy     bool            `json:"policy"`
	Imports    []jsonRow       `json:"imports"`
	Provided   []jsonRow       `json:"provided"`
	Violations []jsonViolation `json:"violations"`
	Shared     *inspect.Shared `json:"shared,omitempty"`
}

type jsonRow struct {
	Name       string       `json:"name"`
	Capability string       `json:"capability"`
	Version    string       `json:"version,omitempty"`
	Status     string       `json:"status"`
	Provider   string       `json:"provider,omitempty"`
	Members    []jsonMember `json:"members"`
}

type jsonMember struct {
	Member   string   `json:"member"`
	Path     []string `json:"path"`
	Import   string   `json:"import"`
	Use      string   `json:"use,omitempty"`
	TypesFor []string `json:"typesFor,omitempty"`
	Status   string   `json:"status"`
	Reason   string   `json:"reason"`
	Rule     string   `json:"rule,omitempty"`
	At       string   `json:"at,omitempty"`
}

type jsonViolation struct {
	Member string   `json:"member"`
	Path   []string `json:"path"`
	Import string   `json:"import"`
	Reason string   `json:"reason"`
}

// JSON renders the report as indented JSON, rows in table order. Each
// member's path starts with the component's name.
func (r *Report) JSON() ([]byte, error) {
	out := jsonReport{Component: r.Component, Policy: r.Policy, Imports: []jsonRow{}, Provided: []jsonRow{}, Violations: []jsonViolation{}, Shared: r.Shared}
	for _, row := range r.sorted() {
		jr := jsonRow{Name: row.Import, Capability: row.Capability, Version: row.Version, Status: row.Status.String(), Provider: row.Provider}
		for _, m := range row.Members {
			jm := jsonMember{Member: m.Member, Path: append([]string{r.Component}, m.Path...), Import: m.Import,
				TypesFor: m.TypesFor, Status: m.Status.String(), Reason: m.Reason}
			if row.Provider == "" {
				jm.Use = m.Use.String()
			}
			if m.Rule != nil {
				jm.Rule = m.Rule.String()
				if at := m.Rule.At.String(); at != m.Rule.At.Flag {
					jm.At = at
				}
			}
			jr.Members = append(jr.Members, jm)
		}
		if row.Provider != "" {
			out.Provided = append(out.Provided, jr)
		} else {
			out.Imports = append(out.Imports, jr)
		}
	}
	for _, v := range r.Violations() {
		out.Violations = append(out.Violations, jsonViolation{Member: v.Member, Path: append([]string{r.Component}, v.Path...), Import: v.MemberVerdict.Import, Reason: v.Reason})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
