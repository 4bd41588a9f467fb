#!/usr/bin/env bash
# Makes the Marketplace README's screenshots (extension/images/) from the ones the e2e saved in
# .e2e/screenshots/ (tests/e2e/moduleView.test.mjs, tests/e2e/crwVsix.test.mjs): cropped to what
# they show, in a 32-colour palette, so each is a small PNG the VSIX can carry. Look at both
# before committing them. Needs ImageMagick's convert (apt-get install imagemagick; CONVERT=path
# picks another one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
convert=${CONVERT:-convert}
shots=.e2e/screenshots
for shot in module-view crw-terminal; do
  [ -f "$shots/$shot.png" ] || { echo "readme-images: no $shots/$shot.png; run its e2e first" >&2; exit 1; }
done
# The e2e's window is 1400x1000. The module view: the window without its title bar (the command
# centre names the test's workspace); crw: the terminal panel's tabs and its first rows.
"$convert" "$shots/module-view.png" -crop 1400x968+0+32 +repage -dither None -colors 32 PNG8:extension/images/module-view.png
"$convert" "$shots/crw-terminal.png" -crop 1052x200+348+645 +repage -dither None -colors 32 PNG8:extension/images/crw-terminal.png
for image in module-view crw-terminal; do
  echo "readme-images: extension/images/$image.png $(stat -c %s "extension/images/$image.png") bytes"
done
