// C trampolines between Wasmtime's callback types and the Go functions
// exported in callbacks.go. They exist because an exported Go function
// cannot be declared with the exact const-qualified C signatures the
// Wasmtime API expects, and because a cgo.Handle travels through C as an
// integer, not a Go pointer.

#include <stdint.h>
#include <wasmtime.h>
#include "_cgo_export.h"

static ptrdiff_t host_write_trampoline(void *data, const unsigned char *buf, size_t len) {
  return (ptrdiff_t)goHostWrite((uintptr_t)data, (unsigned char *)buf, len);
}

static void host_release_trampoline(void *data) { goHostRelease((uintptr_t)data); }

void host_set_stdout(wasi_config_t *config, uintptr_t handle) {
  wasi_config_set_stdout_custom(config, host_write_trampoline, (void *)handle,
                                host_release_trampoline);
}

void host_set_stderr(wasi_config_t *config, uintptr_t handle) {
  wasi_config_set_stderr_custom(config, host_write_trampoline, (void *)handle,
                                host_release_trampoline);
}

static wasmtime_error_t *host_epoch_trampoline(wasmtime_context_t *context, void *data,
                                               uint64_t *delta,
                                               wasmtime_update_deadline_kind_t *kind) {
  (void)context;
  if (goHostCanceled((uintptr_t)data)) {
    return wasmtime_error_new("execution interrupted: the context was canceled");
  }
  // Another store's cancellation bumped the shared engine epoch: keep going.
  *delta = 1;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}

void host_set_epoch_callback(wasmtime_store_t *store, uintptr_t handle) {
  wasmtime_store_epoch_deadline_callback(store, host_epoch_trampoline, (void *)handle,
                                         host_release_trampoline);
}
