#!/usr/bin/env bash
# tools/docker-lab.sh - the original report's Docker scenarios, for real.
#
#   tools/docker-lab.sh                 up, every scenario, down
#   tools/docker-lab.sh up              install, start dockerd, build images
#   tools/docker-lab.sh scenario N...   run scenarios (1-6) on a lab that is up
#   tools/docker-lab.sh uplink up|down  a route to Debian's mirror (apt-get)
#   tools/docker-lab.sh down            tear everything down
#
# The lab's dockerd runs in a network namespace of its own (sctpu-docker),
# so its bridges, iptables chains, NAT rules and ip_forward never touch the
# host's; "the host" of the scenarios is that namespace. Only while images
# build does the namespace get an uplink (a veth with NAT on the host) so
# apt-get inside the Dockerfile reaches Debian's mirror; the scenarios run
# with no route off the machine. Addresses are all in 198.18.0.0/15.
#
# Safe to rerun after a crash: "up" first tears down whatever a previous
# run left. Images stay in $LAB_DATA as a cache; "down --purge" drops them.
# The base image debian:bookworm-slim is debootstrapped once and its
# tarball cached in $LAB_CACHE, since this machine has no image registry.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LAB_NS=sctpu-docker
LAB_RUN=/run/sctpu-docker           # socket, pid file, exec root, state
LAB_DATA=/var/lib/sctpu-docker      # dockerd's data root: the image cache
LAB_CACHE=${SCTPU_DOCKER_CACHE:-/var/cache/sctpu-docker}
IMAGE=sctpu:latest
DEBUG_IMAGE=sctpu:debug
export DOCKER_HOST=unix://$LAB_RUN/docker.sock
# Debian's client matches Debian's daemon (a newer client may be on PATH).
DOCKER=/usr/bin/docker
COMPOSE=/usr/bin/docker-compose
# The host client: the static binary copied out of the image, so the
# scenarios test exactly what the image ships.
CLIENT_BIN=$LAB_RUN/sctpu

# Uplink for image builds only: host side .1, lab side .2.
UPLINK_HOST=sctpu-dk-up
UPLINK_NET=198.18.254
# Scenario 2's NATed client namespace.
NAT_NS=sctpu-nat-client
NAT_NET=198.18.3

log() { echo "docker-lab: $*"; }
die() {
    echo "docker-lab: FAIL: $*" >&2
    exit 1
}
in_lab() { nsenter --net=/run/netns/$LAB_NS "$@"; }
docker() { "$DOCKER" "$@"; }

# wait_until SECONDS WHAT CMD...: poll CMD every 0.2 s.
wait_until() {
    local limit=$1 what=$2 i
    shift 2
    for ((i = 0; i < limit * 5; i++)); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    die "timed out after ${limit} s waiting for $what"
}

install_deps() {
    local pkgs=(docker.io docker-compose iptables nftables debootstrap iproute2
                util-linux) missing=() p
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
            missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}

# --- teardown: idempotent, works on any half-built state -----------------

uplink_down() {
    ip link del "$UPLINK_HOST" 2>/dev/null || true
    nft delete table ip sctpu_docker_uplink 2>/dev/null || true
    if [[ -f $LAB_RUN/host_ip_forward ]]; then
        sysctl -qw net.ipv4.ip_forward="$(cat "$LAB_RUN/host_ip_forward")"
        rm -f "$LAB_RUN/host_ip_forward"
    fi
}

lab_down() {
    local pid
    if [[ -S $LAB_RUN/docker.sock ]] && docker info >/dev/null 2>&1; then
        docker stack rm sctpu >/dev/null 2>&1 || true
        docker ps -aq | xargs -r docker rm -f >/dev/null 2>&1 || true
        docker swarm leave --force >/dev/null 2>&1 || true
        docker network prune -f >/dev/null 2>&1 || true
    fi
    if [[ -f $LAB_RUN/dockerd.pid ]]; then
        pid=$(cat "$LAB_RUN/dockerd.pid")
        if kill -TERM "$pid" 2>/dev/null; then
            for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.2
            done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    # containerd, its shims and docker-proxy, if dockerd died without them:
    # whatever still runs in the lab's namespaces.
    pkill -KILL -f "$LAB_RUN/exec" 2>/dev/null || true
    ip netns pids "$LAB_NS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns pids "$NAT_NS" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    # Anything still mounted under the lab's directories.
    grep -oE " ($LAB_DATA|$LAB_RUN)[^ ]*" /proc/mounts | sort -r |
        xargs -r -n1 umount -l 2>/dev/null || true
    uplink_down
    ip netns del "$NAT_NS" 2>/dev/null || true
    # The namespace takes its bridges, veths, iptables and sysctls with it.
    ip netns del "$LAB_NS" 2>/dev/null || true
    rm -rf "$LAB_RUN"
}

# --- up -------------------------------------------------------------------

start_dockerd() {
    mkdir -p "$LAB_RUN" "$LAB_DATA"
    ip netns add "$LAB_NS"
    ip -n "$LAB_NS" link set lo up
    # nsenter, not "ip netns exec": that remounts /sys and hides cgroups.
    in_lab setsid dockerd \
        --data-root "$LAB_DATA" --exec-root "$LAB_RUN/exec" \
        --host "$DOCKER_HOST" --pidfile "$LAB_RUN/dockerd.pid" \
        --bip 198.18.0.1/24 \
        --default-address-pool base=198.18.64.0/18,size=24 \
        >"$LAB_RUN/dockerd.log" 2>&1 </dev/null &
    wait_until 60 "dockerd (see $LAB_RUN/dockerd.log)" docker info
    log "dockerd $(docker version -f '{{.Server.Version}}') up in netns $LAB_NS"
}

# debian:bookworm-slim from Debian's packages: there is no registry here.
import_base_image() {
    local tarball=$LAB_CACHE/debian-bookworm-minbase.tar rootfs
    docker image inspect debian:bookworm-slim >/dev/null 2>&1 && return 0
    if [[ ! -s $tarball ]]; then
        log "debootstrap bookworm (once; cached in $tarball)"
        mkdir -p "$LAB_CACHE"
        rootfs=$(mktemp -d "$LAB_CACHE/rootfs.XXXXXX")
        debootstrap --variant=minbase bookworm "$rootfs" >"$rootfs.log" 2>&1 ||
            die "debootstrap failed: $(tail -3 "$rootfs.log")"
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb \
            "$rootfs"/var/lib/apt/lists/*
        tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
        rm -rf "$rootfs" "$rootfs.log"
    fi
    docker import "$tarball" debian:bookworm-slim >/dev/null
}

# A route from the lab namespace to Debian's mirror, while images build:
# the only time the host itself changes (a veth, an nftables table of our
# own, ip_forward), all undone by uplink_down and checked by uplink_gone.
uplink_up() {
    cat /proc/sys/net/ipv4/ip_forward >"$LAB_RUN/host_ip_forward"
    ip link add "$UPLINK_HOST" type veth peer name uplink netns "$LAB_NS"
    ip addr add "$UPLINK_NET.1/30" dev "$UPLINK_HOST"
    ip link set "$UPLINK_HOST" up
    ip -n "$LAB_NS" addr add "$UPLINK_NET.2/30" dev uplink
    ip -n "$LAB_NS" link set uplink up
    ip -n "$LAB_NS" route add default via "$UPLINK_NET.1"
    sysctl -qw net.ipv4.ip_forward=1
    nft -f - <<EOF
table ip sctpu_docker_uplink {
    chain forward {
        type filter hook forward priority 0;
        iifname "$UPLINK_HOST" accept
        oifname "$UPLINK_HOST" ct state established,related accept
    }
    chain postrouting {
        type nat hook postrouting priority srcnat;
        ip saddr $UPLINK_NET.2 oifname != "$UPLINK_HOST" masquerade
    }
}
EOF
}

# The host is as it was before uplink_up: the README promises it.
uplink_gone() {
    local want=$1
    ! ip link show "$UPLINK_HOST" >/dev/null 2>&1 ||
        die "the uplink veth $UPLINK_HOST is still on the host"
    ! nft list table ip sctpu_docker_uplink >/dev/null 2>&1 ||
        die "the nftables table sctpu_docker_uplink is still on the host"
    [[ $(cat /proc/sys/net/ipv4/ip_forward) == "$want" ]] ||
        die "net.ipv4.ip_forward is $(cat /proc/sys/net/ipv4/ip_forward), was $want before the image build"
}

build_images() {
    local t0=$SECONDS forward
    forward=$(cat /proc/sys/net/ipv4/ip_forward)
    uplink_up
    docker build -q -f "$ROOT/docker/Dockerfile" -t "$IMAGE" "$ROOT" \
        >"$LAB_RUN/build.log" 2>&1 ||
        { uplink_down; die "image build failed: $(tail -20 "$LAB_RUN/build.log")"; }
    docker build -q -f "$ROOT/docker/Dockerfile" --target debug \
        -t "$DEBUG_IMAGE" "$ROOT" >>"$LAB_RUN/build.log" 2>&1 ||
        { uplink_down; die "debug image build failed: $(tail -20 "$LAB_RUN/build.log")"; }
    uplink_down
    uplink_gone "$forward"
    local size
    size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
    log "built $IMAGE ($size bytes) and $DEBUG_IMAGE in $((SECONDS - t0)) s"
    ((size <= 3000000)) || die "$IMAGE is $size bytes, over the 3 MB budget"
    # Both ways of naming a tool work, and the debug image has a shell.
    docker run --rm "$IMAGE" sctpu-perf --version | grep -q '^sctpu-perf ' ||
        die "docker run $IMAGE sctpu-perf --version"
    docker run --rm "$IMAGE" echo --version | grep -q '^sctpu-echo ' ||
        die "docker run $IMAGE echo --version"
    docker run --rm "$IMAGE" | grep -q '^usage: sctpu-echo' ||
        die "docker run $IMAGE (no arguments) prints no usage"
    # The kernel backend is built in (the host decides whether it runs).
    docker run --rm "$IMAGE" sctpu-perf --check --backend usrsctp |
        grep -q '^backend kernel   \(usable\|unusable (Linux [^)]*): this kernel has no SCTP\)' ||
        die "docker run $IMAGE sctpu-perf --check: no kernel backend built in"
    [[ $(docker image inspect -f '{{.Config.User}}' "$IMAGE") == 65534:65534 ]] ||
        die "$IMAGE does not run as an unprivileged user"
    docker run --rm "$DEBUG_IMAGE" sh -c 'sctpu-echo --version && ip -V' \
        >/dev/null || die "$DEBUG_IMAGE has no working shell and tools"
    # The host client is the image's own binary.
    local id
    id=$(docker create "$IMAGE")
    docker cp "$id:/usr/local/bin/sctpu" "$CLIENT_BIN"
    docker rm "$id" >/dev/null
}

lab_up() {
    install_deps
    lab_down
    start_dockerd
    import_base_image
    build_images
    # Overlay networks (scenarios 4 and 5) need a swarm; its address pool
    # is a lab range too. There is no IPVS here: services use dnsrr.
    docker swarm init --advertise-addr 127.0.0.1 \
        --default-addr-pool 198.18.128.0/18 \
        --default-addr-pool-mask-length 24 >/dev/null
    log "lab up"
}

# --- scenarios --------------------------------------------------------------
# shellcheck source=tools/docker-scenarios.sh
source "$ROOT/tools/docker-scenarios.sh"

main() {
    # 77: "skipped" to ctest, for machines that cannot host the lab at all;
    # under SCTPU_NO_SKIP=1 (CI, as tests/lib.sh's skip) a failure instead.
    if [[ $(id -u) != 0 ]] || ! unshare -n true 2>/dev/null; then
        if [[ ${SCTPU_NO_SKIP:-} == 1 ]]; then
            die "cannot run here, and SCTPU_NO_SKIP=1 forbids skipping: needs root and network namespaces"
        fi
        echo "docker-lab: SKIP: needs root and network namespaces"
        exit 77
    fi
    case ${1:-all} in
    up) lab_up ;;
    down)
        lab_down
        if [[ ${2:-} == --purge ]]; then
            rm -rf "$LAB_DATA"
        fi
        log "lab down"
        ;;
    uplink)
        # The build-time route to Debian's mirror, for a test that runs
        # apt-get inside a container (tests/lab_deb_install.sh); "down"
        # also checks the host is as it was.
        [[ -S $LAB_RUN/docker.sock ]] || die "the lab is not up: run '$0 up'"
        case ${2:-} in
        up)
            uplink_down
            cat /proc/sys/net/ipv4/ip_forward >"$LAB_RUN/forward_before"
            uplink_up
            ;;
        down)
            uplink_down
            if [[ -f $LAB_RUN/forward_before ]]; then
                uplink_gone "$(cat "$LAB_RUN/forward_before")"
                rm -f "$LAB_RUN/forward_before"
            fi
            ;;
        *) die "usage: $0 uplink up|down" ;;
        esac
        ;;
    scenario)
        shift
        [[ -S $LAB_RUN/docker.sock ]] || die "the lab is not up: run '$0 up'"
        local n
        for n in "$@"; do
            run_scenario "$n"
        done
        ;;
    all)
        trap lab_down EXIT
        lab_up
        local n
        for n in 1 2 3 4 5 6; do
            run_scenario "$n"
        done
        ;;
    *)
        sed -n '3,8p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
    esac
}

main "$@"
