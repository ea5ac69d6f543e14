#!/usr/bin/env bash
# Installs the Debian package on this machine (run as root, on a throwaway machine such as CI's),
# checks what it installed, serves from the installed files as the service would, signs in as
# the first admin, then purges it and checks what is left.
#
#   tests/package/install_test.sh build/package/xiehui_VERSION_ARCH.deb
set -euo pipefail

deb="$(realpath "$1")"
fail() {
  echo "install_test: FAIL: $*" >&2
  exit 1
}
step() { echo "install_test: $*" >&2; }

[[ $EUID -eq 0 ]] || fail "must run as root (it installs a package)"
if dpkg-query -W -f '${Status}' xiehui 2>/dev/null | grep -q 'installed'; then
  fail "a xiehui package is already installed here; this test would remove it"
fi
[[ ! -e /var/lib/xiehui ]] || fail "/var/lib/xiehui exists already; this test would mix its data in"

server_pid=""
work="$(mktemp -d)"
cleanup() {
  [[ -z "$server_pid" ]] || kill "$server_pid" 2>/dev/null || true
  if dpkg-query -W xiehui >/dev/null 2>&1; then dpkg --purge xiehui >/dev/null 2>&1 || true; fi
  rm -rf /var/lib/xiehui "$work"
}
trap cleanup EXIT

step "control fields"
control="$(dpkg-deb -I "$deb")"
grep -q '^ Package: xiehui$' <<<"$control" || fail "no Package: xiehui"
grep -Eq '^ Depends: .*libsoci' <<<"$control" || fail "Depends lacks the SOCI library: $control"
grep -Eq '^ Depends: .*adduser' <<<"$control" || fail "Depends lacks adduser"

step "dpkg -i"
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || {
  cat "$work/dpkg.log" >&2
  fail "dpkg -i failed"
}

step "installed files"
for f in /usr/bin/xiehui /usr/share/xiehui/ui/index.html /lib/systemd/system/xiehui.service \
  /etc/xiehui/xiehui.json /etc/xiehui/xiehui.env /usr/share/doc/xiehui/DEPLOY.md; do
  [[ -e "$f" ]] || fail "missing $f"
done
ls /usr/share/xiehui/ui/assets/*.js >/dev/null 2>&1 || fail "no UI scripts under /usr/share/xiehui/ui/assets"
getent passwd xiehui | grep -q ':/usr/sbin/nologin$' || fail "no xiehui system user with nologin"
[[ "$(stat -c '%U %a' /var/lib/xiehui)" == "xiehui 750" ]] || fail "/var/lib/xiehui: $(stat -c '%U %a' /var/lib/xiehui)"
[[ "$(stat -c '%U:%G %a' /etc/xiehui/xiehui.env)" == "root:xiehui 640" ]] ||
  fail "/etc/xiehui/xiehui.env: $(stat -c '%U:%G %a' /etc/xiehui/xiehui.env)"
grep -q '^/etc/xiehui/xiehui.json$' /var/lib/dpkg/info/xiehui.conffiles || fail "xiehui.json is not a conffile"
unit=/lib/systemd/system/xiehui.service
for line in 'User=xiehui' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'PrivateTmp=yes' \
  'Restart=on-failure' 'ReadWritePaths=/var/lib/xiehui' \
  'ExecStart=/usr/bin/xiehui serve --config /etc/xiehui/xiehui.json'; do
  grep -qxF "$line" "$unit" || fail "the unit lacks '$line'"
done
if command -v systemd-analyze >/dev/null; then
  # Offline check of the unit's syntax and paths (no running systemd needed).
  systemd-analyze verify "$unit" 2>"$work/verify.log" || {
    cat "$work/verify.log" >&2
    fail "systemd-analyze verify $unit"
  }
fi

step "serving from the installed files, as the unit does"
password="$(sed -n 's/^XIEHUI_INITIAL_ADMIN_PASSWORD=//p' /etc/xiehui/xiehui.env)"
[[ ${#password} -ge 16 ]] || fail "no initial admin password in /etc/xiehui/xiehui.env"
(cd /var/lib/xiehui && exec runuser -u xiehui -- env "XIEHUI_INITIAL_ADMIN_PASSWORD=$password" \
  /usr/bin/xiehui serve --config /etc/xiehui/xiehui.json --listen 127.0.0.1:0 \
  >"$work/serve.out" 2>"$work/serve.err") &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/serve.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; fail "xiehui exited"; }
  sleep 0.1
done
url="$(sed -n 's/^listening on //p' "$work/serve.out")"
[[ -n "$url" ]] || fail "xiehui did not print its listening line"
page="$(curl -sf "$url/login")" || fail "GET /login failed"
[[ "$page" == "$(cat /usr/share/xiehui/ui/index.html)" ]] ||
  fail "GET /login did not serve the installed UI's index.html: $page"
[[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$password\"}" "$url/api/session")" == 200 ]] ||
  fail "the first admin cannot sign in with the password from /etc/xiehui/xiehui.env"
[[ -f /var/lib/xiehui/xiehui.db ]] || fail "the database is not in /var/lib/xiehui"
[[ "$(stat -c %U /var/lib/xiehui/xiehui.db)" == xiehui ]] || fail "the database is not the xiehui user's"
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

step "dpkg --purge"
dpkg --purge xiehui >"$work/purge.log" 2>&1 || {
  cat "$work/purge.log" >&2
  fail "dpkg --purge failed"
}
[[ ! -e /usr/bin/xiehui && ! -e /etc/xiehui ]] || fail "purge left the program or its configuration"
! getent passwd xiehui >/dev/null || fail "purge left the xiehui user"
[[ -f /var/lib/xiehui/xiehui.db ]] || fail "purge deleted the data (it must keep it)"
step "PASS: installed, served the UI, signed in, purged (data kept)"
