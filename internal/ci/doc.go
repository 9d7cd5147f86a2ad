// Package ci tells tests whether they run in continuous integration (the
// CI environment variable, which CI systems and .ci/run set), where a test
// skipped because a tool is missing or too old, or because of -short,
// would hide exactly the failure it exists to catch: there a skip is a
// failure.
package ci
