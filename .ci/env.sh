# Sourced by the other .ci scripts: puts every tool the installers add on
# PATH, whichever way Python, Go and Rust were installed on this machine.
# (No `set -e` here: it must also be safe to source from a shell.)

_wcomp_path_add() {
  [[ -d $1 && :$PATH: != *:"$1":* ]] && PATH=$1:$PATH
  return 0
}

_wcomp_path_add /usr/local/go/bin
_wcomp_path_add "$HOME/go/bin"
_wcomp_path_add "$HOME/.cargo/bin"
if command -v python3 >/dev/null 2>&1; then
  # pip's script directory (wasm-tools, wasmtime, componentize-py): the
  # interpreter's own, and the per-user one for `pip install --user`.
  _wcomp_path_add "$(python3 -m site --user-base 2>/dev/null)/bin"
  _wcomp_path_add "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null)"
fi
export PATH
unset -f _wcomp_path_add
