package builder

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
)

var shTool = tool{
	name:    "sh",
	why:     "to run the build command",
	install: "install a POSIX shell, or give build.command as a list",
}

// customCommand runs the member's own build command: any command that
// writes a component (or a core module, which is then wrapped) at the
// artifact path. For a language member with build.command set, lang is
// that language's toolchain; its version still goes into the fingerprint
// when its tools are there, and Rust still finds the artifact from cargo
// metadata when none is given.
type customCommand struct {
	lang toolchain
}

// artifactFinder is implemented by toolchains that know where a custom
// command of theirs leaves its output.
type artifactFinder interface {
	defaultArtifact(ctx context.Context, j *job, r *resolved) (string, error)
}

type customState struct {
	argv []string
	lang *resolved // nil when the language's tools are not all there
}

func (c customCommand) resolve(ctx context.Context, j *job) (*resolved, error) {
	argv := j.spec.Command.argv()
	if j.spec.Command.Script != "" {
		if _, err := j.need(shTool); err != nil {
			return nil, err
		}
	}
	st := &customState{argv: argv}
	r := &resolved{command: argv, state: st}
	if c.lang != nil {
		lr, err := c.lang.resolve(ctx, j)
		var missing *MissingToolError
		switch {
		case errors.As(err, &missing):
			// The command may bring its own tools.
		case err != nil:
			return nil, err
		default:
			st.lang, r.version = lr, lr.version
		}
	}
	if _, finds := c.lang.(artifactFinder); j.spec.Artifact == "" && !finds {
		return nil, fmt.Errorf("%s: build.command is set, so wcomp cannot know where the component is: set artifact to the path the command writes", j.spec.label())
	}
	return r, nil
}

func (c customCommand) build(ctx context.Context, j *job, r *resolved) (string, error) {
	s := j.spec
	st := r.state.(*customState)
	if err := j.run(ctx, s.workdir(), j.env, st.argv...); err != nil {
		return "", err
	}
	if s.Artifact != "" {
		return filepath.Join(s.Dir, s.Artifact), nil
	}
	if st.lang == nil {
		return "", fmt.Errorf("build.command is set and the %s toolchain that would find its output is not installed: set artifact to the path the command writes", s.Language)
	}
	return c.lang.(artifactFinder).defaultArtifact(ctx, j, st.lang)
}
