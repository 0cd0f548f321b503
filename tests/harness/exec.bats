#!/usr/bin/env bats
# soak-harness exec mode: a command run once per operation, its own
# telemetry collected, with fixtures under fixture/ standing in for a real
# cached command-line tool. Every run works in a temp dir.

bats_require_minimum_version 1.5.0

setup() {
	FIX="$BATS_TEST_DIRNAME/fixture"
	T="$BATS_TEST_TMPDIR"
	OUT="$T/out.jsonl"
	TEL="$T/tel.jsonl"
	DB="$T/cache.db"
	RID="bats_exec_${BATS_TEST_NUMBER}_$$_$RANDOM"
	export ARGS_OUT="$T/args.out"
	unset OPS WORKERS RUN_ID SEGMENT ARGS_EXIT ARGS_KILL ARGS_SLEEP
	cd "$T"
}

# harness [ARGS...]: soak-harness with the run id, stdout in $OUT.
harness() {
	run --separate-stderr soak-harness -r "$RID" "$@"
	printf '%s\n' "$output" > "$OUT"
}

count() {
	jq -c --arg c "$1" 'select(.cmd == $c)' "$OUT" | wc -l
}

# framed: $OUT is one whole run: run.start first, run.end last, nothing lost.
framed() {
	local n
	n=$(wc -l < "$OUT")
	[ "$(head -1 "$OUT" | jq -r .cmd)" = soak.run.start ]
	[ "$(tail -1 "$OUT" | jq -r .cmd)" = soak.run.end ]
	[ "$(tail -1 "$OUT" | jq .result.events_emitted)" -eq $((n - 1)) ]
}

# fixture ARGS...: the cached-cli fixture soaked with ARGS before "--".
fixture() {
	harness "$@" --run-id-env FIXTURE_RUN_ID --telemetry "$TEL" \
	    --db "$DB" --clean -- "$FIX/cached-cli" "$DB" "$TEL" 'k{worker}'
}

@test "200 runs over 4 workers: 200 soak.exec, the fixture's 200 lines, nothing else; extract | gate pass" {
	printf '{"run_id":"before","cmd":"ast.cache.hit"}\n' > "$TEL"
	cp "$TEL" "$T/before"
	fixture -n 200 -w 4
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(count soak.exec)" -eq 200 ]
	[ "$(jq -r 'select(.cmd == "soak.exec") | .result.status' "$OUT" | sort -u)" = ok ]
	[ "$(jq -c 'select(.x.worker == null)' "$OUT" | wc -l)" -eq 200 ]
	[ "$(jq -r 'select(.x.worker == null) | .run_id' "$OUT" | sort -u)" = "$RID" ]
	[ "$(($(count ast.cache.hit) + $(count ast.cache.miss)))" -eq 200 ]
	[ "$(count ast.cache.miss)" -eq 4 ]
	# The harness's own lines: start, 200 runs, 4 exits, database
	# samples (a line a second), telemetry, db.info, integrity, end; the
	# fixture's lines pass unchanged.
	samples=$(count soak.db.sample)
	[ "$samples" -ge 1 ]
	[ "$(wc -l < "$OUT")" -eq $((1 + 200 + 4 + 200 + samples + 1 + 1 + 1 + 1)) ]
	diff <(grep -F "\"run_id\":\"$RID\"" "$TEL") <(jq -c 'select(.x.worker == null)' "$OUT" | \
	    jq -r '.x.pid' | while read -r p; do grep -F "\"pid\":$p}" "$TEL"; done)
	# The file is never truncated or edited: what was there stays.
	cmp -n "$(wc -c < "$T/before")" "$T/before" "$TEL"
	[ "$(jq -c 'select(.cmd == "soak.telemetry") | .result | [.status, .lines_passed, .lines_other_runs]' "$OUT")" = '["ok",200,0]' ]
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = ok ]
	framed
	run jq -c 'select(.cmd == "soak.run.start") | .args
	    | [.mode, .op_cmd, .argv[1:], .db, .telemetry, .clean, .run_id_env]' "$OUT"
	[ "$output" = "[\"exec\",\"soak.exec\",[\"$DB\",\"$TEL\",\"k{worker}\"],\"$DB\",\"$TEL\",true,[\"FIXTURE_RUN_ID\"]]" ]
	# Hits, misses and integrity flow through soak-extract | soak-gate.
	command -v soak-extract >/dev/null
	run bash -c 'soak-extract "$1" | soak-gate' _ "$OUT"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 'PASS integrity_check: "ok"' ]
	[ "${lines[1]}" = 'PASS ops_completed: 200 >= 200' ]
	[ "${lines[2]}" = 'PASS cache_hits_warm: 196 >= 1' ]
	[ "${lines[${#lines[@]}-1]}" = PASS ]
}

@test "other runs' telemetry appended during the run is not collected" {
	(
		for i in $(seq 300); do
			printf '{"run_id":"other","cmd":"ast.cache.hit","args":{"cache_key":"x"}}\n'
			sleep 0.001
		done >> "$TEL"
	) &
	writer=$!
	fixture -n 40 -w 4 --follow
	wait "$writer"
	[ "$status" -eq 0 ]
	[ "$(count soak.exec)" -eq 40 ]
	[ "$(jq -c 'select(.x.worker == null)' "$OUT" | wc -l)" -eq 40 ]
	! grep -q '"other"' "$OUT" || false
	[ "$(jq 'select(.cmd == "soak.telemetry") | .result.lines_other_runs' "$OUT")" -gt 0 ]
	framed
}

@test "what a command leaves running in its process group ends with the run" {
	nap="7.$$$RANDOM"
	harness -n 2 -w 1 -- sh -c "sleep $nap & echo started >&2; exit 0"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'select(.cmd == "soak.exec") | .result.status' "$OUT" | tr '\n' ' ')" = '"ok" "ok" ' ]
	! pgrep -f -- "sleep $nap" || false
	framed
}

@test "telemetry lines with a NUL byte or bad UTF-8 are counted malformed, never passed on" {
	harness -n 1 -w 1 --telemetry "$TEL" -- sh -c '
	    printf "{\"run_id\":\"%s\",\"cmd\":\"good\"}\n" "$SOAK_RUN_ID" >> "$1"
	    printf "{\"run_id\":\"%s\",\"cmd\":\"nul\"}\0\377 not json\n" "$SOAK_RUN_ID" >> "$1"
	    printf "{\"run_id\":\"%s\",\"cmd\":\"\300\257\"}\n" "$SOAK_RUN_ID" >> "$1"' sh "$TEL"
	[ "$status" -eq 0 ]
	[ "$(jq -r 'select(.x.worker == null) | .cmd' "$OUT")" = good ]
	[ "$(jq -c 'select(.cmd == "soak.telemetry") | .result | [.lines_passed, .lines_malformed]' "$OUT")" = '[1,2]' ]
	framed
}

@test "--follow passes lines during the run; a truncated file is read again" {
	harness -n 3 -w 1 --telemetry "$TEL" --follow -- sh -c '
	    printf "{\"run_id\":\"%s\",\"cmd\":\"c%s\"}\n" "$SOAK_RUN_ID" "$SOAK_OP" >> "$1"
	    if [ "$SOAK_OP" = 1 ]; then sleep 0.5; : > "$1"; fi
	    sleep 0.5' sh "$TEL"
	[ "$status" -eq 0 ]
	[ "$(jq -r 'select(.x.worker == null) | .cmd' "$OUT" | tr '\n' ' ')" = "c1 c2 c3 " ]
	[ "$(count soak.telemetry)" -eq 2 ]
	[ "$(jq -c 'select(.cmd == "soak.telemetry") | [.result.status, .warnings]' "$OUT" | head -1)" = \
	    '["truncated",["telemetry file truncated; reading it from its start"]]' ]
	framed
}

@test "a telemetry file cut and written again past where it was is read from its start" {
	# Without --follow the file is read once, after the runs, when it is
	# already longer than at the start: the bytes before that point tell.
	printf '{"run_id":"old","cmd":"x"}\n' > "$TEL"
	harness -n 1 -w 1 --telemetry "$TEL" -- sh -c '
	    : > "$1"
	    for i in 1 2 3; do printf "{\"run_id\":\"%s\",\"cmd\":\"c%s\"}\n" "$SOAK_RUN_ID" "$i" >> "$1"; done' sh "$TEL"
	[ "$status" -eq 0 ]
	[ "$(jq -r 'select(.x.worker == null) | .cmd' "$OUT" | tr '\n' ' ')" = "c1 c2 c3 " ]
	[ "$(jq -c 'select(.cmd == "soak.telemetry") | [.result.status, .result.lines_malformed, .result.resets]' "$OUT" | tr '\n' ' ')" = \
	    '["truncated",null,null] ["ok",0,1] ' ]
	framed
}

@test "a replaced telemetry file is read from its start" {
	harness -n 2 -w 1 --telemetry "$TEL" -- sh -c '
	    if [ "$SOAK_OP" = 2 ]; then rm -f "$1"; fi
	    printf "{\"run_id\":\"%s\",\"cmd\":\"c%s\"}\n" "$SOAK_RUN_ID" "$SOAK_OP" >> "$1"' sh "$TEL"
	[ "$status" -eq 0 ]
	# Without --follow the file is read after the runs: only the new one.
	[ "$(jq -r 'select(.x.worker == null) | .cmd' "$OUT" | tr '\n' ' ')" = "c2 " ]
	printf '{"run_id":"x"}\n' > "$TEL"
	harness -n 2 -w 1 --telemetry "$TEL" --follow -- sh -c '
	    if [ "$SOAK_OP" = 2 ]; then rm -f "$1"; fi
	    printf "{\"run_id\":\"%s\",\"cmd\":\"c%s\"}\n" "$SOAK_RUN_ID" "$SOAK_OP" >> "$1"
	    sleep 0.5' sh "$TEL"
	[ "$status" -eq 0 ]
	[ "$(jq -r 'select(.x.worker == null) | .cmd' "$OUT" | tr '\n' ' ')" = "c1 c2 " ]
	[ "$(jq -r 'select(.cmd == "soak.telemetry") | .result.status' "$OUT" | head -1)" = replaced ]
}

@test "arguments arrive byte for byte, never through a shell" {
	# Through a shell, the first two would make $T/inj and $T/nope.
	harness -n 1 -w 1 -- "$FIX/args" "a b; touch $T/inj" "\$(touch $T/nope)" '' \
	    "$(printf 'tab\there')" '{run_id}-{worker}-{op}' '{{run_id}}' '{nope}'
	[ "$status" -eq 0 ]
	[ ! -e "$T/inj" ]
	[ ! -e "$T/nope" ]
	run grep '^arg:' "$ARGS_OUT"
	[ "${lines[0]}" = "arg:a b; touch $T/inj" ]
	[ "${lines[1]}" = "arg:\$(touch $T/nope)" ]
	[ "${lines[2]}" = 'arg:' ]
	[ "${lines[3]}" = "$(printf 'arg:tab\there')" ]
	[ "${lines[4]}" = "arg:$RID-1-1" ]
	[ "${lines[5]}" = 'arg:{run_id}}' ]
	[ "${lines[6]}" = 'arg:{nope}' ]
	[ "${#lines[@]}" -eq 7 ]
	[ "$(jq -c 'select(.cmd == "soak.exec") | .args.argv[1:3]' "$OUT")" = "[\"a b; touch $T/inj\",\"\$(touch $T/nope)\"]" ]
}

@test "environment, stdin from /dev/null, no descriptor above 2, output to --log-dir" {
	harness -n 4 -w 2 --run-id-env MY_RUN --env FOO=bar --env 'EQ=a=b' \
	    --log-dir "$T/logs" -- sh -c 'echo "$MY_RUN $FOO $EQ $SOAK_WORKER $SOAK_OP"; exec "$1" x' sh "$FIX/args" 3< /dev/null
	[ "$status" -eq 0 ]
	[ "$(grep -c "^env:SOAK_RUN_ID=$RID SOAK_WORKER=[12] SOAK_OP=[12]\$" "$ARGS_OUT")" -eq 4 ]
	[ "$(grep '^stdin:' "$ARGS_OUT" | sort -u)" = 'stdin:0' ]
	[ "$(cat "$T/logs/worker-1.log" "$T/logs/worker-2.log" | grep -c "^$RID bar a=b [12] [12]\$")" -eq 4 ]
	[ "$(grep -c '^to stderr x$' "$T/logs/worker-1.log")" -eq 2 ]
	# Descriptors above 2 of the harness (here 3, and bats's own) are closed.
	harness -n 1 -w 1 --log-dir "$T/fds" -- sh -c 'for n in $(seq 3 255); do
	    [ -e /proc/$$/fd/$n ] && echo "open $n"; done; echo done' 3< /dev/null
	[ "$status" -eq 0 ]
	[ "$(cat "$T/fds/worker-1.log")" = done ]
	# Without --log-dir the output is discarded, never mixed into the events.
	harness -n 2 -w 1 -- "$FIX/args" y
	[ "$status" -eq 0 ]
	[ "$(wc -l < "$OUT")" -eq 5 ]
	jq -e . "$OUT" > /dev/null
}

@test "exit 3, a signal, a timeout: each recorded right" {
	ARGS_EXIT=3 harness -n 2 -w 1 -- "$FIX/args"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'select(.cmd == "soak.exec") | .result' "$OUT" | sort -u)" = '{"status":"exit","exit_code":3,"signal":null}' ]
	ARGS_KILL=KILL harness -n 1 -w 1 -- "$FIX/args"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'select(.cmd == "soak.exec") | .result' "$OUT")" = '{"status":"signal","exit_code":null,"signal":9}' ]
	ARGS_SLEEP=10 harness -n 1 -w 1 --op-timeout-ms 100 -- "$FIX/args"
	[ "$status" -eq 0 ]
	[ "$(jq -c 'select(.cmd == "soak.exec") | .result' "$OUT")" = '{"status":"timeout","exit_code":null,"signal":15}' ]
	# A command that ignores SIGTERM is killed a second later.
	harness -n 1 -w 1 --op-timeout-ms 100 -- sh -c 'trap "" TERM; sleep 10 & wait; sleep 10'
	[ "$status" -eq 0 ]
	[ "$(jq -c 'select(.cmd == "soak.exec") | .result' "$OUT")" = '{"status":"timeout","exit_code":null,"signal":9}' ]
	framed
}

@test "a missing command: a clear error and exit 2 before any run" {
	run --separate-stderr soak-harness -n 3 --db "$DB" --clean -- no-such-command-here x
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: no-such-command-here: command not found" ]
	run --separate-stderr soak-harness -n 3 -- ./no-such-file
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: ./no-such-file: No such file or directory" ]
	# A path names what is wrong with it, as a shell does.
	printf 'echo hi\n' > notexec
	run --separate-stderr soak-harness -n 1 -- ./notexec
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: ./notexec: Permission denied" ]
	mkdir adir
	run --separate-stderr soak-harness -n 1 -- ./adir
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: ./adir: Is a directory" ]
	[ -z "$output" ]
	run --separate-stderr soak-harness -n 1 -w 1 -- ''
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: command: empty name" ]
}

@test "--clean refuses what is not a cache; exec options need a command" {
	printf 'precious\n' > "$DB"
	run --separate-stderr soak-harness -n 1 --db "$DB" --clean -- true
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB: not an SQLite database; not removing it" ]
	[ "$(cat "$DB")" = precious ]
	run --separate-stderr soak-harness --telemetry x
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-harness: --op-cmd, --env, --run-id-env, --log-dir, --op-timeout-ms, --telemetry, --follow and --clean need a command" ]
	run --separate-stderr soak-harness --clean -- true
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-harness: --clean needs --db" ]
	run --separate-stderr soak-harness --env 1X=y -- true
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = 'soak-harness: --env: "1X=y" is not NAME=VALUE with a valid name' ]
}

@test "a --log-dir that cannot be made refuses the run, naming it; a refusal removes the one it made" {
	: > afile
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 1 --log-dir afile/logs -- true
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $T/afile: Not a directory" ]
	# The folder in the way is named, as mkdir -p names it.
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 1 --log-dir afile/a/b -- true
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $T/afile: Not a directory" ]
	printf 'precious\n' > "$DB"
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 1 --log-dir logs/run1 --db "$DB" --clean -- true
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $DB: not an SQLite database; not removing it" ]
	[ ! -e logs ]
	[ -f afile ]
	[ ! -s afile ]
	[ "$(cat "$DB")" = precious ]
}

@test "a worker log in --log-dir that is a link refuses the run; its target is left" {
	mkdir logs
	printf 'precious\n' > target
	ln -s "$T/target" logs/worker-2.log
	printf 'old\n' > logs/worker-1.log
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 2 --log-dir logs -- echo new
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $T/logs/worker-2.log: not a regular file" ]
	[ "$(cat target)" = precious ]
	[ "$(cat logs/worker-1.log)" = old ]
	# A regular log is appended to.
	rm logs/worker-2.log
	harness -n 2 -w 2 --log-dir logs -- echo new
	[ "$status" -eq 0 ]
	[ "$(cat logs/worker-1.log)" = "old
new" ]
	[ "$(cat logs/worker-2.log)" = new ]
}

@test "a --telemetry that is a folder refuses the run before anything is made" {
	mkdir tdir
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 1 --telemetry tdir --log-dir logs -- true
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $T/tdir: Is a directory" ]
	[ ! -e logs ]
	# One not there yet is the command's to make.
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 1 --telemetry t.jsonl -- true
	[ "$status" -eq 0 ]
}

@test "options of the built-in workload are refused with a command, not ignored" {
	for opt in --keep '--files 7' '--lock-timeout-ms 5' '--lock-wait-ms 5' \
	    '--journal-mode wal' '--synchronous off' '--busy-timeout-ms 5'; do
		run --separate-stderr soak-harness -n 1 $opt -- true
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "soak-harness: --keep, --files, --lock-timeout-ms, --lock-wait-ms, --journal-mode, --synchronous and --busy-timeout-ms are for the built-in workload, not a command" ]
	done
}

@test "--clean never removes a file whose name a companion's would be cut to" {
	# A database path 4089 bytes long: DB-journal passes PATH_MAX, and a
	# name cut short there is someone else's file.
	d=$T
	while [ ${#d} -lt 3850 ]; do
		n=$((3850 - ${#d}))
		[ $n -gt 200 ] && n=200
		[ $n -lt 2 ] && n=2
		d=$d/$(head -c $((n - 1)) /dev/zero | tr '\0' d)
	done
	mkdir -p "$d"
	db=$d/$(head -c $((4088 - ${#d})) /dev/zero | tr '\0' x)
	: > "$db"
	printf 'mine\n' > "$db-journ"
	[ ${#db} -eq 4089 ]
	run --separate-stderr soak-harness -n 1 --db "$db" --clean -- true
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-harness: $db: too long a name for its -journal file; not removing it" ]
	[ -e "$db" ]
	[ "$(cat "$db-journ")" = mine ]
}

@test "the sqlite3 shell on a WAL database: the read-only checks leave no -wal or -shm" {
	sqlite3 w.db 'PRAGMA journal_mode=wal; CREATE TABLE t(x);' > /dev/null
	[ ! -e w.db-wal ] && [ ! -e w.db-shm ]
	harness -n 6 -w 2 --db w.db -- sqlite3 -cmd '.timeout 5000' w.db 'INSERT INTO t VALUES (1);'
	[ "$status" -eq 0 ]
	[ "$(jq -r 'select(.cmd == "ast.cache.integrity_check") | .result.status' "$OUT")" = ok ]
	[ "$(jq -r 'select(.cmd == "soak.db.info") | .result.journal_mode' "$OUT")" = wal ]
	[ ! -e w.db-wal ]
	[ ! -e w.db-shm ]
	[ "$(sqlite3 w.db 'SELECT count(*) FROM t')" -eq 6 ]
	# While another connection holds it open, they are left to it.
	( exec sqlite3 w.db < <(echo 'BEGIN; SELECT count(*) FROM t;'; sleep 3) > /dev/null ) &
	hold=$!
	for _ in $(seq 100); do [ -e w.db-shm ] && break; sleep 0.02; done
	harness -n 2 -w 1 --db w.db -- sqlite3 -cmd '.timeout 5000' w.db 'SELECT 1;'
	[ "$status" -eq 0 ]
	[ -e w.db-shm ]
	kill "$hold" 2>/dev/null || true
	wait "$hold" || true
}

@test "without --db no integrity event; --op-cmd is recorded" {
	harness -n 2 -w 2 --op-cmd my.op -- true
	[ "$status" -eq 0 ]
	[ "$(count ast.cache.integrity_check)" -eq 0 ]
	[ "$(count soak.verify)" -eq 0 ]
	[ "$(head -1 "$OUT" | jq -r .args.op_cmd)" = my.op ]
	framed
}

@test "SIGINT stops the runs: interrupted, exit 130, no process left" {
	nap="30.$$$RANDOM"
	soak-harness -r "$RID" -d 60 -w 2 -- sh -c "sleep $nap; :" > "$OUT" 2>/dev/null &
	pid=$!
	for _ in $(seq 200); do pgrep -f -- "worker 2 run $RID" >/dev/null && break; sleep 0.05; done
	sleep 0.2
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 130 ]
	! pgrep -f -- "$RID" || false
	# The commands and what they started are gone too.
	! pgrep -f -- "sleep $nap" || false
	[ "$(tail -1 "$OUT" | jq -r .result.status)" = interrupted ]
	framed
}

@test "| head -1 ends every worker and command" {
	run --separate-stderr bash -c 'timeout 30 soak-harness -r "$1" -d 60 -w 4 -- sh -c "sleep 0.05; echo \"$1\" > /dev/null" | head -1
	    echo "${PIPESTATUS[0]}" >&2' _ "$RID"
	[ "$status" -eq 0 ]
	[ "$(jq -r .cmd <<<"$output")" = soak.run.start ]
	[ "$stderr" = 1 ]
	! pgrep -f -- "$RID" || false
}

@test "| head -1 while the commands are silent: noticed without a write" {
	# Nothing is written for 30 s; the closed pipe must still stop the run
	# (a harness that only notices on a write is killed by timeout: 124).
	nap="30.$$$RANDOM"
	run --separate-stderr bash -c 'timeout 10 soak-harness -r "$1" -n 100 -w 2 -- sleep "$2" | head -1
	    echo "${PIPESTATUS[0]}" >&2' _ "$RID" "$nap"
	[ "$status" -eq 0 ]
	[ "$(jq -r .cmd <<<"$output")" = soak.run.start ]
	[ "$stderr" = 1 ]
	! pgrep -f -- "$RID" || false
	! pgrep -f -- "sleep $nap" || false
}
