# soak-extract: soak-events(5) JSON Lines in, one soak-metrics(5) document out.
# (filled in by the soak-extract work)
