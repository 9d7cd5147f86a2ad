;; Smallest composition in which one component passes a resource handle to
;; another: $provider defines resource "thing" and exports a function that
;; takes a HANDLE of it; $user imports that function and lowers it, so
;; Wasmtime must generate a fused adapter between the two instances.
;;
;; HANDLE is replaced by the test with "borrow" or "own". Wasmtime 43-45
;; without concurrency support (the libwasmtime.a bundled in wasmtime-go
;; v44) generates an invalid adapter for "borrow" and fails to compile it;
;; "own" compiles. See doc.go, "Known Wasmtime bug".
(component
  (component $provider
    (type $thing (resource (rep i32)))
    (export $thing-export "thing" (type $thing))
    (core module $impl
      (func (export "touch") (param i32)))
    (core instance $impl-instance (instantiate $impl))
    (func (export "touch") (param "it" (HANDLE $thing-export))
      (canon lift (core func $impl-instance "touch"))))
  (component $user
    (import "provider" (instance $provider
      (export "thing" (type $thing (sub resource)))
      (export "touch" (func (param "it" (HANDLE $thing))))))
    (core func $touch (canon lower (func $provider "touch")))
    (core module $calls
      (import "provider" "touch" (func (param i32))))
    (core instance (instantiate $calls
      (with "provider" (instance (export "touch" (func $touch)))))))
  (instance $provided (instantiate $provider))
  (instance (instantiate $user (with "provider" (instance $provided)))))
