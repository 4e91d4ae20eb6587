#!/usr/bin/env bash
# it_echo_rewrite.sh - echoes come back on the stream, with the PPID and
# the unordered flag they went out with; an echo that does not is CORRUPT.
#
# Every run goes through tests/sctp_rewrite_relay.py, a UDP relay that
# parses the SCTP packets inside the UDP payload (RFC 6951), counts the
# DATA chunks' PPIDs, streams and U flags each way, and may rewrite the
# server's echoes (recomputing the CRC32c, or usrsctp would drop them):
#
#   pass        -u --ppid 1234 --strict-ppid: exit 0, all verified, none
#               corrupt, ppid_differed 0; and the relay saw the client's
#               DATA and the server's echoes both carry PPID 1234 and the
#               U flag, on all 4 streams (so the flags really travelled)
#   ppid        the relay turns PPID 1234 into 4321: by default the
#               client verifies the rest, says once "the server does not
#               echo PPIDs (sent 1234, got 4321)" and exits 0 with
#               ppid_differed counted (README); with --strict-ppid every
#               such echo is CORRUPT ("echo carries another PPID"), exit 1
#   stream      the relay moves each echo to stream s ^ 1: CORRUPT ("echo
#               came back on another stream"), exit 1
#   unordered   the relay sets the U flag on every echo of ordered
#               messages: CORRUPT ("echo's unordered flag differs"), exit 1
#
# Rewrites SCTP still delivers: a PPID means nothing to SCTP. The stream
# and U-flag rewrites apply to every DATA chunk toward the client, so the
# receiver's per-stream sequence numbers (SSN) stay consistent: s ^ 1 is a
# one-to-one map, so each receiving stream gets exactly one sending
# stream's SSNs 0, 1, 2, ... in order; and an unordered chunk's SSN is
# ignored, so setting U everywhere leaves no ordered gap to wait for.
# (Clearing U, or moving only some echoes, would leave the receiver
# waiting for an SSN that never comes: a stall, not a CORRUPT.) The
# address probe's answer goes out on stream 0 too and is rewritten with
# the rest; message 0 carries the probe PPID, so the ppid case rewrites
# N - 1 echoes.
#
# usage: bash tests/it_echo_rewrite.sh BUILD_DIR

# shellcheck source=tests/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
in_private_netns "$@"

[[ -x $ECHO_BIN ]] || fail "$ECHO_BIN is not built"
RELAY="$TESTS_DIR/sctp_rewrite_relay.py"
N=20
SRV_UDP=9970
RELAY_UDP=9971
start_echo_server server --udp-port "$SRV_UDP"

# through NAME MODE... -- CLIENT_ARGS...: one client run through a relay
# in MODE; sets RC, and leaves $WORK/NAME.{json,err,relay}.
through() {
    local name=$1 relay_args=() relay
    shift
    while [[ $1 != -- ]]; do
        relay_args+=("$1")
        shift
    done
    shift
    python3 "$RELAY" "$RELAY_UDP" "$SRV_UDP" "${relay_args[@]}" \
        >"$WORK/$name.relay" 2>&1 &
    relay=$!
    PIDS+=("$relay")
    wait_for_line "$WORK/$name.relay" '^ready$' 10
    RC=0
    "$ECHO_BIN" -c 127.0.0.1 --udp-port "$RELAY_UDP" -n "$N" -i 0 \
        --nstreams 4 --timeout 10 -J "$@" \
        >"$WORK/$name.json" 2>"$WORK/$name.err" || RC=$?
    kill -TERM "$relay"
    wait "$relay" || fail "$name: the relay failed: $(cat "$WORK/$name.relay")"
    echo "$name: exit $RC; relay: $(tail -1 "$WORK/$name.relay")"
    sed 's/^/  /' "$WORK/$name.err" | head -4
}

# client EXPR: a Python expression on the client's JSON j, true or fail.
# relay EXPR: the same on the relay's counts r (r["to_client"] ...).
client() {
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(not eval(sys.argv[2]))' \
        "$WORK/$NAME.json" "$1" || fail "$NAME: client: not $1 in $(cat "$WORK/$NAME.json")"
}
relay() {
    python3 -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); sys.exit(not eval(sys.argv[2]))' \
        "$WORK/$NAME.relay" "$1" || fail "$NAME: relay: not $1"
}
# corrupt_lines REASON: every echo (COUNT of them) was CORRUPT for REASON.
corrupt_lines() {
    local n
    n=$(grep -c "CORRUPT: $1\$" "$WORK/$NAME.err" || true)
    ((n == $2)) || fail "$NAME: $n echoes CORRUPT for '$1', want $2"
}
# Both ways, the relay checked every CRC32c and rewrote only what it says.
relay_sane() {
    relay 'r["to_server"]["bad_crc"] == 0 and r["to_client"]["bad_crc"] == 0'
    relay 'r["to_server"]["idata"] == 0 and r["to_client"]["idata"] == 0'
    relay "r['to_server']['rewritten'] == 0"
}

NAME=pass
through pass pass -- -u --ppid 1234 --strict-ppid
((RC == 0)) || fail "pass: exit $RC"
client "j['sent'] == $N and j['verified'] == $N and j['corrupt'] == 0"
client "j['ppid_differed'] == 0 and j['error'] is None"
relay_sane
relay 'r["to_client"]["rewritten"] == 0'
for dir in to_server to_client; do
    # message 0 is the ordered address probe, with sctpu's probe PPID
    relay "r['$dir']['ppids'].get('1234', 0) >= $N - 1"
    relay "r['$dir']['unordered'] >= $N - 1"
    relay "set(r['$dir']['sids']) == {'0', '1', '2', '3'}"
done

NAME=ppid
through ppid ppid 1234 4321 -- -u --ppid 1234
((RC == 0)) || fail "ppid: exit $RC (a server that changes PPIDs is a warning)"
client "j['verified'] == $N and j['corrupt'] == 0 and j['ppid_differed'] == $N - 1"
grep -q 'the server does not echo PPIDs (sent 1234, got 4321)' "$WORK/ppid.err" ||
    fail "ppid: the client did not say the PPIDs differed"
relay_sane
relay "r['to_client']['rewritten'] == $N - 1"

NAME=ppid-strict
through ppid-strict ppid 1234 4321 -- -u --ppid 1234 --strict-ppid
((RC == 1)) || fail "ppid-strict: exit $RC, want 1"
client "j['verified'] == 1 and j['corrupt'] == $N - 1"
corrupt_lines 'echo carries another PPID' $((N - 1))
relay_sane

NAME=stream
through stream stream-swap -- --ppid 1234
((RC == 1)) || fail "stream: exit $RC, want 1"
client "j['verified'] == 0 and j['corrupt'] == $N and j['received'] == $N"
corrupt_lines 'echo came back on another stream' "$N"
relay_sane
relay "r['to_client']['rewritten'] >= $N"

NAME=unordered
through unordered unordered -- --ppid 1234
((RC == 1)) || fail "unordered: exit $RC, want 1"
client "j['verified'] == 0 and j['corrupt'] == $N and j['received'] == $N"
corrupt_lines "echo's unordered flag differs" "$N"
relay_sane
relay "r['to_server']['unordered'] == 0 and r['to_client']['rewritten'] >= $N"

stop_server "$SERVER_PID"
echo "PASS: echoes keep stream, PPID and U flag; rewritten ones are CORRUPT"
