package registry

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"

	"oras.land/oras-go/v2/content"
	"oras.land/oras-go/v2/errdef"
	"oras.land/oras-go/v2/registry"
	"oras.land/oras-go/v2/registry/remote"
	"oras.land/oras-go/v2/registry/remote/auth"
	"oras.land/oras-go/v2/registry/remote/credentials"
	"oras.land/oras-go/v2/registry/remote/errcode"
)

// Environment variables that supply credentials for every registry,
// ahead of any stored login.
const (
	EnvUser     = "WCOMP_REGISTRY_USER"
	EnvPassword = "WCOMP_REGISTRY_PASSWORD"
)

// Options configure a Client. The zero value is usable: Docker's
// credentials, default retries and timeouts, HTTPS except to loopback.
type Options struct {
	// Credentials is where logins are read and saved. nil: Docker's
	// config.json ($DOCKER_CONFIG, else ~/.docker/config.json) and the
	// credential helpers it names, as `docker login` leaves them.
	Credentials credentials.Store
	// Getenv reads WCOMP_REGISTRY_USER and WCOMP_REGISTRY_PASSWORD; nil
	// reads no environment.
	Getenv func(string) string
	// WKG is the user's wkg configuration, if any: its
	// [registry."host".oci] protocol and auth apply to that host.
	WKG *WKGConfig
	// Insecure allows plain HTTP, and TLS without certificate checks, to
	// any registry. Without it, plain HTTP is used only for loopback
	// hosts (localhost, 127.0.0.0/8, ::1).
	Insecure bool
	Retry    RetryPolicy
	Timeouts Timeouts
	// Transport replaces the network transport under the retries and
	// timeouts (tests point it at a fault injector).
	Transport http.RoundTripper
	// UserAgent is sent with every request; default "wcomp".
	UserAgent string
	// Progress, if set, is told about every blob transfer.
	Progress Progress
}

// Client makes remote repositories that share one HTTP stack, one
// credential source and one token cache.
type Client struct {
	opts Options
	http *http.Client
	auth *auth.Client
	// anonymous sends no credentials: reads fall back to it when a
	// registry refuses the credentials given (see read).
	anonymous *auth.Client
}

// NewClient returns a client for opts.
func NewClient(opts Options) (*Client, error) {
	if opts.Credentials == nil {
		store, err := credentials.NewStoreFromDocker(credentials.StoreOptions{AllowPlaintextPut: true})
		if err != nil {
			// A broken ~/.docker/config.json fails only what needs a
			// stored login, not every build that never meets a registry.
			opts.Credentials = unreadableStore{fmt.Errorf("reading Docker's credential configuration: %w", err)}
		} else {
			opts.Credentials = store
		}
	}
	if opts.Getenv == nil {
		opts.Getenv = func(string) string { return "" }
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "wcomp"
	}
	c := &Client{opts: opts, http: newHTTPClient(opts.Transport, opts.Retry, opts.Timeouts, opts.Insecure)}
	header := http.Header{}
	header.Set("User-Agent", opts.UserAgent)
	c.auth = &auth.Client{
		Client:     c.http,
		Header:     header,
		Cache:      auth.NewCache(),
		Credential: c.credential,
	}
	c.anonymous = &auth.Client{Client: c.http, Header: header, Cache: auth.NewCache()}
	return c, nil
}

// unreadableStore stands for a credential store whose configuration could
// not be read: every use reports why.
type unreadableStore struct{ err error }

func (s unreadableStore) Get(context.Context, string) (auth.Credential, error) {
	return auth.EmptyCredential, s.err
}
func (s unreadableStore) Put(context.Context, string, auth.Credential) error { return s.err }
func (s unreadableStore) Delete(context.Context, string) error               { return s.err }

// credential finds the login for a registry host: the environment first,
// then wkg's config for that host, then the credential store.
func (c *Client) credential(ctx context.Context, hostport string) (auth.Credential, error) {
	user, password := c.opts.Getenv(EnvUser), c.opts.Getenv(EnvPassword)
	switch {
	case user != "" && password != "":
		return auth.Credential{Username: user, Password: password}, nil
	case user != "" || password != "":
		return auth.EmptyCredential, fmt.Errorf("set both %s and %s, or neither", EnvUser, EnvPassword)
	}
	if cred, ok := c.opts.WKG.credential(hostport); ok {
		return cred, nil
	}
	cred, err := credentials.Credential(c.opts.Credentials)(ctx, hostport)
	if err != nil {
		return auth.EmptyCredential, fmt.Errorf("reading the stored login for %s: %w", hostport, err)
	}
	return cred, nil
}

// Repository returns the remote repository ref names (its tag or digest
// is ignored), set up with the client's credentials and transport.
func (c *Client) Repository(ctx context.Context, ref registry.Reference) (*remote.Repository, error) {
	plain, err := c.plainHTTP(ctx, ref.Registry)
	if err != nil {
		return nil, err
	}
	return &remote.Repository{
		Client:    c.auth,
		Reference: registry.Reference{Registry: ref.Registry, Repository: ref.Repository},
		PlainHTTP: plain,
	}, nil
}

// registry returns the remote registry host, for login.
func (c *Client) registry(ctx context.Context, host string) (*remote.Registry, error) {
	reg, err := remote.NewRegistry(host)
	if err != nil {
		return nil, fmt.Errorf("registry %q: %w", host, err)
	}
	if reg.PlainHTTP, err = c.plainHTTP(ctx, host); err != nil {
		return nil, err
	}
	reg.Client = c.auth
	return reg, nil
}

// plainHTTP decides whether host is spoken to over plain HTTP: loopback
// hosts always; hosts that wkg's config marks protocol = "http"; and, with
// Insecure, any host that answers HTTPS with plain HTTP.
func (c *Client) plainHTTP(ctx context.Context, host string) (bool, error) {
	if IsLoopback(host) || c.opts.WKG.plainHTTP(host) {
		return true, nil
	}
	if !c.opts.Insecure {
		return false, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "https://"+host+"/v2/", nil)
	if err != nil {
		return false, fmt.Errorf("registry %q: %w", host, err)
	}
	resp, err := c.http.Do(req)
	if err == nil {
		resp.Body.Close()
		return false, nil
	}
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return true, nil
	}
	return false, nil // let the real request report the failure
}

// IsLoopback reports whether a registry host (host or host:port) is this
// machine: localhost, or a loopback IP literal.
func IsLoopback(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Login checks user and password against host and saves them in the
// credential store, as `docker login` does.
func (c *Client) Login(ctx context.Context, host, user, password string) error {
	reg, err := c.registry(ctx, host)
	if err != nil {
		return err
	}
	if err := credentials.Login(ctx, c.opts.Credentials, reg, auth.Credential{Username: user, Password: password}); err != nil {
		return explain(err, host)
	}
	return nil
}

// Logout removes the saved login for host.
func (c *Client) Logout(ctx context.Context, host string) error {
	return credentials.Logout(ctx, c.opts.Credentials, host)
}

// ErrUnauthorized and ErrDenied are wrapped by errors for 401 and 403
// responses, ErrNotFound (errdef.ErrNotFound) by those for missing
// references.
var (
	ErrUnauthorized = errors.New("authentication failed")
	ErrDenied       = errors.New("access denied")
	ErrNotFound     = errdef.ErrNotFound
)

// explain rewrites the errors users meet most into sentences that say what
// to do, keeping the original underneath (errors.Is and As still see it).
func explain(err error, host string) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return fmt.Errorf("%s answers in plain HTTP; wcomp uses HTTPS except to loopback registries: pass --insecure to allow plain HTTP: %w", host, err)
	case errors.Is(err, auth.ErrBasicCredentialNotFound):
		return fmt.Errorf("%s: %w: the registry wants a login: run `wcomp login %s`, or set %s and %s", host, ErrUnauthorized, host, EnvUser, EnvPassword)
	case errors.Is(err, syscall.ECONNREFUSED):
		return &explained{fmt.Sprintf("%s refused the connection (is the registry running?): %s", host, tidyURLs(msg)), err}
	case errors.Is(err, content.ErrMismatchedDigest):
		return &explained{fmt.Sprintf("%s sent content that does not match its digest: %s", host, tidyURLs(msg)), err}
	}
	var resp *errcode.ErrorResponse
	if !errors.As(err, &resp) {
		return &explained{tidyURLs(msg), err}
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return &explained{fmt.Sprintf("%s: %v (HTTP 401): log in with `wcomp login %s`, or set %s and %s: %s", host, ErrUnauthorized, host, EnvUser, EnvPassword, tidyURLs(msg)), &wrapped{ErrUnauthorized, err}}
	case http.StatusForbidden:
		return &explained{fmt.Sprintf("%s: %v (HTTP 403): the credentials do not allow this: %s", host, ErrDenied, tidyURLs(msg)), &wrapped{ErrDenied, err}}
	}
	return &explained{tidyURLs(msg), err}
}

// explained is an error with a clearer message than the one it wraps.
type explained struct {
	msg string
	err error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.err }

// wrapped matches both a sentinel and the error it stands for.
type wrapped struct{ sentinel, err error }

func (e *wrapped) Error() string   { return e.err.Error() }
func (e *wrapped) Unwrap() []error { return []error{e.sentinel, e.err} }

// urlQuery matches the query of a quoted URL in an error message: upload
// URLs carry long opaque state that says nothing to a reader.
var urlQuery = regexp.MustCompile(`("https?://[^"?]*)\?[^"]*"`)

func tidyURLs(msg string) string { return urlQuery.ReplaceAllString(msg, `$1"`) }

// HTTP is the client's HTTP stack (retries, timeouts), without registry
// authentication: for the well-known metadata Names fetches.
func (c *Client) HTTP() *http.Client { return c.http }
