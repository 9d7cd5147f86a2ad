package builder

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// A digest is written "sha256:<64 lowercase hex digits>", as OCI and
// wcomp.lock write them.
const digestPrefix = "sha256:"

// parseDigest returns the hex part of a "sha256:…" digest.
func parseDigest(d string) (string, error) {
	hexPart, ok := strings.CutPrefix(d, digestPrefix)
	if !ok {
		return "", fmt.Errorf("digest %q: expected sha256:<64 hex digits>", d)
	}
	if len(hexPart) != 64 || strings.ToLower(hexPart) != hexPart {
		return "", fmt.Errorf("digest %q: expected sha256: followed by 64 lowercase hex digits", d)
	}
	if _, err := hex.DecodeString(hexPart); err != nil {
		return "", fmt.Errorf("digest %q: expected sha256: followed by 64 lowercase hex digits", d)
	}
	return hexPart, nil
}

// fileDigest returns the "sha256:…" digest of a file's content.
func fileDigest(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("reading %s: %w", path, err)
	}
	return digestPrefix + hex.EncodeToString(h.Sum(nil)), n, nil
}

func bytesDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return digestPrefix + hex.EncodeToString(sum[:])
}
