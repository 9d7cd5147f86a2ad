package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure Bars.
type Options struct {
	// Color draws the filled part of a bar in colour.
	Color bool
	// Delay is how long a transfer runs before its bar appears; default 1s.
	Delay time.Duration
	// Interval is the redraw period; default 100ms.
	Interval time.Duration
	// Width is the bar's width in cells; default 30.
	Width int
	// Now is the clock; default time.Now (tests fix it).
	Now func() time.Time
}

// Bars draws the transfers started on it to a terminal. Close it when
// done: that erases what is left and stops the redraw goroutine.
type Bars struct {
	w    io.Writer
	opts Options

	mu     sync.Mutex
	active []*Transfer
	drawn  int // bar lines on screen, which the next draw replaces
	stop   chan struct{}
	closed bool
}

// New starts drawing to w, which should be a terminal.
func New(w io.Writer, opts Options) *Bars {
	if opts.Delay <= 0 {
		opts.Delay = time.Second
	}
	if opts.Interval <= 0 {
		opts.Interval = 100 * time.Millisecond
	}
	if opts.Width <= 0 {
		opts.Width = 30
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	b := &Bars{w: w, opts: opts, stop: make(chan struct{})}
	go b.loop()
	return b
}

func (b *Bars) loop() {
	t := time.NewTicker(b.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			b.Draw()
		}
	}
}

// Transfer is one transfer's bar. Its methods are safe for concurrent use.
type Transfer struct {
	b       *Bars
	label   string
	total   int64
	start   time.Time
	current atomic.Int64
}

// Start begins a transfer of total bytes (-1 when unknown), labelled e.g.
// "Pushing validator.wasm".
func (b *Bars) Start(label string, total int64) *Transfer {
	t := &Transfer{b: b, label: label, total: total, start: b.opts.Now()}
	b.mu.Lock()
	b.active = append(b.active, t)
	b.mu.Unlock()
	return t
}

// Add counts n more bytes.
func (t *Transfer) Add(n int) { t.current.Add(int64(n)) }

// Reset starts the count again, for a retry.
func (t *Transfer) Reset() { t.current.Store(0) }

// Done removes the transfer's bar.
func (t *Transfer) Done(error) {
	b := t.b
	b.mu.Lock()
	for i, a := range b.active {
		if a == t {
			b.active = append(b.active[:i], b.active[i+1:]...)
			break
		}
	}
	b.mu.Unlock()
	b.Draw()
}

// Draw redraws the bars now (the redraw goroutine calls it periodically).
func (b *Bars) Draw() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	now := b.opts.Now()
	var lines []string
	for _, t := range b.active {
		if now.Sub(t.start) >= b.opts.Delay {
			lines = append(lines, b.line(t, now))
		}
	}
	if len(lines) == 0 && b.drawn == 0 {
		return
	}
	var out strings.Builder
	if b.drawn > 0 {
		fmt.Fprintf(&out, "\x1b[%dA", b.drawn) // back to the first bar line
	}
	for _, l := range lines {
		out.WriteString("\r\x1b[2K" + l + "\n")
	}
	for range b.drawn - len(lines) {
		out.WriteString("\r\x1b[2K\n") // blank the lines no longer used
	}
	if extra := b.drawn - len(lines); extra > 0 {
		fmt.Fprintf(&out, "\x1b[%dA", extra)
	}
	b.drawn = len(lines)
	io.WriteString(b.w, out.String())
}

// line renders one bar: "Pushing x.wasm [=====>     ] 4.2/18.0 MB 3.1 MB/s".
func (b *Bars) line(t *Transfer, now time.Time) string {
	cur := t.current.Load()
	var bar string
	if t.total > 0 {
		filled := int(float64(b.opts.Width) * float64(min(cur, t.total)) / float64(t.total))
		head := ""
		if filled < b.opts.Width {
			head = ">"
		}
		done := strings.Repeat("=", filled) + head
		if b.opts.Color {
			done = "\x1b[32m" + done + "\x1b[0m"
		}
		bar = "[" + done + strings.Repeat(" ", b.opts.Width-filled-len(head)) + "] " + Size(cur) + "/" + Size(t.total)
	} else {
		bar = Size(cur)
	}
	if secs := now.Sub(t.start).Seconds(); secs > 0 {
		bar += " " + Size(int64(float64(cur)/secs)) + "/s"
	}
	return t.label + " " + bar
}

// Close erases the bars and stops redrawing.
func (b *Bars) Close() {
	b.mu.Lock()
	b.active = nil
	b.mu.Unlock()
	b.Draw()
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		close(b.stop)
	}
}

// Size formats a byte count: 512 B, 4.2 KB, 18.0 MB (powers of 1000).
func Size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1e3)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}
