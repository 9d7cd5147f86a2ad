;; Probes a preopened directory's permissions: probe() takes the first
;; directory wasi:filesystem/preopens gives and tries to create out.txt in
;; it, returning whether that worked. Imports only the parts of
;; wasi:filesystem 0.2.0 it calls (types must match WASI's exactly).
(component
  (import "wasi:filesystem/types@0.2.0" (instance $types
    (export "descriptor" (type $descriptor (sub resource)))
    (type $path-flags (flags "symlink-follow"))
    (export "path-flags" (type $pf (eq $path-flags)))
    (type $open-flags (flags "create" "directory" "exclusive" "truncate"))
    (export "open-flags" (type $of (eq $open-flags)))
    (type $descriptor-flags (flags "read" "write" "file-integrity-sync" "data-integrity-sync" "requested-write-sync" "mutate-directory"))
    (export "descriptor-flags" (type $df (eq $descriptor-flags)))
    (type $error-code (enum "access" "would-block" "already" "bad-descriptor" "busy" "deadlock" "quota" "exist"
      "file-too-large" "illegal-byte-sequence" "in-progress" "interrupted" "invalid" "io" "is-directory" "loop"
      "too-many-links" "message-size" "name-too-long" "no-device" "no-entry" "no-lock" "insufficient-memory"
      "insufficient-space" "not-directory" "not-empty" "not-recoverable" "unsupported" "no-tty" "no-such-device"
      "overflow" "not-permitted" "pipe" "read-only" "invalid-seek" "text-file-busy" "cross-device"))
    (export "error-code" (type $ec (eq $error-code)))
    (type $own (own $descriptor))
    (type $borrow (borrow $descriptor))
    (type $res (result $own (error $ec)))
    (export "[method]descriptor.open-at" (func
      (param "self" $borrow) (param "path-flags" $pf) (param "path" string)
      (param "open-flags" $of) (param "flags" $df) (result $res)))))
  (alias export $types "descriptor" (type $descriptor))
  (import "wasi:filesystem/preopens@0.2.0" (instance $preopens
    (alias outer 1 $descriptor (type $d))
    (export "descriptor" (type $desc (eq $d)))
    (type $own (own $desc))
    (type $entry (tuple $own string))
    (type $list (list $entry))
    (export "get-directories" (func (result $list)))))

  ;; Memory and allocator first, so the lowered imports can use them.
  (core module $libc
    (memory (export "memory") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      global.get $heap
      local.get 2 i32.add i32.const 1 i32.sub
      i32.const 0 local.get 2 i32.sub i32.and
      local.tee $r
      local.get 3 i32.add
      global.set $heap
      local.get $r))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))

  (core module $m
    (import "libc" "memory" (memory 1))
    (import "fs" "open-at" (func $open-at (param i32 i32 i32 i32 i32 i32 i32)))
    (import "fs" "get-directories" (func $dirs (param i32)))
    (data (i32.const 100) "out.txt")
    (func (export "probe") (result i32)
      (call $dirs (i32.const 0))
      (if (i32.eqz (i32.load (i32.const 4))) (then (return (i32.const 0))))
      (call $open-at
        (i32.load (i32.load (i32.const 0)))
        (i32.const 0)
        (i32.const 100) (i32.const 7)
        (i32.const 1)
        (i32.const 2)
        (i32.const 16))
      (i32.eqz (i32.load8_u (i32.const 16)))))

  (alias export $types "[method]descriptor.open-at" (func $open-at))
  (alias export $preopens "get-directories" (func $dirs))
  (core func $open-at-core (canon lower (func $open-at) (memory $memory)))
  (core func $dirs-core (canon lower (func $dirs) (memory $memory) (realloc $realloc)))
  (core instance $fs (export "open-at" (func $open-at-core)) (export "get-directories" (func $dirs-core)))
  (core instance $i (instantiate $m (with "fs" (instance $fs)) (with "libc" (instance $libc))))
  (func (export "probe") (result bool) (canon lift (core func $i "probe")))
)
