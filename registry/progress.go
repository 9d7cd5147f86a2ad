package registry

import "context"

// Progress is told about each blob upload and download, so that a
// terminal can draw progress bars. Methods may be called from several
// goroutines.
type Progress interface {
	// Start announces a transfer of total bytes (-1 when unknown). name
	// says what moves, e.g. "validator.wasm".
	Start(name string, total int64) Transfer
}

// Transfer is one blob's transfer, as it happens.
type Transfer interface {
	// Add counts n more bytes moved.
	Add(n int)
	// Reset starts the count again: a retry is sending the blob anew.
	Reset()
	// Done ends the transfer, with the error that ended it or nil.
	Done(err error)
}

type transferKey struct{}

// withTransfer makes the requests made with ctx count their body bytes
// (request bodies of PUT and PATCH, response bodies of GET) into t.
func withTransfer(ctx context.Context, t Transfer) context.Context {
	return context.WithValue(ctx, transferKey{}, t)
}

func transferFrom(ctx context.Context) Transfer {
	t, _ := ctx.Value(transferKey{}).(Transfer)
	return t
}

// startTransfer starts a transfer on p (which may be nil) and returns the
// context that counts into it and the function that ends it.
func startTransfer(ctx context.Context, p Progress, name string, total int64) (context.Context, func(error)) {
	if p == nil {
		return ctx, func(error) {}
	}
	t := p.Start(name, total)
	return withTransfer(ctx, t), t.Done
}
