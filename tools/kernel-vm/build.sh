# shellcheck shell=bash
# tools/kernel-vm/build.sh - sourced by tools/kernel-vm.sh: download Debian
# 12's kernel and a small userland with a private apt setup (the system's
# sources, package lists of our own under $VM_CACHE/apt) and turn them into
# $VM_CACHE/vmlinux and $VM_CACHE/initrd.cpio.

# Userland packages, unpacked whole (docs and locales dropped). Their shared
# libraries are listed here rather than resolved by apt because apt would
# pull in dpkg, perl and debconf; check_needed_libs() proves the list is
# complete. libevent, libusrsctp and libsctp are what sctpu links.
# busybox, not busybox-static: the static one's sh runs its own applets
# (its ip, tc) before the programs on PATH.
VM_USER_PKGS=(busybox libc6 lksctp-tools libsctp1
              iproute2 libbpf1 libelf1 libmnl0 libbsd0 libcap2 libxtables12
              zlib1g libmd0
              libevent-2.1-7 libevent-core-2.1-7 libusrsctp2)
# Modules loaded at boot, each after its dependencies (from modules.dep).
# crc32c_generic first: libcrc32c asks for "crc32c" through modprobe, which
# the guest does not have.
VM_MODULES=(virtio_mmio virtio_net crc32c_generic sctp 9pnet_virtio 9p
            sch_netem veth)

vm_apt_opts() {
    local d=$VM_CACHE/apt
    APT_OPTS=(-o "Dir::Etc::sourcelist=/dev/null"
              -o "Dir::Etc::sourceparts=$d/sources.list.d"
              -o "Dir::State::Lists=$d/lists"
              -o "Dir::State::status=/dev/null"
              -o "Dir::Cache=$d/cache"
              -o "APT::Sandbox::User=root" -q)
}

# Private package lists: refreshed when older than a day, so a cached build
# can still be rebuilt offline.
vm_apt_update() {
    local d=$VM_CACHE/apt stamp=$VM_CACHE/apt/updated
    mkdir -p "$d/sources.list.d" "$d/lists/partial" "$d/cache/archives/partial"
    if [[ -f $stamp && -n $(find "$stamp" -mmin -1440) ]]; then
        return 0
    fi
    rm -f "$d/sources.list.d/"*
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        cp /etc/apt/sources.list.d/debian.sources "$d/sources.list.d/"
    elif [[ -f /etc/apt/sources.list ]]; then
        cp /etc/apt/sources.list "$d/sources.list.d/debian.list"
    else
        die "no Debian apt sources (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list)"
    fi
    vm_apt_opts
    say "apt-get update (private lists in $d)"
    if apt-get "${APT_OPTS[@]}" update >/dev/null; then
        touch "$stamp"
    elif [[ -f $stamp ]]; then
        say "warning: apt-get update failed; using the lists of $(date -r "$stamp" +%F)"
    else
        die "apt-get update (private lists in $d) failed"
    fi
}

# The kernel package behind the linux-image-amd64 meta package.
vm_kernel_pkg() {
    local p
    p=$(apt-cache "${APT_OPTS[@]}" depends linux-image-amd64 |
        sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
    [[ -n $p ]] || die "cannot resolve linux-image-amd64 to a kernel package"
    printf '%s\n' "$p"
}

# Download PKG... into $VM_CACHE/debs unless a .deb of the candidate version
# is there already.
vm_download() {
    local debs=$VM_CACHE/debs p v want=() line
    local -A cand=()
    mkdir -p "$debs"
    # One apt-cache call for all: "name:" lines, then "  Candidate: v".
    while IFS= read -r line; do
        case $line in
        [a-z0-9]*:) p=${line%:} ;;
        *Candidate:*) cand[$p]=${line##*Candidate: } ;;
        esac
    done < <(apt-cache "${APT_OPTS[@]}" policy "$@")
    for p in "$@"; do
        v=${cand[$p]:-}
        [[ -n $v && $v != "(none)" ]] || die "package $p not found"
        v=${v//:/%3a}
        compgen -G "$debs/${p}_${v}_*.deb" >/dev/null || want+=("$p")
    done
    ((${#want[@]} == 0)) && return 0
    say "downloading ${want[*]}"
    (cd "$debs" && apt-get "${APT_OPTS[@]}" download "${want[@]}" >/dev/null) ||
        die "apt-get download ${want[*]} failed"
}

# The newest cached .deb of package $1.
vm_deb() {
    local f
    f=$(ls -1 "$VM_CACHE/debs/$1"_*.deb 2>/dev/null | sort -V | tail -n1)
    [[ -n $f ]] || die "no cached .deb for $1"
    printf '%s\n' "$f"
}

# vmlinuz is a bzImage whose payload is xz: cut it out at the xz magic and
# unpack the ELF vmlinux, which qemu boots through its PVH entry. TCG would
# otherwise spend about 2 s per boot decompressing.
vm_extract_vmlinux() {
    local vmlinuz=$1 out=$2 off
    off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | cut -d: -f1) || true
    off=${off%%$'\n'*}
    [[ -n $off ]] || die "no xz stream in $vmlinuz"
    tail -c +$((off + 1)) "$vmlinuz" | xz -dc >"$out" 2>/dev/null || true
    [[ $(head -c4 "$out" | od -An -c | tr -d ' ') == 177ELF ]] ||
        die "$vmlinuz did not unpack to an ELF vmlinux"
}

# Append module $2 and its dependencies to VM_ORDER (paths relative to the
# modules dir), each after the ones it needs, once. modules.dep lists every
# dependency of a module (transitively), to be loaded from the last.
vm_module_order() {
    local dep_file=$1 name=$2 line deps d i
    line=$(grep -E "(^|/)${name}\.ko(\.xz)?:" "$dep_file") ||
        die "module $name not in $dep_file"
    read -r -a deps <<<"${line#*:}"
    for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
        d=${deps[i]}
        [[ -n ${VM_SEEN[$d]:-} ]] && continue
        VM_SEEN[$d]=1
        VM_ORDER+=("$d")
    done
    d=${line%%:*}
    if [[ -z ${VM_SEEN[$d]:-} ]]; then
        VM_SEEN[$d]=1
        VM_ORDER+=("$d")
    fi
}

# Every NEEDED library of every ELF file under $1 must be in its lib dirs.
vm_check_needed_libs() {
    local root=$1 f lib missing=()
    local dirs=(lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib64)
    while IFS= read -r f; do
        head -c4 "$f" 2>/dev/null | grep -q ELF || continue
        for lib in $(readelf -d "$f" 2>/dev/null |
                     sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            local found=
            for d in "${dirs[@]}"; do
                [[ -e $root/$d/$lib ]] && found=1 && break
            done
            [[ -n $found ]] || missing+=("${f#"$root"/} needs $lib")
        done
    done < <(find "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
                  -type f 2>/dev/null)
    ((${#missing[@]} == 0)) ||
        die "the initramfs lacks libraries: ${missing[*]} (add their package to VM_USER_PKGS)"
}

vm_build() {
    local t0=$SECONDS kpkg kdeb work root kver m
    for m in apt-get dpkg-deb depmod cpio xz readelf; do
        command -v "$m" >/dev/null || die "$m not found"
    done
    vm_apt_update
    vm_apt_opts
    kpkg=$(vm_kernel_pkg)
    vm_download "$kpkg" "${VM_USER_PKGS[@]}"
    say "downloads ready in $((SECONDS - t0)) s ($VM_CACHE/debs)"

    kdeb=$(vm_deb "$kpkg")
    if [[ -f $VM_CACHE/vmlinux && -f $VM_CACHE/initrd.cpio &&
          $(cat "$VM_CACHE/built-from" 2>/dev/null) == "$(vm_build_id "$kdeb")" ]]; then
        say "vmlinux and initrd.cpio are up to date"
        return 0
    fi

    work=$(mktemp -d "$VM_CACHE/build.XXXXXX")
    VM_TMP_DIRS+=("$work")
    root=$work/root
    mkdir -p "$work/kernel" "$root"
    say "unpacking $(basename "$kdeb")"
    dpkg-deb --fsys-tarfile "$kdeb" |
        tar -x -C "$work/kernel" ./boot ./lib/modules ||
        die "cannot unpack $kdeb"
    kver=$(basename "$(ls -d "$work/kernel/lib/modules/"*)")
    depmod -b "$work/kernel" "$kver" || die "depmod failed"
    vm_extract_vmlinux "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinux"

    for m in "${VM_USER_PKGS[@]}"; do
        dpkg-deb -x "$(vm_deb "$m")" "$root" || die "cannot unpack $m"
    done
    # ss and arpd would need libselinux, libtirpc and libdb; the guest has
    # /proc/net/sctp/* instead.
    rm -rf "${root:?}/usr/share" "$root/usr/lib/x86_64-linux-gnu/gconv" \
           "$root/usr/include" "$root/etc/init.d" \
           "$root/bin/ss" "$root/usr/sbin/arpd"
    # busybox applets for everything the packages do not provide (iproute2's
    # ip and tc stay the real ones).
    local b have
    for m in $("$root/bin/busybox" --list-full); do
        have=
        for b in bin sbin usr/bin usr/sbin; do
            [[ -e $root/$b/${m##*/} ]] && have=1
        done
        [[ -n $have ]] && continue
        mkdir -p "$root/$(dirname "$m")"
        ln -s /bin/busybox "$root/$m"
    done
    mkdir -p "$root"/{dev,proc,sys,tmp,run,root,etc/vm}
    mknod -m 600 "$root/dev/console" c 5 1
    echo root:x:0:0:root:/root:/bin/sh >"$root/etc/passwd"
    echo root:x:0: >"$root/etc/group"
    vm_check_needed_libs "$root"

    # Modules, in load order.
    local -A VM_SEEN=()
    local mdir=$work/kernel/lib/modules/$kver VM_ORDER=()
    for m in "${VM_MODULES[@]}"; do
        vm_module_order "$mdir/modules.dep" "$m"
    done
    for m in "${VM_ORDER[@]}"; do
        mkdir -p "$root/lib/modules/$kver/$(dirname "$m")"
        cp "$mdir/$m" "$root/lib/modules/$kver/$m"
    done
    printf '%s\n' "${VM_ORDER[@]}" >"$root/etc/vm/modules"

    install -m 755 "$VM_LIB/init" "$root/init"
    (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) \
        >"$work/initrd.cpio" || die "cpio failed"
    mv "$work/vmlinux" "$VM_CACHE/vmlinux"
    mv "$work/initrd.cpio" "$VM_CACHE/initrd.cpio"
    vm_build_id "$kdeb" >"$VM_CACHE/built-from"
    rm -rf "$work"
    say "built $VM_CACHE/vmlinux ($kver) and initrd.cpio" \
        "($(du -m "$VM_CACHE/initrd.cpio" | cut -f1) MB, ${#VM_ORDER[@]} modules) in $((SECONDS - t0)) s"
}

# What a build depends on: the kernel package, the userland .debs, the
# module list and the guest's /init. A change to any of them rebuilds.
vm_build_id() {
    local p
    {
        basename "$1"
        for p in "${VM_USER_PKGS[@]}"; do basename "$(vm_deb "$p")"; done
        echo "${VM_MODULES[*]}"
        cat "$VM_LIB/init" "$VM_LIB/build.sh"
    } | sha256sum | cut -d' ' -f1
}
