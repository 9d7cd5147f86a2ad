// Package mmapfile opens a file read-only as a byte slice backed by a
// memory map, so reading an 18 MB component costs no copy: composing reads
// only the component-level sections of each input, and the pages holding
// core code are never touched, because Writer hands whole input files to
// the kernel to copy file to file (whole, or the ranges of a member
// written with shared modules).
//
// On systems without mmap (build tag !unix) the file is read into memory
// instead; callers see the same API.
//
// A mapped file must not be truncated by another process while mapped:
// reading past its new end would fault. wcomp maps only its inputs, for the
// few milliseconds a command runs.
package mmapfile
