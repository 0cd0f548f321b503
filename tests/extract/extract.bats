#!/usr/bin/env bats
# soak-extract: golden metrics documents for hand-checked streams and for
# a real log, bad input with exact counts, messages and exit status.

bats_require_minimum_version 1.5.0

REAL="$SOAK_TOP/../shared/data/trifecta-events.jsonl"
REAL_METRICS="$SOAK_TOP/../shared/data/trifecta-wo-p3-0.metrics.json"

# real: skip, saying why, when the real log kept beside the project (test
# data of the tool it came from, never shipped in it) is not there.
real() {
	[ -r "$REAL" ] || skip "the real log ../shared/data/trifecta-events.jsonl is not beside the project"
}

setup() {
	cd "$BATS_TEST_DIRNAME"
	T=$BATS_TEST_TMPDIR
}

# golden NAME ARGS...: soak-extract ARGS must exit 0, print out/NAME.json
# byte for byte and nothing on stderr.
golden() {
	local name=$1
	shift
	run --separate-stderr soak-extract "$@"
	[ "$status" -eq 0 ]
	diff -u "out/$name.json" <(printf '%s\n' "$output")
	[ -z "$stderr" ]
}

# lines_of FILE ARGS...: the lines object, compact.
lines_of() {
	local f=$1
	shift
	soak-extract "$@" "$f" | jq -c .lines
}

@test "the real log's run wo-p3-0 gives the metrics recorded for it" {
	real
	[ -r "$REAL_METRICS" ] || skip "the real metrics ../shared/data/trifecta-wo-p3-0.metrics.json are not beside the project"
	pick='{run_id, counts, ops_completed, lock_contention,
	    latency: (.latency_ms | map_values({p50, p95, max}))}'
	diff -u <(jq -S "$pick" "$REAL_METRICS") \
	    <(soak-extract --run-id wo-p3-0 "$REAL" | jq -S "$pick")
}

@test "the real log's run wo-p3-0: the whole document, golden" {
	real
	golden trifecta-wo-p3-0 --run-id wo-p3-0 "$REAL"
}

@test "every row of the event table, golden" { golden table in/table.jsonl; }
@test "objects parsed a chunk at a time: bad lines at a chunk's edges, golden" {
	golden chunks in/chunks.jsonl
	# 994 lines first put in/chunks.jsonl's bad lines 30 and 31 at lines
	# 1024 and 1025, the last of the first chunk of lines and the first
	# of the next.
	awk 'BEGIN { for (i = 0; i < 994; i++)
	    printf "{\"cmd\":\"ast.symbols\",\"timing_ms\":%d}\n", i % 7 }' > "$T/edge"
	cat in/chunks.jsonl >> "$T/edge"
	golden chunks-edge "$T/edge"
	run --separate-stderr taskset -c 0 soak-extract "$T/edge"
	[ "$status" -eq 0 ]
	diff -u out/chunks-edge.json <(printf '%s\n' "$output")
}
@test "cold/warm and 10 progression windows, golden" { golden coldwarm in/coldwarm.jsonl; }
@test "--window 5: windows of 5 lookups, the last shorter" {
	golden coldwarm-window5 --window 5 in/coldwarm.jsonl
}

@test "chaos in exec mode, golden: a kill waits for its worker's next run" {
	# Worker 1's kill is recovered by its next run; worker 2's two kills
	# in a row are decided by one failed run, and its last kill by no run.
	golden chaos-exec in/chaos-exec.jsonl
	[ "$(jq -c '[.chaos, .ops_total, .ops_failed]' out/chaos-exec.json)" = \
	    '[{"kills":4,"in_write":2,"recovered":1,"unrecovered":3},5,1]' ]
}

@test "chaos in the built-in mode, golden: the replacement's first operation decides" {
	# Worker 2's kill: worker 3's first op is ok.  Worker 3's: worker 4,
	# killed before its first op, hands it on with its own to worker 5,
	# whose first op fails.  Worker 1's (replaced by none): the next op of
	# any worker, ok.  Worker 5's: no op follows.
	golden chaos-builtin in/chaos-builtin.jsonl
	[ "$(jq -c .chaos out/chaos-builtin.json)" = \
	    '{"kills":5,"in_write":2,"recovered":2,"unrecovered":3}' ]
}

@test "chaos is null without a kill; two runs' kills add up, their workers apart" {
	[ "$(soak-extract in/coldwarm.jsonl | jq -c .chaos)" = null ]
	{ cat in/chaos-exec.jsonl; sed 's/"ce"/"cf"/' in/chaos-exec.jsonl; } > "$T/two"
	[ "$(soak-extract "$T/two" | jq -c .chaos)" = \
	    '{"kills":8,"in_write":4,"recovered":2,"unrecovered":6}' ]
	# Another run's worker 1 does not decide this run's kill of its worker 1.
	for b in a b; do
		printf '%s\n' '{"run_id":"a","cmd":"soak.run.start","args":{"op_cmd":"soak.exec"}}' \
		    '{"run_id":"a","cmd":"soak.exec","result":{"status":"signal"},"x":{"worker":1,"chaos":true}}' \
		    "{\"run_id\":\"$b\",\"cmd\":\"soak.exec\",\"result\":{\"status\":\"ok\"},\"x\":{\"worker\":1}}"
	done > "$T/ab"
	[ "$(head -3 "$T/ab" | soak-extract | jq -c .chaos.recovered)" = 1 ]
	[ "$(tail -3 "$T/ab" | soak-extract | jq -c .chaos.recovered)" = 0 ]
}

@test "db, golden: the samples' windows summed, the database info after them" {
	golden db-info in/db-info.jsonl
	[ "$(jq -c '.db | [.samples, .bytes_start, .bytes_end, .writer_held]' out/db-info.json)" = \
	    '[9,4096,16384,0.333333]' ]
}

@test "db without soak.db.info, golden: the end from the last window, info null" {
	golden db-noinfo in/db-noinfo.jsonl
	[ "$(jq -c '.db | [.bytes_end, .page_size, .journal_mode]' out/db-noinfo.json)" = \
	    '[12288,null,null]' ]
}

@test "db: null without a sample line; a missing database's info; bad fields" {
	grep -v db.sample in/db-info.jsonl > "$T/nosample"
	[ "$(soak-extract "$T/nosample" | jq -c .db)" = null ]
	{ grep -v db.info in/db-info.jsonl
	  echo '{"run_id":"di","cmd":"soak.db.info","result":{"status":"missing","bytes":null,"page_size":null,"page_count":null,"freelist_count":null,"journal_mode":null}}'
	} > "$T/missing"
	[ "$(soak-extract "$T/missing" | jq -c '.db | [.bytes_end, .page_size, .journal_mode]')" = '[12288,null,null]' ]
	printf '%s\n' '{"cmd":"soak.db.sample","result":{"samples":"4","writer_held":1.5,"db_bytes_max":-1}}' \
	    '{"cmd":"soak.db.sample","result":{"samples":0}}' \
	    '{"cmd":"soak.db.info","result":{"journal_mode":5,"page_size":4096}}' > "$T/types"
	run soak-extract "$T/types"
	[ "$(jq -c '[.lines.bad_fields, .db]' <<<"$output")" = \
	    '[2,{"samples":0,"bytes_start":null,"bytes_end":null,"bytes_max":0,"wal_bytes_max":0,"journal_seen":0,"writer_held":null,"page_size":4096,"page_count":null,"freelist_count":null,"journal_mode":null}]' ]
	# A window that held the lock in more samples than it took: a bad
	# field, held at its samples, so that writer_held stays a rate.
	printf '%s\n' '{"cmd":"soak.db.sample","result":{"samples":3,"writer_held":4,"journal_seen":2}}' \
	    '{"cmd":"soak.db.sample","result":{"samples":5,"writer_held":5,"journal_seen":6}}' > "$T/more"
	[ "$(soak-extract "$T/more" | jq -c '[.lines.bad_fields, .db.samples, .db.writer_held, .db.journal_seen]')" = '[2,8,1,7]' ]
}

@test "env, golden: the first run start's machine, with its filesystem warning" {
	# args.env comes twice, the --env list then the machine: the last counts.
	golden env-nfs in/env-nfs.jsonl
	[ "$(jq -c .env out/env-nfs.json)" = \
	    '{"host":"build-7","kernel":"6.1.0-18-amd64","cpus":8,"fs_type":"nfs","fs_warning":"filesystem nfs: SQLite'"'"'s locks cannot be trusted on it"}' ]
}

@test "env: null without one; a trusted filesystem has no warning; bad fields" {
	[ "$(soak-extract in/coldwarm.jsonl | jq -c .env)" = null ]
	printf '%s\n' '{"cmd":"soak.run.start","args":{"ops":1}}' \
	    '{"cmd":"soak.run.start","args":{"env":{"host":"h","cpus":"2","fs_type":"tmpfs","fs_trusted":true}},"warnings":["x"]}' \
	    '{"cmd":"soak.run.start","args":{"env":{"host":"later"}}}' > "$T/env"
	run soak-extract "$T/env"
	[ "$(jq -c '[.lines.bad_fields, .env]' <<<"$output")" = \
	    '[1,{"host":"h","kernel":null,"cpus":null,"fs_type":"tmpfs","fs_warning":null}]' ]
	printf '%s\n' '{"cmd":"soak.run.start","args":{"env":{"fs_trusted":false}},"warnings":[]}' > "$T/nowarn"
	[ "$(soak-extract "$T/nowarn" | jq -c .env.fs_warning)" = null ]
}

# expect_db LOG: db, chaos and env of soak-extract LOG as jq reads the stream.
expect_db() {
	jq -s -c '
	    def sum(f): map(f // 0) | add;
	    (map(select(.cmd == "soak.db.sample") | .result)) as $w |
	    (map(select(.cmd == "soak.db.info"))[-1].result) as $i |
	    (map(select(.x.chaos == true))) as $k |
	    {chaos: {kills: ($k | length),
	        in_write: ($k | map(select(.x.chaos_state == "write")) | length)},
	     db: {samples: ($w | sum(.samples)),
	        bytes_start: ($w | map(.db_bytes_first | numbers) | first),
	        bytes_end: $i.bytes,
	        bytes_max: ($w | map(.db_bytes_max) | max),
	        wal_bytes_max: ($w | map(.wal_bytes_max) | max),
	        journal_seen: ($w | sum(.journal_seen)),
	        page_size: $i.page_size, journal_mode: $i.journal_mode},
	     env: (.[0].args.env | {host, kernel, cpus, fs_type})}' "$1"
}

# got_db LOG: the same fields of soak-extract's document.
got_db() {
	soak-extract "$1" | jq -c '{chaos: (.chaos | {kills, in_write}),
	    db: (.db | {samples, bytes_start, bytes_end, bytes_max, wal_bytes_max,
	        journal_seen, page_size, journal_mode}),
	    env: (.env | {host, kernel, cpus, fs_type})}'
}

@test "real harness runs, built-in and exec, with chaos: chaos, db and env as the stream says" {
	cd "$T"
	mkdir seg
	cp -r "$SOAK_TOP/harness" seg/
	run --separate-stderr soak-harness -n 200 -w 4 --chaos-kill 3 --seed 2 \
	    --files 1000 --journal-mode wal -s seg --db "$T/c.db" -r rb
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > b.jsonl
	[ "$(got_db b.jsonl)" = "$(expect_db b.jsonl)" ]
	[ "$(soak-extract b.jsonl | jq -c '[.ops_completed, .chaos.recovered, .chaos.unrecovered, .env.fs_warning,
	    (.db.writer_held | . == null or (. >= 0 and . <= 1))]')" = '[200,3,0,null,true]' ]

	sqlite3 n.db 'PRAGMA journal_mode = wal; CREATE TABLE t (n); INSERT INTO t VALUES (0);' > /dev/null
	run --separate-stderr soak-harness -n 100 -w 4 --chaos-kill 3 --seed 4 \
	    --db "$T/n.db" -r re -- sqlite3 -cmd '.timeout 5000' "$T/n.db" \
	    'BEGIN IMMEDIATE; UPDATE t SET n = n + 1; COMMIT;'
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > e.jsonl
	[ "$(got_db e.jsonl)" = "$(expect_db e.jsonl)" ]
	[ "$(soak-extract e.jsonl | jq -c '[.ops_completed, .ops_failed, .chaos.recovered, .chaos.unrecovered, .cache_errors, .env.host, .env.cpus]')" = \
	    "[100,0,3,0,{},\"$(uname -n)\",$(nproc)]" ]
}

# timeline_ok DOC: DOC's timeline adds up to its totals exactly (no line
# untimed), its buckets are consecutive from t_ms 0, p50 <= p95 <= max in
# each, and the largest bucket max is the op cmd's latency max.
timeline_ok() {
	jq -e '.timeline as $t | .timeline_interval_ms as $w |
	    def sum(f): $t | map(f) | add;
	    [.timeline_untimed == 0,
	     sum(.ops) == .ops_total, sum(.ok) == .ops_completed,
	     sum(.failed) == .ops_failed, sum(.hits) == .cache.hits,
	     sum(.misses) == .cache.misses, sum(.lock_waits) == .lock_wait,
	     sum(.lock_timeouts) == .lock_timeout,
	     sum(.errors) == (.counts["ast.cache.error"] // 0),
	     ([$t[].t_ms] == [range(0; $t | length) | . * $w]),
	     ($t | map(select(.p50 != null) | .p50 <= .p95 and .p95 <= .max) | all),
	     ((.latency_ms[.op_cmd].max // null) as $m | $m == null or
	         ($t | map(.max // 0) | max) == $m)] | all' "$1" > /dev/null
}

@test "timeline, golden: buckets by ts, out of order, offsets, untimed lines, database peaks" {
	golden timeline in/timeline.jsonl
	# Every bucket adds up to the totals but the two untimed operations.
	[ "$(jq -c '[.timeline_interval_ms, (.timeline | length), .timeline_untimed,
	    ([.timeline[].ops] | add), .ops_total, ([.timeline[].failed] | add), .ops_failed,
	    ([.timeline[].hits] | add), ([.timeline[].lock_waits] | add), ([.timeline[].errors] | add),
	    [.timeline[].t_ms], [.timeline[].db_bytes_max]]' out/timeline.json)" = \
	    '[1000,4,2,6,8,1,1,1,1,1,[0,1000,2000,3000],[null,8192,8192,null]]' ]
	# p50 from the histogram, within 1% of the exact 3; max exact.
	[ "$(jq -c '.timeline[0] | [.p50, .p95, .max]' out/timeline.json)" = '[2.991,10.5,10.5]' ]
}

@test "timeline: the width doubles so that a run has at most 120 buckets of at least 1 s" {
	for span in 5 119 120 250 86400; do
		awk -v span=$span 'BEGIN { for (s = 0; s <= span; s += span / 50)
		    printf "{\"ts\":\"%s\",\"cmd\":\"ast.symbols\",\"result\":{\"status\":\"ok\"},\"timing_ms\":%d}\n",
		    strftime("%Y-%m-%dT%H:%M:%SZ", 1796113235 + int(s), 1), 1 + s % 7 }' > "$T/span"
		run soak-extract "$T/span"
		w=$(jq .timeline_interval_ms <<<"$output")
		n=$(jq '.timeline | length' <<<"$output")
		echo "# span $span s: $n buckets of $w ms" >&3
		[ "$n" -le 120 ]
		[ "$w" -ge 1000 ]
		# The smallest width that does: half of it would need more.
		[ "$w" -eq 1000 ] || [ $((span * 1000 / (w / 2))) -ge 120 ]
		[ "$(jq '[.timeline[].ops] | add' <<<"$output")" -eq "$(jq .ops_total <<<"$output")" ]
		[ "$(jq -c '[.timeline[].t_ms] == [range(0; .timeline | length) | . * '"$w"']' <<<"$output")" = true ]
	done
}

@test "--interval MS fixes the width; too narrow for the run, it widens with a warning" {
	run --separate-stderr soak-extract --interval 500 in/timeline.jsonl
	[ -z "$stderr" ]
	[ "$(jq -c '[.timeline_interval_ms, (.timeline | length), ([.timeline[].ops] | add)]' <<<"$output")" = '[500,8,6]' ]
	run --separate-stderr soak-extract --interval 86400000 in/timeline.jsonl
	[ "$(jq -c '[.timeline_interval_ms, (.timeline | length)]' <<<"$output")" = '[86400000,1]' ]
	# 20 s in buckets of 1 ms would be 20,001 of them: 4 ms, 5,001.
	awk 'BEGIN { for (ms = 0; ms <= 20000; ms += 10)
	    printf "{\"ts\":\"2026-12-01T08:20:%02d.%03dZ\",\"cmd\":\"ast.symbols\"}\n", 10 + ms / 1000, ms % 1000 }' > "$T/20s"
	run --separate-stderr soak-extract --interval 1 "$T/20s"
	[ "$status" -eq 0 ]
	[ "$stderr" = "soak-extract: warning: --interval 1: more than 10000 buckets; 4 ms used" ]
	[ "$(jq -c '[.timeline_interval_ms, (.timeline | length), ([.timeline[].ops] | add)]' <<<"$output")" = '[4,5001,2001]' ]
	run --separate-stderr soak-extract --interval 0 in/timeline.jsonl
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-extract: --interval: "0" is too small (1 to 86400000)' ]
	run --separate-stderr soak-extract --interval 86400001 in/timeline.jsonl
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-extract: --interval: "86400001" is too large (1 to 86400000)' ]
}

@test "timeline: a line earlier than the first extends it back by whole buckets" {
	printf '%s\n' '{"ts":"2026-12-01T08:20:35.000Z","cmd":"ast.symbols","timing_ms":1}' \
	    '{"ts":"2026-12-01T08:20:36.500Z","cmd":"ast.symbols","timing_ms":2}' \
	    '{"ts":"2026-12-01T08:20:34.600Z","cmd":"ast.symbols","timing_ms":3}' > "$T/early"
	# Buckets from 08:20:34.000 (35.000 less a width): the earliest, 34.6,
	# is in the first one.
	[ "$(soak-extract "$T/early" | jq -c '[.timeline[] | [.t_ms, .ops, .max]]')" = \
	    '[[0,1,3],[1000,1,1],[2000,1,2]]' ]
}

@test "a real 3,000-op soak's timeline adds up to its totals, in order, p50 <= p95 <= max" {
	mkdir "$T/seg"
	cp -r "$SOAK_TOP/harness" "$SOAK_TOP/extract" "$T/seg/"
	run --separate-stderr soak-harness -n 3000 -w 4 --files 1000 -s "$T/seg" \
	    --db "$T/c.db" -r t3000
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" > "$T/log"
	soak-extract "$T/log" > "$T/m.json"
	jq -c '[.ops_total, .timeline_interval_ms, (.timeline | length)]' "$T/m.json" >&3
	[ "$(jq .ops_total "$T/m.json")" -eq 3000 ]
	timeline_ok "$T/m.json"
	# Each bucket's database peak is among the samples' peaks.
	[ "$(jq '[.timeline[].db_bytes_max | numbers] | max' "$T/m.json")" = \
	    "$(jq '.db.bytes_max' "$T/m.json")" ]
}

@test "the real log's run wo-p3-0 gets a timeline: whole seconds, basic offsets" {
	real
	run soak-extract --run-id wo-p3-0 "$REAL"
	[ "$(jq -c '[.timeline_interval_ms, (.timeline | length), .timeline_untimed, ([.timeline[].ops] | add)]' <<<"$output")" = '[1000,10,0,200]' ]
	timeline_ok <(printf '%s\n' "$output")
}

@test "memory stays flat in lines: 20 times the lines, the same peak" {
	# gen N: N operations, one every 50 ms, of 970 distinct timings (the
	# exact latency_ms grows with distinct values, not lines).
	gen() {
		awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) {
		    t = 1796113235 + i / 20
		    printf "{\"ts\":\"%s.%03dZ\",\"run_id\":\"m\",\"cmd\":\"ast.symbols\",\"result\":{\"status\":\"ok\"},\"timing_ms\":%d.%d}\n",
		        strftime("%Y-%m-%dT%H:%M:%S", int(t), 1), (i % 20) * 50, 1 + i % 97, i % 10 } }'
	}
	peak() {
		# ASan holds freed memory back for a while: not under this test.
		gen "$1" | ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0" \
		    /usr/bin/time -f %M soak-extract 2>&1 > /dev/null | tail -1
	}
	small=$(peak 50000)
	big=$(peak 1000000)
	echo "# peak RSS: $small KiB for 50,000 lines, $big KiB for 1,000,000" >&3
	[ "$big" -le $((small + small / 10)) ]
}

@test "shards, golden: shard 2 of 4 missing; OPS once, workers and events summed, hosts apart" {
	golden shards-missing in/shards-missing.jsonl
	[ "$(jq -c '[.ops_requested, .shards, .config.workers, .workers.started, .events, (.hosts | keys), .lines.bad_fields]' out/shards-missing.json)" = \
	    '[8,{"expected":4,"seen":3,"missing":[2]},6,6,{"expected":18,"seen":18,"lost":0},["alpha","beta"],0]' ]
}

@test "shards, golden: shards that disagree on OPS or on N are bad fields, the first wins" {
	golden shards-disagree in/shards-disagree.jsonl
	# "4/5" in a run of 4 is ignored: shard 4 was not seen.
	[ "$(jq -c '[.ops_requested, .shards, .config.workers, .lines.bad_fields]' out/shards-disagree.json)" = \
	    '[8,{"expected":4,"seen":3,"missing":[4]},6,2]' ]
}

@test "shards: several files, a pipe, or their lines interleaved give the same run" {
	for k in 1 3 4; do
		grep "\"x\":{.*\"shard\":\"$k/4\"" in/shards-missing.jsonl > "$T/shard-$k.jsonl"
	done
	want=$(soak-extract in/shards-missing.jsonl)
	[ "$(soak-extract "$T"/shard-*.jsonl)" = "$want" ]
	[ "$(cat "$T"/shard-*.jsonl | soak-extract)" = "$want" ]
	# The shards' lines mixed, one of each in turn: every run end still
	# counts its own shard's lines.
	paste -d '\n' "$T"/shard-*.jsonl | soak-extract > "$T/mixed.json"
	[ "$(jq -c '[.events, .ops_requested, .shards, .config.workers]' "$T/mixed.json")" = \
	    "$(jq -c '[.events, .ops_requested, .shards, .config.workers]' <<<"$want")" ]
	# Shard 3 cut before its run end, then shard 1: shard 1's end counts
	# shard 1's lines only.
	{ grep -v soak.run.end "$T/shard-3.jsonl"; cat "$T/shard-1.jsonl"; } | soak-extract > "$T/cut.json"
	[ "$(jq -c .events "$T/cut.json")" = '{"expected":6,"seen":6,"lost":0}' ]
}

@test "shards and hosts null without them; config null without a run start; a bad shard is a bad field" {
	[ "$(soak-extract in/chaos-exec.jsonl | jq -c '[.shards, .hosts, .config.command, .config.workers, .config.mode]')" = \
	    '[null,null,["tool","put"],2,"exec"]' ]
	[ "$(soak-extract in/chaos-builtin.jsonl | jq -c '[.config.command, .config.op_cmd]')" = '[null,"ast.symbols"]' ]
	[ "$(soak-extract in/coldwarm.jsonl | jq -c '[.config, .shards, .hosts]')" = '[null,null,null]' ]
	for bad in 0/4 5/4 1/0 a/b 1/10001 /4 4/ 1//4 -1/4 '' 4; do
		printf '{"cmd":"soak.run.start","args":{"ops":8,"shard":"%s"}}\n' "$bad" > "$T/bad"
		[ "$(soak-extract "$T/bad" | jq -c '[.shards, .lines.bad_fields, .ops_requested]')" = '[null,1,8]' ]
	done
	printf '{"cmd":"soak.run.start","args":{"shard":"10000/10000","argv":["a",1]},"x":{"host":5}}\n' > "$T/edge"
	[ "$(soak-extract "$T/edge" | jq -c '[.shards.expected, .shards.seen, (.shards.missing | length), .config.command, .hosts, .lines.bad_fields]')" = \
	    '[10000,1,9999,null,null,1]' ]
}

@test "the output is one valid JSON document" {
	soak-extract in/table.jsonl | json_verify -q
	real
	soak-extract "$REAL" | json_verify -q
}

@test "stdin, - and several files read in order" {
	a=$(soak-extract in/table.jsonl)
	[ "$(soak-extract < in/table.jsonl)" = "$a" ]
	[ "$(soak-extract - < in/table.jsonl)" = "$a" ]
	head -5 in/table.jsonl > "$T/a"
	tail -n +6 in/table.jsonl > "$T/b"
	[ "$(soak-extract "$T/a" - < "$T/b")" = "$a" ]
}

@test "input trickling through a pipe in small pieces gives the same document" {
	real
	want=$(soak-extract "$REAL")
	got=$(perl -e 'srand 7; open F, shift or die; binmode F; $| = 1;
	    while (read(F, $b, 1 + int(rand(700)))) { print $b }' "$REAL" | soak-extract)
	[ "$got" = "$want" ]
}

@test "on one CPU, without parser threads: the same documents and messages" {
	printf '{"cmd":"a"}\n\n[1]\n{"a":\n{"cmd":"b"}' > "$T/one"
	run --separate-stderr taskset -c 0 soak-extract -v "$T/one"
	[ "$status" -eq 0 ]
	[ "$(jq -c .lines <<<"$output")" = '{"read":5,"matched":2,"malformed":2,"malformed_first":[3,4],"blank":1,"bad_fields":0}' ]
	[ "$stderr" = "soak-extract: $T/one:3: not a JSON object (skipped)
soak-extract: $T/one:4: incomplete JSON (skipped)" ]
	run --separate-stderr taskset -c 0 soak-extract --strict "$T/one"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-extract: $T/one:3: not a JSON object" ]
	run --separate-stderr taskset -c 0 soak-extract "$T"
	[ "$status" -eq 2 ]
	real
	[ "$(taskset -c 0 soak-extract "$REAL")" = "$(soak-extract "$REAL")" ]
	[ "$(taskset -c 0 soak-extract --run-id wo-p3-0 "$REAL")" = "$(soak-extract --run-id wo-p3-0 "$REAL")" ]
}

@test "run_id: the single id seen, else null; lines without one ignored" {
	[ "$(soak-extract in/table.jsonl | jq -c .run_id)" = '"r1"' ]
	printf '{"cmd":"a"}\n{"run_id":"r1","cmd":"a"}\n' > "$T/one"
	[ "$(soak-extract "$T/one" | jq -c .run_id)" = '"r1"' ]
	[ "$(cat in/table.jsonl in/coldwarm.jsonl | soak-extract | jq -c .run_id)" = null ]
	printf '{"cmd":"a"}\n' > "$T/none"
	[ "$(soak-extract "$T/none" | jq -c .run_id)" = null ]
	[ "$(soak-extract --run-id nope in/table.jsonl | jq -c '[.run_id, .lines.matched]')" = '["nope",0]' ]
}

@test "--run-id keeps one run of a mixed stream" {
	cat in/table.jsonl in/coldwarm.jsonl in/table.jsonl > "$T/mixed"
	run soak-extract --run-id cw "$T/mixed"
	[ "$status" -eq 0 ]
	[ "$(jq -c .lines <<<"$output")" = '{"read":58,"matched":12,"malformed":0,"malformed_first":[],"blank":0,"bad_fields":0}' ]
	[ "$(jq -c 'del(.run_id, .lines)' <<<"$output")" = "$(soak-extract in/coldwarm.jsonl | jq -c 'del(.run_id, .lines)')" ]
}

@test "--run-id finds a run id written with \\u escapes" {
	printf '{"run_id":"w\\u006f-1","cmd":"ast.symbols","result":{"status":"ok"}}\n' > "$T/esc"
	printf '{"run_id":"\\u0077o-1","cmd":"ast.symbols","result":{"status":"ok"}}\n' >> "$T/esc"
	printf '{"run_id":"wo-1","cmd":"ast.symbols","result":{"status":"ok"}}\n' >> "$T/esc"
	printf '{"run_id":"wo-2","cmd":"ast.symbols","result":{"status":"ok"}}\n' >> "$T/esc"
	[ "$(soak-extract --run-id wo-1 "$T/esc" | jq -c '[.lines.matched, .ops_completed]')" = '[3,3]' ]
}

@test "--run-id: a malformed line is counted only when it may be the run's" {
	[ "$(lines_of in/runid.jsonl --run-id r1)" = '{"read":5,"matched":2,"malformed":1,"malformed_first":[5],"blank":0,"bad_fields":0}' ]
	[ "$(soak-extract --run-id r1 in/runid.jsonl | jq -c .counts)" = '{"a":1,"b":1}' ]
	[ "$(lines_of in/runid.jsonl)" = '{"read":5,"matched":3,"malformed":2,"malformed_first":[4,5],"blank":0,"bad_fields":0}' ]
}

@test "--run-id with -v or --strict parses every line: no malformed line goes unseen" {
	run --separate-stderr soak-extract -v --run-id r1 in/runid.jsonl
	[ "$status" -eq 0 ]
	[ "$(jq -c .lines <<< "$output")" = '{"read":5,"matched":2,"malformed":2,"malformed_first":[4,5],"blank":0,"bad_fields":0}' ]
	[ "$stderr" = "soak-extract: in/runid.jsonl:4: malformed JSON (invalid char in json text) (skipped)
soak-extract: in/runid.jsonl:5: incomplete JSON (skipped)" ]
	run --separate-stderr soak-extract --strict --run-id r1 in/runid.jsonl
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-extract: in/runid.jsonl:4: malformed JSON (invalid char in json text)" ]
}

@test "--run-id with a slash or quote in the id matches exactly too" {
	printf '{"run_id":"a\\/b","cmd":"x"}\n{"run_id":"a/b","cmd":"x"}\n{"run_id":"a\\"b","cmd":"x"}\n' > "$T/slash"
	[ "$(soak-extract --run-id a/b "$T/slash" | jq -c .lines.matched)" = 2 ]
	[ "$(soak-extract --run-id 'a"b' "$T/slash" | jq -c .lines.matched)" = 1 ]
}

@test "--run-id matches what jq selects on the whole real log" {
	real
	for id in wo-p3-0 run_1767305820; do
		n=$(jq -c "select(.run_id == \"$id\")" "$REAL" | wc -l)
		[ "$(soak-extract --run-id "$id" "$REAL" | jq .lines.matched)" -eq "$n" ]
		[ "$(jq -c "select(.run_id == \"$id\")" "$REAL" | soak-extract | jq -c 'del(.lines)')" = \
		  "$(soak-extract --run-id "$id" "$REAL" | jq -c 'del(.lines)')" ]
	done
}

@test "the real log without a filter: counts agree with jq" {
	real
	run soak-extract "$REAL"
	[ "$status" -eq 0 ]
	[ "$(jq -c .lines <<<"$output")" = '{"read":6241,"matched":6241,"malformed":0,"malformed_first":[],"blank":0,"bad_fields":0}' ]
	diff <(jq -S .counts <<<"$output") \
	    <(jq -S -s 'map(.cmd) | group_by(.) | map({(.[0]): length}) | add' "$REAL")
	[ "$(jq .run_id <<<"$output")" = null ]
}

@test "op cmd: --op-cmd, else the run start's args.op_cmd, else ast.symbols" {
	[ "$(soak-extract in/table.jsonl | jq -c '[.op_cmd, .ops_total, .ops_completed, .ops_failed]')" = '["ast.symbols",4,3,1]' ]
	[ "$(soak-extract --op-cmd soak.exec in/table.jsonl | jq -c '[.op_cmd, .ops_total, .ops_completed, .ops_failed]')" = '["soak.exec",1,1,0]' ]
	sed 's/"op_cmd":"ast.symbols"/"op_cmd":"soak.exec"/' in/table.jsonl > "$T/exec"
	[ "$(soak-extract "$T/exec" | jq -c '[.op_cmd, .ops_total, .ops_completed]')" = '["soak.exec",1,1]' ]
	[ "$(soak-extract --op-cmd nothing in/table.jsonl | jq -c '[.ops_total, .ops_completed, .ops_failed]')" = '[0,0,0]' ]
}

@test "events: lost when the run end says more than was seen" {
	sed '/"seq":3}}$/d' in/table.jsonl > "$T/lossy"
	[ "$(soak-extract "$T/lossy" | jq -c .events)" = '{"expected":22,"seen":19,"lost":3}' ]
	[ "$(soak-extract in/coldwarm.jsonl | jq -c .events)" = '{"expected":null,"seen":12,"lost":null}' ]
}

@test "integrity_check: the first row that is not ok" {
	printf '%s\n' '{"cmd":"ast.cache.integrity_check","result":{"status":"ok"}}' \
	    '{"cmd":"ast.cache.integrity_check","result":{"status":"row 3 missing from index i"}}' \
	    '{"cmd":"ast.cache.integrity_check","result":{"status":"later"}}' > "$T/ic"
	[ "$(soak-extract "$T/ic" | jq -c .integrity_check)" = '"row 3 missing from index i"' ]
	[ "$(soak-extract in/coldwarm.jsonl | jq -c '[.integrity_check, .verify, .workers]')" = '[null,null,null]' ]
}

@test "integrity_check: a check without a string status is never ok" {
	for st in '' '"status":null,' '"status":["row 7 missing"],' '"status":7,'; do
		printf '%s\n' '{"cmd":"ast.cache.integrity_check","result":{"status":"ok"}}' \
		    "{\"cmd\":\"ast.cache.integrity_check\",\"result\":{${st}\"rows\":[]}}" \
		    '{"cmd":"ast.cache.integrity_check","result":{"status":"ok"}}' > "$T/ic"
		[ "$(soak-extract "$T/ic" | jq -c .integrity_check)" = '"no status"' ]
	done
	# A status of another type is also a bad field; absent or null is not.
	[ "$(soak-extract "$T/ic" | jq -c .lines.bad_fields)" = 1 ]
}

@test "sums of counts past 2^63 - 1 stay at 9223372036854775807, never wrap" {
	# Ten counts of 18 nines pass 2^63 - 1; nineteen would wrap 2^64.
	n=999999999999999999
	for i in $(seq 19); do
		echo "{\"cmd\":\"soak.verify\",\"result\":{\"keys_written\":$n,\"lost\":$n}}"
		echo "{\"cmd\":\"soak.run.start\",\"args\":{\"ops\":$n,\"workers\":$n}}"
		echo "{\"cmd\":\"soak.run.end\",\"result\":{\"events_emitted\":$n}}"
		echo "{\"cmd\":\"soak.db.sample\",\"result\":{\"samples\":$n,\"journal_seen\":$n}}"
	done > "$T/big"
	run --separate-stderr soak-extract "$T/big"
	[ "$status" -eq 0 ]
	# Read as text: jq's doubles would round the figures.
	[ "$(printf '%s\n' "$output" | grep -E ': 9223372036854775807,?$' | tr -d ' ,')" = '"ops_requested":9223372036854775807
"keys_written":9223372036854775807
"lost":9223372036854775807
"expected":9223372036854775807
"samples":9223372036854775807
"journal_seen":9223372036854775807' ]
}

@test "worker numbers past 2^63 - 1 are bad fields, never one number: the kill stays unrecovered" {
	local w
	for w in "1 2" "10000000000000000000 20000000000000000000"; do
		set -- $w
		printf '%s\n' '{"run_id":"c","cmd":"soak.run.start","args":{"ops":2,"workers":1,"op_cmd":"ast.symbols","chaos_kill":1}}' \
		    "{\"run_id\":\"c\",\"cmd\":\"ast.symbols\",\"result\":{\"status\":\"ok\"},\"x\":{\"worker\":$1}}" \
		    "{\"run_id\":\"c\",\"cmd\":\"soak.worker.exit\",\"args\":{\"worker\":$1},\"result\":{\"status\":\"signal\"},\"x\":{\"worker\":0,\"chaos\":true,\"chaos_state\":\"write\",\"replaced_by\":$2}}" \
		    '{"run_id":"c","cmd":"soak.run.end","result":{"status":"ok","events_emitted":3}}' > "$T/ids"
		[ "$(soak-extract "$T/ids" | jq -c '[.chaos.kills, .chaos.unrecovered]')" = '[1,1]' ]
	done
	[ "$(soak-extract "$T/ids" | jq .lines.bad_fields)" -eq 2 ]
}

@test "a count of 19 digits is exact, and one past 2^63 - 1 is held there, never a bad field" {
	local nw n want
	for nw in 1000000000000000000=1000000000000000000 \
	    9223372036854775807=9223372036854775807 \
	    9223372036854775808=9223372036854775807 \
	    123456789012345678901234567890=9223372036854775807; do
		n=${nw%=*} want=${nw#*=}
		{
			echo "{\"cmd\":\"soak.verify\",\"result\":{\"keys_written\":$n}}"
			echo "{\"cmd\":\"soak.run.start\",\"args\":{\"ops\":$n}}"
			echo "{\"cmd\":\"soak.run.end\",\"result\":{\"events_emitted\":$n}}"
		} > "$T/one"
		run --separate-stderr soak-extract "$T/one"
		[ "$status" -eq 0 ]
		# Read as text: jq's doubles would round the figures.
		[ "$(printf '%s\n' "$output" | grep -E '"(keys_written|ops_requested|expected|bad_fields)":' | tr -d ' ,')" = "\"bad_fields\":0
\"ops_requested\":$want
\"keys_written\":$want
\"expected\":$want" ]
	done
	# A negative one, however long, is still a bad field.
	echo '{"cmd":"soak.verify","result":{"keys_written":-9223372036854775809}}' > "$T/one"
	run --separate-stderr soak-extract "$T/one"
	[ "$(jq -c '[.lines.bad_fields, .verify.keys_written]' <<< "$output")" = '[1,0]' ]
}

@test "a key holding a NUL byte is another key, on lines read whole too" {
	printf '%s\n' '{"cmd":"soak.db.sample","result":{"samples":1,"wal_bytes_max":999999999,"wal_bytes_max\u0000x":5}}' \
	    '{"cmd":"soak.verify","result":{"lost":3,"lost\u0000x":0}}' > "$T/nul"
	[ "$(soak-extract "$T/nul" | jq -c '[.db.wal_bytes_max, .verify.lost]')" = '[999999999,3]' ]
}

@test "integers print as integers, fractions exactly" {
	printf '%s\n' '{"cmd":"t","timing_ms":3}' '{"cmd":"t","timing_ms":0.1}' \
	    '{"cmd":"t","timing_ms":2.0}' '{"cmd":"t","timing_ms":1e2}' > "$T/num"
	run soak-extract "$T/num"
	[ "$(jq -c '.latency_ms.t' <<<"$output")" = '{"count":4,"p50":3,"p95":100,"p99":100,"max":100}' ]
	grep -q '"p50": 3,$' <<<"$output"
	printf '{"cmd":"t","timing_ms":0.1}\n' | soak-extract | grep -q '"p50": 0.1,$'
	# A sum past the 64-bit integers goes on in floating point, and is
	# written with all its digits, never in exponent form.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		printf '{"cmd":"ast.cache.lock_wait","timing_ms":999999999999999999}\n'
	done > "$T/big"
	soak-extract "$T/big" | grep -qx '    "wait_ms_total": 10000000000000000000'
	printf '{"cmd":"t","timing_ms":1e20}\n' | soak-extract | grep -qx '      "max": 100000000000000000000'
	! soak-extract "$T/big" | grep -E '[0-9]e[-+]?[0-9]' || false
}

# Bad input: each kind with its exact counts.

@test "malformed lines are skipped, counted and numbered" {
	printf '%s\n' '{"cmd":"a"}' '[1]' '42' 'null' '{"cmd":"b"} {}' '{"cmd":' \
	    '{"a":1}x' '"str' '{bad}' '{"cmd":"c"}' '{' '}' '{"cmd":"d"}' > "$T/bad"
	run --separate-stderr soak-extract "$T/bad"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -c .lines <<<"$output")" = '{"read":13,"matched":3,"malformed":10,"malformed_first":[2,3,4,5,6,7,8,9,11,12],"blank":0,"bad_fields":0}' ]
	[ "$(jq -c .counts <<<"$output")" = '{"a":1,"c":1,"d":1}' ]
}

@test "malformed_first keeps the first 10 line numbers, counted over all inputs" {
	printf '{"cmd":"a"}\nx\n' > "$T/one"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo x; done > "$T/twelve"
	[ "$(soak-extract "$T/twelve" "$T/one" | jq -c .lines)" = '{"read":14,"matched":1,"malformed":13,"malformed_first":[1,2,3,4,5,6,7,8,9,10],"blank":0,"bad_fields":0}' ]
	[ "$(soak-extract "$T/one" "$T/twelve" | jq -c .lines.malformed_first)" = '[2,3,4,5,6,7,8,9,10,11]' ]
}

@test "-v names file and line of each malformed line on stderr" {
	printf '{"cmd":"a"}\n[1]\n{"a":\n{"a":1}x\n' > "$T/v"
	run --separate-stderr soak-extract -v "$T/v"
	[ "$status" -eq 0 ]
	[ "$stderr" = "soak-extract: $T/v:2: not a JSON object (skipped)
soak-extract: $T/v:3: incomplete JSON (skipped)
soak-extract: $T/v:4: malformed JSON (invalid char in json text) (skipped)" ]
	run --separate-stderr soak-extract --verbose - < "$T/v"
	[ "${stderr%%
*}" = "soak-extract: <stdin>:2: not a JSON object (skipped)" ]
}

@test "nesting: 64 levels are read, 65 are malformed" {
	d64=$(printf '{"cmd":"deep","x":%s1%s}' "$(printf '[%.0s' $(seq 63))" "$(printf ']%.0s' $(seq 63))")
	d65=$(printf '{"cmd":"deep","x":%s1%s}' "$(printf '[%.0s' $(seq 64))" "$(printf ']%.0s' $(seq 64))")
	printf '%s\n%s\n' "$d64" "$d65" > "$T/deep"
	run --separate-stderr soak-extract -v "$T/deep"
	[ "$(jq -c '[.lines.matched, .lines.malformed, .counts.deep]' <<<"$output")" = '[1,1,1]' ]
	[ "$stderr" = "soak-extract: $T/deep:2: nesting deeper than 64 (skipped)" ]
}

@test "a line over 16 MiB is malformed; 16 MiB exactly is read" {
	perl -e 'print q({"cmd":"big","p":"), "a" x (16777216 - 20), qq("}\n)' > "$T/big"
	perl -e 'print q({"cmd":"big","p":"), "a" x (16777216 - 19), qq("}\n)' >> "$T/big"
	printf '{"cmd":"after"}' >> "$T/big"
	run --separate-stderr soak-extract -v "$T/big"
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.lines, .counts]' <<<"$output")" = '[{"read":3,"matched":2,"malformed":1,"malformed_first":[2],"blank":0,"bad_fields":0},{"after":1,"big":1}]' ]
	[ "$stderr" = "soak-extract: $T/big:2: line longer than 16 MiB (skipped)" ]
}

@test "a BOM and a CR are not counted in a line's 16 MiB" {
	perl -e 'print "\xef\xbb\xbf", q({"cmd":"big","p":"), "a" x (16777216 - 20), qq("}\r\n)' > "$T/big"
	perl -e 'print q({"cmd":"big","p":"), "a" x (16777216 - 20), qq("}\r\n)' >> "$T/big"
	perl -e 'print q({"cmd":"big","p":"), "a" x (16777216 - 19), qq("}\r\n)' >> "$T/big"
	run --separate-stderr soak-extract -v "$T/big"
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.lines, .counts]' <<<"$output")" = '[{"read":3,"matched":2,"malformed":1,"malformed_first":[3],"blank":0,"bad_fields":0},{"big":2}]' ]
	[ "$stderr" = "soak-extract: $T/big:3: line longer than 16 MiB (skipped)" ]
}

@test "fields of the wrong type: the event counts, the field is ignored" {
	printf '%s\n' \
	    '{"cmd":"ast.symbols","timing_ms":"12","result":{"status":"ok"}}' \
	    '{"cmd":5,"timing_ms":3}' \
	    '{"cmd":"ast.cache.hit","args":{"cache_key":7},"timing_ms":1}' \
	    '{"cmd":"ast.cache.hit","args":"k","timing_ms":1}' \
	    '{"cmd":"soak.run.start","args":{"ops":"200","workers":-1}}' \
	    '{"cmd":"soak.verify","result":{"keys_written":1.5,"keys_present":1,"lost":0,"corrupt":0}}' \
	    '{"cmd":"ast.symbols","run_id":7,"result":{"status":true}}' \
	    '{"cmd":"ast.cache.error","result":{"code":5}}' \
	    '{"cmd":"ast.symbols","run_id":null,"timing_ms":null,"result":{"status":"ok"}}' > "$T/types"
	run --separate-stderr soak-extract "$T/types"
	[ "$status" -eq 0 ]
	[ "$(jq -c .lines <<<"$output")" = '{"read":9,"matched":9,"malformed":0,"malformed_first":[],"blank":0,"bad_fields":8}' ]
	[ "$(jq -c '[.counts, .ops_requested, .ops_total, .ops_completed, .cache.hits, .cache.hits_cold, .verify, .cache_errors, .run_id]' <<<"$output")" = \
	  '[{"ast.cache.error":1,"ast.cache.hit":2,"ast.symbols":3,"soak.run.start":1,"soak.verify":1},null,3,2,2,0,{"keys_written":0,"keys_present":1,"lost":0,"corrupt":0},{},null]' ]
	[ "$(jq -c '.latency_ms | keys' <<<"$output")" = '["ast.cache.hit"]' ]
}

@test "CRLF, a BOM, blank lines and no final newline change nothing" {
	want=$(soak-extract in/table.jsonl | jq -c 'del(.lines)')
	{ printf '\357\273\277'; sed 's/$/\r/' in/table.jsonl; } > "$T/crlf"
	run soak-extract "$T/crlf"
	[ "$(jq -c 'del(.lines)' <<<"$output")" = "$want" ]
	[ "$(jq -c .lines <<<"$output")" = '{"read":23,"matched":23,"malformed":0,"malformed_first":[],"blank":0,"bad_fields":0}' ]
	{ echo; head -3 in/table.jsonl; printf ' \t\r\n\n'; tail -n +4 in/table.jsonl | head -c -1; } > "$T/blank"
	run soak-extract "$T/blank"
	[ "$(jq -c 'del(.lines)' <<<"$output")" = "$want" ]
	[ "$(jq -c .lines <<<"$output")" = '{"read":26,"matched":23,"malformed":0,"malformed_first":[],"blank":3,"bad_fields":0}' ]
}

@test "a BOM after the first line is malformed" {
	printf '{"cmd":"a"}\n\357\273\277{"cmd":"b"}\n' > "$T/bom2"
	[ "$(lines_of "$T/bom2")" = '{"read":2,"matched":1,"malformed":1,"malformed_first":[2],"blank":0,"bad_fields":0}' ]
}

@test "invalid UTF-8 in strings is read; the output stays valid UTF-8" {
	printf '{"cmd":"bad\377\376","run_id":"r\300"}\n{"cmd":"ok\303\251"}\n' > "$T/utf8"
	run --separate-stderr soak-extract "$T/utf8"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | json_verify -q
	[ "$(jq -c '[.lines.matched, .counts, .run_id]' <<<"$output")" = "$(printf '[2,{"bad\357\277\275\357\277\275":1,"ok\303\251":1},"r\357\277\275"]')" ]
}

@test "names that differ only in invalid UTF-8 are one key, written once" {
	# \377 and \376 both print as U+FFFD: one cmd, one code, one host.
	printf '{"cmd":"x\377","timing_ms":1,"x":{"host":"h\377"}}\n{"cmd":"x\376","timing_ms":3,"x":{"host":"h\376"}}\n' > "$T/names"
	printf '{"cmd":"ast.cache.error","result":{"code":"E\377"}}\n{"cmd":"ast.cache.error","result":{"code":"E\376"}}\n' >> "$T/names"
	run --separate-stderr soak-extract "$T/names"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | json_verify -q
	[ "$(grep -c "\"x$(printf '\357\277\275')\"" <<<"$output")" -eq 2 ]
	[ "$(grep -c "\"h$(printf '\357\277\275')\"" <<<"$output")" -eq 1 ]
	[ "$(grep -c "\"E$(printf '\357\277\275')\"" <<<"$output")" -eq 1 ]
	[ "$(jq -c '[.counts, .cache_errors, (.latency_ms | map_values(.count)), (.hosts | map_values(.ops))]' <<<"$output")" = \
	    "$(printf '[{"ast.cache.error":2,"x\357\277\275":2},{"E\357\277\275":2},{"x\357\277\275":2},{"h\357\277\275":0}]')" ]
}

@test "lock_contention.wait_ms_total past a double stops at the largest one, never null" {
	printf '%s\n' '{"cmd":"ast.cache.lock_wait","timing_ms":1e308}' '{"cmd":"ast.cache.lock_wait","timing_ms":1e308}' > "$T/big"
	run --separate-stderr soak-extract "$T/big"
	[ "$status" -eq 0 ]
	[ "$(jq -c .lock_contention <<<"$output")" = '{"timeouts":0,"waits":2,"wait_ms_total":1.7976931348623157e+308}' ]
}

@test "NUL bytes: a malformed line, never the end of input" {
	printf '{"cmd":"a"}\n{"cmd":"a\000b"}\n\000\n{"cmd":"n\\u0000"}\n{"cmd":"z"}\n' > "$T/nul"
	run --separate-stderr soak-extract "$T/nul"
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.lines, .counts]' <<<"$output")" = '[{"read":5,"matched":3,"malformed":2,"malformed_first":[2,3],"blank":0,"bad_fields":0},{"a":1,"n\u0000":1,"z":1}]' ]
}

@test "empty input: a document with zero counts, and a warning" {
	run --separate-stderr soak-extract < /dev/null
	[ "$status" -eq 0 ]
	[ "$stderr" = 'soak-extract: warning: no line read' ]
	[ "$(jq -c '[.lines, .counts, .run_id, .ops_requested, .progression, .events]' <<<"$output")" = \
	  '[{"read":0,"matched":0,"malformed":0,"malformed_first":[],"blank":0,"bad_fields":0},{},null,null,[],{"expected":null,"seen":0,"lost":null}]' ]
}

# Exit status.

@test "--strict: the first malformed line is an error, exit 1" {
	printf '{"cmd":"a"}\n\n{"cmd":\n[1]\n' > "$T/strict"
	run --separate-stderr soak-extract --strict "$T/strict"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-extract: $T/strict:3: incomplete JSON" ]
	run --separate-stderr soak-extract --strict in/table.jsonl
	[ "$status" -eq 0 ]
}

@test "an unreadable file: message, exit 2, no document" {
	run --separate-stderr soak-extract in/table.jsonl "$T/missing"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-extract: $T/missing: No such file or directory" ]
	run --separate-stderr soak-extract "$T"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-extract: $T: Is a directory" ]
}

@test "a write error on stdout: message, exit 1" {
	run --separate-stderr sh -c 'soak-extract in/table.jsonl > /dev/full'
	[ "$status" -eq 1 ]
	[ "$stderr" = "soak-extract: stdout: No space left on device" ]
}

@test "usage errors: exit 2 with the synopsis" {
	usage="usage: soak-extract [-v] [--strict] [--run-id id] [--op-cmd name] [--window n] [--interval ms]
                    [file ...]
       soak-extract --help
       soak-extract --version"
	run --separate-stderr soak-extract --bogus
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${stderr#*
}" = "$usage" ]
	run --separate-stderr soak-extract -x
	[ "$status" -eq 2 ]
	[ "${stderr#*
}" = "$usage" ]
	run --separate-stderr soak-extract --version
	[ "$status" -eq 0 ]
	[ "$output" = "soak-extract 1.0.0" ]
	run --separate-stderr soak-extract --window x in/table.jsonl
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'soak-extract: --window: "x" is invalid (1 to 1000000000)' ]
	run --separate-stderr soak-extract --window 1000000001 in/table.jsonl
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-extract: --window: "1000000001" is too large (1 to 1000000000)' ]
	run --separate-stderr soak-extract --op-cmd '' in/table.jsonl
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-extract: --op-cmd: empty name' ]
	run --separate-stderr soak-extract in/table.jsonl ''
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'soak-extract: operand 2: empty path' ]
	run --separate-stderr soak-extract --run-id
	[ "$status" -eq 2 ]
}

# What a new user meets: each friction, retried with its command.

@test "soak-extract --window 0: one line naming the option, the value and the range" {
	run --separate-stderr soak-extract --window 0 in/table.jsonl
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'soak-extract: --window: "0" is too small (1 to 1000000000)' ]
}

@test "soak-extract --run-id nosuch LOG: a warning naming the id, matched 0, exit 0" {
	run --separate-stderr soak-extract --run-id nosuch in/table.jsonl
	[ "$status" -eq 0 ]
	[ "$stderr" = 'soak-extract: warning: run id "nosuch" matched no line of 23 read' ]
	[ "$(jq -c '[.run_id, .lines.matched, .lines.read]' <<<"$output")" = '["nosuch",0,23]' ]
	# A run id that matches says nothing.
	run --separate-stderr soak-extract --run-id r1 in/table.jsonl
	[ -z "$stderr" ]
}

@test "soak-extract --help: the synopsis on stdout, exit 0; stdout checked" {
	run --separate-stderr soak-extract --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "usage: soak-extract [-v] [--strict] [--run-id id] [--op-cmd name] [--window n] [--interval ms]
                    [file ...]
       soak-extract --help
       soak-extract --version" ]
	# The same words as the page's SYNOPSIS.
	mandoc -T ascii "$SOAK_TOP/man/soak-extract.1" | sed 's/.\x08//g' |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' |
	    sed '1d;$d;/^$/d;s/^ *//' | tr -s ' \n' '  ' | sed 's/ $//' > "$T/synopsis"
	[ "$(sed 's/^usage: //;s/^ *//' <<<"$output" | tr -s ' \n' '  ' | sed 's/ $//')" = "$(cat "$T/synopsis")" ]
	run --separate-stderr sh -c 'soak-extract --help > /dev/full'
	[ "$status" -eq 1 ]
	[ "$stderr" = "soak-extract: stdout: No space left on device" ]
	run --separate-stderr sh -c 'soak-extract --version > /dev/full'
	[ "$status" -eq 1 ]
}

@test "numbers: milliseconds to 3 decimals, rates to 6, trailing zeros dropped" {
	printf '%s\n' '{"cmd":"t","timing_ms":48045.24399999997}' \
	    '{"cmd":"ast.cache.lock_wait","timing_ms":216.42700000000002}' \
	    '{"cmd":"ast.cache.lock_wait","timing_ms":0.5}' \
	    '{"cmd":"u","timing_ms":1.0006}' '{"cmd":"v","timing_ms":7.000}' > "$T/num"
	for i in $(seq 195); do echo '{"cmd":"ast.cache.hit","args":{"cache_key":"k"}}'; done >> "$T/num"
	echo '{"cmd":"ast.cache.miss","args":{"cache_key":"k"}}' >> "$T/num"
	run soak-extract "$T/num"
	grep -qx '      "max": 48045.244' <<<"$output"
	grep -qx '    "wait_ms_total": 216.927' <<<"$output"
	grep -qx '    "hit_rate": 0.994898,' <<<"$output"
	grep -qx '      "p50": 1.001,' <<<"$output"
	grep -qx '      "p50": 7,' <<<"$output"
	! grep -Eq '[0-9]\.[0-9]{7}' <<<"$output" || false
}

@test "layout: two spaces a level, [] and {} on one line, a newline at the end" {
	run soak-extract < /dev/null
	grep -qx '    "malformed_first": \[\],' <<<"$output"
	grep -qx '  "counts": {},' <<<"$output"
	grep -qx '  "progression": \[\],' <<<"$output"
	[ "$(soak-extract < /dev/null | tail -c 2 | od -An -c | tr -d ' ')" = '}\n' ]
	# Nothing but the layout differs from jq's own.
	diff <(soak-extract in/table.jsonl | jq --indent 2 .) <(soak-extract in/table.jsonl)
	[ ! -r "$REAL" ] || diff <(soak-extract "$REAL" | jq --indent 2 .) <(soak-extract "$REAL")
}

@test "latency_ms leaves out soak's own lines; counts keeps them" {
	run soak-extract in/table.jsonl
	[ "$(jq -c '.latency_ms | keys | map(select(startswith("soak.")))' <<<"$output")" = '[]' ]
	[ "$(jq -c '[.counts["soak.run.start"], .counts["soak.exec"]]' <<<"$output")" = '[1,1]' ]
}

# The pipeline.

# A passing run: 200 operations over 10 keys, every worker exits ok.
pass_log() {
	awk 'BEGIN {
		r = "\"run_id\":\"e2e\"";
		print "{" r ",\"cmd\":\"soak.run.start\",\"args\":{\"ops\":200,\"workers\":2,\"op_cmd\":\"ast.symbols\"}}"; n = 1;
		for (i = 0; i < 200; i++) {
			k = "\"args\":{\"cache_key\":\"k" (i % 10) "\"}";
			if (i < 10) {
				print "{" r ",\"cmd\":\"ast.cache.miss\"," k ",\"timing_ms\":3}";
				print "{" r ",\"cmd\":\"ast.cache.write\"," k ",\"timing_ms\":1}"; n += 2;
			} else {
				print "{" r ",\"cmd\":\"ast.cache.hit\"," k ",\"timing_ms\":1}"; n++;
			}
			print "{" r ",\"cmd\":\"ast.symbols\",\"result\":{\"status\":\"ok\"},\"timing_ms\":" 2 + i % 5 "}"; n++;
		}
		for (w = 1; w <= 2; w++) {
			print "{" r ",\"cmd\":\"soak.worker.exit\",\"result\":{\"status\":\"ok\",\"code\":0},\"x\":{\"worker\":" w "}}"; n++;
		}
		print "{" r ",\"cmd\":\"ast.cache.integrity_check\",\"result\":{\"status\":\"ok\",\"rows\":[\"ok\"]}}";
		print "{" r ",\"cmd\":\"soak.verify\",\"result\":{\"keys_written\":10,\"keys_present\":10,\"lost\":0,\"corrupt\":0}}"; n += 2;
		print "{" r ",\"cmd\":\"soak.run.end\",\"result\":{\"status\":\"ok\",\"events_emitted\":" n "}}";
	}'
}

@test "soak-extract < log | soak-gate --min-ops 200: PASS, exit 0" {
	pass_log > "$T/log"
	run --separate-stderr sh -c 'soak-extract < "$1" | soak-gate --min-ops 200' sh "$T/log"
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]}-1]}" = PASS ]
	run soak-extract "$T/log"
	[ "$(jq -c '[.ops_completed, .cache_hits_warm, .events, .workers]' <<<"$output")" = '[200,190,{"expected":415,"seen":415,"lost":0},{"started":2,"exited_ok":2,"died":0,"killed":0}]' ]
}

@test "the same pipeline fails when the log says so: exit 1" {
	pass_log | sed 's/integrity_check","result":{"status":"ok"/integrity_check","result":{"status":"row 1 missing"/' > "$T/log"
	run sh -c 'soak-extract < "$1" | soak-gate --min-ops 200' sh "$T/log"
	[ "$status" -eq 1 ]
	[[ "${lines[0]}" == 'FAIL integrity_check: "row 1 missing"'* ]]
	real
	run sh -c 'soak-extract --run-id wo-p3-0 "$1" | soak-gate --min-ops 200' sh "$REAL"
	[ "$status" -eq 1 ]
}

# Alarms: every count that means something went wrong, made non-zero one
# at a time in the passing log, read back exactly and, where soak-gate
# judges it, failing the gate on that criterion alone.

# swap N CMD LINE: the passing log with its first N CMD events replaced
# by LINE, so the log keeps its length and its run end stays right.
swap() {
	pass_log | awk -v n="$1" -v cmd="\"cmd\":\"$2\"" -v line="$3" '
	    index($0, cmd) && n > 0 { print line; n--; next } { print }'
}

# alarm LOG FILTER WANT [CRITERION]: soak-extract LOG gives WANT for the
# jq FILTER; soak-gate --min-ops 200 then fails on CRITERION alone, or,
# without one, passes.
alarm() {
	local doc
	run --separate-stderr soak-extract "$1"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	doc=$output
	[ "$(jq -c "$2" <<<"$doc")" = "$3" ]
	run --separate-stderr soak-gate --min-ops 200 - <<<"$doc"
	if [ $# -lt 4 ]; then
		[ "$status" -eq 0 ]
		[ "${lines[${#lines[@]}-1]}" = PASS ]
		return
	fi
	[ "$status" -eq 1 ]
	[ "$(grep -c '^FAIL ' <<<"$output")" -eq 2 ]
	[[ "$(grep -m1 '^FAIL ' <<<"$output")" == "FAIL $4: "* ]]
	# However many criteria the gate has, this one alone failed.
	n=$(grep -cE '^(PASS|FAIL|SKIP) [a-z]' <<<"$output")
	[ "${lines[${#lines[@]}-1]}" = "FAIL (1 of $n criteria failed)" ]
}

@test "every alarm at once, golden; the gate fails all but the warm hits" {
	golden alarms in/alarms.jsonl
	run --separate-stderr soak-gate <(soak-extract in/alarms.jsonl)
	[ "$status" -eq 1 ]
	n=$(grep -cE '^(PASS|FAIL|SKIP) [a-z]' <<<"$output")
	[ "$n" -ge 9 ]
	[ "$(grep -c '^PASS ' <<<"$output")" -eq 1 ]
	[ "${lines[2]}" = "PASS cache_hits_warm: 1 >= 1" ]
	# The criteria of an unsharded run that do not apply SKIP.
	skips=$(grep -c '^SKIP ' <<<"$output" || true)
	[ "${lines[${#lines[@]}-1]}" = "FAIL ($((n - 1 - skips)) of $n criteria failed)" ]
}

@test "alarm lines.malformed: a line that is no JSON fails the gate" {
	pass_log | sed '5i {"run_id":"e2e","cmd":' > "$T/log"
	alarm "$T/log" '[.lines.malformed, .lines.malformed_first, .events]' \
	    '[1,[5],{"expected":415,"seen":415,"lost":0}]' lines.malformed
}

@test "alarm lines.bad_fields: a timing that is a string is counted" {
	swap 2 ast.cache.hit '{"run_id":"e2e","cmd":"ast.cache.hit","args":{"cache_key":"k1"},"timing_ms":"1"}' > "$T/log"
	alarm "$T/log" '[.lines.bad_fields, .latency_ms["ast.cache.hit"].count]' '[2,188]'
}

@test "alarm events.lost: fewer lines than the run end says, or more" {
	pass_log | awk '/"cmd":"ast.cache.hit"/ && !gone { gone = 1; next } { print }' > "$T/log"
	alarm "$T/log" .events '{"expected":415,"seen":414,"lost":1}' events.lost
	pass_log | sed 's/"events_emitted":415/"events_emitted":414/' > "$T/log"
	alarm "$T/log" .events '{"expected":414,"seen":415,"lost":-1}' events.lost
}

@test "alarm verify.lost and verify.corrupt" {
	pass_log | sed 's/"keys_present":10,"lost":0/"keys_present":8,"lost":2/' > "$T/log"
	alarm "$T/log" .verify '{"keys_written":10,"keys_present":8,"lost":2,"corrupt":0}' verify.lost
	pass_log | sed 's/"lost":0,"corrupt":0/"lost":0,"corrupt":3/' > "$T/log"
	alarm "$T/log" .verify '{"keys_written":10,"keys_present":10,"lost":0,"corrupt":3}' verify.corrupt
}

@test "alarm workers.died; a chaos kill is killed, not died" {
	swap 1 soak.worker.exit '{"run_id":"e2e","cmd":"soak.worker.exit","result":{"status":"exit","code":3},"x":{"worker":1,"chaos":false}}' > "$T/log"
	alarm "$T/log" .workers '{"started":2,"exited_ok":1,"died":1,"killed":0}' workers.died
	swap 1 soak.worker.exit '{"run_id":"e2e","cmd":"soak.worker.exit","result":{"status":"signal","signal":11},"x":{"worker":1}}' > "$T/log"
	alarm "$T/log" .workers '{"started":2,"exited_ok":1,"died":1,"killed":0}' workers.died
	# A worker killed on purpose mid-run, whose share the next op goes on
	# with: killed, and recovered.
	swap 1 ast.cache.write '{"run_id":"e2e","cmd":"soak.worker.exit","args":{"worker":3},"result":{"status":"signal","signal":9},"x":{"worker":0,"chaos":true,"replaced_by":null}}' > "$T/log"
	alarm "$T/log" '[.workers, .chaos]' '[{"started":2,"exited_ok":2,"died":0,"killed":1},{"kills":1,"in_write":0,"recovered":1,"unrecovered":0}]'
}

@test "alarm integrity_check: a row that is not ok, an error status" {
	swap 1 ast.cache.integrity_check '{"run_id":"e2e","cmd":"ast.cache.integrity_check","result":{"status":"*** in database main ***","rows":["*** in database main ***","row 7 missing from index i"]}}' > "$T/log"
	alarm "$T/log" .integrity_check '"*** in database main ***"' integrity_check
	pass_log | sed '/"cmd":"soak.verify"/i {"run_id":"e2e","cmd":"ast.cache.integrity_check","result":{"status":"SQLITE_CORRUPT","rows":[],"message":"database disk image is malformed"}}' |
	    sed 's/"events_emitted":415/"events_emitted":416/' > "$T/log"
	alarm "$T/log" '[.integrity_check, .counts["ast.cache.integrity_check"]]' '["SQLITE_CORRUPT",2]' integrity_check
}

@test "alarm lock_timeout and lock_contention" {
	swap 2 ast.cache.hit '{"run_id":"e2e","cmd":"ast.cache.lock_timeout","args":{"operation":"get"},"timing_ms":5000}' > "$T/log"
	alarm "$T/log" '[.lock_timeout, .lock_contention]' '[2,{"timeouts":2,"waits":0,"wait_ms_total":0}]' lock_timeout
	swap 1 ast.cache.hit '{"run_id":"e2e","cmd":"ast.cache.lock_timeout","timing_ms":5000}' > "$T/log"
	alarm "$T/log" '[.lock_timeout, .lock_contention.timeouts]' '[1,1]'
	swap 3 ast.cache.hit '{"run_id":"e2e","cmd":"ast.cache.lock_wait","args":{"operation":"put"},"timing_ms":2.5}' > "$T/log"
	alarm "$T/log" '[.lock_wait, .lock_contention]' '[3,{"timeouts":0,"waits":3,"wait_ms_total":7.5}]'
}

@test "alarm cache_errors: each code counted" {
	swap 3 ast.cache.hit '{"run_id":"e2e","cmd":"ast.cache.error","result":{"code":"SQLITE_BUSY"}}' |
	    awk '/"cmd":"ast.cache.hit"/ && !done { print "{\"run_id\":\"e2e\",\"cmd\":\"ast.cache.error\",\"result\":{\"code\":\"SQLITE_IOERR_WRITE\"}}"; done = 1; next } { print }' > "$T/log"
	alarm "$T/log" '[.cache_errors, .counts["ast.cache.error"]]' '[{"SQLITE_BUSY":3,"SQLITE_IOERR_WRITE":1},4]'
}

@test "alarm ops_completed and ops_failed: an operation that failed" {
	swap 2 ast.symbols '{"run_id":"e2e","cmd":"ast.symbols","result":{"status":"error"},"timing_ms":4}' > "$T/log"
	alarm "$T/log" '[.ops_total, .ops_completed, .ops_failed]' '[200,198,2]' ops_completed
}

@test "alarms of two runs add up" {
	{ pass_log | sed 's/"lost":0,"corrupt":0/"lost":1,"corrupt":2/'
	  swap 1 soak.worker.exit '{"run_id":"e2f","cmd":"soak.worker.exit","result":{"status":"exit","code":1},"x":{"worker":1}}' |
	    sed 's/"run_id":"e2e"/"run_id":"e2f"/; s/"lost":0,"corrupt":0/"lost":4,"corrupt":0/; s/"events_emitted":415/"events_emitted":420/'
	} > "$T/log"
	run soak-extract "$T/log"
	[ "$(jq -c '[.run_id, .ops_requested, .ops_completed, .verify, .workers, .events]' <<<"$output")" = \
	  '[null,400,400,{"keys_written":20,"keys_present":20,"lost":5,"corrupt":2},{"started":4,"exited_ok":3,"died":1,"killed":0},{"expected":835,"seen":830,"lost":5}]' ]
}

# The EXAMPLES of the pages, run as printed.

# page_has PAGE TEXT: the page holds TEXT on one line.
page_has() {
	grep -qxF -- "$2" "$SOAK_TOP/man/$1"
}

# examples PAGE DIR: the commands of PAGE's EXAMPLES, as rendered, into
# DIR/N.cmd, and the output the page shows after each into DIR/N.out.  A
# command starts with "$ " and goes on while its line ends in | or \.
examples() {
	mkdir -p "$2"
	mandoc -T ascii "$SOAK_TOP/man/$1" | col -bx | awk -v dir="$2" '
	    function flush() {
		if (n) { printf "%s\n", cmd > (dir "/" n ".cmd"); printf "%s", out > (dir "/" n ".out") }
	    }
	    /^SEE ALSO/ { go = 0 }
	    /^EXAMPLES/ { go = 1; next }
	    !go || !/^        / { more = 0; next }
	    { sub(/^ +/, "") }
	    more { cmd = cmd "\n" $0; more = /[|\\]$/; next }
	    /^\$ / { flush(); n = sprintf("%02d", n + 1); cmd = substr($0, 3); out = ""
		more = /[|\\]$/; next }
	    { out = out $0 "\n" }
	    END { flush() }'
}

# run_examples PAGE: each command of PAGE's EXAMPLES, pasted into bash in
# $T in order, exits 0 and prints what the page shows, when it shows any.
run_examples() {
	local c n=0
	examples "$1" "$T/ex"
	cd "$T"
	for c in "$T"/ex/*.cmd; do
		[ -f "$c" ] || break
		run bash -c "$(cat "$c")"
		echo "# $(head -1 "$c") -> $status" >&3
		[ "$status" -eq 0 ]
		if [ -s "${c%.cmd}.out" ]; then
			[ "$output" = "$(cat "${c%.cmd}.out")" ]
		fi
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

# example_inputs: what the pages' examples say they start from, in $T:
# src, some source files, old.jsonl, a log with a malformed line 3, and
# three of four shards' logs.
example_inputs() {
	mkdir "$T/src"
	cp "$SOAK_TOP"/extract/*.c "$T/src/"
	printf '{"cmd":"a"}\n\n[1]\n' > "$T/old.jsonl"
	for k in 1 3 4; do
		grep "\"x\":{.*\"shard\":\"$k/4\"" "$BATS_TEST_DIRNAME/in/shards-missing.jsonl" > "$T/shard-$k.jsonl"
	done
}

@test "soak-extract(1) EXAMPLES run as pasted" {
	example_inputs
	run_examples soak-extract.1
	[ -s "$T/metrics.json" ]
	[ "$(ls "$T"/ex/*.cmd | wc -l)" -eq 8 ]
}

@test "soak-metrics(5) EXAMPLES run as pasted" {
	example_inputs
	run_examples soak-metrics.5
	[ "$(ls "$T"/ex/*.cmd | wc -l)" -eq 6 ]
}

@test "the pages render without broken quotes or lines wider than the page" {
	local m
	for m in soak-extract.1 soak-metrics.5; do
		mandoc -T lint -W warning "$SOAK_TOP/man/$m"
		! mandoc -T ascii "$SOAK_TOP/man/$m" | col -bx | grep -F '""' || false
		page=$(groff -mdoc -Tascii "$SOAK_TOP/man/$m" | col -bx)
		[ -n "$page" ]
		! grep -F '""' <<< "$page" || false
		! mandoc -T ascii "$SOAK_TOP/man/$m" | col -bx | grep -E '^.{79}' || false
		! grep -Eiw 'seed|seed.s' "$SOAK_TOP/man/$m" || false
	done
}

@test "soak-events(5) EXAMPLES" {
	# The folded example lines, unfolded, are one valid run.
	sed -n '/^\.Bd -literal/,/^\.Ed/p' "$SOAK_TOP/man/soak-events.5" |
	    sed '1d;$d' | awk '/^{/ && NR > 1 { print line; line = "" }
	    { sub(/^ /, ""); line = line $0 } END { print line }' > "$T/events.jsonl"
	[ "$(wc -l < "$T/events.jsonl")" -eq 3 ]
	page_has soak-events.5 '.Dl $ soak-extract events.jsonl | jq .counts'
	cd "$T"
	run sh -c 'soak-extract events.jsonl | jq -c .counts'
	[ "$output" = '{"ast.cache.hit":1,"soak.run.end":1,"soak.run.start":1}' ]
	run soak-extract events.jsonl
	[ "$(jq -c '[.lines.malformed, .ops_requested, .workers, .events.expected, .latency_ms["ast.cache.hit"].p50]' <<<"$output")" = '[0,200,null,1207,0.42]' ]
}

# keys_read: each key of an event that soak-extract reads, one a line
# ("ts", "args.ops", "args.env.host"), from its parser's key tables and
# the paths it looks up.
keys_read() {
	awk '/^parser_key1\(/ { on = 1; p = "" }
	    /^parser_key2\(/ { on = 2 }
	    /^}/ { on = 0 }
	    on == 2 && /case F_ARGS:/ { p = "args." }
	    on == 2 && /case F_RESULT:/ { p = "result." }
	    on == 2 && /case F_X:/ { p = "x." }
	    on && match($0, /KEY\(k, len, "[a-z_]+"\)/) {
		s = substr($0, RSTART + 13, RLENGTH - 15); print p s
	    }' "$SOAK_TOP/extract/event.c"
	grep -ho 'PATH("[^)]*")' "$SOAK_TOP"/extract/*.c |
	    sed 's/^PATH(//; s/)$//; s/"//g; s/, /./g'
}

# on_page PAGE TEXT: PAGE has a line ".Li TEXT", alone or before a comma.
on_page() {
	grep -qE "^\.(It )?Li ${2//./\\.}( |$)" <<< "$1"
}

@test "soak-events(5) names every key of an event that soak-extract reads" {
	local k events conf missing=
	events=$(cat "$SOAK_TOP/man/soak-events.5")
	# The configuration's keys are named where soak-metrics(5) says
	# what config holds: "the rest of the configuration in args".
	conf=$(sed -n '/^\.It Li config$/,/^\.It Li shards$/p' "$SOAK_TOP/man/soak-metrics.5")
	keys_read | sort -u > "$T/keys"
	[ "$(wc -l < "$T/keys")" -ge 50 ]
	grep -qx 'args.env.host' "$T/keys"
	grep -qx 'x.chaos' "$T/keys"
	while read -r k; do
		case $k in
		*.*.*)	on_page "$events" "${k%.*}" && on_page "$events" "${k##*.}" ;;
		args.*)	on_page "$events" "$k" || on_page "$conf" "${k#args.}" ||
			    on_page "$conf" "$k" ;;
		*)	on_page "$events" "$k" ;;
		esac || missing="$missing $k"
	done < "$T/keys"
	echo "read but not in the pages:$missing"
	[ -z "$missing" ]
}

@test "soak-extract run by its path names itself as in every other message" {
	run --separate-stderr "$SOAK_B/soak-extract" --bogus
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-extract: unrecognized option '--bogus'" ]
	run --separate-stderr "$SOAK_B/soak-extract" -Z
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-extract: invalid option -- 'Z'" ]
}
