#!/usr/bin/env bash
# Pack RegenLog.app into a compressed disk image with a shortcut to /Applications, so the
# patient drags the app across. Signing, if any, happens before (the .app, signed, notarized
# and stapled, so the copy dragged out keeps its ticket) and after (the .dmg): see
# sign_and_notarize.sh.
#
#   bash packaging/macos/make_dmg.sh dist/RegenLog.app dist/RegenLog-0.1.0-macos-arm64.dmg
set -euo pipefail

app="${1:?usage: make_dmg.sh PATH/RegenLog.app OUT.dmg}"
out="${2:?usage: make_dmg.sh PATH/RegenLog.app OUT.dmg}"
[ -d "$app" ] || { echo "make_dmg.sh: $app is not a folder" >&2; exit 1; }
command -v hdiutil >/dev/null || { echo "make_dmg.sh: hdiutil is macOS only" >&2; exit 1; }

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symlinks, extended attributes and signatures intact.
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"

rm -f "$out"
hdiutil create -volname "RegenLog" -srcfolder "$staging" -fs HFS+ -format UDZO \
  -imagekey zlib-level=9 -ov "$out"
hdiutil verify "$out"
echo "make_dmg.sh: wrote $out"
