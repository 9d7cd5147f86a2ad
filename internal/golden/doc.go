// Package golden compares test output with golden files in testdata, and
// rewrites them when the test binary runs with -update.
//
// A package's tests that use it get the -update flag from here, so they
// must not define their own.
package golden
