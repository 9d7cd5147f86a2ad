package compose

import "github.com/wcomp/wcomp/component"

// output is the composed component under construction: the bytes compose
// writes itself (a few kilobytes of sections) and, spliced in by reference,
// the members' bytes, which are never copied into it.
type output struct {
	w       component.Writer // everything but the members' bytes
	splices []splice
	err     error
}

// splice says that data follows the first at bytes of w.
type splice struct {
	at   int
	data []byte
}

// section appends a section whose payload body writes.
func (o *output) section(id component.SectionID, body func(w *component.Writer)) {
	var p component.Writer
	body(&p)
	if err := p.Err(); err != nil && o.err == nil {
		o.err = err
	}
	o.w.Byte(byte(id))
	o.w.Len32(p.Len())
	o.w.Raw(p.Bytes())
}

// splice appends a section whose payload is data, by reference.
func (o *output) splice(id component.SectionID, data []byte) {
	o.w.Byte(byte(id))
	o.w.Len32(len(data))
	o.splices = append(o.splices, splice{at: o.w.Len(), data: data})
}

// spliceParts appends a section whose payload is parts, one after
// another, each by reference (a member rewritten by
// component.ReplaceNested).
func (o *output) spliceParts(id component.SectionID, parts [][]byte) {
	size := 0
	for _, p := range parts {
		size += len(p)
	}
	o.w.Byte(byte(id))
	o.w.Len32(size)
	for _, p := range parts {
		o.splices = append(o.splices, splice{at: o.w.Len(), data: p})
	}
}

// finish returns the output as chunks, in order, and its total size.
func (o *output) finish() ([][]byte, int, error) {
	if o.err != nil {
		return nil, 0, o.err
	}
	if err := o.w.Err(); err != nil {
		return nil, 0, err
	}
	own := o.w.Bytes()
	chunks := make([][]byte, 0, 2*len(o.splices)+1)
	size, from := len(own), 0
	for _, s := range o.splices {
		if s.at > from {
			chunks = append(chunks, own[from:s.at])
		}
		chunks = append(chunks, s.data)
		size += len(s.data)
		from = s.at
	}
	chunks = append(chunks, own[from:])
	return chunks, size, nil
}
