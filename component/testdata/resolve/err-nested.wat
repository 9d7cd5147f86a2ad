;; An error inside a nested component, found when it is instantiated.
(component
  (component $c
    (type (list u8))
    (export "x" (func 3))
  )
  (instance (instantiate $c))
)
