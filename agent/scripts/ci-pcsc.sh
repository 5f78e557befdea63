#!/bin/sh
# What the card layer's tests need on a clean Debian 12 machine (run as root, idempotent):
# pcscd with the vpcd driver, the Python virtual smart card library, and the smartcard
# addon built. It starts no pcscd: each test starts a private one (test/helpers/pcsc.ts).
set -eu
cd "$(dirname "$0")/.."

missing() {
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || printf '%s ' "$p"
  done
}

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  [ -n "${apt_updated:-}" ] || { apt-get update -qq; apt_updated=1; }
  # policy-rc.d keeps the packages' scripts from starting a system-wide pcscd
  if [ -e /usr/sbin/policy-rc.d ]; then
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null || { rm -f /usr/sbin/policy-rc.d; exit 1; }
    rm -f /usr/sbin/policy-rc.d
  fi
}

need=$(missing pcscd vsmartcard-vpcd python3-virtualsmartcard python3-pycryptodome libpcsclite-dev)
[ -z "$need" ] || apt_install $need

# npm may skip dependencies' install scripts; then the addon was never compiled.
addon=node_modules/smartcard/build/Release/smartcard_napi.node
if [ ! -f "$addon" ]; then
  [ -d node_modules/smartcard ] || { echo "ci-pcsc: run npm ci in agent/ first" >&2; exit 1; }
  need=$(missing python3 make g++ pkgconf)
  [ -z "$need" ] || apt_install $need
  # Node's own headers when its distribution ships them, so no download is needed.
  nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$nodedir/include/node/node_api.h" ] && set -- --nodedir="$nodedir" || set --
  gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$gyp" ] || gyp="$(command -v node-gyp)" || { echo "ci-pcsc: node-gyp not found" >&2; exit 1; }
  (cd node_modules/smartcard && node "$gyp" rebuild --loglevel=error "$@" >/dev/null)
fi
node -e "require('smartcard')" || { echo "ci-pcsc: the smartcard addon does not load" >&2; exit 1; }
