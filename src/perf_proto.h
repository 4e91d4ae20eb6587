/*
 * perf_proto.h - sctpu-perf's control messages: encode and decode on
 * buffers, no I/O.
 *
 * The control channel runs inside the SCTP association, on its own stream
 * (the one after the data streams) with PPID PERF_PPID_CONTROL, so a test
 * needs nothing but the one UDP port. Each control message is one SCTP
 * message:
 *
 *   0      2        3      4               8
 *   +------+--------+------+---------------+------------------
 *   | 'SP' | ver=1  | type | payload length| payload (big-endian)
 *   +------+--------+------+---------------+------------------
 *
 * Conversation (client C, server S; association 0 carries the control
 * conversation, every association says HELLO on its own control stream):
 *   C->S HELLO (each association)   C->S PARAMS (association 0)
 *   S->C READY (how S sees each association: NAT diagnostics; offers
 *        EXTRAS)
 *   C->S WANT_EXTRAS if offered, START ... data ...
 *   each sender, once all its data is acknowledged: END
 *   S->C EXTRAS if asked and RESULTS (one each per association),
 *        SERVER_OUTPUT if asked, DONE
 *   either side, instead of any of these: ERROR (text)
 */
#ifndef SCTPU_PERF_PROTO_H
#define SCTPU_PERF_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perf.h"
#include "perf_stats.h"

#define PERF_PROTO_MAGIC 0x5350u /* "SP" */
#define PERF_PROTO_VERSION 1
#define PERF_PROTO_HDR_LEN 8
#define PERF_PPID_CONTROL 0x73637075u /* "scpu" */
#define PERF_PPID_DATA 0x73637064u    /* "scpd" */
#define PERF_COOKIE_LEN 16
#define PERF_SEEN_LEN 64 /* "[2001:db8::1]:65535" fits */
#define PERF_TEXT_MAX 4096
#define PERF_PROTO_MAX_PARALLEL 10000
/* READY tells how the server sees the first this-many associations (NAT
 * diagnostics for the connect lines); one message for -P 10000 would be
 * 640 KB. */
#define PERF_READY_MAX_SEEN 128
/* The largest PARAMS message: every data stream with a PPID of its own,
 * and --rr's response size. */
#define PERF_PROTO_PARAMS_MAX (PERF_PROTO_HDR_LEN + 81 + 4 * PERF_MAX_PPIDS + 4)

enum perf_msg_type {
    PERF_MSG_HELLO = 1,
    PERF_MSG_PARAMS = 2,
    PERF_MSG_READY = 3,
    PERF_MSG_START = 4,
    PERF_MSG_END = 5,
    PERF_MSG_RESULTS = 6,
    PERF_MSG_SERVER_OUTPUT = 7,
    PERF_MSG_DONE = 8,
    PERF_MSG_ERROR = 9,
};

/*
 * --stream (issue 13 part 3), numbered apart from the core messages so
 * that other additions do not collide. C->S before PARAMS: the stream specs
 * (perf_stream_spec.h's wire form); S->C before RESULTS: each
 * association's per-stream latency (perf_latency.h).
 */
#define PERF_MSG_STREAMS 20
#define PERF_MSG_LATENCY 21

/*
 * The server's extra numbers (iperf3's remote_user/remote_system CPU and,
 * where the server sent, its RTT and window extremes), opt-in both ways
 * because every older peer drops a test on a type it does not know:
 *   S->C READY announces PERF_CAP_EXTRAS in seen[0]'s padding after the
 *        NUL (an older client copies the slot and prints up to the NUL;
 *        an older server writes zeros there, so no announcement);
 *   C->S WANT_EXTRAS (empty), after such a READY and before START;
 *   S->C EXTRAS, one per association before its RESULTS, only when asked.
 */
#define PERF_MSG_WANT_EXTRAS 22
#define PERF_MSG_EXTRAS 23
#define PERF_CAP_EXTRAS 0x1u
/* The announcement: the last 8 bytes of seen[0], "SPc1" and the caps
 * (big-endian); seen[0] itself must end before them. */
#define PERF_READY_CAPS_OFF (PERF_SEEN_LEN - 8)

struct perf_hello {
    uint8_t cookie[PERF_COOKIE_LEN]; /* the same for every association
                                         of one test */
    uint16_t index;                  /* 0 .. count-1 */
    uint16_t count;                  /* associations in the test */
};

/* The test as the client asked for it (see struct perf_config). */
struct perf_params {
    uint64_t duration_ms;
    uint64_t bytes;
    uint64_t messages;
    uint64_t omit_ms;
    uint64_t rate_bps;
    uint32_t interval_ms;
    uint32_t burst;
    uint32_t length;
    uint32_t window;
    uint32_t pr_value;
    uint32_t sack_delay_ms;
    uint32_t sack_freq;
    uint16_t parallel;
    uint16_t nstreams;
    uint8_t reverse;
    uint8_t bidir;
    uint8_t unordered;
    uint8_t verify;
    uint8_t pr_policy;
    uint8_t nodelay;
    uint8_t get_server_output;
    /* --rr REQ/RESP: each data message (length bytes) is a request the
     * server answers with rr_resp bytes on the same stream; 0 = a one-way
     * test. At most PERF_MAX_LEN, and no -R, --bidir, -b, -n, --verify or
     * PR-SCTP with it. */
    uint32_t rr_resp;
    /* --ppid: data stream i carries ppids[i % nppids]; 0 = the default,
     * PERF_PPID_DATA, on every stream */
    uint16_t nppids;
    uint32_t ppids[PERF_MAX_PPIDS];
};

/* How the server sees each association: the UDP endpoint after NAT. */
struct perf_ready {
    uint16_t count;
    /* PERF_CAP_* this server offers; 0 = none (any older server). With
     * caps, count >= 1 and strlen(seen[0]) < PERF_READY_CAPS_OFF. */
    uint32_t caps;
    char seen[PERF_READY_MAX_SEEN][PERF_SEEN_LEN];
};

/* The server's numbers for one association. */
struct perf_results {
    uint16_t index;
    uint64_t duration_us; /* from START to END as the server saw */
    uint32_t cpu_x100;    /* server process CPU, percent x 100 */
    struct perf_dir_counts sent;
    struct perf_dir_counts received;
};

/* EXTRAS: the server's numbers beyond RESULTS for one association. */
struct perf_extras {
    uint16_t index;
    uint32_t cpu_user_x100; /* server process CPU, percent x 100 */
    uint32_t cpu_system_x100;
    /* The server sent on this association and sampled it (-R, --bidir);
     * without it the five below are 0 on the wire. min <= mean <= max. */
    uint8_t have_sender;
    uint32_t min_rtt_us;
    uint32_t mean_rtt_us;
    uint32_t max_rtt_us;
    uint32_t max_snd_cwnd; /* bytes */
    uint32_t max_snd_wnd;  /* bytes: the peer's rwnd */
};

/* Text for SERVER_OUTPUT and ERROR (at most PERF_TEXT_MAX - 1 bytes). */
struct perf_text {
    char text[PERF_TEXT_MAX];
};

/*
 * Encoders write one whole message into buf and return its length, or
 * -EMSGSIZE when cap is too small (or a field is out of range: -EINVAL).
 * The ranges, the same ones the decoders enforce: HELLO 1 <= count <=
 * PERF_PROTO_MAX_PARALLEL and index < count; PARAMS 1 <= parallel <=
 * PERF_PROTO_MAX_PARALLEL, 1 <= nstreams <= PERF_MAX_STREAMS, 1 <= length
 * <= PERF_MAX_LEN (>= PERF_VERIFY_HDR_LEN with verify), pr_policy a known enum perf_pr_policy, the flags 0 or 1,
 * nppids <= nstreams and no PPID PERF_PPID_CONTROL (the receiver tells
 * control from data by it), rr_resp <= PERF_MAX_LEN and, when not 0,
 * none of reverse, bidir, rate_bps, bytes, verify, pr_policy;
 * READY count <= PERF_READY_MAX_SEEN, each seen[] NUL-terminated, caps
 * only with count >= 1 and seen[0] shorter than PERF_READY_CAPS_OFF;
 * RESULTS index < PERF_PROTO_MAX_PARALLEL, each stream's ppid_mixed 0 or
 * 1.
 */
int perf_proto_encode_hello(uint8_t *buf, size_t cap,
                            const struct perf_hello *m);
int perf_proto_encode_params(uint8_t *buf, size_t cap,
                             const struct perf_params *m);
int perf_proto_encode_ready(uint8_t *buf, size_t cap,
                            const struct perf_ready *m);
int perf_proto_encode_results(uint8_t *buf, size_t cap,
                              const struct perf_results *m);
/* EXTRAS: index < PERF_PROTO_MAX_PARALLEL, have_sender 0 or 1, the
 * samples 0 without it and ordered with it. */
int perf_proto_encode_extras(uint8_t *buf, size_t cap,
                             const struct perf_extras *m);
/* START, END, DONE, WANT_EXTRAS: header only. */
int perf_proto_encode_empty(uint8_t *buf, size_t cap, enum perf_msg_type type);
/* SERVER_OUTPUT or ERROR; longer text is cut at PERF_TEXT_MAX - 1. */
int perf_proto_encode_text(uint8_t *buf, size_t cap, enum perf_msg_type type,
                           const char *text);

/*
 * Check the header of a received message and return its type (> 0), or
 * -EBADMSG (bad magic, unknown type, length disagreeing with len, START,
 * END or DONE with a payload), -EPROTO (another version) or -EMSGSIZE
 * (shorter than a header).
 */
int perf_proto_type(const uint8_t *buf, size_t len);

/*
 * Decoders take a whole message (header included) and return 0 or
 * -EBADMSG when the payload is malformed (wrong size, counts over their
 * limits, text without a NUL within bounds). They check the header again
 * and return perf_proto_type()'s errors, or -EBADMSG for another type. On
 * an error *m is left untouched.
 */
int perf_proto_decode_hello(const uint8_t *buf, size_t len,
                            struct perf_hello *m);
int perf_proto_decode_params(const uint8_t *buf, size_t len,
                             struct perf_params *m);
/*
 * perf_proto_decode_params, and *why says what it refused in words for an
 * ERROR message: a malformed message, values out of range, or --verify
 * with a length below its header. NULL on success.
 */
int perf_proto_decode_params_why(const uint8_t *buf, size_t len,
                                 struct perf_params *m, const char **why);
int perf_proto_decode_ready(const uint8_t *buf, size_t len,
                            struct perf_ready *m);
/*
 * m->sent.streams and m->received.streams must point to arrays of
 * max_streams entries; more streams on the wire is -EBADMSG.
 */
int perf_proto_decode_results(const uint8_t *buf, size_t len,
                              struct perf_results *m, uint16_t max_streams);
int perf_proto_decode_text(const uint8_t *buf, size_t len, struct perf_text *m);
int perf_proto_decode_extras(const uint8_t *buf, size_t len,
                             struct perf_extras *m);

/*
 * Text the peer sent (ERROR, SERVER_OUTPUT, READY's seen[]) made safe for
 * a terminal before anything prints it: every byte outside printable
 * ASCII becomes \xNN (a backslash too, \\), so that escape sequences
 * cannot drive the reader's terminal; with multiline, newlines and tabs
 * stay. Output longer than cap - 1 is cut and ends in "...". Returns dst.
 */
char *perf_text_printable(char *dst, size_t cap, const char *src,
                          bool multiline);

/* Size RESULTS needs for these stream counts, header included. */
size_t perf_proto_results_size(uint16_t sent_streams,
                               uint16_t received_streams);

#endif /* SCTPU_PERF_PROTO_H */
