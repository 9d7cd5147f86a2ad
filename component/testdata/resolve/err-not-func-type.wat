;; A func import whose type index names a value type.
(component
  (type (list u8))
  (import "f" (func (type 0)))
)
