// Package tabular renders the tables wcomp prints (inspect, audit) in one
// style: a rule under bold headings and no other borders on a terminal;
// plain ASCII, with no escape codes, for pipes, files and NO_COLOR.
package tabular
