#!/usr/bin/env bats
# soak-gate: every criterion passing and failing, each exit status, bad
# input, compared exactly against golden files under out/.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME"
	# The default criteria: the first --require line is lines[D].
	D=11
}

# golden NAME STATUS [ARGS...]: judge in/NAME.json, compare stdout with
# out/NAME.out and the exit status with STATUS.
golden() {
	local name=$1 want=$2
	shift 2
	run --separate-stderr soak-gate "$@" "in/$name.json"
	[ "$status" -eq "$want" ]
	diff -u "out/$name.out" <(printf '%s\n' "$output")
	[ -z "$stderr" ]
}

# judge OUT IN STATUS [ARGS...]: judge in/IN.json with ARGS, compare stdout
# with out/OUT.out and the exit status with STATUS; stderr is empty.
judge() {
	local out=$1 in=$2 want=$3
	shift 3
	run --separate-stderr soak-gate "$@" "in/$in.json"
	[ "$status" -eq "$want" ]
	diff -u "out/$out.out" <(printf '%s\n' "$output")
	[ -z "$stderr" ]
}

# bad NAME MESSAGE [ARGS...]: exit 2, nothing on stdout, exact stderr.
bad() {
	local name=$1 msg=$2
	shift 2
	run --separate-stderr soak-gate "$@" "in/$name.json"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "$msg" ]
}

@test "all criteria pass: exit 0" { golden pass 0; }
@test "integrity_check fails on any first row but ok" { golden fail-integrity 1; }
@test "integrity_check null fails: not measured" { golden null-integrity 1; }
@test "ops_completed below ops_requested fails" { golden fail-ops 1; }
@test "ops_completed with no target fails" { golden no-target 1; }
@test "-0 completed operations fail" { golden negative-zero 1; }
@test "no warm hits fails" { golden fail-warm 1; }
@test "lock timeouts above the limit fail" { golden fail-lock 1; }
@test "verify lost and corrupt fail" { golden fail-verify 1; }
@test "a died worker fails" { golden fail-died 1; }
@test "lost events fail" { golden fail-events 1; }
@test "malformed lines fail" { golden fail-malformed 1; }
@test "optional criteria null or absent SKIP, and still pass" { golden optional-null 0; }
@test "required metrics absent fail, never pass" { golden empty-object 1; }
@test "duplicate keys: the last one counts" { golden dup-keys 0; }

# One bad figure each: only that criterion fails.
@test "verify.lost alone fails" { golden fail-verify-lost 1; }
@test "verify.corrupt alone fails" { golden fail-verify-corrupt 1; }

# Each required metric missing alone (or null): the gate fails closed.
@test "integrity_check missing fails, never passes" { golden missing-integrity 1; }
@test "ops_completed missing fails, never passes" { golden missing-ops 1; }
@test "ops_requested missing: no target, fails" { golden no-ops-requested 1; }
@test "cache_hits_warm missing fails, never passes" { golden missing-warm 1; }
@test "lock_timeout missing fails, never passes" { golden missing-lock 1; }
@test "lock_timeout null fails, never passes" { golden null-lock 1; }

# Option-driven criteria and limits, each with its whole report.
@test "--min-ops above ops_completed fails" { judge min-ops-11 pass 1 --min-ops 11; }
@test "--min-ops replaces ops_requested" { judge min-ops-9 fail-ops 0 --min-ops 9; }
@test "--min-ops is the target when there is none" { judge min-ops-no-target no-target 0 --min-ops 10; }
@test "--min-warm-hits above cache_hits_warm fails" { judge min-warm-hits-7 pass 1 --min-warm-hits 7; }
@test "--max-lock-timeouts at lock_timeout passes" { judge max-lock-3 fail-lock 0 --max-lock-timeouts 3; }
@test "--max-lock-timeouts below lock_timeout fails" { judge max-lock-2 fail-lock 1 --max-lock-timeouts 2; }
@test "--max-lock-timeouts 0 fails one timeout" { judge max-lock-0 one-lock 1 --max-lock-timeouts 0; }
@test "--max-malformed at lines.malformed passes" { judge max-malformed-2 fail-malformed 0 --max-malformed 2; }
@test "--max-malformed below lines.malformed fails" { judge max-malformed-1 fail-malformed 1 --max-malformed 1; }
@test "--min-warm-hit-rate met passes" { judge rate-pass pass 0 --min-warm-hit-rate 0.9; }
@test "--min-warm-hit-rate above the rate fails" { judge rate-low low-rate 1 --min-warm-hit-rate 0.9; }
@test "--min-warm-hit-rate with the rate missing fails, never passes" { judge rate-missing missing-rate 1 --min-warm-hit-rate 0.9; }
@test "--require met passes" { judge require-pass pass 0 --require '/lines/read == 60' --require '/run_id == "r1"'; }
@test "--require not met fails" { judge require-fail pass 1 --require '/lines/read > 100'; }
@test "--require on a missing metric fails, never passes" { judge require-missing pass 1 --require '/counts/ast.cache.error == 0'; }
@test "--require on a null metric fails, never passes" { judge require-null optional-null 1 --require '/workers/died == 0'; }

@test "--json -: missing metrics in the verdict document" {
	run --separate-stderr soak-gate --min-warm-hit-rate 0.5 \
	    --require '/run_id == "r1"' --json - in/empty-object.json
	[ "$status" -eq 1 ]
	diff -u out/empty-object.verdict.json <(printf '%s\n' "$output")
	diff -u out/rate-require-missing.out <(printf '%s\n' "$stderr")
}

@test "old metrics with --min-ops 200: three criteria FAIL" {
	# The real metrics kept beside the project, never shipped in it.
	m="$SOAK_TOP/../shared/data/trifecta-wo-p3-0.metrics.json"
	[ -r "$m" ] || skip "the real metrics ../shared/data/trifecta-wo-p3-0.metrics.json are not beside the project"
	run --separate-stderr soak-gate --min-ops 200 "$m"
	[ "$status" -eq 1 ]
	diff -u out/trifecta-min-ops-200.out <(printf '%s\n' "$output")
}

@test "limits move with options" {
	run soak-gate --max-lock-timeouts 3 in/fail-lock.json
	[ "$status" -eq 0 ]
	[ "${lines[3]}" = "PASS lock_timeout: 3 <= 3" ]
	run soak-gate --max-lock-timeouts 2 in/fail-lock.json
	[ "$status" -eq 1 ]
	[ "${lines[3]}" = "FAIL lock_timeout: 3 > 2" ]
	run soak-gate --min-warm-hits 7 in/pass.json
	[ "$status" -eq 1 ]
	[ "${lines[2]}" = "FAIL cache_hits_warm: 6 < 7" ]
	run soak-gate --max-malformed 2 in/fail-malformed.json
	[ "$status" -eq 0 ]
	[ "${lines[8]}" = "PASS lines.malformed: 2 <= 2" ]
	run soak-gate --min-ops 11 in/pass.json
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "FAIL ops_completed: 10 < 11" ]
	run soak-gate --min-ops 9 in/fail-ops.json
	[ "$status" -eq 0 ]
	run soak-gate --min-ops 10 in/no-target.json
	[ "$status" -eq 0 ]
}

@test "a hit rate outside 0 to 1 is no rate: exit 2 in the criterion and the baseline" {
	t=$BATS_TEST_TMPDIR
	for r in 1.7 -0.2; do
		jq ".cache.hit_rate_warm = $r" in/pass.json > "$t/r.json"
		run --separate-stderr soak-gate --min-warm-hit-rate 0.5 "$t/r.json"
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "soak-gate: $t/r.json: /cache/hit_rate_warm: expected a rate (a number from 0 to 1)" ]
		run --separate-stderr soak-gate --baseline in/pass.json "$t/r.json"
		[ "$status" -eq 2 ]
		[ "$stderr" = "soak-gate: $t/r.json: /cache/hit_rate_warm: expected a rate (a number from 0 to 1)" ]
		run --separate-stderr soak-gate --baseline "$t/r.json" in/pass.json
		[ "$status" -eq 2 ]
		[ "$stderr" = "soak-gate: $t/r.json: /cache/hit_rate_warm: expected a rate (a number from 0 to 1)" ]
	done
	# Without a rate criterion or a baseline the figure is not judged.
	run soak-gate "$t/r.json"
	[ "$status" -eq 0 ]
}

@test "--min-warm-hit-rate" {
	run soak-gate --min-warm-hit-rate 1 in/pass.json
	[ "$status" -eq 0 ]
	[ "${lines[3]}" = "PASS cache.hit_rate_warm: 1 >= 1" ]
	run soak-gate --min-warm-hit-rate 0.5 in/fail-warm.json
	[ "$status" -eq 1 ]
	[ "${lines[3]}" = "FAIL cache.hit_rate_warm: 0 < 0.5" ]
	[ "${lines[D + 1]}" = "FAIL (2 of $((D + 1)) criteria failed)" ]
	run soak-gate --min-warm-hit-rate 0.5 in/empty-object.json
	[ "${lines[3]}" = "FAIL cache.hit_rate_warm: not in metrics" ]
	run --separate-stderr soak-gate --min-warm-hit-rate 2 in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-gate: --min-warm-hit-rate: "2" is too large (0 to 1)' ]
	run --separate-stderr soak-gate --min-warm-hit-rate -0.5 in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-gate: --min-warm-hit-rate: "-0.5" is too small (0 to 1)' ]
	run --separate-stderr soak-gate --min-warm-hit-rate high in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-gate: --min-warm-hit-rate: "high" is invalid (0 to 1)' ]
}

@test "--require: pass, fail, missing" {
	run soak-gate --require '/cache/hit_rate_warm >= 0.9' \
	    --require '/run_id == "r1"' --require '/counts/ast.cache.miss<5' in/pass.json
	[ "$status" -eq 0 ]
	[ "${lines[D]}" = "PASS /cache/hit_rate_warm: 1 >= 0.9" ]
	[ "${lines[D + 1]}" = 'PASS /run_id: "r1"' ]
	[ "${lines[D + 2]}" = "PASS /counts/ast.cache.miss: 4 < 5" ]
	[ "${lines[D + 3]}" = "PASS" ]
	run soak-gate --require '/counts/ast.cache.error == 0' \
	    --require '/lines/read > 100' in/pass.json
	[ "$status" -eq 1 ]
	[ "${lines[D]}" = "FAIL /counts/ast.cache.error: not in metrics" ]
	[ "${lines[D + 1]}" = "FAIL /lines/read: 60 <= 100" ]
	[ "${lines[D + 2]}" = "FAIL (2 of $((D + 2)) criteria failed)" ]
}

@test "--require refuses latency gates and bad expressions: exit 2" {
	run --separate-stderr soak-gate --require '/latency_ms/ast.symbols/p95 < 50' in/pass.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: --require: \"/latency_ms/ast.symbols/p95 < 50\": \"/latency_ms/ast.symbols/p95\": timings are informational: no latency gates" ]
	run --separate-stderr soak-gate --require 'ops_completed > 1' in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: --require: \"ops_completed > 1\": \"ops_completed\": a JSON Pointer starts with /" ]
	run --separate-stderr soak-gate --require '/ops_completed ~ 1' in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: --require: \"/ops_completed ~ 1\": expected POINTER OP VALUE, OP one of == != < <= > >=" ]
	run --separate-stderr soak-gate --require '/run_id == r1' in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: --require: \"/run_id == r1\": \"r1\": the value must be a JSON scalar (number, \"string\", true, false, null)" ]
	run --separate-stderr soak-gate --require '/ops_completed >= "9"' in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: --require: \"/ops_completed >= \"9\"\": >= needs a finite number, not \"9\"" ]
	run --separate-stderr soak-gate --require '/chaos == null' in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: --require: \"/chaos == null\": == null can never hold: a metric that is null is not measured and fails" ]
}

@test "--require != null: a metric there passes, one absent fails" {
	run soak-gate --require '/ops_completed != null' in/pass.json
	[ "$status" -eq 0 ]
	[ "${lines[11]}" = "PASS /ops_completed: 10 != null" ]
	run soak-gate --require '/chaos != null' in/pass.json
	[ "$status" -eq 1 ]
	[ "${lines[11]}" = "FAIL /chaos: not in metrics" ]
}

@test "--require on a field of the wrong type: exit 2" {
	run --separate-stderr soak-gate --require '/run_id > 3' in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: in/pass.json: /run_id: expected a number" ]
}

@test "-q prints nothing and keeps the status" {
	run --separate-stderr soak-gate -q in/pass.json
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	run --separate-stderr soak-gate -q in/fail-lock.json
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "--json FILE writes the verdict document" {
	out="$BATS_TEST_TMPDIR/v.json"
	run soak-gate --json "$out" in/pass.json
	[ "$status" -eq 0 ]
	diff -u out/pass.out <(printf '%s\n' "$output")
	diff -u out/pass.verdict.json "$out"
}

@test "--json - puts JSON on stdout and the report on stderr" {
	run --separate-stderr soak-gate --json - in/fail-lock.json
	[ "$status" -eq 1 ]
	diff -u out/fail-lock.verdict.json <(printf '%s\n' "$output")
	[ "$(printf '%s\n' "$stderr" | sed -n 4p)" = "FAIL lock_timeout: 3 > 1" ]
	[ "$(printf '%s\n' "$output" | jq -r '.criteria[3].status')" = FAIL ]
}

@test "stdin and - are the same input" {
	run soak-gate < in/fail-lock.json
	[ "$status" -eq 1 ]
	diff -u out/fail-lock.out <(printf '%s\n' "$output")
	run soak-gate - < in/pass.json
	[ "$status" -eq 0 ]
	diff -u out/pass.out <(printf '%s\n' "$output")
}

@test "empty input: exit 2" { bad empty "soak-gate: in/empty.json: empty input"; }
@test "blank input is empty input: exit 2" { bad blank "soak-gate: in/blank.json: empty input"; }
@test "an array is not a metrics document: exit 2" {
	bad array "soak-gate: in/array.json: not an object (an array)"
}
@test "a document of another schema is refused; one without schema is judged" {
	t=$BATS_TEST_TMPDIR
	jq -c '.schema = "soak-verdict/1"' in/pass.json > "$t/verdict.json"
	run --separate-stderr soak-gate "$t/verdict.json"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: $t/verdict.json: not a soak-metrics document (schema \"soak-verdict/1\")" ]
	jq -c '.schema = "soak-metrics/2"' in/pass.json > "$t/v2.json"
	run --separate-stderr soak-gate < "$t/v2.json"
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-gate: <stdin>: schema "soak-metrics/2": another version (soak-gate reads soak-metrics/1)' ]
	jq -c '.schema = 1' in/pass.json > "$t/num.json"
	run --separate-stderr soak-gate "$t/num.json"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: $t/num.json: not a soak-metrics document (a \"schema\" that is not a string)" ]
	jq -c 'del(.schema)' in/pass.json > "$t/none.json"
	run --separate-stderr soak-gate "$t/none.json"
	[ "$status" -eq 0 ]
	diff -u out/pass.out <(printf '%s\n' "$output")
}
@test "invalid JSON names file, line and column: exit 2" {
	bad invalid "soak-gate: in/invalid.json:2:22: not JSON"
}
@test "two documents: exit 2" { bad two-objects "soak-gate: in/two-objects.json:2:1: not JSON"; }
@test "truncated document: exit 2" { bad truncated "soak-gate: in/truncated.json:1:46: not JSON"; }
@test "NUL byte: exit 2" { bad nul "soak-gate: in/nul.json:1:7: not JSON"; }
@test "invalid UTF-8 that yajl lets through (overlong, surrogate, past U+10FFFF): exit 2" {
	t=$BATS_TEST_TMPDIR
	for s in '\xc0\xaf' '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xf5\x80\x80\x80'; do
		printf "{\"a\":\"$s\",\"b\":1}" > "$t/u.json"
		run --separate-stderr soak-gate "$t/u.json"
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[[ "$stderr" == "soak-gate: $t/u.json:1:"*": not JSON" ]]
		printf '{"\xed\xa0\x80":1}' > "$t/u.json"
		run --separate-stderr soak-gate "$t/u.json"
		[ "$status" -eq 2 ]
		[ "$stderr" = "soak-gate: $t/u.json:1:6: not JSON" ]
	done
	# Valid text, escapes among it, is judged.
	jq '.x = "\u00e9 \ud83d\ude00 \u0000"' in/pass.json > "$t/ok.json"
	run soak-gate "$t/ok.json"
	[ "$status" -eq 0 ]
}
@test "100,000 nested arrays: exit 2 at depth 65 (the object is level 1)" {
	deep="$BATS_TEST_TMPDIR/deep.json"
	{ printf '{"a":'; head -c 100000 /dev/zero | tr '\0' '['
	  head -c 100000 /dev/zero | tr '\0' ']'; echo '}'; } > "$deep"
	run --separate-stderr soak-gate "$deep"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: $deep:1:69: nesting deeper than 64 levels" ]
}
@test "a required metric of the wrong type: exit 2" { bad wrong-type "soak-gate: in/wrong-type.json: /lock_timeout: expected a number"; }
@test "an optional metric of the wrong type: exit 2" { bad wrong-type-optional "soak-gate: in/wrong-type-optional.json: /verify/lost: expected a number"; }
@test "1e400: exit 2" { bad huge-number "soak-gate: in/huge-number.json: /ops_completed: number out of range"; }
@test "a section that is not an object: exit 2, never SKIP" {
	bad section-string "soak-gate: in/section-string.json: /verify/lost: expected an object at /verify
soak-gate: in/section-string.json: /verify/corrupt: expected an object at /verify"
	bad section-array "soak-gate: in/section-array.json: /workers/died: expected an object at /workers, not an array (\"died\" is no index)"
}
@test "a key holding a newline or an escape cannot break or forge a report line" {
	t=$BATS_TEST_TMPDIR
	jq '.cache_errors = {"\u001b[2J\nPASS x": 1}
	    | .latency_ms = {"a\nPASS fake": {"count": 1, "p50": 1, "p95": 1}} | .chaos = null' in/pass.json > "$t/k.json"
	run --separate-stderr soak-gate --baseline "$t/k.json" "$t/k.json"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'PASS x\|PASS fake' <<< "$output")" -eq 2 ]
	grep -qFx $'PASS baseline.cache_errors.\ufffd[2J\ufffdPASS x: 1 <= 1 (baseline 1 + 0)' <<< "$output"
	grep -qFx $'INFO latency a\ufffdPASS fake: p50 1 -> 1 ms, 1.00x; p95 1 -> 1 ms, 1.00x' <<< "$output"
	jq '.cache_errors = {"a\nFAKE": "y"}' in/pass.json > "$t/bad.json"
	run --separate-stderr soak-gate --baseline "$t/k.json" "$t/bad.json"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: $t/bad.json: /cache_errors/a"$'\ufffd'"FAKE: expected a number" ]
}
@test "--require into an array: an index reads it, a token that is no index is exit 2" {
	run --separate-stderr soak-gate --skip workers.died --require '/workers/0 >= 1' in/section-array.json
	[ "$status" -eq 0 ]
	[ "${lines[11]}" = "PASS /workers/0: 1 >= 1" ]
	bad section-array "soak-gate: in/section-array.json: /workers/01: expected an object at /workers, not an array (\"01\" is no index)" --skip workers.died --require '/workers/01 >= 1'
}
@test "a count below 0 or with a fraction: exit 2" {
	bad negative-count "soak-gate: in/negative-count.json: /lock_timeout: expected a count (an integer >= 0)"
	bad fraction-count "soak-gate: in/fraction-count.json: /verify/lost: expected a count (an integer >= 0)"
}
@test "counts past 2^53 compare exactly: one short of the target fails" { golden big-count 1; }

# with KEY VALUE: in/pass.json with KEY (a path, as jq writes it) set to the
# number text VALUE, as it was written, in $BATS_TEST_TMPDIR/d.json.
with() {
	jq --arg v "@@$2@@" "$1 = \$v" in/pass.json | sed "s/\"@@\\([^@]*\\)@@\"/\\1/" > "$BATS_TEST_TMPDIR/d.json"
	grep -qF -- "$2" "$BATS_TEST_TMPDIR/d.json"
}

@test "a count whose fraction a double would lose: exit 2, never a PASS" {
	local kv
	for kv in .ops_completed=1.9999999999999999 .cache_hits_warm=0.99999999999999999999 \
	    .lock_timeout=1.0000000000000000001 .lines.malformed=1e-400 .workers.died=1e-400 \
	    .verify.lost=9223372036854775807.5; do
		with "${kv%%=*}" "${kv#*=}"
		run --separate-stderr soak-gate "$BATS_TEST_TMPDIR/d.json"
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "soak-gate: $BATS_TEST_TMPDIR/d.json: $(tr . / <<< "${kv%%=*}"): expected a count (an integer >= 0)" ]
	done
	# events.lost is a number (more seen than expected is below 0): a
	# double would make 1e-400 equal 0.
	with .events.lost 1e-400
	run soak-gate "$BATS_TEST_TMPDIR/d.json"
	[ "$status" -eq 1 ]
	[ "${lines[7]}" = "FAIL events.lost: 1e-400 != 0" ]
	with .events.lost -0.0e9
	run soak-gate "$BATS_TEST_TMPDIR/d.json"
	[ "$status" -eq 0 ]
	[ "${lines[7]}" = "PASS events.lost: -0.0e9" ]
}

@test "a count written with a point or an exponent is still compared exactly" {
	with .ops_completed 92233720368547758060e-1
	run soak-gate --min-ops 9223372036854775807 "$BATS_TEST_TMPDIR/d.json"
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "FAIL ops_completed: 92233720368547758060e-1 < 9223372036854775807" ]
	with .ops_completed 9223372036854775807.000
	run soak-gate --min-ops 9223372036854775807 "$BATS_TEST_TMPDIR/d.json"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "PASS ops_completed: 9223372036854775807.000 >= 9223372036854775807" ]
}
@test "a key holding a NUL byte is another key: the real lock_timeout fails" { golden nul-key 1; }

@test "input over 64 MiB: exit 2" {
	run --separate-stderr bash -c '{ head -c 67108864 /dev/zero | tr "\0" " "; echo "{}"; } | soak-gate'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: <stdin>: input larger than 64 MiB" ]
}

@test "unreadable input: exit 2" {
	run --separate-stderr soak-gate in/does-not-exist.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: in/does-not-exist.json: No such file or directory" ]
	run --separate-stderr soak-gate in
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: in: Is a directory" ]
}

@test "usage errors: exit 2 with the synopsis" {
	run --separate-stderr soak-gate --bogus in/pass.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"usage: soak-gate [-q] [--json file]"* ]]
	run --separate-stderr soak-gate in/pass.json in/pass.json
	[ "$status" -eq 2 ]
	[[ "$stderr" == "soak-gate: one metrics document at most, 2 given
usage: soak-gate"* ]]
	[ "${stderr##*
}" = "       soak-gate --version" ]
	run --separate-stderr soak-gate --version
	[ "$status" -eq 0 ]
	[ "$output" = "soak-gate 1.0.0" ]
	run --separate-stderr soak-gate --min-ops -1 in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-gate: --min-ops: "-1" is too small (0 to 9223372036854775807)' ]
	run --separate-stderr soak-gate --max-lock-timeouts x in/pass.json
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-gate: --max-lock-timeouts: "x" is invalid (0 to 9223372036854775807)' ]
}

@test "a write error on stdout: message, exit 2" {
	run --separate-stderr bash -c 'soak-gate in/pass.json > /dev/full'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: stdout: No space left on device" ]
	run --separate-stderr soak-gate --json /dev/full in/pass.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: /dev/full: No space left on device" ]
}

@test "--json - on a full disk: the error, and no report that says PASS" {
	run --separate-stderr bash -c 'soak-gate --json - in/pass.json > /dev/full'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: stdout: No space left on device" ]
}

# examples: the EXAMPLES displays of soak-gate(1) as a reader sees them
# (rendered, the indent taken off), a NUL after each.
examples() {
	mandoc -T utf8 "$SOAK_TOP/man/soak-gate.1" | col -bx | awk '
	    /^[A-Z]/ { sec = $0; next }
	    sec == "EXAMPLES" && /^           / { sub(/^           /, ""); b = b $0 "\n"; next }
	    b != "" { printf "%s%c", b, 0; b = "" }
	    END { if (b != "") printf "%s%c", b, 0 }'
}

# ci_script: the commands of a CI job's script: list in YAML on stdin.
ci_script() {
	awk '/^  script:/ { on = 1; next } on && /^    - / { sub(/^    - /, ""); print; next } { on = 0 }'
}

@test "the man page's EXAMPLES run as pasted, in order, in a folder of sources" {
	mapfile -d '' blocks < <(examples)
	[ "${#blocks[@]}" -eq 7 ]
	cd "$BATS_TEST_TMPDIR"
	cp "$SOAK_TOP"/gate/*.c .
	for b in "${blocks[@]}"; do
		if [[ "${b%%$'\n'*}" == *: ]]; then
			# A CI job: its script runs; the files it names exist.
			cmds=$(ci_script <<<"$b")
			[ -n "$cmds" ]
			[[ "$b" == *"      junit: soak-gate.xml"* ]]
			[[ "$cmds" == *"--junit soak-gate.xml"* ]]
			b=$cmds
		fi
		run --separate-stderr env GITHUB_STEP_SUMMARY="$PWD/summary.md" bash -e -c "$b"
		echo "$b=> $status" >&2
		if [[ "$b" == *--baseline* ]] && ! jq -e 'has("chaos")' metrics.json > /dev/null; then
			# A soak-extract from before chaos counts leaves the one
			# comparison that needs them failing closed, nothing else.
			[ "$(printf '%s\n' "${lines[@]}" | grep '^FAIL [a-z]')" = "FAIL baseline.chaos.unrecovered: the baseline has no /chaos/unrecovered" ]
			[[ "${lines[-1]}" == "FAIL (1 of "* ]]
			grep -q '^INFO latency ast.symbols: p50 ' <<<"$output"
			continue
		fi
		[ "$status" -eq 0 ]
		[ -z "$output" ] || [ "${lines[-1]}" = PASS ]
	done
	[ "$(jq -r .verdict verdict.json)" = PASS ]
	[ "$(jq -r '.criteria[-1].name' verdict.json)" = /cache/hit_rate_warm ]
	xmllint --noout soak-gate.xml
	[ "$(xmllint --xpath 'string(//testsuite/@failures)' soak-gate.xml)" = 0 ]
	grep -q '^| `integrity_check` | `"ok"` | `== "ok"` | PASS |$' soak-gate.md
	grep -q '^## soak-gate: PASS$' summary.md
}

@test "the man page renders its quotes right, in mandoc and groff, and speaks to users" {
	page=$(mandoc -T utf8 "$SOAK_TOP/man/soak-gate.1" | col -bx)
	! grep -n '""' <<<"$page" || false
	# A quote left open before the next one: ("null, "null in ...").
	! grep -nE '\("[^"]*[,;] "' <<<"$(words <<<"$page")" || false
	grep -qF 'verdict ("PASS" or "FAIL")' <<<"$(words <<<"$page")"
	! grep -inE 'seed|trifecta|history' <<<"$page" || false
	page=$(groff -mdoc -Tutf8 "$SOAK_TOP/man/soak-gate.1" | col -bx)
	! grep -n '""' <<<"$page" || false
	grep -qF 'verdict ("PASS" or "FAIL")' <<<"$(words <<<"$page")"
}

# Chaos kills and the write-ahead log.
@test "chaos.unrecovered 0: PASS" { golden chaos-pass 0; }
@test "chaos.unrecovered above 0: FAIL" { golden chaos-fail 1; }
@test "chaos null: chaos.unrecovered SKIPs" { golden chaos-null 0; }
@test "chaos absent (an older document): chaos.unrecovered SKIPs" {
	run soak-gate in/pass.json
	[ "$status" -eq 0 ]
	[ "${lines[9]}" = "SKIP chaos.unrecovered: not in metrics" ]
	[ "${lines[D]}" = "PASS" ]
}
@test "chaos.unrecovered of the wrong type: exit 2" {
	bad wrong-type-chaos "soak-gate: in/wrong-type-chaos.json: /chaos/unrecovered: expected a number"
}
@test "--max-wal-bytes above the WAL's peak: PASS" { judge wal-pass chaos-pass 0 --max-wal-bytes 1048576; }
@test "--max-wal-bytes at the WAL's peak: PASS" { judge wal-at chaos-pass 0 --max-wal-bytes 4152; }
@test "--max-wal-bytes below the WAL's peak: FAIL" { judge wal-fail chaos-fail 1 --max-wal-bytes 1048576; }
@test "--max-wal-bytes with db null: fails closed, no samples" { judge wal-null chaos-null 1 --max-wal-bytes 1048576; }
@test "--max-wal-bytes with db absent: fails closed, no samples" { judge wal-missing pass 1 --max-wal-bytes 1048576; }
@test "no --max-wal-bytes: no db.wal_bytes_max line" {
	run soak-gate in/chaos-fail.json
	[ "$status" -eq 1 ]
	! grep -q wal_bytes <<<"$output" || false
}
@test "--max-wal-bytes takes a count" {
	run --separate-stderr soak-gate --max-wal-bytes -1 in/pass.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'soak-gate: --max-wal-bytes: "-1" is too small (0 to 9223372036854775807)' ]
}

@test "--require keeps a long string limit whole: it matches" {
	long=$(printf 'r%.0s' $(seq 300))
	jq --arg r "$long" '.run_id = $r' in/pass.json > "$BATS_TEST_TMPDIR/long.json"
	run --separate-stderr soak-gate --require "/run_id == \"$long\"" "$BATS_TEST_TMPDIR/long.json"
	[ "$status" -eq 0 ]
	[ "${lines[D]:0:14}" = 'PASS /run_id: ' ]
	run --separate-stderr soak-gate --require "/run_id != \"${long}x\"" "$BATS_TEST_TMPDIR/long.json"
	[ "$status" -eq 0 ]
	run --separate-stderr soak-gate --require "/run_id == \"${long}x\"" "$BATS_TEST_TMPDIR/long.json"
	[ "$status" -eq 1 ]
	[ "${lines[D]}" = "FAIL /run_id: \"$long\" != \"${long}x\"" ]
}

@test "a long value and a long --require name print whole, in the report and the verdict" {
	long=$(printf 'r%.0s' $(seq 300))
	jq --arg r "$long" '.run_id = $r' in/pass.json > "$BATS_TEST_TMPDIR/long.json"
	run --separate-stderr soak-gate --require "/run_id == \"$long\"" "$BATS_TEST_TMPDIR/long.json"
	[ "$status" -eq 0 ]
	[ "${lines[D]}" = "PASS /run_id: \"$long\"" ]
	key=$(printf 'k%.0s' $(seq 600))
	run --separate-stderr soak-gate --json "$BATS_TEST_TMPDIR/v.json" --require "/counts/$key == 1" in/pass.json
	[ "$status" -eq 1 ]
	[ "${lines[D]}" = "FAIL /counts/$key: not in metrics" ]
	[ "$(jq -r ".criteria[$D].name" "$BATS_TEST_TMPDIR/v.json")" = "/counts/$key" ]
}

# words FILE...: the words of the input, one space apart.
words() {
	tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'
}

@test "soak-gate --help: the synopsis on stdout, word for word the man page's, exit 0" {
	run --separate-stderr soak-gate --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]:0:17}" = "usage: soak-gate " ]
	page=$(mandoc -T utf8 "$SOAK_TOP/man/soak-gate.1" | col -bx |
	    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d' | words)
	[ "$(printf '%s\n' "$output" | sed 's/^usage: //' | words)" = "$page" ]
	# The same usage follows the reason of a usage error, on stderr.
	help=$output
	run --separate-stderr soak-gate --bogus
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | sed -n 1p)" = "soak-gate: unrecognized option '--bogus'" ]
	[ "$(printf '%s\n' "$stderr" | sed 1d)" = "$help" ]
}

@test "--help and --version check stdout: a full disk is exit 2" {
	run --separate-stderr bash -c 'soak-gate --help > /dev/full'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: stdout: No space left on device" ]
	run --separate-stderr bash -c 'soak-gate --version > /dev/full'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: stdout: No space left on device" ]
}

# What a new user met, each retried with the very command that showed it.

@test "soak-gate run by its path names itself as in every other message" {
	run --separate-stderr "$SOAK_B/soak-gate" --bogus
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-gate: unrecognized option '--bogus'" ]
	run --separate-stderr "$SOAK_B/soak-gate" -Z
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-gate: invalid option -- 'Z'" ]
}
@test "soak-gate --min-ops -1: one line in one voice, no usage" {
	run --separate-stderr soak-gate --min-ops -1 < /dev/null
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'soak-gate: --min-ops: "-1" is too small (0 to 9223372036854775807)' ]
}

@test "an empty path: one line naming the option or operand, exit 2" {
	for o in --json --junit --markdown --baseline; do
		run --separate-stderr soak-gate "$o" '' in/pass.json
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "soak-gate: $o: empty path" ]
	done
	run --separate-stderr soak-gate ''
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: operand 1: empty path" ]
}

@test "soak-gate a.json b.json: the reason first, then the usage" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr soak-gate a.json b.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "soak-gate: one metrics document at most, 2 given" ]
	[ "$(printf '%s\n' "$stderr" | sed 1d)" = "$(soak-gate --help)" ]
}

@test "soak-gate --help: usage on stdout, exit 0" {
	run --separate-stderr soak-gate --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == "usage: soak-gate "* ]]
}

@test "soak-gate on garbage: not JSON, with the place, no parser jargon" {
	run --separate-stderr bash -c 'echo garbage | soak-gate'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: <stdin>:1:1: not JSON" ]
	printf '{"ops_completed": 3,\n  "lock_timeout": 0 zzz}\n' > "$BATS_TEST_TMPDIR/m.json"
	run --separate-stderr soak-gate "$BATS_TEST_TMPDIR/m.json"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: $BATS_TEST_TMPDIR/m.json:2:21: not JSON" ]
}

@test "soak-gate on a UTF-8 byte-order mark: named as such, at 1:1" {
	cd "$BATS_TEST_TMPDIR"
	{ printf '\357\273\277'; cat "$SOAK_TOP/tests/gate/in/pass.json"; } > m.json
	run --separate-stderr soak-gate m.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: m.json:1:1: a UTF-8 byte-order mark" ]
}

@test "soak-gate on a document that is not an object names what it is" {
	for doc in '[]:an array' '"m":a string' '42:a number' 'true:true' 'null:null'; do
		run --separate-stderr bash -c 'printf "%s\n" "$1" | soak-gate' _ "${doc%%:*}"
		[ "$status" -eq 2 ]
		[ "$stderr" = "soak-gate: <stdin>: not an object (${doc#*:})" ]
	done
}

# --skip: a default criterion dropped on purpose.
@test "--skip NAME,NAME --skip NAME: SKIP (--skip), counted, not judged" { judge skip fail-lock 0 --skip integrity_check,lock_timeout --skip chaos.unrecovered; }
@test "--skip in the verdict document: SKIP with the detail (--skip)" {
	run --separate-stderr soak-gate --skip lock_timeout --json - in/fail-lock.json
	[ "$status" -eq 0 ]
	[ "$(jq -c '.criteria[3] | [.name, .observed, .status, .detail]' <<<"$output")" = '["lock_timeout",3,"SKIP","(--skip)"]' ]
	[ "$(jq -c '[.criteria_total, .criteria_skipped]' <<<"$output")" = "[$D,3]" ]
}
@test "--skip a metric of the wrong type: not judged, no error" {
	run --separate-stderr soak-gate --skip lock_timeout in/wrong-type.json
	[ "$status" -eq 0 ]
	[ "${lines[3]}" = "SKIP lock_timeout: (--skip)" ]
}
@test "--skip a name that is no default criterion: exit 2, naming the choices" {
	names="integrity_check, ops_completed, cache_hits_warm, lock_timeout, verify.lost, verify.corrupt, workers.died, events.lost, lines.malformed, chaos.unrecovered, shards.missing"
	for bad in x integrity_check,nope "" cache.hit_rate_warm /lock_timeout; do
		run --separate-stderr soak-gate --skip "$bad" in/pass.json
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		want=${bad#integrity_check,}
		[ "$stderr" = "soak-gate: --skip: \"$want\" is not a criterion (one of: $names)" ]
	done
}
@test "exec mode without --db: soak-harness -n 3 -w 1 -- true | soak-extract | soak-gate, and --skip integrity_check" {
	cd "$BATS_TEST_TMPDIR"
	run bash -c 'soak-harness -n 3 -w 1 -- true | soak-extract | soak-gate --min-warm-hits 0'
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "FAIL integrity_check: null (integrity was not measured)" ]
	run bash -c 'soak-harness -n 3 -w 1 -- true | soak-extract | soak-gate --min-warm-hits 0 --skip integrity_check'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "SKIP integrity_check: (--skip)" ]
	[ "${lines[-1]}" = "PASS" ]
}

@test "soak-gate --json /nonexistent/dir/v.json m.json: exit 2 before anything is printed" {
	cd "$BATS_TEST_TMPDIR"
	cp "$SOAK_TOP/tests/gate/in/pass.json" m.json
	run --separate-stderr soak-gate --json /nonexistent/dir/v.json m.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: /nonexistent/dir/v.json: No such file or directory" ]
	# A failing verdict is no different: the report is never printed.
	run --separate-stderr soak-gate --json /nonexistent/dir/v.json "$SOAK_TOP/tests/gate/in/fail-lock.json"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
}

@test "--json: exit 2 leaves no verdict file behind, new or old" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr soak-gate --json v.json "$SOAK_TOP/tests/gate/in/invalid.json"
	[ "$status" -eq 2 ]
	[ ! -e v.json ]
	echo '{"verdict": "PASS"}' > v.json
	run --separate-stderr soak-gate --json v.json "$SOAK_TOP/tests/gate/in/wrong-type.json"
	[ "$status" -eq 2 ]
	[ ! -e v.json ]
	run --separate-stderr bash -c 'soak-gate --json v.json "$1" > /dev/full' _ "$SOAK_TOP/tests/gate/in/pass.json"
	[ "$status" -eq 2 ]
	[ ! -e v.json ]
}

@test "two reports naming one file: refused, no report left" {
	cd "$BATS_TEST_TMPDIR"
	cp "$SOAK_TOP/tests/gate/in/pass.json" m.json
	run --separate-stderr soak-gate --json out --junit out m.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: out: --junit would overwrite --json's output" ]
	[ ! -e out ]
	ln -s out link
	run --separate-stderr soak-gate --json out --markdown link m.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: link: --markdown would overwrite --json's output" ]
	[ ! -e out ]
	run soak-gate --json a.json --junit b.xml --markdown c.md m.json
	[ "$status" -eq 0 ]
	[ -s a.json ]
	[ -s b.xml ]
	[ -s c.md ]
	# Nor a report and standard output, when it carries the text or one.
	run --separate-stderr bash -c 'soak-gate --json o m.json > o'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: o: --json would overwrite standard output" ]
	run --separate-stderr bash -c 'soak-gate --json - --junit /dev/stdout m.json > o'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: /dev/stdout: --junit would overwrite standard output" ]
	run bash -c 'soak-gate -q --json o m.json > o'
	[ "$status" -eq 0 ]
	[ "$(jq -r .verdict o)" = PASS ]
	# A device takes any number of writers.
	run soak-gate --json /dev/null --junit /dev/null m.json
	[ "$status" -eq 0 ]
}

@test "--json naming the input itself: refused, the input intact" {
	cd "$BATS_TEST_TMPDIR"
	cp "$SOAK_TOP/tests/gate/in/pass.json" m.json
	run --separate-stderr soak-gate --json m.json m.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: m.json: --json would overwrite an input" ]
	cmp m.json "$SOAK_TOP/tests/gate/in/pass.json"
	run --separate-stderr bash -c 'soak-gate --json m.json < m.json'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: m.json: --json would overwrite an input" ]
	cmp m.json "$SOAK_TOP/tests/gate/in/pass.json"
}

@test "a report option whose file is a metrics document (its own argument forgotten): refused, intact" {
	cd "$BATS_TEST_TMPDIR"
	cp "$SOAK_TOP/tests/gate/in/pass.json" keep.json
	for opt in --json --junit --markdown; do
		run --separate-stderr soak-gate "$opt" keep.json < /dev/null
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "soak-gate: keep.json: $opt would overwrite a soak-metrics document" ]
		cmp keep.json "$SOAK_TOP/tests/gate/in/pass.json"
	done
	# An old verdict, or any other file, is the report's to replace.
	soak-gate --json v.json keep.json > /dev/null
	run soak-gate --json v.json keep.json
	[ "$status" -eq 0 ]
	[ "$(jq -r .schema v.json)" = soak-verdict/1 ]
}

@test "--json /dev/stdout under a pipe is standard output: the verdict alone there, the report on stderr" {
	run --separate-stderr bash -c 'soak-gate --json /dev/stdout in/pass.json | jq -c .verdict'
	[ "$status" -eq 0 ]
	[ "$output" = '"PASS"' ]
	[ "$(printf '%s\n' "$stderr" | tail -1)" = PASS ]
	run --separate-stderr bash -c 'soak-gate --json /dev/stdout --junit /dev/stdout in/pass.json | cat; exit "${PIPESTATUS[0]}"'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: /dev/stdout: --junit: standard output is taken by --json" ]
	run --separate-stderr bash -c 'soak-gate --json - --markdown /dev/stdout in/pass.json | cat; exit "${PIPESTATUS[0]}"'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: /dev/stdout: --markdown: standard output is taken by --json" ]
	run --separate-stderr bash -c 'soak-gate --json /dev/stdout --junit - in/pass.json | cat; exit "${PIPESTATUS[0]}"'
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'soak-gate: --junit: "-": standard output is taken by --json' ]
}

@test "the verdict document: indented by 2, [] and {} when empty, as jq --indent 2 writes it" {
	run --separate-stderr soak-gate --json - in/pass.json
	[ "$status" -eq 0 ]
	diff -u <(jq --indent 2 . <<<"$output") <(printf '%s\n' "$output")
	run --separate-stderr soak-gate --min-warm-hit-rate 0.5 --json - in/empty-object.json
	diff -u <(jq --indent 2 . <<<"$output") <(printf '%s\n' "$output")
	grep -q '^  "criteria": \[$' out/pass.verdict.json
	! grep -q '^    "schema"' out/pass.verdict.json || false
}

# JUnit XML and Markdown for CI systems.

# junit_lines FILE: each testcase as its report line, from the XML alone,
# with the element that holds it: "failure|FAIL lock_timeout: 3 > 1".
junit_lines() {
	local i n
	n=$(xmllint --xpath 'count(//testcase)' "$1")
	for ((i = 1; i <= n; i++)); do
		printf '%s|%s\n' "$(xmllint --xpath "name(//testcase[$i]/*[1])" "$1")" \
		    "$(xmllint --xpath "string(//testcase[$i]/*[1])" "$1")"
	done
}

@test "--junit and --markdown: the golden files of a mixed verdict" {
	run --separate-stderr soak-gate --junit "$BATS_TEST_TMPDIR/j.xml" \
	    --markdown "$BATS_TEST_TMPDIR/m.md" --skip verify.lost \
	    --require '/run_id == "r2"' in/fail-lock.json
	[ "$status" -eq 1 ]
	diff -u out/mixed.junit.xml "$BATS_TEST_TMPDIR/j.xml"
	diff -u out/mixed.md "$BATS_TEST_TMPDIR/m.md"
}

@test "--junit: xmllint accepts it; testcases, failures and skips match the text report line for line" {
	for args in "in/pass.json" "in/fail-verify.json" "in/empty-object.json" \
	    "--skip lock_timeout,verify.corrupt in/fail-lock.json" \
	    "--min-warm-hit-rate 0.5 --require /run_id==1 in/optional-null.json" \
	    "--baseline in/base.json in/cand-worse.json" "--baseline in/base.json in/cand-same.json"; do
		run --separate-stderr soak-gate --junit "$BATS_TEST_TMPDIR/j.xml" $args
		[ "$status" -le 1 ]
		xmllint --noout "$BATS_TEST_TMPDIR/j.xml"
		mapfile -t report < <(printf '%s\n' "${lines[@]}" | grep -v '^WARN \|^INFO ')
		summary=${report[-1]}
		unset 'report[-1]'
		mapfile -t cases < <(junit_lines "$BATS_TEST_TMPDIR/j.xml")
		[ "${#cases[@]}" -eq "${#report[@]}" ]
		for i in "${!report[@]}"; do
			case ${report[i]} in
			FAIL*) want=failure ;;
			SKIP*) want=skipped ;;
			*) want=system-out ;;
			esac
			[ "${cases[i]}" = "$want|${report[i]}" ]
			name=$(xmllint --xpath "string(//testcase[$((i + 1))]/@name)" "$BATS_TEST_TMPDIR/j.xml")
			[[ "${report[i]}" == ????" $name:"* ]]
		done
		x() { xmllint --xpath "$1" "$BATS_TEST_TMPDIR/j.xml"; }
		[ "$(x 'string(/testsuite/@tests)')" -eq "${#report[@]}" ]
		[ "$(x 'count(//failure)')" -eq "$(printf '%s\n' "${report[@]}" | grep -c '^FAIL')" ]
		[ "$(x 'string(/testsuite/@failures)')" -eq "$(x 'count(//failure)')" ]
		[ "$(x 'count(//skipped)')" -eq "$(printf '%s\n' "${report[@]}" | grep -c '^SKIP')" ]
		[ "$(x 'string(/testsuite/@skipped)')" -eq "$(x 'count(//skipped)')" ]
		[ "$(x 'string(//property[@name="verdict"]/@value)')" = "$summary" ]
	done
}

@test "--junit: a failure's message holds the value observed and the limit" {
	run --separate-stderr soak-gate --junit "$BATS_TEST_TMPDIR/j.xml" in/fail-lock.json
	[ "$status" -eq 1 ]
	[ "$(xmllint --xpath 'string(//testcase[@name="lock_timeout"]/failure/@message)' "$BATS_TEST_TMPDIR/j.xml")" = "observed: 3; limit: <= 1" ]
	run --separate-stderr soak-gate --junit "$BATS_TEST_TMPDIR/j.xml" in/missing-integrity.json
	[ "$(xmllint --xpath 'string(//testcase[@name="integrity_check"]/failure/@message)' "$BATS_TEST_TMPDIR/j.xml")" = 'observed: not in metrics; limit: == "ok"' ]
	run --separate-stderr soak-gate --junit "$BATS_TEST_TMPDIR/j.xml" in/no-target.json
	[ "$(xmllint --xpath 'string(//testcase[@name="ops_completed"]/failure/@message)' "$BATS_TEST_TMPDIR/j.xml")" = 'observed: 10, no target (give --min-ops, or a run-start event that records ops); limit: none' ]
}

@test "--junit: <&>, quotes, control and forbidden characters, bad bytes: still well-formed XML" {
	cd "$BATS_TEST_TMPDIR"
	cp "$SOAK_TOP/tests/gate/in/hostile.json" "h<&>'\".json"
	run --separate-stderr soak-gate --junit j.xml --markdown m.md \
	    --require $'/run_id\xff\x01 == "<r&1>"' --require '/run_id == "<r&1>"' "h<&>'\".json"
	[ "$status" -eq 1 ]
	xmllint --noout j.xml
	iconv -f UTF-8 -t UTF-8 j.xml > /dev/null
	iconv -f UTF-8 -t UTF-8 m.md > /dev/null
	[ "$(xmllint --xpath 'string(//property[@name="input"]/@value)' j.xml)" = "h<&>'\".json" ]
	[ "$(xmllint --xpath "string(//testcase[$D + 2]/@name)" j.xml)" = /run_id ]
	[ "$(xmllint --xpath "string(//testcase[$D + 1]/@name)" j.xml)" = $'/run_id\xef\xbf\xbd\xef\xbf\xbd' ]
	[ "$(xmllint --xpath "string(//testcase[$D + 2]/system-out)" j.xml)" = 'PASS /run_id: "<r&1>"' ]
	msg=$(xmllint --xpath 'string(//testcase[1]/failure/@message)' j.xml)
	[[ "$msg" == 'observed: "*** in database main ***\nPage 5: <&> \"quoted\" '"'apos'"' ]]> \u0001\u0000\u001F '$'\xef\xbf\xbd\xef\xbf\xbd'* ]]
	[[ "$msg" == *'; limit: == "ok"' ]]
}

@test "--markdown: one row per criterion, four cells each, whatever the values hold" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr soak-gate --markdown m.md --require $'/a|b`c\n == 1' "$SOAK_TOP/tests/gate/in/hostile.json"
	[ "$status" -eq 1 ]
	[ "$(sed -n 1p m.md)" = "## soak-gate: FAIL (2 of $((D + 1)) criteria failed)" ]
	[ "$(grep -c '^| `' m.md)" -eq $((D + 1)) ]
	# Cells split on a | that is not escaped: five on every row.
	while IFS= read -r row; do
		[ "$(sed 's/\\|//g' <<<"$row" | tr -cd '|' | wc -c)" -eq 5 ]
	done < <(grep '^|' m.md)
	grep -qF '| ``"*** in database main ***' m.md
	grep -qF '`tick` \| pipe"``' m.md
	grep -qF '| ``/a\|b`c'$'\xef\xbf\xbd''`` | `not in metrics` | `== 1` | FAIL |' m.md
}

@test "--junit, --markdown: written whatever the verdict, -q too, before the exit status" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr soak-gate -q --junit j.xml --markdown m.md --json v.json "$SOAK_TOP/tests/gate/in/fail-lock.json"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	xmllint --noout j.xml
	[ "$(xmllint --xpath 'string(/testsuite/@failures)' j.xml)" = 1 ]
	grep -q '^| `lock_timeout` | `3` | `<= 1` | FAIL |$' m.md
	[ "$(jq -r .verdict v.json)" = FAIL ]
}

@test "--junit, --markdown: a path that cannot be written is exit 2 before anything is printed" {
	cd "$BATS_TEST_TMPDIR"
	for opt in --junit --markdown; do
		run --separate-stderr soak-gate --json v.json $opt /nonexistent/dir/x "$SOAK_TOP/tests/gate/in/pass.json"
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "soak-gate: /nonexistent/dir/x: No such file or directory" ]
		[ ! -e v.json ]
		run --separate-stderr soak-gate $opt /dev/full "$SOAK_TOP/tests/gate/in/pass.json"
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[ "$stderr" = "soak-gate: /dev/full: No space left on device" ]
	done
}

@test "--junit, --markdown: exit 2 removes them, and the input is never overwritten" {
	cd "$BATS_TEST_TMPDIR"
	echo old > j.xml
	run --separate-stderr soak-gate --junit j.xml --markdown m.md "$SOAK_TOP/tests/gate/in/wrong-type.json"
	[ "$status" -eq 2 ]
	[ ! -e j.xml ]
	[ ! -e m.md ]
	cp "$SOAK_TOP/tests/gate/in/pass.json" m.json
	run --separate-stderr soak-gate --junit j.xml --markdown m.json m.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: m.json: --markdown would overwrite an input" ]
	[ ! -e j.xml ]
	cmp m.json "$SOAK_TOP/tests/gate/in/pass.json"
}

@test "--junit - or --markdown -: on stdout, the report on stderr; one output at most on stdout" {
	run --separate-stderr soak-gate --markdown - in/fail-lock.json
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "## soak-gate: FAIL (1 of $D criteria failed)" ]
	[ "$(printf '%s\n' "$stderr" | sed -n 4p)" = "FAIL lock_timeout: 3 > 1" ]
	run --separate-stderr soak-gate --junit - in/pass.json
	[ "$status" -eq 0 ]
	xmllint --noout - <<<"$output"
	run --separate-stderr soak-gate --json - --markdown - in/pass.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'soak-gate: --markdown: "-": standard output is taken by --json' ]
}

@test "--json: a name or path that is not UTF-8 still gives valid JSON, with U+FFFD" {
	cd "$BATS_TEST_TMPDIR"
	cp "$SOAK_TOP/tests/gate/in/pass.json" $'m\xff.json'
	run --separate-stderr soak-gate --json v.json --require $'/k\xfe == 1' $'m\xff.json'
	[ "$status" -eq 1 ]
	iconv -f UTF-8 -t UTF-8 v.json > /dev/null
	[ "$(jq -r .input v.json)" = $'m\xef\xbf\xbd.json' ]
	[ "$(jq -r '.criteria[-1].name' v.json)" = $'/k\xef\xbf\xbd' ]
}

# Shards: a run spread over hosts, each shard a part.
@test "shards.missing []: PASS" { golden shards-pass 0; }
@test "a shard missing: FAIL naming it" { golden shards-missing 1; }
@test "shards null (no shards): shards.missing SKIPs" { golden shards-null 0; }
@test "a shards object without missing: fails closed" { golden shards-no-list 1; }
@test "shards.missing not an array: exit 2" {
	bad wrong-type-shards "soak-gate: in/wrong-type-shards.json: /shards/missing: expected an array"
}
@test "shards.missing in the verdict document, JUnit and Markdown" {
	run --separate-stderr soak-gate --json - --junit "$BATS_TEST_TMPDIR/j.xml" \
	    --markdown "$BATS_TEST_TMPDIR/m.md" in/shards-missing.json
	[ "$status" -eq 1 ]
	[ "$(jq -c '.criteria[10] | [.name, .observed, .limit, .status]' <<<"$output")" = '["shards.missing",[2],[],"FAIL"]' ]
	[ "$(xmllint --xpath 'string(//testcase[@name="shards.missing"]/failure/@message)' "$BATS_TEST_TMPDIR/j.xml")" = "observed: [2]; limit: == []" ]
	grep -qF '| `shards.missing` | `[2]` | `== []` | FAIL |' "$BATS_TEST_TMPDIR/m.md"
}

# --baseline: this run against an earlier one, on stable figures.

# compare OUT IN STATUS [ARGS...]: judge in/IN.json against in/base.json.
compare() {
	local out=$1 in=$2 want=$3
	shift 3
	judge "$out" "$in" "$want" --baseline in/base.json "$@"
}

@test "--baseline: no worse, only slower: PASS, the latency on INFO lines" { compare baseline-same cand-same 0; }
@test "--baseline: every comparison fails on its own figure, config differences on WARN lines" { compare baseline-worse cand-worse 1; }
@test "--baseline: every config field that differs has its WARN line, and does not fail" { compare baseline-config cand-config 0; }
@test "--baseline: tolerances let each figure rise, or the hit rate drop" {
	compare baseline-tolerances cand-worse 0 --max-hit-rate-drop 0.1 \
	    --max-rise lock_timeout=2 --max-rise cache_errors=1 --max-rise chaos.unrecovered=1 \
	    --max-rise ops_failed=2 --max-rise events.lost=2 --max-rise workers.died=1 \
	    --skip lock_timeout,workers.died,events.lost,chaos.unrecovered
}
# jq would round these counts through doubles; sed keeps their digits.
@test "--baseline: a count and its rise are added and compared exactly, past 2^53 and 2^63" {
	local m=9223372036854775807 t=$BATS_TEST_TMPDIR
	sed 's/"ops_failed": 0/"ops_failed": 9007199254740992/' in/base.json > "$t/b.json"
	sed 's/"ops_failed": 0/"ops_failed": 9007199254740993/' in/cand-same.json > "$t/c.json"
	run soak-gate --baseline "$t/b.json" "$t/c.json"
	[ "$status" -eq 1 ]
	[ "$(grep baseline.ops_failed <<<"$output")" = 'FAIL baseline.ops_failed: 9007199254740993 > 9007199254740992 (baseline 9007199254740992 + 0)' ]
	run soak-gate --baseline "$t/b.json" --max-rise ops_failed=1 "$t/c.json"
	[ "$status" -eq 0 ]
	[ "$(grep baseline.ops_failed <<<"$output")" = 'PASS baseline.ops_failed: 9007199254740993 <= 9007199254740993 (baseline 9007199254740992 + 1)' ]
	sed "s/\"lock_timeout\": 1,/\"lock_timeout\": $m,/" in/base.json > "$t/b.json"
	sed 's/"lock_timeout": 1,/"lock_timeout": 18446744073709551615,/' in/cand-same.json > "$t/c.json"
	run soak-gate --baseline "$t/b.json" --max-rise lock_timeout=$m "$t/c.json"
	[ "$status" -eq 1 ]
	[ "$(grep baseline.lock_timeout <<<"$output")" = "FAIL baseline.lock_timeout: 18446744073709551615 > 18446744073709551614 (baseline $m + $m)" ]
	# A baseline figure that is no count is refused, as this run's are.
	sed 's/"ops_failed": 0/"ops_failed": 9007199254740992.5/' in/base.json > "$t/b.json"
	run --separate-stderr soak-gate --baseline "$t/b.json" in/cand-same.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: $t/b.json: /ops_failed: expected a count (an integer >= 0)" ]
	sed 's/"ops_failed": 0/"ops_failed": 2.5/' in/cand-same.json > "$t/c.json"
	run --separate-stderr soak-gate --baseline in/base.json "$t/c.json"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: $t/c.json: /ops_failed: expected a count (an integer >= 0)" ]
}
@test "ops_requested that is no count is refused, not taken as the target" {
	t=$BATS_TEST_TMPDIR
	for v in -1 5.5 1e400 '"5"'; do
		# jq would round 1e400: the value goes in as written.
		jq '.ops_requested = "@V@" | .ops_completed = 0' in/pass.json |
		    sed "s/\"@V@\"/$v/" > "$t/m.json"
		run --separate-stderr soak-gate "$t/m.json"
		[ "$status" -eq 2 ] || { echo "$v: $status"; false; }
		case $v in
		-1|5.5) why='expected a count (an integer >= 0)' ;;
		1e400) why='number out of range' ;;
		*) why='expected a number' ;;
		esac
		[ "$stderr" = "soak-gate: $t/m.json: /ops_completed: its target /ops_requested: $why" ]
	done
	# A count however written is the target, as written.
	jq '.ops_requested = "@V@" | .ops_completed = 20' in/pass.json |
	    sed 's/"@V@"/2e1/' > "$t/m.json"
	run soak-gate "$t/m.json"
	[ "$status" -eq 0 ]
	grep -qxF 'PASS ops_completed: 20 >= 2e1' <<<"$output"
}
@test "--baseline: an error code holding a NUL byte is its own code, compared" {
	t=$BATS_TEST_TMPDIR
	jq '.cache_errors = {"SQLITE_BUSY": 1}' in/cand-same.json > "$t/b.json"
	jq '.cache_errors = {"SQLITE_BUSY": 1, "SQLITE_BUSY\u0000": 5}' in/cand-same.json > "$t/c.json"
	run soak-gate --baseline "$t/b.json" "$t/c.json"
	[ "$status" -eq 1 ]
	[ "$(grep '^FAIL [a-z]' <<<"$output")" = 'FAIL baseline.cache_errors.SQLITE_BUSY\u0000: 5 > 0 (baseline 0 + 0)' ]
	grep -qxF 'PASS baseline.cache_errors.SQLITE_BUSY: 1 <= 1 (baseline 1 + 0)' <<<"$output"
	run soak-gate --baseline "$t/b.json" --json "$t/v.json" "$t/c.json"
	[ "$(jq -r '.criteria[] | select(.status == "FAIL") | .pointer' "$t/v.json")" = '/cache_errors/SQLITE_BUSY\u0000' ]
}
@test "--baseline: a figure the baseline lacks fails closed, naming the field" {
	judge baseline-missing cand-same 1 --baseline in/base-missing.json
	grep -qxF 'FAIL baseline.lock_timeout: 1, the baseline has no /lock_timeout' out/baseline-missing.out
	grep -qxF 'FAIL baseline.cache_errors: {"SQLITE_BUSY":1}, the baseline has no /cache_errors' out/baseline-missing.out
}
@test "--baseline: null in the baseline fails; null in both skips; null chaos is no kill" {
	judge baseline-nulls cand-same 1 --baseline in/base-nulls.json
	jq '.events.lost = null' in/cand-same.json > "$BATS_TEST_TMPDIR/c.json"
	run soak-gate --baseline in/base-nulls.json "$BATS_TEST_TMPDIR/c.json"
	[ "$status" -eq 0 ]
	grep -qxF 'SKIP baseline.events.lost: null in both' <<<"$output"
	grep -qxF 'PASS baseline.chaos.unrecovered: 0 <= 0 (baseline 0 + 0)' <<<"$output"
}
@test "--baseline: a figure under a null object is null: it fails in one run, is skipped in both" {
	jq '.events = null' in/cand-same.json > "$BATS_TEST_TMPDIR/c.json"
	run soak-gate --baseline in/base.json "$BATS_TEST_TMPDIR/c.json"
	[ "$status" -eq 1 ]
	[ "$(grep '^FAIL [a-z]' <<<"$output")" = 'FAIL baseline.events.lost: null' ]
	run soak-gate --baseline "$BATS_TEST_TMPDIR/c.json" in/cand-same.json
	[ "$status" -eq 1 ]
	[ "$(grep '^FAIL [a-z]' <<<"$output")" = 'FAIL baseline.events.lost: 0, null in the baseline' ]
	# A document with no worker events (workers null) against itself.
	jq '.workers = null' in/cand-same.json > "$BATS_TEST_TMPDIR/w.json"
	run soak-gate --baseline "$BATS_TEST_TMPDIR/w.json" "$BATS_TEST_TMPDIR/w.json"
	[ "$status" -eq 0 ]
	grep -qxF 'SKIP baseline.workers.died: null in both' <<<"$output"
}
@test "--baseline: the latency line, p95 42 -> 126 ms, 3.00x, never gated" {
	run soak-gate --baseline in/base.json in/cand-same.json
	[ "$status" -eq 0 ]
	grep -qxF 'INFO latency ast.symbols: p50 13 -> 14.5 ms, 1.12x; p95 42 -> 126 ms, 3.00x' <<<"$output"
	# A cmd only one run has gets no line; a p50 of 0 no ratio.
	! grep -q 'ast.cache.miss' <<<"$output" || false
	jq '.latency_ms["ast.symbols"].p50 = 0' in/base.json > "$BATS_TEST_TMPDIR/b.json"
	run soak-gate --baseline "$BATS_TEST_TMPDIR/b.json" in/cand-same.json
	grep -qxF 'INFO latency ast.symbols: p50 0 -> 14.5 ms, n/a; p95 42 -> 126 ms, 3.00x' <<<"$output"
}
@test "--baseline-strict: any config difference is exit 2 before judging, each named" {
	run --separate-stderr soak-gate --baseline in/base.json --baseline-strict --json "$BATS_TEST_TMPDIR/v.json" in/cand-worse.json
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = 'soak-gate: --baseline-strict: config.workers differs: 4 -> 8
soak-gate: --baseline-strict: config.journal_mode differs: "wal" -> "delete"
soak-gate: --baseline-strict: config.command differs: null -> ["sqlite3","x.db"]' ]
	[ ! -e "$BATS_TEST_TMPDIR/v.json" ]
	run --separate-stderr soak-gate --baseline in/base.json --baseline-strict in/cand-same.json
	[ "$status" -eq 0 ]
}
@test "--baseline on a file that is no metrics document, or of another schema version: exit 2 with the reason" {
	bad cand-same 'soak-gate: in/base-no-schema.json: not a soak-metrics document (no "schema")' --baseline in/base-no-schema.json
	bad cand-same 'soak-gate: in/base-verdict.json: not a soak-metrics document (schema "soak-verdict/1")' --baseline in/base-verdict.json
	bad cand-same 'soak-gate: in/base-v2.json: schema "soak-metrics/2": another version (soak-gate reads soak-metrics/1)' --baseline in/base-v2.json
	bad cand-same 'soak-gate: in/array.json: not an object (an array)' --baseline in/array.json
	bad cand-same 'soak-gate: in/invalid.json:2:22: not JSON' --baseline in/invalid.json
	bad cand-same 'soak-gate: in/nope.json: No such file or directory' --baseline in/nope.json
	bad cand-same 'soak-gate: in/base-wrong-type.json: /lock_timeout: expected a number' --baseline in/base-wrong-type.json
}
@test "--baseline options: in one voice, and only with --baseline" {
	bad pass 'soak-gate: --max-rise needs --baseline' --max-rise lock_timeout=1
	bad pass 'soak-gate: --max-hit-rate-drop needs --baseline' --max-hit-rate-drop 0.1
	bad pass 'soak-gate: --baseline-strict needs --baseline' --baseline-strict
	bad pass 'soak-gate: --max-rise: "x" is not one of: lock_timeout, cache_errors, ops_failed, events.lost, workers.died, chaos.unrecovered' --baseline in/base.json --max-rise x=1
	bad pass 'soak-gate: --max-rise: "lock_timeout" is not NAME=N' --baseline in/base.json --max-rise lock_timeout
	bad pass 'soak-gate: --max-rise: "-1" is too small (0 to 9223372036854775807)' --baseline in/base.json --max-rise lock_timeout=-1
	bad pass 'soak-gate: --max-hit-rate-drop: "2" is too large (0 to 1)' --baseline in/base.json --max-hit-rate-drop 2
}
@test "--baseline -: the baseline on stdin, the metrics from the operand, never both" {
	run --separate-stderr bash -c 'soak-gate --baseline - in/cand-same.json < in/base.json'
	[ "$status" -eq 0 ]
	diff -u out/baseline-same.out <(printf '%s\n' "$output")
	run --separate-stderr bash -c 'soak-gate --baseline - < in/base.json'
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-gate: --baseline: "-": standard input is the metrics document already' ]
	run --separate-stderr soak-gate --baseline in/base.json --junit in/base.json in/cand-same.json
	[ "$status" -eq 2 ]
	[ "$stderr" = 'soak-gate: in/base.json: --junit would overwrite an input' ]
}
@test "--baseline with documents of nothing: every comparison fails closed" {
	compare baseline-empty empty-object 1
	judge baseline-from-empty base 1 --baseline in/base-empty.json
}
@test "--baseline: the verdict document, the JUnit file and the Markdown carry the comparison" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr soak-gate --baseline "$SOAK_TOP/tests/gate/in/base.json" \
	    --json v.json --junit j.xml --markdown m.md "$SOAK_TOP/tests/gate/in/cand-worse.json"
	[ "$status" -eq 1 ]
	# The goldens name their inputs as in/...: compare all but those.
	o=$SOAK_TOP/tests/gate/out
	diff -u <(jq 'del(.input, .baseline.input)' "$o/baseline-worse.verdict.json") <(jq 'del(.input, .baseline.input)' v.json)
	[ "$(jq -r .baseline.input v.json)" = "$SOAK_TOP/tests/gate/in/base.json" ]
	xmllint --noout j.xml
	diff -u <(grep -v 'name="input"\|name="baseline"' "$o/baseline-worse.junit.xml") <(grep -v 'name="input"\|name="baseline"' j.xml)
	diff -u <(grep -v '^Input: \|^Compared with' "$o/baseline-worse.md") <(grep -v '^Input: \|^Compared with' m.md)
	# The text report's WARN and INFO lines are the suite's system-out.
	[ "$(xmllint --xpath 'string(/testsuite/system-out)' j.xml)" = "$(printf '%s\n' "${lines[@]}" | grep '^WARN \|^INFO ')" ]
	[ "$(jq -c '.baseline.latency[0]' v.json)" = '{"cmd":"ast.symbols","p50":{"baseline":13,"candidate":13,"ratio":1},"p95":{"baseline":42,"candidate":42,"ratio":1}}' ]
	[ "$(jq -c '.criteria[] | select(.name == "baseline.lock_timeout") | [.observed, .limit, .baseline, .tolerance, .status]' v.json)" = '[3,1,1,0,"FAIL"]' ]
	[ "$(jq -c '.baseline.config[0]' v.json)" = '{"field":"workers","baseline":4,"candidate":8}' ]
}
@test "no --baseline: the verdict document's baseline is null" {
	run --separate-stderr soak-gate --json - in/pass.json
	[ "$(jq -c .baseline <<<"$output")" = null ]
}
