#!/usr/bin/env bash
# Runs the cargo-fuzz targets under tests/fuzz for a bounded time each, one after another, on
# one core, and prints one line per target: seconds, executions, executions per second and the
# crashes (crash-, timeout-, oom- and leak- artifacts) it left.
#
#   tests/fuzz/run.sh                 # every target, FUZZ_SECONDS (default 600) each
#   FUZZ_SECONDS=60 tests/fuzz/run.sh note merkle
#
# Environment: FUZZ_SECONDS (per target, default 600), FUZZ_TIMEOUT (seconds one input may
# take, default 30), FUZZ_RSS_MB (default 2048), FUZZ_SANITIZER (cargo fuzz -s, default none:
# the crate forbids unsafe code; set address to build with ASan), CARGO_BUILD_JOBS (default 1).
# Exits 1 if any target crashed, 2 if the build or a run failed otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

seconds="${FUZZ_SECONDS:-600}"
timeout="${FUZZ_TIMEOUT:-30}"
rss="${FUZZ_RSS_MB:-2048}"
sanitizer="${FUZZ_SANITIZER:-none}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"

all=(statement jws note merkle normalise document)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all[@]}")

# The longest input each target is given.
max_len() {
    case "$1" in
        statement) echo 16384 ;;
        jws) echo 8192 ;;
        note) echo 4096 ;;
        merkle) echo 4096 ;;
        normalise) echo 1024 ;;
        document) echo 65536 ;;
        *) echo "unknown target $1" >&2; exit 2 ;;
    esac
}

for t in "${targets[@]}"; do max_len "$t" >/dev/null; done

fuzz=(cargo +nightly fuzz)
opts=(--fuzz-dir tests/fuzz --target-dir tests/fuzz/target -O -a -s "$sanitizer")

mkdir -p "$here/target"
if ! "${fuzz[@]}" build "${opts[@]}" >"$here/target/build.log" 2>&1; then
    tail -40 "$here/target/build.log" >&2
    exit 2
fi

logs="$here/artifacts/logs"
mkdir -p "$logs"
rows=()
crashed=0
failed=0
for t in "${targets[@]}"; do
    corpus="$here/corpus/$t"
    seeds="$here/seeds/$t"
    artifacts="$here/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    [[ -d "$seeds" ]] || seeds=""
    marker="$(mktemp)"
    log="$logs/$t.log"
    start=$(date +%s)
    status=0
    RUST_BACKTRACE=1 "${fuzz[@]}" run "${opts[@]}" "$t" "$corpus" ${seeds:+"$seeds"} -- \
        -max_total_time="$seconds" -rss_limit_mb="$rss" \
        -timeout="$timeout" -max_len="$(max_len "$t")" -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    elapsed=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if [[ -z "$execs" ]]; then
        # A crash ends the run before the final stats: take the last status line.
        execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
        rate=$(grep -oE 'exec/s: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    fi
    found=$(find "$artifacts" -maxdepth 1 -type f \
        \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) \
        -newer "$marker" | wc -l)
    rm -f "$marker"
    if (( found > 0 )); then
        crashed=1
    elif (( status != 0 )); then
        failed=1
        found="run failed ($status), see $log"
    fi
    rows+=("$(printf '%-10s %8s %12s %9s  %s' "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "$found")")
done

printf '%-10s %8s %12s %9s  %s\n' target seconds executions execs/s crashes
printf '%s\n' "${rows[@]}"
(( crashed )) && exit 1
(( failed )) && exit 2
exit 0
