/*
 * pcap_writer.c - see pcap_writer.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcap_writer.h"

struct pcap_writer {
    int fd;
    uint32_t snaplen;
    uint64_t max_bytes;
    bool stopped;        /* the cap or a write error: nothing more */
    time_t last_write_s; /* when the buffer last went out */
    struct pcap_writer_counts counts;
    size_t len;      /* bytes waiting in buf */
    off_t on_disk;   /* bytes written, whole records only */
    uint64_t in_buf; /* records in buf, and how many of them cut */
    uint64_t in_buf_cut;
    char *path;
    uint8_t buf[PCAP_WRITER_BUF];
};

/* Fields in our own byte order: the magic tells readers which it is. */
static void put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, sizeof(v));
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof(v));
}

/* All of buf out; 0 or -errno (short writes continue, EINTR retries). */
static int write_all(int fd, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            return -EIO;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

int pcap_writer_flush(struct pcap_writer *w)
{
    int e;

    if (w == NULL || w->len == 0)
        return 0;
    e = write_all(w->fd, w->buf, w->len);
    if (e == 0)
        w->on_disk += (off_t)w->len;
    w->len = 0;
    if (e < 0) {
        /* what was in the buffer never made it */
        w->counts.captured -= w->in_buf;
        w->counts.not_captured += w->in_buf;
        w->counts.truncated -= w->in_buf_cut;
    }
    w->in_buf = 0;
    w->in_buf_cut = 0;
    if (e < 0 && w->counts.write_errno == 0) {
        w->counts.write_errno = -e;
        w->stopped = true;
        /* a short write before the error left part of a record: cut the
         * file back to the last whole one, so readers take it whole */
        (void)ftruncate(w->fd, w->on_disk);
        w->counts.bytes = (uint64_t)w->on_disk;
    }
    return e;
}

struct pcap_writer *pcap_writer_open(const char *path, uint32_t snaplen,
                                     uint64_t max_bytes, char *err,
                                     size_t errlen)
{
    struct pcap_writer *w = NULL;

    if (snaplen < PCAP_WRITER_SNAPLEN_MIN ||
        snaplen > PCAP_WRITER_SNAPLEN_MAX ||
        (max_bytes != 0 && max_bytes < PCAP_WRITER_FILE_HDR)) {
        snprintf(err, errlen, "%s: snaplen or size cap out of range", path);
        return NULL;
    }
    w = calloc(1, sizeof(*w));
    if (w == NULL || (w->path = strdup(path)) == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto out_free;
    }
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        snprintf(err, errlen, "%s: cannot create it: %s", path,
                 strerror(errno));
        goto out_free;
    }
    w->snaplen = snaplen;
    w->max_bytes = max_bytes;
    put32(w->buf, PCAP_WRITER_MAGIC_NS);
    put16(w->buf + 4, 2); /* version 2.4 */
    put16(w->buf + 6, 4);
    put32(w->buf + 8, 0);  /* thiszone: timestamps are UTC */
    put32(w->buf + 12, 0); /* sigfigs */
    put32(w->buf + 16, snaplen);
    put32(w->buf + 20, PCAP_WRITER_LINKTYPE_RAW);
    w->len = PCAP_WRITER_FILE_HDR;
    w->counts.bytes = PCAP_WRITER_FILE_HDR;
    /* The header goes out now: a run that fails at once still leaves a
     * valid (empty) capture, and a full disk shows up here. */
    if (pcap_writer_flush(w) < 0) {
        snprintf(err, errlen, "%s: cannot write it: %s", path,
                 strerror(w->counts.write_errno));
        close(w->fd);
        goto out_free;
    }
    return w;

out_free:
    if (w != NULL)
        free(w->path);
    free(w);
    return NULL;
}

int pcap_writer_packet(struct pcap_writer *w, const struct timespec *ts,
                       const uint8_t *hdr, size_t hdrlen, const uint8_t *data,
                       size_t datalen)
{
    size_t len = hdrlen + datalen;
    size_t cap = len < w->snaplen ? len : w->snaplen;
    size_t rec = PCAP_WRITER_REC_HDR + cap;
    size_t from_hdr = cap < hdrlen ? cap : hdrlen;
    uint8_t *p;
    int e;

    if (w->stopped) {
        w->counts.not_captured++;
        return PCAP_WRITER_STOPPED;
    }
    if (w->max_bytes != 0 && w->counts.bytes + rec > w->max_bytes) {
        w->stopped = true;
        w->counts.cap_reached = true;
        w->counts.not_captured++;
        return PCAP_WRITER_FULL;
    }
    if (w->len + rec > sizeof(w->buf) || ts->tv_sec > w->last_write_s) {
        w->last_write_s = ts->tv_sec;
        e = pcap_writer_flush(w);
        if (e < 0) {
            w->counts.not_captured++;
            return e;
        }
    }
    p = w->buf + w->len;
    put32(p, (uint32_t)ts->tv_sec);
    put32(p + 4, (uint32_t)ts->tv_nsec);
    put32(p + 8, (uint32_t)cap);
    put32(p + 12, (uint32_t)len);
    memcpy(p + PCAP_WRITER_REC_HDR, hdr, from_hdr);
    memcpy(p + PCAP_WRITER_REC_HDR + from_hdr, data, cap - from_hdr);
    w->len += rec;
    w->counts.bytes += rec;
    w->counts.captured++;
    w->in_buf++;
    if (cap < len) {
        w->counts.truncated++;
        w->in_buf_cut++;
    }
    return 0;
}

const struct pcap_writer_counts *pcap_writer_counts(const struct pcap_writer *w)
{
    return &w->counts;
}

const char *pcap_writer_path(const struct pcap_writer *w)
{
    return w->path;
}

int pcap_writer_close(struct pcap_writer *w)
{
    int e;

    if (w == NULL)
        return 0;
    e = pcap_writer_flush(w);
    if (close(w->fd) < 0 && e == 0)
        e = -errno;
    if (w->counts.write_errno != 0 && e == 0)
        e = -w->counts.write_errno;
    free(w->path);
    free(w);
    return e;
}
