#!/usr/bin/env bats
# soak-harness on someone else's cache: real programs nobody here wrote
# (the sqlite3 shell, buku) killed mid-write by --chaos-kill, SQLite
# errors read from their stderr, the database sampled from outside, the
# machine recorded; and a fixture whose PID-file lock goes stale, which the
# gate must fail.

bats_require_minimum_version 1.5.0

setup() {
	FIX="$BATS_TEST_DIRNAME/fixture"
	T="$BATS_TEST_TMPDIR"
	OUT="$T/out.jsonl"
	DB="$T/n.db"
	RID="evidence_${BATS_TEST_NUMBER}_$$_$RANDOM"
	unset OPS WORKERS RUN_ID SEGMENT
	cd "$T"
}

# counter MODE: a database holding one counter at 0, in journal MODE.
counter() {
	sqlite3 "$DB" "PRAGMA journal_mode = $1;
	    CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (0);" > /dev/null
}

# bump ARGS...: soak sqlite3 adding one to the counter per run, ARGS
# before the command; stdout in $OUT.
bump() {
	run --separate-stderr soak-harness -r "$RID" --db "$DB" "$@" -- \
	    sqlite3 -cmd '.timeout 5000' "$DB" \
	    'BEGIN IMMEDIATE; UPDATE t SET n = n + 1; COMMIT;'
	printf '%s\n' "$output" > "$OUT"
}

# count CMD [JQ-FILTER]: lines of kind CMD in $OUT (that pass the filter).
count() {
	jq -c --arg c "$1" "select(.cmd == \$c)${2:+ | select($2)}" "$OUT" |
	    wc -l
}

# gate ARGS...: soak-extract | soak-gate ARGS on $OUT.
gate() {
	run --separate-stderr bash -c 'f=$1; shift; soak-extract "$f" | soak-gate "$@"' _ "$OUT" "$@"
}

# sqlite3_chaos MODE [ARGS...]: 200 runs over 4 workers, 5 of them killed,
# ARGS given to soak-harness too.
sqlite3_chaos() {
	counter "$1"
	shift
	bump -n 200 -w 4 --chaos-kill 5 --seed 11 "$@"
	[ "$status" -eq 0 ]
	[ "$(count soak.exec '.x.chaos')" -eq 5 ]
	[ "$(jq -c 'select(.x.chaos) | [.result.status, .result.signal]' "$OUT" | sort -u)" = '["signal",9]' ]
	[ "$(count soak.exec '.result.status == "ok" and (.x.chaos | not)')" -eq 200 ]
	# A killed run either committed or not; it runs again either way.
	n=$(sqlite3 "$DB" 'SELECT n FROM t')
	echo "# counter $n, kills in a write: $(count soak.exec '.x.chaos_state == "write"')" >&3
	[ "$n" -ge 200 ]
	[ "$n" -le 205 ]
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = ok ]
	[ "$(soak-extract "$OUT" | jq -c '[.ops_completed, .chaos.kills, .chaos.recovered, .chaos.unrecovered]')" = '[200,5,5,0]' ]
	gate --min-warm-hits 0
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = PASS ]
}

@test "sqlite3, rollback journal, 5 chaos kills: counter in [200, 205], integrity ok, all recovered, gate PASS" {
	sqlite3_chaos delete
}

@test "sqlite3, WAL, 5 chaos kills: counter in [200, 205], integrity ok, all recovered, gate PASS" {
	# The WAL is there only while a sqlite3 is connected, and the run
	# lasts a second or two: samples every 10 ms, not every 250, are
	# sure to find it.
	sqlite3_chaos wal --sample-ms 10
	[ "$(soak-extract "$OUT" | jq '.db.wal_bytes_max > 0')" = true ]
}

@test "the kills prefer a run that holds SQLite's write lock" {
	counter delete
	bump -n 400 -w 4 --chaos-kill 8 --seed 5
	[ "$status" -eq 0 ]
	# Most of a run's time is spent holding the lock, and the parent
	# watches for it: most kills land inside the write.
	[ "$(count soak.exec '.x.chaos_state == "write"')" -ge 4 ]
}

# fossil_repo: a new fossil repository at $T/repo.fossil, fossil's own
# settings under $T.
fossil_repo() {
	command -v fossil > /dev/null
	HOME="$T" fossil new --admin-user soak "$T/repo.fossil" > /dev/null
	echo "page text" > "$T/page.txt"
}

# wiki ARGS...: soak fossil, one new wiki page per run, ARGS before "--".
wiki() {
	run --separate-stderr soak-harness -r "$RID" --db "$T/repo.fossil" \
	    --env USER=soak --env "HOME=$T" "$@" -- \
	    fossil wiki create 'page-{worker}-{op}' page.txt -R repo.fossil
	printf '%s\n' "$output" > "$OUT"
}

@test "fossil, whose repository is its own SQLite database, 3 chaos kills: every page once, all recovered, gate PASS" {
	fossil_repo
	wiki -n 60 -w 1 --chaos-kill 3 --seed 3
	[ "$status" -eq 0 ]
	[ "$(count soak.exec '.x.chaos')" -eq 3 ]
	# A killed run that committed is refused when run again; none did.
	[ "$(HOME="$T" fossil wiki list -R "$T/repo.fossil" | wc -l)" -eq 60 ]
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = ok ]
	soak-extract "$OUT" | jq -c '{chaos, db: .db | {samples, wal_bytes_max, writer_held, journal_mode}}' >&3
	[ "$(soak-extract "$OUT" | jq -c '[.ops_completed, .chaos.unrecovered, .db.journal_mode]')" = '[60,0,"delete"]' ]
	gate --min-warm-hits 0
	[ "$status" -eq 0 ]
}

@test "fossil over 4 workers: each run that found the repository locked counted as SQLITE_BUSY, the gate fails" {
	fossil_repo
	wiki -n 100 -w 4
	[ "$status" -eq 0 ]
	failed=$(count soak.exec '.result.status != "ok"')
	echo "# $failed of 100 runs found the repository locked" >&3
	# Four fossils on one repository collide: 24 to 40 of 100 here.
	[ "$failed" -gt 0 ]
	[ "$(count soak.exec '.result.status == "ok"')" -eq "$(HOME="$T" fossil wiki list -R "$T/repo.fossil" | wc -l)" ]
	[ "$(count ast.cache.error '.result.code == "SQLITE_BUSY"')" -eq "$failed" ]
	[ "$(soak-extract "$OUT" | jq -c '.cache_errors')" = "{\"SQLITE_BUSY\":$failed}" ]
	gate --min-warm-hits 0
	[ "$status" -eq 1 ]
}

@test "a PID-file lock left stale by a kill: the kill is unrecovered and the gate fails on it" {
	run --separate-stderr soak-harness -r "$RID" -n 40 -w 2 --chaos-kill 1 \
	    --seed 1 --db "$DB" -- "$FIX/pidlock-cli" "$DB"
	printf '%s\n' "$output" > "$OUT"
	[ "$status" -eq 0 ]
	[ "$(count soak.exec '.x.chaos')" -eq 1 ]
	# The stale lock is the tool's file: soak leaves it where it is.
	[ -f "$DB.pid" ]
	[ "$(count soak.exec '.result.exit_code == 75')" -gt 0 ]
	[ "$(soak-extract "$OUT" | jq -c '[.chaos.kills, .chaos.recovered, .chaos.unrecovered]')" = '[1,0,1]' ]
	gate --min-warm-hits 0
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL chaos.unrecovered: 1 > 0"* ]]
}

@test "sqlite3 without a busy timeout: every 'database is locked' counted as SQLITE_BUSY, with the stderr tail" {
	counter delete
	run --separate-stderr soak-harness -r "$RID" --db "$DB" -n 200 -w 4 -- \
	    sqlite3 "$DB" 'BEGIN; UPDATE t SET n = n + 1; INSERT INTO t SELECT n FROM t LIMIT 1; COMMIT;'
	printf '%s\n' "$output" > "$OUT"
	[ "$status" -eq 0 ]
	failed=$(count soak.exec '.result.status != "ok"')
	echo "# $failed of 200 runs failed" >&3
	[ "$failed" -gt 0 ]
	# Each failed run: one error line with its code, and its stderr tail.
	[ "$(count ast.cache.error '.result.code == "SQLITE_BUSY" and .result.message == "database is locked"')" -eq "$failed" ]
	[ "$(count soak.exec '.result.status != "ok" and (.x.stderr_tail | test("database is locked"))')" -eq "$failed" ]
	[ "$(soak-extract "$OUT" | jq -c .cache_errors)" = "{\"SQLITE_BUSY\":$failed}" ]
}

@test "stderr with bad bytes, 4 MiB of it, or a character cut by the window: bounded, valid JSON, the code found" {
	for noise in bytes:SQLITE_IOERR mega:SQLITE_CORRUPT cut:SQLITE_BUSY; do
		run --separate-stderr soak-harness -r "$RID" -n 1 -w 1 -- \
		    "$FIX/noisy-cli" "${noise%%:*}"
		printf '%s\n' "$output" > "$OUT"
		[ "$status" -eq 0 ]
		# Every line parses; the tail is at most 512 bytes.
		[ "$(jq -c . "$OUT" | wc -l)" -eq "$(wc -l < "$OUT")" ]
		[ "$(jq -r 'select(.cmd == "ast.cache.error") | .result.code' "$OUT")" = "${noise#*:}" ]
		tail=$(jq -j 'select(.cmd == "soak.exec") | .x.stderr_tail' "$OUT" | wc -c)
		[ "$tail" -gt 0 ]
		[ "$tail" -le 512 ]
	done
	# The bad bytes came through as U+FFFD, the NUL escaped.
	run --separate-stderr soak-harness -r "$RID" -n 1 -w 1 -- "$FIX/noisy-cli" bytes
	[[ "$output" == *'"stderr_tail":"bad \ufffd\ufffd nul \u0000 bell \u0007 tab\t\nError: disk I/O error\n\ufffd\n"'* ]] ||
	    [[ "$output" == *'"stderr_tail":"bad '$'\xef\xbf\xbd\xef\xbf\xbd'' nul \u0000 bell \u0007 tab\t\nError: disk I/O error\n'$'\xef\xbf\xbd''\n"'* ]]
	# The cut one starts on a whole euro sign.
	run --separate-stderr soak-harness -r "$RID" -n 1 -w 1 -- "$FIX/noisy-cli" cut
	printf '%s\n' "$output" > "$OUT"
	[ "$(jq -r 'select(.cmd == "soak.exec") | .x.stderr_tail' "$OUT" | head -c 3)" = '€' ]
}

@test "--db that never appears: integrity says missing, the gate fails closed, no sample saw it" {
	run --separate-stderr soak-harness -r "$RID" -n 4 -w 2 --db "$T/nodir/c.db" -- true
	printf '%s\n' "$output" > "$OUT"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'select(.cmd == "ast.cache.integrity_check") | [.result.status, .result.message]' "$OUT")" = \
	    "[\"missing\",\"$T/nodir/c.db does not exist\"]" ]
	[ "$(jq -r 'select(.cmd == "soak.db.info") | .result.status' "$OUT")" = missing ]
	[ "$(jq -s 'map(select(.cmd == "soak.db.sample") | .result.present) | add' "$OUT")" -eq 0 ]
	[ ! -e "$T/nodir" ]
	gate --min-warm-hits 0
	[ "$status" -eq 1 ]
	[[ "$output" == *'FAIL integrity_check: "missing" != "ok"'* ]]
}

@test "--db made by the command during the run: sampled from when it appears" {
	run --separate-stderr soak-harness -r "$RID" -d 2 -w 1 --db "$T/late/c.db" -- \
	    sh -c 'sleep 0.6; mkdir -p late; sqlite3 late/c.db "CREATE TABLE IF NOT EXISTS t (n); INSERT INTO t VALUES (1)"'
	printf '%s\n' "$output" > "$OUT"
	[ "$status" -eq 0 ]
	[ "$(jq -s 'map(select(.cmd == "soak.db.sample") | .result) | (.[0].present < .[0].samples) and (.[-1].present == .[-1].samples)' "$OUT")" = true ]
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = ok ]
	[ "$(soak-extract "$OUT" | jq '.db.bytes_end > 0')" = true ]
}

@test "--db a folder or a text file at the end: integrity says what it is, nothing touched, the gate fails" {
	mkdir "$T/dir"
	touch "$T/dir/keep"
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 1 --db "$T/dir" -- true
	printf '%s\n' "$output" > "$OUT"
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = "not a regular file" ]
	[ -f "$T/dir/keep" ]
	[ "$(ls -A "$T/dir")" = keep ]
	gate --min-warm-hits 0
	[ "$status" -eq 1 ]
	printf 'notes, not a database\n' > "$T/notes.txt"
	sum=$(sha256sum < "$T/notes.txt")
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 1 --chaos-kill 1 --db "$T/notes.txt" -- sleep 0.2
	printf '%s\n' "$output" > "$OUT"
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = "not a database" ]
	[ "$(jq -r 'select(.cmd == "soak.db.info") | .result.status' "$OUT")" = "not a database" ]
	[ "$(sha256sum < "$T/notes.txt")" = "$sum" ]
	[ "$(ls -A "$T" | grep -c notes)" -eq 1 ]
	gate --min-warm-hits 0
	[ "$status" -eq 1 ]
}

@test "--chaos-kill without --db: kills at random moments inside runs, each run again" {
	run --separate-stderr soak-harness -r "$RID" -n 40 -w 2 --chaos-kill 3 -- sleep 0.05
	printf '%s\n' "$output" > "$OUT"
	[ "$status" -eq 0 ]
	[ "$(count soak.exec '.x.chaos and .x.chaos_state == "busy" and .result.signal == 9')" -eq 3 ]
	[ "$(count soak.exec '.result.status == "ok"')" -eq 40 ]
	[ "$(count soak.db.sample)" -eq 0 ]
}

@test "--chaos-kill with --telemetry: the lines a killed run wrote still pass through" {
	tel="$T/tel.jsonl"
	: > "$tel"
	run --separate-stderr soak-harness -r "$RID" -n 30 -w 2 --chaos-kill 3 \
	    --telemetry "$tel" -- sh -c 'printf "{\"run_id\":\"%s\",\"cmd\":\"tool.op\",\"x\":{\"op\":%s}}\n" "$SOAK_RUN_ID" "$SOAK_OP" >> tel.jsonl; sleep 0.1'
	printf '%s\n' "$output" > "$OUT"
	[ "$status" -eq 0 ]
	[ "$(count soak.exec '.x.chaos')" -eq 3 ]
	# 30 runs wrote a line each, and so did a killed one that got that
	# far; every line that reached the file came through.
	n=$(wc -l < "$tel")
	[ "$n" -ge 30 ]
	[ "$n" -le 33 ]
	[ "$(count tool.op)" -eq "$n" ]
	[ "$(jq -r 'select(.cmd == "soak.telemetry") | .result.lines_passed' "$OUT")" -eq "$n" ]
}

@test "samples: one line a second at most, however often it samples; db.info after the run" {
	counter wal
	bump -d 2 -w 2 --sample-ms 10
	[ "$status" -eq 0 ]
	n=$(count soak.db.sample)
	samples=$(jq -s 'map(select(.cmd == "soak.db.sample") | .result.samples) | add' "$OUT")
	echo "# $n lines, $samples samples" >&3
	[ "$n" -ge 2 ]
	[ "$n" -le 4 ]
	[ "$samples" -ge 100 ]
	[ "$(jq -c 'select(.cmd == "soak.db.info") | .result | [.status, .page_size, .journal_mode]' "$OUT")" = '["ok",4096,"wal"]' ]
	bump -n 4 -w 1 --sample-ms 0
	[ "$(count soak.db.sample)" -eq 0 ]
	[ "$(head -1 "$OUT" | jq .args.sample_ms)" -eq 0 ]
}

@test "run.start records the machine and the database's filesystem" {
	counter delete
	bump -n 2 -w 1
	[ "$(head -1 "$OUT" | jq -c '.args.env | [.host, .kernel, .cpus, (.loadavg | length), .fs_path, .fs_trusted, (.fs_free_bytes > 0)]')" = \
	    "[\"$(uname -n)\",\"$(uname -r)\",$(nproc),3,\"$T\",true,true]" ]
	[ "$(head -1 "$OUT" | jq -r '.args.env.fs_type')" != unknown ]
	[ "$(head -1 "$OUT" | jq -c .warnings)" = '[]' ]
	[ "$(soak-extract "$OUT" | jq -c '.env | [.host, .cpus, .fs_warning]')" = "[\"$(uname -n)\",$(nproc),null]" ]
}
