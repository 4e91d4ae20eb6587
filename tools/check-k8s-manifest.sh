#!/usr/bin/env bash
# Validate Kubernetes manifests offline against the Kubernetes API schema,
# strictly: wrong types, missing required fields, bad enum values and
# unknown (typo'd) fields are all errors. No cluster or kubectl needed.
#
# usage: tools/check-k8s-manifest.sh [FILE...]   (default: docker/k8s/*.yaml)
#
# Prints one line per document ("FILE: Kind/name: ok", or its errors
# indented under it). The validator is tools/k8s-validate (Node.js, versions
# pinned by its package-lock.json); its node_modules is installed with
# `npm ci` on first use and again whenever package-lock.json changes.
#
# Exit status: 0 all valid; 1 a document is invalid; 2 bad usage or an
# unreadable file; 3 a prerequisite (node, npm, the npm install) failed.

set -euo pipefail
shopt -s inherit_errexit

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VALIDATOR_DIR="$REPO_DIR/tools/k8s-validate"

die() {
    local status=$1
    shift
    echo "check-k8s-manifest: $*" >&2
    exit "$status"
}

for tool in node npm; do
    command -v "$tool" >/dev/null ||
        die 3 "$tool not found (Debian: apt-get install nodejs npm)"
done

# npm writes node_modules/.package-lock.json on every install: when it is
# missing or older than the committed lock file, (re)install. flock keeps
# two runs at once from installing over each other.
install_validator() {
    local stamp="$VALIDATOR_DIR/node_modules/.package-lock.json"
    local log

    if [[ -f $stamp && ! $VALIDATOR_DIR/package-lock.json -nt $stamp ]]; then
        return 0
    fi
    log=$(mktemp)
    if ! (cd "$VALIDATOR_DIR" &&
          npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        die 3 "npm ci in tools/k8s-validate failed"
    fi
    rm -f "$log"
}

if command -v flock >/dev/null; then
    exec 9<"$VALIDATOR_DIR/package-lock.json"
    flock 9
fi
install_validator
if command -v flock >/dev/null; then
    exec 9<&-
fi

if (($# == 0)); then
    shopt -s nullglob
    set -- "$REPO_DIR"/docker/k8s/*.yaml
    shopt -u nullglob
    (($# > 0)) || die 2 "no manifests in docker/k8s/"
fi

status=0
node "$VALIDATOR_DIR/validate.js" "$@" || status=$?
case $status in
0) ;;
1) die 1 "FAILED: the manifest(s) above do not validate" ;;
*) die "$status" "could not check the manifest(s)" ;;
esac
