package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestRetryable(t *testing.T) {
	tests := []struct {
		status int
		err    error
		want   bool
	}{
		{200, nil, false},
		{404, nil, false},
		{401, nil, false},
		{408, nil, true},
		{429, nil, true},
		{500, nil, true},
		{502, nil, true},
		{503, nil, true},
		{501, nil, false},
		{505, nil, false},
		{0, syscall.ECONNRESET, true},
		{0, &net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		{0, io.ErrUnexpectedEOF, true},
		{0, &stallError{host: "h", after: time.Second}, true},
		{0, fmt.Errorf("dial: %w", syscall.ECONNREFUSED), false},
		{0, context.Canceled, false},
		{0, errors.New("x509: certificate signed by unknown authority"), false},
	}
	for _, tt := range tests {
		var resp *http.Response
		if tt.err == nil {
			resp = &http.Response{StatusCode: tt.status}
		}
		got, err := retryable(resp, tt.err)
		if err != nil || got != tt.want {
			t.Errorf("retryable(%d, %v) = %v, %v; want %v", tt.status, tt.err, got, err, tt.want)
		}
	}
}

// fastRetry keeps the tests' backoffs short.
var fastRetry = RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}

func TestRetriesOverHTTP(t *testing.T) {
	tests := []struct {
		name         string
		failures     int // requests answered with the fault before success
		fault        func(w http.ResponseWriter)
		wantRequests int
		wantErr      string
	}{
		{"503 twice, then ok", 2, func(w http.ResponseWriter) { w.WriteHeader(503) }, 3, ""},
		{"500 always", 100, func(w http.ResponseWriter) { w.WriteHeader(500) }, 4, "500"},
		{"501 is final", 100, func(w http.ResponseWriter) { w.WriteHeader(501) }, 1, "501"},
		{"connection reset once", 1, resetConnection, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if int(n.Add(1)) <= tt.failures {
					tt.fault(w)
					return
				}
				io.WriteString(w, "ok")
			}))
			defer srv.Close()
			c := newHTTPClient(nil, fastRetry, Timeouts{}, false)
			resp, err := c.Get(srv.URL)
			if err == nil {
				defer resp.Body.Close()
				if resp.StatusCode != 200 {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			if got := int(n.Load()); got != tt.wantRequests {
				t.Errorf("%d requests, want %d", got, tt.wantRequests)
			}
			if tt.wantErr == "" && err != nil {
				t.Fatalf("failed: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func resetConnection(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	conn.(*net.TCPConn).SetLinger(0)
	conn.Close()
}

// TestStall: a server that stops sending mid-body is abandoned after the
// stall timeout, with an error that says so, and a retried request for
// which the server answers at once succeeds.
func TestStall(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/body":
			w.Header().Set("Content-Length", "10")
			io.WriteString(w, "12345")
			w.(http.Flusher).Flush()
			<-release
		case "/headers":
			if n.Add(1) == 1 {
				<-release
			}
			io.WriteString(w, "ok")
		}
	}))
	defer srv.Close()
	defer close(release) // before Close, which waits for the handlers
	c := newHTTPClient(nil, fastRetry, Timeouts{Stall: 100 * time.Millisecond}, false)

	resp, err := c.Get(srv.URL + "/body")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	var stall *stallError
	if !errors.As(err, &stall) || !strings.Contains(err.Error(), "sent or accepted no data for 100ms") {
		t.Fatalf("reading a stalled body: got %v, want a stall error", err)
	}

	start := time.Now()
	resp, err = c.Get(srv.URL + "/headers")
	if err != nil {
		t.Fatalf("a request that stalled once was not retried: %v", err)
	}
	resp.Body.Close()
	if n.Load() != 2 {
		t.Errorf("%d attempts, want 2", n.Load())
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "localhost:5000": true, "LOCALHOST:1": true, "127.0.0.1:5000": true, "127.3.2.1": true,
		"[::1]:5000": true, "::1": true, "ghcr.io": false, "10.0.0.1:5000": false, "localhost.example.com": false, "[::2]:1": false,
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
