package registry

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// CreatedFrom says where CreatedTime found its time.
type CreatedFrom string

const (
	CreatedFromEnv   CreatedFrom = "SOURCE_DATE_EPOCH"
	CreatedFromGit   CreatedFrom = "git"
	CreatedFromEpoch CreatedFrom = "epoch"
)

// CreatedTime is the `created` time of an artifact built from dir, chosen
// so that publishing the same inputs twice gives the same digest:
//
//  1. SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/),
//     seconds since the Unix epoch; a malformed value is an error;
//  2. else the committer time of HEAD in the git repository holding dir;
//  3. else the Unix epoch itself, as ko and jib do for images: a fixed time
//     is better than the clock, which would make every push unique.
//
// getenv is os.Getenv in production.
func CreatedTime(ctx context.Context, dir string, getenv func(string) string) (time.Time, CreatedFrom, error) {
	if s := getenv("SOURCE_DATE_EPOCH"); s != "" {
		secs, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || secs < 0 {
			return time.Time{}, "", fmt.Errorf("SOURCE_DATE_EPOCH=%q: want a whole number of seconds since 1970-01-01 UTC", s)
		}
		return time.Unix(secs, 0).UTC(), CreatedFromEnv, nil
	}
	if t, ok := lastCommitTime(ctx, dir); ok {
		return t, CreatedFromGit, nil
	}
	return time.Unix(0, 0).UTC(), CreatedFromEpoch, nil
}

// lastCommitTime is the committer time of HEAD in the repository holding
// dir; false when dir is not in a repository, it has no commits, or git is
// not installed.
func lastCommitTime(ctx context.Context, dir string) (time.Time, bool) {
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "log", "-1", "--format=%ct", "HEAD")
	cmd.Env = append(cmd.Environ(), "LC_ALL=C", "GIT_OPTIONAL_LOCKS=0")
	out, err := cmd.Output()
	if err != nil {
		return time.Time{}, false
	}
	secs, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(secs, 0).UTC(), true
}
