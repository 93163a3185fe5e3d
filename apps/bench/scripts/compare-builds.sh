#!/usr/bin/env bash
# Issue 15's two numbers for two builds of scratchnet, interleaved so that both meet the same
# machine: `pnpm bench --only train --threads 2` (cpu and worker rows) and the wall time of
# `pnpm demo train --seed 42` on --backend cpu and worker, with worker ÷ cpu per round.
#   apps/bench/scripts/compare-builds.sh <tree A> <tree B> [bench rounds = 3] [demo rounds = 6]
# Each tree is a checkout of this repository, built (pnpm install && pnpm build), e.g. one made
# with `git worktree add ../before <commit>`. The load average is printed with every round: on a
# busy machine the 2-thread rows measure the load (see the README, "Waited for a core").
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 <tree A> <tree B> [bench rounds] [demo rounds]" >&2
  exit 2
fi
a=$(cd "$1" && pwd)
b=$(cd "$2" && pwd)
bench_rounds=${3:-3}
demo_rounds=${4:-6}
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime; }
for i in $(seq 1 "$bench_rounds"); do
  for tree in "$a" "$b"; do
    echo "## bench, $tree, round $i, load $(load)"
    (cd "$tree" && node apps/bench/dist/cli.js --only train --threads 2 2>&1 | grep -E '^(MLP (training|inference)|scratchnet (cpu|worker))' | cut -c1-110)
  done
done
wall() { { /usr/bin/time -f '%e' node "$1/apps/demo/dist/cli.js" train --seed 42 --backend "$2" >/dev/null; } 2>&1 | tail -1; }
for i in $(seq 1 "$demo_rounds"); do
  for tree in "$a" "$b"; do
    cpu=$(wall "$tree" cpu)
    worker=$(wall "$tree" worker)
    echo "## demo, $tree, round $i, load $(load): cpu $cpu s, worker $worker s, worker ÷ cpu $(node -e "console.log(($worker / $cpu).toFixed(3))")"
  done
done
