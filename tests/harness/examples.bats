#!/usr/bin/env bats
# soak-harness(1) and soak-events(5): every EXAMPLES command run as a
# reader would paste it from the rendered page (tests/examples), in a
# folder laid out as the top of the source tree, and its output, where the
# page shows one, compared exactly.

bats_require_minimum_version 1.5.0

setup() {
	T="$BATS_TEST_TMPDIR"
	unset OPS WORKERS RUN_ID SEGMENT
	# The source tree's test data and fixtures, as the examples name them.
	mkdir -p "$T/top/tests/harness"
	ln -s "$SOAK_TOP/tests/harness/data" "$T/top/tests/harness/data"
	ln -s "$SOAK_TOP/tests/harness/fixture" "$T/top/tests/harness/fixture"
	cp "$SOAK_TOP"/tests/harness/data/*.py "$T/top/"
	# ssh and srun stand-ins, for the recipes that launch shards.
	PATH="$SOAK_TOP/tests/harness/fixture:$PATH"
	# GNU parallel -S runs its jobs through $SHELL: with none set (as in
	# some CI environments) it runs no job, prints nothing and exits 0.
	# It keeps its state under $HOME: here, a home of the test's own.
	export SHELL=/bin/sh HOME="$T/home"
	mkdir -p "$HOME"
}

# streams: what the last run printed on each stream, for a failure's
# diagnostics.
streams() {
	echo "stdout:"; printf '%s\n' "$output"
	echo "stderr:"; printf '%s\n' "$stderr"
}

# example_failed WHY: what a failed example ran, why it failed, and all it
# printed on both streams, for the test's diagnostics.
example_failed() {
	echo "example $e failed ($1):"
	sed 's/^/  $ /' "$T/ex/$e.sh"
	streams
}

# run_examples PAGE: each example of PAGE in turn, in $T/top. (The counter
# is not named i: a helper of bats' run --separate-stderr sets a global i.)
run_examples() {
	local n e
	n=$("$SOAK_TOP/tests/examples" "$1" "$T/ex")
	[ "$n" -gt 0 ]
	cd "$T/top"
	for ((e = 1; e <= n; e++)); do
		echo "# example $e: $(head -1 "$T/ex/$e.sh")" >&3
		# The page shows what a command prints on stdout; stderr may
		# carry other programs' chatter (perl's locale warnings from
		# GNU parallel, say), so it is kept apart and shown on failure.
		run --separate-stderr bash -o pipefail "$T/ex/$e.sh"
		[ "$status" -eq 0 ] || { example_failed "exit $status"; false; }
		if [ -f "$T/ex/$e.out" ]; then
			[ "$output" = "$(cat "$T/ex/$e.out")" ] ||
			    { example_failed "other output"; false; }
		fi
	done
}

@test "soak-harness(1) EXAMPLES run as pasted" {
	run_examples "$SOAK_TOP/man/soak-harness.1"
}

@test "soak-events(5) EXAMPLES run as pasted" {
	cd "$T/top"
	soak-harness -n 20 -w 2 > events.jsonl
	run_examples "$SOAK_TOP/man/soak-events.5"
}

@test "README: the commands after make soak, and soaking your own tool, run as written" {
	local n=0 cmd=
	cd "$T/top"
	env SOAK_SEGMENT="$T/top" SOAK_EVIDENCE="$T/top/soak-evidence" OPS=40 \
	    WORKERS=2 "$SOAK_TOP/scripts/soak-run" > /dev/null 2>&1
	# Four-space lines of the two sections; a command goes on after a
	# line ending in "\" or "|".
	while IFS= read -r line; do
		cmd+="${line#"${line%%[! ]*}"}"$'\n'
		case $line in
		*\\ | *\|) continue ;;
		esac
		n=$((n + 1))
		echo "# README command $n: ${cmd%%$'\n'*}" >&3
		run --separate-stderr bash -o pipefail -c "$cmd"
		[ "$status" -eq 0 ] || {
			echo "README command $n failed (exit $status): $cmd"
			streams
			false
		}
		cmd=
	done < <(sed -n '/^After make soak$/,/^Other targets$/p' "$SOAK_TOP/README" |
	    grep '^    ' | grep -v '^    export ')
	[ "$n" -eq 4 ]
}
