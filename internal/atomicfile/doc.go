// Package atomicfile writes files by filling a temporary file beside the
// target and renaming it into place, so a reader never sees half a file and
// a failed write leaves the old file (or none) behind. Every file wcomp
// writes, including the golden files tests rewrite, goes through it.
package atomicfile
