#!/usr/bin/env bash
# Sign, notarize and staple RegenLog.app, then (after make_dmg.sh) the disk image, when the
# signing secrets exist. Without them (a fork, a developer's machine) it says so and exits 0:
# the build still produces a working, unsigned app (docs/install.md says how to open one).
#
#   bash packaging/macos/sign_and_notarize.sh app dist/RegenLog.app     # before make_dmg.sh
#   bash packaging/macos/sign_and_notarize.sh dmg dist/RegenLog-....dmg # after make_dmg.sh
#
# The order is Apple's ("Creating distribution-signed code for macOS"): every code item on
# its own, from the inside out (deepest first); a framework by its version folder
# (QtCore.framework/Versions/A), never by the binary inside it; the entitlements on the app
# alone, not on library code; no --deep. The app is notarized and its ticket stapled before
# it goes into the disk image, so a copy dragged out of the image carries its own ticket.
# A submission Apple does not accept ends the script with Apple's log of the reasons.
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
case "$mode" in
  app | dmg) ;;
  *)
    echo "sign_and_notarize.sh: the mode is 'app' or 'dmg', not '$mode'" >&2
    exit 2
    ;;
esac
[ -e "$target" ] || { echo "sign_and_notarize.sh: $target does not exist" >&2; exit 2; }

missing=""
for name in MACOS_CERTIFICATE_P12_BASE64 MACOS_CERTIFICATE_PASSWORD MACOS_SIGNING_IDENTITY \
  APPLE_ID APPLE_TEAM_ID APPLE_APP_PASSWORD; do
  [ -n "${!name:-}" ] || missing="$missing $name"
done
if [ -n "$missing" ]; then
  echo "sign_and_notarize.sh: skipping $mode signing and notarization (not set:$missing)."
  exit 0
fi

# A throw-away keychain holding only the signing certificate, removed on exit.
work="$(mktemp -d)"
keychain="${RUNNER_TEMP:-$work}/regenlog-signing.keychain-db"
keychain_password="$(uuidgen)"
cleanup() {
  rm -rf "$work"
  security delete-keychain "$keychain" >/dev/null 2>&1 || true
}
trap cleanup EXIT
printf '%s' "$MACOS_CERTIFICATE_P12_BASE64" | base64 --decode > "$work/certificate.p12"
security create-keychain -p "$keychain_password" "$keychain"
security set-keychain-settings -lut 21600 "$keychain"
security unlock-keychain -p "$keychain_password" "$keychain"
security import "$work/certificate.p12" -P "$MACOS_CERTIFICATE_PASSWORD" -A -t cert \
  -f pkcs12 -k "$keychain"
security set-key-partition-list -S apple-tool:,apple: -s -k "$keychain_password" "$keychain" \
  >/dev/null
# Put it first in the search list, keeping the others (one quoted path per line).
keychains=("$keychain")
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line#\"}"
  keychains+=("${line%\"}")
done < <(security list-keychains -d user)
security list-keychains -d user -s "${keychains[@]}"

# codesign for one code item; "$@" adds options (the entitlements, for the app only).
sign() {
  local item="$1"
  shift
  echo "signing ${item#"$target"/}"
  codesign --force --timestamp --options runtime --keychain "$keychain" \
    --sign "$MACOS_SIGNING_IDENTITY" "$@" "$item"
}

# Every code item inside the app that is signed on its own, deepest first: the version
# folders of frameworks, and each Mach-O file that is not a framework's own binary (those
# are sealed by their version folder) nor the app's main program (sealed by the app).
nested_code() {
  local app="$1" main path versions depth slashes
  main="$app/Contents/MacOS/$(basename "$app" .app)"
  {
    while IFS= read -r -d '' path; do
      versions="$(dirname "$path")"
      [[ "$(basename "$versions")" == Versions && "$(dirname "$versions")" == *.framework ]] ||
        continue
      printf '%s\n' "$path"
    done < <(find "$app/Contents" -type d -path '*.framework/Versions/*' -print0)
    while IFS= read -r -d '' path; do
      [ "$path" = "$main" ] && continue
      is_framework_binary "$path" && continue
      file -b "$path" | grep -q 'Mach-O' || continue
      printf '%s\n' "$path"
    done < <(find "$app/Contents" -type f -print0)
  } | while IFS= read -r path; do
    slashes="${path//[^\/]/}"
    depth="${#slashes}"
    printf '%s\t%s\n' "$depth" "$path"
  done | sort -t "$(printf '\t')" -k1,1nr -k2,2 | cut -f2-
}

# True for X.framework/Versions/V/X, the binary a framework's version folder seals.
is_framework_binary() {
  local path="$1" version versions framework
  version="$(dirname "$path")"
  versions="$(dirname "$version")"
  framework="$(dirname "$versions")"
  [[ "$(basename "$versions")" == Versions && "$framework" == *.framework ]] &&
    [[ "$(basename "$path")" == "$(basename "$framework" .framework)" ]]
}

# Submit FILE to Apple's notary service and wait. notarytool exits 0 for a submission Apple
# found Invalid, so read its status; anything but Accepted ends here, with Apple's log.
notarize() {
  local file="$1" result id status
  local account=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID"
    --password "$APPLE_APP_PASSWORD")
  result="$(xcrun notarytool submit "$file" "${account[@]}" --wait --output-format json)"
  id="$(json_field id "$result")"
  status="$(json_field status "$result")"
  echo "notarytool: $(basename "$file"): ${status:-no status} (submission ${id:-none})"
  if [ "$status" != Accepted ]; then
    echo "sign_and_notarize.sh: Apple did not accept $file (${status:-no status})." >&2
    echo "$result" >&2
    if [ -n "$id" ]; then
      echo "sign_and_notarize.sh: Apple's log for submission $id:" >&2
      xcrun notarytool log "$id" "${account[@]}" >&2 || true
    fi
    exit 1
  fi
}

json_field() {
  python3 -c 'import json, sys; print(json.loads(sys.argv[2]).get(sys.argv[1], ""))' "$1" "$2"
}

case "$mode" in
  app)
    while IFS= read -r item; do
      sign "$item"
    done < <(nested_code "$target")
    sign "$target" --entitlements "$here/entitlements.plist"
    codesign --verify --deep --strict --verbose=2 "$target"  # checking may go deep
    # The notary service takes a zip of the app; the ticket is then stapled to the app itself.
    ditto -c -k --keepParent "$target" "$work/$(basename "$target").zip"
    notarize "$work/$(basename "$target").zip"
    xcrun stapler staple "$target"
    xcrun stapler validate "$target"
    spctl --assess --type execute --verbose=2 "$target"
    echo "sign_and_notarize.sh: signed, notarized and stapled $target"
    ;;
  dmg)
    codesign --force --timestamp --keychain "$keychain" --sign "$MACOS_SIGNING_IDENTITY" \
      "$target"
    notarize "$target"
    xcrun stapler staple "$target"
    xcrun stapler validate "$target"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$target"
    echo "sign_and_notarize.sh: signed, notarized and stapled $target"
    ;;
esac
