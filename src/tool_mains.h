/*
 * tool_mains.h - the tools inside the one sctpu binary.
 *
 * sctpu-echo and sctpu-perf are one static-friendly executable, like
 * busybox: each tool's *_main.c parses its own command line, and
 * sctpu_main.c picks the tool from the name it was run as or from its
 * first argument. One binary keeps a FROM scratch image near 2 MB, where
 * two static ones would each carry their own usrsctp and libc.
 */
#ifndef SCTPU_TOOL_MAINS_H
#define SCTPU_TOOL_MAINS_H

int echo_main(int argc, char **argv);
int perf_main(int argc, char **argv);

#endif /* SCTPU_TOOL_MAINS_H */
