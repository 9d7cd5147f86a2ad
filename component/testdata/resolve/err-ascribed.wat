;; An export whose ascribed func type differs from the item's.
(component
  (import "f" (func $f (param "a" u32)))
  (export "g" (func $f) (func (param "a" string)))
)
