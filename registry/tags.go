package registry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"oras.land/oras-go/v2/errdef"
	"oras.land/oras-go/v2/registry"
	"oras.land/oras-go/v2/registry/remote/errcode"

	"github.com/wcomp/wcomp/internal/versionreq"
)

// ErrNoMatchingVersion is wrapped when no tag satisfies a requirement.
var ErrNoMatchingVersion = errors.New("no published version matches")

// Versions lists the tags of repo that are semantic versions (strict, as
// wkg reads them: 1.2.3, no v prefix), lowest first. Other tags (latest,
// sha256-… signatures) are ignored. A repository that does not exist has
// no versions.
func Versions(ctx context.Context, repo registry.TagLister) ([]string, error) {
	tags, err := registry.Tags(ctx, repo)
	var resp *errcode.ErrorResponse
	if errors.Is(err, errdef.ErrNotFound) || errors.As(err, &resp) && resp.StatusCode == http.StatusNotFound {
		return nil, nil // NAME_UNKNOWN: nothing was ever pushed there
	}
	if err != nil {
		return nil, fmt.Errorf("listing tags: %w", err)
	}
	type tagged struct {
		tag string
		v   *semver.Version
	}
	var vs []tagged
	for _, t := range tags {
		if v, err := semver.StrictNewVersion(t); err == nil {
			vs = append(vs, tagged{t, v})
		}
	}
	slices.SortFunc(vs, func(a, b tagged) int { return a.v.Compare(b.v) })
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.tag
	}
	return out, nil
}

// ResolveVersion returns the highest version tag of repo that req admits
// (pre-releases only when req names one, as cargo does).
func ResolveVersion(ctx context.Context, repo registry.TagLister, req versionreq.Req) (string, error) {
	versions, err := Versions(ctx, repo)
	if err != nil {
		return "", err
	}
	if v, ok := req.Highest(versions); ok {
		return v, nil
	}
	if len(versions) == 0 {
		return "", fmt.Errorf("%w %s: the repository has no version tags", ErrNoMatchingVersion, req)
	}
	return "", fmt.Errorf("%w %s (published: %s)", ErrNoMatchingVersion, req, summarizeVersions(versions))
}

// summarizeVersions lists versions for a message, the highest few first.
func summarizeVersions(vs []string) string {
	const show = 5
	var out []string
	for i := len(vs) - 1; i >= 0 && len(out) < show; i-- {
		out = append(out, vs[i])
	}
	s := strings.Join(out, ", ")
	if len(vs) > show {
		s += fmt.Sprintf(", and %d older", len(vs)-show)
	}
	return s
}
