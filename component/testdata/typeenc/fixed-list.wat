;; Fixed-size lists (list<T, N>), named and anonymous.
;; wasmtime: no (the fixed-length lists feature is off in the embedded engine)
(component
  (import "test:fixed/api" (instance
    (type $m (list f32 16))
    (export "matrix" (type $mx (eq $m)))
    (export "scale" (func (param "m" $mx) (param "k" (list u8 4)) (result (list $mx 2))))
  ))
)
