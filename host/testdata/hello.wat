;; A minimal wasi:cli command written by hand: run() writes a line to
;; stdout through wasi:io/streams and returns ok.
(component
  (import "wasi:io/error@0.2.0" (instance $io-error
    (export "error" (type (sub resource)))))
  (alias export $io-error "error" (type $error))
  (import "wasi:io/streams@0.2.0" (instance $streams
    (alias outer 1 $error (type $error'))
    (export "error" (type $err (eq $error')))
    (export "output-stream" (type $os (sub resource)))
    (type $stream-error' (variant (case "last-operation-failed" (own $err)) (case "closed")))
    (export "stream-error" (type $stream-error (eq $stream-error')))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer 1 $output-stream (type $os'))
    (export "output-stream" (type $os (eq $os')))
    (export "get-stdout" (func (result (own $os))))))

  (core module $Mem (memory (export "mem") 1))
  (core instance $mem-inst (instantiate $Mem))
  (alias core export $mem-inst "mem" (core memory $mem))

  (core func $get-stdout (canon lower (func $stdout "get-stdout")))
  (core func $write (canon lower (func $streams "[method]output-stream.blocking-write-and-flush") (memory $mem)))
  (core func $drop-stream (canon resource.drop $output-stream))

  (core module $Main
    (import "host" "mem" (memory 1))
    (import "host" "get-stdout" (func $get-stdout (result i32)))
    (import "host" "write" (func $write (param i32 i32 i32 i32)))
    (import "host" "drop" (func $drop (param i32)))
    (data (i32.const 100) "MESSAGE")
    (func (export "run") (result i32)
      (local $out i32)
      (local.set $out (call $get-stdout))
      (call $write (local.get $out) (i32.const 100) (i32.const LENGTH) (i32.const 16))
      (call $drop (local.get $out))
      ;; result<_,_> is ok (0) unless the write failed
      (i32.or (i32.load8_u (i32.const 16)) (i32.const RESULT))))
  (core instance $main (instantiate $Main
    (with "host" (instance
      (export "mem" (memory $mem))
      (export "get-stdout" (func $get-stdout))
      (export "write" (func $write))
      (export "drop" (func $drop-stream))))))

  (func $run (result (result)) (canon lift (core func $main "run")))
  (instance $run-inst (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-inst))
)
