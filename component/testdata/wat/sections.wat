;; Every kind of section: core modules, core instances (instantiated and
;; inline), core types, nested components, instances (instantiated and
;; inline), aliases of every kind, canon lift/lower/resource builtins,
;; imports, exports with ascription, and a custom section (the name section).
(component $top
  (core type $ct (func (param i32) (result i32)))
  (core rec (type $s (struct (field i32) (field (mut i64)))) (type $a (array (mut i8))))
  (core type $sub (sub (func)))
  (core type $subf (sub final (func)))
  (core type $refs (func (param funcref externref (ref null $ct) (ref $ct) anyref) (result i31ref)))
  (import "host" (instance $host
    (export "log" (func (param "msg" string)))
  ))
  (alias export $host "log" (func $log))
  (core module $libc
    (memory (export "memory") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
  )
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (core func $realloc (alias core export $libc "realloc"))
  (core func $log-lowered (canon lower (func $log) (memory $mem) (realloc $realloc) string-encoding=utf8))
  (core instance $env (export "log" (func $log-lowered)))
  (core module $main
    (import "env" "log" (func (param i32 i32)))
    (func (export "run") (param i32) (result i32) local.get 0)
    (func (export "post") (param i32))
    (func (export "dtor") (param i32))
  )
  (core instance $main (instantiate $main (with "env" (instance $env))))
  (type $run-ty (func (param "n" u32) (result u32)))
  (func $run (type $run-ty) (canon lift (core func $main "run") (post-return (core func $main "post"))))
  (type $r (resource (rep i32) (dtor (core func $main "dtor"))))
  (core func (canon resource.new $r))
  (core func (canon resource.drop $r))
  (core func (canon resource.rep $r))
  (component $inner
    (import "run" (func $r (param "n" u32) (result u32)))
    (export "again" (func $r))
  )
  (instance $inner (instantiate $inner (with "run" (func $run))))
  (alias export $inner "again" (func $again))
  (instance $bundle (export "run" (func $run)) (export "again" (func $again)))
  (component $outer-alias
    (alias outer $top $run-ty (type $t))
    (import "f" (func (type $t)))
  )
  (export "run" (func $run) (func (type $run-ty)))
  (export "bundle" (instance $bundle))
  (export "comp" (component $outer-alias))
  (export "lib" (core module $libc))
)
