#!/usr/bin/env bash
# lab_k8s_manifest.sh - docker/k8s/sctpu.yaml passes the strict schema check
# (tools/check-k8s-manifest.sh), and the check is not vacuous: broken copies
# of the manifest, one mistake each, must each be rejected with the error
# that names the mistake. Needs node and npm (the first run installs the
# pinned validator with npm ci); skipped (77) only when they are missing.
# The build directory ($1) is not used.
# shellcheck source=tests/lib.sh
source "$(dirname "$0")/lib.sh"

command -v node >/dev/null || skip "node is missing (tools/install-deps.sh installs it)"
command -v npm >/dev/null || skip "npm is missing (tools/install-deps.sh installs it)"

CHECK="$REPO_DIR/tools/check-k8s-manifest.sh"
MANIFEST="$REPO_DIR/docker/k8s/sctpu.yaml"

# The real manifest: every document ok. Status 3 is the checker's own
# prerequisite (npm ci of the validator) failing: a failure, not a skip,
# since node and npm are here.
status=0
"$CHECK" "$MANIFEST" >"$WORK/good.log" 2>&1 || status=$?
case $status in
0) ;;
3) cat "$WORK/good.log" >&2; fail "the validator could not be installed or run (status 3)" ;;
*) cat "$WORK/good.log" >&2; fail "docker/k8s/sctpu.yaml does not validate (status $status)" ;;
esac
for obj in Deployment/sctpu-server Service/sctpu Job/sctpu-echo-client \
           Job/sctpu-perf-client; do
    grep -q ": $obj: ok\$" "$WORK/good.log" ||
        { cat "$WORK/good.log" >&2; fail "no '$obj: ok' line"; }
done

# expect_rejected NAME REGEX SED_ARGS...: apply the sed edit to a copy of
# the manifest, then require the checker to exit 1 with REGEX in its output.
expect_rejected() {
    local name=$1 re=$2 status=0
    shift 2
    sed "$@" "$MANIFEST" >"$WORK/$name.yaml"
    cmp -s "$MANIFEST" "$WORK/$name.yaml" &&
        fail "$name: the edit did not change the manifest"
    "$CHECK" "$WORK/$name.yaml" >"$WORK/$name.log" 2>&1 || status=$?
    if ((status != 1)); then
        cat "$WORK/$name.log" >&2
        fail "$name: checker exited $status, expected 1"
    fi
    grep -Eq -- "$re" "$WORK/$name.log" ||
        { cat "$WORK/$name.log" >&2; fail "$name: no /$re/ in the output"; }
    echo "ok: $name rejected"
}

# A typo'd field: unknown, and the real one is then missing.
expect_rejected typo_field 'spec\.contaners: unknown field' \
    -e 's/^      containers:/      contaners:/'
# A typo in an optional field: only the unknown-field check can see it.
expect_rejected typo_optional 'securityContext\.readOnlyRootFilesystm: unknown field' \
    -e 's/readOnlyRootFilesystem:/readOnlyRootFilesystm:/'
# A string where the schema wants an integer.
expect_rejected string_port 'containerPort: must be integer' \
    -e 's/containerPort: 9899/containerPort: "9899"/'
# A value outside an enum.
expect_rejected bad_protocol 'protocol: must be equal to one of the allowed values' \
    -e 's/protocol: UDP/protocol: udp/'
# Required fields: a Service port without its port number, a Job
# container without its name.
expect_rejected service_no_port 'spec\.ports\[0\]: must have required property port' \
    -e '/^      port: 9899/d'
expect_rejected job_container_no_name 'containers\[0\]: must have required property name' \
    -e '/- name: echo-client/{N;s/- name: echo-client\n */- /}'
# A kind the API does not have.
expect_rejected unknown_kind 'unknown kind Servce' \
    -e 's/^kind: Service$/kind: Servce/'
# Malformed YAML: a key given twice.
expect_rejected duplicate_key 'Map keys must be unique' \
    -e 's/^  replicas: 1$/  replicas: 1\n  replicas: 2/'

echo "PASS: the manifest validates; 8 broken copies rejected"
