;; Resources across interfaces: io/error's error used by streams (alias outer),
;; and a third interface using both; own and borrow; a resource exported twice.
(component
  (import "wasi:io/error@0.2.0" (instance $e
    (export "error" (type $err (sub resource)))
    (export "[method]error.to-debug-string" (func (param "self" (borrow $err)) (result string)))
  ))
  (alias export $e "error" (type $error))
  (import "wasi:io/poll@0.2.0" (instance $p
    (export "pollable" (type $po (sub resource)))
    (export "poll" (func (param "in" (list (borrow $po))) (result (list u32))))
  ))
  (alias export $p "pollable" (type $pollable))
  (import "wasi:io/streams@0.2.0" (instance $s
    (alias outer 1 $error (type $err'))
    (export "error" (type $e2 (eq $err')))
    (alias outer 1 $pollable (type $pol'))
    (export "pollable" (type $p2 (eq $pol')))
    (type $se (variant (case "last-operation-failed" (own $e2)) (case "closed")))
    (export "stream-error" (type $serr (eq $se)))
    (export "input-stream" (type $in (sub resource)))
    (export "also-input" (type $in2 (eq $in)))
    (export "[method]input-stream.read" (func (param "self" (borrow $in)) (param "len" u64) (result (result (list u8) (error $serr)))))
    (export "[method]input-stream.subscribe" (func (param "self" (borrow $in)) (result (own $p2))))
  ))
  (alias export $s "input-stream" (type $input))
  (import "test:app/reader" (instance
    (alias outer 1 $input (type $in'))
    (export "input-stream" (type $in2 (eq $in')))
    (alias outer 1 $error (type $err'))
    (export "error" (type $e2 (eq $err')))
    (export "drain" (func (param "s" (own $in2)) (result (result (list u8) (error (own $e2))))))
  ))
)
