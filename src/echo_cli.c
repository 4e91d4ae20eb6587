/*
 * echo_cli.c - parse and check sctpu-echo's arguments.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli_util.h"
#include "runtime.h"
#include "echo_cli.h"
#include "echo_msg.h"
#include "host_port.h"
#include "transport.h"
#include "units.h"
#include "workers.h"

#define BUF_MIN 4096u
#define BUF_MAX (256u * 1024 * 1024)
#define MTU_MIN 552u /* IPv4 + UDP + SCTP headers + 512 */
#define MTU_MAX 65536u
/* -P: receive buffers (associations x the largest -l) a run may hold */
#define PARALLEL_BUF_MAX (256u * 1024 * 1024)
/* --hold: up to a day */
#define HOLD_MAX_S 86400
/* --max-buffered: one message past the 64k every session starts with */
#define MAX_BUFFERED_MIN (64u * 1024)
#define MAX_BUFFERED_MAX (UINT64_C(64) << 30)

enum {
    OPT_NSTREAMS = 256,
    OPT_PPID,
    OPT_STRICT_PPID,
    OPT_REPLY_PPID,
    OPT_TIMEOUT,
    OPT_UDP_PORT,
    OPT_LOCAL_UDP_PORT,
    OPT_LPORT,
    OPT_IP,
    OPT_MTU,
    OPT_SNDBUF,
    OPT_RCVBUF,
    OPT_BUFSIZE,
    OPT_BACKEND,
    OPT_CHECK,
    OPT_COMPARE,
    OPT_ONCE,
    OPT_RTO_MIN,
    OPT_RTO_MAX,
    OPT_RTO_INITIAL,
    OPT_HB_INTERVAL,
    OPT_SACK_DELAY,
    OPT_SACK_FREQ,
    OPT_WINDOW,
    OPT_MAX_ASSOCS,
    OPT_IDLE_TIMEOUT,
    OPT_MAX_BUFFERED,
    OPT_MAX_PEERS,
    OPT_HOLD,
    OPT_WORKERS,
};

/* Remember the first server-only cap given (a client refuses it). */
static void note_server_only(struct echo_config *cfg, const char *opt)
{
    if (cfg->server_only[0] == '\0')
        snprintf(cfg->server_only, sizeof(cfg->server_only), "%s", opt);
}

/* clang-format off */
static const struct option longopts[] = {
    { "server",         no_argument,       NULL, 's' },
    { "client",         required_argument, NULL, 'c' },
    { "ip",             required_argument, NULL, OPT_IP },
    { "bind",           required_argument, NULL, 'B' },
    { "port",           required_argument, NULL, 'p' },
    { "udp-port",       required_argument, NULL, OPT_UDP_PORT },
    { "local-udp-port", required_argument, NULL, OPT_LOCAL_UDP_PORT },
    { "lport",          required_argument, NULL, OPT_LPORT },
    { "count",          required_argument, NULL, 'n' },
    { "interval",       required_argument, NULL, 'i' },
    { "window",         required_argument, NULL, OPT_WINDOW },
    { "parallel",       required_argument, NULL, 'P' },
    { "hold",           required_argument, NULL, OPT_HOLD },
    { "len",            required_argument, NULL, 'l' },
    { "nstreams",       required_argument, NULL, OPT_NSTREAMS },
    { "ppid",           required_argument, NULL, OPT_PPID },
    { "strict-ppid",    no_argument,       NULL, OPT_STRICT_PPID },
    { "reply-ppid",     required_argument, NULL, OPT_REPLY_PPID },
    { "unordered",      no_argument,       NULL, 'u' },
    { "timeout",        required_argument, NULL, OPT_TIMEOUT },
    { "once",           no_argument,       NULL, OPT_ONCE },
    { "max-associations", required_argument, NULL, OPT_MAX_ASSOCS },
    { "max-peers", required_argument, NULL, OPT_MAX_PEERS },
    { "workers",        required_argument, NULL, OPT_WORKERS },
    { "idle-timeout",   required_argument, NULL, OPT_IDLE_TIMEOUT },
    { "max-buffered",   required_argument, NULL, OPT_MAX_BUFFERED },
    { "json",           no_argument,       NULL, 'J' },
    { "quiet",          no_argument,       NULL, 'q' },
    { "verbose",        no_argument,       NULL, 'V' },
    { "backend",        required_argument, NULL, OPT_BACKEND },
    { "check",          no_argument,       NULL, OPT_CHECK },
    { "compare",        no_argument,       NULL, OPT_COMPARE },
    { "mtu",            required_argument, NULL, OPT_MTU },
    { "sndbuf",         required_argument, NULL, OPT_SNDBUF },
    { "rcvbuf",         required_argument, NULL, OPT_RCVBUF },
    { "bufsize",        required_argument, NULL, OPT_BUFSIZE },
    { "rto-min",        required_argument, NULL, OPT_RTO_MIN },
    { "rto-max",        required_argument, NULL, OPT_RTO_MAX },
    { "rto-initial",    required_argument, NULL, OPT_RTO_INITIAL },
    { "hb-interval",    required_argument, NULL, OPT_HB_INTERVAL },
    { "sack-delay",     required_argument, NULL, OPT_SACK_DELAY },
    { "sack-freq",      required_argument, NULL, OPT_SACK_FREQ },
    SOCK_OPTS_LONGOPTS,
    { "help",           no_argument,       NULL, 'h' },
    { "version",        no_argument,       NULL, 'v' },
    { NULL,             0,                 NULL, 0 },
};
/* clang-format on */

/*
 * '+': stop at the first non-option instead of permuting argv (operands
 * are refused anyway); ':': report a missing value apart. -v and -V as in
 * iperf3 and sctpu-perf: version and verbose.
 */
static const char shortopts[] = "+:sc:p:n:i:l:uJqVv46hS:B:P:";

/* The Go sctp example's flags, spelled with one dash. */
static const char *const go_flags[] = {
    "server", "ip", "port", "lport", "bufsize", "sndbuf", "rcvbuf", NULL,
};

/* clang-format off */
void echo_cli_usage(FILE *out, const char *prog)
{
    fprintf(out,
"Usage: %s -s [options]            echo server\n"
"       %s -c HOST [options]       echo client\n"
"       %s -server -ip ADDR -port N | -ip HOST -port N   (Go sctp example)\n"
"\n"
"SCTP in userspace (usrsctp) over UDP (RFC 6951): no sctp.ko needed.\n"
"\n"
"Roles and addresses:\n"
"  -s, --server            serve echoes until SIGINT/SIGTERM\n"
"  -c, --client HOST       send messages to HOST and verify every echo\n"
"      --ip ADDR[,ADDR]    server: bind addresses; client: the server's\n"
"                          addresses (several: multihoming, which needs\n"
"                          --backend kernel). -c takes a list too.\n"
"  -B, --bind ADDR[,ADDR]  server: as --ip; client: its own addresses\n"
"                          (default: the wildcard; several: multihoming,\n"
"                          --backend kernel; usrsctp binds its UDP socket\n"
"                          to the one address given)\n"
"                          HOST and ADDR may be a name or address,\n"
"                          HOST:PORT, [IPV6] or [IPV6]:PORT; PORT is the\n"
"                          SCTP port, as -p (a client's -B takes none)\n"
"  -p, --port N            SCTP port (default %u)\n"
"      --udp-port N        UDP encapsulation port: server listens, client\n"
"                          sends to it (default %u)\n"
"      --local-udp-port N  client's own UDP port (default: ephemeral)\n"
"      --lport N           client's own SCTP port (default: ephemeral)\n"
"  -4, -6                  IPv4 or IPv6 only\n"
"      --backend NAME      usrsctp (default) or kernel; a server may give\n"
"                          all: usrsctp on --udp-port and kernel SCTP on\n"
"                          -p at once (a backend this host lacks is left\n"
"                          out, with a line saying why)\n"
"      --compare           client: the same -n echoes on usrsctp, then on\n"
"                          the kernel (buffers 4M unless given, same MTU),\n"
"                          then RTT percentiles side by side (-J: one JSON\n"
"                          object); the server runs --backend all\n"
"      --encap             kernel backend: SCTP over UDP to --udp-port\n"
"                          (RFC 6951; needs net.sctp.udp_port set)\n"
"      --impair SPEC       impair our own datagrams, no tc/netem needed:\n"
"                          loss=5%%|ge:P/R[/LB[/LG]],delay=20ms,jitter=5ms,\n"
"                          reorder=1%%[:GAP],duplicate=0.5%%,corrupt=0.1%%,\n"
"                          rate=100M,seed=42 (usrsctp backend)\n"
"      --impair-dir DIR    tx (sent), rx (received) or both (default)\n"
"      --pcap FILE         write every SCTP packet sent and received to a\n"
"                          pcap file (usrsctp backend; the wire's view:\n"
"                          after --impair tx, before rx), each behind an\n"
"                          IP header with the real addresses (protocol\n"
"                          SCTP, so any reader dissects it as is)\n"
"      --pcap-udp          keep the UDP header (real UDP ports) instead;\n"
"                          Wireshark then dissects SCTP on udp/9899 only\n"
"                          (else: -d udp.port==PORT,sctp)\n"
"      --pcap-snaplen N    bytes kept per packet, 64-256k (default 65535)\n"
"      --pcap-max SIZE     stop capturing before the file passes SIZE\n"
"                          (1k-1024G; default: no cap)\n"
"      --check             what this host can do (backends, kernel SCTP\n"
"                          over UDP, CRC32c, GSO/GRO, path MTU); exit 0\n"
"                          when the backend (--backend) is usable\n"
"\n"
"Client workload:\n"
"  -n, --count N           messages to send, 0 = until interrupted (default 0)\n"
"  -i, --interval SEC      time from one send's start to the next, as\n"
"                          ping paces; 0 = back to back (default 1)\n"
"      --window N          messages in flight at once, 1-1024 (default 1)\n"
"  -P, --parallel N        N associations from this one process (one UDP\n"
"                          socket), 1-16384; each sends -n messages\n"
"                          (default 1) one at a time, every echo verified;\n"
"                          a line when all are up and verified, then the\n"
"                          summary (no -i, --window, -J or --compare)\n"
"      --hold SEC          with -P: keep them all open and idle SEC once\n"
"                          verified, 0-86400 (default 0), then SHUTDOWN;\n"
"                          SIGINT ends the hold early; to measure a\n"
"                          server's memory per association (tools/assoc-mem.sh)\n"
"  -l, --len SIZE[,SIZE]   message sizes, cycled (default 64; 1..1M; k/m ok)\n"
"      --nstreams N        outbound streams to ask for; messages go\n"
"                          round-robin over those negotiated (default 10)\n"
"      --ppid N            payload protocol identifier (default 0); the\n"
"                          first message carries sctpu's address probe\n"
"                          PPID instead, ordered (see README)\n"
"      --strict-ppid       an echo with another PPID is corrupt (default:\n"
"                          say once that the server does not echo PPIDs,\n"
"                          and verify payload, stream and flags)\n"
"  -u, --unordered         send unordered messages\n"
"      --timeout SEC       give up on a connect or an echo after SEC\n"
"                          (default 5)\n"
"\n"
"Server:\n"
"      --once              exit after the first association ends\n"
"      --reply-ppid N      answer with PPID N instead of the one received,\n"
"                          as servers that do not echo PPIDs do\n"
"      --max-associations N\n"
"                          associations open at once, 1-65535 (default\n"
"                          1024); past it a new one is aborted and logged\n"
"      --max-peers N       UDP endpoints the server keeps state for,\n"
"                          16-1048576 (default 4096; usrsctp backend)\n"
"      --idle-timeout SEC  close an association silent for SEC, 0 = never,\n"
"                          up to 86400 (default 60)\n"
"      --max-buffered SIZE bytes all associations may hold for messages\n"
"                          past 64k being read or echoed, 64k-64G (default\n"
"                          64M); one that needs more is aborted\n"
"      --workers N         N processes share the UDP port, a client host's\n"
"                          associations all in one (steered by source\n"
"                          address), 1-64 (default 1; usrsctp backend);\n"
"                          the caps above are each worker's\n"
"\n"
"SCTP and sockets:\n"
"      --mtu BYTES         IP MTU of the path (default: from the route)\n"
"      --sndbuf SIZE       SCTP send buffer (default 2M)\n"
"      --rcvbuf SIZE       SCTP receive buffer (default 2M)\n"
"      --bufsize SIZE      bytes read per receive call (default 64k)\n"
"      --rto-min MS, --rto-max MS, --rto-initial MS\n"
"                          retransmission timeout bounds\n"
"      --hb-interval MS    HEARTBEAT interval, 100-3600000 (default 30000);\n"
"                          keep it under a NAT's UDP timeout\n"
"      --sack-delay MS     delayed SACK timer, 1-500 ms, for what this end\n"
"                          receives (default: the stack's; --compare 200)\n"
"      --sack-freq N       SACK every N packets, 1-100 (default: the\n"
"                          stack's; --compare 2)\n"
"  -S, --tos N             IP TOS byte of every packet, 0-255 or 0x hex\n"
"      --dscp N|NAME       DSCP instead: 0-63, CS0-CS7, AF11-AF43, EF, VA\n"
"      --bind-dev IFACE    send and receive only through IFACE\n"
"                          (SO_BINDTODEVICE)\n"
"      --instreams N       inbound streams this end allows, 1-65535\n"
"                          (default 2048; a client: its --nstreams)\n"
"      --outstreams N      outbound streams asked for, 1-65535; a client's\n"
"                          is --nstreams\n"
"      --max-retrans-path N, --max-retrans-assoc N, --max-init-retrans N\n"
"                          RFC 9260 Path.Max.Retrans, Association.Max.Retrans,\n"
"                          Max.Init.Retransmits, 1-255\n"
"\n"
"Output:\n"
"  -J, --json              client: print the summary as one JSON object\n"
"                          (\"schema_version\": 1; docs/echo-json.schema.json)\n"
"  -q, --quiet             client: no line per message\n"
"  -V, --verbose           more diagnostics (twice for debug)\n"
"  -h, --help              this text\n"
"  -v, --version           versions of sctpu, usrsctp and libevent (with\n"
"                          -J: one JSON object, backends and features too)\n"
"\n"
"Long options are spelled in full (one dash or two).\n"
"Exit status: 0 when every echo was verified, 1 when not (or the peer\n"
"failed), 2 for bad arguments or an unusable address or port.\n",
            prog, prog, prog, ECHO_DEFAULT_SCTP_PORT, ECHO_DEFAULT_UDP_PORT);
}
/* clang-format on */

static void config_defaults(struct echo_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->family = AF_UNSPEC;
    cfg->port = ECHO_DEFAULT_SCTP_PORT;
    cfg->udp_port = ECHO_DEFAULT_UDP_PORT;
    cfg->workers = 1;
    cfg->interval_s = 1.0;
    cfg->sizes[0] = 64;
    cfg->nsizes = 1;
    cfg->nstreams = 10;
    cfg->timeout_s = 5.0;
    cfg->bufsize = 64 * 1024;
    cfg->max_assocs = ECHO_DEFAULT_MAX_ASSOCS;
    cfg->idle_timeout_s = ECHO_DEFAULT_IDLE_TIMEOUT_S;
    cfg->max_buffered = ECHO_DEFAULT_MAX_BUFFERED;
}

/*
 * Copy argv's pointers, turning the Go example's "-name" and "-name=v"
 * into "--name" (and "v"), so getopt_long sees one syntax. Strings are
 * shared with argv or static; only the pointer array is allocated.
 */
static char **translate_go_flags(int argc, char **argv)
{
    static char *const long_names[] = {
        "--server",  "--ip",     "--port",   "--lport",
        "--bufsize", "--sndbuf", "--rcvbuf",
    };
    char **out = calloc((size_t)argc * 2 + 1, sizeof(*out));
    int i;
    int n = 0;

    if (out == NULL)
        return NULL;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        size_t k;

        out[n++] = argv[i];
        if (i == 0 || a[0] != '-' || a[1] == '-' || a[1] == '\0')
            continue;
        for (k = 0; go_flags[k] != NULL; k++) {
            size_t len = strlen(go_flags[k]);

            if (strncmp(a + 1, go_flags[k], len) != 0 ||
                (a[1 + len] != '\0' && a[1 + len] != '='))
                continue;
            out[n - 1] = long_names[k];
            if (a[1 + len] == '=')
                out[n++] = argv[i] + 2 + len;
            break;
        }
    }
    out[n] = NULL;
    return out;
}

/* What the option loop saw, for the checks that need every option. */
struct echo_cli_state {
    bool client;          /* -c */
    bool nstreams_given;  /* --nstreams */
    const char *bind_arg; /* -B as given: a server's --ip, a client's own */
    char bind_opt[48];    /* "-B" or "--bind", for messages */
    bool ip_given;        /* --ip, which a server's -B must not repeat */
    char port_opt[48];    /* "-p" or "--port" when given, for messages */
    char host_opt[48];    /* "-c" or "--ip", for messages */
    const char *host_arg; /* its value as given */
    uint16_t host_port;   /* the SCTP port HOST:PORT named; 0 = none */
    bool count_given;     /* -n */
    bool interval_given;  /* -i */
    bool hold_given;      /* --hold */
};

/*
 * "a,b,c" (multihoming): kept in cfg->host as "a,b,c" without brackets or
 * ports, host_list set when there is more than one. Each may be HOST,
 * HOST:PORT, [IPV6] or [IPV6]:PORT; the ports, which must agree, are
 * checked against -p once every option is known.
 */
static int set_host(struct echo_config *cfg, struct echo_cli_state *st,
                    const char *opt, const char *arg, char *err, size_t errlen)
{
    struct host_list l;
    int rc = host_list_parse(arg, &l);

    if (rc == 0)
        rc = host_list_join(&l, cfg->host, sizeof(cfg->host));
    if (rc != 0)
        return cli_fail(err, errlen, opt, arg, host_port_strerror(rc));
    st->host_port = l.port;
    cfg->host_list = l.count > 1;
    st->host_arg = arg;
    snprintf(st->host_opt, sizeof(st->host_opt), "%s", opt);
    return 0;
}

/*
 * -B, once the role is known. A server's -B is its --ip (addresses to
 * serve on, HOST:PORT allowed), so not both. A client's are its own
 * addresses, without ports (its SCTP port is --lport), kept in cfg->bind
 * as cfg->host keeps a list.
 */
static int set_bind(struct echo_config *cfg, struct echo_cli_state *st,
                    char *err, size_t errlen)
{
    struct host_list l;
    int rc;

    if (st->bind_arg == NULL)
        return 0;
    if (cfg->server && st->ip_given) {
        snprintf(err, errlen,
                 "%s and --ip both name the server's addresses: give one",
                 st->bind_opt);
        return -1;
    }
    if (cfg->server)
        return set_host(cfg, st, st->bind_opt, st->bind_arg, err, errlen);
    rc = host_list_parse(st->bind_arg, &l);
    if (rc == 0 && l.port != 0)
        return cli_fail(err, errlen, st->bind_opt, st->bind_arg,
                        "names a port: a client's -B takes addresses only "
                        "(its own SCTP port is --lport)");
    if (rc == 0)
        rc = host_list_join(&l, cfg->bind, sizeof(cfg->bind));
    if (rc != 0)
        return cli_fail(err, errlen, st->bind_opt, st->bind_arg,
                        host_port_strerror(rc));
    return 0;
}

/* One option with its argument into cfg; 0 or -1 with err written. */
static int apply_option(struct echo_config *cfg, struct echo_cli_state *st,
                        int c, const char *opt, const char *arg, char *err,
                        size_t errlen)
{
    uint64_t u = 0;
    int rc = sock_opts_parse(&cfg->sock, c, opt, arg, err, errlen);

    if (rc <= 0)
        return rc;
    rc = 0;
    switch (c) {
    case 's':
        cfg->server = true;
        return 0;
    case 'c':
    case OPT_IP:
        /* The Go example takes a comma list (multihoming). */
        st->client |= c == 'c';
        st->ip_given |= c == OPT_IP;
        return set_host(cfg, st, opt, arg, err, errlen);
    case 'B':
        /* What it names depends on the role: set_bind, after the loop. */
        st->bind_arg = arg;
        snprintf(st->bind_opt, sizeof(st->bind_opt), "%s", opt);
        return 0;
    case 'p':
        snprintf(st->port_opt, sizeof(st->port_opt), "%s", opt);
        rc = units_parse_port(arg, 0, &cfg->port);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-65535") : 0;
    case OPT_UDP_PORT:
        rc = units_parse_port(arg, 0, &cfg->udp_port);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-65535") : 0;
    case OPT_LOCAL_UDP_PORT:
        rc = units_parse_port(arg, 1, &cfg->local_udp_port);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "0-65535") : 0;
    case OPT_LPORT:
        rc = units_parse_port(arg, 1, &cfg->local_sctp_port);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "0-65535") : 0;
    case 'n':
        st->count_given = true;
        rc = units_parse_u64(arg, 0, UINT64_MAX, &cfg->count);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc,
                                 "0-18446744073709551615")
                  : 0;
    case 'i':
        st->interval_given = true;
        rc = units_parse_seconds(arg, 0, 3600, &cfg->interval_s);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "0-3600 s") : 0;
    case OPT_WINDOW:
        rc = units_parse_u64(arg, 1, ECHO_MAX_WINDOW, &u);
        cfg->window = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-1024") : 0;
    case 'P':
        rc = units_parse_u64(arg, 1, ECHO_MAX_PARALLEL, &u);
        cfg->parallel = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-16384") : 0;
    case OPT_HOLD:
        st->hold_given = true;
        rc = units_parse_seconds(arg, 0, HOLD_MAX_S, &cfg->hold_s);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "0-86400 s") : 0;
    case OPT_TIMEOUT:
        rc = units_parse_seconds(arg, 0.001, 86400, &cfg->timeout_s);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "0.001-86400 s")
                  : 0;
    case 'l':
        rc = units_parse_size_list(arg, 1, ECHO_MSG_MAX, cfg->sizes,
                                   ECHO_MAX_SIZES, &cfg->nsizes);
        return rc ? cli_fail(err, errlen, opt, arg,
                             rc == -ERANGE ? "is out of range (1-1M bytes each)"
                                           : "is not a size or a list of up to "
                                             "64 sizes")
                  : 0;
    case OPT_NSTREAMS:
        st->nstreams_given = true;
        rc = units_parse_u64(arg, 1, 65535, &u);
        cfg->nstreams = (uint16_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-65535") : 0;
    case OPT_PPID:
        rc = units_parse_u64(arg, 0, UINT32_MAX, &u);
        cfg->ppid = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "0-4294967295") : 0;
    case OPT_STRICT_PPID:
        cfg->strict_ppid = true;
        return 0;
    case OPT_REPLY_PPID:
        rc = units_parse_u64(arg, 0, UINT32_MAX, &u);
        cfg->reply_ppid = (uint32_t)u;
        cfg->reply_ppid_set = true;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "0-4294967295") : 0;
    case OPT_MTU:
        rc = units_parse_u64(arg, MTU_MIN, MTU_MAX, &u);
        cfg->mtu = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "552-65536") : 0;
    case OPT_SNDBUF:
    case OPT_RCVBUF:
        rc = units_parse_size(arg, BUF_MIN, BUF_MAX, &u);
        if (c == OPT_SNDBUF)
            cfg->sndbuf = (uint32_t)u;
        else
            cfg->rcvbuf = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "4k-256M") : 0;
    case OPT_BUFSIZE:
        rc = units_parse_size(arg, 1, ECHO_MSG_MAX, &u);
        cfg->bufsize = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-1M") : 0;
    case OPT_RTO_MIN:
    case OPT_RTO_MAX:
    case OPT_RTO_INITIAL:
        rc = units_parse_u64(arg, 10, 600000, &u);
        if (c == OPT_RTO_MIN)
            cfg->rto_min_ms = (uint32_t)u;
        else if (c == OPT_RTO_MAX)
            cfg->rto_max_ms = (uint32_t)u;
        else
            cfg->rto_initial_ms = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "10-600000 ms") : 0;
    case OPT_HB_INTERVAL:
        rc = units_parse_u64(arg, 100, 3600000, &u);
        cfg->hb_interval_ms = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "100-3600000 ms")
                  : 0;
    case OPT_SACK_DELAY:
        rc = units_parse_u64(arg, 1, 500, &u);
        cfg->sack_delay_ms = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-500 ms") : 0;
    case OPT_SACK_FREQ:
        rc = units_parse_u64(arg, 1, 100, &u);
        cfg->sack_freq = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-100") : 0;
    case OPT_BACKEND:
        cfg->backend = arg;
        return 0;
    case OPT_COMPARE:
        cfg->compare = true;
        return 0;
    case 'u':
        cfg->unordered = true;
        return 0;
    case OPT_ONCE:
        cfg->once = true;
        return 0;
    case OPT_MAX_ASSOCS:
        note_server_only(cfg, opt);
        rc = units_parse_u64(arg, 1, 65535, &u);
        cfg->max_assocs = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-65535") : 0;
    case OPT_MAX_PEERS:
        note_server_only(cfg, opt);
        rc = units_parse_u64(arg, 16, 1048576, &u);
        cfg->max_peers = (uint32_t)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "16-1048576") : 0;
    case OPT_WORKERS:
        note_server_only(cfg, opt);
        rc = units_parse_u64(arg, 1, WORKERS_MAX, &u);
        cfg->workers = (unsigned int)u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "1-64") : 0;
    case OPT_IDLE_TIMEOUT:
        note_server_only(cfg, opt);
        rc = units_parse_seconds(arg, 0, 86400, &cfg->idle_timeout_s);
        return rc ? cli_fail_num(err, errlen, opt, arg, rc,
                                 "0 = never, up to 86400 s")
                  : 0;
    case OPT_MAX_BUFFERED:
        note_server_only(cfg, opt);
        rc = units_parse_size(arg, MAX_BUFFERED_MIN, MAX_BUFFERED_MAX, &u);
        cfg->max_buffered = u;
        return rc ? cli_fail_num(err, errlen, opt, arg, rc, "64k-64G") : 0;
    case 'J':
        cfg->json = true;
        return 0;
    case 'q':
        cfg->quiet = true;
        return 0;
    case 'V':
        cfg->verbosity++;
        return 0;
    case '4':
        cfg->family = AF_INET;
        return 0;
    case '6':
        cfg->family = AF_INET6;
        return 0;
    }
    snprintf(err, errlen, "%s: not handled", opt);
    return -1;
}

/* HOST:PORT names the SCTP port, as -p does: they must agree. */
static int check_ports(struct echo_config *cfg, const struct echo_cli_state *st,
                       char *err, size_t errlen)
{
    if (st->host_port == 0)
        return 0;
    if (st->port_opt[0] != '\0' && cfg->port != st->host_port) {
        snprintf(err, errlen,
                 "%s %s and %s %u name different SCTP ports: give one",
                 st->host_opt, st->host_arg, st->port_opt, (unsigned)cfg->port);
        return -1;
    }
    cfg->port = st->host_port;
    return 0;
}

/*
 * -S and --dscp set one byte; a client's --outstreams is its --nstreams
 * (the streams it asks for), so the two must not disagree.
 */
static int check_streams_tos(struct echo_config *cfg,
                             const struct echo_cli_state *st, char *err,
                             size_t errlen)
{
    if (sock_opts_check(&cfg->sock, cfg->backend, err, errlen) < 0 ||
        sock_opts_check_pcap(&cfg->sock, cfg->workers, cfg->compare, err,
                             errlen) < 0)
        return -1;
    if (cfg->server && cfg->strict_ppid) {
        snprintf(err, errlen, "--strict-ppid is for the client (-c)");
        return -1;
    }
    if (!cfg->server && cfg->reply_ppid_set) {
        snprintf(err, errlen, "--reply-ppid is for the server (-s)");
        return -1;
    }
    if (cfg->server || cfg->sock.out_streams == 0)
        return 0;
    if (st->nstreams_given && cfg->nstreams != cfg->sock.out_streams) {
        snprintf(err, errlen,
                 "--outstreams %u and --nstreams %u disagree: a client's "
                 "outbound streams are its --nstreams; give one",
                 (unsigned)cfg->sock.out_streams, (unsigned)cfg->nstreams);
        return -1;
    }
    cfg->nstreams = cfg->sock.out_streams;
    return 0;
}

/*
 * --backend all (a server serves every backend) and --compare (a client
 * runs on every backend) where they fit; --compare's buffers are set
 * explicitly for both backends (Linux SCTP does not tune them).
 */
static int check_backend(struct echo_config *cfg, char *err, size_t errlen)
{
    if (runtime_check_all_backends(cfg->backend, cfg->server, cfg->compare,
                                   cfg->sock.encap, err, errlen) < 0)
        return -1;
    if (!cfg->compare)
        return 0;
    if (cfg->server) {
        snprintf(err, errlen, "--compare is for the client (-c HOST)");
        return -1;
    }
    if (cfg->backend != NULL) {
        snprintf(err, errlen,
                 "--compare runs every backend in turn: drop --backend");
        return -1;
    }
    if (cfg->count == 0) {
        snprintf(err, errlen,
                 "--compare needs a message count (-n N): each backend "
                 "sends the same number");
        return -1;
    }
    if (cfg->sndbuf == 0)
        cfg->sndbuf = ECHO_COMPARE_BUF;
    if (cfg->rcvbuf == 0)
        cfg->rcvbuf = ECHO_COMPARE_BUF;
    return 0;
}

/* The first option -P cannot run with, or NULL. */
static const char *parallel_conflict(const struct echo_config *cfg,
                                     const struct echo_cli_state *st)
{
    if (cfg->server)
        return "-s";
    if (st->interval_given)
        return "-i";
    if (cfg->window != 0)
        return "--window";
    if (cfg->json)
        return "-J";
    if (cfg->compare)
        return "--compare";
    if (cfg->local_sctp_port != 0)
        return "--lport";
    return NULL;
}

/*
 * -P N: N associations from one client process, each sending -n messages
 * (default 1; -n 0, "until interrupted", has no end to hold after), with
 * a receive buffer of the largest -l each while its message is out.
 */
static int check_parallel(struct echo_config *cfg,
                          const struct echo_cli_state *st, char *err,
                          size_t errlen)
{
    const char *clash = parallel_conflict(cfg, st);
    uint64_t maxlen = 0;
    size_t i;

    if (cfg->parallel == 0) {
        if (st->hold_given) {
            snprintf(err, errlen,
                     "--hold is for -P N (parallel "
                     "associations)");
            return -1;
        }
        return 0;
    }
    if (clash != NULL) {
        snprintf(err, errlen, "-P %u cannot be combined with %s",
                 (unsigned)cfg->parallel, clash);
        return -1;
    }
    if (st->count_given && cfg->count == 0) {
        snprintf(err, errlen,
                 "-P needs a message count of 1 or more for each "
                 "association (-n 0 never ends)");
        return -1;
    }
    if (!st->count_given)
        cfg->count = 1;
    for (i = 0; i < cfg->nsizes; i++)
        if (cfg->sizes[i] > maxlen)
            maxlen = cfg->sizes[i];
    if (maxlen * cfg->parallel > PARALLEL_BUF_MAX) {
        snprintf(err, errlen,
                 "-P %u with --len %llu would need %llu MiB of receive "
                 "buffers: at most %u MiB (fewer associations or shorter "
                 "messages)",
                 (unsigned)cfg->parallel, (unsigned long long)maxlen,
                 (unsigned long long)(maxlen * cfg->parallel >> 20),
                 PARALLEL_BUF_MAX >> 20);
        return -1;
    }
    return 0;
}

/* Cross-option rules, once every option is known. */
static int check_config(const struct echo_config *cfg, char *err, size_t errlen)
{
    size_t i;

    if (!cfg->server && cfg->server_only[0] != '\0') {
        snprintf(err, errlen, "%s is for the server (-s)", cfg->server_only);
        return -1;
    }
    if (!cfg->server && cfg->host[0] == '\0') {
        snprintf(err, errlen,
                 "a client needs the server's address "
                 "(-c HOST or -ip HOST); a server needs -s");
        return -1;
    }
    if (cfg->rto_min_ms && cfg->rto_max_ms &&
        cfg->rto_min_ms > cfg->rto_max_ms) {
        snprintf(err, errlen, "--rto-min %u is above --rto-max %u",
                 cfg->rto_min_ms, cfg->rto_max_ms);
        return -1;
    }
    if (transport_check_addrs(transport_chosen(cfg->backend), cfg->host, err,
                              errlen) < 0 ||
        transport_check_addrs(transport_chosen(cfg->backend), cfg->bind, err,
                              errlen) < 0)
        return -1;
    if (cfg->server &&
        workers_check(cfg->workers, cfg->backend, cfg->once ? "--once" : NULL,
                      err, errlen) < 0)
        return -1;
    if (!cfg->server &&
        transport_check_own_udp(transport_chosen(cfg->backend),
                                cfg->local_udp_port ? "--local-udp-port" : NULL,
                                err, errlen) < 0)
        return -1;
    for (i = 0; i < cfg->nsizes && cfg->sndbuf != 0; i++) {
        if (cfg->sizes[i] > cfg->sndbuf) {
            snprintf(err, errlen,
                     "--len %u exceeds --sndbuf %u: a message "
                     "must fit the send buffer",
                     cfg->sizes[i], cfg->sndbuf);
            return -1;
        }
    }
    return 0;
}

static enum echo_cli_result parse_translated(struct echo_config *cfg, int argc,
                                             char **argv, char *err,
                                             size_t errlen)
{
    struct echo_cli_state st;
    int c;
    bool check = false;   /* --check */
    bool version = false; /* --version: with -J, if given after it */

    memset(&st, 0, sizeof(st));
    optind = 0; /* glibc: full re-initialisation, for repeat calls */
    opterr = 0;
    for (;;) {
        char name[48];

        c = cli_getopt(argc, argv, shortopts, longopts, name, sizeof(name), err,
                       errlen);
        if (c == -1)
            break;
        if (c == '?')
            return ECHO_CLI_ERROR;
        if (c == 'h')
            return ECHO_CLI_HELP;
        if (c == 'v') {
            version = true;
            continue;
        }
        if (c == OPT_CHECK) {
            check = true;
            continue;
        }
        if (apply_option(cfg, &st, c, name, optarg, err, errlen) < 0)
            return ECHO_CLI_ERROR;
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
        return ECHO_CLI_ERROR;
    }
    if (version)
        return ECHO_CLI_VERSION; /* -J prints it as JSON */
    if (check)
        return ECHO_CLI_CHECK; /* with --backend and -J, if given */
    if (st.client && cfg->server) {
        snprintf(err, errlen, "-s and -c exclude each other");
        return ECHO_CLI_ERROR;
    }
    if (set_bind(cfg, &st, err, errlen) < 0)
        return ECHO_CLI_ERROR;
    if (check_ports(cfg, &st, err, errlen) < 0 ||
        check_backend(cfg, err, errlen) < 0 ||
        check_streams_tos(cfg, &st, err, errlen) < 0 ||
        check_config(cfg, err, errlen) < 0 ||
        check_parallel(cfg, &st, err, errlen) < 0)
        return ECHO_CLI_ERROR;
    return ECHO_CLI_RUN;
}

enum echo_cli_result echo_cli_parse(struct echo_config *cfg, int argc,
                                    char **argv, char *err, size_t errlen)
{
    char **args = NULL;
    int n = 0;
    enum echo_cli_result res;

    config_defaults(cfg);
    args = translate_go_flags(argc, argv);
    if (args == NULL) {
        snprintf(err, errlen, "out of memory");
        return ECHO_CLI_ERROR;
    }
    while (args[n] != NULL)
        n++;
    res = parse_translated(cfg, n, args, err, errlen);
    free(args);
    return res;
}
