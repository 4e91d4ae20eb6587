/*
 * perf_stream_spec.c - parse, check and carry sctpu-perf's --stream specs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "be_bytes.h"
#include "perf.h"
#include "perf_proto.h"
#include "perf_stream_spec.h"
#include "units.h"

#define ARG_MAX 256

/* "N" or "N-M" into first..last. */
static int parse_ids(const char *s, struct perf_stream_spec *sp)
{
    char buf[32];
    size_t len = strlen(s);
    char *dash;
    uint64_t a;
    uint64_t b;

    /* memcpy, not snprintf: gcc -Os cannot see the length check and
     * warns of truncation (-Werror=format-truncation in the image build) */
    if (len >= sizeof(buf))
        return -1;
    memcpy(buf, s, len + 1);
    dash = strchr(buf, '-');
    if (dash != NULL)
        *dash = '\0';
    if (units_parse_u64(buf, 0, PERF_MAX_STREAMS - 1, &a) < 0)
        return -1;
    b = a;
    if (dash != NULL &&
        units_parse_u64(dash + 1, 0, PERF_MAX_STREAMS - 1, &b) < 0)
        return -1;
    if (b < a)
        return -1;
    sp->first = (uint16_t)a;
    sp->last = (uint16_t)b;
    return 0;
}

/* "ttl:MS", "rtx:N", "buf:BYTES" or "none". */
static int parse_pr(const char *v, struct perf_stream_spec *sp)
{
    static const struct {
        const char *name;
        enum perf_pr_policy policy;
    } names[] = {
        { "ttl:", PERF_PR_TTL },
        { "rtx:", PERF_PR_RTX },
        { "buf:", PERF_PR_BUF },
    };
    size_t i;
    uint64_t n;

    if (strcmp(v, "none") == 0) {
        sp->pr_policy = PERF_PR_NONE;
        sp->pr_value = 0;
        return 0;
    }
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        size_t k = strlen(names[i].name);

        if (strncmp(v, names[i].name, k) != 0)
            continue;
        if ((names[i].policy == PERF_PR_BUF
                 ? units_parse_size(v + k, 1, UINT32_MAX, &n)
                 : units_parse_u64(v + k, 0, UINT32_MAX, &n)) < 0)
            return -1;
        sp->pr_policy = (int8_t)names[i].policy;
        sp->pr_value = (uint32_t)n;
        return 0;
    }
    return -1;
}

/* One KEY[=VALUE]; 0, or -1 with err written. */
static int parse_key(char *kv, struct perf_stream_spec *sp, const char *arg,
                     char *err, size_t errlen)
{
    char *eq = strchr(kv, '=');
    const char *v = eq != NULL ? eq + 1 : NULL;
    uint64_t n;

    if (eq != NULL)
        *eq = '\0';
    if (strcmp(kv, "unordered") == 0 || strcmp(kv, "ordered") == 0) {
        if (v != NULL)
            goto novalue;
        sp->unordered = kv[0] == 'u';
        return 0;
    }
    if (v == NULL) {
        if (strcmp(kv, "len") == 0 || strcmp(kv, "rate") == 0 ||
            strcmp(kv, "pr") == 0 || strcmp(kv, "prio") == 0) {
            snprintf(err, errlen, "'%s': %s needs a value (%s=...)", arg, kv,
                     kv);
            return -1;
        }
        goto unknown;
    }
    if (strcmp(kv, "len") == 0) {
        if (units_parse_size(v, PERF_STREAM_MIN_LEN, PERF_MAX_LEN, &n) < 0) {
            snprintf(err, errlen,
                     "'%s': len=%s is not a size in %d..%d bytes (the "
                     "timestamp header needs %d)",
                     arg, v, PERF_STREAM_MIN_LEN, PERF_MAX_LEN,
                     PERF_STREAM_MIN_LEN);
            return -1;
        }
        sp->length = (uint32_t)n;
        return 0;
    }
    if (strcmp(kv, "rate") == 0) {
        const char *end = NULL;

        if (units_parse_bitrate_prefix(v, &end, &n) < 0 || *end != '\0' ||
            n == 0) {
            snprintf(err, errlen,
                     "'%s': rate=%s is not a bit rate above 0 (e.g. 200k, "
                     "5M)",
                     arg, v);
            return -1;
        }
        sp->rate_bps = n;
        return 0;
    }
    if (strcmp(kv, "prio") == 0) {
        if (units_parse_u64(v, 0, PERF_STREAM_PRIO_NONE - 1, &n) < 0) {
            snprintf(err, errlen, "'%s': prio=%s is not a priority 0-%d", arg,
                     v, PERF_STREAM_PRIO_NONE - 1);
            return -1;
        }
        sp->prio = (uint16_t)n;
        return 0;
    }
    if (strcmp(kv, "pr") == 0) {
        if (parse_pr(v, sp) < 0) {
            snprintf(err, errlen,
                     "'%s': pr=%s: give ttl:MS, rtx:N, buf:BYTES or none", arg,
                     v);
            return -1;
        }
        return 0;
    }
unknown:
    snprintf(err, errlen,
             "'%s': unknown key '%s' (keys: len=, rate=, unordered, "
             "ordered, pr=, prio=)",
             arg, kv);
    return -1;
novalue:
    snprintf(err, errlen, "'%s': %s takes no value", arg, kv);
    return -1;
}

static bool overlaps(const struct perf_stream_spec *a,
                     const struct perf_stream_spec *b)
{
    return a->first <= b->last && b->first <= a->last;
}

int perf_stream_spec_add(struct perf_stream_specs *set, const char *arg,
                         char *err, size_t errlen)
{
    struct perf_stream_spec sp;
    char buf[ARG_MAX];
    char *keys;
    char *save = NULL;
    char *kv;
    uint16_t i;

    if (set->n >= PERF_STREAM_SPECS_MAX) {
        snprintf(err, errlen, "'%s': at most %d --stream options", arg,
                 PERF_STREAM_SPECS_MAX);
        return -1;
    }
    if (strlen(arg) >= sizeof(buf)) {
        snprintf(err, errlen, "'%.32s...': too long", arg);
        return -1;
    }
    snprintf(buf, sizeof(buf), "%s", arg);
    memset(&sp, 0, sizeof(sp));
    sp.unordered = -1;
    sp.pr_policy = -1;
    sp.prio = PERF_STREAM_PRIO_NONE;
    keys = strchr(buf, ':');
    if (keys != NULL)
        *keys++ = '\0';
    if (parse_ids(buf, &sp) < 0) {
        snprintf(err, errlen,
                 "'%s': '%s' is not a stream N or a range N-M within "
                 "0..%d",
                 arg, buf, PERF_MAX_STREAMS - 1);
        return -1;
    }
    if (keys != NULL) {
        if (*keys == '\0') {
            snprintf(err, errlen, "'%s': nothing after ':'", arg);
            return -1;
        }
        for (kv = strtok_r(keys, ",", &save); kv != NULL;
             kv = strtok_r(NULL, ",", &save))
            if (parse_key(kv, &sp, arg, err, errlen) < 0)
                return -1;
    }
    for (i = 0; i < set->n; i++) {
        if (overlaps(&set->s[i], &sp)) {
            snprintf(err, errlen,
                     "'%s': streams %u-%u were given by an earlier "
                     "--stream already",
                     arg, (unsigned)set->s[i].first, (unsigned)set->s[i].last);
            return -1;
        }
    }
    set->s[set->n++] = sp;
    return 0;
}

unsigned int perf_stream_specs_end(const struct perf_stream_specs *set)
{
    unsigned int end = 0;
    uint16_t i;

    for (i = 0; i < set->n; i++)
        if (set->s[i].last + 1u > end)
            end = set->s[i].last + 1u;
    return end;
}

const struct perf_stream_spec *
perf_stream_specs_find(const struct perf_stream_specs *set, uint16_t sid)
{
    uint16_t i;

    for (i = 0; i < set->n; i++)
        if (sid >= set->s[i].first && sid <= set->s[i].last)
            return &set->s[i];
    return NULL;
}

void perf_stream_specs_resolve(struct perf_stream_specs *set, uint32_t length,
                               uint64_t rate_bps, bool unordered,
                               uint8_t pr_policy, uint32_t pr_value)
{
    uint16_t i;

    for (i = 0; i < set->n; i++) {
        struct perf_stream_spec *s = &set->s[i];

        if (s->length == 0)
            s->length = length;
        if (s->rate_bps == 0)
            s->rate_bps = rate_bps;
        if (s->unordered < 0)
            s->unordered = unordered;
        if (s->pr_policy < 0) {
            s->pr_policy = (int8_t)pr_policy;
            s->pr_value = pr_value;
        }
    }
}

const char *perf_stream_specs_problem(const struct perf_stream_specs *set,
                                      uint16_t nstreams, uint32_t max_len)
{
    uint16_t i;
    uint16_t k;

    if (set->n == 0 || set->n > PERF_STREAM_SPECS_MAX)
        return "no stream specs, or too many";
    for (i = 0; i < set->n; i++) {
        const struct perf_stream_spec *s = &set->s[i];

        if (s->first > s->last || s->last >= nstreams)
            return "a stream spec names a stream past --nstreams";
        if (s->length < PERF_STREAM_MIN_LEN || s->length > max_len)
            return "a stream spec's len= is out of range";
        if (s->unordered < 0 || s->unordered > 1 || s->pr_policy < 0 ||
            s->pr_policy > PERF_PR_BUF)
            return "a stream spec is malformed";
        for (k = 0; k < i; k++)
            if (overlaps(&set->s[k], s))
                return "two stream specs overlap";
    }
    return NULL;
}

int perf_stream_specs_encode(uint8_t *buf, size_t cap,
                             const struct perf_stream_specs *set)
{
    size_t need = 2 + (size_t)set->n * PERF_STREAM_SPEC_WIRE_LEN;
    uint8_t *p = buf;
    uint16_t i;

    if (cap < need || set->n > PERF_STREAM_SPECS_MAX)
        return -EMSGSIZE;
    be16_put(p, set->n);
    p += 2;
    for (i = 0; i < set->n; i++) {
        const struct perf_stream_spec *s = &set->s[i];

        be16_put(p, s->first);
        be16_put(p + 2, s->last);
        be32_put(p + 4, s->length);
        be64_put(p + 8, s->rate_bps);
        p[16] = (uint8_t)s->unordered;
        p[17] = (uint8_t)s->pr_policy;
        be32_put(p + 18, s->pr_value);
        be16_put(p + 22, s->prio);
        p += PERF_STREAM_SPEC_WIRE_LEN;
    }
    return (int)need;
}

int perf_stream_specs_decode(const uint8_t *buf, size_t len,
                             struct perf_stream_specs *set)
{
    const uint8_t *p = buf;
    uint16_t n;
    uint16_t i;

    if (len < 2)
        return -EBADMSG;
    n = be16_get(p);
    if (n > PERF_STREAM_SPECS_MAX ||
        len != 2 + (size_t)n * PERF_STREAM_SPEC_WIRE_LEN)
        return -EBADMSG;
    p += 2;
    memset(set, 0, sizeof(*set));
    set->n = n;
    for (i = 0; i < n; i++) {
        struct perf_stream_spec *s = &set->s[i];

        s->first = be16_get(p);
        s->last = be16_get(p + 2);
        s->length = be32_get(p + 4);
        s->rate_bps = be64_get(p + 8);
        /* 0xff would read back as -1 ("not given"): _problem refuses
         * anything but 0 and 1 either way. */
        s->unordered = p[16] > 1 ? 2 : (int8_t)p[16];
        s->pr_policy = p[17] > PERF_PR_BUF ? PERF_PR_BUF + 1 : (int8_t)p[17];
        s->pr_value = be32_get(p + 18);
        s->prio = be16_get(p + 22);
        p += PERF_STREAM_SPEC_WIRE_LEN;
    }
    return 0;
}

_Static_assert(PERF_STREAM_SPECS_MSG_MAX ==
                   PERF_PROTO_HDR_LEN + PERF_STREAM_SPECS_WIRE_MAX,
               "PERF_STREAM_SPECS_MSG_MAX must follow the layout");

int perf_stream_specs_encode_msg(uint8_t *buf, size_t cap,
                                 const struct perf_stream_specs *set)
{
    int n;

    if (cap < PERF_PROTO_HDR_LEN)
        return -EMSGSIZE;
    n = perf_stream_specs_encode(buf + PERF_PROTO_HDR_LEN,
                                 cap - PERF_PROTO_HDR_LEN, set);
    if (n < 0)
        return n;
    be16_put(buf, PERF_PROTO_MAGIC);
    buf[2] = PERF_PROTO_VERSION;
    buf[3] = PERF_MSG_STREAMS;
    be32_put(buf + 4, (uint32_t)n);
    return PERF_PROTO_HDR_LEN + n;
}

int perf_stream_specs_decode_msg(const uint8_t *buf, size_t len,
                                 struct perf_stream_specs *set)
{
    if (perf_proto_type(buf, len) != PERF_MSG_STREAMS)
        return -EBADMSG;
    return perf_stream_specs_decode(buf + PERF_PROTO_HDR_LEN,
                                    len - PERF_PROTO_HDR_LEN, set);
}
