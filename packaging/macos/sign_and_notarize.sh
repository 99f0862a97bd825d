#!/usr/bin/env bash
# Sign RegenLog.app, or sign, notarize and staple the .dmg, when the signing secrets exist.
# Without them (a fork, a developer's machine) it says so and exits 0: the build still
# produces a working, unsigned app that macOS opens after a right-click > Open.
#
#   bash packaging/macos/sign_and_notarize.sh app dist/RegenLog.app     # before make_dmg.sh
#   bash packaging/macos/sign_and_notarize.sh dmg dist/RegenLog-....dmg # after make_dmg.sh
#
# Secrets, as environment variables (GitHub: repository secrets, see docs/building.md):
#   MACOS_CERTIFICATE_P12_BASE64  the "Developer ID Application" certificate and key, .p12,
#                                 base64-encoded
#   MACOS_CERTIFICATE_PASSWORD    the .p12's password
#   MACOS_SIGNING_IDENTITY        e.g. "Developer ID Application: Jane Doe (ABCDE12345)"
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   for notarization (an app-specific password)
set -euo pipefail

mode="${1:?usage: sign_and_notarize.sh app|dmg PATH}"
target="${2:?usage: sign_and_notarize.sh app|dmg PATH}"
here="$(cd "$(dirname "$0")" && pwd)"

missing=()
for name in MACOS_CERTIFICATE_P12_BASE64 MACOS_CERTIFICATE_PASSWORD MACOS_SIGNING_IDENTITY; do
  [ -n "${!name:-}" ] || missing+=("$name")
done
if [ "$mode" = dmg ]; then
  for name in APPLE_ID APPLE_TEAM_ID APPLE_APP_PASSWORD; do
    [ -n "${!name:-}" ] || missing+=("$name")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "sign_and_notarize.sh: skipping $mode signing (not set: ${missing[*]})."
  exit 0
fi

# A throw-away keychain holding only the signing certificate, removed on exit.
keychain="${RUNNER_TEMP:-$(mktemp -d)}/regenlog-signing.keychain-db"
keychain_password="$(uuidgen)"
certificate="$(mktemp).p12"
cleanup() {
  rm -f "$certificate"
  security delete-keychain "$keychain" >/dev/null 2>&1 || true
}
trap cleanup EXIT
echo "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode > "$certificate"
security create-keychain -p "$keychain_password" "$keychain"
security set-keychain-settings -lut 21600 "$keychain"
security unlock-keychain -p "$keychain_password" "$keychain"
security import "$certificate" -P "$MACOS_CERTIFICATE_PASSWORD" -A -t cert -f pkcs12 \
  -k "$keychain"
security set-key-partition-list -S apple-tool:,apple: -s -k "$keychain_password" "$keychain" \
  >/dev/null
# Put it first in the search list, keeping the others (one word per keychain path).
# shellcheck disable=SC2046
security list-keychains -d user -s "$keychain" $(security list-keychains -d user | tr -d '"')

sign() {
  codesign --force --timestamp --options runtime --keychain "$keychain" \
    --entitlements "$here/entitlements.plist" --sign "$MACOS_SIGNING_IDENTITY" "$@"
}

case "$mode" in
  app)
    # Inside out: every library and executable first, then the bundle that seals them.
    while IFS= read -r -d '' file; do
      if file -b "$file" | grep -q "Mach-O"; then
        sign "$file"
      fi
    done < <(find "$target/Contents" -type f -print0)
    sign "$target"
    codesign --verify --deep --strict --verbose=2 "$target"
    echo "sign_and_notarize.sh: signed $target"
    ;;
  dmg)
    codesign --force --timestamp --keychain "$keychain" --sign "$MACOS_SIGNING_IDENTITY" \
      "$target"
    xcrun notarytool submit "$target" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
      --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$target"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$target"
    echo "sign_and_notarize.sh: signed, notarized and stapled $target"
    ;;
  *)
    echo "sign_and_notarize.sh: the mode is 'app' or 'dmg', not '$mode'" >&2
    exit 2
    ;;
esac
