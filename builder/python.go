package builder

import (
	"context"
	"path/filepath"
)

var componentizePyTool = tool{
	name:    "componentize-py",
	why:     "to build Python components",
	install: "install it with `pip install componentize-py`",
}

// pythonToolchain builds with componentize-py, as its users run it:
// `componentize-py -d WIT -w WORLD componentize MODULE -o OUT`, from the
// member directory so that MODULE and its imports are found there.
type pythonToolchain struct{}

func (pythonToolchain) resolve(ctx context.Context, j *job) (*resolved, error) {
	exe, err := j.need(componentizePyTool)
	if err != nil {
		return nil, err
	}
	version, err := j.probe(ctx, exe, nil, "--version")
	if err != nil {
		return nil, err
	}
	s := j.spec
	return &resolved{
		version: version,
		command: []string{"componentize-py", "-d", "{wit}", "-w", s.World, "componentize", s.module(), "-o", "{out}"},
		state:   exe,
	}, nil
}

func (pythonToolchain) build(ctx context.Context, j *job, r *resolved) (string, error) {
	s := j.spec
	out := filepath.Join(j.b.scratchDir(s.Name), "component.wasm")
	// No __pycache__ in the user's tree.
	env := j.envWith("PYTHONDONTWRITEBYTECODE", "1")
	err := j.run(ctx, s.workdir(), env, r.state.(string), "-d", s.WIT, "-w", s.World, "componentize", s.module(), "-o", out)
	return out, err
}
