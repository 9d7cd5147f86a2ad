;; Plain functions: imported, lifted from a core module, re-exported.
(component
  (import "log" (func $log (param "msg" string)))
  (import "add" (func $add (param "a" u32) (param "b" u32) (result u32)))
  (core module $m
    (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
    (func (export "noop"))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "double" (core func $double))
  (alias core export $i "noop" (core func $noop))
  (func $d (param "x" u32) (result u32) (canon lift (core func $double)))
  (func $n (canon lift (core func $noop)))
  (core func $add-lowered (canon lower (func $add)))
  (export "double" (func $d))
  (export "noop" (func $n))
  (export "add-again" (func $add))
)
