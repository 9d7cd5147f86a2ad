;; A composition shaped like wcomp's and wac's: two members, one of which
;; is itself a composition, sharing imported interfaces; a wasi:io/error
;; that the leaves only need for wasi:io/streams' types; a world-level
;; function import; a member linked to another's export; a nested shim
;; (given only types and its component's own functions) that is not a
;; member; and an import nobody uses.
(component
  (import "wasi:io/error@0.2.0" (instance $error (export "error" (type (sub resource)))))
  (alias export $error "error" (type $error-t))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (alias outer 1 $error-t (type $e))
    (export "error" (type (eq $e)))
    (export "output-stream" (type $out (sub resource)))
    (type $os (borrow $out))
    (export "[method]output-stream.flush" (func (param "self" $os)))))
  (import "log" (func $log (param "level" u32)))
  (import "example:unused/thing" (instance (export "f" (func))))

  ;; A leaf: it calls streams' flush, needs error only for streams' types.
  (component $writer
    (import "wasi:io/error@0.2.0" (instance $error (export "error" (type (sub resource)))))
    (alias export $error "error" (type $error-t))
    (import "wasi:io/streams@0.2.0" (instance $streams
      (alias outer 1 $error-t (type $e))
      (export "error" (type (eq $e)))
      (export "output-stream" (type $out (sub resource)))
      (type $os (borrow $out))
      (export "[method]output-stream.flush" (func (param "self" $os)))))
    (alias export $streams "[method]output-stream.flush" (func $flush))
    (core func $flush-core (canon lower (func $flush)))
    (core module $m (import "s" "flush" (func (param i32))) (func (export "run") (result i32) i32.const 7))
    (core instance $flushes (export "flush" (func $flush-core)))
    (core instance $i (instantiate $m (with "s" (instance $flushes))))
    (func $run (result u32) (canon lift (core func $i "run")))
    ;; the shim: given only a type and a function of this component
    (component $shim
      (import "t" (type $t (sub resource)))
      (import "f" (func $f (result u32)))
      (export "run" (func $f)))
    (instance $shim-i (instantiate $shim (with "t" (type $error-t)) (with "f" (func $run))))
    (export "example:app/writer" (instance $shim-i)))

  ;; A composition of its own: its leaf calls log; it gets streams from
  ;; the outer component and the writer's export from a sibling.
  (component $mid
    (import "log" (func $log (param "level" u32)))
    (import "example:app/writer" (instance $w (export "run" (func (result u32)))))
    (component $logger
      (import "log" (func $log (param "level" u32)))
      (import "example:app/writer" (instance $w (export "run" (func (result u32)))))
      (core func $log-core (canon lower (func $log)))
      (alias export $w "run" (func $run))
      (core func $run-core (canon lower (func $run))))
    (instance $logger (instantiate $logger (with "log" (func $log)) (with "example:app/writer" (instance $w)))))

  (instance $writer (instantiate $writer (with "wasi:io/error@0.2.0" (instance $error)) (with "wasi:io/streams@0.2.0" (instance $streams))))
  (alias export $writer "example:app/writer" (instance $writer-out))
  (instance $mid (instantiate $mid (with "log" (func $log)) (with "example:app/writer" (instance $writer-out))))
)
