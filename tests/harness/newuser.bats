#!/usr/bin/env bats
# What a new user meets, each friction retried with the command that
# showed it: soak-harness's errors and --help, the warnings that were
# silent, no litter from a refused run, and the evidence scripts/soak-run
# (make soak) keeps: progress as it runs, a status, a latest link, nothing
# empty after an interrupt, no folder after a refusal.

bats_require_minimum_version 1.5.0

setup() {
	T="$BATS_TEST_TMPDIR"
	SEG="$T/seg"
	EV="$T/ev"
	RID="newuser_${BATS_TEST_NUMBER}_$$_$RANDOM"
	mkdir -p "$SEG"
	cp "$SOAK_TOP"/tests/harness/data/*.py "$SEG/"
	unset OPS WORKERS RUN_ID SEGMENT
}

@test "soak-harness -n 0, WORKERS=x: one line naming the option and its range, no usage" {
	run --separate-stderr soak-harness -n 0
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: --ops: "0" is too small (1 to 1000000000000)' ]
	run --separate-stderr env WORKERS=x soak-harness
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: WORKERS: "x" is invalid (1 to 256)' ]
	run --separate-stderr soak-harness --journal-mode memory
	[ "$stderr" = 'soak-harness: --journal-mode: "memory" is not one of the choices' ]
	# A misspelt option gets the reason, then the usage.
	run --separate-stderr soak-harness --opps 3
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-harness: unrecognized option '--opps'" ]
	[ "$(sed -n 2p <<< "$stderr")" = 'usage: soak-harness [-n ops] [-w workers] [-d seconds] [-r run_id] [-s dir]' ]
}

@test "soak-harness --help: the usage on stdout, exit 0; a full stdout fails" {
	run --separate-stderr soak-harness --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = 'usage: soak-harness [-n ops] [-w workers] [-d seconds] [-r run_id] [-s dir]' ]
	[ "${lines[-1]}" = '       soak-harness --help | --version' ]
	run --separate-stderr bash -c 'soak-harness --help > /dev/full'
	[ "$status" -eq 1 ]
	[ "$stderr" = 'soak-harness: stdout: No space left on device' ]
}

@test "soak-harness --telemetry /tmp/nosuch -- true: a warning, and the telemetry line says missing" {
	run --separate-stderr soak-harness -r "$RID" -n 2 -w 1 --telemetry "$T/nosuch" -- true
	[ "$status" -eq 0 ]
	[ "$stderr" = "soak-harness: warning: telemetry file $T/nosuch never appeared" ]
	[ "$(jq -c 'select(.cmd == "soak.telemetry") | [.result.status, .warnings]' <<< "$output")" = \
	    "[\"missing\",[\"telemetry file $T/nosuch never appeared\"]]" ]
}

@test "soak-harness -s README names README, not a path the user never typed" {
	cd "$SOAK_TOP"
	run --separate-stderr soak-harness -s README
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-harness: README: Not a directory' ]
}

@test "soak-harness in an empty folder refuses and creates nothing" {
	mkdir "$T/empty"
	cd "$T/empty"
	run --separate-stderr soak-harness
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-harness: $T/empty: no .py, .c or .h files to soak" ]
	[ -z "$(ls -A "$T/empty")" ]
}

# soak_run ENV...: scripts/soak-run on the copy, with ENV set.
soak_run() {
	run --separate-stderr env SOAK_SEGMENT="$SEG" SOAK_EVIDENCE="$EV" \
	    RUN_ID="$RID" "$@" "$SOAK_TOP/scripts/soak-run"
}

@test "make soak's job: progress as it runs and in harness.log; a status; the latest link; few lines" {
	soak_run OPS=300 WORKERS=2
	[ "$status" -eq 0 ]
	# The progress reaches the caller's stderr as well as the log.
	grep -q '^soak-harness: 300 ops, ' <<< "$stderr"
	grep -q '^soak-harness: 300 ops, ' "$EV/$RID/harness.log"
	[ "$(jq -r .status "$EV/latest/manifest.json")" = pass ]
	[ "$(readlink "$EV/latest")" = "$RID" ]
	[ $(( ${#lines[@]} + $(wc -l <<< "$stderr") )) -le 60 ]
}

@test "make soak interrupted: the evidence so far, status interrupted, no empty file" {
	run --separate-stderr timeout -s INT 2 env SOAK_SEGMENT="$SEG" \
	    SOAK_EVIDENCE="$EV" RUN_ID="$RID" OPS=100000000 WORKERS=2 \
	    "$SOAK_TOP/scripts/soak-run"
	d="$EV/$RID"
	[ "$(jq -r .status "$d/manifest.json")" = interrupted ]
	[ "$(jq -c .exit_status.harness "$d/manifest.json")" -eq 130 ]
	[ "$(tail -1 "$d/events.jsonl" | jq -r .result.status)" = interrupted ]
	[ -z "$(find "$d" -type f -empty)" ]
	[ "$(jq -r .verdict "$d/verdict.json")" = FAIL ]
	[ "$(jq -r '.sha256 | keys | map(select(endswith(".png") | not)) | map(select(endswith(".svg") | not)) | join(" ")' "$d/manifest.json")" = "events.jsonl harness.log metrics.json verdict.json" ]
	# The pictures of what there was.
	[ "$(jq -c .exit_status.plot "$d/manifest.json")" -eq 0 ]
	[ -s "$d/timeline.png" ]
}

@test "make soak WORKERS=0: refused, and no evidence folder left" {
	soak_run WORKERS=0
	[ "$status" -eq 2 ]
	[[ "$stderr" == *'soak-harness: WORKERS: "0" is too small (1 to 256)'* ]]
	[ ! -e "$EV" ]
}

@test "exec mode without --db passes once integrity is skipped" {
	run --separate-stderr bash -c 'soak-harness -n 3 -w 1 -- true | soak-extract |
	    soak-gate --skip integrity_check,cache_hits_warm'
	[ "$status" -eq 0 ]
	[[ "$output" == *'SKIP integrity_check: (--skip)'* ]]
	[ "${lines[-1]}" = PASS ]
}
