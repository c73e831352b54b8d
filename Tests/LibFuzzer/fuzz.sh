#!/usr/bin/env bash
# Coverage-guided fuzzing of secperm's parsers with libFuzzer (Linux toolchains ship it).
#   Tests/LibFuzzer/fuzz.sh [seconds] [extra libFuzzer flags…]     default: 60 seconds
# New inputs go to .build-fuzz/corpus (seeded from Tests/LibFuzzer/corpus); crashes, hangs and
# out-of-memory inputs to .build-fuzz/artifacts/. Add a minimised reproducer of each fixed crash
# to Tests/LibFuzzer/regressions/ (`.build/debug/secperm-fuzz-parsers Tests/LibFuzzer/regressions`
# replays them in an ordinary build).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
shift || true
swift build -c release --product secperm-fuzz-parsers --sanitize=fuzzer -Xswiftc -DSECPERM_LIBFUZZER --build-path .build-fuzz
mkdir -p .build-fuzz/corpus .build-fuzz/artifacts
cp -n Tests/LibFuzzer/corpus/* .build-fuzz/corpus/
# The Swift backtracer would take the crash signal before libFuzzer could save the input.
SWIFT_BACKTRACE=enable=no .build-fuzz/release/secperm-fuzz-parsers \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=8192 \
    -dict=Tests/LibFuzzer/parsers.dict -artifact_prefix=.build-fuzz/artifacts/ "$@" .build-fuzz/corpus
