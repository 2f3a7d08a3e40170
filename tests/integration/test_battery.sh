#!/usr/bin/env bash
# The breakout battery lives in tests/security/; the runner finds it here.
exec bash "$(dirname "$0")/../security/test_battery.sh" "$@"  # the breakout battery, see tests/security/README.md
