# Sourced (not run) by scripts/client-tests.sh and examples/pytest/run.sh: a Python virtual environment in
# artifacts/venv that sees Debian's python3-pytest and python3-httpx (--system-site-packages) and has the repository's
# pytest plugin (src/pytest-fault-injection) installed from its source, with no package index:
#   pip install --no-build-isolation --no-index src/pytest-fault-injection
# (setuptools and wheel come from Debian's python3-setuptools and python3-wheel). Sets $plugin_python to its python.
plugin_env_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plugin_venv="$plugin_env_root/artifacts/venv"

plugin_env_install() {
  if ! /usr/bin/python3 -c 'import pytest, httpx, setuptools, wheel, venv, ensurepip' 2>/dev/null; then
    echo "installing python3-pytest python3-httpx python3-setuptools python3-wheel python3-venv (Debian packages)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pytest python3-httpx python3-setuptools python3-wheel python3-venv python3-pip >/dev/null
  fi
  rm -rf "$plugin_venv"
  /usr/bin/python3 -m venv --system-site-packages "$plugin_venv"
  "$plugin_venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-index "$plugin_env_root/src/pytest-fault-injection"
  plugin_python="$plugin_venv/bin/python"
}
