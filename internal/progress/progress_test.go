package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// screen renders what a terminal would show for the bytes written: it
// understands exactly the escapes Bars writes (CR, erase line, cursor up).
func screen(out string) []string {
	lines := []string{""}
	row := 0
	for i := 0; i < len(out); i++ {
		switch {
		case out[i] == '\r':
			lines[row] = ""
		case out[i] == '\n':
			row++
			if row == len(lines) {
				lines = append(lines, "")
			}
		case strings.HasPrefix(out[i:], "\x1b[2K"):
			lines[row] = ""
			i += 3
		case out[i] == '\x1b':
			j := strings.IndexByte(out[i:], 'A')
			n := 0
			for _, c := range out[i+2 : i+j] {
				n = n*10 + int(c-'0')
			}
			row -= n
			i += j
		default:
			lines[row] += string(out[i])
		}
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func TestBars(t *testing.T) {
	clk := &clock{now: time.Unix(1000, 0)}
	var out bytes.Buffer
	b := New(&out, Options{Now: clk.Now, Interval: time.Hour, Width: 10})
	defer b.Close()

	quick := b.Start("Pulling quick.wasm", 100)
	quick.Add(100)
	quick.Done(nil)
	if out.Len() != 0 {
		t.Fatalf("a transfer that ended within the delay drew %q", out.String())
	}

	slow := b.Start("Pushing big.wasm", 4_000_000)
	clk.advance(500 * time.Millisecond)
	b.Draw()
	if out.Len() != 0 {
		t.Fatalf("a bar appeared before the delay: %q", out.String())
	}
	clk.advance(1500 * time.Millisecond)
	slow.Add(1_000_000)
	b.Draw()
	other := b.Start("Pulling x.wasm", -1)
	clk.advance(1100 * time.Millisecond)
	other.Add(2048)
	b.Draw()
	got := screen(out.String())
	want := []string{
		"Pushing big.wasm [==>       ] 1.0 MB/4.0 MB 322.6 KB/s",
		"Pulling x.wasm 2.0 KB 1.9 KB/s",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("screen:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	slow.Reset()
	b.Draw()
	if got := screen(out.String()); !strings.Contains(got[0], "[>         ] 0 B/4.0 MB") {
		t.Errorf("after Reset: %q", got[0])
	}
	slow.Done(nil)
	if got := screen(out.String()); len(got) != 1 || !strings.HasPrefix(got[0], "Pulling x.wasm") {
		t.Fatalf("after one transfer ended: %q", got)
	}
	other.Done(nil)
	if got := screen(out.String()); len(got) != 0 {
		t.Fatalf("after all transfers ended the screen still shows %q", got)
	}
}

func TestColor(t *testing.T) {
	clk := &clock{now: time.Unix(0, 0)}
	var out bytes.Buffer
	b := New(&out, Options{Now: clk.Now, Interval: time.Hour, Width: 4, Color: true})
	defer b.Close()
	tr := b.Start("Pulling a", 4)
	tr.Add(2)
	clk.advance(2 * time.Second)
	b.Draw()
	if !strings.Contains(out.String(), "[\x1b[32m==>\x1b[0m ]") {
		t.Fatalf("no coloured bar in %q", out.String())
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 KB", 18_200_000: "18.2 MB", 3_000_000_000: "3.00 GB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
