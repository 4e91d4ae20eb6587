/*
 * sctp_plan_stack.h - the plan's get-modify-set steps on the stacks'
 * option structs, for both backends' future_update(). Include it after
 * the stack's own header (usrsctp.h or <netinet/sctp.h>): the two name
 * the structs alike and cannot be included in one file, so this source
 * compiles once in each backend, against that backend's stack.
 */
#ifndef SCTPU_SCTP_PLAN_STACK_H
#define SCTPU_SCTP_PLAN_STACK_H

#include "sctp_plan.h"

/* SCTP_DELAYED_SACK as the plan (a struct sctp_plan) wants it. */
static inline void sctp_plan_modify_sack(void *val, const void *plan)
{
    struct sctp_sack_info *sack = val;

    sctp_plan_sack(plan, &sack->sack_delay, &sack->sack_freq);
}

/* SCTP_RTOINFO as the config (a struct transport_config) wants it. */
static inline void sctp_plan_modify_rto(void *val, const void *cfg)
{
    struct sctp_rtoinfo *rto = val;
    struct transport_rto want;

    sctp_plan_rto(cfg, rto->srto_min, rto->srto_max, &want);
    rto->srto_min = want.min_ms;
    rto->srto_max = want.max_ms;
    rto->srto_initial = want.initial_ms;
}

#endif /* SCTPU_SCTP_PLAN_STACK_H */
