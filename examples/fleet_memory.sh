#!/bin/sh
# Peak memory of `shipshape check` against a fleet of N loopback clusters, each its own
# `examples/loopback_cluster` server (its own process and objects, as real clusters are), behind
# one kubeconfig with a context per cluster (c1, c2…). README, Performance, "Many clusters".
#
#   cargo build --release --bin shipshape --example loopback_cluster
#   examples/fleet_memory.sh 6 1000        # 6 clusters of 1,000 pods each
#
# It prints `time -v`'s peak RSS and wall time for `check` on 1, then every count up to N
# (`1 3 6` by default: FLEET_COUNTS="1 2 3 4 5 6" to change), and stops the servers it started.
set -eu
clusters=${1:-6}
pods=${2:-1000}
counts=${FLEET_COUNTS:-"1 3 6"}
bin=${TARGET:-target}/release
dir=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"' EXIT

i=1
while [ "$i" -le "$clusters" ]; do
    "$bin/examples/loopback_cluster" --pods "$pods" --kubeconfig "$dir/c$i.yaml" >/dev/null &
    pids="$pids $!"
    i=$((i + 1))
done
# Each server writes its kubeconfig once it is serving.
i=1
while [ "$i" -le "$clusters" ]; do
    n=0
    until [ -s "$dir/c$i.yaml" ]; do
        n=$((n + 1))
        [ "$n" -lt 600 ] || { echo "fleet_memory: server c$i did not start" >&2; exit 2; }
        sleep 0.1
    done
    i=$((i + 1))
done

{
    echo "apiVersion: v1"
    echo "kind: Config"
    echo "clusters:"
    i=1
    while [ "$i" -le "$clusters" ]; do
        echo "- name: c$i"
        echo "  cluster:"
        grep -m1 'server:' "$dir/c$i.yaml"
        i=$((i + 1))
    done
    echo "users:"
    echo "- name: reader"
    echo "  user:"
    echo "    token: test-token"
    echo "contexts:"
    i=1
    while [ "$i" -le "$clusters" ]; do
        echo "- name: c$i"
        echo "  context:"
        echo "    cluster: c$i"
        echo "    user: reader"
        i=$((i + 1))
    done
    echo "current-context: c1"
} >"$dir/fleet.yaml"

for count in $counts; do
    [ "$count" -le "$clusters" ] || continue
    args=""
    i=1
    while [ "$i" -le "$count" ]; do
        args="$args --context c$i"
        i=$((i + 1))
    done
    # shellcheck disable=SC2086 # one word per flag
    /usr/bin/time -v "$bin/shipshape" check --kubeconfig "$dir/fleet.yaml" $args \
        >/dev/null 2>"$dir/time" || true # a failed gate is not a failed measurement
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time")
    echo "$count clusters of $pods pods: check peak RSS $((rss / 1000)) MB, wall $wall"
done
