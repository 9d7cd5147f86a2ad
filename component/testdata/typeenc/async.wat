;; Async functions with streams and futures, with and without payloads.
;; wasmtime: no (async, stream and future need component-model-async, off in the embedded engine)
(component
  (import "test:async/api" (instance
    (type $chunk (list u8))
    (export "chunk" (type $c (eq $chunk)))
    (export "pump" (func async (param "input" (stream $c)) (result (future string))))
    (export "bare" (func async (param "s" (stream)) (result (future))))
    (export "sync-with-stream" (func (result (stream u8))))
  ))
)
