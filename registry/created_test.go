package registry_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wcomp/wcomp/registry"
)

func TestCreatedTime(t *testing.T) {
	repo := gitRepo(t, "2026-10-01T08:30:00Z")
	sub := filepath.Join(repo, "target", "out")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	plain := t.TempDir()
	tests := []struct {
		name     string
		dir      string
		env      string
		want     time.Time
		wantFrom registry.CreatedFrom
		wantErr  string
	}{
		{"SOURCE_DATE_EPOCH wins over git", repo, "1700000000", time.Unix(1700000000, 0), registry.CreatedFromEnv, ""},
		{"last commit", repo, "", time.Date(2026, 10, 1, 8, 30, 0, 0, time.UTC), registry.CreatedFromGit, ""},
		{"last commit from a subdirectory", sub, "", time.Date(2026, 10, 1, 8, 30, 0, 0, time.UTC), registry.CreatedFromGit, ""},
		{"no repository", plain, "", time.Unix(0, 0), registry.CreatedFromEpoch, ""},
		{"malformed", repo, "yesterday", time.Time{}, "", `SOURCE_DATE_EPOCH="yesterday": want a whole number of seconds`},
		{"negative", repo, "-5", time.Time{}, "", "SOURCE_DATE_EPOCH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "SOURCE_DATE_EPOCH" {
					return tt.env
				}
				return ""
			}
			got, from, err := registry.CreatedTime(context.Background(), tt.dir, getenv)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) || from != tt.wantFrom {
				t.Fatalf("got %v from %s (%v); want %v from %s", got, from, err, tt.want, tt.wantFrom)
			}
		})
	}
}

// gitRepo makes a repository with one commit made at when (RFC 3339).
func gitRepo(t *testing.T, when string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
			"GIT_AUTHOR_DATE="+when, "GIT_COMMITTER_DATE="+when, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("add", "README")
	run("commit", "-q", "-m", "first")
	return dir
}
