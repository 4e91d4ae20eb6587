/*
 * workers.c - --workers N: fork the workers, pass signals on, reap them;
 * and the SO_REUSEPORT group their UDP sockets form.
 */
#define _GNU_SOURCE /* sigwaitinfo's siginfo_t fields */
#include <errno.h>
#include <linux/filter.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "runtime.h"
#include "transport.h"
#include "workers.h"

static unsigned int self_index;
static unsigned int self_count;
static char self_label[32];
static char self_prefix[40];
static char self_progname[64];

unsigned int workers_index(void)
{
    return self_index;
}

unsigned int workers_count(void)
{
    return self_count;
}

const char *workers_label(void)
{
    return self_label;
}

const char *workers_prefix(void)
{
    return self_prefix;
}

/* In the child: become worker index of count, then serve. */
static void worker_main(unsigned int index, unsigned int count,
                        const sigset_t *mask, pid_t parent,
                        int (*serve)(void *arg), void *arg)
{
    int rc;

    /* A process group of its own: a terminal's ^C goes to the parent,
     * which passes it on, so no worker sees it twice (a second signal
     * means "stop now" to a server). Orphaned, it stops. */
    (void)setpgid(0, 0);
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
        exit(1);
    self_index = index;
    self_count = count;
    snprintf(self_label, sizeof(self_label), "worker %u/%u", index, count);
    snprintf(self_prefix, sizeof(self_prefix), "[%s] ", self_label);
    snprintf(self_progname, sizeof(self_progname), "%s (%s)",
             log_get_progname(), self_label);
    log_init(self_progname, log_get_level());
    sigprocmask(SIG_SETMASK, mask, NULL);
    rc = serve(arg);
    fflush(NULL);
    exit(rc);
}

struct worker_set {
    pid_t pid[WORKERS_MAX];
    unsigned int count;
    unsigned int live;
    int status; /* the highest exit status so far */
    bool stopping;
};

static void signal_all(struct worker_set *w, int sig)
{
    unsigned int i;

    for (i = 0; i < w->count; i++)
        if (w->pid[i] > 0)
            kill(w->pid[i], sig);
}

/* Reap every worker that has ended; the first failure stops the rest. */
static void reap(struct worker_set *w)
{
    pid_t pid;
    int st;

    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        unsigned int i;
        int rc;

        for (i = 0; i < w->count && w->pid[i] != pid; i++)
            ;
        if (i == w->count)
            continue;
        w->pid[i] = 0;
        w->live--;
        if (WIFSIGNALED(st)) {
            log_err("worker %u/%u (pid %d) was killed by signal %d (%s)", i + 1,
                    w->count, (int)pid, WTERMSIG(st), strsignal(WTERMSIG(st)));
            rc = 1;
        } else {
            rc = WEXITSTATUS(st);
        }
        if (rc > w->status)
            w->status = rc;
        if (rc != 0 && !w->stopping) {
            if (!WIFSIGNALED(st))
                log_err("worker %u/%u exited with status %d: stopping the "
                        "other workers",
                        i + 1, w->count, rc);
            w->stopping = true;
            signal_all(w, SIGTERM);
        }
    }
}

int workers_run(unsigned int count, int (*serve)(void *arg), void *arg)
{
    struct worker_set w;
    sigset_t wait_set;
    sigset_t old;
    pid_t parent = getpid();
    unsigned int i;

    memset(&w, 0, sizeof(w));
    sigemptyset(&wait_set);
    sigaddset(&wait_set, SIGINT);
    sigaddset(&wait_set, SIGTERM);
    sigaddset(&wait_set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &wait_set, &old);
    fflush(NULL); /* or each child would print what is buffered again */
    for (i = 0; i < count && i < WORKERS_MAX; i++) {
        pid_t pid = fork();

        if (pid == 0)
            worker_main(i + 1, count, &old, parent, serve, arg);
        if (pid < 0) {
            log_err("--workers %u: fork: %s", count, strerror(errno));
            w.status = 1;
            w.stopping = true;
            signal_all(&w, SIGTERM);
            break;
        }
        w.pid[i] = pid;
        w.count = i + 1;
        w.live++;
    }
    while (w.live > 0) {
        siginfo_t si;
        int sig = sigwaitinfo(&wait_set, &si);

        if (sig == SIGCHLD)
            reap(&w);
        else if (sig == SIGINT || sig == SIGTERM)
            signal_all(&w, sig);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return w.status;
}

int workers_share_port(int fd, char *err, size_t errlen)
{
    int on = 1;
    int e;

    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) < 0) {
        e = errno;
        snprintf(err, errlen, "--workers: SO_REUSEPORT: %s", strerror(e));
        return -e;
    }
    return 0;
}

/*
 * The steering program, classic BPF run by the kernel on each datagram
 * for the port's SO_REUSEPORT group: it returns the index of the socket
 * to take it, the source address mod count (IPv4, or the low 32 bits of
 * an IPv6 address). Loads at SKF_NET_OFF read the IP header. Attached
 * after bind: a socket that brings a group of its own to bind() is
 * refused the port (EADDRINUSE). Every worker attaches the same program.
 */
int workers_steer(int fd, unsigned int count, char *err, size_t errlen)
{
    struct sock_filter code[] = {
        /* A = IP version: the first byte's high nibble */
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, (uint32_t)SKF_NET_OFF),
        BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 4),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 6, 0, 2),
        /* IPv6: the source address is bytes 8-23 */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_NET_OFF + 20),
        BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
        /* IPv4: bytes 12-15 */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_NET_OFF + 12),
        BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, count),
        BPF_STMT(BPF_RET | BPF_A, 0),
    };
    struct sock_fprog prog;
    int e;

    /* the padding after len goes to the kernel too: no stack garbage */
    memset(&prog, 0, sizeof(prog));
    prog.len = sizeof(code) / sizeof(code[0]);
    prog.filter = code;
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog,
                   sizeof(prog)) < 0) {
        e = errno;
        snprintf(err, errlen,
                 "--workers: cannot steer by source address "
                 "(SO_ATTACH_REUSEPORT_CBPF: %s)",
                 strerror(e));
        return -e;
    }
    return 0;
}

int workers_check(unsigned int count, const char *backend, const char *conflict,
                  char *err, size_t errlen)
{
    if (count <= 1)
        return 0;
    if (backend != NULL && strcmp(backend, RUNTIME_BACKEND_ALL) == 0) {
        snprintf(err, errlen,
                 "--workers: --backend all serves kernel SCTP too, which "
                 "needs no workers (the kernel spreads it over the cores): "
                 "use --backend usrsctp");
        return -1;
    }
    if (transport_check_own_udp(transport_chosen(backend), "--workers", err,
                                errlen) < 0)
        return -1;
    if (conflict != NULL) {
        snprintf(err, errlen,
                 "--workers %u cannot be combined with %s: each worker "
                 "would end after its own",
                 count, conflict);
        return -1;
    }
    return 0;
}
