// Package progress draws progress bars for byte transfers on a terminal,
// one line per transfer, in the style of cargo's: nothing at all for a
// transfer that ends within the delay (about a second), so quick commands
// print no flicker, and every bar line is erased when its transfer ends.
//
// The caller decides whether its output is a terminal (no bars otherwise)
// and whether colour is wanted (NO_COLOR); this package only draws.
package progress
