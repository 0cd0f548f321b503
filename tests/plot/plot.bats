#!/usr/bin/env bats
# soak-plot: the pictures it draws (valid PNG and SVG, listed on stdout),
# the inputs it refuses, gnuplot failing, and no temporary file left.

bats_require_minimum_version 1.5.0

SEED_METRICS="$SOAK_TOP/../shared/data/trifecta-wo-p3-0.metrics.json"

# real: skip, saying why, when the real log kept beside the project (test
# data of the tool it came from, never shipped in it) is not there.
real() {
	[ -r "$SEED_METRICS" ] || skip "the real metrics ../shared/data/trifecta-wo-p3-0.metrics.json are not beside the project"
}

setup() {
	cd "$BATS_TEST_DIRNAME"
	T=$BATS_TEST_TMPDIR
	O=$T/out
	mkdir -p "$O" "$T/tmp"
	export TMPDIR=$T/tmp
}

# The files of a run with sizes sampled, in the order listed.
ALL="hit-rate.png hit-rate.svg timeline.png timeline.svg db-size.png
db-size.svg latency-cdf.png latency-cdf.svg"
NOSIZES="hit-rate.png hit-rate.svg timeline.png timeline.svg
latency-cdf.png latency-cdf.svg"

# listed PREFIX NAMES: the lines soak-plot prints for NAMES under PREFIX.
listed() {
	local n
	for n in $2; do
		printf '%s%s\n' "$1" "$n"
	done
}

# pictures DIR NAMES: each of NAMES in DIR is a 1000x600 PNG or an SVG
# that xmllint accepts, and DIR holds nothing else.
pictures() {
	local d=$1 n
	for n in $2; do
		case $n in
		*.png) file -b "$d/$n" | grep -q '^PNG image data, 1000 x 600' ;;
		*.svg) file -b "$d/$n" | grep -q '^SVG Scalable Vector Graphics'
		       xmllint --noout "$d/$n" ;;
		esac
	done
	diff <(printf '%s\n' $2 | sort) <(ls -A "$d" | sort)
}

# no_temp: the temporary folder is gone.
no_temp() {
	[ -z "$(ls -A "$TMPDIR")" ]
}

# draws NAMES ARGS...: soak-plot -o $O ARGS exits 0, lists NAMES in $O,
# draws them, says nothing on stderr and leaves no temporary folder.
draws() {
	local names=$1
	shift
	run --separate-stderr soak-plot -o "$O" "$@"
	[ "$status" -eq 0 ]
	diff -u <(listed "$O/" "$names") <(printf '%s\n' "$output")
	[ -z "$stderr" ]
	pictures "$O" "$names"
	no_temp
}

# refused MESSAGE ARGS...: exit 2, MESSAGE alone on stderr, nothing on
# stdout, nothing drawn, no temporary folder.
refused() {
	local msg=$1
	shift
	run --separate-stderr soak-plot -o "$O" "$@"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "$msg" ]
	[ -z "$(ls -A "$O")" ]
	no_temp
}

# fake_gnuplot BODY: a gnuplot first on PATH that runs the shell BODY.
fake_gnuplot() {
	mkdir -p "$T/bin"
	printf '#!/bin/sh\n%s\n' "$1" > "$T/bin/gnuplot"
	chmod +x "$T/bin/gnuplot"
	PATH="$T/bin:$PATH"
}

@test "a run with sizes: four pictures, each as PNG and SVG" {
	draws "$ALL" in/story.json
}

@test "with the events: the latency CDF comes from them" {
	draws "$ALL" in/small.json in/small.jsonl
	grep -q 'Latency CDF per cmd, from timing_ms of each line' \
	    "$O/latency-cdf.svg"
	grep -q 'ast.symbols, 30 lines' "$O/latency-cdf.svg"
	! grep -q 'soak\.' "$O/latency-cdf.svg" || false
}

@test "without the events: steps through the percentiles, and the title says so" {
	draws "$ALL" in/small.json
	grep -q 'steps through p50, p95, p99 and max of latency_ms (no events given)' \
	    "$O/latency-cdf.svg"
	! grep -q 'soak\.' "$O/latency-cdf.svg" || false
}

@test "every picture names the run, its axes and its legend" {
	draws "$ALL" in/story.json
	for f in "$O"/*.svg; do
		grep -q 'run story-1' "$f"
	done
	grep -q 'hit rate (%)' "$O/hit-rate.svg"
	grep -q 'cache lookups so far (stream order)' "$O/hit-rate.svg"
	grep -q 'whole run: 86.19%' "$O/hit-rate.svg"
	grep -q 'operations per second' "$O/timeline.svg"
	grep -q 'latency (ms)' "$O/timeline.svg"
	grep -q 'time since the first event (s; buckets of 5000 ms)' \
	    "$O/timeline.svg"
	grep -q 'lock waits/s (1505 in all)' "$O/timeline.svg"
	grep -q 'size (MiB)' "$O/db-size.svg"
	grep -q 'WAL file, peak in each bucket' "$O/db-size.svg"
	grep -q 'latency (ms, log scale)' "$O/latency-cdf.svg"
}

@test "no sizes sampled: no database picture" {
	draws "$NOSIZES" in/bare.json
	grep -q 'no cache lookups in this run' "$O/hit-rate.svg"
	grep -q 'no operations in the timeline' "$O/timeline.svg"
	grep -q 'no timed cmd' "$O/latency-cdf.svg"
	grep -q '(no run id)' "$O/timeline.svg"
}

@test "without -o: the current directory, bare names" {
	cd "$O"
	run --separate-stderr soak-plot "$BATS_TEST_DIRNAME/in/bare.json"
	[ "$status" -eq 0 ]
	diff -u <(listed "" "$NOSIZES") <(printf '%s\n' "$output")
	pictures . "$NOSIZES"
}

@test "-o with a trailing slash lists one slash" {
	run soak-plot -o "$O/" in/bare.json
	[ "$status" -eq 0 ]
	diff -u <(listed "$O/" "$NOSIZES") <(printf '%s\n' "$output")
}

@test "the metrics from standard input" {
	run --separate-stderr soak-plot -o "$O" - < in/small.json
	[ "$status" -eq 0 ]
	diff -u <(listed "$O/" "$ALL") <(printf '%s\n' "$output")
	pictures "$O" "$ALL"
}

@test "the events from standard input" {
	run --separate-stderr soak-plot -o "$O" in/small.json - < in/small.jsonl
	[ "$status" -eq 0 ]
	grep -q 'from timing_ms of each line' "$O/latency-cdf.svg"
}

@test "an older picture of the same name is replaced" {
	echo old > "$O/hit-rate.png"
	draws "$ALL" in/story.json
}

@test "a temporary folder on another file system: copied, none left" {
	[ -d /dev/shm ] && [ -w /dev/shm ] || skip "no /dev/shm"
	[ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$O")" ] ||
	    skip "/dev/shm is on the file system of the output"
	TMPDIR=$(mktemp -d /dev/shm/soak-plot-test.XXXXXX)
	draws "$ALL" in/small.json
	ls -A "$O" | { ! grep -q '^\.'; }
	rmdir "$TMPDIR"
}

@test "odd cmd and run id bytes reach neither gnuplot nor the SVG raw" {
	cat > "$T/odd.jsonl" <<-'EOF'
	{"run_id":"r'1 `touch /tmp/soak-plot-pwned` <&>","cmd":"q'; system(\"touch /tmp/soak-plot-pwned\"); '","timing_ms":1}
	{"run_id":"r'1 `touch /tmp/soak-plot-pwned` <&>","cmd":"a\"b<c>&\u00e9\n","timing_ms":2}
	EOF
	jq '.run_id = "r'"'"'1 `touch /tmp/soak-plot-pwned` <&>"' in/small.json > "$T/odd.json"
	cd "$T"
	# gnuplot runs in a folder of its own, removed after: a command that
	# got through would leave its file outside.
	rm -f /tmp/soak-plot-pwned
	run --separate-stderr soak-plot -o "$O" odd.json odd.jsonl
	[ "$status" -eq 0 ]
	[ ! -e /tmp/soak-plot-pwned ]
	pictures "$O" "$ALL"
	grep -qF "run r'1 \`touch /tmp/soak-plot-pwned\` &lt;&amp;>" "$O/timeline.svg"
	grep -qF "q'; system(\"touch /tmp/soak-plot-pwned\"); ', 1 line" "$O/latency-cdf.svg"
	grep -qF 'a"b&lt;c>&amp;???, 1 line' "$O/latency-cdf.svg"
}

@test "more than 8 cmds: the 8 with the most lines, and the title says so" {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		for j in $(seq "$i"); do
			printf '{"cmd":"c%d","timing_ms":%d}\n' "$i" "$j"
		done
	done > "$T/many.jsonl"
	run --separate-stderr soak-plot -o "$O" in/small.json "$T/many.jsonl"
	[ "$status" -eq 0 ]
	grep -q 'the 8 most frequent of 10 cmds' "$O/latency-cdf.svg"
	grep -q 'c10, 10 lines' "$O/latency-cdf.svg"
	! grep -q 'c2, 2 lines' "$O/latency-cdf.svg" || false
}

@test "malformed lines and other runs: one warning each, still drawn" {
	run --separate-stderr soak-plot -o "$O" in/small.json in/mixed.jsonl
	[ "$status" -eq 0 ]
	[ "$stderr" = "soak-plot: in/mixed.jsonl:21: malformed JSON (skipped, and 1 more)
soak-plot: in/mixed.jsonl: 5 lines of other runs left out" ]
	pictures "$O" "$ALL"
	no_temp
}

@test "the real log's metrics have no timeline: refused" {
	real
	refused "soak-plot: $SEED_METRICS: no timeline (made by an older soak-extract?)" \
	    "$SEED_METRICS"
}

@test "a document that is not soak-metrics/1: refused" {
	refused 'soak-plot: in/verdict.json: not a soak-metrics/1 document (schema "soak-verdict/1")' \
	    in/verdict.json
}

@test "an empty timeline: refused" {
	refused 'soak-plot: in/empty-timeline.json: an empty timeline (no line had a time)' \
	    in/empty-timeline.json
}

@test "a bucket's t_ms not a number: refused, with its place" {
	refused 'soak-plot: in/bad-bucket.json: /timeline/1/t_ms: not a number (a string)' \
	    in/bad-bucket.json
}

@test "buckets out of order: refused" {
	refused 'soak-plot: in/unordered.json: /timeline/2/t_ms: not after the bucket before' \
	    in/unordered.json
}

@test "not JSON: refused at its line and column" {
	refused 'soak-plot: in/not-json.json:4:1: not JSON' in/not-json.json
}

@test "a document cut short: refused at its end, where soak-gate says too" {
	local f want
	printf '{"schema":"soak-metrics/1"' > "$T/a.json"
	printf '{"a": [1, 2' > "$T/b.json"
	printf '{\n"a": 1,\n' > "$T/c.json"
	for f in a:1:27 b:1:12 c:3:1; do
		want="$T/${f%%:*}.json:${f#*:}: not JSON"
		refused "soak-plot: $want" "$T/${f%%:*}.json"
		run --separate-stderr soak-gate "$T/${f%%:*}.json"
		[ "$status" -eq 2 ]
		[ "$stderr" = "soak-gate: $want" ]
	done
}

@test "not an object: refused" {
	refused 'soak-plot: in/array.json: not an object (an array)' in/array.json
}

@test "an empty document: refused" {
	: > "$T/empty.json"
	refused "soak-plot: $T/empty.json: empty input" "$T/empty.json"
}

@test "a missing metrics document: refused" {
	refused 'soak-plot: in/nope.json: No such file or directory' in/nope.json
}

@test "a missing events file: refused, nothing drawn" {
	refused 'soak-plot: in/nope.jsonl: No such file or directory' \
	    in/small.json in/nope.jsonl
}

@test "events of another run only: refused" {
	refused 'soak-plot: in/other-run.jsonl: no timed line of run "small-1" (75 lines of other runs)' \
	    in/small.json in/other-run.jsonl
}

@test "events with nothing to draw: refused" {
	grep '"cmd":"soak\.' in/small.jsonl > "$T/soak-only.jsonl"
	refused "soak-plot: $T/soak-only.jsonl: no timed line of a cmd to draw (7 lines read)" \
	    in/small.json "$T/soak-only.jsonl"
}

@test "-o a directory that is not there: refused" {
	run --separate-stderr soak-plot -o "$T/none" in/small.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-plot: $T/none: No such file or directory" ]
	[ ! -e "$T/none" ]
	no_temp
}

@test "-o a file: refused" {
	run --separate-stderr soak-plot -o in/small.json in/small.json
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-plot: in/small.json: Not a directory" ]
}

@test "no operand: the reason, then the usage" {
	run --separate-stderr soak-plot
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "${stderr%%$'\n'*}" = "soak-plot: no metrics document given" ]
	[[ "$stderr" == *"usage: soak-plot [-o dir] metrics.json [events.jsonl]"* ]]
}

@test "three operands: the reason, then the usage" {
	run --separate-stderr soak-plot a b c
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-plot: a metrics document and an events file at most, 3 given" ]
}

@test "standard input twice: the reason, then the usage" {
	run --separate-stderr soak-plot - -
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-plot: standard input given twice" ]
}

@test "an empty path: one line naming -o or the operand, nothing made" {
	mkdir "$T/w"
	cd "$T/w"
	run --separate-stderr soak-plot -o '' "$BATS_TEST_DIRNAME/in/small.json"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-plot: -o: empty path" ]
	run --separate-stderr soak-plot ''
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-plot: operand 1: empty path" ]
	run --separate-stderr soak-plot "$BATS_TEST_DIRNAME/in/small.json" ''
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "soak-plot: operand 2: empty path" ]
	[ -z "$(ls -A "$T/w")" ]
}

@test "soak-plot run by its path names itself as in every other message" {
	run --separate-stderr "$SOAK_B/soak-plot" --bogus
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-plot: unrecognized option '--bogus'" ]
	run --separate-stderr "$SOAK_B/soak-plot" -Z
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-plot: invalid option -- 'Z'" ]
}
@test "a misspelt option: getopt's words, then the usage" {
	run --separate-stderr soak-plot --bogus in/small.json
	[ "$status" -eq 2 ]
	[ "${stderr%%$'\n'*}" = "soak-plot: unrecognized option '--bogus'" ]
	[ -z "$output" ]
}

@test "--help: the synopsis of the page on stdout, exit 0" {
	run --separate-stderr soak-plot --help
	[ "$status" -eq 0 ]
	[ "$output" = "usage: soak-plot [-o dir] metrics.json [events.jsonl]
       soak-plot --help
       soak-plot --version" ]
	[ -z "$stderr" ]
}

@test "--version, and both check stdout" {
	run soak-plot --version
	[ "$status" -eq 0 ]
	[ "$output" = "soak-plot 1.0.0" ]
	run --separate-stderr sh -c 'soak-plot --version > /dev/full'
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-plot: stdout: No space left on device" ]
	run --separate-stderr sh -c 'soak-plot --help > /dev/full'
	[ "$status" -eq 2 ]
}

@test "gnuplot fails: exit 1, its words on stderr, nothing drawn" {
	fake_gnuplot 'echo "gnuplot: line 3: boom" >&2; exit 3'
	run --separate-stderr soak-plot -o "$O" in/small.json
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "gnuplot: line 3: boom
soak-plot: gnuplot exited with status 3" ]
	[ -z "$(ls -A "$O")" ]
	no_temp
}

@test "gnuplot's standard output goes to stderr, not among the paths" {
	fake_gnuplot 'echo chatter; exit 1'
	run --separate-stderr soak-plot -o "$O" in/small.json
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "chatter"* ]]
}

@test "gnuplot killed: exit 1" {
	fake_gnuplot 'kill -KILL $$'
	run --separate-stderr soak-plot -o "$O" in/small.json
	[ "$status" -eq 1 ]
	[ "$stderr" = "soak-plot: gnuplot killed by signal 9 (Killed)" ]
	no_temp
}

@test "gnuplot draws nothing: exit 1" {
	fake_gnuplot 'exit 0'
	run --separate-stderr soak-plot -o "$O" in/small.json
	[ "$status" -eq 1 ]
	[ "$stderr" = "soak-plot: gnuplot drew no hit-rate.png" ]
	[ -z "$(ls -A "$O")" ]
	no_temp
}

@test "no gnuplot at all: exit 1" {
	mkdir -p "$T/empty"
	run --separate-stderr env PATH="$T/empty" "$SOAK_B/soak-plot" \
	    -o "$O" in/small.json
	[ "$status" -eq 1 ]
	[ "$stderr" = "soak-plot: gnuplot: No such file or directory" ]
	no_temp
}

@test "gnuplot is run with no shell: its arguments, in its folder" {
	fake_gnuplot 'printf "%s\n" "$@" > "$ARGS"; pwd >> "$ARGS"; ls >> "$ARGS"; exit 1'
	export ARGS=$T/args
	run soak-plot -o "$O" in/small.json
	[ "$status" -eq 1 ]
	[ "$(sed -n 1,2p "$T/args")" = "-d
plot.gp" ]
	[[ "$(sed -n 3p "$T/args")" == "$TMPDIR/soak-plot."* ]]
	grep -qx 'timeline.dat' "$T/args"
	no_temp
}

@test "a signal while gnuplot runs: it ends, and no temporary folder is left" {
	fake_gnuplot 'exec sleep 30'
	soak-plot -o "$O" in/small.json > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 50); do
		[ -n "$(ls -A "$TMPDIR")" ] && break
		sleep 0.1
	done
	sleep 0.2
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 143 ]
	no_temp
	[ -z "$(ls -A "$O")" ]
}

@test "a full stdout: exit 2" {
	run --separate-stderr sh -c "soak-plot -o '$O' in/small.json > /dev/full"
	[ "$status" -eq 2 ]
	[ "$stderr" = "soak-plot: stdout: No space left on device" ]
}

# The EXAMPLES of soak-plot(1), as a reader pastes them (tests/examples),
# run in a folder with the tree's harness/ and the seed as old.json.
examples() {
	W=$T/w
	mkdir -p "$W"
	ln -s "$SOAK_TOP/harness" "$W/harness"
	n=$("$SOAK_TOP/tests/examples" "$SOAK_TOP/man/soak-plot.1" "$T/ex")
	[ "$n" -eq 6 ]
}

# example N [STATUS]: run example N in $W; its stdout and stderr are the
# lines the page shows.
example() {
	local n=$1 want=${2:-0}
	run bash "$T/ex/$n.sh"
	[ "$status" -eq "$want" ]
	if [ -e "$T/ex/$n.out" ]; then
		diff -u "$T/ex/$n.out" <(printf '%s\n' "$output")
	else
		[ -z "$output" ]
	fi
}

@test "soak-plot(1) EXAMPLES: a document with no timeline" {
	real
	examples
	cp "$SEED_METRICS" "$W/old.json"
	cd "$W"
	grep -qx 'soak-plot old.json' "$T/ex/6.sh"
	example 6 2
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "soak-plot(1) EXAMPLES: the pipelines" {
	examples
	cd "$W"
	soak-harness -n 10 -s harness | soak-extract | jq -e 'has("timeline")'
	for i in 1 2 3 4; do
		example "$i"
	done
	pictures pictures "$ALL"
	example 5
}

@test "exec mode: the op cmd soak.exec is drawn, from the events and from the percentiles" {
	soak-harness -r plot-x -n 20 -w 2 -- true > "$T/x.jsonl"
	soak-extract "$T/x.jsonl" > "$T/x.json"
	[ "$(jq -r .op_cmd "$T/x.json")" = soak.exec ]
	draws "$NOSIZES" "$T/x.json" "$T/x.jsonl"
	grep -q 'soak.exec, 20 lines' "$O/latency-cdf.svg"
	! grep -q 'soak.run' "$O/latency-cdf.svg" || false
	rm -f "$O"/*
	draws "$NOSIZES" "$T/x.json"
	grep -q 'soak.exec, 20 lines' "$O/latency-cdf.svg"
}

@test "a document of soak-extract --run-id: lines without a run id are left out, as it left them" {
	for i in 1 2 3; do
		printf '{"ts":"2026-12-01T08:00:0%dZ","run_id":"r","cmd":"a","timing_ms":%d}\n' "$i" "$i"
	done > "$T/e.jsonl"
	printf '{"ts":"2026-12-01T08:00:04Z","cmd":"b","timing_ms":1}\n' >> "$T/e.jsonl"
	printf '{"ts":"2026-12-01T08:00:05Z","run_id":null,"cmd":"b","timing_ms":2}\n' >> "$T/e.jsonl"
	soak-extract --run-id r "$T/e.jsonl" > "$T/r.json"
	[ "$(jq '.counts | has("b")' "$T/r.json")" = false ]
	run --separate-stderr soak-plot -o "$O" "$T/r.json" "$T/e.jsonl"
	[ "$status" -eq 0 ]
	[ "$stderr" = "soak-plot: $T/e.jsonl: 2 lines of other runs or of none left out" ]
	grep -q 'a, 3 lines' "$O/latency-cdf.svg"
	! grep -q 'b, 2 lines' "$O/latency-cdf.svg" || false
	# Without --run-id the run id is the one seen, and every line counts.
	soak-extract "$T/e.jsonl" > "$T/all.json"
	[ "$(jq -r .run_id "$T/all.json")" = r ]
	[ "$(jq .counts.b "$T/all.json")" = 2 ]
	rm -f "$O"/*
	draws "$NOSIZES" "$T/all.json" "$T/e.jsonl"
	grep -q 'b, 2 lines' "$O/latency-cdf.svg"
}

@test "latency CDF: a time of 0 at a tick marked 0, and powers of ten clear of both ends" {
	for v in 0 0 1 1 10 100; do
		printf '{"ts":"2026-12-01T08:00:00Z","cmd":"a","timing_ms":%s}\n' "$v"
	done > "$T/z.jsonl"
	soak-extract "$T/z.jsonl" > "$T/z.json"
	draws "$NOSIZES" "$T/z.json" "$T/z.jsonl"
	# x tick labels, as gnuplot writes them (the y ones have a space).
	grep -qF '<text>0</text>' "$O/latency-cdf.svg"
	grep -qF '<text>0.1</text>' "$O/latency-cdf.svg"
	grep -qF '<text>1000</text>' "$O/latency-cdf.svg"
}

@test "hit rate: the axis reaches down to the whole run's warm rate" {
	# Each window of 20 lookups: 10 cold hits, 7 warm hits, 3 warm misses.
	for i in $(seq 0 99); do
		printf '{"ts":"2026-12-01T08:00:00Z","cmd":"ast.cache.hit","args":{"cache_key":"k%d"}}\n' "$i"
		if [ $((i % 10)) -lt 3 ]; then c=miss; else c=hit; fi
		printf '{"ts":"2026-12-01T08:00:00Z","cmd":"ast.cache.%s","args":{"cache_key":"k%d"}}\n' "$c" "$i"
	done > "$T/h.jsonl"
	soak-extract "$T/h.jsonl" > "$T/h.json"
	[ "$(jq -c '[.cache.hit_rate, .cache.hit_rate_warm, ([.progression[].hit_rate] | min)]' "$T/h.json")" = '[0.85,0.7,0.85]' ]
	draws "$NOSIZES" "$T/h.json"
	grep -q 'warm lookups only: 70.00%' "$O/hit-rate.svg"
	grep -qF '<text> 70</text>' "$O/hit-rate.svg"
}

@test "timeline: each legend gives the run's total, and how many had no time stamp" {
	for i in 1 2 3 4 5; do
		printf '{"ts":"2026-12-01T08:00:0%dZ","cmd":"ast.cache.lock_wait","timing_ms":1}\n' "$i"
	done > "$T/w.jsonl"
	printf '{"cmd":"ast.cache.lock_wait","timing_ms":1}\n' >> "$T/w.jsonl"
	printf '{"cmd":"ast.cache.lock_wait","timing_ms":1}\n' >> "$T/w.jsonl"
	soak-extract "$T/w.jsonl" > "$T/w.json"
	[ "$(jq -c '[.lock_wait, .timeline_untimed]' "$T/w.json")" = '[7,2]' ]
	draws "$NOSIZES" "$T/w.json"
	grep -q 'lock waits/s (7 in all, 2 without a ts)' "$O/timeline.svg"
	grep -q 'lock timeouts/s (0 in all)' "$O/timeline.svg"
}

# The first line drawn after the legend entry NAME in the SVG.
path_after() {
	awk -v n="$1" 'index($0, n) { f = 1 } f && /<path/ { print; exit }' \
	    "$O/timeline.svg"
}

@test "timeline: failed operations and cache errors equal to the lock timeouts are dashed over them" {
	for i in 1 2 3 4; do
		for j in $(seq $((i % 3 + 1))); do
			printf '{"ts":"2026-12-01T08:00:0%dZ","cmd":"ast.cache.lock_timeout","timing_ms":50}\n' "$i"
			printf '{"ts":"2026-12-01T08:00:0%dZ","cmd":"ast.cache.error","result":{"code":"SQLITE_BUSY"}}\n' "$i"
			printf '{"ts":"2026-12-01T08:00:0%dZ","cmd":"ast.symbols","result":{"status":"error"},"timing_ms":51}\n' "$i"
		done
		printf '{"ts":"2026-12-01T08:00:0%dZ","cmd":"ast.symbols","result":{"status":"ok"},"timing_ms":3}\n' "$i"
	done > "$T/f.jsonl"
	soak-extract "$T/f.jsonl" > "$T/f.json"
	[ "$(jq -c '[.ops_failed, .lock_timeout, ([.timeline[] | .failed == .lock_timeouts] | all)]' "$T/f.json")" = '[8,8,true]' ]
	draws "$NOSIZES" "$T/f.json"
	[[ "$(path_after 'failed operations/s (8 in all)')" == *stroke-dasharray* ]]
	[[ "$(path_after 'cache errors/s (8 in all)')" == *stroke-dasharray* ]]
	[[ "$(path_after 'lock timeouts/s (8 in all)')" != *stroke-dasharray* ]]
}

# The stroke width of the group holding the line after legend entry NAME.
width_after() {
	awk -v n="$1" 'index($0, n) { f = 1 }
	    f && /stroke-width=/ { sub(/.*stroke-width="/, ""); sub(/".*/, ""); print; exit }' \
	    "$O/timeline.svg"
}

@test "timeline: lock timeouts equal to the lock waits are drawn over a wider line" {
	for i in 1 2 3; do
		printf '{"ts":"2026-12-01T08:00:0%dZ","cmd":"ast.cache.lock_wait","timing_ms":50}\n' "$i"
		printf '{"ts":"2026-12-01T08:00:0%dZ","cmd":"ast.cache.lock_timeout","timing_ms":50}\n' "$i"
		printf '{"ts":"2026-12-01T08:00:0%dZ","cmd":"ast.symbols","result":{"status":"ok"},"timing_ms":3}\n' "$i"
	done > "$T/w.jsonl"
	soak-extract "$T/w.jsonl" > "$T/w.json"
	[ "$(jq -c '[.lock_wait, .lock_timeout]' "$T/w.json")" = '[3,3]' ]
	draws "$NOSIZES" "$T/w.json"
	waits=$(width_after 'lock waits/s (3 in all)')
	timeouts=$(width_after 'lock timeouts/s (3 in all)')
	[ -n "$waits" ]
	[ -n "$timeouts" ]
	awk -v w="$waits" -v t="$timeouts" 'BEGIN { exit !(w > t) }'
}

@test "latency CDF: a long cmd loses its middle in the legend, which keeps its count" {
	for i in 1 2 3; do
		for j in $(seq "$i"); do
			printf '{"ts":"2026-12-01T08:00:00Z","cmd":"vendor.subsystem.component.operation.step%02d.detail","timing_ms":%d}\n' "$i" "$j"
		done
	done > "$T/l.jsonl"
	soak-extract "$T/l.jsonl" > "$T/l.json"
	draws "$NOSIZES" "$T/l.json" "$T/l.jsonl"
	grep -qF 'vendor.subsystem.c...ation.step03.detail, 3 lines' "$O/latency-cdf.svg"
	grep -qF 'vendor.subsystem.c...ation.step01.detail, 1 line' "$O/latency-cdf.svg"
}

@test "database size: each legend gives the largest; a WAL 0 throughout is left out" {
	draws "$ALL" in/story.json
	# 20,152,320 and 11,578,560 bytes at most, to 3 digits.
	grep -qF 'database file, peak in each bucket (largest 19.2 MiB)' "$O/db-size.svg"
	grep -qF 'WAL file, peak in each bucket (largest 11 MiB)' "$O/db-size.svg"
	jq '.timeline[].wal_bytes_max |= (if . == null then null else 0 end)' in/story.json > "$T/nowal.json"
	rm -f "$O"/*
	draws "$ALL" "$T/nowal.json"
	grep -q 'database file, peak in each bucket' "$O/db-size.svg"
	! grep -q 'WAL file' "$O/db-size.svg" || false
}

@test "the events given where the metrics go: refused, saying so" {
	refused 'soak-plot: in/small.jsonl:2:1: more than one JSON value (events? the metrics document comes first)' in/small.jsonl
}

@test "latency CDF: a time past 1e307 still has an axis end, and is drawn" {
	printf '{"ts":"2026-12-01T08:00:00Z","cmd":"a","timing_ms":%s}\n' 1 1e308 > "$T/h.jsonl"
	soak-extract "$T/h.jsonl" > "$T/h.json"
	run --separate-stderr soak-plot -o "$O" "$T/h.json" "$T/h.jsonl"
	[ "$status" -eq 0 ]
	pictures "$O" "$NOSIZES"
	no_temp
}
