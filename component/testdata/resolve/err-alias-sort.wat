;; An alias of an instance export under the wrong sort.
(component
  (import "i" (instance (export "t" (type (sub resource)))))
  (alias export 0 "t" (func))
)
