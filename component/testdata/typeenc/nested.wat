;; A component type import (with its own instance imports and exported
;; resources) and a nested instance export.
;; wasmtime: no (Wasmtime does not accept root-level component imports; the whole-type check covers it)
(component
  (import "plugin" (component
    (import "host" (instance $h
      (export "handle" (type $hd (sub resource)))
      (export "get" (func (result (own $hd))))
    ))
    (alias export $h "handle" (type $handle))
    (import "use-handle" (func (param "h" (borrow $handle))))
    (export "api" (instance
      (export "session" (type $ss (sub resource)))
      (export "open" (func (param "name" string) (result (own $ss))))
      (export "inner" (instance
        (export "ping" (func))
      ))
    ))
  ))
)
