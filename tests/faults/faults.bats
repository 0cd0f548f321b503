#!/usr/bin/env bats
# The adversarial corpus of issue 6 for soak-extract and soak-gate, in one
# place: each input answered as the man pages say, compared exactly
# (metrics documents byte for byte, gate reports line for line, stderr
# word for word), and the output faults: a full disk and a closed pipe.
# Big inputs are made at test time under $BATS_TEST_TMPDIR.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME"
	T=$BATS_TEST_TMPDIR
}

# extract NAME STDERR: soak-extract -v in/NAME.jsonl exits 0, prints
# out/NAME.json byte for byte and exactly STDERR; the gate judges that
# document as out/NAME.gate says, with exit status GATE (default 1).
extract() {
	local name=$1 msg=$2 gate=${3:-1}
	run --separate-stderr soak-extract -v "in/$name.jsonl"
	[ "$status" -eq 0 ]
	diff -u "out/$name.json" <(printf '%s\n' "$output")
	[ "$stderr" = "$msg" ]
	run --separate-stderr soak-gate "out/$name.json"
	[ "$status" -eq "$gate" ]
	diff -u "out/$name.gate" <(printf '%s\n' "$output")
	[ -z "$stderr" ]
}

# gate NAME STATUS [STDERR]: soak-gate in/NAME.json exits STATUS; with
# STDERR, stdout is empty and stderr is STDERR, else stdout is
# out/NAME.gate and stderr empty.
gate() {
	local name=$1 want=$2
	run --separate-stderr soak-gate "in/$name.json"
	[ "$status" -eq "$want" ]
	if [ $# -ge 3 ]; then
		[ -z "$output" ]
		[ "$stderr" = "$3" ]
	else
		diff -u "out/$name.gate" <(printf '%s\n' "$output")
		[ -z "$stderr" ]
	fi
}

# lines_of: the lines object of soak-extract's document on stdin, compact.
lines_of() {
	jq -c .lines
}

# soak-extract: the corpus.

@test "extract: empty input, a document of zero counts; the gate fails it" {
	extract empty "soak-extract: warning: no line read"
}

@test "extract: only blank lines (CR and tabs too) are read, none matched" {
	extract blank ""
}

@test "extract: a BOM and CRLF change nothing; the gate passes the run" {
	extract bom-crlf "" 0
}

@test "extract: NUL bytes make their lines malformed; \\u0000 is a byte" {
	extract nul "soak-extract: in/nul.jsonl:2: malformed JSON (invalid character inside string) (skipped)
soak-extract: in/nul.jsonl:3: malformed JSON (invalid char in json text) (skipped)"
}

@test "extract: invalid UTF-8 is kept as bytes and written as U+FFFD" {
	extract utf8 ""
	json_verify -q < out/utf8.json
	iconv -f UTF-8 -t UTF-8 out/utf8.json > /dev/null
}

@test "extract: 1e400 and -0 as timing_ms, args.ops and args.workers" {
	extract numbers ""
}

@test "extract: duplicate keys, the last value counts, a whole object too" {
	extract dup-keys ""
}

@test "extract: timing_ms negative or a string is a bad field, ignored" {
	extract timing ""
}

@test "extract: cmd missing or null counts nowhere; not a string, a bad field" {
	extract cmd ""
}

@test "extract: a truncated last line, cut in a string, is incomplete" {
	extract truncated "soak-extract: in/truncated.jsonl:2: incomplete JSON (skipped)"
	# Cut anywhere, the line is malformed and the one before counts.
	line='{"run_id":"f","cmd":"ast.symbols","result":{"status":"ok"},"timing_ms":12}'
	for n in 1 5 12 30 50 58 71 ${#line}; do
		got=$( { echo "$line"; printf '%s' "${line:0:$n}"; } | soak-extract | jq -c '[.lines.matched, .lines.malformed]')
		if [ "$n" -eq "${#line}" ]; then
			[ "$got" = '[2,0]' ]
		else
			[ "$got" = '[1,1]' ]
		fi
	done
}

@test "extract: a 20 MiB line is malformed, named, and the next line counts" {
	perl -e 'print q({"run_id":"f","cmd":"big","pad":"), "a" x (20 << 20), qq("}\n)' > "$T/big"
	printf '{"run_id":"f","cmd":"after"}\n' >> "$T/big"
	run --separate-stderr soak-extract -v "$T/big"
	[ "$status" -eq 0 ]
	[ "$(lines_of <<<"$output")" = '{"read":2,"matched":1,"malformed":1,"malformed_first":[1],"blank":0,"bad_fields":0}' ]
	[ "$(jq -c '[.counts, .run_id]' <<<"$output")" = '[{"after":1},"f"]' ]
	[ "$stderr" = "soak-extract: $T/big:1: line longer than 16 MiB (skipped)" ]
	run --separate-stderr soak-extract --strict "$T/big"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-extract: $T/big:1: line longer than 16 MiB" ]
}

@test "extract: 100,000 nested arrays, alone or in an object, are malformed" {
	perl -e 'print "[" x 100000, "]" x 100000, "\n",
	    q({"cmd":"deep","a":), "[" x 100000, "]" x 100000, "}\n",
	    qq({"cmd":"flat"}\n)' > "$T/deep"
	run --separate-stderr soak-extract -v "$T/deep"
	[ "$status" -eq 0 ]
	[ "$(lines_of <<<"$output")" = '{"read":3,"matched":1,"malformed":2,"malformed_first":[1,2],"blank":0,"bad_fields":0}' ]
	[ "$(jq -c .counts <<<"$output")" = '{"flat":1}' ]
	[ "$stderr" = "soak-extract: $T/deep:1: nesting deeper than 64 (skipped)
soak-extract: $T/deep:2: nesting deeper than 64 (skipped)" ]
}

# soak-gate: metrics documents that are bad, or odd but good.

@test "gate: a metrics document that is an array: exit 2" {
	gate metrics-array 2 "soak-gate: in/metrics-array.json: not an object (an array)"
}

@test "gate: a BOM is named: exit 2 at 1:1" {
	gate metrics-bom 2 "soak-gate: in/metrics-bom.json:1:1: a UTF-8 byte-order mark"
}

@test "gate: invalid UTF-8 is not JSON: exit 2 with its column" {
	gate metrics-utf8 2 "soak-gate: in/metrics-utf8.json:1:39: not JSON"
}

@test "gate: CRLF line ends are blanks: the same report" {
	sed 's/$/\r/' out/bom-crlf.json > "$T/crlf.json"
	run --separate-stderr soak-gate "$T/crlf.json"
	[ "$status" -eq 0 ]
	diff -u out/bom-crlf.gate <(printf '%s\n' "$output")
}

@test "gate: -0 is zero, printed as written; 1e400 where no criterion looks" {
	gate metrics-numbers 0
}

@test "gate: 1e400 as the ops_requested target: exit 2" {
	gate metrics-ops-1e400 2 "soak-gate: in/metrics-ops-1e400.json: /ops_completed: its target /ops_requested: number out of range"
}

@test "gate: -1e400 in an optional metric: exit 2" {
	gate metrics-lost-1e400 2 "soak-gate: in/metrics-lost-1e400.json: /verify/lost: number out of range"
}

@test "gate: duplicate keys, the last value counts, a whole object too" {
	gate metrics-dup-keys 0
}

@test "gate: a 20 MiB line of metrics is read whole" {
	{ printf '{"pad":"'; head -c $((20 << 20)) /dev/zero | tr '\0' a; printf '",'; tail -c +2 out/bom-crlf.json; } > "$T/big.json"
	run --separate-stderr soak-gate "$T/big.json"
	[ "$status" -eq 0 ]
	diff -u out/bom-crlf.gate <(printf '%s\n' "$output")
}

@test "gate: 100,000 nested arrays, the document itself: exit 2 at depth 65" {
	perl -e 'print "[" x 100000, "]" x 100000' > "$T/deep.json"
	run --separate-stderr soak-gate "$T/deep.json"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: $T/deep.json:1:65: nesting deeper than 64 levels" ]
}

@test "gate: a truncated document without a final newline: exit 2" {
	head -c -40 out/bom-crlf.json > "$T/cut.json"
	# The place is just past the last byte, whatever the document's size.
	at=$(($(wc -l < "$T/cut.json") + 1)):$(($(tail -n 1 "$T/cut.json" | wc -c) + 1))
	run --separate-stderr soak-gate "$T/cut.json"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: $T/cut.json:$at: not JSON" ]
}

@test "gate: the empty and blank extract documents' inputs are no documents" {
	run --separate-stderr soak-gate in/empty.jsonl
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: in/empty.jsonl: empty input" ]
	run --separate-stderr soak-gate in/blank.jsonl
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-gate: in/blank.jsonl: empty input" ]
}

# Output faults.

# many N: N lines of N distinct commands, a document of some 130 bytes each.
many() {
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
	    printf "{\"cmd\":\"c%06d\",\"timing_ms\":%d}\n", i, i }'
}

# closed CMD...: run CMD with stdout a pipe whose reader is already gone.
closed() {
	perl -e 'pipe(R, W) or die; close R; open(STDOUT, ">&", \*W) or die;
	    close W; exec @ARGV or die' "$@"
}

@test "extract: a full disk mid-document: one message, exit 1" {
	many 5000 > "$T/many"
	run --separate-stderr sh -c 'soak-extract "$1" > /dev/full' sh "$T/many"
	[ "$status" -eq 1 ]
	[ "$stderr" = "soak-extract: stdout: No space left on device" ]
	run --separate-stderr sh -c 'soak-extract --strict "$1" > /dev/full' sh in/truncated.jsonl
	[ "$status" -eq 1 ]
	[ "$stderr" = "soak-extract: in/truncated.jsonl:2: incomplete JSON" ]
}

@test "gate: a full disk: message, exit 2, whatever the verdict; -q writes nothing" {
	run --separate-stderr sh -c 'soak-gate out/empty.json > /dev/full'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-gate: stdout: No space left on device" ]
	run --separate-stderr sh -c 'soak-gate --json - out/bom-crlf.json > /dev/full'
	[ "$status" -eq 2 ]
	[ "${stderr##*
}" = "soak-gate: stdout: No space left on device" ]
	run --separate-stderr sh -c 'soak-gate -q out/bom-crlf.json > /dev/full'
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "extract | head -1: the document is cut, extract ends by SIGPIPE, quietly" {
	many 5000 > "$T/many"
	run --separate-stderr timeout 10 bash -c 'set -o pipefail; soak-extract "$1" | head -1' sh "$T/many"
	[ "$status" -eq 141 ]
	[ "$output" = "{" ]
	[ -z "$stderr" ]
	# The same when SIGPIPE came ignored.
	run --separate-stderr timeout 10 bash -c 'trap "" PIPE; set -o pipefail; soak-extract "$1" | head -1' sh "$T/many"
	[ "$status" -eq 141 ]
	[ -z "$stderr" ]
}

@test "extract: its reader gone before it writes: SIGPIPE, quietly" {
	run --separate-stderr timeout 10 bash -c "$(declare -f closed); closed soak-extract in/bom-crlf.jsonl"
	[ "$status" -eq 141 ]
	[ -z "$stderr" ]
	run --separate-stderr timeout 10 bash -c "trap '' PIPE; $(declare -f closed); closed soak-extract in/bom-crlf.jsonl"
	[ "$status" -eq 141 ]
	[ -z "$stderr" ]
}

@test "gate | head -1: a long report is cut, the gate ends by SIGPIPE, quietly" {
	# 1000 criteria of some 520 bytes a line: far more than a pipe holds.
	many='k=$(printf "%0500d" 0); a=(); for i in $(seq 1000); do a+=(--require "/counts/$k$i == 1"); done'
	run --separate-stderr timeout 10 bash -c "$many"'; set -o pipefail; soak-gate "${a[@]}" "$1" | head -1' sh out/bom-crlf.json
	[ "$status" -eq 141 ]
	[ "$output" = 'PASS integrity_check: "ok"' ]
	[ -z "$stderr" ]
	run --separate-stderr timeout 10 bash -c "trap '' PIPE; $many"'; set -o pipefail; soak-gate "${a[@]}" "$1" | head -1' sh out/bom-crlf.json
	[ "$status" -eq 141 ]
	[ -z "$stderr" ]
}

@test "gate: its reader gone before it writes: SIGPIPE, quietly" {
	run --separate-stderr timeout 10 bash -c "trap '' PIPE; $(declare -f closed); closed soak-gate out/bom-crlf.json"
	[ "$status" -eq 141 ]
	[ -z "$stderr" ]
	run --separate-stderr timeout 10 bash -c "$(declare -f closed); closed soak-gate --json - out/empty.json"
	[ "$status" -eq 141 ]
}
