# shellcheck shell=bash
# tools/kernel-vm/selftest.sh - sourced by tools/kernel-vm.sh: build the VM
# (cached) and boot it once with tools/kernel-vm/selftest-guest.sh, then
# check on the host what the guest wrote into the shared folder.

vm_selftest() {
    local build=${1:-} t0=$SECONDS share token args=() program=
    if [[ -n $build ]]; then
        build=$(cd "$build" 2>/dev/null && pwd) ||
            usage_error "selftest: build directory '$1' does not exist"
        program=$build/src/sctpu-echo
        [[ -x $program ]] || usage_error "selftest: no $program (build sctpu first)"
    fi
    mkdir -p "$VM_CACHE"
    vm_install_host_tools
    vm_build
    say "build step took $((SECONDS - t0)) s"

    share=$(mktemp -d /tmp/sctpu-vm-selftest.XXXXXX)
    VM_TMP_DIRS+=("$share")
    cp "$VM_LIB/selftest-guest.sh" "$share/"
    token=$$-$RANDOM-$RANDOM
    printf '%s\n' "$token" >"$share/token"
    args=(--share "$share")
    if [[ -n $program ]]; then
        args+=(--share "$build/src" --libs-of "$program")
    fi

    # A failing guest check ends the script here (set -e) with the number
    # of failed checks as its status.
    vm_run "${args[@]}" -- sh "$share/selftest-guest.sh" "$share" 198.18.40.1 ${program:+"$program"}
    [[ $(cat "$share/reply" 2>/dev/null) == "$token" ]] ||
        die "the guest's write into the shared folder did not reach the host"
    say "ok   9p: the host reads what the guest wrote"
    say "selftest passed in $((SECONDS - t0)) s"
}
