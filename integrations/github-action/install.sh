#!/usr/bin/env bash
# Installs batchguard for the GitHub Action (action.yml): the released binary for the runner's OS
# and architecture, checked against its published SHA-256, or a build from the action's own
# checkout when asked to or when no release binary can be had.
#
# Environment (set by action.yml; RUNNER_* and GITHUB_* by the runner):
#   BATCHGUARD_INSTALL   auto (release, else build), release (release or fail), source (build)
#   BATCHGUARD_VERSION   the release to download: a tag such as v0.2.0; empty means the version
#                        of the action's checkout (its Cargo.toml), so the binary matches the action
#   BATCHGUARD_RELEASES  where releases are downloaded from (default: the project's GitHub releases)
#   BATCHGUARD_SOURCE    the action's checkout (the repository root), for builds and the version
#   BATCHGUARD_ROOT      where it is installed (default: $RUNNER_TEMP/batchguard; the binary goes in bin/)
#   BATCHGUARD_CACHED    "true" when a cached source build was restored into BATCHGUARD_ROOT
# Prints nothing on success but what it did; writes `path=` (the binary) to GITHUB_OUTPUT and its
# folder to GITHUB_PATH.
set -euo pipefail

mode=${BATCHGUARD_INSTALL:-auto}
source_dir=${BATCHGUARD_SOURCE:?the action checkout}
releases=${BATCHGUARD_RELEASES:-https://github.com/batchguard/batchguard/releases}
# Release binaries and source builds both end up in $root/bin (cargo install --root puts them there).
root=${BATCHGUARD_ROOT:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/batchguard}
dest=$root/bin

case "$mode" in
  auto | release | source) ;;
  *) echo "::error title=batchguard::install must be auto, release or source, not '$mode'"; exit 2 ;;
esac

version=${BATCHGUARD_VERSION:-}
if [ -z "$version" ]; then
  version=v$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$source_dir/Cargo.toml" | head -n 1)
fi
case "$version" in v*) ;; *) version=v$version ;; esac

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) target= ;;
esac
exe=batchguard
archive=
if [ -n "$target" ]; then
  case "$target" in
    *windows*) exe=batchguard.exe; archive=batchguard-$target.zip ;;
    *) archive=batchguard-$target.tar.gz ;;
  esac
fi

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

# Downloads and checks the release archive; returns non-zero (with the reason) when it cannot.
download() {
  if [ -z "$target" ]; then
    echo "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
    return 1
  fi
  local url=$releases/download/$version/$archive
  local work
  work=$(mktemp -d)
  echo "downloading $url"
  if ! curl --fail --silent --show-error --location --retry 3 -o "$work/$archive" "$url" \
    || ! curl --fail --silent --show-error --location --retry 3 -o "$work/$archive.sha256" "$url.sha256"; then
    echo "could not download batchguard $version for $target"
    return 1
  fi
  local expected actual
  expected=$(cut -d ' ' -f 1 < "$work/$archive.sha256" | tr -d '\r\n')
  actual=$(sha256 "$work/$archive")
  if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]] || [ "$expected" != "$actual" ]; then
    echo "::error title=batchguard::$archive does not match its published SHA-256 (expected '$expected', got '$actual'); not installed"
    return 3
  fi
  mkdir -p "$dest"
  case "$archive" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then unzip -q -o "$work/$archive" -d "$work/x"; else 7z x -y -o"$work/x" "$work/$archive" >/dev/null; fi ;;
    *) mkdir -p "$work/x" && tar -xzf "$work/$archive" -C "$work/x" ;;
  esac
  local found
  found=$(find "$work/x" -type f -name "$exe" | head -n 1)
  if [ -z "$found" ]; then
    echo "$archive holds no $exe"
    return 1
  fi
  mv -f "$found" "$dest/$exe"
  chmod +x "$dest/$exe"
  rm -rf "$work"
  echo "installed batchguard $version ($target), SHA-256 $actual"
}

build() {
  echo "building batchguard from $source_dir"
  cargo install --locked --force --root "$root" --path "$source_dir" --bin batchguard
}

if [ -x "$dest/$exe" ] && [ "${BATCHGUARD_CACHED:-}" = "true" ]; then
  echo "using the cached build in $dest"
elif [ "$mode" = source ]; then
  build
else
  status=0
  download || status=$?
  if [ "$status" -ne 0 ]; then
    # A checksum mismatch is never papered over by a build: something altered the download.
    if [ "$mode" = release ] || [ "$status" -eq 3 ]; then
      echo "::error title=batchguard::the release binary could not be installed (install: $mode)"
      exit 1
    fi
    echo "::notice title=batchguard::no release binary ($version, ${target:-unsupported runner}); building from source"
    build
  fi
fi

"$dest/$exe" --version
echo "path=$dest/$exe" >> "${GITHUB_OUTPUT:-/dev/null}"
echo "$dest" >> "${GITHUB_PATH:-/dev/null}"
