/*
 * perf_usage.c - sctpu-perf's --help text, and the iperf3 options it
 * refuses with their reasons (the same lines --help shows).
 */
#include <stdio.h>
#include <string.h>

#include "echo.h"
#include "perf_cli.h"
#include "perf_usage.h"

const struct perf_cli_refused perf_refused_opts[] = {
    { 0, "udp",
      "there is no UDP mode: every test is SCTP over UDP already (-u means "
      "unordered SCTP delivery here)" },
    { 'Z', "zerocopy",
      "not applicable: usrsctp copies every message, there is no zero-copy "
      "send" },
    { 'C', "congestion",
      "not applicable: no TCP congestion algorithm to pick; SCTP's own "
      "congestion control runs inside usrsctp" },
    { 'M', "set-mss",
      "not applicable: no MSS to set; give the path's IP MTU with --mtu "
      "instead" },
};

/* longopts in perf_cli.c lists each of them (OPT_REFUSED + i). */
_Static_assert(sizeof(perf_refused_opts) / sizeof(perf_refused_opts[0]) ==
                   PERF_N_REFUSED,
               "PERF_N_REFUSED counts perf_refused_opts");

#define HELP_COLUMN 28 /* where the explanations start */
#define HELP_WIDTH 79

/* One refused option for --help: its names, then its reason wrapped. */
static void usage_refused(FILE *out, const struct perf_cli_refused *r)
{
    const char *w = r->why;
    int col;

    if (r->letter)
        col = fprintf(out, "  -%c, --%s", r->letter, r->name);
    else
        col = fprintf(out, "      --%s", r->name);
    while (*w != '\0') {
        int len = (int)strcspn(w, " ");

        if (col >= HELP_COLUMN && col + 1 + len > HELP_WIDTH)
            col = fprintf(out, "\n%*s", HELP_COLUMN, "") - 1;
        else if (col >= HELP_COLUMN)
            col += fprintf(out, " ");
        else
            col += fprintf(out, "%*s", HELP_COLUMN - col, "");
        col += fprintf(out, "%.*s", len, w);
        w += len;
        w += strspn(w, " ");
    }
    fprintf(out, "\n");
}

/* clang-format off */
void perf_cli_usage(FILE *out, const char *prog)
{
    size_t i;

    fprintf(out,
"Usage: %s -s [options]            server\n"
"       %s -c HOST[,HOST] [options]  client (several of the server's\n"
"                                  addresses: multihoming, kernel backend)\n"
"\n"
"SCTP throughput test in userspace (usrsctp): no sctp.ko needed. Options\n"
"follow iperf3. There is no UDP mode (iperf3's -u, --udp): every test is\n"
"SCTP over UDP already (RFC 6951), and -u means unordered SCTP delivery.\n"
"\n"
"Two ports: the SCTP port (-p, default %u as in iperf3) travels inside\n"
"the UDP port (--udp-port, default %u). Firewalls, NATs and\n"
"`docker run -p %u:%u/udp` only ever see the UDP port. sctpu-echo's\n"
"default UDP port is %u, so both servers fit on one host.\n"
"Each association carries --nstreams data streams plus, unless\n"
"--no-control, one control stream: the control channel runs inside the\n"
"association, so the one UDP port carries the whole test.\n"
"\n"
"Server or Client:\n"
"  -p, --port N              SCTP port (default %u)\n"
"      --udp-port N          UDP port carrying SCTP: the server listens on\n"
"                            it, the client sends to it (default %u)\n"
"  -B, --bind ADDR[,ADDR]    local address (default: any); several\n"
"                            multihome the association (--backend kernel)\n"
"  -4, --version4            IPv4 only\n"
"  -6, --version6            IPv6 only\n"
"      --backend NAME        usrsctp (default) or kernel; a server may give\n"
"                            all: usrsctp on --udp-port and kernel SCTP on\n"
"                            -p at once (a backend this host lacks is left\n"
"                            out, with a line saying why)\n"
"      --compare             client: run the test on usrsctp, then on the\n"
"                            kernel, with the same settings (buffers 4M\n"
"                            unless -w, SACK, nodelay, MTU), then a table\n"
"                            side by side (-J: one JSON document); the\n"
"                            server runs --backend all\n"
"      --encap               kernel backend: SCTP over UDP to --udp-port\n"
"                            (RFC 6951; needs net.sctp.udp_port set)\n"
"      --impair SPEC         impair our own datagrams, no tc/netem needed:\n"
"                            loss=5%%|ge:P/R[/LB[/LG]],delay=20ms,\n"
"                            jitter=5ms,reorder=1%%[:GAP],duplicate=0.5%%,\n"
"                            corrupt=0.1%%,rate=100M,seed=42 (usrsctp)\n"
"      --impair-dir DIR      tx (sent), rx (received) or both (default)\n"
"      --pcap FILE           write every SCTP packet sent and received to\n"
"                            a pcap file (usrsctp backend; the wire's view:\n"
"                            after --impair tx, before rx), each behind an\n"
"                            IP header with the real addresses (protocol\n"
"                            SCTP, so any reader dissects it as is)\n"
"      --pcap-udp            keep the UDP header (real UDP ports) instead;\n"
"                            Wireshark then dissects SCTP on udp/9899 only\n"
"                            (else: -d udp.port==PORT,sctp)\n"
"      --pcap-snaplen N      bytes kept per packet, 64-256k (default 65535)\n"
"      --pcap-max SIZE       stop capturing before the file passes SIZE\n"
"                            (1k-1024G; default: no cap)\n"
"      --check               what this host can do (backends, kernel SCTP\n"
"                            over UDP, CRC32c, GSO/GRO, path MTU); exit 0\n"
"                            when the backend (--backend) is usable\n"
"  -i, --interval SEC        seconds between reports, 0 = none; 0.1-60\n"
"                            (default 1)\n"
"  -w, --window SIZE         SCTP send and receive buffers, 4k-256M\n"
"                            (default 2M)\n"
"      --sack-delay MS       delayed SACK timer, 1-500 ms\n"
"      --sack-freq N         SACK every N packets, 1-100\n"
"      --rto-min MS, --rto-max MS, --rto-initial MS\n"
"                            retransmission timeout bounds, 10-600000 ms\n"
"      --hb-interval MS      HEARTBEAT interval, 100-3600000 ms (default\n"
"                            30000); keep it under a NAT's UDP timeout\n"
"  -N, --nodelay             send at once, no bundling delay (SCTP_NODELAY;\n"
"                            also --no-delay)\n"
"      --mtu BYTES           IP MTU of the path, 552-65536 (default: route)\n"
"  -S, --tos N               IP TOS byte of every packet, 0-255 or 0x hex\n"
"      --dscp N|NAME         DSCP instead: 0-63, CS0-CS7, AF11-AF43, EF, VA\n"
"      --bind-dev IFACE      send and receive only through IFACE\n"
"                            (SO_BINDTODEVICE)\n"
"      --instreams N         inbound streams this end allows, 1-65535\n"
"                            (default 2048)\n"
"      --outstreams N        outbound streams asked for, 1-65535; a\n"
"                            client's are --nstreams + the control stream\n"
"      --max-retrans-path N, --max-retrans-assoc N, --max-init-retrans N\n"
"                            RFC 9260 Path.Max.Retrans, Association.Max.\n"
"                            Retrans, Max.Init.Retransmits, 1-255\n"
"      --no-control          no control channel: the server is a raw sink\n"
"                            counting whatever arrives, the client a raw\n"
"                            sender to any SCTP receiver\n"
"      --timeout SEC         give up when nothing moves for SEC: connect,\n"
"                            control, or data, or when sent data waits\n"
"                            on a server silent for SEC (0.1-3600,\n"
"                            default 8)\n"
"      --rcv-timeout MS      fail when no data arrives for MS while this end\n"
"                            receives, 100-3600000, at most --timeout\n"
"                            (default: --timeout)\n"
"  -A, --affinity N          run on CPU N, 0-1023 (sched_setaffinity);\n"
"                            iperf3's N,M (M for the server) is refused:\n"
"                            give the server its own -A\n"
"  -J, --json                output in JSON, iperf3's keys and SCTP's\n"
"                            (\"schema_version\": 1; docs/perf-json.md)\n"
"      --json-stream         JSON, one object per line for each event\n"
"                            (start, each interval, end), as iperf3 3.17\n"
"      --csv                 CSV instead of text: a header, a line per\n"
"                            interval and direction, then the totals\n"
"                            (docs/perf-csv.md); not with -J or --compare\n"
"  -T, --title STR           start every text line with 'STR:  '\n"
"      --timestamps[=FMT]    start every text line with the time, as\n"
"                            strftime FMT (default '%%c ')\n"
"  -V, --verbose             more detailed output\n"
"      --forceflush          flush the output after every report\n"
"      --logfile FILE        write the output to FILE\n"
"      --sctp                accepted for iperf3 compatibility; ignored\n"
"  -h, --help                this text\n"
"  -v, --version             versions of sctpu, usrsctp and libevent (with\n"
"                            -J: one JSON object, backends and features too)\n"
"\n"
"Server specific:\n"
"  -s, --server              run as a server\n"
"  -1, --one-off             handle one client, then exit\n"
"      --max-clients N       tests at once, 1-64 (default 1)\n"
"      --idle-timeout SEC    abort a test in which nothing moves (no data\n"
"                            sent or received, no control message) for\n"
"                            SEC, 0.1-86400; with -1 also exit, status 0,\n"
"                            after SEC with no test\n"
"      --server-bitrate-limit RATE[/SEC]\n"
"                            refuse tests that ask for more than RATE\n"
"                            bits/s in total (all associations and\n"
"                            directions) or for no -b limit, and end a\n"
"                            test whose average over SEC (default 5, as\n"
"                            iperf3) exceeds RATE; 0 = none\n"
"      --max-associations N  associations open at once, in every test and\n"
"                            before their HELLO, 1-65535 (default 256);\n"
"                            past it a new one is told why and closed\n"
"      --max-peers N         UDP endpoints the server keeps state for,\n"
"                            16-1048576 (default 4096; usrsctp backend)\n"
"      --hello-timeout SEC   close an association that sends no HELLO, or\n"
"                            a test with no PARAMS, within SEC, 0.1-3600\n"
"                            (default 30: room for 4 retransmissions)\n"
"      --max-duration SEC    refuse tests asking for more (-t with -O);\n"
"                            end tests with no -t (-t 0, -n, -k) at SEC;\n"
"                            0 = no ceiling, up to 604800 (default 3600)\n"
"      --max-buffer-memory SIZE\n"
"                            message buffers of all running tests (-l per\n"
"                            test sending, -l per association checked by\n"
"                            --verify),\n"
"                            1M-64G (default 64M: -l 16M -P 4 fits);\n"
"                            a test needing more is refused\n"
"      --workers N           N processes share the UDP port, each running\n"
"                            its own tests; a client host's associations\n"
"                            all go to one (steered by source address),\n"
"                            1-64 (default 1; usrsctp backend); the caps\n"
"                            above are each worker's\n"
"\n"
"Client specific (the client decides the test):\n"
"  -c, --client HOST         run as a client, testing against HOST: a name\n"
"                            or address, HOST:PORT, [IPV6] or [IPV6]:PORT\n"
"                            (PORT is the SCTP port, as -p)\n"
"  -t, --time SEC            seconds to send, up to 86400; 0 = until\n"
"                            interrupted (default 10)\n"
"  -n, --bytes SIZE          bytes to send instead (k/m/g = x1024)\n"
"  -k, --blockcount N        messages to send instead\n"
"                            (give at most one of -t, -n, -k)\n"
"  -O, --omit SEC            leave the first SEC seconds out of the results\n"
"  -b, --bitrate RATE[/N]    bits/s per association, k/m/g/t = x1000,\n"
"                            0 = unlimited (default); /N: at most N\n"
"                            messages back to back, 1-1000: it shapes the\n"
"                            traffic, the rate stays (also --bandwidth)\n"
"  -l, --length SIZE         message size, 1-16M, must fit the send buffer\n"
"                            (-w) (default 64K; also --len)\n"
"  -P, --parallel N          associations, 1-%u (default 1)\n"
"      --nstreams N          data streams per association, 1-%u (default\n"
"                            1); the control stream comes on top\n"
"      --ppid N[,N...]       data messages' PPID, 0-4294967295 or 0x hex\n"
"                            (e.g. 18 S1AP, 60 NGAP, 46 Diameter); stream i\n"
"                            takes the (i mod count)th; at most one per\n"
"                            stream; not 0x73637075, the control PPID\n"
"                            (default 0x73637064)\n"
"      --stream IDS[:KEY,...] (repeatable) what streams IDS (N or N-M)\n"
"                            send: len=SIZE, rate=RATE (bits/s, paced per\n"
"                            stream), unordered or ordered, pr=ttl:MS,\n"
"                            rtx:N, buf:BYTES or none, prio=N (0-65534,\n"
"                            lower first, with --scheduler prio); keys not\n"
"                            given take\n"
"                            -l, -b, -u, --pr-policy; only listed streams\n"
"                            send (--nstreams defaults to their span); each\n"
"                            message carries its send time and the receiver\n"
"                            reports one-way latency per stream (p50, p90,\n"
"                            p99, max; CLOCK_REALTIME: exact on one host,\n"
"                            across hosts as good as clock sync). E.g.\n"
"                            --stream 0:len=200,rate=200k\n"
"                            --stream 1:len=64k,rate=4M,unordered\n"
"      --scheduler NAME      the sender's stream scheduler (usrsctp):\n"
"                            rr, fcfs, fair or prio (default: the stack's,\n"
"                            first come, first served)\n"
"      --interleave          offer I-DATA (RFC 8260): messages of different\n"
"                            streams interleave their fragments; the server\n"
"                            must be started with --interleave too\n"
"                            (usrsctp)\n"
"  -R, --reverse             the server sends, the client receives; -w\n"
"                            must then hold 4 messages (-l) or be 2M+\n"
"      --bidir               both send\n"
"      --rr REQ[/RESP]       request/response transactions (netperf\n"
"                            SCTP_RR): each association sends a REQ-byte\n"
"                            request, the server answers RESP bytes\n"
"                            (default REQ; 1-16M each), the next request\n"
"                            follows the response; reports transactions/s\n"
"                            and latency p50/p90/p99/p99.9; -k counts\n"
"                            transactions; SCTP_NODELAY at both ends; not\n"
"                            with -l, -n, -b, -R, --bidir, --verify, PR-SCTP\n"
"      --rr-burst N          --rr: N requests in flight per association,\n"
"                            1-256 (default 1)\n"
"  -u, --unordered           unordered SCTP delivery (not UDP: see above)\n"
"      --pr-policy POLICY    partial reliability (PR-SCTP): ttl, rtx or buf\n"
"      --pr-value N          its limit: ttl in ms (1-600000), rtx in\n"
"                            retransmissions (0-100), buf in bytes (1-256M)\n"
"      --verify              number and checksum every message, check them\n"
"                            at the receiver (needs -l 20 or more)\n"
"      --cport N             client's SCTP port (default: ephemeral);\n"
"                            with -P: N .. N+P-1\n"
"      --local-udp-port N    client's UDP port (default: ephemeral)\n"
"      --udp-per-assoc       a UDP port per association (-P N: N flows for\n"
"                            ECMP, RSS, load balancers; with\n"
"                            --local-udp-port N: ports N .. N+P-1)\n"
"      --get-server-output   show the server's results too\n"
"      --connect-timeout MS  give up when the associations are not up\n"
"                            within MS, 1-3600000, at most --timeout\n"
"      --connect-rate N[/s]  start at most N association set-ups a second,\n"
"                            1-100000 (default: at once, at most 256 INITs\n"
"                            unanswered); -P above 16 prints only [SUM]\n"
"                            lines unless -V\n"
"\n"
"Not applicable (iperf3 options refused, with the reason):\n",
            prog, prog, PERF_DEFAULT_PORT, PERF_DEFAULT_UDP_PORT,
            PERF_DEFAULT_UDP_PORT, PERF_DEFAULT_UDP_PORT,
            ECHO_DEFAULT_UDP_PORT, PERF_DEFAULT_PORT,
            PERF_DEFAULT_UDP_PORT, PERF_MAX_PARALLEL, PERF_MAX_STREAMS);
    for (i = 0; i < PERF_N_REFUSED; i++)
        usage_refused(out, &perf_refused_opts[i]);
    fprintf(out,
"\n"
"SIGINT or SIGTERM ends a running test as its limit would: the senders\n"
"stop, both ends' results are exchanged and the summary printed. After\n"
"-t 0 that is success; a limited test cut short says so on stderr and\n"
"exits 1 (as iperf3 does). A second signal quits at once, exit 1.\n"
"\n"
"Long options are spelled in full. Exit status: 0 when the test ran, 1\n"
"when it failed, was cut short or verification found errors, 2 for bad\n"
"arguments or an unusable address or port.\n");
}
/* clang-format on */
