package component

// canonShape lists, in binary order, the immediates a canon op carries
// after its opcode. Decoding and encoding both walk it, so the two cannot
// disagree.
type canonShape uint8

const (
	shapeInvalid canonShape = iota // not a canon opcode
	shapeNone
	shapeLift           // 0x00 f opts ft
	shapeLower          // 0x00 f opts
	shapeType           // t
	shapeTypeOpts       // t opts
	shapeTypeFlag       // t async?
	shapeFlag           // async?
	shapeReserved       // a reserved 0x00 (once cancel?)
	shapeOpts           // opts
	shapeResultOpts     // resultlist opts
	shapeContext        // core:valtype u32
	shapeReservedMemory // a reserved 0x00 (once cancel?), m
	shapeCoreType       // ft
	shapeCoreTypeTable  // ft tbl
)

var canonShapes = [256]canonShape{
	CanonLift:                     shapeLift,
	CanonLower:                    shapeLower,
	CanonResourceNew:              shapeType,
	CanonResourceDrop:             shapeType,
	CanonResourceRep:              shapeType,
	CanonBackpressureInc:          shapeNone,
	CanonBackpressureDec:          shapeNone,
	CanonTaskReturn:               shapeResultOpts,
	CanonTaskCancel:               shapeNone,
	CanonContextGet:               shapeContext,
	CanonContextSet:               shapeContext,
	CanonSubtaskCancel:            shapeFlag,
	CanonSubtaskDrop:              shapeNone,
	CanonStreamNew:                shapeType,
	CanonStreamRead:               shapeTypeOpts,
	CanonStreamWrite:              shapeTypeOpts,
	CanonStreamCancelRead:         shapeTypeFlag,
	CanonStreamCancelWrite:        shapeTypeFlag,
	CanonStreamDropReadable:       shapeType,
	CanonStreamDropWritable:       shapeType,
	CanonStreamForward:            shapeType,
	CanonFutureNew:                shapeType,
	CanonFutureRead:               shapeTypeOpts,
	CanonFutureWrite:              shapeTypeOpts,
	CanonFutureCancelRead:         shapeTypeFlag,
	CanonFutureCancelWrite:        shapeTypeFlag,
	CanonFutureDropReadable:       shapeType,
	CanonFutureDropWritable:       shapeType,
	CanonFutureForward:            shapeType,
	CanonErrorContextNew:          shapeOpts,
	CanonErrorContextDebugMessage: shapeOpts,
	CanonErrorContextDrop:         shapeNone,
	CanonWaitableSetNew:           shapeNone,
	CanonWaitableSetWait:          shapeReservedMemory,
	CanonWaitableSetPoll:          shapeReservedMemory,
	CanonWaitableSetDrop:          shapeNone,
	CanonWaitableJoin:             shapeNone,
	CanonThreadIndex:              shapeNone,
	CanonThreadNewIndirect:        shapeCoreTypeTable,
	CanonThreadResumeLater:        shapeNone,
	CanonThreadSuspend:            shapeReserved,
	CanonThreadYield:              shapeReserved,
	CanonThreadSuspendThenResume:  shapeReserved,
	CanonThreadYieldThenResume:    shapeReserved,
	CanonThreadSuspendThenPromote: shapeReserved,
	CanonThreadYieldThenPromote:   shapeReserved,
	// wasm-tools encodes the 🧵② ops without the shared? byte that
	// Binary.md shows; we follow the binaries that exist.
	CanonThreadSpawnRef:         shapeCoreType,
	CanonThreadSpawnIndirect:    shapeCoreTypeTable,
	CanonThreadAvailParallelism: shapeNone,
}

func (r *reader) canon() (Canon, error) {
	off := r.off
	b, err := r.byte("canonical definition")
	if err != nil {
		return Canon{}, err
	}
	c := Canon{Op: CanonOp(b)}
	shape := canonShapes[c.Op]
	if shape == shapeInvalid {
		return Canon{}, r.bad(off, "canonical definition opcode", b)
	}
	switch shape {
	case shapeNone:
	case shapeLift, shapeLower:
		off := r.off
		s, err := r.byte("func sort")
		if err != nil {
			return Canon{}, err
		}
		if s != 0x00 {
			return Canon{}, r.bad(off, "func sort 0x00", s)
		}
		if c.Func, err = r.u32("function index"); err != nil {
			return Canon{}, err
		}
		if c.Options, err = r.canonOpts(); err != nil {
			return Canon{}, err
		}
		if shape == shapeLift {
			c.Type, err = r.u32("function type index")
		}
	case shapeType:
		c.Type, err = r.u32("type index")
	case shapeTypeOpts:
		if c.Type, err = r.u32("type index"); err == nil {
			c.Options, err = r.canonOpts()
		}
	case shapeTypeFlag:
		if c.Type, err = r.u32("type index"); err == nil {
			c.Flag, err = r.flag("async?")
		}
	case shapeFlag:
		c.Flag, err = r.flag("async?")
	case shapeReserved:
		err = r.retiredCancel()
	case shapeOpts:
		c.Options, err = r.canonOpts()
	case shapeResultOpts:
		if c.Result, err = r.resultList(); err == nil {
			c.Options, err = r.canonOpts()
		}
	case shapeContext:
		off := r.off
		if c.CoreValType, err = r.byte("core value type"); err != nil {
			return Canon{}, err
		}
		if c.CoreValType < 0x7b || c.CoreValType > 0x7f {
			return Canon{}, r.bad(off, "numeric core value type", c.CoreValType)
		}
		c.Imm, err = r.u32("context slot")
	case shapeReservedMemory:
		if err = r.retiredCancel(); err == nil {
			c.Memory, err = r.u32("memory index")
		}
	case shapeCoreType:
		c.CoreType, err = r.u32("core type index")
	case shapeCoreTypeTable:
		if c.CoreType, err = r.u32("core type index"); err == nil {
			c.Table, err = r.u32("table index")
		}
	}
	return c, err
}

// retiredCancel reads the byte that was the `cancellable` immediate of the
// waitable-set and thread built-ins until WebAssembly/component-model#716
// made cancellation always deliverable; it is a reserved 0x00 now.
// Accepting the old 0x01 would give a component whose meaning changed
// silently, so it is refused, as wasm-tools refuses it.
func (r *reader) retiredCancel() error {
	off := r.off
	b, err := r.byte("reserved byte")
	if err != nil || b == 0 {
		return err
	}
	return r.errorf(off, "expected a reserved 0x00, found 0x%02x: this was the `cancellable` immediate, retired by WebAssembly/component-model#716 (cancellation is now always delivered); rebuild the component with a current toolchain", b)
}

// canonOptHasIndex reports whether a canonopt carries an index immediate.
func canonOptHasIndex(k CanonOptionKind) bool {
	switch k {
	case OptMemory, OptRealloc, OptPostReturn, OptCallback, OptCoreType:
		return true
	}
	return false
}

func (r *reader) canonOpts() ([]CanonOption, error) {
	return vec(r, "canonical option", 1, func(r *reader) (CanonOption, error) {
		off := r.off
		b, err := r.byte("canonical option")
		if err != nil {
			return CanonOption{}, err
		}
		o := CanonOption{Kind: CanonOptionKind(b)}
		if b > byte(OptGC) {
			return CanonOption{}, r.bad(off, "canonical option", b)
		}
		if canonOptHasIndex(o.Kind) {
			o.Index, err = r.u32("canonical option index")
		}
		return o, err
	})
}
