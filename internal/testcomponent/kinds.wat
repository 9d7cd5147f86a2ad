;; One import of each kind a component can have (values aside), and a
;; labelled instance that implements an interface.
(component
  (import "m" (core module
    (import "env" "memory" (memory 1))
    (export "run" (func))))
  (import "c" (component
    (import "x" (func))
    (export "y" (func (result u32)))))
  (import "wasi:io/poll@0.2.0" (instance
    (export "pollable" (type (sub resource)))))
  (import "poll2" (implements "wasi:io/poll@0.2.0") (instance
    (export "pollable" (type (sub resource)))))
  (type $point (record (field "x" s32) (field "y" s32)))
  (import "point" (type $p (eq $point)))
  (type $f (func (param "p" $p) (param "tags" (list string)) (result (option u64))))
  (import "measure" (func (type $f)))
  (export "measure2" (func 0))
)
