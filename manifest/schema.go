package manifest

import (
	"fmt"
	"strings"
)

// tableKind names a kind of table in the schema.
type tableKind string

const (
	kindTop          tableKind = ""
	kindPackage      tableKind = "package"
	kindTarget       tableKind = "target"
	kindWIT          tableKind = "wit"
	kindWITDep       tableKind = "wit-dependency"
	kindMember       tableKind = "member"
	kindBuild        tableKind = "build"
	kindCompose      tableKind = "compose"
	kindCapabilities tableKind = "capabilities"
	kindVirtual      tableKind = "virtual"
	kindRun          tableKind = "run"
	kindRegistry     tableKind = "registry"
	kindCache        tableKind = "cache"
)

// schema lists the keys each kind of table accepts, in documentation
// order. It is the one list the decoder, the did-you-mean hints and the
// "belongs in" hints read; tables whose keys are names (components,
// wit.dependencies, env, registries, files) are not in it.
var schema = map[tableKind][]string{
	kindTop:          {"package", "target", "wit", "components", "compose", "capabilities", "run", "registries", "cache"},
	kindPackage:      {"name", "version", "description", "license", "authors", "repository"},
	kindTarget:       {"world"},
	kindWIT:          {"dir", "dependencies"},
	kindWITDep:       {"version", "path", "url", "digest", "subdir"},
	kindMember:       {"language", "dir", "world", "capabilities", "artifact", "module", "entry", "disable-features", "build", "path", "url", "digest", "oci", "package", "version"},
	kindBuild:        {"command", "workdir", "watch", "env"},
	kindCompose:      {"root", "auto-plug", "wires", "imports", "exports", "instances", "share-modules", "wac"},
	kindCapabilities: {"allow", "deny", "stub", "virtual"},
	kindVirtual:      {"env", "args", "files"},
	kindRun:          {"args", "env", "dirs"},
	kindRegistry:     {"registry", "prefix"},
	kindCache:        {"remote"},
}

// kindNames are the tables as a user writes them, for hints.
var kindNames = map[tableKind]string{
	kindTop:          "the top level",
	kindPackage:      "[package]",
	kindTarget:       "[target]",
	kindWIT:          "[wit]",
	kindWITDep:       "a [wit.dependencies] table",
	kindMember:       "[components.NAME]",
	kindBuild:        "[components.NAME.build]",
	kindCompose:      "[compose]",
	kindCapabilities: "[capabilities]",
	kindVirtual:      "[capabilities.virtual]",
	kindRun:          "[run]",
	kindRegistry:     "a [registries] table",
	kindCache:        "[cache]",
}

// kindOrder fixes the order in which "belongs in" hints list tables.
var kindOrder = []tableKind{kindTop, kindPackage, kindTarget, kindWIT, kindWITDep, kindMember, kindBuild, kindCompose, kindCapabilities, kindVirtual, kindRun, kindRegistry, kindCache}

// specialHints answer unknown keys that a user of a neighbouring tool
// writes on purpose.
var specialHints = map[tableKind]map[string]string{
	kindWITDep: {
		"sha256": `write the hash as digest = "sha256:<hex>"`,
		"prefix": "write the directory inside the archive as subdir",
	},
	kindMember: {
		"sha256": `write the hash as digest = "sha256:<hex>"`,
		"env":    "env is a key of [components.NAME.build]",
	},
	kindTop: {
		"dependencies": "WIT dependencies go in [wit.dependencies]",
		"members":      "members are [components.NAME] tables",
	},
}

// unknownKeyHint returns the hint for an unknown key, or "".
func unknownKeyHint(kind tableKind, key string) string {
	if h := specialHints[kind][key]; h != "" {
		return h
	}
	if s := suggest(key, schema[kind]); s != "" {
		return fmt.Sprintf("did you mean %s?", s)
	}
	var elsewhere []string
	for _, k := range kindOrder {
		if k == kind {
			continue
		}
		for _, valid := range schema[k] {
			if valid == key {
				elsewhere = append(elsewhere, kindNames[k])
			}
		}
	}
	if len(elsewhere) > 0 {
		return fmt.Sprintf("%s is a key of %s", key, joinOr(elsewhere, "and"))
	}
	return ""
}

// suggest returns the candidate closest to word, if it is close enough to
// be a typo: equal but for case, or within an edit distance of about a
// third of its length.
func suggest(word string, candidates []string) string {
	best, bestDist := "", 0
	for _, c := range candidates {
		if strings.EqualFold(c, word) {
			return c
		}
		d := editDistance(strings.ToLower(word), c)
		limit := max(1, len(c)/3)
		if d <= limit && (best == "" || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of adjacent bytes.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// joinOr joins words as "a, b or c" (conj "or") or "a, b and c".
func joinOr(words []string, conj string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}
