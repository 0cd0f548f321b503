#!/usr/bin/env bats
# soak-harness: the built-in workload's event stream, OPS spreading, replay,
# the clean refusal, symbol extraction golden files, signals, a closed
# stdout, exit statuses. Every run works on a copy of data/ in a temp dir.

bats_require_minimum_version 1.5.0

setup() {
	DATA="$BATS_TEST_DIRNAME/data"
	SEG="$BATS_TEST_TMPDIR/seg"
	DB="$BATS_TEST_TMPDIR/cache/c.db"
	OUT="$BATS_TEST_TMPDIR/out.jsonl"
	RID="bats_${BATS_TEST_NUMBER}_$$_$RANDOM"
	mkdir -p "$SEG/sub"
	cp "$DATA"/*.py "$SEG/"
	cp "$DATA"/*.c "$SEG/sub/"
	unset OPS WORKERS RUN_ID SEGMENT
}

# harness [ARGS...]: a run on the copy, stdout in $OUT, status in $status.
harness() {
	run --separate-stderr soak-harness -s "$SEG" --db "$DB" -r "$RID" "$@"
	printf '%s\n' "$output" > "$OUT"
}

# count CMD: the number of events of kind CMD in $OUT.
count() {
	jq -c --arg c "$1" 'select(.cmd == $c)' "$OUT" | wc -l
}

# framed N: $OUT is one whole run of N lines: run.start first, run.end
# last, events_emitted counting every line before it, no line lost.
framed() {
	local n
	n=$(wc -l < "$OUT")
	[ "$n" -eq "$1" ]
	[ "$(head -1 "$OUT" | jq -r .cmd)" = soak.run.start ]
	[ "$(tail -1 "$OUT" | jq -r .cmd)" = soak.run.end ]
	[ "$(tail -1 "$OUT" | jq .result.events_emitted)" -eq $((n - 1)) ]
	[ "$(jq -r .run_id "$OUT" | sort -u)" = "$RID" ]
	# Every line is one object with the base keys.
	[ "$(jq -c 'select(has("ts") and has("run_id") and has("segment_id")
	    and has("cmd") and has("args") and has("result")
	    and (.timing_ms | type) == "number" and has("warnings")
	    and (.x.worker | type) == "number" and (.x.seq | type) == "number")' \
	    "$OUT" | wc -l)" -eq "$n" ]
}

# gone: no process of this run is left (workers show the run id in ps).
gone() {
	! pgrep -f -- "$RID" || false
}

@test "OPS=10 WORKERS=2: framing, counts, integrity ok, nothing lost" {
	OPS=10 WORKERS=2 harness
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(count ast.symbols)" -eq 10 ]
	[ "$(count soak.worker.exit)" -eq 2 ]
	[ "$(count ast.cache.integrity_check)" -eq 1 ]
	[ "$(count soak.verify)" -eq 1 ]
	hits=$(count ast.cache.hit)
	misses=$(count ast.cache.miss)
	writes=$(count ast.cache.write)
	[ $((hits + misses)) -eq 10 ]
	[ "$writes" -eq "$misses" ]
	waits=$(count ast.cache.lock_wait)
	samples=$(count soak.db.sample)
	[ "$samples" -ge 1 ]
	[ "$(count soak.db.info)" -eq 1 ]
	framed $((1 + 10 + 10 + writes + waits + 2 + samples + 1 + 1 + 1 + 1))
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = ok ]
	[ "$(jq -c 'select(.cmd == "soak.verify") | .result | [.lost, .corrupt]' "$OUT")" = "[0,0]" ]
	[ "$(jq -c 'select(.cmd == "soak.verify") | .result.keys_written' "$OUT")" -ge 1 ]
	[ "$(jq -r 'select(.cmd == "soak.worker.exit") | .result.status' "$OUT" | sort -u)" = ok ]
	[ "$(jq -r 'select(.cmd == "ast.symbols") | .result.status' "$OUT" | sort -u)" = ok ]
	[ "$(tail -1 "$OUT" | jq -r .result.status)" = ok ]
	# Each worker numbers its own lines 1, 2, ... with no gap.
	jq -s -e 'map(select(.x.worker > 0)) | group_by(.x.worker)
	    | all(map(.x.seq) | sort == [range(1; length + 1)])' "$OUT"
}

@test "run.start records the configuration and the versions" {
	harness -n 3 -w 1 --seed 77 --files 2 --lock-timeout-ms 1500 \
	    --lock-wait-ms 5 --journal-mode wal --synchronous normal \
	    --busy-timeout-ms 900
	[ "$status" -eq 0 ]
	run jq -c 'select(.cmd == "soak.run.start") | .args
	    | [.ops, .workers, .duration, .seed, .run_id, .mode, .op_cmd,
	       .files, .files_used, .keep, .lock_timeout_ms, .lock_wait_ms,
	       .journal_mode, .synchronous, .busy_timeout_ms, .progress]' "$OUT"
	[ "$output" = "[3,1,null,77,\"$RID\",\"builtin\",\"ast.symbols\",2,2,false,1500,5,\"wal\",\"normal\",900,false]" ]
	[ "$(head -1 "$OUT" | jq -r .args.sqlite_version)" = "$(sqlite3 --version | cut -d' ' -f1)" ]
	[ "$(head -1 "$OUT" | jq -r .args.harness_version)" = 1.0.0 ]
	[ "$(head -1 "$OUT" | jq -r .args.segment)" = "$(cd "$SEG" && pwd -P)" ]
	[ "$(head -1 "$OUT" | jq -r .args.db)" = "$DB" ]
	[ "$(sqlite3 "$DB" 'PRAGMA journal_mode')" = wal ]
}

@test "OPS=7 WORKERS=3 runs 7 operations, spread 3, 2, 2" {
	OPS=7 WORKERS=3 harness
	[ "$status" -eq 0 ]
	[ "$(count ast.symbols)" -eq 7 ]
	run jq -s -c '[.[] | select(.cmd == "ast.symbols") | .x.worker]
	    | group_by(.) | map(length)' "$OUT"
	[ "$output" = "[3,2,2]" ]
	run jq -s -c '[.[] | select(.cmd == "soak.worker.exit") | .result.ops]
	    | sort' "$OUT"
	[ "$output" = "[2,2,3]" ]
}

@test "flags override the environment; more workers than operations" {
	OPS=50 WORKERS=5 harness -n 3 -w 4
	[ "$status" -eq 0 ]
	[ "$(count ast.symbols)" -eq 3 ]
	[ "$(count soak.worker.exit)" -eq 4 ]
	# A value an option overrides is never read, even one that is refused.
	OPS=x WORKERS=0 RUN_ID='a b' SOAK_SHARD=9 SEGMENT=/nonexistent \
	    harness -n 2 -w 1 --shard 1/1
	[ "$status" -eq 0 ]
	[ "$(count ast.symbols)" -eq 2 ]
	[ "$(jq -r .run_id "$OUT" | sort -u)" = "$RID" ]
	OPS=x harness -w 1
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: OPS: "x" is invalid (1 to 1000000000000)' ]
}

@test "OPS=200 WORKERS=4: 200 operations, integrity ok, lost 0, warm hits" {
	OPS=200 WORKERS=4 harness
	[ "$status" -eq 0 ]
	[ "$(count ast.symbols)" -eq 200 ]
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = ok ]
	[ "$(jq 'select(.cmd == "soak.verify") | .result.lost' "$OUT")" -eq 0 ]
	# 4 files: at most 4 first lookups per worker are cold.
	[ "$(count ast.cache.hit)" -ge 184 ]
	framed "$(wc -l < "$OUT")"
	# The same, as soak-extract sees it.
	command -v soak-extract >/dev/null
	run bash -c 'soak-extract "$1" | jq -c "[.ops_total, .ops_completed, .integrity_check, .verify.lost, .events.lost, (.cache_hits_warm > 0)]"' _ "$OUT"
	[ "$output" = '[200,200,"ok",0,0,true]' ]
}

@test "replay: the same seed gives the same key sequence per worker" {
	keys() {
		jq -s -c '[.[] | select(.cmd == "ast.symbols")] | group_by(.x.worker)
		    | map(sort_by(.x.seq) | map(.args.cache_key))' "$OUT"
	}
	harness -n 40 -w 2 --seed 42 --files 3
	[ "$status" -eq 0 ]
	a=$(keys)
	harness -n 40 -w 2 --seed 42 --files 3
	[ "$status" -eq 0 ]
	b=$(keys)
	harness -n 40 -w 2 --seed 43 --files 3
	[ "$status" -eq 0 ]
	c=$(keys)
	[ "$a" = "$b" ]
	[ "$a" != "$c" ]
	[ "$(jq -s -r '.[0].x.file_list | length' "$OUT")" -eq 3 ]
	[ "$(jq -r 'select(.cmd == "ast.symbols") | .args.cache_key' "$OUT" | sort -u | wc -l)" -eq 3 ]
}

@test "keys are SEGMENT:FILE:HASH16:1 of the file's content" {
	harness -n 4 -w 1 --files 1
	[ "$status" -eq 0 ]
	key=$(jq -r 'select(.cmd == "ast.symbols") | .args.cache_key' "$OUT" | head -1)
	file=$(jq -r 'select(.cmd == "ast.symbols") | .args.file' "$OUT" | head -1)
	seg=$(cd "$SEG" && pwd -P)
	hash=$(sha256sum "$SEG/$file" | cut -c1-16)
	[ "$key" = "$seg:$seg/$file:$hash:1" ]
	# The stored value is the extractor's output for that file.
	[ "$(sqlite3 "$DB" "SELECT value FROM cache WHERE key = '$key'")" = "$(soak-harness --symbols "$SEG/$file")" ]
	[ "$(sqlite3 "$DB" "SELECT value_bytes = length(value) FROM cache")" = 1 ]
	[ "$(jq 'select(.cmd == "ast.symbols") | .x.symbols_count' "$OUT" | sort -u)" -eq \
	    "$(soak-harness --symbols "$SEG/$file" | jq length)" ]
}

@test "the default cache is DIR/.soak/cache/ast_cache.db, left out of the files" {
	cp "$DATA/edge.py" "$BATS_TEST_TMPDIR/x.py"
	run --separate-stderr soak-harness -s "$SEG" -n 2 -w 1 -r "$RID"
	[ "$status" -eq 0 ]
	[ -f "$SEG/.soak/cache/ast_cache.db" ]
	[ "$(sqlite3 "$SEG/.soak/cache/ast_cache.db" 'SELECT count(*) FROM cache')" -ge 1 ]
	# A .py inside the cache's folder is never picked.
	cp "$DATA/edge.py" "$SEG/.soak/cache/trap.py"
	run --separate-stderr env SEGMENT="$SEG" soak-harness -n 30 -w 1 --files 100 -r "$RID"
	[ "$status" -eq 0 ]
	! grep -q trap.py <<<"$output" || false
}

@test "clean: an SQLite cache is removed first; --keep keeps it" {
	harness -n 2 -w 1
	[ "$status" -eq 0 ]
	sqlite3 "$DB" "INSERT INTO cache VALUES ('marker', '[]', 0, 0, 2)"
	harness -n 2 -w 1 --keep
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM cache WHERE key = 'marker'")" -eq 1 ]
	harness -n 2 -w 1
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM cache WHERE key = 'marker'")" -eq 0 ]
}

@test "a database that is not only a soak cache is never removed nor written, --keep or not" {
	mkdir -p "$(dirname "$DB")"
	sqlite3 "$DB" "CREATE TABLE users(id, name); INSERT INTO users VALUES (1, 'alice')"
	cp "$DB" "$BATS_TEST_TMPDIR/copy"
	for keep in "" --keep; do
		harness -n 2 $keep
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		verb=removing
		[ -z "$keep" ] || verb=using
		[ "$stderr" = "soak-harness: $DB: holds table users, not only a soak cache; not $verb it" ]
		cmp "$DB" "$BATS_TEST_TMPDIR/copy"
		[ "$(ls -A "$(dirname "$DB")")" = c.db ]
	done
	# A table named cache is not enough: it must have the cache's columns.
	rm "$DB"
	sqlite3 "$DB" "CREATE TABLE cache(key, value)"
	harness -n 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB: holds a table cache with other columns, not only a soak cache; not removing it" ]
	# A cache with a view or trigger of someone else's is no soak cache.
	rm "$DB"
	harness -n 2 -w 1
	sqlite3 "$DB" "CREATE VIEW mine AS SELECT key FROM cache"
	harness -n 2 -w 1
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB: holds view mine, not only a soak cache; not removing it" ]
}

@test "--keep: a journal without its cache is refused, and left, as the clean refuses it" {
	mkdir -p "$(dirname "$DB")"
	printf 'stale\n' > "$DB-journal"
	harness -n 2 --keep
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $DB-journal: exists without its database; not removing it" ]
	[ "$(cat "$DB-journal")" = stale ]
	[ ! -e "$DB" ]
}

@test "clean refusal: not an SQLite file, exit 2, file intact" {
	mkdir -p "$(dirname "$DB")"
	printf 'precious data\n' > "$DB"
	cp "$DB" "$BATS_TEST_TMPDIR/copy"
	harness -n 2
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $DB: not an SQLite database; not removing it" ]
	cmp "$DB" "$BATS_TEST_TMPDIR/copy"
	[ ! -e "$DB.lock" ]
}

@test "clean refusal: a link, exit 2, link and target intact" {
	mkdir -p "$(dirname "$DB")"
	sqlite3 "$BATS_TEST_TMPDIR/real.db" 'CREATE TABLE t(x)'
	ln -s "$BATS_TEST_TMPDIR/real.db" "$DB"
	harness -n 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB: not a regular file; not removing it" ]
	[ -L "$DB" ]
	[ "$(sqlite3 "$BATS_TEST_TMPDIR/real.db" 'SELECT count(*) FROM t')" -eq 0 ]
}

@test "clean refusal: a directory, exit 2, directory and content intact" {
	mkdir -p "$DB"
	printf 'precious\n' > "$DB/inside"
	harness -n 2
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $DB: not a regular file; not removing it" ]
	[ "$(cat "$DB/inside")" = precious ]
}

@test "--keep: a link, a directory or a non-SQLite file as the cache: exit 2, intact" {
	mkdir -p "$(dirname "$DB")"
	sqlite3 "$BATS_TEST_TMPDIR/real.db" 'CREATE TABLE t(x)'
	ln -s "$BATS_TEST_TMPDIR/real.db" "$DB"
	harness -n 2 --keep
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $DB: SQLITE_CANTOPEN_SYMLINK: unable to open database file" ]
	[ -L "$DB" ]
	[ "$(sqlite3 "$BATS_TEST_TMPDIR/real.db" 'SELECT count(*) FROM t')" -eq 0 ]
	rm "$DB"
	mkdir "$DB"
	harness -n 2 --keep
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB: SQLITE_CANTOPEN: unable to open database file" ]
	[ -d "$DB" ]
	rmdir "$DB"
	printf 'precious data\n' > "$DB"
	harness -n 2 --keep
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB: SQLITE_NOTADB: file is not a database" ]
	[ "$(cat "$DB")" = "precious data" ]
}

# The tests run as root, for whom a mode-0555 directory is still writable;
# /proc refuses new files to root too, so it stands for the read-only
# directory.
@test "a cache in a read-only directory: exit 2, the path named" {
	run --separate-stderr soak-harness -s "$SEG" -n 2 \
	    --db "/proc/soak-$$-c.db"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	# The lock file is made first, so it is the path named.
	[[ "$stderr" == "soak-harness: /proc/soak-$$-c.db.lock: "* ]]
	[ ! -e "/proc/soak-$$-c.db" ]
}

@test "a lock file that cannot be created: exit 2, the path named, cache intact" {
	mkdir -p "$(dirname "$DB")" "$DB.lock"
	sqlite3 "$DB" 'CREATE TABLE marker(x); INSERT INTO marker VALUES (1);'
	harness -n 2 --keep
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $DB.lock: Is a directory" ]
	[ -d "$DB.lock" ]
	[ "$(sqlite3 "$DB" 'SELECT count(*) FROM marker')" -eq 1 ]
}

@test "a non-blocking stdout whose reader is slow: the run waits, nothing lost" {
	# The reader sets O_NONBLOCK on the pipe and reads only after 2 s, by
	# when 400 operations have filled it many times over.
	run --separate-stderr perl -e '
	    use Fcntl;
	    pipe(R, W) or die;
	    fcntl(W, F_SETFL, fcntl(W, F_GETFL, 0) | O_NONBLOCK) or die;
	    my $pid = fork() // die;
	    if ($pid == 0) {
		close R;
		open(STDOUT, ">&", \*W) or die;
		exec @ARGV or die;
	    }
	    close W;
	    sleep 2;
	    local $/;
	    print <R>;
	    waitpid($pid, 0);
	    exit($? >> 8);' soak-harness -s "$SEG" --db "$DB" -r "$RID" -n 400 -w 2
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	printf '%s\n' "$output" > "$OUT"
	[ "$(wc -c < "$OUT")" -gt 131072 ]
	framed "$(wc -l < "$OUT")"
}

@test "a lock file that cannot be opened refuses the run before a cache is made" {
	mkdir -p "$DB.lock"
	harness -n 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB.lock: Is a directory" ]
	[ ! -e "$DB" ]
	[ ! -e "$DB-journal" ]
	[ ! -e "$DB-wal" ]
	[ "$(ls -A "$(dirname "$DB")")" = "$(basename "$DB").lock" ]
}

@test "a cache that cannot be made takes the lock file it made with it" {
	mkdir -p "$DB"
	harness -n 2 --keep
	[ "$status" -eq 2 ]
	[ ! -e "$DB.lock" ]
	rmdir "$DB"
	# A lock file that was there stays.
	mkdir -p "$DB"
	: > "$DB.lock"
	harness -n 2 --keep
	[ "$status" -eq 2 ]
	[ -f "$DB.lock" ]
}

@test "a refused run removes the folders it made for the cache, and only those" {
	T="$BATS_TEST_TMPDIR/made"
	mkdir -p "$T/keep"
	long=$(printf 'x%.0s' $(seq 1 252))
	run --separate-stderr soak-harness -s "$SEG" -n 1 --db "$T/new/sub/$long.db"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $T/new/sub/$long.db.lock: File name too long" ]
	run --separate-stderr soak-harness -s "$SEG" -n 1 --db "$T/a/b/c/"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $T/a/b/c/: SQLITE_CANTOPEN: unable to open database file" ]
	run --separate-stderr soak-harness -s "$SEG" -n 1 --db "$T/keep/q/"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$(cd "$T" && find . | sort | tr '\n' ' ')" = ". ./keep " ]
	# Back through "..": the folder that was there stays, whatever else.
	run --separate-stderr soak-harness -s "$SEG" -n 1 --db "$T/n/../keep/$long.db"
	[ "$status" -eq 2 ]
	[ -d "$T/keep" ]
}

@test "clean refusal: a journal without its database would be replayed into a new one" {
	mkdir -p "$(dirname "$DB")"
	printf 'stale\n' > "$DB-journal"
	harness -n 2
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $DB-journal: exists without its database; not removing it" ]
	[ "$(cat "$DB-journal")" = stale ]
	[ ! -e "$DB" ]
}

@test "clean refusal: a companion that is not a regular file" {
	mkdir -p "$(dirname "$DB")" "$DB-wal"
	: > "$DB"
	harness -n 2
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB-wal: not a regular file; not removing it" ]
	[ -f "$DB" ]
	[ -d "$DB-wal" ]
}

@test "symbol extraction golden files on real .py and .c files" {
	cd "$DATA"
	for f in *.py *.c; do
		run --separate-stderr soak-harness --symbols "$f"
		[ "$status" -eq 0 ]
		diff -u "$f.json" <(printf '%s\n' "$output")
	done
}

@test "a lock held elsewhere: lock_wait measured; held too long: lock_timeout" {
	harness -n 1 -w 1
	[ "$status" -eq 0 ]
	flock "$DB.lock" -c "touch '$BATS_TEST_TMPDIR/held'; sleep 1" >/dev/null 2>&1 &
	holder=$!
	while [ ! -e "$BATS_TEST_TMPDIR/held" ]; do sleep 0.01; done
	harness -n 1 -w 1 --keep
	wait "$holder"
	[ "$status" -eq 0 ]
	[ "$(count ast.cache.lock_wait)" -eq 1 ]
	[ "$(jq -r 'select(.cmd == "ast.cache.lock_wait") | .args.stage' "$OUT")" = lookup ]
	[ "$(jq -r 'select(.cmd == "ast.symbols") | .result.status' "$OUT")" = ok ]

	rm "$BATS_TEST_TMPDIR/held"
	flock "$DB.lock" -c "touch '$BATS_TEST_TMPDIR/held'; sleep 3" >/dev/null 2>&1 &
	holder=$!
	while [ ! -e "$BATS_TEST_TMPDIR/held" ]; do sleep 0.01; done
	harness -n 2 -w 1 --keep --lock-timeout-ms 50
	kill "$holder" 2>/dev/null || true
	wait "$holder" || true
	[ "$status" -eq 0 ]
	[ "$(count ast.cache.lock_timeout)" -eq 2 ]
	[ "$(jq -r 'select(.cmd == "ast.symbols") | .result.status' "$OUT" | sort -u)" = lock_timeout ]
	[ "$(count ast.cache.hit)" -eq 0 ]
}

@test "SIGINT: workers stop, run.end interrupted, exit 130, no process left" {
	soak-harness -s "$SEG" --db "$DB" -r "$RID" -d 60 -w 2 > "$OUT" 2>/dev/null &
	pid=$!
	for _ in $(seq 200); do grep -q '"cmd":"ast.symbols"' "$OUT" && break; sleep 0.05; done
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 130 ]
	gone
	[ "$(tail -1 "$OUT" | jq -r .result.status)" = interrupted ]
	[ "$(tail -1 "$OUT" | jq .result.signal)" -eq 2 ]
	framed "$(wc -l < "$OUT")"
	[ "$(count soak.worker.exit)" -eq 2 ]
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = ok ]
}

@test "SIGTERM: exit 143 with run.end interrupted" {
	soak-harness -s "$SEG" --db "$DB" -r "$RID" -d 60 -w 2 > "$OUT" 2>/dev/null &
	pid=$!
	for _ in $(seq 200); do grep -q '"cmd":"ast.symbols"' "$OUT" && break; sleep 0.05; done
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 143 ]
	gone
	[ "$(tail -1 "$OUT" | jq -r .result.status)" = interrupted ]
	framed "$(wc -l < "$OUT")"
}

@test "| head -1: the first line only, a quiet exit 1, no process left" {
	run --separate-stderr bash -c 'timeout 30 soak-harness -s "$1" --db "$2" -r "$3" -d 60 -w 4 | head -1
	    echo "${PIPESTATUS[0]}" >&2' _ "$SEG" "$DB" "$RID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .cmd <<<"$output")" = soak.run.start ]
	[ "$stderr" = 1 ]
	gone
}

@test "a worker killed: worker.exit says signal, run.end failed, exit 1, and stderr why" {
	soak-harness -s "$SEG" --db "$DB" -r "$RID" -d 2 -w 2 > "$OUT" 2> "$BATS_TEST_TMPDIR/err" &
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
	gone
	run jq -c 'select(.cmd == "soak.worker.exit") | .result
	    | select(.status != "ok") | [.status, .code, .signal]' "$OUT"
	[ "$output" = '["signal",null,9]' ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "soak-harness: worker 2 (pid $wpid): killed by signal 9" ]
	[ "$(tail -1 "$OUT" | jq -c '.result | [.status, .workers_died]')" = '["failed",1]' ]
	framed "$(wc -l < "$OUT")"
}

@test "a write error on stdout: message and exit 1" {
	run --separate-stderr bash -c 'soak-harness -s "$1" --db "$2" -n 4 > /dev/full' _ "$SEG" "$DB"
	[ "$status" -eq 1 ]
	[ "$stderr" = "soak-harness: stdout: No space left on device" ]
}

@test "--duration alone: unlimited operations until the time is up" {
	harness -d 1 -w 2
	[ "$status" -eq 0 ]
	[ "$(head -1 "$OUT" | jq -c '[.args.ops, .args.duration]')" = "[null,1]" ]
	[ "$(count ast.symbols)" -ge 1 ]
	framed "$(wc -l < "$OUT")"
}

@test "--progress: progress on stderr, only events on stdout" {
	harness -n 20 -w 2 --progress
	[ "$status" -eq 0 ]
	grep -Eq '^soak-harness: 20 ops, [0-9.]+ ops/s, [0-9]+ hits, [0-9]+ misses, [0-9]+ lock waits, ETA 0s$' <<<"$stderr"
	framed "$(wc -l < "$OUT")"
}

@test "usage errors exit 2 and name the option and its range" {
	run --separate-stderr soak-harness -n 0
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'soak-harness: --ops: "0" is too small (1 to 1000000000000)' ]
	[ -z "$output" ]
	run --separate-stderr env OPS=ten soak-harness
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'soak-harness: OPS: "ten" is invalid (1 to 1000000000000)' ]
	run --separate-stderr soak-harness -w 100000
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'soak-harness: --workers: "100000" is too large (1 to 256)' ]
	run --separate-stderr soak-harness --seed 9007199254740992
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'soak-harness: --seed: "9007199254740992" is too large (0 to 9007199254740991)' ]
	run --separate-stderr soak-harness --journal-mode memory
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'soak-harness: --journal-mode: "memory" is not one of the choices' ]
	run --separate-stderr soak-harness -r 'a b'
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: --run-id: "a b" must be 1 to 200 printable ASCII characters without blanks' ]
	run --separate-stderr env RUN_ID=é soak-harness
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: RUN_ID: "é" must be 1 to 200 printable ASCII characters without blanks' ]
	# An empty path is refused, not taken for the working folder.
	for o in --db --log-dir --telemetry -s; do
		run --separate-stderr soak-harness "$o" '' -n 1 -w 1 -- true
		[ "$status" -eq 2 ]
		[ "$stderr" = "soak-harness: $o: empty path" ]
		[ -z "$output" ]
	done
	run --separate-stderr soak-harness --symbols ''
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: --symbols: empty path" ]
	[ -z "$output" ]
	run --separate-stderr soak-harness --bogus
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-harness: unrecognized option '--bogus'" ]
	[ "$(sed -n 2p <<<"$stderr")" = 'usage: soak-harness [-n ops] [-w workers] [-d seconds] [-r run_id] [-s dir]' ]
	run --separate-stderr soak-harness --symbols a.py extra
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'soak-harness: --symbols a.py takes no other operand: extra' ]
	[ "$(sed -n 2p <<<"$stderr")" = 'usage: soak-harness [-n ops] [-w workers] [-d seconds] [-r run_id] [-s dir]' ]
	mkdir "$BATS_TEST_TMPDIR/d.py"
	run --separate-stderr soak-harness --symbols "$BATS_TEST_TMPDIR/d.py"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $BATS_TEST_TMPDIR/d.py: Is a directory" ]
}

@test "a segment that is missing or has no source files: exit 2" {
	run --separate-stderr soak-harness -s "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $BATS_TEST_TMPDIR/none: No such file or directory" ]
	mkdir "$BATS_TEST_TMPDIR/empty"
	run --separate-stderr soak-harness -s "$BATS_TEST_TMPDIR/empty" --db "$DB"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $(cd "$BATS_TEST_TMPDIR/empty" && pwd -P): no .py, .c or .h files to soak" ]
	[ -z "$output" ]
}

@test "a source folder whose path holds a newline: exit 2, nothing made" {
	nl="$BATS_TEST_TMPDIR/a
b"
	mkdir "$nl"
	cp "$DATA"/*.py "$nl"/
	run --separate-stderr soak-harness -s "$nl"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $nl: a source folder whose path holds a control character cannot key a cache" ]
	[ -z "$output" ]
	[ ! -e "$nl/.soak" ]
}

@test "pipeline: OPS=10 WORKERS=2 soak-harness | soak-extract | soak-gate exits 0" {
	command -v soak-extract >/dev/null
	cd "$SEG"
	run bash -c 'OPS=10 WORKERS=2 soak-harness | soak-extract | soak-gate'
	[ "$status" -eq 0 ]
	[ "${lines[${#lines[@]}-1]}" = PASS ]
}

@test "a cache that cannot be created: exit 2, nothing on stdout" {
	: > "$BATS_TEST_TMPDIR/file"
	run --separate-stderr soak-harness -s "$SEG" --db "$BATS_TEST_TMPDIR/file/c.db" -n 2
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $BATS_TEST_TMPDIR/file: Not a directory" ]
}

@test "scripts/soak-run: gate lines, gate status, the evidence record" {
	command -v soak-extract >/dev/null
	ev="$BATS_TEST_TMPDIR/ev"
	run --separate-stderr env SOAK_SEGMENT="$SEG" SOAK_EVIDENCE="$ev" \
	    OPS=20 WORKERS=2 RUN_ID="$RID" "$SOAK_TOP/scripts/soak-run"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 'PASS integrity_check: "ok"' ]
	[ "${lines[${#lines[@]}-1]}" = PASS ]
	d="$ev/$RID"
	[ "$(jq -c 'select(.cmd == "ast.symbols")' "$d/events.jsonl" | wc -l)" -eq 20 ]
	[ "$(tail -1 "$d/events.jsonl" | jq .result.events_emitted)" -eq $(($(wc -l < "$d/events.jsonl") - 1)) ]
	grep -q '^soak-harness: 20 ops, ' "$d/harness.log"
	[ "$(jq -r .ops_total "$d/metrics.json")" -eq 20 ]
	[ "$(jq -r .verdict "$d/verdict.json")" = PASS ]
	m="$d/manifest.json"
	[ "$(jq -r .run_id "$m")" = "$RID" ]
	[ "$(jq -r .status "$m")" = pass ]
	[ "$(readlink "$ev/latest")" = "$RID" ]
	[ "$(jq -c .exit_status "$m")" = '{"harness":0,"extract":0,"gate":0,"plot":0}' ]
	[ "$(jq -r '.versions["soak-harness"]' "$m")" = "soak-harness 1.0.0" ]
	[ "$(jq -r .versions.sqlite_library "$m")" = "$(sqlite3 --version | cut -d' ' -f1)" ]
	[ "$(jq -r .segment "$m")" = "$(cd "$SEG" && pwd -P)" ]
	jq -e '.started <= .ended' "$m"
	jq -e '.commands.harness | startswith("soak-harness --progress -r ")' "$m"
	# A run under 30 s: buckets of a thirtieth of it, 1 ms at least.
	ms=$(grep -F '"cmd":"soak.run.end"' "$d/events.jsonl" | jq '.timing_ms | floor')
	want=$((ms >= 30 ? ms / 30 : 1))
	[ "$(jq -r .commands.extract "$m")" = "soak-extract --interval $want events.jsonl > metrics.json" ]
	[ "$(jq .timeline_interval_ms "$d/metrics.json")" -eq "$want" ]
	pics="db-size.png db-size.svg hit-rate.png hit-rate.svg latency-cdf.png latency-cdf.svg timeline.png timeline.svg"
	[ "$(jq -r '.sha256 | keys | join(" ")' "$m")" = "$(printf '%s\n' events.jsonl harness.log metrics.json verdict.json $pics | sort | tr '\n' ' ' | sed 's/ $//')" ]
	for f in events.jsonl harness.log metrics.json verdict.json $pics; do
		[ "$(jq -r --arg f "$f" '.sha256[$f]' "$m")" = "$(sha256sum < "$d/$f" | cut -d' ' -f1)" ]
	done
}

@test "scripts/soak-run: --interval only for a run_ms from 0 to under 30 s" {
	ev="$BATS_TEST_TMPDIR/ev"
	soak-harness -n 4 -w 1 -s "$SEG" --db "$BATS_TEST_TMPDIR/c.db" > "$BATS_TEST_TMPDIR/real.jsonl"
	# A harness that replays those events with soak.run.end's timing_ms
	# set to $MS.
	mkdir "$BATS_TEST_TMPDIR/bin"
	cat > "$BATS_TEST_TMPDIR/bin/soak-harness" <<-EOF
	#!/bin/sh
	[ "\$1" = --version ] && exec "$(command -v soak-harness)" --version
	jq -c --argjson ms "\$MS" 'if .cmd == "soak.run.end" then .timing_ms = \$ms else . end' "$BATS_TEST_TMPDIR/real.jsonl"
	EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/soak-harness"
	for c in '29999 --interval 999 ' '30000 ' '1e300 ' '-5 ' '"258" ' '0 --interval 1 '; do
		ms=${c%% *} want=${c#* }
		run --separate-stderr env PATH="$BATS_TEST_TMPDIR/bin:$PATH" MS="$ms" \
		    SOAK_SEGMENT="$SEG" SOAK_EVIDENCE="$ev" RUN_ID="r$RANDOM" "$SOAK_TOP/scripts/soak-run"
		m="$ev/latest/manifest.json"
		[ "$(jq -r .commands.extract "$m")" = "soak-extract ${want}events.jsonl > metrics.json" ]
		[[ "$stderr" != *"expression expected"* ]]
	done
}

@test "scripts/soak-run: a refused clean exits 2 and leaves no evidence folder" {
	ev="$BATS_TEST_TMPDIR/ev"
	mkdir -p "$SEG/.soak/cache"
	printf 'not sqlite\n' > "$SEG/.soak/cache/ast_cache.db"
	run --separate-stderr env SOAK_SEGMENT="$SEG" SOAK_EVIDENCE="$ev" \
	    RUN_ID="$RID" "$SOAK_TOP/scripts/soak-run"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	grep -q ': not an SQLite database; not removing it' <<<"$stderr"
	[ ! -e "$ev" ]
	[ "$(cat "$SEG/.soak/cache/ast_cache.db")" = "not sqlite" ]
}

@test "lines longer than PIPE_BUF from 4 workers stay whole" {
	deep="$SEG"
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		deep="$deep/$(printf "d${i}_%0200d" 0)"
	done
	mkdir -p "$deep"
	cp "$DATA/edge.py" "$deep/long.py"
	rm -f "$SEG"/*.py "$SEG"/sub/*.c
	harness -n 60 -w 4 --files 1
	[ "$status" -eq 0 ]
	[ "$(grep '"cmd":"ast.symbols"' "$OUT" | awk '{ print length }' | sort -n | head -1)" -gt 4096 ]
	[ "$(count ast.symbols)" -eq 60 ]
	framed "$(wc -l < "$OUT")"
}

@test "--keep on a cache whose values are not JSON arrays: hits, no count" {
	harness -n 1 -w 1 --files 1 --seed 1
	[ "$status" -eq 0 ]
	sqlite3 "$DB" "UPDATE cache SET value = 'not json'"
	harness -n 2 -w 1 --files 1 --keep --seed 1
	[ "$status" -eq 0 ]
	[ "$(count ast.cache.hit)" -eq 2 ]
	[ "$(jq -c 'select(.cmd == "ast.symbols") | [.result.status, .x.symbols_count]' "$OUT" | sort -u)" = '["ok",null]' ]
	# The harness wrote nothing this run, so nothing is checked back.
	[ "$(jq -c 'select(.cmd == "soak.verify") | .result | [.keys_written, .lost]' "$OUT")" = '[0,0]' ]
}

@test "--lock-wait-ms 0: one worker never waits; four on one key do" {
	harness -n 50 -w 1 --files 1 --lock-wait-ms 0
	[ "$status" -eq 0 ]
	[ "$(count ast.cache.lock_wait)" -eq 0 ]
	harness -n 100 -w 4 --files 1 --lock-wait-ms 0
	[ "$status" -eq 0 ]
	[ "$(count ast.cache.lock_wait)" -gt 0 ]
	# Every wait is reported with its time, and the gate's input counts it.
	[ "$(jq -c 'select(.cmd == "ast.cache.lock_wait") | select(.timing_ms > 0)' "$OUT" | wc -l)" -eq "$(count ast.cache.lock_wait)" ]
	[ "$(jq -r 'select(.cmd == "ast.cache.lock_wait") | .args.stage' "$OUT" | sort -u | head -1)" = lookup ]
}

@test "soak.verify counts a value changed behind the workers' back as corrupt" {
	soak-harness -s "$SEG" --db "$DB" -r "$RID" -d 2 -w 1 --files 1 > "$OUT" 2>/dev/null &
	pid=$!
	# Under the cache's own lock, so the change is made during the run.
	for _ in $(seq 200); do
		[ "$(flock "$DB.lock" sqlite3 "$DB" 'SELECT count(*) FROM cache' 2>/dev/null)" = 1 ] && break
		sleep 0.02
	done
	flock "$DB.lock" sqlite3 "$DB" "UPDATE cache SET value = '[]'"
	wait "$pid"
	[ "$(count ast.cache.write)" -eq 1 ]
	run jq -c 'select(.cmd == "soak.verify") | .result | [.status, .keys_written, .keys_present, .lost, .corrupt]' "$OUT"
	[ "$output" = '["failed",1,1,0,1]' ]
	command -v soak-extract >/dev/null
	run bash -c 'soak-extract "$1" | soak-gate' _ "$OUT"
	[ "$status" -eq 1 ]
	[[ "$output" == *"FAIL verify.corrupt: 1"* ]]
}

@test "soak-harness run by its path names itself as in every other message" {
	run --separate-stderr "$SOAK_B/soak-harness" --bogus
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-harness: unrecognized option '--bogus'" ]
	run --separate-stderr "$SOAK_B/soak-harness" -Z
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-harness: invalid option -- 'Z'" ]
}
