;; An export of a func index past the end of the func index space.
(component
  (import "a" (func))
  (import "b" (func))
  (export "foo" (func 12))
)
