#!/usr/bin/env bats
# soak-harness --shard and --start-at: one run spread over launchers,
# its shards joined by soak-extract and judged by soak-gate; GNU parallel
# runs the shards here, against one sqlite3 database.

bats_require_minimum_version 1.5.0

setup() {
	T="$BATS_TEST_TMPDIR"
	DB="$T/s.db"
	RID="shards_${BATS_TEST_NUMBER}_$$_$RANDOM"
	unset OPS WORKERS RUN_ID SEGMENT SOAK_SHARD
	cd "$T"
	sqlite3 "$DB" 'CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (0);'
}

# four N: shards 1 to 4 of a 400-op run with GNU parallel, each shard's
# lines in shard-K.jsonl, all starting together.
four() {
	local start=$(( $(date +%s) + 2 ))
	parallel -j 4 soak-harness --shard {}/4 -r "$RID" -n 400 -w 2 \
	    --start-at "$start" --db "$DB" -- sqlite3 -cmd "'.timeout 5000'" \
	    "$DB" "'UPDATE t SET n = n + 1'" '>' "$T/shard-{}.jsonl" ::: 1 2 3 4
}

@test "four shards with GNU parallel on one database: 400 in all, exactly; 4 shards seen; the gate passes" {
	four
	[ "$(sqlite3 "$DB" 'SELECT n FROM t')" -eq 400 ]
	# Each shard did its share; worker numbers are unique across them.
	for k in 1 2 3 4; do
		[ "$(head -1 "shard-$k.jsonl" | jq -c '.args | [.shard, .shard_ops, .ops, .workers]')" = "[\"$k/4\",100,400,2]" ]
		[ "$(jq -r .x.shard "shard-$k.jsonl" | sort -u)" = "$k/4" ]
		[ "$(jq -r .x.host "shard-$k.jsonl" | sort -u)" = "$(uname -n)" ]
	done
	[ "$(jq -r 'select(.cmd == "soak.exec") | .x.worker' shard-*.jsonl | sort -n | uniq | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 " ]
	# They started together: no run before the moment.
	cat shard-*.jsonl | soak-extract > m.json
	[ "$(jq -c '[.ops_requested, .ops_completed, .shards, .workers.started, .events.lost]' m.json)" = \
	    '[400,400,{"expected":4,"seen":4,"missing":[]},8,0]' ]
	[ "$(jq -c ".hosts[\"$(uname -n)\"] | [.ops, .ok, .failed]" m.json)" = '[400,400,0]' ]
	run soak-gate --skip cache_hits_warm m.json
	[ "$status" -eq 0 ]
	[[ "$output" == *'PASS shards.missing: []'* ]]
}

@test "one shard's lines removed: the gate fails on the missing shard" {
	four
	cat shard-1.jsonl shard-2.jsonl shard-4.jsonl | soak-extract > m.json
	[ "$(jq -c .shards m.json)" = '{"expected":4,"seen":3,"missing":[3]}' ]
	run soak-gate --skip cache_hits_warm m.json
	[ "$status" -eq 1 ]
	[[ "$output" == *'FAIL shards.missing: [3]'* ]]
}

@test "--start-at: the first operation is not before it" {
	start=$(( $(date +%s) + 2 ))
	run --separate-stderr soak-harness -r "$RID" -n 4 -w 2 --start-at "$start" -- true
	[ "$status" -eq 0 ]
	first=$(jq -r 'select(.cmd == "soak.exec") | .ts' <<< "$output" | sort | head -1)
	[[ "$first" > "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%S)" ]]
	[ "$(head -1 <<< "$output" | jq -r .args.start_at)" = "$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%S).000000Z" ]
	# The wait is said, with when it ends, so that it never looks hung.
	[[ "$stderr" =~ ^"soak-harness: waiting "[12]" s, until $(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ) (--start-at), to begin"$ ]]
	iso=$(date -u -d "@$((start + 1))" +%Y-%m-%dT%H:%M:%SZ)
	run --separate-stderr soak-harness -r "$RID" -n 1 -w 1 --start-at "$iso" -- true
	[ "$status" -eq 0 ]
}

@test "--start-at: a stop during the wait begins no operation" {
	start=$(( $(date +%s) + 3 ))
	soak-harness -r "$RID" --shard 1/1 -n 100 -w 2 --start-at "$start" -- \
	    sh -c 'echo ran >> "$0"' "$T/ran" > out.jsonl 2> err.txt &
	pid=$!
	sleep 1
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ]
	[ ! -e "$T/ran" ]
	[ "$(jq -r .cmd out.jsonl | sort | uniq -c | tr -s ' ' | tr '\n' ,)" = \
	    ' 1 soak.run.end, 1 soak.run.start, 2 soak.worker.exit,' ]
	[ "$(tail -1 out.jsonl | jq -c '[.result.status, .result.ops_done, .result.workers_died]')" = '["interrupted",0,0]' ]
}

@test "--start-at with -d: the wait is not run time; chaos kills fall in the run's parts" {
	mkdir seg
	printf 'def f%d():\n    return %d\n' 1 1 > seg/a.py
	printf 'def f%d():\n    return %d\n' 2 2 > seg/b.py
	start=$(( $(date +%s) + 3 ))
	run --separate-stderr soak-harness -r "$RID" --shard 1/1 -d 2 -w 2 \
	    --chaos-kill 3 --seed 7 --start-at "$start" -s seg --db "$T/c.db"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > out.jsonl
	# run.end's timing_ms is the 2 s of the run, not the wait before it.
	ms=$(tail -1 out.jsonl | jq '.timing_ms | floor')
	[ "$ms" -ge 2000 ]
	[ "$ms" -lt 3000 ]
	# So are the workers' ends (5,000 ms with the wait), and the windows
	# of the database's samples add up to no more than the run.
	[ "$(jq -s '[.[] | select(.cmd == "soak.worker.exit" and .timing_ms < 3000)] | length' out.jsonl)" -eq 5 ]
	[ "$(jq -s '[.[] | select(.cmd == "soak.worker.exit")] | length' out.jsonl)" -eq 5 ]
	jq -e -s --argjson run "$(tail -1 out.jsonl | jq .timing_ms)" \
	    '[.[] | select(.cmd == "soak.db.sample") | .timing_ms] |
	    length >= 2 and add <= $run + 1 and all(. <= 1250)' out.jsonl
	# The first kill comes at 5% of the run at the earliest (100 ms).
	t0=$(jq -r 'select(.cmd | startswith("ast.")) | .ts' out.jsonl | sort | head -1)
	k1=$(jq -r 'select(.x.chaos == true) | .ts' out.jsonl | sort | head -1)
	[ -n "$k1" ]
	gap=$(( $(date -d "$k1" +%s%3N) - $(date -d "$t0" +%s%3N) ))
	[ "$gap" -ge 50 ]
	[ "$(soak-extract < out.jsonl | jq -c '[.chaos.kills, .chaos.unrecovered]')" = '[3,0]' ]
}

@test "--start-at under a second away: the samples' windows begin with the run" {
	mkdir seg
	printf 'def f():\n    return 1\n' > seg/a.py
	start=$(( $(date +%s) + 1 ))
	run --separate-stderr soak-harness -r "$RID" -d 1 -w 1 \
	    --start-at "$start" -s seg --db "$T/c.db"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > out.jsonl
	# A first window counted from before the wait would be longer than
	# the run's part it holds, and the windows longer than the run.
	jq -e -s --argjson run "$(tail -1 out.jsonl | jq .timing_ms)" \
	    '[.[] | select(.cmd == "soak.db.sample") | .timing_ms] |
	    length >= 1 and add <= $run + 1' out.jsonl
}

@test "bad shards and moments: exit 2 naming the option" {
	for s in 0/4 5/4 1/0 a/b 1/ /4 1/4/4 ' 1/4' 1/10001; do
		run --separate-stderr soak-harness -r "$RID" --shard "$s" -- true
		[ "$status" -eq 2 ]
		[ "$stderr" = "soak-harness: --shard: \"$s\" is not K/N with 1 <= K <= N <= 10000" ]
	done
	run --separate-stderr env SOAK_SHARD=9/4 soak-harness -r "$RID" -- true
	[ "$stderr" = 'soak-harness: SOAK_SHARD: "9/4" is not K/N with 1 <= K <= N <= 10000' ]
	run --separate-stderr soak-harness --shard 1/4 -- true
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: --shard needs --run-id: every shard shares one' ]
	run --separate-stderr soak-harness -r "$RID" --start-at 1000 -- true
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: --start-at: "1000" is past' ]
	run --separate-stderr soak-harness -r "$RID" --start-at tomorrow -- true
	[ "$stderr" = 'soak-harness: --start-at: "tomorrow" is not seconds since the epoch nor YYYY-MM-DDTHH:MM:SSZ' ]
	[ ! -e .soak ]
}

@test "only shard 1 cleans" {
	sqlite3 "$DB" 'INSERT INTO t VALUES (7)'
	run --separate-stderr soak-harness -r "$RID" --shard 2/2 --db "$DB" --clean -n 2 -- true
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$DB" 'SELECT count(*) FROM t')" -eq 2 ]
	run --separate-stderr soak-harness -r "$RID" --shard 1/2 --db "$DB" --clean -n 2 -- true
	[ "$status" -eq 0 ]
	[ ! -e "$DB" ]
}
