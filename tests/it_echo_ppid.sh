#!/usr/bin/env bash
# it_echo_ppid.sh - an echo server that does not echo PPIDs still gives a
# clean run, said once; --strict-ppid makes it an error.
#
# Many echo servers (a kernel recv/send loop on a one-to-one socket)
# answer with PPID 0. `sctpu-echo -s --reply-ppid 0` answers like them
# (and, like them, does not report the client's address):
#
#   default        exit 0, every echo verified (payload, stream, flags),
#                  one warning that the server does not echo PPIDs, and
#                  -J's ppid_differed counts the echoes
#   --strict-ppid  exit 1, every echo corrupt, -J still a clean document
#                  (the per-echo lines go to stderr under -J)
#   misuse         --strict-ppid on a server, --reply-ppid on a client:
#                  exit 2 with the reason
#
# usage: bash tests/it_echo_ppid.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
N=40
start_echo_server foreign --udp-port 9941 --reply-ppid 0
CLIENT=("$ECHO_BIN" -c 127.0.0.1 --udp-port 9941 -n $N -i 0 --ppid 18
    --nstreams 4)

rc=0
"${CLIENT[@]}" -J >"$WORK/lenient.json" 2>"$WORK/lenient.err" || rc=$?
((rc == 0)) || fail "default: exit $rc: $(cat "$WORK/lenient.err")"
read -r verified differed corrupt < <(json_get "$WORK/lenient.json" \
    '" ".join(str(j[k]) for k in ("verified", "ppid_differed", "corrupt"))')
((verified == N && differed == N && corrupt == 0)) ||
    fail "default: verified $verified, ppid_differed $differed, corrupt $corrupt; want $N, $N, 0"
warnings=$(grep -c 'the server does not echo PPIDs' "$WORK/lenient.err" || true)
((warnings == 1)) ||
    fail "default: said $warnings times that the server does not echo PPIDs"
echo "default: $verified/$N verified, PPIDs differed on $differed, said once"

rc=0
"${CLIENT[@]}" -J --strict-ppid >"$WORK/strict.json" 2>"$WORK/strict.err" ||
    rc=$?
((rc == 1)) || fail "--strict-ppid: exit $rc, want 1"
read -r verified corrupt < <(json_get "$WORK/strict.json" \
    '" ".join(str(j[k]) for k in ("verified", "corrupt"))')
((verified == 0 && corrupt == N)) ||
    fail "--strict-ppid: verified $verified, corrupt $corrupt; want 0, $N"
grep -q 'CORRUPT: echo carries another PPID' "$WORK/strict.err" ||
    fail "--strict-ppid: no per-echo reason on stderr"
echo "--strict-ppid: $corrupt/$N corrupt, exit 1, JSON intact"

for bad in "-s --strict-ppid|--strict-ppid is for the client (-c)" \
    "-c 127.0.0.1 --reply-ppid 0|--reply-ppid is for the server (-s)"; do
    args=${bad%%|*}
    want=${bad#*|}
    rc=0
    # shellcheck disable=SC2086
    "$ECHO_BIN" $args >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
    ((rc == 2)) && grep -qF -- "$want" "$WORK/bad.err" ||
        fail "sctpu-echo $args: exit $rc, $(cat "$WORK/bad.err")"
done

stop_server "$SERVER_PID"
echo "PASS: a server that does not echo PPIDs, leniently and strictly"
