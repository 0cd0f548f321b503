#!/usr/bin/env bats
# Every alarm rings: a fault of each kind, made from outside the harness
# (SQLite triggers and a damaged schema written with the sqlite3 shell, a
# line dropped in the pipe, a worker killed, a lock held elsewhere), goes
# through soak-harness | soak-extract | soak-gate, and the gate fails on
# that fault's criterion and on no other.

bats_require_minimum_version 1.5.0

setup() {
	SEG="$BATS_TEST_TMPDIR/seg"
	DB="$BATS_TEST_TMPDIR/cache/c.db"
	OUT="$BATS_TEST_TMPDIR/out.jsonl"
	RID="net_${BATS_TEST_NUMBER}_$$_$RANDOM"
	mkdir -p "$SEG"
	cp "$SOAK_TOP"/tests/harness/data/*.py "$SOAK_TOP"/tests/harness/data/*.c \
	    "$SEG/"
	unset OPS WORKERS RUN_ID SEGMENT
}

# soak [ARGS...]: a run of every file of the copy, events in $OUT.
soak() {
	soak-harness -s "$SEG" --db "$DB" -r "$RID" --files 100 --seed 7 \
	    "$@" > "$OUT"
}

# prepared SQL: a cache made by a short run, emptied, then SQL applied.
prepared() {
	soak -n 2 -w 1
	sqlite3 "$DB" "DELETE FROM cache; $1"
}

# gate_fails LINE: the gate on $OUT exits 1 and LINE is its one FAIL line.
gate_fails() {
	run --separate-stderr bash -c 'soak-extract "$1" | soak-gate' _ "$OUT"
	[ "$status" -eq 1 ]
	[ "$(grep '^FAIL ' <<< "$output" | grep -v '^FAIL (')" = "$1" ]
}

# The trigger matches the keys of one file only, so the other files hit.
EDGE="NEW.key LIKE '%/edge.py:%'"

@test "a write lost after its commit: verify.lost 1, the gate fails on it" {
	prepared "CREATE TRIGGER lose AFTER INSERT ON cache WHEN $EDGE
	    BEGIN DELETE FROM cache WHERE key = NEW.key; END;"
	soak -n 60 -w 2 --keep
	[ "$(jq -c 'select(.cmd == "soak.verify") | .result |
	    [.status, .keys_written - .keys_present, .lost, .corrupt]' \
	    "$OUT")" = '["failed",1,1,0]' ]
	[ "$(soak-extract "$OUT" | jq -c .verify)" = \
	    '{"keys_written":6,"keys_present":5,"lost":1,"corrupt":0}' ]
	gate_fails 'FAIL verify.lost: 1 != 0'
}

@test "a value changed after its commit: verify.corrupt 1, the gate fails on it" {
	prepared "CREATE TRIGGER spoil AFTER INSERT ON cache WHEN $EDGE
	    BEGIN UPDATE cache SET value = '[]' WHERE key = NEW.key; END;"
	soak -n 60 -w 2 --keep
	[ "$(jq -c 'select(.cmd == "soak.verify") | .result |
	    [.status, .lost, .corrupt]' "$OUT")" = '["failed",0,1]' ]
	gate_fails 'FAIL verify.corrupt: 1 != 0'
}

@test "a damaged index: integrity_check names it, the gate fails on it" {
	soak -n 30 -w 2
	# The index's definition no longer matches what its pages hold.
	sqlite3 "$DB" "PRAGMA writable_schema = ON;
	    UPDATE sqlite_schema SET sql =
	    'CREATE INDEX idx_cache_last_access ON cache(value_bytes)'
	    WHERE name = 'idx_cache_last_access';"
	soak -n 20 -w 2 --keep
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") |
	    .result.status' "$OUT")" = \
	    'row 1 missing from index idx_cache_last_access' ]
	gate_fails 'FAIL integrity_check: "row 1 missing from index idx_cache_last_access" != "ok"'
}

@test "lines lost between harness and extract: events.lost 1, the gate fails on it" {
	soak -n 20 -w 2
	sed -i 5d "$OUT"
	[ "$(soak-extract "$OUT" | jq -c .events)" = \
	    "{\"expected\":$(($(wc -l < "$OUT"))),\"seen\":$(($(wc -l < "$OUT") - 1)),\"lost\":1}" ]
	gate_fails 'FAIL events.lost: 1 != 0'
}

@test "a worker that dies: workers.died 1, the gate fails on it" {
	soak-harness -s "$SEG" --db "$DB" -r "$RID" -d 2 -w 2 > "$OUT" 2>/dev/null &
	pid=$!
	wpid=
	for _ in $(seq 200); do
		wpid=$(pgrep -f -- "worker 2 run $RID" || true)
		[ -n "$wpid" ] && grep -q '"cmd":"ast.symbols"' "$OUT" && break
		sleep 0.01
	done
	kill -KILL "$wpid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 1 ]
	[ "$(tail -1 "$OUT" | jq -c '.result | [.status, .workers_died]')" = '["failed",1]' ]
	[ "$(soak-extract "$OUT" | jq -c '[.workers.died, .workers.killed]')" = '[1,0]' ]
	# A duration run has no operation target: give the one it made.
	ops=$(soak-extract "$OUT" | jq .ops_completed)
	run --separate-stderr bash -c 'soak-extract "$1" | soak-gate --min-ops "$2"' _ "$OUT" "$ops"
	[ "$status" -eq 1 ]
	[ "$(grep '^FAIL ' <<< "$output" | grep -v '^FAIL (')" = 'FAIL workers.died: 1 != 0' ]
}

@test "SQLite refusing writes: cache_errors counts them, ops_completed fails" {
	prepared "CREATE TRIGGER refuse BEFORE INSERT ON cache WHEN $EDGE
	    BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END;"
	soak -n 60 -w 2 --keep
	n=$(jq -c 'select(.cmd == "ast.cache.error" and
	    .result.code == "SQLITE_CONSTRAINT_TRIGGER")' "$OUT" | wc -l)
	[ "$n" -gt 0 ]
	[ "$(soak-extract "$OUT" | jq -c '[.cache_errors, .ops_failed, .ops_completed]')" = \
	    "[{\"SQLITE_CONSTRAINT_TRIGGER\":$n},$n,$((60 - n))]" ]
	gate_fails "FAIL ops_completed: $((60 - n)) < 60"
}

@test "the lock held elsewhere past the timeout: lock_timeout counted, the gate fails on it" {
	soak -n 2 -w 1
	flock "$DB.lock" sleep 3 &
	holder=$!
	sleep 0.2
	soak -n 4 -w 2 --keep --lock-timeout-ms 100
	wait "$holder"
	[ "$(jq -c 'select(.cmd == "ast.cache.lock_timeout")' "$OUT" | wc -l)" -eq 4 ]
	[ "$(soak-extract "$OUT" | jq -c '[.lock_timeout, .ops_completed]')" = '[4,0]' ]
	run --separate-stderr bash -c 'soak-extract "$1" | soak-gate' _ "$OUT"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL lock_timeout: 4 > 1"* ]]
}
