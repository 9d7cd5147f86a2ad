;; Interface names (plain and nested 🪺), resource method names, and name
;; attributes (🏷️ implements, external-id).
(component
  (import "wasi:io/error@0.2.0" (instance $err
    (export "error" (type (sub resource)))
  ))
  (import "a:b:c/d/e@1.0.0-rc.1+build.5" (instance))
  (import "primary" (implements "wasi:keyvalue/store") (instance))
  (import "slugify" (external-id "https://esm.unpkg.com/slugify@1.6.6") (func))
  (import "both" (implements "wasi:keyvalue/store") (external-id "db:region-a") (instance))
  (import "res" (instance
    (export "r" (type $r (sub resource)))
    (export "[constructor]r" (func (result (own $r))))
    (export "[method]r.get-JSON" (func (param "self" (borrow $r)) (result string)))
    (export "[static]r.make" (func (result (own $r))))
  ))
)
