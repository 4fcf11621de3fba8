#!/bin/sh
# Install Assessor for the current user from this unpacked folder: the program goes to
# ~/.local/opt/assessor-app, a command link to ~/.local/bin, the menu entry and icon to
# ~/.local/share. Run it again to upgrade; remove those four paths to uninstall. The data
# folder (~/.local/share/Assessor) is never touched.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
target=$HOME/.local/opt/assessor-app
mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$prefix/applications" \
    "$prefix/icons/hicolor/scalable/apps"
rm -rf "$target.new"
cp -R "$here/assessor-app" "$target.new"
rm -rf "$target"
mv "$target.new" "$target"
ln -sf "$target/assessor-app" "$HOME/.local/bin/assessor-app"
cp "$here/assessor.svg" "$prefix/icons/hicolor/scalable/apps/assessor.svg"
sed "s|^Exec=.*|Exec=$target/assessor-app|" "$here/assessor.desktop" \
    > "$prefix/applications/assessor.desktop"
echo "Assessor installed in $target; start it from the menu or with $HOME/.local/bin/assessor-app"
