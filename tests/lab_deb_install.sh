#!/usr/bin/env bash
# tests/lab_deb_install.sh BUILD_DIR - the Debian package, installed for
# real: build it (cpack -G DEB), check it with lintian, then in a clean
# debian:bookworm-slim container `apt-get install ./sctpu_*.deb`, so that
# apt fetches the computed Depends from Debian's mirror, and run the
# README's main job from the installed files: an echo server and client
# over loopback (every echo verified) and a short sctpu-perf run (bytes
# received). The man pages, completions and `dpkg -L` are checked, and
# `dpkg -r` must take every file away again.
#
# Runs on the Docker lab (tools/docker-lab.sh; ctest's docker_lab fixture
# brings it up, or this script does when run alone). The container reaches
# Debian's mirror only while apt-get runs, through the lab's uplink; the
# demo runs with no route off the machine.
#
# Single quotes hold commands for the container's sh, expanded there:
# shellcheck disable=SC2016
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=tests/deb_lib.sh
source "$(dirname "$0")/deb_lib.sh"

LAB=$REPO_DIR/tools/docker-lab.sh
export DOCKER_HOST=unix:///run/sctpu-docker/docker.sock
DOCKER=/usr/bin/docker
C=sctpu-deb-$$      # the container
LAB_OURS=0          # 1: this script brought the lab up, and takes it down

[[ $(id -u) == 0 ]] || skip "needs root (the Docker lab)"
[[ -x $DOCKER ]] || skip "no $DOCKER (tools/install-deps.sh installs docker.io)"
deb_require

deb_cleanup() {
    "$DOCKER" rm -f "$C" >/dev/null 2>&1 || true
    bash "$LAB" uplink down >/dev/null 2>&1 || true
    if ((LAB_OURS)); then
        bash "$LAB" down >/dev/null 2>&1 || true
    fi
    cleanup
}
trap deb_cleanup EXIT

in_c() { "$DOCKER" exec "$C" "$@"; }

# wait_in_c SECONDS WHAT CMD...: poll CMD inside the container.
wait_in_c() {
    local limit=$1 what=$2 i
    shift 2
    for ((i = 0; i < limit * 5; i++)); do
        in_c "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    fail "timed out after $limit s waiting for $what"
}

# start_in_c NAME CMD...: run CMD in the background inside the container,
# its output in /tmp/NAME.log, its pid in /tmp/NAME.pid and, once it has
# ended, its exit status in /tmp/NAME.rc.
start_in_c() {
    local name=$1
    shift
    "$DOCKER" exec -d "$C" sh -c \
        '"$@" >/tmp/'"$name"'.log 2>&1 & echo $! >/tmp/'"$name"'.pid; wait $!; echo $? >/tmp/'"$name"'.rc' \
        sh "$@"
}

# exit_status_in_c NAME SECONDS: wait for NAME to end; print its status.
exit_status_in_c() {
    wait_in_c "$2" "$1 to exit" test -s "/tmp/$1.rc"
    in_c cat "/tmp/$1.rc"
}

# --- the package, and lintian ------------------------------------------------
deb_build
deb_lintian
depends=$(dpkg-deb -f "$DEB" Depends)
dep_pkgs=$(tr ',' '\n' <<<"$depends" | awk '{ print $1 }')

# --- the lab ------------------------------------------------------------------
if ! "$DOCKER" info >/dev/null 2>&1; then
    echo "the Docker lab is not up: bringing it up (and down after)"
    LAB_OURS=1
    rc=0
    bash "$LAB" up || rc=$?
    ((rc == 77)) && skip "the Docker lab cannot run here"
    ((rc == 0)) || fail "tools/docker-lab.sh up failed ($rc)"
fi

# --- install into a clean container --------------------------------------------
"$DOCKER" run -d --name "$C" debian:bookworm-slim sleep infinity >/dev/null
for p in sctpu $dep_pkgs; do
    [[ $p == libc6 ]] && continue # in every image
    in_c dpkg-query -W "$p" >/dev/null 2>&1 &&
        fail "the clean container already has $p: apt would not prove Depends"
done
"$DOCKER" cp "$DEB" "$C:/tmp/"
bash "$LAB" uplink up
# man-db for `man -w` below; it is no dependency of sctpu.
if ! in_c sh -c 'apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends "/tmp/$1" man-db' \
    sh "$(basename "$DEB")" >"$WORK/apt.log" 2>&1; then
    show "$WORK/apt.log"
    fail "apt-get install ./$(basename "$DEB") failed in the container"
fi
bash "$LAB" uplink down
grep -E '^(Get|Setting up|Unpacking) ' "$WORK/apt.log" | sed 's/^/  apt: /' |
    grep -E 'sctpu|usrsctp|libevent|mimalloc' || true
for p in sctpu $dep_pkgs; do
    status=$(in_c dpkg-query -W -f='${Status}' "$p" 2>/dev/null) || true
    [[ $status == 'install ok installed' ]] ||
        fail "$p is not installed after apt-get install: $(tail -5 "$WORK/apt.log")"
done
echo "installed sctpu and its Depends: $depends"

# --- what dpkg knows ----------------------------------------------------------
in_c dpkg -L sctpu >"$WORK/dpkg-L"
for f in "${DEB_FILES[@]}"; do
    grep -qx -- "$f" "$WORK/dpkg-L" || {
        show "$WORK/dpkg-L"
        fail "dpkg -L sctpu does not list $f"
    }
done
# Every file as the package shipped it (md5sums).
in_c dpkg --verify sctpu || fail "dpkg --verify sctpu: files differ from the package"

# --- the installed tools ----------------------------------------------------------
for t in "${DEB_TOOLS[@]}"; do
    [[ $(in_c sh -c "command -v $t") == /usr/bin/$t ]] ||
        fail "$t is not /usr/bin/$t in the container"
done
version=$(in_c sctpu-perf --version) || fail "the installed sctpu-perf --version"
[[ $version == "sctpu-perf "* ]] || fail "sctpu-perf --version: $version"

# The echo demo: a server, a client sending 10 messages of 1 B to 64 KiB
# over 4 streams, every echo verified, then the server stopped cleanly.
start_in_c echo-server sctpu-echo -s -p 7 --udp-port 9899
wait_in_c 20 "the echo server to listen" \
    grep -q 'sctpu-echo server: SCTP port 7' /tmp/echo-server.log
RC=0
timeout 60 "$DOCKER" exec "$C" sctpu-echo -c 127.0.0.1 -p 7 --udp-port 9899 \
    -n 10 -i 0.05 -l 1,1000,65536 --nstreams 4 -J >"$WORK/echo.json" || RC=$?
((RC == 0)) || { show "$WORK/echo.json"; fail "sctpu-echo client: exit $RC"; }
verified=$(json_get "$WORK/echo.json" 'j["verified"]')
lost=$(json_get "$WORK/echo.json" 'j["lost"]')
corrupt=$(json_get "$WORK/echo.json" 'j["corrupt"]')
[[ $verified == 10 && $lost == 0 && $corrupt == 0 ]] ||
    fail "echo: $verified verified, $lost lost, $corrupt corrupt; want 10, 0, 0"
in_c sh -c 'kill -TERM "$(cat /tmp/echo-server.pid)"'
rc=$(exit_status_in_c echo-server 10)
[[ $rc == 0 ]] || fail "the echo server exited $rc after SIGTERM"
in_c grep -q 'closed: 10 messages' /tmp/echo-server.log ||
    fail "the echo server's log has no 10-message association: $(in_c cat /tmp/echo-server.log)"
echo "echo: 10 of 10 verified over loopback in the container, server exit 0"

# The perf demo: one 3 s test, 2 associations of 4 streams, verified.
start_in_c perf-server sctpu-perf -s -1
wait_in_c 20 "the perf server to listen" \
    grep -q '^Server listening on SCTP port' /tmp/perf-server.log
RC=0
timeout 60 "$DOCKER" exec "$C" sctpu-perf -c 127.0.0.1 -t 3 -P 2 \
    --nstreams 4 --verify -J >"$WORK/perf.json" || RC=$?
((RC == 0)) || { show "$WORK/perf.json"; fail "sctpu-perf client: exit $RC"; }
bytes=$(json_get "$WORK/perf.json" 'j["end"]["sum_received"]["bytes"]')
((bytes > 0)) || fail "perf: end.sum_received.bytes is $bytes"
rc=$(exit_status_in_c perf-server 20)
[[ $rc == 0 ]] || fail "the perf server (-1) exited $rc"
echo "perf: $bytes bytes received in 3 s, server exit 0"

# The Python tools run on the python3 that Depends brought: a one-run sweep
# (CSV only: matplotlib is only recommended, and --no-install-recommends
# left it out), and sctpu-plot saying that matplotlib is missing.
RC=0
timeout 60 "$DOCKER" exec "$C" sctpu-sweep -l 1k --loss 0 -t 1 --no-plot \
    -o /tmp/sweep >"$WORK/sweep.log" 2>&1 || RC=$?
((RC == 0)) || { show "$WORK/sweep.log"; fail "sctpu-sweep: exit $RC"; }
rows=$(in_c sh -c 'tail -n +2 /tmp/sweep/summary.csv | grep -c ",ok,"') || true
[[ $rows == 1 ]] || fail "sctpu-sweep: $rows ok rows in summary.csv, want 1"
RC=0
in_c sctpu-plot /tmp/sweep/run-001.json -o /tmp/x.png >"$WORK/plot.log" 2>&1 || RC=$?
if ((RC != 1)) || ! grep -q 'needs matplotlib' "$WORK/plot.log"; then
    fail "sctpu-plot without matplotlib: exit $RC, $(cat "$WORK/plot.log")"
fi
echo "sctpu-sweep: one run into summary.csv; sctpu-plot says it needs matplotlib"

# --- man pages and completions ------------------------------------------------------
for t in "${DEB_TOOLS[@]}"; do
    page=$(in_c man -w "$t") || fail "man -w $t finds no page"
    [[ $page == /usr/share/man/man1/$t.1.gz ]] || fail "man -w $t: $page"
    in_c bash -n "/usr/share/bash-completion/completions/$t" ||
        fail "the bash completion for $t is missing or does not parse"
done
in_c test -s /usr/share/zsh/vendor-completions/_sctpu ||
    fail "no zsh completion /usr/share/zsh/vendor-completions/_sctpu"

# --- removal -----------------------------------------------------------------------
in_c dpkg -r sctpu >/dev/null || fail "dpkg -r sctpu"
left=$(in_c sh -c 'for f in "$@"; do [ -e "$f" ] || [ -L "$f" ] && echo "$f"; done; true' \
    sh "${DEB_FILES[@]}")
[[ -z $left ]] || fail "dpkg -r sctpu left $left"

echo "PASS: $(basename "$DEB") installs with apt in a clean bookworm container (Depends: $depends), runs the echo and perf demo, and removes cleanly"
