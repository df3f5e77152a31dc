#!/usr/bin/env bash
# An application outside the build uses ptinv as README.md "Use as a library" says: install ptinv into the local
# Maven repository, build examples/outside-app (its own pom, the BOM, ptinv-torch) and edit the sample image with the
# shipped model. Pass -o to Maven offline.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
offline=${1:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mvn -B -q $offline -f "$root/pom.xml" install -DskipTests
mvn -B -q $offline -f "$root/examples/outside-app/pom.xml" package dependency:build-classpath \
  -Dmdep.outputFile="$out/cp.txt"
java -cp "$root/examples/outside-app/target/classes:$(cat "$out/cp.txt")" demo.EditWithPtinv "$root/models/shapes" \
  "$root/docs/examples/red-circle.png" "$out/out.png" "a green circle on a blue background"
test -s "$out/out.png"
echo "outside app: edited docs/examples/red-circle.png ($(stat -c %s "$out/out.png") bytes), class path $(tr ':' '\n' < "$out/cp.txt" | xargs du -cm | tail -1 | cut -f1) MB"
