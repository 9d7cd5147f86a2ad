;; Instantiating a component without an argument for one of its imports.
(component
  (component $c (import "f" (func)))
  (instance (instantiate $c))
)
