# soak-harness: run the soak and write soak-events(5) on stdout.
# (filled in by the soak-harness work)
