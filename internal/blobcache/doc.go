// Package blobcache is wcomp's content-addressed store of downloaded
// bytes: registry pulls, and the files that url sources fetch. A blob lives
// at <dir>/blobs/<algorithm>/<hex> ($XDG_CACHE_HOME/wcomp/blobs/sha256/…,
// the layout of an OCI image layout's blobs directory), named by the digest
// of its content.
//
// A blob only ever appears complete and verified: it is written to a
// temporary file beside its final name, checked against its digest and
// size, synced, and renamed. A failed write (a full disk, a wrong digest, a
// dropped connection) removes the temporary file and leaves nothing under
// the blob's name. Several processes may fill the cache at once: Fill takes
// a per-blob file lock, so the second process waits for the first's
// download instead of repeating it.
package blobcache
