//go:build !unix

package filelock

import "os"

func tryLock(*os.File) (bool, error) { return true, nil }

func unlockFile(*os.File) error { return nil }
