package registry

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A malformed Docker config must not fail a client that never needs a
// stored login (every `wcomp build` makes one), only the lookup itself.
func TestBrokenDockerConfigFailsOnlyTheLookup(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
	c, err := NewClient(Options{})
	if err != nil {
		t.Fatalf("NewClient with a broken Docker config: %v", err)
	}
	_, err = c.credential(context.Background(), "registry.example:5000")
	if err == nil || !strings.Contains(err.Error(), "reading Docker's credential configuration") {
		t.Fatalf("credential lookup: got %v, want the Docker config error", err)
	}
	err = c.Logout(context.Background(), "registry.example:5000")
	if err == nil || !strings.Contains(err.Error(), "reading Docker's credential configuration") {
		t.Fatalf("Logout: got %v, want the Docker config error", err)
	}
}
