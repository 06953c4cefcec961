#!/usr/bin/env bash
# The project's test command: fetch the Debian test data the tests read (ONNX conformance data, Fashion-MNIST and
# scikit-learn's digits, into .testdata/, git-ignored, without installing anything on the machine), then run
# `dotnet test` with any arguments given, e.g.
#   ./test.sh                                          # everything
#   ./test.sh --filter Category=Unit                   # only the in-memory tests (also Network, Process)
# A package that cannot be fetched is reported; the tests that need it then skip and say so.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

data=.testdata
# Debian package -> a file inside it that proves it is unpacked.
declare -A packages=(
  [libonnx-testdata]=usr/share/libonnx-testdata/data/node/test_add/model.onnx
  [dataset-fashion-mnist]=usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz
  [python3-sklearn]=usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
)

fetch() {
  local package=$1 marker=$2 work
  [ -f "$data/$package/$marker" ] && return 0
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "test.sh: no apt-get/dpkg-deb here, so $package is not fetched; the tests that need it skip." >&2
    return 0
  fi
  work=$(mktemp -d)
  echo "test.sh: fetching $package into $data/$package"
  # apt-get download needs the package lists; refresh them once if the first try finds nothing.
  if ! (cd "$work" && apt-get download -q "$package" >/dev/null 2>&1); then
    apt-get update -q >/dev/null 2>&1 || true
    if ! (cd "$work" && apt-get download -q "$package" >/dev/null); then
      echo "test.sh: could not download $package; the tests that need it skip." >&2
      rm -rf "$work"
      return 0
    fi
  fi
  rm -rf "$data/$package.partial" && mkdir -p "$data/$package.partial"
  dpkg-deb -x "$work"/*.deb "$data/$package.partial"
  rm -rf "$data/$package" && mv "$data/$package.partial" "$data/$package"
  rm -rf "$work"
}

for package in "${!packages[@]}"; do fetch "$package" "${packages[$package]}"; done
exec dotnet test "$@"
