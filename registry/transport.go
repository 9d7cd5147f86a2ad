package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"oras.land/oras-go/v2/registry/remote/retry"
)

// RetryPolicy bounds how often and how patiently a failed request is
// retried. Zero fields take the defaults.
type RetryPolicy struct {
	// MaxRetries is how many times a request is retried after its first
	// attempt; default 4. Negative: never retry.
	MaxRetries int
	// MinWait and MaxWait bound the exponential backoff between attempts
	// (250ms, doubling, ±10% jitter); defaults 200ms and 5s. A 429's
	// Retry-After is honoured up to MaxWait.
	MinWait, MaxWait time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = 4
	}
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.MinWait <= 0 {
		p.MinWait = 200 * time.Millisecond
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 5 * time.Second
	}
	return p
}

// Timeouts bound each attempt of a request. Zero fields take the defaults.
type Timeouts struct {
	// Connect bounds the TCP connection and TLS handshake; default 30s.
	Connect time.Duration
	// Stall is how long a request may go without a byte moving in either
	// direction (waiting for the response counts) before the attempt is
	// abandoned as timed out, and retried; default 60s.
	Stall time.Duration
}

func (t Timeouts) withDefaults() Timeouts {
	if t.Connect <= 0 {
		t.Connect = 30 * time.Second
	}
	if t.Stall <= 0 {
		t.Stall = 60 * time.Second
	}
	return t
}

// newHTTPClient builds the HTTP stack every registry request goes
// through: retries outside, then the stall watchdog and progress
// counting per attempt, then the network.
func newHTTPClient(base http.RoundTripper, policy RetryPolicy, timeouts Timeouts, insecureTLS bool) *http.Client {
	policy = policy.withDefaults()
	timeouts = timeouts.withDefaults()
	if base == nil {
		dialer := &net.Dialer{Timeout: timeouts.Connect, KeepAlive: 30 * time.Second}
		base = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          16,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   timeouts.Connect,
			ExpectContinueTimeout: time.Second,
			TLSClientConfig:       &tls.Config{InsecureSkipVerify: insecureTLS},
		}
	}
	generic := &retry.GenericPolicy{
		Retryable: retryable,
		Backoff:   retry.ExponentialBackoff(250*time.Millisecond, 2, 0.1),
		MinWait:   policy.MinWait,
		MaxWait:   policy.MaxWait,
		MaxRetry:  policy.MaxRetries,
	}
	return &http.Client{Transport: &retry.Transport{
		Base:   &attemptTransport{base: base, stall: timeouts.Stall},
		Policy: func() retry.Policy { return generic },
	}}
}

// retryable decides whether an attempt is worth repeating: server errors
// that are usually passing (5xx but 501 and 505, 408, 429) and network
// failures that a new connection may not meet (timeouts, resets, a
// connection closed mid-response). A refused connection is not retried:
// nothing is listening, and waiting will rarely change that.
func retryable(resp *http.Response, err error) (bool, error) {
	if err != nil {
		return transient(err), nil
	}
	switch code := resp.StatusCode; {
	case code == http.StatusRequestTimeout, code == http.StatusTooManyRequests:
		return true, nil
	case code == http.StatusNotImplemented, code == http.StatusHTTPVersionNotSupported:
		return false, nil
	case code >= 500:
		return true, nil
	}
	return false, nil
}

// transient reports whether err is a network failure that a second
// attempt may not meet.
func transient(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The caller gave up; a stall (ours) is reported as a net.Error.
		var stall *stallError
		return errors.As(err, &stall)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	// net.ErrClosed: the transport closed the connection after the peer
	// reset it while we were still writing.
	return errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF)
}

// stallError is a request abandoned because nothing moved for too long.
type stallError struct {
	host  string
	after time.Duration
}

func (e *stallError) Error() string {
	return fmt.Sprintf("%s sent or accepted no data for %s", e.host, e.after)
}
func (e *stallError) Timeout() bool   { return true }
func (e *stallError) Temporary() bool { return true }

// attemptTransport runs one attempt of a request under a stall watchdog,
// and reports the bytes of a tracked transfer (see withTransfer).
type attemptTransport struct {
	base  http.RoundTripper
	stall time.Duration
}

func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	stall := &stallError{host: req.URL.Host, after: t.stall}
	w := &watchdog{timer: time.AfterFunc(t.stall, func() { cancel(stall) }), after: t.stall}
	transfer := transferFrom(req.Context())
	req = req.Clone(ctx)
	if req.Body != nil && req.Body != http.NoBody {
		var count func(int)
		if transfer != nil && (req.Method == http.MethodPut || req.Method == http.MethodPatch) {
			transfer.Reset() // a retry starts the upload again
			count = transfer.Add
		}
		req.Body = &watchedBody{ReadCloser: req.Body, w: w, count: count}
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		w.stop()
		cancel(nil)
		if context.Cause(ctx) == stall {
			return nil, stall
		}
		return nil, err
	}
	w.kick()
	var count func(int)
	if transfer != nil && req.Method == http.MethodGet && resp.StatusCode == http.StatusOK {
		transfer.Reset()
		count = transfer.Add
	}
	resp.Body = &watchedBody{ReadCloser: resp.Body, w: w, count: count, done: func() {
		w.stop()
		cancel(nil)
	}, stalled: func() error {
		if context.Cause(ctx) == stall {
			return stall
		}
		return nil
	}}
	return resp, nil
}

// watchdog cancels an attempt when it is not kicked for a while.
type watchdog struct {
	timer *time.Timer
	after time.Duration
}

func (w *watchdog) kick() { w.timer.Reset(w.after) }
func (w *watchdog) stop() { w.timer.Stop() }

// watchedBody kicks the watchdog on every read, counts bytes for a
// transfer, and turns the cancellation of a stalled attempt into the
// stall's own error.
type watchedBody struct {
	io.ReadCloser
	w       *watchdog
	count   func(int)
	done    func()
	stalled func() error
	once    sync.Once
}

func (b *watchedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.w.kick()
		if b.count != nil {
			b.count(n)
		}
	}
	if err != nil && err != io.EOF && b.stalled != nil {
		if s := b.stalled(); s != nil {
			err = s
		}
	}
	return n, err
}

func (b *watchedBody) Close() error {
	err := b.ReadCloser.Close()
	if b.done != nil {
		b.once.Do(b.done)
	}
	return err
}
