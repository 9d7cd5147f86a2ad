package builder

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// jsDriver is the node script that runs componentize-js, with the npm
// package and lockfile that pin its version (the same versions as
// fixtures/js/package-lock.json).
//
//go:embed jsdriver/componentize.mjs jsdriver/package.json jsdriver/package-lock.json
var jsDriver embed.FS

var (
	nodeTool = tool{
		name:    "node",
		why:     "to run componentize-js",
		install: "install Node.js 18 or later (e.g. `apt-get install nodejs npm`)",
	}
	npmTool = tool{
		name:    "npm",
		why:     "to install componentize-js into wcomp's toolchain cache",
		install: "install npm (e.g. `apt-get install npm`)",
	}
)

// jsToolchain builds with componentize-js through the driver above, which
// wcomp installs once per driver version into toolchains/js/.
type jsToolchain struct{}

type jsState struct{ node string }

func (jsToolchain) resolve(ctx context.Context, j *job) (*resolved, error) {
	node, err := j.need(nodeTool)
	if err != nil {
		return nil, err
	}
	nodeVersion, err := j.probe(ctx, node, nil, "--version")
	if err != nil {
		return nil, err
	}
	pkg, err := jsDriverPackage()
	if err != nil {
		return nil, err
	}
	s := j.spec
	command := []string{"node", "componentize.mjs", s.entry(), "{wit}", s.World, "{out}"}
	if len(s.DisableFeatures) > 0 {
		command = append(command, strings.Join(slices.Sorted(slices.Values(s.DisableFeatures)), ","))
	}
	return &resolved{
		version: fmt.Sprintf("componentize-js %s (wcomp driver %s); node %s", pkg, jsDriverID()[:12], nodeVersion),
		command: command,
		state:   &jsState{node: node},
	}, nil
}

// jsDriverPackage is the componentize-js version the driver pins.
func jsDriverPackage() (string, error) {
	data, err := jsDriver.ReadFile("jsdriver/package.json")
	if err != nil {
		return "", err
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return "", fmt.Errorf("the embedded JS driver's package.json: %w", err)
	}
	return pkg.Dependencies["@bytecodealliance/componentize-js"], nil
}

// jsDriverID is a digest of the driver's files: a new script or lockfile
// installs into a new directory.
func jsDriverID() string {
	var all []byte
	for _, name := range []string{"componentize.mjs", "package.json", "package-lock.json"} {
		data, _ := jsDriver.ReadFile("jsdriver/" + name)
		all = append(all, data...)
	}
	d := bytesDigest(all)
	return strings.TrimPrefix(d, digestPrefix)
}

// installJSDriver returns the driver's directory, running `npm ci` there
// on first use.
func (j *job) installJSDriver(ctx context.Context) (string, error) {
	pkg, err := jsDriverPackage()
	if err != nil {
		return "", err
	}
	return j.toolchainDir(ctx, "js/"+jsDriverID()[:16], "componentize-js "+pkg+" (npm)", func(dir string) error {
		npm, err := j.need(npmTool)
		if err != nil {
			return err
		}
		for _, name := range []string{"componentize.mjs", "package.json", "package-lock.json"} {
			data, _ := jsDriver.ReadFile("jsdriver/" + name)
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				return err
			}
		}
		// No install scripts: none of the pinned packages has one, and
		// a toolchain cache should not run code at install time.
		args := []string{npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", "--prefer-offline"}
		if j.b.opts.Offline {
			args = append(args, "--offline")
		}
		return j.run(ctx, dir, j.envWith("npm_config_update_notifier", "false"), args...)
	})
}

func (jsToolchain) build(ctx context.Context, j *job, r *resolved) (string, error) {
	s := j.spec
	entry := filepath.Join(s.Dir, s.entry())
	if _, err := os.Stat(entry); err != nil {
		return "", fmt.Errorf("entry %s not found: set entry in the member's table to its JavaScript module", s.entry())
	}
	driver, err := j.installJSDriver(ctx)
	if err != nil {
		return "", err
	}
	out := filepath.Join(j.b.scratchDir(s.Name), "component.wasm")
	args := []string{r.state.(*jsState).node, filepath.Join(driver, "componentize.mjs"), entry, s.WIT, s.World, out}
	if len(s.DisableFeatures) > 0 {
		args = append(args, strings.Join(s.DisableFeatures, ","))
	}
	return out, j.run(ctx, s.workdir(), j.env, args...)
}
