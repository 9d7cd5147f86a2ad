package resolve

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// Digest is the sha256: digest of data, the form wcomp.lock records for
// files and downloads.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// checkDigest accepts "sha256:" and 64 lowercase hex digits, or "h1:" and
// a base64 sha256 (dirhash's form), among the prefixes allowed.
func checkDigest(d string, prefixes ...string) error {
	for _, p := range prefixes {
		rest, ok := strings.CutPrefix(d, p)
		if !ok {
			continue
		}
		switch p {
		case "sha256:":
			if len(rest) != 64 || strings.ToLower(rest) != rest {
				return fmt.Errorf("%q: expected sha256: and 64 lowercase hex digits", d)
			}
			if _, err := hex.DecodeString(rest); err != nil {
				return fmt.Errorf("%q: expected sha256: and 64 lowercase hex digits", d)
			}
		case "h1:":
			if b, err := base64.StdEncoding.DecodeString(rest); err != nil || len(b) != sha256.Size {
				return fmt.Errorf("%q: expected h1: and a base64 sha256", d)
			}
		}
		return nil
	}
	return fmt.Errorf("%q: expected a digest starting with %s", d, strings.Join(prefixes, " or "))
}

// sha256Digest normalises a sha256 as a manifest gives it (64 hex digits,
// as wit-deps writes them, or sha256:…) to the sha256: form.
func sha256Digest(s string) (string, error) {
	d := s
	if !strings.HasPrefix(d, "sha256:") {
		d = "sha256:" + d
	}
	d = "sha256:" + strings.ToLower(strings.TrimPrefix(d, "sha256:"))
	if err := checkDigest(d, "sha256:"); err != nil {
		return "", fmt.Errorf("sha256 %q: expected 64 hex digits", s)
	}
	return d, nil
}
