#!/usr/bin/env bash
# Runs the fuzz targets (fuzz/fuzz_targets/) one after the other, each for SECONDS, on seeds made
# from testdata/ and ../shared/corpus (fuzz/seed.sh) plus what earlier runs found (fuzz/corpus/).
# A crash, a timeout (> 10 s for one input) or more than 2 GB of memory fails the run; the input
# is left in fuzz/artifacts/<target>/ (README, "Fuzzing", says how to minimize and keep it).
#
#   fuzz/run.sh [SECONDS] [TARGET...]     (default: 30 seconds, every target)
#
# The targets are built with AddressSanitizer (which also checks the C code of the Bicep grammar);
# FUZZ_SANITIZER=none builds them without, in about two thirds of the time (.ci/run does, for its
# brief runs).
#
# Needs a nightly toolchain and cargo-fuzz. Without a nightly toolchain it says so and exits 0;
# without cargo-fuzz it installs it when CI=true, else it says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("$@")
sanitizer=${FUZZ_SANITIZER:-address}
[ ${#targets[@]} -gt 0 ] || targets=(arm_frontend hcl_frontend arm_expr tf_module arm_pipeline bicep_pipeline tfjson_pipeline lsp rule_file)

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: no nightly toolchain is installed (rustup toolchain install nightly); the fuzz targets were not run" >&2
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "fuzz: installing cargo-fuzz"
    cargo +nightly install cargo-fuzz --locked --quiet
  else
    echo "fuzz: cargo-fuzz is absent (cargo install cargo-fuzz --locked); the fuzz targets were not run" >&2
    exit 0
  fi
fi

bash fuzz/seed.sh "${targets[@]}"
echo "fuzz: building the targets"
cargo +nightly fuzz build -O -s "$sanitizer"
for t in "${targets[@]}"; do
  mkdir -p "fuzz/artifacts/$t"
  log=$(mktemp)
  echo "fuzz: $t for ${seconds}s"
  if ! cargo +nightly fuzz run -O -s "$sanitizer" "$t" -- -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $t failed; the input is in fuzz/artifacts/$t/" >&2
    rm -f "$log"
    exit 1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
  echo "fuzz: $t: ${execs:-?} executions in ${seconds}s, $cov, no crash"
  rm -f "$log"
done
