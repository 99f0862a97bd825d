#!/usr/bin/env bash
# Add RegenLog to your applications menu (for you only, no administrator rights needed).
# Run it from the unpacked RegenLog folder, after moving that folder where it will stay:
#
#   ./install-desktop-entry.sh            add the menu entry
#   ./install-desktop-entry.sh --remove   take it away again (your records are not touched)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
share="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$share/applications/regenlog.desktop"
icon="$share/icons/hicolor/512x512/apps/regenlog.png"

if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry" "$icon"
  echo "Removed the RegenLog menu entry. Your records are where they were."
  exit 0
fi

[ -x "$here/RegenLog" ] || { echo "Run this script from the unpacked RegenLog folder." >&2; exit 1; }
mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/_internal/resources/icons/app.png" "$icon"
# The file name matches the app's desktop file name ("regenlog"), so the window and the
# menu entry share one icon in the dock or task bar.
cat > "$entry" <<EOF
[Desktop Entry]
Type=Application
Name=RegenLog
GenericName=Medical reimbursement records
Comment=Keeps the paperwork that gets cash-paid regenerative-medicine care reimbursed
Exec="$here/RegenLog"
Icon=regenlog
Terminal=false
Categories=Office;Finance;
EOF
if command -v update-desktop-database >/dev/null; then
  update-desktop-database "$(dirname "$entry")" || true  # a stale menu cache is harmless
fi
echo "Added RegenLog to your applications menu."
