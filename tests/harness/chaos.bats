#!/usr/bin/env bats
# soak-harness --chaos-kill: workers SIGKILLed on purpose, replaced, and
# nothing committed lost; the parent SIGKILLed: its workers end too.

bats_require_minimum_version 1.5.0

setup() {
	SEG="$BATS_TEST_TMPDIR/seg"
	DB="$BATS_TEST_TMPDIR/cache/c.db"
	OUT="$BATS_TEST_TMPDIR/out.jsonl"
	RID="chaos_${BATS_TEST_NUMBER}_$$_$RANDOM"
	mkdir -p "$SEG"
	# Enough files that writes go on through the run.
	cp -r "$SOAK_TOP/harness" "$SOAK_TOP/extract" "$SOAK_TOP/gate" "$SEG/"
	unset OPS WORKERS RUN_ID SEGMENT
}

# chaos_runs MODE N: N runs of OPS 400, WORKERS 4, 5 kills, each checked.
chaos_runs() {
	local mode=$1 n=$2 seed
	for ((seed = 1; seed <= n; seed++)); do
		run --separate-stderr soak-harness -n 400 -w 4 --chaos-kill 5 \
		    --seed "$seed" --files 1000 --journal-mode "$mode" -s "$SEG" \
		    --db "$DB" -r "$RID"
		printf '%s\n' "$output" > "$OUT"
		echo "# run $seed ($mode): exit $status" >&3
		[ "$status" -eq 0 ]
		[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") |
		    .result.status' "$OUT")" = ok ]
		[ "$(jq -c 'select(.cmd == "soak.verify") |
		    [.result.status, .result.lost, .result.corrupt]' "$OUT")" = \
		    '["ok",0,0]' ]
		[ "$(jq -c 'select(.cmd == "soak.worker.exit" and .x.chaos) |
		    [.result.status, .result.signal]' "$OUT" | sort -u)" = \
		    '["signal",9]' ]
		[ "$(jq -c 'select(.cmd == "soak.worker.exit" and .x.chaos)' \
		    "$OUT" | wc -l)" -eq 5 ]
		[ "$(jq -c 'select(.cmd == "soak.worker.exit" and
		    (.x.chaos | not) and .result.status != "ok")' "$OUT" |
		    wc -l)" -eq 0 ]
		[ "$(jq -c 'select(.cmd == "ast.symbols" and
		    .result.status == "ok")' "$OUT" | wc -l)" -eq 400 ]
		[ "$(tail -1 "$OUT" | jq -c '.result | [.status, .ops_done,
		    .workers_died]')" = '["ok",400,0]' ]
		run soak-extract < "$OUT"
		[ "$status" -eq 0 ]
		[ "$(jq -c '[.ops_completed, .workers.killed, .workers.died]' \
		    <<< "$output")" = '[400,5,0]' ]
		run bash -c 'soak-extract < "$1" | soak-gate' _ "$OUT"
		[ "$status" -eq 0 ]
	done
}

@test "--chaos-kill 5, journal mode delete: 10 runs, nothing lost, gate passes" {
	chaos_runs delete 10
}

@test "--chaos-kill 5, journal mode wal: 10 runs, nothing lost, gate passes" {
	chaos_runs wal 10
}

@test "--chaos-kill with a duration: kills spread over the time, exit 0" {
	run --separate-stderr soak-harness -d 2 -w 3 --chaos-kill 3 \
	    --files 1000 -s "$SEG" --db "$DB" -r "$RID"
	printf '%s\n' "$output" > "$OUT"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'select(.cmd == "soak.worker.exit" and .x.chaos)' \
	    "$OUT" | wc -l)" -eq 3 ]
	[ "$(tail -1 "$OUT" | jq -r .result.status)" = ok ]
	[ "$(jq -c 'select(.cmd == "soak.verify") | [.result.lost,
	    .result.corrupt]' "$OUT")" = '[0,0]' ]
}

@test "--chaos-kill: a worker that dies otherwise still fails the run" {
	run --separate-stderr bash -c '
	    soak-harness -n 100000 -w 2 --chaos-kill 1 --files 1000 -s "$1" \
		--db "$2" -r "$3" > "$4" &
	    h=$!
	    sleep 0.5
	    pkill -USR1 -f -- "worker [0-9]* run $3 "
	    wait $h' _ "$SEG" "$DB" "$RID" "$OUT"
	[ "$status" -eq 1 ]
	# Both workers ended by SIGUSR1 before the first kill was due.
	[ "$(jq -c 'select(.cmd == "soak.worker.exit") |
	    [.result.signal, .x.chaos]' "$OUT" | sort -u)" = '[10,false]' ]
	[ "$(tail -1 "$OUT" | jq -r .result.status)" = failed ]
}

@test "--chaos-kill: its range is checked in both modes" {
	run --separate-stderr soak-harness --chaos-kill -1 -s "$SEG"
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: --chaos-kill: "-1" is too small (0 to 10000)' ]
	run --separate-stderr soak-harness --chaos-kill 10001 -s "$SEG" -- true
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: --chaos-kill: "10001" is too large (0 to 10000)' ]
}

@test "--chaos-kill: a killed worker names the one that took over; every kill is recovered" {
	run --separate-stderr soak-harness -n 400 -w 4 --chaos-kill 4 --seed 3 \
	    --files 1000 -s "$SEG" --db "$DB" -r "$RID"
	printf '%s\n' "$output" > "$OUT"
	[ "$status" -eq 0 ]
	# Each replacement is a worker numbered above 4 whose lines follow.
	run jq -r 'select(.cmd == "soak.worker.exit" and .x.chaos) |
	    .x.replaced_by' "$OUT"
	[ "$(sort -n <<< "$output" | tr '\n' ' ')" = "5 6 7 8 " ]
	[ "$(soak-extract "$OUT" | jq -c .chaos)" = \
	    '{"kills":4,"in_write":'"$(jq -c 'select(.x.chaos_state == "write")' "$OUT" | wc -l)"',"recovered":4,"unrecovered":0}' ]
}

# A kill late in a short run once found a worker that had done its share:
# no replacement, nothing after it, and chaos.unrecovered 1 failed the
# gate in about one run of ten.  A worker with its share done is not killed.
@test "--chaos-kill late in short runs: 20 runs, every kill sent replaced and recovered" {
	local try
	for ((try = 1; try <= 20; try++)); do
		rm -rf "$BATS_TEST_TMPDIR/cache"
		run --separate-stderr soak-harness -n 200 -w 4 --chaos-kill 3 \
		    --seed 2 --files 1000 --journal-mode wal -s "$SEG" --db "$DB" \
		    -r "$RID"
		[ "$status" -eq 0 ]
		printf '%s\n' "$output" > "$OUT"
		[ "$(jq -c 'select(.cmd == "soak.worker.exit" and .x.chaos and
		    .x.replaced_by == null)' "$OUT" | wc -l)" -eq 0 ]
		got=$(soak-extract "$OUT" | jq -c '[.ops_completed, .chaos.kills,
		    .chaos.recovered, .chaos.unrecovered]')
		# Shown only when the test fails: the run, and its kills.
		echo "try $try: [ops_completed, kills, recovered, unrecovered] $got"
		jq -c 'select(.x.chaos) | [.cmd, .args.worker, .x.chaos_state,
		    .x.replaced_by]' "$OUT"
		# On a loaded machine the last kill can come due when no worker
		# has operations left, and is not sent (soak-harness(1), Chaos
		# mode): 2 of 3 were, in 1 of 12 runs beside six busy loops.
		# Every kill sent must be replaced and recovered.
		sent=$(jq -c 'select(.cmd == "soak.worker.exit" and .x.chaos)' "$OUT" | wc -l)
		[ "$sent" -ge 2 ]
		[ "$got" = "[200,$sent,$sent,0]" ]
	done
}

# rss_after KILLS: the parent's peak resident KiB after 10,000 operations
# with KILLS chaos kills, from soak.run.end.
rss_after() {
	rm -rf "$BATS_TEST_TMPDIR/cache"
	# Under ASan, freed memory waits in a quarantine before it is used
	# again; without one, its sizes compare as the plain build's do.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" \
	    soak-harness -n 10000 -w 4 --chaos-kill "$1" --files 100 -s "$SEG" \
	    --db "$DB" -r "$RID" 2>/dev/null |
	    jq -r 'select(.cmd == "soak.run.end") | .x.parent_rss_kb'
}

@test "--chaos-kill 200: the parent's size stays that of a run without kills" {
	local none many
	none=$(rss_after 0)
	many=$(rss_after 200)
	echo "parent peak RSS: $none KiB without kills, $many KiB with 200"
	# Each replaced worker's line buffer is let go when it is reaped;
	# kept, 200 of them came to about 1 MiB more.
	[ "$many" -lt $((none + 512)) ]
}

@test "the parent SIGKILLed: every worker ends within a second" {
	local pid kids k i st
	soak-harness -n 1000000 -w 4 --files 1000 -s "$SEG" --db "$DB" \
	    -r "$RID" > /dev/null 2>&1 &
	pid=$!
	# Wait for the four workers.
	for ((i = 0; i < 50; i++)); do
		kids=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)
		[ "$(wc -w <<< "$kids")" -eq 4 ] && break
		sleep 0.1
	done
	[ "$(wc -w <<< "$kids")" -eq 4 ]
	sleep 0.3
	kill -KILL "$pid"
	wait "$pid" || true
	sleep 1
	for k in $kids; do
		# Gone, or a zombie awaiting its reaper: read once, since a
		# zombie can be reaped between two looks.
		st=$(awk '/^State:/ { print $2 }' "/proc/$k/status" 2>/dev/null || true)
		[ -z "$st" ] || [ "$st" = Z ]
	done
}

@test "the parent SIGKILLed in exec mode: workers and a command deaf to SIGTERM end within a second" {
	local pid kids k i st
	soak-harness -n 1000000 -w 3 -r "$RID" -- \
	    sh -c 'trap "" TERM; sleep 30' > /dev/null 2>&1 &
	pid=$!
	for ((i = 0; i < 50; i++)); do
		kids=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)
		[ "$(wc -w <<< "$kids")" -eq 3 ] && [ "$(pgrep -c -f 'sleep 30')" -ge 3 ] && break
		sleep 0.1
	done
	[ "$(wc -w <<< "$kids")" -eq 3 ]
	kill -KILL "$pid"
	wait "$pid" || true
	sleep 0.8
	for k in $kids; do
		st=$(awk '/^State:/ { print $2 }' "/proc/$k/status" 2>/dev/null || true)
		[ -z "$st" ] || [ "$st" = Z ]
	done
	! pgrep -f 'trap "" TERM; sleep 30' || false
}
