#!/usr/bin/env bash
# tests/soak/soak.sh - many launches, then prove nothing accumulated.
#
#   tests/soak/soak.sh [--seq N] [--conc M] [--jobs "4 8"] [--valgrind K]
#
# N sequential launches (default 1000), then M concurrent launches (default
# 200) for each parallelism in --jobs (default "4 8": 2 per core on this
# 2-core host, and twice that), of /bin/true with every layer on: base
# profile, a secret, `setuid strip` (default) on an image with a setuid
# file; every 10th launch also with `net veth` into a bridge in a test
# network namespace. Then: every launch exited 0; no new mounts, rampart
# cgroups, links in the test netns or rampart state; the cache directory
# did not grow; no fd leaked into this script's own process; no rampart
# or container process left; rampart's peak RSS (/usr/bin/time -f %M),
# median of the last 3 sequential launches, within 10% + 256 KiB of the
# median of the first 3; the fd
# count of a launcher stopped at RAMPART_STOP_AT=exec the same at the
# start and the end. With --valgrind K: K launches under memcheck, zero
# definite leaks required. Prints "ok - ..." / "not ok - ..." and a last
# line "soak: N passed, M failed, K skipped"; exit 1 on any failure.
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RAMPART=${RAMPART:-$TOP/rampart}
export RAMPART_PROFILE_PATH=${RAMPART_PROFILE_PATH:-$TOP/profiles}
export RAMPART_AUDIT_LOG=none
. "$TOP/tests/fault/lib.sh"

SEQ=1000 CONC=200 JOBS="4 8" VALGRIND=0 VETH_EVERY=10
while [ $# -gt 0 ]; do
	case $1 in
	--seq) SEQ=$2; shift 2 ;;
	--conc) CONC=$2; shift 2 ;;
	--jobs) JOBS=$2; shift 2 ;;
	--valgrind) VALGRIND=$2; shift 2 ;;
	-h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "soak: unknown option $1" >&2; exit 2 ;;
	esac
done

[ "$(id -u)" = 0 ] || { echo "soak: needs root" >&2; exit 1; }
[ -x "$RAMPART" ] || { echo "soak: build $RAMPART first (make)" >&2; exit 1; }
if [ -z "${BASE_ROOTFS:-}" ]; then
	"$TOP/scripts/mkrootfs" "$TOP/build/rootfs" >/dev/null || exit 1
	BASE_ROOTFS=$TOP/build/rootfs
fi

T=$(mktemp -d /tmp/rampart-soak.XXXXXX)
ROOTFS=$T/rootfs
cp -a "$BASE_ROOTFS" "$ROOTFS"
fault_mark_setuid "$ROOTFS"
printf 'soak-secret-%s' "$$" >"$T/key"
chmod 0600 "$T/key"
export RAMPART_CACHE_DIR=$T/cache
mkdir -p "$T/rc" "$T/rcerr"
trap 'fault_netns_cleanup; rm -rf "$T"' EXIT
fault_netns_setup || echo "# no test netns ($FAULT_NETNS_SKIP): the veth subset is skipped"

pass=0 failn=0 skipn=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; failn=$((failn + 1)); }
skipped() { echo "ok - $* # SKIPPED"; skipn=$((skipn + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }

LAYERS=(--profile base --set "secret k $T/key")

# one I [WRAPPER...]: launch number I; veth for every VETH_EVERY-th.
one() {
	local i=$1; shift
	if [ $((i % VETH_EVERY)) = 0 ] && [ -z "$FAULT_NETNS_SKIP" ]; then
		ip netns exec "$FAULT_NS" "$@" "$RAMPART" launch "${LAYERS[@]}" \
			--set "net veth $FAULT_BR $FAULT_NET.$((10 + i % 200))/24" "$ROOTFS" -- /bin/true
	else
		"$@" "$RAMPART" launch "${LAYERS[@]}" "$ROOTFS" -- /bin/true
	fi
}
export -f one
export RAMPART ROOTFS FAULT_NS FAULT_BR FAULT_NET FAULT_NETNS_SKIP VETH_EVERY T
# (arrays do not export: the worker rebuilds LAYERS)

self_fds() { ls /proc/$$/fd | wc -l; }
cache_files() { find "$RAMPART_CACHE_DIR" -type f 2>/dev/null | wc -l; }

# launcher_fds: fd count of a launcher stopped at exec (container running).
launcher_fds() {
	local pid n
	RAMPART_STOP_AT=exec "$RAMPART" launch "${LAYERS[@]}" "$ROOTFS" -- /bin/sleep 30 >/dev/null 2>&1 &
	pid=$!
	if ! wait_stopped "$pid" 10; then
		kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
		echo "?"
		return
	fi
	n=$(ls "/proc/$pid/fd" | wc -l)
	# Let it finish the normal way: SIGTERM is forwarded to the workload.
	kill -TERM "$pid"; kill -CONT "$pid"
	wait "$pid" 2>/dev/null
	echo "$n"
}

# Warm up (the seccomp and digest caches, the mount points), then baseline.
one 0 >/dev/null 2>&1; one 1 >/dev/null 2>&1
before=$(host_snapshot)
fds_before=$(self_fds)
cache_before=$(cache_files)
lfd_first=$(launcher_fds)
t0=$(date +%s.%N)

# --- sequential ---
if [ "$SEQ" -gt 0 ]; then
	failed=0 rss_first="" rss_last=""
	# Peak RSS of the first three and the last three launches; their
	# medians are compared (one fresh process each: noise is ~100 KiB).
	rm -f "$T/rss.first" "$T/rss.last"
	for i in $(seq 1 "$SEQ"); do
		if [ "$i" -le 3 ] || [ "$i" -gt $((SEQ - 3)) ]; then
			one "$i" /usr/bin/time -f %M -o "$T/rss" >/dev/null 2>"$T/err" || { failed=$((failed + 1)); cp "$T/err" "$T/err.$i"; }
			if [ "$i" -le 3 ]; then tail -n1 "$T/rss" >>"$T/rss.first"; else tail -n1 "$T/rss" >>"$T/rss.last"; fi
		else
			one "$i" >/dev/null 2>"$T/err" || { failed=$((failed + 1)); cp "$T/err" "$T/err.$i"; }
		fi
	done
	median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
	rss_first=$(median "$T/rss.first") rss_last=$(median "$T/rss.last")
	t1=$(date +%s.%N)
	echo "# sequential: $SEQ launches in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, $failed failed"
	check "sequential: $SEQ launches, all exit 0 ($failed failed)" [ "$failed" = 0 ]
	[ "$failed" = 0 ] || head -n3 "$T"/err.* | sed 's/^/#   /' | head -20
	echo "# peak RSS (KiB): first launches $(echo $(cat "$T/rss.first")), last launches $(echo $(cat "$T/rss.last")); medians $rss_first -> $rss_last"
	check "rampart peak RSS does not grow: median of the first 3 ${rss_first} KiB, of the last 3 ${rss_last} KiB" \
		awk -v f="$rss_first" -v l="$rss_last" 'BEGIN { exit !(f > 0 && l > 0 && l <= f * 1.10 + 256) }'
fi

# --- concurrent ---
if [ "$CONC" -gt 0 ]; then
	for j in $JOBS; do
		rm -f "$T"/rc/* "$T"/rcerr/*
		t0=$(date +%s.%N)
		seq 1 "$CONC" | xargs -P "$j" -I{} bash -c \
			'LAYERS=(--profile base --set "secret k $T/key"); one {} >/dev/null 2>"$T/rcerr/{}"; echo $? >"$T/rc/{}"'
		t1=$(date +%s.%N)
		done_n=$(ls "$T"/rc | wc -l)
		bad=$(cat "$T"/rc/* 2>/dev/null | grep -vc '^0$')
		echo "# concurrent: $CONC launches, $j at a time, in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, $bad failed"
		check "concurrent ($j at a time): $CONC launches, all exit 0 ($done_n ran, $bad failed)" \
			test "$done_n" = "$CONC" -a "$bad" = 0
		if [ "$bad" != 0 ]; then
			for f in "$T"/rc/*; do [ "$(cat "$f")" = 0 ] || echo "#   launch ${f##*/}: rc $(cat "$f"): $(grep -v 'setuid: stripped' "$T/rcerr/${f##*/}" | head -c 300)"; done | head -5
		fi
	done
fi

# --- what must not have accumulated ---
lfd_last=$(launcher_fds)
echo "# launcher fds at exec: start $lfd_first, end $lfd_last"
check "rampart's fd count at exec unchanged (start $lfd_first, end $lfd_last)" \
	test "$lfd_first" != "?" -a "$lfd_first" = "$lfd_last"
after=""
poll_until 2 test "$before" = "$(host_snapshot)"
after=$(host_snapshot)
for part in mounts links cgroups state; do
	b=$(awk -v p="== $part" '$0 == p { on = 1; next } /^== / { on = 0 } on' <<<"$before")
	a=$(awk -v p="== $part" '$0 == p { on = 1; next } /^== / { on = 0 } on' <<<"$after")
	if [ "$a" = "$b" ]; then
		ok "no new $part ($(grep -c . <<<"$b") entries before and after${b:+, last: $(tail -n1 <<<"$b" | head -c 60)})"
	else
		notok "no new $part"
		diff <(echo "$b") <(echo "$a") | grep '^[<>]' | head -10 | sed 's/^/#   /'
	fi
done
# Measured once (message and verdict must see the same number), after
# letting transient pipes of the commands above close.
for _ in $(seq 20); do
	fds_after=$(self_fds)
	[ "$fds_after" = "$fds_before" ] && break
	sleep 0.1
done
check "the test's own fds: $fds_before before, $fds_after after" [ "$fds_before" = "$fds_after" ]
check "the cache did not grow: $cache_before files before, $(cache_files) after" [ "$cache_before" = "$(cache_files)" ]
left=$(pgrep -f "$ROOTFS" | tr '\n' ' ')
check "no rampart or container process left${left:+: $left}" [ -z "$left" ]

# --- valgrind memcheck ---
# valgrind 3.19 (Debian 12) answers ENOSYS for the new mount API, openat2
# and seccomp(2), so rampart takes its pre-5.2 mount paths (the ones
# tests/helpers/oldkernel also proves) and cannot load a filter. The
# launches cycle through three shapes, each with a fixed outcome:
#   full    seccomp off, setuid keep: runs to exec, /bin/true exits 0
#   filter  seccomp on: stops at "seccomp: load filter" (ENOSYS), after
#           compiling the filter and with the container started
#   strip   setuid strip: stops at the overlay (fsopen ENOSYS)
# Each must end the way its shape says, with zero definite leaks in
# every process valgrind followed (the launcher and its forks up to exec).
if [ "$VALGRIND" -gt 0 ]; then
	if ! command -v valgrind >/dev/null; then
		skipped "valgrind: not installed"
	else
		mkdir -p "$T/vg"
		# Before 5.2 the container's root enters the rootfs by path.
		chmod 755 "$T"
		# valgrind keeps fds above its own RLIMIT_NOFILE and refuses any
		# other hard limit; base's 4096 is lowered to what it allows.
		vg_nofile=$(valgrind -q /bin/sh -c 'ulimit -Hn')
		declare -A want=([full]=0 [filter]=0 [strip]=0) got=([full]=0 [filter]=0 [strip]=0)
		vgrc_bad=0 other=0
		for i in $(seq 1 "$VALGRIND"); do
			case $((i % 3)) in
			0) shape=full extra=(--set 'seccomp off' --set 'setuid keep') ;;
			1) shape=filter extra=(--set 'setuid keep') ;;
			2) shape=strip extra=() ;;
			esac
			want[$shape]=$((want[$shape] + 1))
			# One log per launch, shared by the forks: a fork's own
			# log file (%p) could not be made once it has pivoted.
			valgrind --suppressions="$TOP/tests/soak/valgrind.supp" --leak-check=full \
				--errors-for-leak-kinds=definite --error-exitcode=99 --trace-children=no \
				--log-file="$T/vg/$i.log" \
				"$RAMPART" launch "${LAYERS[@]}" --set "rlimit nofile 1024:$vg_nofile" "${extra[@]}" \
				"$ROOTFS" -- /bin/true >/dev/null 2>"$T/vg/$i.err"
			rc=$?
			err=$(cat "$T/vg/$i.err")
			case $shape:$rc in
			full:0) got[full]=$((got[full] + 1)) ;;
			filter:125) [[ $err == "rampart: seccomp: load filter: Function not implemented" ]] &&
				got[filter]=$((got[filter] + 1)) || other=$((other + 1)) ;;
			strip:125) [[ $err == "rampart: setuid: overlay for 'setuid strip'"* ]] &&
				got[strip]=$((got[strip] + 1)) || other=$((other + 1)) ;;
			*:99) vgrc_bad=$((vgrc_bad + 1)) ;;
			*) other=$((other + 1)) ;;
			esac
			[ "$other" = 0 ] || [ -n "${first_other:-}" ] || first_other="launch $i ($shape): exit $rc: $err"
		done
		# A process that exits (not one that execs) writes a heap summary.
		logs=$(cat "$T"/vg/*.log | grep -c 'HEAP SUMMARY')
		definite=$(grep -h 'definitely lost:' "$T"/vg/*.log | awk '{ gsub(",", "", $4); s += $4 } END { print s + 0 }')
		echo "# valgrind: $VALGRIND launches, $logs heap summaries; full ${got[full]}/${want[full]}, filter ${got[filter]}/${want[filter]}, strip ${got[strip]}/${want[strip]}; definitely lost $definite bytes"
		check "valgrind: $VALGRIND launches, zero definite leaks ($definite bytes in $logs heap summaries, $vgrc_bad exit 99)" \
			test "$definite" = 0 -a "$vgrc_bad" = 0 -a "$logs" -ge "$VALGRIND"
		check "valgrind: every launch ended as its shape says (${first_other:-all did})" [ "$other" = 0 ]
		check "valgrind: full launches ran to exec and exit 0 (${got[full]} of ${want[full]})" \
			[ "${got[full]}" = "${want[full]}" -a "${want[full]}" -gt 0 ]
	fi
fi

echo "soak: $pass passed, $failn failed, $skipn skipped"
[ "$failn" = 0 ]
