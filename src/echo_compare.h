/*
 * echo_compare.h - sctpu-echo -c HOST --compare: the same echo run on
 * every backend (usrsctp, then the kernel), one after the other with
 * identical settings, through the ordinary client
 * (echo_client_run_outcome); then their round-trip times side by side
 * (text), or one JSON object (-J; docs/compare.md). A backend this host
 * cannot run gets a column that says why.
 */
#ifndef SCTPU_ECHO_COMPARE_H
#define SCTPU_ECHO_COMPARE_H

#include "echo.h"

/* The settings both runs share, made explicit from cfg: the delayed SACK
 * (ECHO_COMPARE_SACK_*) when --sack-delay/--sack-freq are not given, the
 * MTU of the route toward the server when --mtu is not (buffers are
 * explicit from the command line already). */
void echo_compare_settings(const struct echo_config *cfg,
                           struct echo_config *out);

#endif /* SCTPU_ECHO_COMPARE_H */
