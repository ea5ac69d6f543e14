#!/usr/bin/env bash
# Builds the Debian package of xiehui: build/package/xiehui_VERSION_ARCH.deb (CPack's DEB
# generator; layout and maintainer scripts in cmake/Package.cmake and packaging/).
# Works on a fresh Debian 12: installs what the build needs first.
#
#   sudo apt install ./build/package/xiehui_*.deb    then: sudo cat /etc/xiehui/xiehui.env
#                                                    (the first admin's password)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

# dpkg-dev: dpkg-shlibdeps, which turns the binary's libraries into the package's Depends; file:
# CPack finds the executables to pass it with file(1); fakeroot: root-owned files in the .deb.
ensure_packages "${XIEHUI_BUILD_PACKAGES[@]}" dpkg-dev file fakeroot
# The UI is rebuilt only when a source is newer than its build: scripts/test.sh packages while
# its browser tests are served from web/ui/dist, which a rebuild empties and writes again.
index="$ROOT/web/ui/dist/index.html"
if [[ -f "$index" && -z "$(find "$ROOT/web/ui" \( -path "$ROOT/web/ui/node_modules" -o \
  -path "$ROOT/web/ui/dist" \) -prune -o -type f -newer "$index" -print -quit)" ]]; then
  log "web UI build is up to date ($index)"
else
  build_ui >&2
fi
# Build output to stderr: stdout is the package's path alone (scripts/test.sh reads it).
configure_and_build xiehui >&2
rm -rf "$BUILD_DIR/package"
log "packaging: cpack -G DEB"
(cd "$BUILD_DIR" && fakeroot cpack -G DEB --config CPackConfig.cmake >&2)
deb="$(find "$BUILD_DIR/package" -maxdepth 1 -name 'xiehui_*.deb' -print -quit)"
[[ -n "$deb" ]] || die "cpack wrote no .deb under $BUILD_DIR/package"
log "package: $deb"
printf '%s\n' "$deb"
