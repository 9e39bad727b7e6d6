#!/bin/sh
# Peak memory of `shipshape check` against a fleet of N loopback clusters, each its own
# `examples/loopback_cluster` server (its own process and objects, as real clusters are), behind
# one kubeconfig with a context per cluster (c1, c2…). README, Performance, "Many clusters".
#
#   cargo build --release --bin shipshape --example loopback_cluster
#   examples/fleet_memory.sh 6 1000        # 6 clusters of 1,000 pods each
#
# It prints `time -v`'s peak RSS and wall time for `check` on each count of clusters in
# FLEET_COUNTS (`1 3 6` by default), and stops the servers it started. With FLEET_DASHBOARD=1 it
# also runs the dashboard on each count in a detached 160x48 tmux session and prints its peak RSS
# (`VmHWM`) once synced, then again after selecting "all clusters" in the Clusters pane.
set -eu
clusters=${1:-6}
pods=${2:-1000}
counts=${FLEET_COUNTS:-"1 3 6"}
bin=${TARGET:-target}/release
# The shipshape measured (SHIPSHAPE=… to measure another build against the same servers).
shipshape=${SHIPSHAPE:-$bin/shipshape}
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
    /usr/bin/time -v "$shipshape" check --kubeconfig "$dir/fleet.yaml" $args \
        >/dev/null 2>"$dir/time" || true # a failed gate is not a failed measurement
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time")
    echo "$count clusters of $pods pods: check peak RSS $((rss / 1000)) MB, wall $wall"
done

[ "${FLEET_DASHBOARD:-}" = 1 ] || exit 0
# The peak RSS of the dashboard in tmux session $1 (the pane's process, or its child).
hwm() {
    pid=$(tmux list-panes -t "$1" -F '#{pane_pid}')
    child=$(pgrep -P "$pid" shipshape || true)
    sed -n 's/VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/${child:-$pid}/status"
}
settle=${FLEET_SETTLE:-8}
for count in $counts; do
    [ "$count" -le "$clusters" ] || continue
    args=""
    i=1
    while [ "$i" -le "$count" ]; do
        args="$args --context c$i"
        i=$((i + 1))
    done
    session=fleet-memory-$$
    tmux new-session -d -s "$session" -x 160 -y 48 "$shipshape --kubeconfig $dir/fleet.yaml $args"
    sleep "$settle"
    synced=$(hwm "$session")
    all=""
    if [ "$count" -ge 2 ]; then
        # Shift-Tab twice from Workloads reaches the Clusters pane; Home is "all clusters".
        tmux send-keys -t "$session" BTab BTab Home
        sleep "$settle"
        all=", all clusters selected $(($(hwm "$session") / 1000)) MB"
    fi
    tmux send-keys -t "$session" q
    sleep 0.5
    tmux kill-session -t "$session" 2>/dev/null || true
    echo "$count clusters of $pods pods: dashboard peak RSS synced $((synced / 1000)) MB$all"
done
