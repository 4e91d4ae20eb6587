#!/usr/bin/env bash
# tools/fuzz.sh - build the libFuzzer targets (tests/fuzz/) and run them.
#
# usage: tools/fuzz.sh [--time SEC | --runs N] [--seed N] [--update-corpus]
#                      [TARGET...]
#
#   TARGET           a target's name: perf_proto, perf_verify, echo_msg,
#                    udp_icmp, cli, usrsctp_ingress (tests/fuzz/fuzz_NAME.c);
#                    default: all of them, one after the other
#   --runs N         executions per target (default 10000000: issue 11's
#                    long run, about 20 minutes for all on one core)
#   --time SEC       instead, run each target for SEC seconds (CI runs
#                    tools/fuzz.sh --time 20 --seed 1 from tools/test-all.sh)
#   --seed N         libFuzzer's random seed (default: a new one each run);
#                    CI fixes it, so that its run is the same every time
#                    and a finding there reproduces
#   --update-corpus  afterwards, merge the inputs that add coverage into
#                    the seeds in tests/fuzz/corpus/NAME (to commit; keep
#                    the corpus small)
#
# The build: clang with -fsanitize=fuzzer,address,undefined (the project's
# SCTPU_SANITIZE flags, UB fatal), in build-fuzz/ (SCTPU_FUZZ_BUILD=DIR
# for another). Each target starts from its seeds, tests/fuzz/corpus/NAME,
# and from what earlier runs found, kept in BUILD/fuzz-work/NAME/corpus
# (the repository is not written unless --update-corpus). The cli target
# gets a dictionary of both tools' long options, made from the sources.
#
# Prints per target: executions, exec/s, new inputs, crashes. A crash (a
# sanitizer report, a failed check, a leak, a hang over 30 s or 2 GB)
# keeps its reproducer in BUILD/fuzz-work/NAME/ (crash-*, leak-*,
# timeout-*, oom-*) and the log next to it; the script goes on with the
# other targets and exits 1 at the end. It exits 1 too when a target did
# not build or did not run. Reproduce a crash with
#   BUILD/tests/fuzz/fuzz_NAME BUILD/fuzz-work/NAME/crash-...
# and make it a regression test: copy the file into tests/fuzz/corpus/NAME
# (every run replays the corpus first).
#
# usrsctp_ingress sends real datagrams, only ever to UDP sockets it owns
# on 127.0.0.1-3 (see the file); the others do no I/O.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    sed -n '4,5p' "$0" | sed 's/^# //' >&2
    exit 2
}

runs=10000000
time_s=
seed=
update=0
targets=()
while (($#)); do
    case $1 in
    --runs)
        [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage
        runs=$2 time_s=
        shift 2
        ;;
    --time)
        [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || usage
        time_s=$2
        shift 2
        ;;
    --seed)
        [[ ${2:-} =~ ^[0-9]+$ ]] || usage
        seed=$2
        shift 2
        ;;
    --update-corpus)
        update=1
        shift
        ;;
    -h | --help) usage ;;
    -*) usage ;;
    *)
        [[ -f tests/fuzz/fuzz_$1.c ]] || {
            echo "fuzz.sh: no target '$1' (tests/fuzz/fuzz_$1.c)" >&2
            exit 2
        }
        targets+=("$1")
        shift
        ;;
    esac
done
if ((${#targets[@]} == 0)); then
    for f in tests/fuzz/fuzz_*.c; do
        name=${f#tests/fuzz/fuzz_}
        name=${name%.c}
        [[ $name == seeds ]] || targets+=("$name")
    done
fi

build=${SCTPU_FUZZ_BUILD:-build-fuzz}
command -v clang >/dev/null || {
    echo "fuzz.sh: clang is missing (tools/install-deps.sh installs it)" >&2
    exit 1
}
echo "=== building the fuzz targets in $build (clang, ASan + UBSan)"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCTPU_SANITIZE=ON -DSCTPU_FUZZ=ON \
    -DSCTPU_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

work=$build/fuzz-work
# Stop at the first error of any kind; a leak is an error too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# The cli target's dictionary: every long option of both tools.
make_cli_dict() {
    grep -ho '{ *"[a-z0-9-]*", *[a-z_]*_argument' src/perf_cli.c \
        src/echo_cli.c |
        sed 's/{ *"\([a-z0-9-]*\)".*/"--\1"/' | sort -u
}

failed=0
summary=()
for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/fuzz_$t
    dir=$work/$t
    seeds=tests/fuzz/corpus/$t
    mkdir -p "$dir/corpus" "$seeds"
    if [[ ! -x $bin ]]; then
        summary+=("$t: NOT BUILT (add it to tests/fuzz/CMakeLists.txt)")
        failed=1
        continue
    fi
    args=(-print_final_stats=1 -timeout=30 -rss_limit_mb=2048
          -artifact_prefix="$dir/")
    if [[ -n $time_s ]]; then
        args+=(-max_total_time="$time_s")
    else
        args+=(-runs="$runs")
    fi
    [[ -z $seed ]] || args+=(-seed="$seed")
    if [[ $t == cli ]]; then
        make_cli_dict >"$dir/cli.dict"
        args+=(-dict="$dir/cli.dict")
    fi
    if [[ -n $time_s ]]; then
        echo "=== $t: $time_s s"
    else
        echo "=== $t: $runs executions"
    fi
    before=$(find "$dir" -maxdepth 1 -type f \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | sort)
    rc=0
    "$bin" "${args[@]}" "$dir/corpus" "$seeds" >"$dir/log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log")
    new=$(sed -n 's/^stat::new_units_added: *//p' "$dir/log")
    after=$(find "$dir" -maxdepth 1 -type f \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | sort)
    found=$(comm -13 <(echo "$before") <(echo "$after") | grep . || true)
    if ((rc != 0)) || [[ -n $found ]]; then
        failed=1
        cp "$dir/log" "$dir/log.crash-$(date +%s)"
        summary+=("$t: CRASH after ${execs:-?} executions: ${found:-(no reproducer written; see $dir/log)}")
        grep -m1 -A12 -E '^==[0-9]+==ERROR|check failed|runtime error' \
            "$dir/log" | sed 's/^/    /' || tail -20 "$dir/log"
        continue
    fi
    if [[ -z $execs || $execs == 0 ]]; then
        failed=1
        summary+=("$t: DID NOT RUN (see $dir/log)")
        continue
    fi
    summary+=("$t: $execs executions, $rate exec/s, ${new:-0} new inputs, 0 crashes")
    if ((update)); then
        "$bin" -merge=1 "$seeds" "$dir/corpus" >>"$dir/log" 2>&1
        echo "    merged into $seeds: $(find "$seeds" -type f | wc -l) files"
    fi
done

echo
echo "=== fuzz summary ($build/fuzz-work)"
printf '  %s\n' "${summary[@]}"
exit "$failed"
