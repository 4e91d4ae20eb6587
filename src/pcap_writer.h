/*
 * pcap_writer.h - a classic libpcap capture file written by sctpu itself
 * (--pcap), no libpcap needed: the 24-byte file header (nanosecond
 * timestamps, magic 0xa1b23c4d, our byte order, LINKTYPE_RAW: every
 * record starts with an IPv4 or IPv6 header), then one record per
 * packet.
 *
 * Records are gathered in a buffer of whole records and written with
 * write(2) when it fills, when a second has passed since the last write,
 * and at flush/close, so the file on disk only ever ends between records:
 * it stays readable whatever ends the process. A write that fails part
 * way (a full disk) is cut back to the last whole record, and the
 * records it held count as not captured.
 *
 * Bounds: a record keeps at most snaplen bytes of its packet (caplen <
 * len then, as tcpdump -s does), and the file never grows past max_bytes
 * (0: no cap). A packet that would pass the cap, or that comes after a
 * write error, is counted as not captured and the file is written no
 * more; the caller learns it once from the return value.
 */
#ifndef SCTPU_PCAP_WRITER_H
#define SCTPU_PCAP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PCAP_WRITER_MAGIC_NS 0xa1b23c4du
#define PCAP_WRITER_LINKTYPE_RAW 101
#define PCAP_WRITER_FILE_HDR 24
#define PCAP_WRITER_REC_HDR 16
#define PCAP_WRITER_SNAPLEN_DEFAULT 65535
#define PCAP_WRITER_SNAPLEN_MIN 64 /* an IPv6 + SCTP header and a chunk's */
#define PCAP_WRITER_SNAPLEN_MAX 262144
/* room for the largest record, so any record fits an empty buffer */
#define PCAP_WRITER_BUF (PCAP_WRITER_SNAPLEN_MAX + PCAP_WRITER_REC_HDR)

struct pcap_writer;

/* What the writer did, for the summary and -J. */
struct pcap_writer_counts {
    uint64_t captured;     /* records in the file or its buffer */
    uint64_t not_captured; /* packets past the cap or a write error */
    uint64_t truncated;    /* records cut to snaplen */
    uint64_t bytes;        /* file size, headers included */
    bool cap_reached;      /* --pcap-max stopped it */
    int write_errno;       /* the write error that stopped it; 0: none */
};

/*
 * Create (truncate) path and write the file header. snaplen within
 * PCAP_WRITER_SNAPLEN_MIN..MAX; max_bytes 0 (no cap) or at least the file
 * header. NULL with "PATH: why" in err.
 */
struct pcap_writer *pcap_writer_open(const char *path, uint32_t snaplen,
                                     uint64_t max_bytes, char *err,
                                     size_t errlen);

/* pcap_writer_packet's results other than 0 (captured) and -errno */
#define PCAP_WRITER_FULL 1    /* this packet reached the cap: say so once */
#define PCAP_WRITER_STOPPED 2 /* not captured: the cap or an error before */

/*
 * One packet, given as a synthetic header (hdr, hdrlen) and the rest
 * (data, datalen), captured at ts. 0: captured (maybe cut to snaplen);
 * PCAP_WRITER_FULL for the first packet that would pass the cap,
 * PCAP_WRITER_STOPPED for every packet after it or after a write error;
 * -errno when writing the buffer out failed just now (this packet and
 * every later one are not captured).
 */
int pcap_writer_packet(struct pcap_writer *w, const struct timespec *ts,
                       const uint8_t *hdr, size_t hdrlen, const uint8_t *data,
                       size_t datalen);

/* Write what is buffered; 0 or -errno (then nothing more is written). */
int pcap_writer_flush(struct pcap_writer *w);

const struct pcap_writer_counts *
pcap_writer_counts(const struct pcap_writer *w);
const char *pcap_writer_path(const struct pcap_writer *w);

/* Flush and close; 0, or -errno of the first write or close failure.
 * NULL is a no-op. */
int pcap_writer_close(struct pcap_writer *w);

#endif /* SCTPU_PCAP_WRITER_H */
