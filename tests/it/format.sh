#!/bin/bash
# format.sh - the C tree is formatted to .clang-format (clang-format 14,
# Debian's clang-format package); skipped when clang-format is missing.
source "$(dirname "$0")/lib.sh"
if ! command -v clang-format >/dev/null; then
	ok "clang-format: # SKIP not installed (apt-get install clang-format)"
	exit 0
fi
bad=$(clang-format --dry-run $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]') 2>&1 |
	grep -o '^[^:]*\.[ch]:' | sort -u | tr '\n' ' ')
check "every .c and .h is clang-formatted${bad:+ (not: $bad)}" [ -z "$bad" ]
