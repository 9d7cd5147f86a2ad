package project

import (
	"encoding/json"
	"fmt"
	"time"
)

// Kind says what an Event reports.
type Kind int

// The kinds of events, roughly in the order a build emits them. Each says
// which Event fields it sets; Member and Language name the member for the
// member kinds.
const (
	// Blocking: another build holds target/wcomp/.lock; this one waits.
	Blocking Kind = iota + 1
	// Locking: wcomp.lock changes; Message is the change ("+ wit
	// wasi:cli@0.2.3", "~ member validator: digest …").
	Locking
	// Vendoring: a WIT package was written to (or removed from) wit/deps;
	// Message names the entry.
	Vendoring
	// Fresh: the member's last build still holds.
	Fresh
	// Compiling: the member's toolchain starts; Message says why it is
	// stale ("src/lib.rs changed").
	Compiling
	// Installing: a toolchain piece is installed into wcomp's cache;
	// Message says what.
	Installing
	// Running: the member's build runs a tool; Message is its command line.
	Running
	// Output: one line the member's toolchain printed (Message).
	Output
	// Built: the member's component is ready, built or fresh (Fresh):
	// Path, Digest, Elapsed. Every member that did not fail has one, so a
	// reader of the stream finds each member's artifact there.
	Built
	// Failed: the member's build failed: Elapsed, and Output, everything
	// its toolchain printed. The build's error follows.
	Failed
	// Composing: the members are being linked; Message names the result
	// and the root.
	Composing
	// Checking: the result is checked against [target]; Message is the
	// world.
	Checking
	// Capabilities: the members' imports were judged by [capabilities]
	// and the stubs and virtual environment it asks for composed in:
	// Message is the outcome ("14 allowed, 3 stubbed"), Counts the
	// imports by status.
	Capabilities
	// Warning: something the user should know that does not stop the
	// build (Message), about Member if set.
	Warning
	// Note: where the composition differs from what was literally asked,
	// and why (Message): a link left unplugged, an export added.
	Note
	// Finished: the build succeeded: Path is the result, Digest its
	// digest, Elapsed the whole build's time, Fresh set when nothing was
	// composed because nothing changed.
	Finished
)

var kindNames = [...]string{
	Blocking:     "blocking",
	Locking:      "locking",
	Vendoring:    "vendoring",
	Fresh:        "fresh",
	Compiling:    "compiling",
	Installing:   "installing",
	Running:      "running",
	Output:       "output",
	Built:        "built",
	Failed:       "failed",
	Composing:    "composing",
	Checking:     "checking",
	Capabilities: "capabilities",
	Warning:      "warning",
	Note:         "note",
	Finished:     "finished",
}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// MarshalText makes a Kind its name in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Event is one step of a build.
type Event struct {
	Kind     Kind
	Member   string
	Language string
	Message  string
	Path     string
	Digest   string
	Output   string
	Elapsed  time.Duration
	Fresh    bool
	// Counts are the imports by policy status (allowed, stubbed,
	// virtual, denied), for Capabilities.
	Counts map[string]int
	// At is when it happened, from the start of the build; the driver
	// sets it. With Elapsed it places a member's build on a timeline.
	At time.Duration
}

// MarshalJSON is the event as `--message-format json` prints it: one
// object, `event` first, empty fields left out, durations in milliseconds.
// The field names are a public interface for CI and editors.
func (e Event) MarshalJSON() ([]byte, error) {
	type wire struct {
		Event     Kind           `json:"event"`
		Member    string         `json:"member,omitempty"`
		Language  string         `json:"language,omitempty"`
		Message   string         `json:"message,omitempty"`
		Path      string         `json:"path,omitempty"`
		Digest    string         `json:"digest,omitempty"`
		Output    string         `json:"output,omitempty"`
		ElapsedMS float64        `json:"elapsed_ms,omitempty"`
		Fresh     bool           `json:"fresh,omitempty"`
		Counts    map[string]int `json:"counts,omitempty"`
		AtMS      float64        `json:"at_ms"`
	}
	return json.Marshal(wire{
		Event: e.Kind, Member: e.Member, Language: e.Language, Message: e.Message,
		Path: e.Path, Digest: e.Digest, Output: e.Output,
		ElapsedMS: ms(e.Elapsed), Fresh: e.Fresh, Counts: e.Counts, AtMS: ms(e.At),
	})
}

func ms(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

// Reporter receives a build's events. The driver calls Report from one
// goroutine at a time, in order, so an implementation needs no lock of its
// own; it should return quickly, since builds wait for it.
type Reporter interface {
	Report(Event)
}

// ReporterFunc lets a function be a Reporter.
type ReporterFunc func(Event)

// Report calls f(e).
func (f ReporterFunc) Report(e Event) { f(e) }
