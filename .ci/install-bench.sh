#!/usr/bin/env bash
# Installs wac, the peer composer that bench/compare.sh measures wcomp
# against. Kept out of install.sh: building it takes minutes and only the
# benchmarks need it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=env.sh
source "$REPO/.ci/env.sh"

"$REPO/.ci/install.sh"
if command -v wac >/dev/null 2>&1; then
  echo "install-bench: $(wac --version) present"
  exit 0
fi
echo "install-bench: cargo install wac-cli (several minutes)"
cargo install wac-cli --locked </dev/null
echo "install-bench: $("$HOME/.cargo/bin/wac" --version) installed"
