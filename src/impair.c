/*
 * impair.c - see impair.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impair.h"
#include "units.h"

#define ITEM_MAX 64 /* the longest KEY=VALUE item we read */

/* xorshift128+: fast, and plenty for drawing loss and jitter */
static uint64_t next_u64(struct impair *im)
{
    uint64_t s1 = im->rng[0];
    const uint64_t s0 = im->rng[1];

    im->rng[0] = s0;
    s1 ^= s1 << 23;
    im->rng[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return im->rng[1] + s0;
}

/* uniform in [0, 1) with 53 bits */
static double next_unit(struct impair *im)
{
    return (double)(next_u64(im) >> 11) * (1.0 / 9007199254740992.0);
}

static bool chance(struct impair *im, double p)
{
    return p > 0 && next_unit(im) < p;
}

/* splitmix64: spreads any seed (0 and 1 included) over the state */
static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* "5%", "0.5%" (a percentage: the % is required) into [0, 1]. */
static int parse_percent(const char *s, const char **end, double *out)
{
    char *e;
    double v;

    if (*s < '0' || *s > '9')
        return -EINVAL;
    errno = 0;
    v = strtod(s, &e);
    if (errno != 0 || e == s || *e != '%')
        return -EINVAL;
    if (v > 100.0)
        return -ERANGE;
    *out = v / 100.0;
    *end = e + 1;
    return 0;
}

static int parse_time_us(const char *s, uint32_t *out)
{
    double sec;
    int rc = units_parse_seconds(s, 0, IMPAIR_DELAY_MAX_US / 1e6, &sec);

    if (rc == 0)
        *out = (uint32_t)(sec * 1e6 + 0.5);
    return rc;
}

/* "ge:P/R[/LB[/LG]]" after "loss=" */
static int parse_ge(const char *s, struct impair_spec *sp)
{
    double *field[] = { &sp->ge_p, &sp->ge_r, &sp->loss_bad, &sp->loss_good };
    size_t i;

    sp->ge = true;
    sp->loss_bad = 1.0;
    sp->loss_good = 0.0;
    for (i = 0; i < sizeof(field) / sizeof(field[0]); i++) {
        const char *end;
        int rc = parse_percent(s, &end, field[i]);

        if (rc < 0)
            return rc;
        if (*end == '\0')
            return i >= 1 ? 0 : -EINVAL; /* P and R are required */
        if (*end != '/')
            return -EINVAL;
        s = end + 1;
    }
    return -EINVAL; /* a fifth field */
}

/* "X%" or "X%:GAP" after "reorder=" */
static int parse_reorder(const char *s, struct impair_spec *sp)
{
    const char *end;
    int rc = parse_percent(s, &end, &sp->reorder);

    if (rc < 0)
        return rc;
    sp->reorder_gap_us = IMPAIR_REORDER_GAP_US;
    if (*end == '\0')
        return 0;
    if (*end != ':')
        return -EINVAL;
    rc = parse_time_us(end + 1, &sp->reorder_gap_us);
    if (rc == 0 && sp->reorder_gap_us == 0)
        rc = -ERANGE;
    return rc;
}

/* A whole percentage value: "X%" and nothing after. */
static int parse_percent_all(const char *s, double *out)
{
    const char *end;
    int rc = parse_percent(s, &end, out);

    return rc == 0 && *end != '\0' ? -EINVAL : rc;
}

static int parse_item(const char *key, const char *val, struct impair_spec *sp)
{
    const char *end;
    uint64_t u;
    int rc;

    if (strcmp(key, "loss") == 0)
        return strncmp(val, "ge:", 3) == 0
                   ? parse_ge(val + 3, sp)
                   : parse_percent_all(val, &sp->loss_good);
    if (strcmp(key, "delay") == 0)
        return parse_time_us(val, &sp->delay_us);
    if (strcmp(key, "jitter") == 0)
        return parse_time_us(val, &sp->jitter_us);
    if (strcmp(key, "reorder") == 0)
        return parse_reorder(val, sp);
    if (strcmp(key, "duplicate") == 0)
        return parse_percent_all(val, &sp->duplicate);
    if (strcmp(key, "corrupt") == 0)
        return parse_percent_all(val, &sp->corrupt);
    if (strcmp(key, "rate") == 0) {
        rc = units_parse_bitrate_prefix(val, &end, &sp->rate_bps);
        if (rc == 0 && *end != '\0')
            rc = -EINVAL;
        if (rc == 0 && sp->rate_bps < 1000)
            rc = -ERANGE;
        return rc;
    }
    if (strcmp(key, "seed") == 0) {
        rc = units_parse_u64(val, 0, UINT64_MAX, &u);
        sp->seed = u;
        sp->seed_given = rc == 0;
        return rc;
    }
    return -ENOENT;
}

/* What a valid value of key looks like, for the error message. */
static const char *item_form(const char *key)
{
    static const struct {
        const char *key;
        const char *form;
    } forms[] = {
        { "loss", "a percentage (5%) or ge:P/R[/LB[/LG]] (ge:1%/30%)" },
        { "delay", "a time up to 10 s (20ms)" },
        { "jitter", "a time up to 10 s (5ms)" },
        { "reorder", "a percentage, optionally :GAP (1% or 1%:5ms)" },
        { "duplicate", "a percentage (0.5%)" },
        { "corrupt", "a percentage (0.1%)" },
        { "rate", "bits/s of at least 1k (100M)" },
        { "seed", "an unsigned integer (42)" },
    };
    size_t i;

    for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
        if (strcmp(forms[i].key, key) == 0)
            return forms[i].form;
    return NULL;
}

int impair_parse(const char *text, struct impair_spec *out, char *err,
                 size_t errlen)
{
    const char *p = text;
    char seen[256] = "";

    memset(out, 0, sizeof(*out));
    if (text == NULL || *text == '\0') {
        snprintf(err, errlen, "--impair: empty (e.g. loss=5%%,delay=20ms)");
        return -1;
    }
    while (*p != '\0') {
        char item[ITEM_MAX + 1];
        size_t n = strcspn(p, ",");
        char *eq;
        int rc;

        if (n == 0 || n > ITEM_MAX) {
            snprintf(err, errlen, "--impair: %s item in '%s'",
                     n == 0 ? "an empty" : "a too long", text);
            return -1;
        }
        memcpy(item, p, n);
        item[n] = '\0';
        eq = strchr(item, '=');
        if (eq == NULL) {
            snprintf(err, errlen, "--impair: '%s' is not KEY=VALUE", item);
            return -1;
        }
        *eq = '\0';
        if (item_form(item) != NULL) {
            char tag[ITEM_MAX + 3];

            snprintf(tag, sizeof(tag), ",%s,", item);
            if (strstr(seen, tag) != NULL) {
                snprintf(err, errlen, "--impair: %s given twice", item);
                return -1;
            }
            if (strlen(seen) + strlen(tag) < sizeof(seen))
                strcat(seen, tag);
        }
        rc = parse_item(item, eq + 1, out);
        if (rc == -ENOENT) {
            snprintf(err, errlen,
                     "--impair: unknown item '%s' (known: loss, delay, "
                     "jitter, reorder, duplicate, corrupt, rate, seed)",
                     item);
            return -1;
        }
        if (rc < 0) {
            snprintf(err, errlen, "--impair: %s='%s' %s: want %s", item, eq + 1,
                     rc == -ERANGE ? "is out of range" : "is invalid",
                     item_form(item));
            return -1;
        }
        p += n;
        if (*p == ',') {
            p++;
            if (*p == '\0') {
                snprintf(err, errlen, "--impair: an empty item in '%s'", text);
                return -1;
            }
        }
    }
    if (out->ge && out->ge_p == 0) {
        snprintf(err, errlen,
                 "--impair: loss=ge: with P = 0%% never enters the bad "
                 "state: give P above 0");
        return -1;
    }
    return 0;
}

bool impair_is_noop(const struct impair_spec *s)
{
    return !s->ge && s->loss_good == 0 && s->delay_us == 0 &&
           s->jitter_us == 0 && s->reorder == 0 && s->duplicate == 0 &&
           s->corrupt == 0 && s->rate_bps == 0;
}

bool impair_holds(const struct impair_spec *s)
{
    return s->delay_us != 0 || s->jitter_us != 0 || s->reorder != 0 ||
           s->rate_bps != 0;
}

void impair_init(struct impair *im, const struct impair_spec *spec,
                 uint64_t seed)
{
    uint64_t x;

    memset(im, 0, sizeof(*im));
    im->spec = *spec;
    if (!spec->seed_given)
        im->spec.seed = seed;
    x = im->spec.seed;
    im->rng[0] = splitmix(&x);
    im->rng[1] = splitmix(&x);
}

/* loss=: Bernoulli, or one step of the Gilbert-Elliott chain */
static bool lost(struct impair *im)
{
    const struct impair_spec *s = &im->spec;

    if (!s->ge)
        return chance(im, s->loss_good);
    if (im->bad ? chance(im, s->ge_r) : chance(im, s->ge_p))
        im->bad = !im->bad;
    return chance(im, im->bad ? s->loss_bad : s->loss_good);
}

void impair_decide(struct impair *im, size_t len, uint64_t now_us,
                   struct impair_action *out)
{
    const struct impair_spec *s = &im->spec;
    uint64_t at = now_us;

    memset(out, 0, sizeof(*out));
    out->copies = 1;
    out->corrupt_bit = -1;
    im->counts.seen++;
    if (lost(im)) {
        out->drop = true;
        im->counts.dropped++;
        return;
    }
    if (s->rate_bps != 0) {
        uint64_t tx_us =
            ((uint64_t)len * 8 * 1000000 + s->rate_bps - 1) / s->rate_bps;

        if (im->link_free_us < now_us)
            im->link_free_us = now_us;
        /* the queue ahead holds IMPAIR_QUEUE_MAX datagrams of this size */
        if (im->link_free_us - now_us >= IMPAIR_QUEUE_MAX * tx_us) {
            out->drop = true;
            im->counts.dropped_queue++;
            return;
        }
        im->link_free_us += tx_us;
        at = im->link_free_us;
    }
    at += s->delay_us;
    if (s->jitter_us != 0)
        at += next_u64(im) % ((uint64_t)s->jitter_us + 1);
    if (chance(im, s->reorder)) {
        at += s->reorder_gap_us;
        im->counts.reordered++;
    }
    if (chance(im, s->duplicate)) {
        out->copies = 2;
        im->counts.duplicated++;
    }
    if (len > 0 && chance(im, s->corrupt)) {
        out->corrupt_bit = (long)(next_u64(im) % ((uint64_t)len * 8));
        im->counts.corrupted++;
    }
    if (at > now_us)
        im->counts.delayed++;
    out->send_at_us = at;
}

void impair_counts_add(struct impair_counts *to,
                       const struct impair_counts *from)
{
    to->seen += from->seen;
    to->dropped += from->dropped;
    to->dropped_queue += from->dropped_queue;
    to->delayed += from->delayed;
    to->reordered += from->reordered;
    to->duplicated += from->duplicated;
    to->corrupted += from->corrupted;
}

/* "X%" with up to 4 decimals and no trailing zeros */
static void percent(char *buf, size_t len, double p)
{
    char *z;

    snprintf(buf, len, "%.4f", p * 100.0);
    z = buf + strlen(buf) - 1;
    while (z > buf && *z == '0')
        *z-- = '\0';
    if (*z == '.')
        *z = '\0';
    strncat(buf, "%", len - strlen(buf) - 1);
}

/* Append ",KEY=VALUE" (no comma first) to buf. */
static void add(char *buf, size_t len, const char *key, const char *val)
{
    size_t used = strlen(buf);

    if (used < len)
        snprintf(buf + used, len - used, "%s%s=%s", used ? "," : "", key, val);
}

void impair_format(const struct impair_spec *s, char *buf, size_t len)
{
    char v[128];
    char a[24];
    char b[24];
    char c[24];
    char d[24];

    if (len == 0)
        return;
    buf[0] = '\0';
    if (s->ge) {
        percent(a, sizeof(a), s->ge_p);
        percent(b, sizeof(b), s->ge_r);
        percent(c, sizeof(c), s->loss_bad);
        percent(d, sizeof(d), s->loss_good);
        snprintf(v, sizeof(v), "ge:%s/%s/%s/%s", a, b, c, d);
        add(buf, len, "loss", v);
    } else if (s->loss_good > 0) {
        percent(v, sizeof(v), s->loss_good);
        add(buf, len, "loss", v);
    }
    if (s->delay_us) {
        snprintf(v, sizeof(v), "%gms", s->delay_us / 1000.0);
        add(buf, len, "delay", v);
    }
    if (s->jitter_us) {
        snprintf(v, sizeof(v), "%gms", s->jitter_us / 1000.0);
        add(buf, len, "jitter", v);
    }
    if (s->reorder > 0) {
        percent(a, sizeof(a), s->reorder);
        snprintf(v, sizeof(v), "%s:%gms", a, s->reorder_gap_us / 1000.0);
        add(buf, len, "reorder", v);
    }
    if (s->duplicate > 0) {
        percent(v, sizeof(v), s->duplicate);
        add(buf, len, "duplicate", v);
    }
    if (s->corrupt > 0) {
        percent(v, sizeof(v), s->corrupt);
        add(buf, len, "corrupt", v);
    }
    if (s->rate_bps) {
        snprintf(v, sizeof(v), "%llu", (unsigned long long)s->rate_bps);
        add(buf, len, "rate", v);
    }
    snprintf(v, sizeof(v), "%llu", (unsigned long long)s->seed);
    add(buf, len, "seed", v);
}
