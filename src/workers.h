/*
 * workers.h - --workers N: a server spread over N processes, one per core.
 *
 * usrsctp is one stack per process (usrsctp_init is global, and DESIGN.md
 * keeps it on one thread), so a second core needs a second process. Each
 * worker runs the whole server with its own usrsctp and its own UDP socket
 * on the same port (SO_REUSEPORT). A classic BPF program steers every
 * datagram by its source address, so all of a client host's associations
 * (sctpu-perf -P and --udp-per-assoc included) meet in one worker, and a
 * NAT that moves a client to a new port keeps it there. Clients behind one
 * address therefore share one worker.
 */
#ifndef SCTPU_WORKERS_H
#define SCTPU_WORKERS_H

#include <stddef.h>

#define WORKERS_MAX 64

/*
 * Fork count workers, each running serve(arg) and exiting with its
 * status, and wait for them all. SIGINT and SIGTERM sent to this process
 * are passed on to every worker (workers have a process group of their
 * own, so a terminal's ^C reaches them once, through here). A worker that
 * fails or dies stops the others. Returns the highest exit status of the
 * workers (a worker killed by a signal counts as 1), or 1 if forking
 * failed.
 */
int workers_run(unsigned int count, int (*serve)(void *arg), void *arg);

/* In a worker: its number (1-based) and how many there are; 0 and 0 in a
 * process that is not one. */
unsigned int workers_index(void);
unsigned int workers_count(void);

/* "worker 2/4" in a worker, "" elsewhere: for banners. */
const char *workers_label(void);
/* "[worker 2/4] " in a worker, "" elsewhere: to start a summary line. */
const char *workers_prefix(void);

/* Before bind: let fd (a UDP socket) share its port with the other
 * workers' (SO_REUSEPORT). 0, or a negative errno with err written. */
int workers_share_port(int fd, char *err, size_t errlen);

/* After bind: steer the port's datagrams over the count workers by
 * source address. 0, or a negative errno with err written. */
int workers_steer(int fd, unsigned int count, char *err, size_t errlen);

/*
 * The command-line rules for --workers count (1 = none): the usrsctp
 * backend (not all, not kernel), and no option that
 * ends a server after one client (conflict, as the user named it, or
 * NULL). 0, or -1 with err written.
 */
int workers_check(unsigned int count, const char *backend, const char *conflict,
                  char *err, size_t errlen);

#endif /* SCTPU_WORKERS_H */
