package status

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/wcomp/wcomp/project"
)

// verbWidth is the column cargo right-aligns its verbs to.
const verbWidth = 12

// spinnerDelay is how long a toolchain runs before the spinner appears, so
// quick builds print no flicker.
const spinnerDelay = time.Second

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// Options say how to print.
type Options struct {
	// Verbose shows every tool's command line and output as it runs, and
	// why each stale member is rebuilt.
	Verbose bool
	// Color styles the verbs (NO_COLOR and non-terminals turn it off; the
	// caller decides).
	Color bool
	// Terminal draws the spinner line, redrawn in place; off, the output
	// is plain lines fit for a log.
	Terminal bool
	// Dir is what paths are shown relative to (the working directory).
	Dir string
	// Width is the terminal's width: the spinner line is cut to it, since
	// a line that wraps cannot be erased in place. 0 means 80.
	Width int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Printer prints a build's events as cargo's status lines. It is a
// project.Reporter; Close it when the build ends.
type Printer struct {
	w    io.Writer
	opts Options

	verb, warn, note, dim lipgloss.Style

	mu      sync.Mutex
	running map[string]running // members whose toolchain is running
	started int                // members started so far, for running.seq
	spinner bool               // the spinner line is on screen
	frame   int
	stop    chan struct{}
	done    chan struct{}
}

type running struct {
	lang  string
	since time.Time
	seq   int // start order, so members started in the same instant keep it
}

// New returns a Printer writing to w (the terminal's standard error).
func New(w io.Writer, opts Options) *Printer {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := lipgloss.NewRenderer(w)
	if opts.Color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	p := &Printer{
		w: w, opts: opts,
		verb:    r.NewStyle().Bold(true).Foreground(lipgloss.Color("10")),
		warn:    r.NewStyle().Bold(true).Foreground(lipgloss.Color("11")),
		note:    r.NewStyle().Bold(true).Foreground(lipgloss.Color("14")),
		dim:     r.NewStyle().Faint(true),
		running: map[string]running{},
	}
	if opts.Terminal {
		p.stop, p.done = make(chan struct{}), make(chan struct{})
		go p.spin()
	}
	return p
}

// Report prints one event.
func (p *Printer) Report(e project.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	who := e.Member
	if e.Language != "" {
		who += " (" + e.Language + ")"
	}
	switch e.Kind {
	case project.Blocking:
		p.status("Blocking", e.Message)
	case project.Locking:
		p.status("Locking", e.Message)
	case project.Vendoring:
		p.status("Vendoring", e.Message)
	case project.Fresh:
		p.status("Fresh", who)
	case project.Compiling:
		if p.opts.Verbose && e.Message != "" {
			p.status("Dirty", who+": "+e.Message)
		}
		p.status("Compiling", who)
		p.started++
		p.running[e.Member] = running{lang: e.Language, since: p.opts.Now(), seq: p.started}
	case project.Installing:
		p.status("Installing", e.Message)
	case project.Running:
		if p.opts.Verbose {
			p.status("Running", "`"+e.Message+"`")
		}
	case project.Output:
		// Members build at once, so each line says whose it is, as
		// cargo -vv marks build-script output.
		if p.opts.Verbose {
			p.line(p.dim.Render("["+e.Member+"]") + " " + e.Message)
		}
	case project.Built:
		delete(p.running, e.Member)
	case project.Failed:
		delete(p.running, e.Member)
		// Without -v the output was held back; a failure shows it.
		if !p.opts.Verbose && e.Output != "" {
			p.line(strings.TrimRight(e.Output, "\n"))
		}
	case project.Composing:
		p.status("Composing", e.Message)
	case project.Checking:
		p.status("Checking", e.Message)
	case project.Capabilities:
		p.status("Checked", "capabilities: "+e.Message)
	case project.Warning:
		msg := e.Message
		if e.Member != "" {
			msg = "member " + e.Member + ": " + msg
		}
		p.line(p.warn.Render("warning") + ": " + msg)
	case project.Note:
		p.line(p.note.Render("note") + ": " + e.Message)
	case project.Finished:
		p.status("Finished", p.path(e.Path)+" in "+Duration(e.Elapsed))
	}
}

// Status prints one status line of the caller's own, such as cargo run's
// `     Running `target/service.wasm“.
func (p *Printer) Status(verb, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status(verb, text)
}

// Close stops the spinner and erases its line.
func (p *Printer) Close() {
	if p.stop != nil {
		close(p.stop)
		<-p.done
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearSpinner()
}

// status prints `   Compiling validator (rust)`: the verb right-aligned
// to cargo's column and styled, then the text.
func (p *Printer) status(verb, text string) {
	pad := ""
	if n := verbWidth - len(verb); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	p.line(pad + p.verb.Render(verb) + " " + text)
}

// line prints text above the spinner.
func (p *Printer) line(text string) {
	p.clearSpinner()
	fmt.Fprintln(p.w, text)
	p.drawSpinner()
}

func (p *Printer) path(path string) string {
	// Relative to the working directory when that is shorter: inside
	// it, or a level or two up (a build run in a member's directory).
	if p.opts.Dir != "" {
		if rel, err := filepath.Rel(p.opts.Dir, path); err == nil && !strings.HasPrefix(rel, "../../../") && len(rel) < len(path) {
			return rel
		}
	}
	return path
}

// spin redraws the spinner line ten times a second.
func (p *Printer) spin() {
	defer close(p.done)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.frame++
			p.clearSpinner()
			p.drawSpinner()
			p.mu.Unlock()
		}
	}
}

// drawSpinner shows the toolchains running for longer than a second, with
// their elapsed times: `    Building ⠹ validator (rust) 12s, business (python) 3s`.
func (p *Printer) drawSpinner() {
	if !p.opts.Terminal {
		return
	}
	now := p.opts.Now()
	names := make([]string, 0, len(p.running))
	for name, r := range p.running {
		if now.Sub(r.since) >= spinnerDelay {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	sort.Slice(names, func(i, j int) bool { return p.running[names[i]].seq < p.running[names[j]].seq })
	parts := make([]string, len(names))
	for i, n := range names {
		r := p.running[n]
		parts[i] = fmt.Sprintf("%s (%s) %ds", n, r.lang, int(now.Sub(r.since).Seconds()))
	}
	pad := strings.Repeat(" ", verbWidth-len("Building"))
	text := spinnerFrames[p.frame%len(spinnerFrames)] + " " + strings.Join(parts, ", ")
	width := p.opts.Width
	if width <= 0 {
		width = 80
	}
	if room := width - verbWidth - 2; room > 1 && utf8.RuneCountInString(text) > room {
		r := []rune(text)
		text = string(r[:room-1]) + "…"
	}
	fmt.Fprintf(p.w, "%s%s %s", pad, p.verb.Render("Building"), text)
	p.spinner = true
}

func (p *Printer) clearSpinner() {
	if p.spinner {
		fmt.Fprint(p.w, "\r\x1b[2K")
		p.spinner = false
	}
}

// Duration formats a build time as cargo does: 0.58s, 41.2s, 1m 02s.
func Duration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// JSON prints each event as one JSON object per line, for
// `--message-format json`.
type JSON struct {
	mu  sync.Mutex
	enc *json.Encoder
}

// NewJSON returns a JSON printer writing to w.
func NewJSON(w io.Writer) *JSON {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &JSON{enc: enc}
}

// Report prints e.
func (j *JSON) Report(e project.Event) {
	j.mu.Lock()
	defer j.mu.Unlock()
	_ = j.enc.Encode(e)
}

// Error prints the build's failure as a last object, so a reader of the
// stream alone learns how it ended.
func (j *JSON) Error(err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	// A build the policy refused carries its verdict table, as `wcomp
	// audit --json` prints it.
	var report json.RawMessage
	var pe *project.PolicyError
	if errors.As(err, &pe) && pe.Report != nil {
		if js, jerr := pe.Report.JSON(); jerr == nil {
			report = bytes.TrimSpace(js)
		}
	}
	_ = j.enc.Encode(struct {
		Event        string          `json:"event"`
		Message      string          `json:"message"`
		Capabilities json.RawMessage `json:"capabilities,omitempty"`
	}{"error", err.Error(), report})
}
