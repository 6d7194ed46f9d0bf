#!/usr/bin/env bash
# The Python package as a user meets it: builds the wheel (maturin, binary bindings), installs it
# into a fresh virtual environment, runs `batchguard --version` and a scan of a folder outside the
# current directory, then runs the pre-commit hook that installs the wheel
# (integrations/pre-commit/mirror) on a fresh pre-commit cache and prints how long its first run
# took. Needs python3 with venv and the PyPI index (for maturin, pre-commit and setuptools).
#
# Usage: scripts/package-check.sh [OUT_DIR]   (default: target/package-check)
# The wheel is built with the dev profile, so that CI reuses the test build; release wheels come
# from .github/workflows/release.yml.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/target/package-check}
rm -rf "$out"
mkdir -p "$out/wheels"

step() { echo "-- $*"; }

step "tools: maturin and pre-commit in $out/tools"
python3 -m venv "$out/tools"
"$out/tools/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.7,<2" "pre-commit>=3"

step "maturin build (dev profile)"
(cd "$here" && "$out/tools/bin/maturin" build --profile dev --locked --quiet --out "$out/wheels")
wheel=$(ls "$out"/wheels/batchguard-*.whl)
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f 1) KiB)"

step "pip install the wheel into a fresh virtual environment"
python3 -m venv "$out/venv"
"$out/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
"$out/venv/bin/batchguard" --version

step "scan a folder outside the current directory"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
set +e
"$out/venv/bin/batchguard" scan "$here/testdata/NET001/azurerm/violating" --format concise --quiet > "$out/scan.txt"
code=$?
set -e
cat "$out/scan.txt"
if [ "$code" -ne 1 ] || ! grep -q "NET001" "$out/scan.txt"; then
  echo "the installed batchguard did not report NET001 (exit code $code)" >&2
  exit 1
fi

step "pre-commit: the hook repository that installs the wheel"
# The hook repository as the release workflow publishes it, at this version.
mirror=$scratch/batchguard-pre-commit
mkdir -p "$mirror"
cp "$here/integrations/pre-commit/mirror/.pre-commit-hooks.yaml" "$here/integrations/pre-commit/mirror/pyproject.toml" "$mirror/"
git -C "$mirror" init --quiet
git -C "$mirror" add -A
git -C "$mirror" -c user.name=ci -c user.email=ci@localhost commit --quiet -m hook
rev=$(git -C "$mirror" rev-parse HEAD)
# A repository with one template that violates NET001.
project=$scratch/project
mkdir -p "$project"
cp "$here"/testdata/NET001/azurerm/violating/*.tf "$project/"
cat > "$project/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $mirror
    rev: $rev
    hooks:
      - id: batchguard
EOF
git -C "$project" init --quiet
git -C "$project" add -A
# The wheel and the mirror's build backend come from the local folder only, so the wheel
# installed is the one just built.
"$out/tools/bin/pip" download --quiet --disable-pip-version-check --dest "$out/wheels" "setuptools>=61" wheel
export PIP_NO_INDEX=1 PIP_FIND_LINKS=$out/wheels PRE_COMMIT_HOME=$scratch/pre-commit-home
start=$(date +%s.%N)
set +e
(cd "$project" && "$out/tools/bin/pre-commit" run --all-files > "$out/pre-commit.txt" 2>&1)
code=$?
set -e
end=$(date +%s.%N)
cat "$out/pre-commit.txt"
if [ "$code" -ne 1 ] || ! grep -q "NET001" "$out/pre-commit.txt"; then
  echo "the pre-commit hook did not report NET001 (exit code $code)" >&2
  exit 1
fi
printf 'pre-commit first run (hook environment created from the wheel): %.1f s\n' "$(echo "$end - $start" | bc)"
