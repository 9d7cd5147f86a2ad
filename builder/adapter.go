package builder

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/wcomp/wcomp/internal/atomicfile"
)

// The WASI preview 1 adapters come from Wasmtime's crate
// wasi-preview1-component-adapter-provider at a pinned version, fetched
// with cargo (crates.io is reachable wherever Rust is) and checked against
// these digests before they enter the cache.
const (
	adapterCrate   = "wasi-preview1-component-adapter-provider"
	adapterVersion = "49.0.3"
)

// adapterDigests are the crate's artefacts at adapterVersion.
var adapterDigests = map[string]string{
	"reactor": "sha256:79fa20ff8d49f1aba13d25af4fd616a1431028fff954b2927e55fcac4fefd6e3",
	"command": "sha256:5fa17adc6c9585b9782955ccab376ed93ea3d2bfd41ed6e32b496736c9897a89",
}

// adapterLabel is how toolchain version strings name the adapters.
const adapterLabel = "wasi-preview1 adapter " + adapterVersion

// adapter returns the path of the "reactor" or "command" adapter in the
// cache, installing both on first use.
func (j *job) adapter(ctx context.Context, kind string) (string, error) {
	dir, err := j.toolchainDir(ctx, "adapters/"+adapterVersion, adapterCrate+" "+adapterVersion+" (cargo)", func(tmp string) error {
		src, err := j.crateSource(ctx, adapterCrate, adapterVersion)
		if err != nil {
			return err
		}
		for k, want := range adapterDigests {
			from := filepath.Join(src, "artefacts", "wasi_snapshot_preview1."+k+".wasm")
			got, _, err := fileDigest(from)
			if err != nil {
				return err
			}
			if got != want {
				return fmt.Errorf("%s: digest %s, expected %s", from, got, want)
			}
			if err := copyFile(from, filepath.Join(tmp, k+".wasm")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, kind+".wasm"), nil
}

// componentize turns what a toolchain produced into the component at out:
// a component is copied as is; a core module gets its world embedded (when
// it has none and the member names one) and is wrapped with the WASI
// adapter it needs: command when it exports _start, reactor otherwise.
// It returns the adapter used, or "".
func (b *Builder) componentize(ctx context.Context, j *job, produced, out string) (string, error) {
	spec := j.spec
	data, err := os.ReadFile(produced)
	if err != nil {
		return "", fmt.Errorf("the build left no artifact: %w", err)
	}
	kind, what := wasmKind(data)
	switch kind {
	case "component":
		return "", copyInto(produced, out)
	case "other":
		return "", fmt.Errorf("artifact %s is %s; expected a component (or a core module to wrap)", relToDir(spec, produced), what)
	}
	info, err := readModule(data)
	if err != nil {
		return "", fmt.Errorf("artifact %s is a core module that cannot be read: %w", relToDir(spec, produced), err)
	}
	wasmTools, err := j.need(wasmToolsTool)
	if err != nil {
		return "", err
	}
	in := produced
	if !info.hasComponentType() {
		if spec.WIT == "" || spec.World == "" {
			return "", fmt.Errorf("artifact %s is a core module with no component type in it (no component-type custom section), so wcomp cannot wrap it: generate its bindings with wit-bindgen, or give the member a WIT world to embed", relToDir(spec, produced))
		}
		in = filepath.Join(b.scratchDir(spec.Name), "embedded.wasm")
		if err := j.run(ctx, b.scratchDir(spec.Name), j.env, wasmTools, "component", "embed", spec.WIT, "--world", spec.World, produced, "-o", in); err != nil {
			return "", fmt.Errorf("embedding world %s into core module %s: %w", spec.World, relToDir(spec, produced), err)
		}
	}
	args := []string{wasmTools, "component", "new", in}
	adapterKind := ""
	if info.importModules["wasi_snapshot_preview1"] {
		adapterKind = "reactor"
		if info.exports["_start"] {
			adapterKind = "command"
		}
		adapter, err := j.adapter(ctx, adapterKind)
		if err != nil {
			return "", err
		}
		args = append(args, "--adapt", "wasi_snapshot_preview1="+adapter)
	}
	tmp := out + ".new"
	defer os.Remove(tmp)
	if err := j.run(ctx, filepath.Dir(out), j.env, append(args, "-o", tmp)...); err != nil {
		how := "without an adapter (it imports no WASI preview 1)"
		if adapterKind != "" {
			how = "with the WASI " + adapterKind + " adapter"
		}
		if others := otherImports(info); len(others) > 0 {
			how += "; it imports from " + strings.Join(others, ", ") + ", which no adapter provides"
		}
		return "", fmt.Errorf("wrapping core module %s into a component %s: %w", relToDir(spec, produced), how, err)
	}
	return adapterKind, os.Rename(tmp, out)
}

// otherImports lists the import modules that are neither WASI preview 1
// nor the component model's own ($root and [export]… names that
// wit-bindgen uses for the world's interfaces contain a ':' or a '$').
func otherImports(info *moduleInfo) []string {
	var others []string
	for m := range info.importModules {
		if m == "wasi_snapshot_preview1" || strings.ContainsAny(m, ":$[") {
			continue
		}
		others = append(others, m)
	}
	slices.Sort(others)
	return others
}

// copyInto copies src to dst atomically.
func copyInto(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(dst, func(f *os.File) error {
		_, err := io.Copy(f, in)
		return err
	})
}
