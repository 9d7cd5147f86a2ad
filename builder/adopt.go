package builder

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wcomp/wcomp/internal/atomicfile"
)

// Check computes the member's fingerprint and reports whether its last
// build still holds, without building anything: the driver asks it before
// looking a stale member up in the shared build cache.
func (b *Builder) Check(ctx context.Context, spec Spec) (fp *Fingerprint, fresh bool, err error) {
	if err := spec.check(); err != nil {
		return nil, false, err
	}
	_, fp, err = b.fingerprint(ctx, b.newJob(&spec), b.toolchain(&spec))
	if err != nil {
		return nil, false, err
	}
	prev, err := b.loadFingerprint(spec.Name)
	if err != nil {
		return nil, false, err
	}
	_, fresh = b.fresh(&spec, prev, fp)
	return fp, fresh && !b.opts.Force, nil
}

// Adopt makes file, a component built elsewhere from the inputs fp
// describes (the shared build cache's entry under fp.Inputs), the
// member's output, as if it had been built here: members/NAME.wasm is
// written and the fingerprint recorded, so the next build finds the
// member fresh. The copy is checked against digest as it is written and
// must be a component; anything else is an error and leaves the member's
// state as it was.
func (b *Builder) Adopt(ctx context.Context, spec Spec, fp *Fingerprint, file, digest string) (*Result, error) {
	start := time.Now()
	if err := spec.check(); err != nil {
		return nil, err
	}
	if fp == nil || fp.Member != spec.Name {
		return nil, fmt.Errorf("%s: adopting needs the member's own fingerprint", spec.label())
	}
	out := b.OutputPath(spec.Name)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, err
	}
	var size int64
	err := atomicfile.Write(out, func(w *os.File) error {
		in, err := os.Open(file)
		if err != nil {
			return err
		}
		defer in.Close()
		head := make([]byte, 8)
		if n, err := io.ReadFull(in, head); err == io.EOF || err == io.ErrUnexpectedEOF {
			return fmt.Errorf("%s is not a component: it has only %d bytes", file, n)
		} else if err != nil {
			return fmt.Errorf("reading %s: %w", file, err)
		}
		if kind, describe := wasmKind(head); kind != "component" {
			if describe == "" {
				describe = "a core module"
			}
			return fmt.Errorf("%s is not a component: %s", file, describe)
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(w, h), io.MultiReader(bytes.NewReader(head), in))
		if err != nil {
			return err
		}
		if got := digestPrefix + hex.EncodeToString(h.Sum(nil)); got != digest {
			return fmt.Errorf("%s has digest %s, expected %s", file, got, digest)
		}
		size = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: adopting a cached build: %w", spec.label(), err)
	}
	res := &Result{Member: spec.Name, Path: out, Digest: digest, Size: size, Toolchain: fp.Toolchain, Inputs: fp.Inputs}
	if err := b.record(&spec, fp, res); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}
