;; The plug of TestShareEdgeCases (see share-app.wat): the same plain `inc`
;; module, `inc` with another custom section, and the same nested
;; components $twice and $adder (instantiated but not called: get() =
;; inc(inc'(10)) = 12).
(component
  (type $fn (func (param "x" u32) (result u32)))
  (core module (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
  (core module (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
    (@custom "note" "lib"))
  (component $twice
    (core module $m (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul))
    (core instance $i (instantiate $m))
    (func (export "double") (param "x" u32) (result u32) (canon lift (core func $i "double"))))
  (component $adder
    (alias outer 1 $fn (type $f))
    (core module $m (func (export "add3") (param i32) (result i32) local.get 0 i32.const 3 i32.add))
    (core instance $i (instantiate $m))
    (func (export "add3") (type $f) (canon lift (core func $i "add3"))))
  (instance $t (instantiate $twice))
  (instance $a (instantiate $adder))
  (core instance $i0 (instantiate 0))
  (core instance $i1 (instantiate 1))
  (core module $main
    (import "a" "inc" (func $a (param i32) (result i32)))
    (import "b" "inc" (func $b (param i32) (result i32)))
    (func (export "get") (result i32)
      i32.const 10 call $b call $a))
  (core instance $run (instantiate $main (with "a" (instance $i0)) (with "b" (instance $i1))))
  (func $get (result u32) (canon lift (core func $run "get")))
  (instance $num (export "get" (func $get)))
  (export "test:share/num" (instance $num)))
