package manifest

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"oras.land/oras-go/v2/registry"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/capability"
	"github.com/wcomp/wcomp/internal/dirgrant"
	"github.com/wcomp/wcomp/internal/versionreq"
)

// atError is a problem at byte offset at of a string value, so the
// message can point inside the string.
type atError struct {
	at  int
	err error
}

func (e *atError) Error() string { return e.err.Error() }
func (e *atError) Unwrap() error { return e.err }

func errAt(at int, format string, args ...any) error {
	return &atError{at: at, err: fmt.Errorf(format, args...)}
}

// nameMsg is what component.ParseName says is wrong, without its quoting of
// the whole name.
func nameMsg(err error) string {
	var ne *component.NameError
	if errors.As(err, &ne) {
		return ne.Msg
	}
	return err.Error()
}

// checkPackageName checks a WIT package name without version: ns:name,
// each part lowercase kebab-case words.
func checkPackageName(s string) error {
	if i := strings.IndexAny(s, "/@"); i >= 0 {
		return errAt(i, "invalid package name %q: a package name is ns:name, without /interface or @version", s)
	}
	if strings.Count(s, ":") != 1 {
		return fmt.Errorf("invalid package name %q: expected ns:name, e.g. example:service", s)
	}
	// An interface name is the package name and a label: let the
	// component model's own name parser judge the package part.
	if _, err := component.ParseName(s + "/x"); err != nil {
		return fmt.Errorf("invalid package name %q: %s", s, nameMsg(err))
	}
	return nil
}

func splitPackage(s string) (ns, name string) {
	ns, name, _ = strings.Cut(s, ":")
	return ns, name
}

// checkNamespace checks a WIT namespace (the key of [registries]).
func checkNamespace(s string) error {
	if err := checkPackageName(s + ":x"); err != nil {
		return fmt.Errorf("invalid namespace %q: expected a lowercase kebab-case word such as wasi", s)
	}
	return nil
}

// parseWorld parses "world", "ns:pkg/world" or, with allowVersion,
// "ns:pkg/world@REQ".
func parseWorld(s string, allowVersion bool) (WorldRef, error) {
	var w WorldRef
	rest, version, hasVersion := strings.Cut(s, "@")
	if hasVersion {
		if !allowVersion {
			return w, errAt(len(rest), "a member's world takes no version: its package's version comes from [wit.dependencies]")
		}
		if !strings.Contains(rest, ":") {
			return w, errAt(len(rest), "only a world of another package (ns:pkg/world@REQ) takes a version")
		}
		req, err := versionreq.Parse(version)
		if err != nil {
			return w, reqError(len(rest)+1, version, err)
		}
		w.Version, w.Req = version, req
	}
	if pkg, world, ok := strings.Cut(rest, "/"); ok {
		if err := checkPackageName(pkg); err != nil {
			return w, fmt.Errorf("invalid world %q: expected ns:pkg/world or world: %w", s, unwrapAt(err))
		}
		w.Package, rest = pkg, world
	} else if strings.Contains(rest, ":") {
		return w, fmt.Errorf("invalid world %q: expected ns:pkg/world, or a world of the project's own package", s)
	}
	if n, err := component.ParseName(rest); err != nil || n.Kind != component.NameLabel {
		msg := "not a label"
		if err != nil {
			msg = nameMsg(err)
		}
		return w, fmt.Errorf("invalid world name %q: %s", rest, msg)
	}
	w.World = rest
	return w, nil
}

func unwrapAt(err error) error {
	var ae *atError
	if errors.As(err, &ae) {
		return ae.err
	}
	return err
}

// reqError positions a versionreq error inside the enclosing string, whose
// requirement starts at byte start.
func reqError(start int, req string, err error) error {
	var ve *versionreq.Error
	if errors.As(err, &ve) {
		return errAt(start+ve.Offset, "invalid version requirement %q: %s", req, ve.Msg)
	}
	return fmt.Errorf("invalid version requirement %q: %w", req, err)
}

// parseReq parses a requirement string on its own.
func parseReq(s string) (versionreq.Req, error) {
	r, err := versionreq.Parse(s)
	if err != nil {
		return r, reqError(0, s, err)
	}
	return r, nil
}

// checkDigest checks "sha256:<64 lowercase hex digits>".
func checkDigest(s string) error {
	algo, hex, ok := strings.Cut(s, ":")
	switch {
	case !ok:
		return fmt.Errorf("invalid digest %q: expected sha256:<64 hex digits>", s)
	case algo != "sha256":
		return errAt(0, "unsupported digest algorithm %q: expected sha256:<64 hex digits>", algo)
	case len(hex) != 64:
		return errAt(len(algo)+1, "invalid digest: expected 64 hex digits after sha256:, found %d", len(hex))
	}
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return errAt(len(algo)+1+i, "invalid digest: %q is not a lowercase hex digit", c)
		}
	}
	return nil
}

// checkURL checks an absolute URL with one of the given schemes.
func checkURL(s string, schemes ...string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("invalid URL %q: %v", s, unwrapURL(err))
	}
	for _, sc := range schemes {
		if u.Scheme == sc && u.Host != "" {
			return nil
		}
	}
	want := make([]string, len(schemes))
	for i, sc := range schemes {
		want[i] = sc + "://"
	}
	return fmt.Errorf("invalid URL %q: expected an %s URL", s, joinOr(want, "or"))
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// pathRule says how far a path may reach.
type pathRule uint8

const (
	// inProject: relative, and inside the project directory (what wcomp
	// writes to, hashes as the project's own sources, or embeds).
	inProject pathRule = iota + 1
	// anywhere: relative to the project or absolute; inputs pinned by
	// their content, such as a prebuilt component or a WIT package from a
	// sibling repository.
	anywhere
)

// checkPath checks a slash-separated path written relative to base, itself
// relative to the project root.
func checkPath(p, base string, rule pathRule) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case strings.Contains(p, `\`):
		return errors.New(`write paths with '/', not '\'`)
	}
	if rule == anywhere {
		return nil
	}
	if path.IsAbs(p) || filepath.IsAbs(p) || filepath.VolumeName(p) != "" {
		return fmt.Errorf("%q is absolute: write it relative to the %s", p, baseName(base))
	}
	if clean := path.Join(base, p); clean == ".." || strings.HasPrefix(clean, "../") {
		return fmt.Errorf("%q leaves the project directory", p)
	}
	return nil
}

func baseName(base string) string {
	if base == "" || base == "." {
		return "project directory"
	}
	return "member's directory"
}

// checkGlob checks a watch glob: a path pattern inside the project, with
// ** for any number of directories.
func checkGlob(g, base string) error {
	if err := checkPath(g, base, inProject); err != nil {
		return err
	}
	if _, err := path.Match(strings.ReplaceAll(g, "**", "*"), ""); err != nil {
		return fmt.Errorf("invalid glob %q: %v", g, err)
	}
	return nil
}

// checkPattern checks a capability pattern with internal/capability, the
// parser the policy uses; what a pattern admits is policy/'s business.
func checkPattern(s string) error {
	_, err := capability.ParsePattern(s)
	var pe *capability.PatternError
	if errors.As(err, &pe) {
		return errAt(pe.Offset, "invalid capability pattern %q: %s", s, pe.Msg)
	}
	return err
}

// checkSPDX checks the shape of an SPDX license expression: license ids
// (with an optional +) joined by AND, OR and WITH, with parentheses.
func checkSPDX(s string) error {
	toks := spdxTokens(s)
	if len(toks) == 0 {
		return errors.New("empty license expression (expected an SPDX expression such as MIT OR Apache-2.0)")
	}
	depth, wantID := 0, true
	for _, t := range toks {
		switch {
		case t.text == "(":
			if !wantID {
				return errAt(t.at, "invalid SPDX expression: unexpected '('")
			}
			depth++
		case t.text == ")":
			if wantID || depth == 0 {
				return errAt(t.at, "invalid SPDX expression: unexpected ')'")
			}
			depth--
		case t.text == "AND" || t.text == "OR" || t.text == "WITH":
			if wantID {
				return errAt(t.at, "invalid SPDX expression: unexpected %s", t.text)
			}
			wantID = true
		case strings.EqualFold(t.text, "and") || strings.EqualFold(t.text, "or") || strings.EqualFold(t.text, "with") || t.text == "/":
			return errAt(t.at, "invalid SPDX expression: write the operator %q as AND, OR or WITH", t.text)
		default:
			if !wantID {
				return errAt(t.at, "invalid SPDX expression: expected AND, OR or WITH before %q", t.text)
			}
			for i := 0; i < len(t.text); i++ {
				c := t.text[i]
				if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' && i == len(t.text)-1 || c == ':') {
					return errAt(t.at+i, "invalid SPDX expression: unexpected %q in license id %q", c, t.text)
				}
			}
			wantID = false
		}
	}
	if wantID || depth != 0 {
		return errAt(len(s), "invalid SPDX expression: incomplete expression")
	}
	return nil
}

type spdxToken struct {
	text string
	at   int
}

func spdxTokens(s string) []spdxToken {
	var toks []spdxToken
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '(' || c == ')' || c == '/':
			toks = append(toks, spdxToken{s[i : i+1], i})
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t()/", rune(s[j])) {
				j++
			}
			toks = append(toks, spdxToken{s[i:j], i})
			i = j
		}
	}
	return toks
}

// checkOCI checks an OCI reference, which must pin a tag or a digest.
func checkOCI(s string) error {
	if i := strings.Index(s, "://"); i >= 0 {
		return errAt(0, "invalid OCI reference %q: write it without a scheme, as host/repository:tag", s)
	}
	ref, err := registry.ParseReference(s)
	if err != nil {
		return fmt.Errorf("invalid OCI reference %q: %s (expected host/repository:tag or host/repository@sha256:…)", s, orasMsg(err))
	}
	if ref.Reference == "" {
		return fmt.Errorf("OCI reference %q has no tag or digest: add one, as in %s:1.0.0", s, s)
	}
	return nil
}

// orasMsg drops oras's "invalid reference: " prefix, which the messages
// here already say.
func orasMsg(err error) string {
	return strings.TrimPrefix(err.Error(), "invalid reference: ")
}

// parseRegistryLocation splits "host[/prefix]" for [registries].
func parseRegistryLocation(s string) (host, prefix string, err error) {
	if strings.Contains(s, "://") {
		return "", "", errAt(0, "invalid registry %q: write the host without a scheme, as ghcr.io/acme/", s)
	}
	host, prefix, _ = strings.Cut(s, "/")
	if err := checkRegistryHost(host); err != nil {
		return "", "", err
	}
	if prefix, err = normalizePrefix(prefix); err != nil {
		return "", "", errAt(len(host)+1, "%v", err)
	}
	return host, prefix, nil
}

func checkRegistryHost(host string) error {
	if host == "" {
		return errors.New("empty registry host")
	}
	if err := (registry.Reference{Registry: host}).ValidateRegistry(); err != nil {
		return fmt.Errorf("invalid registry host %q", host)
	}
	return nil
}

// normalizePrefix checks a repository prefix and gives it its trailing
// '/', so "acme" and "acme/" both map ns:name to acme/ns/name.
func normalizePrefix(prefix string) (string, error) {
	if prefix == "" {
		return "", nil
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	if err := (registry.Reference{Repository: prefix + "ns/name"}).ValidateRepository(); err != nil {
		return "", fmt.Errorf("invalid repository prefix %q: expected lowercase path components such as acme-corp/", prefix)
	}
	return prefix, nil
}

// parseRemoteCache splits "oci://host/repository".
func parseRemoteCache(s string) (host, repo string, err error) {
	rest, ok := strings.CutPrefix(s, "oci://")
	if !ok {
		return "", "", fmt.Errorf("invalid remote cache %q: expected oci://HOST/REPOSITORY", s)
	}
	ref, perr := registry.ParseReference(rest)
	if perr != nil {
		return "", "", fmt.Errorf("invalid remote cache %q: %s", s, orasMsg(perr))
	}
	if ref.Reference != "" {
		return "", "", fmt.Errorf("invalid remote cache %q: name a repository, without a tag or digest", s)
	}
	return ref.Registry, ref.Repository, nil
}

// parseRunDir parses "HOST::GUEST[:ro]" or "DIR" with the one parser
// `wcomp run --dir` uses too.
func parseRunDir(s string) (Dir, error) {
	g, err := dirgrant.Parse(s)
	var se *dirgrant.SyntaxError
	if errors.As(err, &se) {
		return Dir{}, errAt(se.Offset, "%s", se.Msg)
	}
	if err != nil {
		return Dir{}, err
	}
	return Dir{Host: g.Host, Guest: g.Guest, ReadOnly: g.ReadOnly}, nil
}

// checkVersion checks a package version: a strict semver.
func checkVersion(s string) error {
	return versionreq.CheckVersion(s)
}

// jsFeatures are the features componentize-js can leave out
// (its DEFAULT_FEATURES).
var jsFeatures = []string{"stdio", "random", "clocks", "http", "fetch-event"}

func checkJSFeature(s string) error {
	if slices.Contains(jsFeatures, s) {
		return nil
	}
	hint := ""
	if f := suggest(s, jsFeatures); f != "" {
		hint = fmt.Sprintf("; did you mean %s?", f)
	}
	return fmt.Errorf("unknown componentize-js feature %q%s (expected %s)", s, hint, joinOr(jsFeatures, "or"))
}
