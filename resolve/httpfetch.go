package resolve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// HTTPFetcher is the Fetcher for http and https URLs.
type HTTPFetcher struct {
	// Client is the HTTP client; nil means http.DefaultClient.
	Client *http.Client
	// MaxBytes bounds a download; 0 means 1 GiB.
	MaxBytes int64
}

// Fetch GETs u and returns the body of a 200 response.
func (f *HTTPFetcher) Fetch(ctx context.Context, u string) ([]byte, error) {
	parsed, err := url.Parse(u)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return nil, fmt.Errorf("%q is not an http or https URL", u)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading %s: %s", u, resp.Status)
	}
	limit := f.MaxBytes
	if limit <= 0 {
		limit = 1 << 30
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("downloading %s: %w", u, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("downloading %s: larger than %d bytes", u, limit)
	}
	return data, nil
}
