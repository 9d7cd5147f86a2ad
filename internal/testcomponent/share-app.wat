;; The root of TestShareEdgeCases. It holds, besides its own code:
;;  - core modules 0 and 1, identical to each other and to lib's plain
;;    `inc` module: stored once, three outer aliases;
;;  - core module 2, lib's `inc` but for a custom section: kept here;
;;  - $twice, a self-contained nested component lib holds too: stored
;;    once (with the module inside it);
;;  - $adder, a nested component lib holds too, but not self-contained
;;    (it aliases this component's type $fn): kept in place, while the
;;    module inside it, two levels down, is stored once.
;; compute() = inc(inc(inc(add3(double(get()))))) with lib's get() = 12: 30.
(component
  (type $fn (func (param "x" u32) (result u32)))
  (import "test:share/num" (instance $num (export "get" (func (result u32)))))
  (core module (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
  (core module (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add))
  (core module (func (export "inc") (param i32) (result i32) local.get 0 i32.const 1 i32.add)
    (@custom "note" "app"))
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
  (alias export $t "double" (func $double))
  (alias export $a "add3" (func $add3))
  (core func $get-low (canon lower (func $num "get")))
  (core func $double-low (canon lower (func $double)))
  (core func $add3-low (canon lower (func $add3)))
  (core instance $i0 (instantiate 0))
  (core instance $i1 (instantiate 1))
  (core instance $i2 (instantiate 2))
  (core module $main
    (import "env" "get" (func $get (result i32)))
    (import "env" "double" (func $double (param i32) (result i32)))
    (import "env" "add3" (func $add3 (param i32) (result i32)))
    (import "a" "inc" (func $a (param i32) (result i32)))
    (import "b" "inc" (func $b (param i32) (result i32)))
    (import "c" "inc" (func $c (param i32) (result i32)))
    (func (export "compute") (result i32)
      call $get call $double call $add3 call $a call $b call $c))
  (core instance $env (export "get" (func $get-low)) (export "double" (func $double-low)) (export "add3" (func $add3-low)))
  (core instance $run (instantiate $main
    (with "env" (instance $env)) (with "a" (instance $i0)) (with "b" (instance $i1)) (with "c" (instance $i2))))
  (func (export "compute") (result u32) (canon lift (core func $run "compute"))))
