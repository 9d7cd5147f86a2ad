;; Instantiating nested components: type imports are replaced by the
;; arguments everywhere in the exports; a resource the nested component
;; defines is fresh for each instantiation; outer aliases reach the parent.
(component $root
  (type $pair (record (field "a" u32) (field "b" u32)))
  (import "r" (type $r (sub resource)))
  (import "get" (func $get (result (own $r))))
  (component $wrap
    (import "t" (type $t (sub resource)))
    (import "f" (func $f (result (own $t))))
    (alias outer $root $pair (type $pair))
    (export $t' "thing" (type $t))
    (export "pair" (type $pair))
    (export "make" (func $f) (func (result (own $t'))))
  )
  (instance $w1 (instantiate $wrap (with "t" (type $r)) (with "f" (func $get))))
  (export "wrapped" (instance $w1))
  (component $gen
    (core module $m (func (export "f") (result i32) i32.const 0))
    (core instance $i (instantiate $m))
    (alias core export $i "f" (core func $cf))
    (type $res (resource (rep i32)))
    (export $res' "res" (type $res))
    (func $new (result (own $res')) (canon lift (core func $cf)))
    (export "new" (func $new))
  )
  (instance $g1 (instantiate $gen))
  (instance $g2 (instantiate $gen))
  (export "gen1" (instance $g1))
  (export "gen2" (instance $g2))
  (alias export $g1 "new" (func $new1))
  (alias export $g2 "res" (type $res2))
  (instance $bundle
    (export "new" (func $new1))
    (export "res" (type $res2))
  )
  (export "bundle" (instance $bundle))
  (import "c" (component $c
    (import "in" (instance
      (export "x" (type (sub resource)))
      (export "get" (func (result (own 0))))
    ))
    (alias export 0 "x" (type $x))
    (export "x" (type $x2 (eq $x)))
    (export "take" (func (param "v" (own $x2))))
  ))
  (instance $cin
    (export "x" (type $r))
    (export "get" (func $get))
  )
  (instance $c1 (instantiate $c (with "in" (instance $cin))))
  (export "c1" (instance $c1))
  (component $outer-component)
  (component $nest
    (alias outer $root $outer-component (component $oc))
    (instance (instantiate $oc))
  )
  (instance (instantiate $nest))
)
