package registrytest

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Proxy is a reverse proxy in front of a registry that injects faults into
// the requests its rules match. Clients talk to Host instead of the
// registry's.
type Proxy struct {
	// Host is the proxy's host:port on 127.0.0.1.
	Host string

	mu     sync.Mutex
	faults []*Fault
	log    []string
}

// Action is what a fault does to a request it matches.
type Action int

const (
	// Status answers with Fault.Status without asking the registry.
	Status Action = iota + 1
	// Reset closes the client's connection abruptly (TCP RST) before
	// answering.
	Reset
	// Stall waits Fault.Delay before passing the request on.
	Stall
	// Corrupt passes the request on and flips one byte of the response body.
	Corrupt
	// Hook calls Fault.Func and passes the request on.
	Hook
)

// Fault is one injected failure.
type Fault struct {
	// Method and PathContains select requests ("" matches any).
	Method       string
	PathContains string
	// Times is how many matching requests the fault hits; 0 means all.
	Times  int
	Action Action
	Status int
	Delay  time.Duration
	Func   func(*http.Request)

	hits int
}

// NewProxy starts a proxy to the registry at upstream (host:port).
func NewProxy(t testing.TB, upstream string) *Proxy {
	t.Helper()
	target := &url.URL{Scheme: "http", Host: upstream}
	p := &Proxy{}
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			// The registry builds upload Locations from Host: keep the
			// proxy's, so every request comes back through it.
			r.Out.Host = r.In.Host
		},
		ErrorLog: nil,
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.serve(w, r, rp)
	}))
	srv.Start()
	t.Cleanup(srv.Close)
	p.Host = strings.TrimPrefix(srv.URL, "http://")
	return p
}

// Inject adds a fault; faults are tried in the order added, and the first
// that matches (and has hits left) applies.
func (p *Proxy) Inject(f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, &f)
}

// Clear removes every fault and empties the log.
func (p *Proxy) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults, p.log = nil, nil
}

// Log lists the requests seen, as "METHOD path -> what happened".
func (p *Proxy) Log() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.log...)
}

// Hits counts the log lines that contain s.
func (p *Proxy) Hits(s string) int {
	n := 0
	for _, l := range p.Log() {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

func (p *Proxy) match(r *http.Request) *Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.faults {
		if f.Method != "" && f.Method != r.Method {
			continue
		}
		if f.PathContains != "" && !strings.Contains(r.URL.Path, f.PathContains) {
			continue
		}
		if f.Times > 0 && f.hits >= f.Times {
			continue
		}
		f.hits++
		return f
	}
	return nil
}

func (p *Proxy) record(r *http.Request, what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log = append(p.log, r.Method+" "+r.URL.Path+" -> "+what)
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request, rp *httputil.ReverseProxy) {
	f := p.match(r)
	if f == nil {
		p.record(r, "pass")
		rp.ServeHTTP(w, r)
		return
	}
	switch f.Action {
	case Status:
		p.record(r, "status "+http.StatusText(f.Status))
		io.Copy(io.Discard, r.Body)
		http.Error(w, `{"errors":[{"code":"UNKNOWN","message":"injected fault"}]}`, f.Status)
	case Reset:
		p.record(r, "reset")
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("registrytest: connection cannot be hijacked")
		}
		conn, _, err := hj.Hijack()
		if err != nil {
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // close sends RST, not FIN
		}
		conn.Close()
	case Stall:
		p.record(r, "stall")
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
		rp.ServeHTTP(w, r)
	case Corrupt:
		p.record(r, "corrupt")
		rp.ServeHTTP(&corruptingWriter{ResponseWriter: w}, r)
	case Hook:
		p.record(r, "hook")
		f.Func(r)
		rp.ServeHTTP(w, r)
	}
}

// corruptingWriter flips the first byte of the body it passes on.
type corruptingWriter struct {
	http.ResponseWriter
	done bool
}

func (w *corruptingWriter) Write(b []byte) (int, error) {
	if !w.done && len(b) > 0 {
		w.done = true
		c := append([]byte(nil), b...)
		c[0] ^= 0xff
		return w.ResponseWriter.Write(c)
	}
	return w.ResponseWriter.Write(b)
}
