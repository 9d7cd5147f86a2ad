package component

// NameSection is a component's "component-name" custom section: the
// names a producer gave the component and the items of its index spaces.
// Composers name nested components and instances here (wcomp and wac use
// member names), which is how tools tell the members of a composed
// component apart.
type NameSection struct {
	// Component is the component's own name ("" if none).
	Component string
	// Items maps a sort to item names by index.
	Items map[Sort]map[uint32]string
}

// Name returns the name of item index of sort, or "".
func (n *NameSection) Name(sort Sort, index uint32) string {
	if n == nil {
		return ""
	}
	return n.Items[sort][index]
}

// Names decodes c's component-name section. A component without one has
// an empty NameSection; a malformed one is an error (tools that only want
// names for messages may ignore it).
func (c *Component) Names() (*NameSection, error) {
	ns := &NameSection{Items: map[Sort]map[uint32]string{}}
	for _, s := range c.Sections {
		if s.ID != SectionCustom || s.Custom.Name != "component-name" {
			continue
		}
		if err := ns.decode(s.Custom.Data, s.Offset); err != nil {
			return ns, err
		}
	}
	return ns, nil
}

func (ns *NameSection) decode(data []byte, base int) error {
	r := &reader{data: data, ctx: "component-name section"}
	wrap := func(err error) error {
		if de, ok := err.(*DecodeError); ok {
			de.Offset += base
		}
		return err
	}
	for !r.done() {
		id, err := r.byte("subsection id")
		if err != nil {
			return wrap(err)
		}
		size, err := r.u32("subsection size")
		if err != nil {
			return wrap(err)
		}
		body, err := r.bytes(int(size), "subsection")
		if err != nil {
			return wrap(err)
		}
		sub := &reader{data: body, ctx: r.ctx, off: 0}
		switch id {
		case 0:
			if ns.Component, err = sub.name("component name"); err != nil {
				return wrap(shift(err, r.off-len(body)))
			}
		case 1:
			if err := ns.sortNames(sub); err != nil {
				return wrap(shift(err, r.off-len(body)))
			}
		default:
			// Unknown subsections are skipped, as the name section's
			// extensibility requires.
		}
	}
	return nil
}

func shift(err error, by int) error {
	if de, ok := err.(*DecodeError); ok {
		de.Offset += by
	}
	return err
}

func (ns *NameSection) sortNames(r *reader) error {
	sort, err := r.sort()
	if err != nil {
		return err
	}
	n, err := r.u32("name count")
	if err != nil {
		return err
	}
	m := ns.Items[sort]
	if m == nil {
		m = map[uint32]string{}
		ns.Items[sort] = m
	}
	for i := uint32(0); i < n; i++ {
		idx, err := r.u32("index")
		if err != nil {
			return err
		}
		name, err := r.name("name")
		if err != nil {
			return err
		}
		if _, dup := m[idx]; !dup { // the first name given wins, as in wasm-tools
			m[idx] = name
		}
	}
	if !r.done() {
		return r.errorf(r.off, "%d bytes left after the names", r.remaining())
	}
	return nil
}
