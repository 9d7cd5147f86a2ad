;; Every value type, through an imported instance and exported type names.
(component
  (type $point (record (field "x" s32) (field "y" s32)))
  (type $shape (variant (case "circle" f32) (case "rect" (tuple f64 f64)) (case "none")))
  (type $perms (flags "read" "write" "exec"))
  (type $color (enum "red" "green" "blue"))
  (export $point' "point" (type $point))
  (export $shape' "shape" (type $shape))
  (export $perms' "perms" (type $perms))
  (export $color' "color" (type $color))
  (import "all" (instance
    (export "prims" (func
      (param "a" bool) (param "b" s8) (param "c" u8) (param "d" s16) (param "e" u16)
      (param "f" s32) (param "g" u32) (param "h" s64) (param "i" u64)
      (param "j" f32) (param "k" f64) (param "l" char) (param "m" string)))
    (export "lists" (func (param "a" (list u8)) (param "b" (list (list string))) (result (list (tuple u8 string)))))
    (export "options" (func (param "a" (option u32)) (result (option (option string)))))
    (export "results" (func
      (param "a" (result)) (param "b" (result u32)) (param "c" (result (error string)))
      (result (result u32 (error string)))))
    (export "async-types" (func (param "s" (stream u8)) (param "t" (stream)) (param "f" (future string)) (param "g" (future)) (result error-context)))
  ))
  (import "uses-names" (instance
    (alias outer 1 $point (type $p))
    (alias outer 1 $shape (type $s))
    (alias outer 1 $perms (type $f))
    (alias outer 1 $color (type $c))
    (export "point" (type $p2 (eq $p)))
    (export "shape" (type $s2 (eq $s)))
    (export "perms" (type $f2 (eq $f)))
    (export "color" (type $c2 (eq $c)))
    (export "f" (func (param "p" $p2) (param "s" $s2) (param "perms" $f2) (result $c2)))
  ))
)
