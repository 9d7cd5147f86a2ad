;; Value imports, value definitions and a start function (🪙).
(component
  (import "v" (value $v string))
  (import "f" (func $f (param "x" string) (result u32)))
  (start $f (value $v) (result (value $r)))
  (export "r" (value $r))
)
