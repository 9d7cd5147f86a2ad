;; Probes the network a guest gets through wasi:sockets, which the C API
;; links with every other WASI 0.2 interface.
;;   connect(port) creates an IPv4 TCP socket and starts connecting it to
;;                 127.0.0.1:port; it returns start-connect's result.
;;   lookup()      resolves "localhost"; it returns resolve-addresses' result
;;                 (without the stream).
(component
  (import "wasi:sockets/network@0.2.0" (instance $network
    (export "network" (type (sub resource)))
    (type $error-code' (enum "unknown" "access-denied" "not-supported" "invalid-argument"
      "out-of-memory" "timeout" "concurrency-conflict" "not-in-progress" "would-block"
      "invalid-state" "new-socket-limit" "address-not-bindable" "address-in-use"
      "remote-unreachable" "connection-refused" "connection-reset" "connection-aborted"
      "datagram-too-large" "name-unresolvable" "temporary-resolver-failure"
      "permanent-resolver-failure"))
    (export "error-code" (type (eq $error-code')))
    (type $ipv4-socket-address' (record (field "port" u16) (field "address" (tuple u8 u8 u8 u8))))
    (export "ipv4-socket-address" (type $ipv4-socket-address (eq $ipv4-socket-address')))
    (type $ipv6-socket-address' (record (field "port" u16) (field "flow-info" u32)
      (field "address" (tuple u16 u16 u16 u16 u16 u16 u16 u16)) (field "scope-id" u32)))
    (export "ipv6-socket-address" (type $ipv6-socket-address (eq $ipv6-socket-address')))
    (type $ip-socket-address' (variant (case "ipv4" $ipv4-socket-address) (case "ipv6" $ipv6-socket-address)))
    (export "ip-socket-address" (type (eq $ip-socket-address')))
    (type $ip-address-family' (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type (eq $ip-address-family')))))
  (alias export $network "network" (type $net))
  (alias export $network "error-code" (type $error-code))
  (alias export $network "ip-socket-address" (type $ip-socket-address))
  (alias export $network "ip-address-family" (type $ip-address-family))

  (import "wasi:sockets/instance-network@0.2.0" (instance $instance-network
    (alias outer 1 $net (type $net'))
    (export "network" (type $n (eq $net')))
    (export "instance-network" (func (result (own $n))))))
  (import "wasi:sockets/tcp@0.2.0" (instance $tcp
    (alias outer 1 $net (type $net'))
    (export "network" (type $n (eq $net')))
    (alias outer 1 $error-code (type $ec'))
    (export "error-code" (type $ec (eq $ec')))
    (alias outer 1 $ip-socket-address (type $isa'))
    (export "ip-socket-address" (type $isa (eq $isa')))
    (export "tcp-socket" (type $socket (sub resource)))
    (export "[method]tcp-socket.start-connect"
      (func (param "self" (borrow $socket)) (param "network" (borrow $n)) (param "remote-address" $isa)
        (result (result (error $ec)))))))
  (alias export $tcp "tcp-socket" (type $tcp-socket))
  (import "wasi:sockets/tcp-create-socket@0.2.0" (instance $tcp-create-socket
    (alias outer 1 $ip-address-family (type $family'))
    (export "ip-address-family" (type $family (eq $family')))
    (alias outer 1 $error-code (type $ec'))
    (export "error-code" (type $ec (eq $ec')))
    (alias outer 1 $tcp-socket (type $socket'))
    (export "tcp-socket" (type $socket (eq $socket')))
    (export "create-tcp-socket" (func (param "address-family" $family) (result (result (own $socket) (error $ec)))))))
  (import "wasi:sockets/ip-name-lookup@0.2.0" (instance $ip-name-lookup
    (alias outer 1 $net (type $net'))
    (export "network" (type $n (eq $net')))
    (alias outer 1 $error-code (type $ec'))
    (export "error-code" (type $ec (eq $ec')))
    (export "resolve-address-stream" (type $stream (sub resource)))
    (export "resolve-addresses" (func (param "network" (borrow $n)) (param "name" string)
      (result (result (own $stream) (error $ec)))))))

  (core module $Mem (memory (export "mem") 1))
  (core instance $mem-inst (instantiate $Mem))
  (alias core export $mem-inst "mem" (core memory $mem))

  (core func $instance-network (canon lower (func $instance-network "instance-network")))
  (core func $create (canon lower (func $tcp-create-socket "create-tcp-socket") (memory $mem)))
  (core func $start-connect (canon lower (func $tcp "[method]tcp-socket.start-connect") (memory $mem)))
  (core func $resolve (canon lower (func $ip-name-lookup "resolve-addresses") (memory $mem)))

  (core module $Main
    (import "host" "mem" (memory 1))
    (import "host" "instance-network" (func $instance-network (result i32)))
    ;; address family, return pointer
    (import "host" "create" (func $create (param i32 i32)))
    ;; socket, network, ip-socket-address flattened to 12 i32 (case, then
    ;; the longer ipv6 payload), return pointer
    (import "host" "start-connect" (func $start-connect
      (param i32 i32  i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32  i32)))
    ;; network, name pointer, name length, return pointer
    (import "host" "resolve" (func $resolve (param i32 i32 i32 i32)))
    (data (i32.const 200) "localhost")

    ;; A result<_, error-code> is two bytes: 0 ok / 1 err, then the code.
    ;; A result<own, error-code> has its payload at offset 4.
    (func (export "connect") (param $port i32) (result i32)
      (local $net i32)
      (local.set $net (call $instance-network))
      (call $create (i32.const 0) (i32.const 16))
      (if (i32.load8_u (i32.const 16))
        (then
          (i32.store8 (i32.const 32) (i32.const 1))
          (i32.store8 (i32.const 33) (i32.load8_u (i32.const 20)))
          (return (i32.const 32))))
      (call $start-connect (i32.load (i32.const 20)) (local.get $net)
        (i32.const 0) (local.get $port) (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
        (i32.const 32))
      (i32.const 32))
    (func (export "lookup") (result i32)
      (call $resolve (call $instance-network) (i32.const 200) (i32.const 9) (i32.const 48))
      (i32.store8 (i32.const 64) (i32.load8_u (i32.const 48)))
      (i32.store8 (i32.const 65) (i32.load8_u (i32.const 52)))
      (i32.const 64)))
  (core instance $main (instantiate $Main
    (with "host" (instance
      (export "mem" (memory $mem))
      (export "instance-network" (func $instance-network))
      (export "create" (func $create))
      (export "start-connect" (func $start-connect))
      (export "resolve" (func $resolve))))))

  (func (export "connect") (param "port" u16) (result (result (error $error-code)))
    (canon lift (core func $main "connect") (memory $mem)))
  (func (export "lookup") (result (result (error $error-code)))
    (canon lift (core func $main "lookup") (memory $mem)))
)
