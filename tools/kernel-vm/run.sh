# shellcheck shell=bash
# tools/kernel-vm/run.sh - sourced by tools/kernel-vm.sh: boot the VM once
# with a tap device in a network namespace, run one command in it, and hand
# back the command's exit status.

VM_TAP=sctpu-vmtap

# KVM only where it runs stock kernels: /dev/kvm on this machine is a nested
# PVM device (kvm_pvm) that cannot, so it gets TCG.
vm_accel() {
    case ${SCTPU_VM_ACCEL:-auto} in
    kvm | tcg) echo "$SCTPU_VM_ACCEL" ;;
    auto)
        if [[ -w /dev/kvm && ! -d /sys/module/kvm_pvm ]]; then
            echo kvm
        else
            echo tcg
        fi
        ;;
    *) die "SCTPU_VM_ACCEL must be kvm, tcg or auto" ;;
    esac
}

# The host's TSC in kHz. Under TCG the guest reads the host's TSC, and the
# guest's own calibration of it hangs about one boot in six.
vm_tsc_khz() {
    local mhz
    mhz=$(dmesg 2>/dev/null |
          sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p' |
          tail -n1)
    [[ -n $mhz ]] || mhz=$(dmesg 2>/dev/null |
          sed -n 's/.*tsc: Detected \([0-9.]*\) MHz processor.*/\1/p' | tail -n1)
    [[ -n $mhz ]] || mhz=$(sed -n 's/^cpu MHz[[:space:]]*: //p' /proc/cpuinfo |
                           head -n1)
    [[ -n $mhz ]] || return 1
    awk -v m="$mhz" 'BEGIN { printf "%d\n", m * 1000 }'
}

# The EXIT trap: every step runs even if an earlier one fails.
vm_cleanup() {
    set +e
    [[ -n ${VM_QEMU_PID:-} ]] && kill "$VM_QEMU_PID" 2>/dev/null
    [[ -n ${VM_TAIL_PID:-} ]] && kill "$VM_TAIL_PID" 2>/dev/null
    if [[ -n ${VM_QEMU_PID:-} ]]; then
        wait "$VM_QEMU_PID" 2>/dev/null
    fi
    if [[ -n ${VM_NETNS:-} ]]; then
        ip -n "$VM_NETNS" link del "$VM_TAP" 2>/dev/null
        [[ -n ${VM_NETNS_OURS:-} ]] && ip netns del "$VM_NETNS" 2>/dev/null
    fi
    # A private namespace's lock has a name nobody else uses.
    [[ -n ${VM_LOCK_OURS:-} ]] && rm -f "$VM_LOCK_OURS"
    local d
    for d in "${VM_TMP_DIRS[@]}"; do rm -rf "$d"; done
    return 0
}

# An address in 198.18.0.0/15 with a prefix length: 198.18-19.x.y/n.
vm_check_lab_addr() {
    [[ $1 =~ ^198\.1[89]\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})$ ]] &&
        ((BASH_REMATCH[1] < 256 && BASH_REMATCH[2] < 256 &&
          BASH_REMATCH[3] >= 15 && BASH_REMATCH[3] <= 30)) ||
        usage_error "$2 must be a lab address in 198.18.0.0/15 with a prefix, e.g. 198.18.40.2/24 (got '$1')"
}

# vm_run [--share DIR]... [--netns NAME] [--guest-ip A/n] [--host-ip B/n]
#        [--timeout S] [--libs-of BIN]... -- CMD...
vm_run() {
    local shares=() libs_of=() netns='' guest_ip=198.18.40.2/24
    local host_ip=198.18.40.1/24 timeout=${SCTPU_VM_TIMEOUT:-120}
    while (($#)); do
        case $1 in
        --share) [[ $# -ge 2 ]] || usage_error "--share needs a directory"
                 shares+=("$2"); shift 2 ;;
        --netns) [[ $# -ge 2 ]] || usage_error "--netns needs a name"
                 netns=$2; shift 2 ;;
        --guest-ip) [[ $# -ge 2 ]] || usage_error "--guest-ip needs an address"
                    guest_ip=$2; shift 2 ;;
        --host-ip) [[ $# -ge 2 ]] || usage_error "--host-ip needs an address"
                   host_ip=$2; shift 2 ;;
        --timeout) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] ||
                       usage_error "--timeout needs a number of seconds"
                   timeout=$2; shift 2 ;;
        --libs-of) [[ $# -ge 2 ]] || usage_error "--libs-of needs a program"
                   libs_of+=("$2"); shift 2 ;;
        --) shift; break ;;
        *) usage_error "run: unknown option '$1' (the command goes after --)" ;;
        esac
    done
    (($#)) || usage_error "run: no command (tools/kernel-vm.sh run [options] -- CMD...)"
    vm_check_lab_addr "$guest_ip" --guest-ip
    vm_check_lab_addr "$host_ip" --host-ip
    [[ ${guest_ip%/*} != "${host_ip%/*}" ]] ||
        usage_error "--guest-ip and --host-ip must differ"
    [[ -z $netns || $netns =~ ^[A-Za-z0-9_.-]{1,40}$ ]] ||
        usage_error "--netns '$netns' is not a valid namespace name"
    local s
    for s in "${shares[@]}"; do
        [[ $s == /* && $s =~ ^[A-Za-z0-9_./+-]+$ ]] ||
            usage_error "--share '$s' must be an absolute path of letters, digits and _./+-"
        [[ -d $s ]] || usage_error "--share '$s' is not a directory"
    done
    [[ -f $VM_CACHE/vmlinux && -f $VM_CACHE/initrd.cpio ]] ||
        die "no VM image in $VM_CACHE: run 'tools/kernel-vm.sh build' first"
    command -v qemu-system-x86_64 >/dev/null ||
        die "qemu-system-x86_64 not found: run 'tools/kernel-vm.sh build' first"

    local tmp
    tmp=$(mktemp -d /tmp/sctpu-vm.XXXXXX)
    VM_TMP_DIRS+=("$tmp")

    # One VM per namespace: the lock is held until this script exits.
    local lock_fd
    if [[ -z $netns ]]; then
        netns=sctpu-vm-$$
        VM_LOCK_OURS=/run/lock/sctpu-vm.$netns.lock
    fi
    exec {lock_fd}>"/run/lock/sctpu-vm.$netns.lock"
    flock -n "$lock_fd" || die "another VM is running in network namespace $netns"
    VM_NETNS=$netns
    if ! ip netns list | grep -qx "$netns\( .*\)\?"; then
        ip netns add "$netns" || die "cannot create network namespace $netns"
        VM_NETNS_OURS=1
    fi
    ip -n "$netns" link set lo up
    ip -n "$netns" link del "$VM_TAP" 2>/dev/null || true
    ip -n "$netns" tuntap add dev "$VM_TAP" mode tap ||
        die "cannot create tap $VM_TAP in $netns"
    ip -n "$netns" addr add "$host_ip" dev "$VM_TAP" &&
        ip -n "$netns" link set "$VM_TAP" up ||
        die "cannot set up tap $VM_TAP ($host_ip) in $netns"

    # The per-run part of the initramfs: settings, the command, extra libs.
    local nonce=$$.$RANDOM$RANDOM conf=$tmp/extra shares_conf='' i=0 fsdev=()
    mkdir -p "$conf/etc/vm"
    for s in "${shares[@]}"; do
        shares_conf+="share$i=$s "
        fsdev+=(-fsdev "local,id=fs$i,path=$s,security_model=none"
                -device "virtio-9p-device,fsdev=fs$i,mount_tag=share$i")
        i=$((i + 1))
    done
    {
        printf 'NONCE=%s\nGUEST_IP=%s\nHOST_IP=%s\nSHARES="%s"\n' \
            "$nonce" "$guest_ip" "$host_ip" "$shares_conf"
    } >"$conf/etc/vm/run.conf"
    # Like ssh: the words of CMD joined by blanks, run by the guest's sh.
    printf '%s\n' "$*" >"$conf/etc/vm/cmd"
    local bin lib
    for bin in "${libs_of[@]}"; do
        [[ -x $bin ]] || usage_error "--libs-of '$bin' is not an executable"
        for lib in $(ldd "$bin" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'); do
            mkdir -p "$conf$(dirname "$lib")"
            cp -L "$lib" "$conf$lib"
        done
    done
    (cd "$conf" && find . | cpio -o -H newc --quiet -R 0:0) >"$tmp/extra.cpio" &&
        cat "$VM_CACHE/initrd.cpio" "$tmp/extra.cpio" >"$tmp/initrd.cpio" ||
        die "cannot write the per-run initramfs in $tmp"

    local accel cmdline qemu=()
    accel=$(vm_accel)
    cmdline="console=ttyS0 quiet panic=-1 rdinit=/init"
    if [[ $accel == kvm ]]; then
        qemu=(-accel kvm -cpu host)
    else
        local khz
        khz=$(vm_tsc_khz) || die "cannot find the host's TSC frequency"
        qemu=(-accel tcg)
        cmdline+=" tsc_early_khz=$khz tsc=reliable"
    fi
    # shellcheck disable=SC2054 # the commas belong to qemu's options
    qemu+=(-M microvm -m "${SCTPU_VM_MEM:-512}" -smp 1
           -kernel "$VM_CACHE/vmlinux" -initrd "$tmp/initrd.cpio"
           -append "$cmdline" -nodefaults -serial stdio -display none
           -no-reboot
           -netdev "tap,id=net0,ifname=$VM_TAP,script=no,downscript=no,vnet_hdr=off"
           -device virtio-net-device,netdev=net0 "${fsdev[@]}")

    local log=$tmp/console.log t0=$EPOCHREALTIME rc
    : >"$log"
    timeout -k 5 "$timeout" ip netns exec "$netns" \
        qemu-system-x86_64 "${qemu[@]}" </dev/null >"$log" 2>&1 &
    VM_QEMU_PID=$!
    vm_show_console "$log" "$nonce" &
    VM_TAIL_PID=$!
    wait "$VM_QEMU_PID" && rc=0 || rc=$?
    VM_QEMU_PID=
    wait "$VM_TAIL_PID" 2>/dev/null || true
    VM_TAIL_PID=
    local total begin exit_line
    total=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    # (the exit marker follows the command's last output, which may lack a
    # newline)
    begin=$(tr -d '\r' <"$log" | sed -n "s/^SCTPU-VM-BEGIN $nonce //p") || true
    exit_line=$(tr -d '\r' <"$log" |
                sed -n "s/^.*SCTPU-VM-EXIT $nonce \([0-9]*\)$/\1/p") || true
    if [[ -z $exit_line ]]; then
        printf '%s\n' "--- last lines of the console ---" >&2
        tr -d '\r' <"$log" | tail -n 30 >&2
        if ((rc == 124 || rc == 137)); then
            die "timed out after $timeout s (qemu killed; guest ${begin:+up at ${begin} s}${begin:-never reached the command})"
        fi
        die "the guest stopped without an exit status (qemu exit $rc)"
    fi
    ((rc == 0)) || say "note: qemu exited with $rc after the command"
    say "guest kernel reached the command at ${begin:-?} s, run took $total s ($accel)"
    return "$exit_line"
}

# Print the command's output (the console between the two marker lines) as
# it comes; SCTPU_VM_VERBOSE=1 prints the whole console.
vm_show_console() {
    local log=$1 nonce=$2 on='' line
    [[ ${SCTPU_VM_VERBOSE:-0} == 1 ]] && on=1
    while IFS= read -r line; do
        line=${line%$'\r'}
        case $line in
        "SCTPU-VM-BEGIN $nonce "*) on=1; [[ ${SCTPU_VM_VERBOSE:-0} == 1 ]] || continue ;;
        *"SCTPU-VM-EXIT $nonce "*)
            if [[ ${SCTPU_VM_VERBOSE:-0} != 1 ]]; then
                line=${line%%"SCTPU-VM-EXIT $nonce "*}
                [[ -n $on && -n $line ]] && printf '%s\n' "$line"
                on=
                continue
            fi
            ;;
        esac
        [[ -n $on ]] && printf '%s\n' "$line"
    done < <(tail -n +1 -f --pid="$VM_QEMU_PID" "$log")
    return 0
}
