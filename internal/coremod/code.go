package coremod

import (
	"errors"

	"github.com/wcomp/wcomp/component"
)

// Code is a function body under construction: a sequence of instructions.
// Bytes appends the final `end`. Blocks opened with If must be closed with
// End; Encode reports a body that is not balanced.
type Code struct {
	w     component.Writer
	depth int
	bad   bool
}

func (c *Code) op(b ...byte) *Code {
	c.w.Raw(b)
	return c
}

// Unreachable traps.
func (c *Code) Unreachable() *Code { return c.op(0x00) }

// Return returns from the function with the values on the stack.
func (c *Code) Return() *Code { return c.op(0x0f) }

// Drop discards the top of the stack.
func (c *Code) Drop() *Code { return c.op(0x1a) }

// If opens a block taken when the i32 on the stack is non-zero. With no
// results it is `if` with the empty block type; with one result its type.
func (c *Code) If(results ...ValType) *Code {
	c.depth++
	switch len(results) {
	case 0:
		return c.op(0x04, 0x40)
	case 1:
		return c.op(0x04, byte(results[0]))
	}
	c.bad = true
	return c
}

// Else starts the else arm of the innermost If.
func (c *Code) Else() *Code { return c.op(0x05) }

// End closes the innermost If.
func (c *Code) End() *Code {
	c.depth--
	if c.depth < 0 {
		c.bad = true
	}
	return c.op(0x0b)
}

// LocalGet pushes local i.
func (c *Code) LocalGet(i uint32) *Code { c.op(0x20); c.w.U32(i); return c }

// LocalSet pops into local i.
func (c *Code) LocalSet(i uint32) *Code { c.op(0x21); c.w.U32(i); return c }

// LocalTee stores into local i and keeps the value.
func (c *Code) LocalTee(i uint32) *Code { c.op(0x22); c.w.U32(i); return c }

// GlobalGet pushes global i.
func (c *Code) GlobalGet(i uint32) *Code { c.op(0x23); c.w.U32(i); return c }

// GlobalSet pops into global i.
func (c *Code) GlobalSet(i uint32) *Code { c.op(0x24); c.w.U32(i); return c }

// I32Const pushes v.
func (c *Code) I32Const(v int32) *Code { c.op(0x41); c.w.S64(int64(v)); return c }

// I64Const pushes v.
func (c *Code) I64Const(v int64) *Code { c.op(0x42); c.w.S64(v); return c }

// I32Eqz tests for zero.
func (c *Code) I32Eqz() *Code { return c.op(0x45) }

// I32GtU compares unsigned.
func (c *Code) I32GtU() *Code { return c.op(0x4b) }

// I32Eq compares for equality.
func (c *Code) I32Eq() *Code { return c.op(0x46) }

// I32LtU compares unsigned.
func (c *Code) I32LtU() *Code { return c.op(0x49) }

// I32Shl shifts left.
func (c *Code) I32Shl() *Code { return c.op(0x74) }

// Select pops a condition and two values, and pushes the first if the
// condition is non-zero, else the second.
func (c *Code) Select() *Code { return c.op(0x1b) }

// I32Add adds.
func (c *Code) I32Add() *Code { return c.op(0x6a) }

// I32Sub subtracts.
func (c *Code) I32Sub() *Code { return c.op(0x6b) }

// I32And is bitwise and.
func (c *Code) I32And() *Code { return c.op(0x71) }

// I32ShrU shifts right, unsigned.
func (c *Code) I32ShrU() *Code { return c.op(0x76) }

// MemorySize pushes the size of memory 0 in pages.
func (c *Code) MemorySize() *Code { return c.op(0x3f, 0x00) }

// MemoryGrow grows memory 0 by the pages on the stack; pushes the old
// size, or -1.
func (c *Code) MemoryGrow() *Code { return c.op(0x40, 0x00) }

// MemoryCopy copies (dst, src, n) within memory 0 (bulk memory).
func (c *Code) MemoryCopy() *Code { return c.op(0xfc, 0x0a, 0x00, 0x00) }

func (c *Code) check() error {
	switch {
	case c.bad:
		return errors.New("malformed block structure")
	case c.depth != 0:
		return errors.New("a block is not closed")
	}
	return nil
}

// Bytes returns the body with its final `end`.
func (c *Code) Bytes() []byte {
	out := append([]byte(nil), c.w.Bytes()...)
	return append(out, 0x0b)
}
