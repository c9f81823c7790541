#!/bin/sh
# Installs the Chorus speaker agent on this node, enrolls it with a provisioning bundle, and
# enables its systemd service. Step by step: docs/node-install.md.
#
#   sudo ./install.sh bundle.json     the bundle as a file (saved from the installer's phone)
#   sudo ./install.sh                 paste the bundle JSON (the text under the QR code), Ctrl-D
#   sudo ./install.sh - < bundle.json on standard input
#   sudo ./install.sh --upgrade       a newer build over an enrolled node: no bundle, same identity
#
# Environment (default):
#   CHORUS_PREFIX      where the agent goes           (/opt/chorus-agent)
#   CHORUS_CONFIG_DIR  node.json                      (/etc/chorus-agent)
#   CHORUS_DATA_DIR    credentials, plan, audio       (/var/lib/chorus-agent)
#   CHORUS_UNIT_DIR    the systemd unit               (/etc/systemd/system; $CHORUS_PREFIX
#                                                      with CHORUS_NO_SYSTEMD=1)
#   CHORUS_USER        the service's own user         (chorus-agent)
#   CHORUS_NODE        Node.js 20+ binary             (node on PATH)
#   CHORUS_CONTROLLER  controller URL, when the node reaches it by another address than the
#                      bundle's
#   CHORUS_NO_SYSTEMD  1: install and enroll only: no user, no service (tests, manual start)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${CHORUS_PREFIX:-/opt/chorus-agent}
CONFIG_DIR=${CHORUS_CONFIG_DIR:-/etc/chorus-agent}
DATA_DIR=${CHORUS_DATA_DIR:-/var/lib/chorus-agent}
NO_SYSTEMD=${CHORUS_NO_SYSTEMD:-0}
if [ "$NO_SYSTEMD" = 1 ]; then UNIT_DIR=${CHORUS_UNIT_DIR:-$PREFIX}; else
  UNIT_DIR=${CHORUS_UNIT_DIR:-/etc/systemd/system}; fi
AGENT_USER=${CHORUS_USER:-chorus-agent}
NODE=${CHORUS_NODE:-$(command -v node || true)}

say() { printf 'chorus-agent install: %s\n' "$*"; }
die() { printf 'chorus-agent install: error: %s\n' "$*" >&2; exit 1; }

# 0. Checks: the agent needs Node.js 20 or newer and nothing else (no npm, no compiler).
[ -f "$HERE/chorus-agent.mjs" ] || die "chorus-agent.mjs is missing beside install.sh"
[ -n "$NODE" ] && [ -x "$NODE" ] ||
  die "Node.js 20 or newer is needed (apt-get install nodejs), or set CHORUS_NODE"
major=$("$NODE" -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || die "Node.js $("$NODE" --version) is too old: 20 or newer is needed"
if [ "$NO_SYSTEMD" != 1 ] && [ "$(id -u)" -ne 0 ]; then
  die "run as root (sudo ./install.sh), or set CHORUS_NO_SYSTEMD=1"
fi

# 1. The provisioning bundle: a file argument, or standard input. It holds a one-time token:
#    keep it in a private temporary file and delete it afterwards.
UPGRADE=0
if [ "${1:-}" = --upgrade ]; then
  UPGRADE=1
  [ -f "$DATA_DIR/credentials.json" ] ||
    die "--upgrade needs an enrolled node ($DATA_DIR/credentials.json); install with a bundle"
fi
umask 077
BUNDLE=$(mktemp "${TMPDIR:-/tmp}/chorus-bundle.XXXXXX")
trap 'rm -f "$BUNDLE"' EXIT
trap 'exit 130' INT TERM
if [ "$UPGRADE" = 1 ]; then
  : # no bundle: the node keeps its credentials
elif [ $# -ge 1 ] && [ "$1" != - ]; then
  [ -f "$1" ] || die "no bundle file $1"
  cat "$1" >"$BUNDLE"
else
  [ -t 0 ] && say "paste the provisioning bundle (the JSON under the QR code), then press Ctrl-D:"
  cat >"$BUNDLE"
fi
[ "$UPGRADE" = 1 ] || [ -s "$BUNDLE" ] || die "the provisioning bundle is empty"

# 2. The program: one JavaScript file, ffmpeg beside it when the build machine's architecture
#    matches this node's, and the reference files.
umask 022
mkdir -p "$PREFIX/bin" "$CONFIG_DIR" "$UNIT_DIR"
cp "$HERE/chorus-agent.mjs" "$PREFIX/.chorus-agent.mjs.new"
mv -f "$PREFIX/.chorus-agent.mjs.new" "$PREFIX/chorus-agent.mjs"
for f in manifest.json node.json.example chorus-agent.service chorus-agent.mjs.LEGAL.txt; do
  if [ -f "$HERE/$f" ]; then cp "$HERE/$f" "$PREFIX/$f"; fi
done
if [ -f "$HERE/bin/ffmpeg" ]; then
  if "$HERE/bin/ffmpeg" -hide_banner -version >/dev/null 2>&1; then
    cp "$HERE/bin/ffmpeg" "$PREFIX/bin/.ffmpeg.new"
    chmod 0755 "$PREFIX/bin/.ffmpeg.new"
    mv -f "$PREFIX/bin/.ffmpeg.new" "$PREFIX/bin/ffmpeg"
    if [ -f "$HERE/bin/ffmpeg.txt" ]; then cp "$HERE/bin/ffmpeg.txt" "$PREFIX/bin/ffmpeg.txt"; fi
  else
    say "the bundled ffmpeg does not run here (another architecture): not installed"
    rm -f "$PREFIX/bin/ffmpeg"
  fi
fi
if [ ! -x "$PREFIX/bin/ffmpeg" ] && [ -z "${FFMPEG_PATH:-}" ] && ! command -v ffmpeg >/dev/null; then
  say "warning: no ffmpeg: install it (apt-get install ffmpeg) or the node cannot play"
fi
if [ ! -f "$CONFIG_DIR/node.json" ]; then
  cp "$HERE/node.json.example" "$CONFIG_DIR/node.json"
  say "wrote $CONFIG_DIR/node.json (audio output, volume; edit it, then restart the service)"
fi

# 3. The service's own user and its private data directory.
if [ "$NO_SYSTEMD" != 1 ]; then
  if ! id -u "$AGENT_USER" >/dev/null 2>&1; then
    useradd --system --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin \
      --user-group "$AGENT_USER"
    say "created system user $AGENT_USER"
  fi
  if getent group audio >/dev/null 2>&1; then usermod -a -G audio "$AGENT_USER"; fi
fi
mkdir -p "$DATA_DIR"
chmod 0700 "$DATA_DIR"

# 4. Enroll: the one-time token becomes the node's own secret, stored in credentials.json (0600).
if [ "$UPGRADE" = 0 ]; then
  set -- --config "$CONFIG_DIR/node.json" --data-dir "$DATA_DIR" --enroll "$BUNDLE" --enroll-only
  if [ -n "${CHORUS_CONTROLLER:-}" ]; then set -- "$@" --controller "$CHORUS_CONTROLLER"; fi
  "$NODE" "$PREFIX/chorus-agent.mjs" "$@" || die "enrollment failed (see the message above)"
  say "enrolled: credentials in $DATA_DIR/credentials.json"
fi
if [ "$NO_SYSTEMD" != 1 ]; then chown -R "$AGENT_USER:$AGENT_USER" "$DATA_DIR"; fi

# 5. The service. Node's flags (memory limits, --lite-mode) are those of its ExecStart line.
NODE_FLAGS=$(sed -n 's#^ExecStart=@NODE@ \(.*\) /opt/chorus-agent/chorus-agent\.mjs .*#\1#p' \
  "$HERE/chorus-agent.service")
[ -n "$NODE_FLAGS" ] || die "chorus-agent.service has no ExecStart line for chorus-agent.mjs"
sed -e "s#/opt/chorus-agent#$PREFIX#g" -e "s#/etc/chorus-agent#$CONFIG_DIR#g" \
  -e "s#/var/lib/chorus-agent#$DATA_DIR#g" -e "s#@NODE@#$NODE#g" \
  -e "s#^User=.*#User=$AGENT_USER#" -e "s#^Group=.*#Group=$AGENT_USER#" \
  "$HERE/chorus-agent.service" >"$UNIT_DIR/chorus-agent.service"
if [ "$NO_SYSTEMD" = 1 ]; then
  say "installed without systemd; start the agent with:"
  say "  $NODE $NODE_FLAGS $PREFIX/chorus-agent.mjs --config $CONFIG_DIR/node.json --data-dir $DATA_DIR"
  exit 0
fi
systemctl daemon-reload
systemctl enable chorus-agent.service >/dev/null
systemctl restart chorus-agent.service
i=0
while [ "$i" -lt 10 ] && ! systemctl is-active --quiet chorus-agent.service; do
  sleep 1
  i=$((i + 1))
done
if systemctl is-active --quiet chorus-agent.service; then
  say "chorus-agent is running; follow it with: journalctl -u chorus-agent -f"
else
  die "chorus-agent did not start; see: journalctl -u chorus-agent -n 50"
fi
