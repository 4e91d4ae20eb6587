#!/usr/bin/env bash
# tools/test-all.sh - build and run every test, as CI does (.ci/run).
#
#   1. install what is missing (Debian/Ubuntu packages)
#   2. clang-format in check mode
#   3. the opt-in bundled-usrsctp recipe, built offline from Debian's source,
#      and a build without the kernel backend
#   4. the whole suite under AddressSanitizer + UBSan (but the Docker lab
#      and the tools smoke test, which build their own binaries)
#   5. unit tests and a loopback echo under valgrind
#   6. the whole suite with -Wall -Wextra -Werror (unit, integration, lab,
#      and docker: tools/docker-lab.sh's six scenarios in real Docker)
#
# Needs root for network namespaces and nftables (the lab tests skip
# without them). SCTPU_SKIP_SLOW=1 skips steps 3-5 for a quick local run.
# The Docker lab runs once, in step 6: its images build from the sources
# with their own compiler flags, so an ASan tree adds nothing there.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

step() {
    echo
    echo "=== $*"
}

step "dependencies"
bash tools/install-deps.sh test

step "clang-format --dry-run"
clang-format --dry-run --Werror src/*.c src/*.h tests/*.c tests/*.h
echo "formatting ok"

if [[ ${SCTPU_SKIP_SLOW:-} != 1 ]]; then
    step "bundled usrsctp recipe (third_party/)"
    bash tools/test-bundled-usrsctp.sh . build-bundled

    step "a build without the kernel backend (-DSCTPU_KERNEL_SCTP=OFF)"
    # What a host without libsctp-dev gets: it builds, and says how to get
    # the backend instead of failing oddly.
    cmake -S . -B build-nokernel -DCMAKE_BUILD_TYPE=Debug -DSCTPU_WERROR=ON \
        -DSCTPU_KERNEL_SCTP=OFF >/dev/null
    cmake --build build-nokernel -j"$jobs" >/dev/null
    (cd build-nokernel &&
        ctest --output-on-failure -j"$jobs" \
            -R '^(test_|it_cli_errors|it_check|it_compare|it_multihoming)')

    step "ASan + UBSan build and tests (all but the Docker lab)"
    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSCTPU_WERROR=ON \
        -DSCTPU_SANITIZE=ON >/dev/null
    cmake --build build-asan -j"$jobs" >/dev/null
    (cd build-asan &&
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            ctest --output-on-failure -j"$jobs" -LE 'docker|tools')

    step "valgrind"
    cmake -S . -B build-vg -DCMAKE_BUILD_TYPE=Debug -DSCTPU_WERROR=ON \
        >/dev/null
    cmake --build build-vg -j"$jobs" >/dev/null
    bash tools/valgrind-check.sh build-vg
fi

step "-Werror build and every test"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSCTPU_WERROR=ON \
    -DSCTPU_TESTS=ON >/dev/null
cmake --build build -j"$jobs" >/dev/null
cd build
ctest --output-on-failure -j"$jobs"
