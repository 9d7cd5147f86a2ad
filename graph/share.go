package graph

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/wcomp/wcomp/component"
	"github.com/wcomp/wcomp/internal/progress"
)

// Sharing: the last step of Resolve. Toolchains embed the same runtime in
// every member they build (componentize-py: CPython, libc, the WASI
// adapter), so a service of several members would carry identical core
// modules several times. The plan stores each nested core module or
// component that appears more than once, anywhere in the members, once:
// the encoder writes it in the result's own sections and puts an outer
// alias in each place it stood (Plan.Shared, PlannedComponent.Shares).
//
// What counts as identical is the whole payload of the nested section,
// byte for byte (compared as bytes; the sha256 of what is stored once
// names it): the preamble, every section and
// every custom section, names and producers included. Two modules that
// differ only in a custom section are different modules and both stay
// where they are: a custom section may be what a tool reads (DWARF, a
// component-type section, a name section that makes a backtrace
// readable), and keeping one copy would silently lose the other's.
//
// A nested component is shared only when it is self-contained
// (component.SelfContained): an outer alias inside it that reached into
// the member around it would point elsewhere once the component is moved.
// Components whose bytes are not a well-framed component binary share
// nothing (the graph does not judge bytes; compose checks its inputs'
// framing before they get here). A member's own bytes are never shared this way: identical members are
// already one component (Graph.AddComponent is given them once).

// SetShareModules turns sharing of identical nested modules and components
// on or off (on in a new graph); Resolve decides what is shared.
func (g *Graph) SetShareModules(on bool) { g.noShare = !on }

// ShareModules reports whether Resolve shares identical nested modules.
func (g *Graph) ShareModules() bool { return !g.noShare }

// SharedItem is a nested core module or component stored once, in the
// result's own sections.
type SharedItem struct {
	// Sort is component.SortCoreModule or component.SortComponent.
	Sort component.Sort
	// Digest is the sha256 of Data.
	Digest [sha256.Size]byte
	// Data is the item's bytes (one occurrence's, in a member's bytes).
	Data []byte
	// Uses is how many places in the members now alias it (two or more).
	Uses int
	// Members names the components that use it, in plan order, each once.
	Members []string
	// Shares, for a component, are the items nested in it that are shared
	// too: the encoder writes it with those replaced.
	Shares []ShareRef
}

// Saved is how many bytes storing the item once saves.
func (s SharedItem) Saved() int { return (s.Uses - 1) * len(s.Data) }

// ShareRef is one place, in a component's bytes, where a shared item
// stood: the encoder replaces that section by `alias outer Depth i`, i
// being where it wrote Item.
type ShareRef struct {
	// Section is the offset of the nested section's id byte in the
	// component's bytes (component.NestedItem.Section).
	Section int
	// Item indexes Plan.Shared.
	Item int
	// Depth is the alias's outer count: how many components enclose the
	// place, up to the result.
	Depth uint32
}

// Shared lists the items the result stores once, in the order they must
// be written: modules first, then components, each after the items it
// nests (Shares only name earlier items). Empty when nothing is shared or
// sharing is off.
func (p *Plan) Shared() []SharedItem {
	out := slices.Clone(p.shared)
	for i := range out {
		out[i].Members = slices.Clone(out[i].Members)
		out[i].Shares = slices.Clone(out[i].Shares)
	}
	return out
}

// occurrence is one nested item of one planned component.
type occurrence struct {
	comp int // index in the plan's components
	item component.NestedItem
	// index in its component's item list
	index int
	live  bool
	// obj is the key of a shared item it is an occurrence of, or -1.
	obj int
}

// shareObject is a distinct content seen at least twice.
type shareObject struct {
	sort   component.Sort
	kind   component.SectionID
	data   []byte // the first occurrence's bytes
	digest [sha256.Size]byte
	occs   []*occurrence // live ones, in plan order
	hoist  bool
	rep    *occurrence
	index  int // in Plan.Shared
}

// share decides what the plan's components store once (see the comment at
// the top of this file). It reads the components' bytes and writes
// nothing; everything it decides is in p.shared and the components'
// Shares, in an order that depends only on the plan.
func (p *Plan) share() error {
	var all []*occurrence
	perComp := make([][]*occurrence, len(p.components))
	for ci, c := range p.components {
		items, err := component.NestedItems(c.Data)
		if err != nil {
			// The graph never judges a component's bytes (compose
			// framing-checks its inputs): bytes that do not scan are
			// embedded as they are, sharing nothing.
			continue
		}
		for i, it := range items {
			o := &occurrence{comp: ci, item: it, index: i, obj: -1}
			perComp[ci] = append(perComp[ci], o)
			all = append(all, o)
		}
	}
	if len(all) < 2 {
		return nil
	}
	// A container is larger than what it holds, so visiting the biggest
	// first decides every container before its contents: whether a copy
	// is live (written out) depends on whether the component around it
	// was replaced by an alias.
	order := slices.Clone(all)
	sort.SliceStable(order, func(i, j int) bool { return order[i].item.Size > order[j].item.Size })
	var objects []*shareObject
	parentOf := func(o *occurrence) *occurrence {
		if o.item.Parent < 0 {
			return nil
		}
		return perComp[o.comp][o.item.Parent]
	}
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && order[end].item.Size == order[start].item.Size {
			end++
		}
		group := order[start:end]
		start = end
		for _, o := range group {
			par := parentOf(o)
			o.live = par == nil || (par.live && (par.obj < 0 || !objects[par.obj].hoist || objects[par.obj].rep == par))
		}
		// Sort the equal-sized live items by content; only a group of two
		// or more is hashed at all.
		var live []*occurrence
		for _, o := range group {
			if o.live {
				live = append(live, o)
			}
		}
		if len(live) < 2 {
			continue
		}
		slices.SortStableFunc(live, func(a, b *occurrence) int { return comparePlace(a, b) })
		// Equal bytes make one object: comparing costs a fraction of
		// hashing, and only what is stored once is hashed, for its name.
		var found []*shareObject
		for _, o := range live {
			data := o.item.Bytes(p.components[o.comp].Data)
			var obj *shareObject
			for _, f := range found {
				if f.kind == o.item.Kind && bytes.Equal(f.data, data) {
					obj = f
					break
				}
			}
			if obj == nil {
				s := component.SortCoreModule
				if o.item.Kind == component.SectionComponent {
					s = component.SortComponent
				}
				obj = &shareObject{sort: s, kind: o.item.Kind, data: data}
				found = append(found, obj)
			}
			obj.occs = append(obj.occs, o)
		}
		for _, obj := range found {
			if len(obj.occs) < 2 {
				continue
			}
			rep := obj.occs[0]
			if obj.sort == component.SortComponent {
				ok, err := component.SelfContained(rep.item.Bytes(p.components[rep.comp].Data))
				if err != nil {
					return fmt.Errorf("component %s: nested component at offset %d: %w", p.components[rep.comp].Name, rep.item.Offset, err)
				}
				if !ok {
					continue
				}
			}
			obj.hoist, obj.rep = true, rep
			for _, o := range obj.occs {
				o.obj = len(objects)
			}
			objects = append(objects, obj)
		}
	}
	digests(objects)
	p.placeShared(objects, perComp)
	return nil
}

// digests hashes the objects stored once, in parallel: for a Python
// service it is most of what sharing costs (7 MB of modules).
func digests(objects []*shareObject) {
	var wg sync.WaitGroup
	next := make(chan *shareObject)
	for range min(runtime.GOMAXPROCS(0), len(objects)) {
		wg.Go(func() {
			for obj := range next {
				obj.digest = sha256.Sum256(obj.data)
			}
		})
	}
	for _, obj := range objects {
		next <- obj
	}
	close(next)
	wg.Wait()
}

// comparePlace orders occurrences as the plan writes them: by component,
// then by position.
func comparePlace(a, b *occurrence) int {
	if a.comp != b.comp {
		return a.comp - b.comp
	}
	return a.index - b.index
}

// placeShared orders the hoisted objects (modules, then components from
// the smallest, so a component follows what it nests; ties in plan order)
// and records every place each replaces, in the member or in the hoisted
// component that holds it.
func (p *Plan) placeShared(objects []*shareObject, perComp [][]*occurrence) {
	if len(objects) == 0 {
		return
	}
	sorted := slices.Clone(objects)
	slices.SortStableFunc(sorted, func(a, b *shareObject) int {
		if a.sort != b.sort {
			if a.sort == component.SortCoreModule {
				return -1
			}
			return 1
		}
		if a.sort == component.SortComponent && a.rep.item.Size != b.rep.item.Size {
			return a.rep.item.Size - b.rep.item.Size
		}
		return comparePlace(a.rep, b.rep)
	})
	for i, obj := range sorted {
		obj.index = i
		rep := obj.rep
		p.shared = append(p.shared, SharedItem{Sort: obj.sort, Digest: obj.digest, Data: rep.item.Bytes(p.components[rep.comp].Data), Uses: len(obj.occs)})
	}
	// Each live occurrence of a hoisted object is replaced where it is
	// written: in its member, or in the hoisted copy of the nearest
	// enclosing shared component (which is its representative's).
	for _, obj := range sorted {
		for _, o := range obj.occs {
			holder, base, depth := -1, 0, 0
			for par := o; par.item.Parent >= 0; {
				par = perComp[par.comp][par.item.Parent]
				if par.obj >= 0 {
					holder = objects[par.obj].index
					base, depth = par.item.Offset, par.item.Depth
					break
				}
			}
			ref := ShareRef{Section: o.item.Section - base, Item: obj.index, Depth: uint32(o.item.Depth - depth)}
			user := p.components[o.comp].Name
			if holder >= 0 {
				p.shared[holder].Shares = append(p.shared[holder].Shares, ref)
			} else {
				p.components[o.comp].Shares = append(p.components[o.comp].Shares, ref)
			}
			item := &p.shared[obj.index]
			if !slices.Contains(item.Members, user) {
				item.Members = append(item.Members, user)
			}
		}
	}
	p.notes = append(p.notes, sharingNote(p.shared))
}

// sharingNote says what sharing saved, for people.
func sharingNote(items []SharedItem) Note {
	var modules, comps, saved int
	var members []string
	for _, it := range items {
		if it.Sort == component.SortCoreModule {
			modules++
		} else {
			comps++
		}
		saved += it.Saved()
		for _, m := range it.Members {
			if !slices.Contains(members, m) {
				members = append(members, m)
			}
		}
	}
	var what []string
	if modules > 0 {
		what = append(what, plural(modules, "core module"))
	}
	if comps > 0 {
		what = append(what, plural(comps, "nested component"))
	}
	return Note{Kind: NoteShared, Text: fmt.Sprintf("%s identical in %s stored once (%s saved)", strings.Join(what, " and "), strings.Join(members, ", "), progress.Size(int64(saved)))}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
