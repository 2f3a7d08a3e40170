#!/usr/bin/env bash
# test_seccomp_tools.sh - `rampart seccomp show|diff|export|import` on
# rampart's own profiles and on Docker's default profile (fetched once from
# Debian's golang-github-docker-docker-dev and cached under build/), and
# launches under an imported profile.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/rampart-sct.XXXXXX)
trap 'rm -rf "$T"' EXIT
ROOTFS=$T/rootfs
cp -a "${BASE_ROOTFS:-$TOP/build/rootfs}" "$ROOTFS" || exit 1
# The static probe (tests/helpers/probe.c), when built: it tells which
# filter a container really got.
[ -x "$TOP/build/probe" ] && cp "$TOP/build/probe" "$ROOTFS/probe"

DOCKER_CACHE=$TOP/build/docker-seccomp
DOCKER_JSON=$DOCKER_CACHE/default.json

sc() { "$RAMPART" seccomp "$@"; }

# What a filter does, without where it was said: `show` minus its header
# line and the "# origin" column.
effective() {
	sc show "$@" >"$T/show.out" || fail "seccomp show $*: exit $?"
	sed -e 1d -e 's/  *# .*$//' "$T/show.out"
}

# sc_rc CMD...: run `rampart seccomp CMD...`; sets OUT, ERR, RC.
sc_rc() {
	OUT=$(sc "$@" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
}

# has REGEX FILE WHAT: a line of FILE matches. (Not assert_match on a
# thousand lines: under pipefail, grep -q quitting early can fail printf.)
has() {
	grep -Eq -- "$1" "$2" || fail "$3: no line of $2 matches /$1/"
}

# A profile with no allow at all: `diff` against it lists what one allows.
printf 'seccomp on\nseccomp clear\nseccomp default errno EPERM\n' >"$T/none.profile"

# allowed P: one "allow NAME[ ARGS]" line per allow of profile P.
allowed() {
	sc diff "$T/none.profile" "$1" | sed -n 's/^+allow //p'
}

native_scmp_arch() {
	case $(uname -m) in
	x86_64) echo SCMP_ARCH_X86_64 ;;
	aarch64) echo SCMP_ARCH_AARCH64 ;;
	*) echo "unknown-arch" ;;
	esac
}

# The number of seccomp(2), for the probe.
nr_seccomp() {
	case $(uname -m) in
	x86_64) echo 317 ;;
	aarch64) echo 277 ;;
	*) skip "no syscall number for seccomp(2) on $(uname -m)" ;;
	esac
}

# Docker's default profile, from the Debian package that ships Docker's
# sources; downloaded once. Skips the test when the download fails.
docker_profile() {
	local dl=$T/apt deb found reason
	[ -s "$DOCKER_JSON" ] && return 0
	# One attempt per suite run: without a network every try would wait.
	[ -s "$T/apt.failed" ] && skip "$(cat "$T/apt.failed")"
	command -v apt-get >/dev/null || skip "no apt-get to fetch golang-github-docker-docker-dev"
	# apt drops privileges to _apt for downloads: let it write here.
	mkdir -p "$dl" && chmod 0777 "$dl"
	if ! (cd "$dl" && apt-get download golang-github-docker-docker-dev) >"$T/apt.log" 2>&1; then
		reason=$(grep -m1 '^E:' "$T/apt.log" || tail -n1 "$T/apt.log")
		echo "apt-get download golang-github-docker-docker-dev failed (no network?): $reason" >"$T/apt.failed"
		skip "$(cat "$T/apt.failed")"
	fi
	deb=$(ls "$dl"/golang-github-docker-docker-dev_*.deb 2>/dev/null | head -1)
	[ -n "$deb" ] || fail "apt-get download left no .deb in $dl"
	dpkg -x "$deb" "$dl/x" || fail "dpkg -x $deb"
	found=$(find "$dl/x" -path '*/docker/profiles/seccomp/default.json' | head -1)
	[ -n "$found" ] || fail "no profiles/seccomp/default.json in $deb"
	mkdir -p "$DOCKER_CACHE" && cp "$found" "$DOCKER_JSON.tmp" && mv "$DOCKER_JSON.tmp" "$DOCKER_JSON" ||
		fail "cache $DOCKER_JSON"
}

# Docker's default profile as a rampart profile, in $T/docker.profile.
import_docker() {
	docker_profile
	sc import "$DOCKER_JSON" >"$T/docker.profile" || fail "import $DOCKER_JSON: exit $?"
}

# --- show -----------------------------------------------------------------

t_seccomp_tools_show_groups_rules_and_origins() {
	local f=$T/show
	sc show base >"$f" || fail "show base: exit $?"
	has '^# seccomp filter from: base$' "$f" "header"
	has '^default errno EPERM$' "$f" "default action"
	has '^  @file-system \([0-9]+\) +# .*/syscalls\.profile:[0-9]+$' "$f" "a fully allowed group, with its origin"
	has '^  ioctl +# .*/syscalls\.profile:[0-9]+$' "$f" "a syscall outside the groups shown, by name"
	has '^argument rules \(9\):$' "$f" "argument rules"
	has '^  allow socket arg0 == 0x1 +# ' "$f" "a conditional allow"
	has '^denies \(10\):$' "$f" "denies"
	has '^  deny clone3 errno ENOSYS +# .*syscalls\.profile:' "$f" "an unconditional deny"
	has '^  deny ioctl arg1 & 0xffffffff == 0x5412 errno EPERM' "$f" "a conditional deny"
}

t_seccomp_tools_show_merges_like_profile_show() {
	local f=$T/show
	sc show --profile base --set 'seccomp allow ptrace' --set 'seccomp default kill' >"$f" ||
		fail "show: exit $?"
	has '^  ptrace +# --set:1$' "$f" "a --set allow with its origin"
	has '^default kill$' "$f" "--set default"
	sc show base --set 'seccomp off' >"$f"
	assert_eq "# seccomp filter from: base
seccomp off: no filter is loaded" "$(cat "$f")" "seccomp off"
	sc_rc show --bogus base
	assert_eq 125 "$RC" "unknown option"
	assert_match "unknown option '--bogus'" "$ERR" "unknown option message"
	sc_rc show /nonexistent.profile
	assert_eq 125 "$RC" "missing profile"
}

t_seccomp_tools_show_bpf_prints_both_filters() {
	sc show --bpf base >"$T/pfc" || fail "show --bpf: exit $?"
	has '^# filter A, the allowlist' "$T/pfc" "filter A heading"
	has 'pseudo filter code start' "$T/pfc" "libseccomp PFC"
	has 'action ERRNO\(38\)' "$T/pfc" "clone3's ENOSYS in the allowlist"
	has '^# filter B, the conditional denies' "$T/pfc" "filter B heading"
	sc show --bpf base --set 'seccomp clear' --set 'seccomp allow read' >"$T/pfc" || fail "show --bpf"
	has '^# filter B: none' "$T/pfc" "no conditional denies, no filter B"
}

# --- diff -----------------------------------------------------------------

t_seccomp_tools_diff_lists_changes_and_exits_like_diff() {
	sc_rc diff base default
	assert_eq 0 "$RC" "base vs default (which includes base) ($ERR)"
	assert_eq "" "$OUT" "no output when equal"
	cat >"$T/changed.profile" <<-'EOF'
		include base
		seccomp allow ptrace
		seccomp deny clone3 errno EPERM
		seccomp deny uname log
		seccomp allow socket arg0 == AF_PACKET
	EOF
	sc_rc diff base "$T/changed.profile"
	assert_eq 1 "$RC" "different profiles ($ERR)"
	assert_eq "-deny clone3 errno ENOSYS
+allow ptrace
+allow socket arg0 == 0x11
-allow uname
+deny uname log" "$OUT" "the changes, one per line"
	sc_rc diff base
	assert_eq 125 "$RC" "diff with one profile"
	sc_rc diff base /nonexistent.profile
	assert_eq 125 "$RC" "diff with a missing profile"
}

# --- export / import ------------------------------------------------------

t_seccomp_tools_export_formats() {
	local arch f=$T/export.json
	arch=$(native_scmp_arch)
	sc export --format oci base >"$f" || fail "export oci: exit $?"
	has '^  "defaultAction": "SCMP_ACT_ERRNO",$' "$f" "defaultAction"
	has '^  "defaultErrnoRet": 1,$' "$f" "defaultErrnoRet"
	tr -d ' \n' <"$f" >"$f.flat"
	has "\"architectures\":\[\"$arch\"\]" "$f.flat" "native arch only"
	has '"op": "SCMP_CMP_MASKED_EQ"' "$f" "masked comparison"
	! grep -q archMap "$f" || fail "Docker's archMap in OCI output"
	sc export --format=docker base >"$f" || fail "export docker: exit $?"
	has '"archMap"' "$f" "archMap"
	has '"includes": \{\}' "$f" "includes"
	sc_rc export --format xml base
	assert_eq 125 "$RC" "unknown format"
	assert_match "expected oci or docker, got 'xml'" "$ERR" "unknown format message"
	sc_rc export base --set 'seccomp off'
	assert_eq 125 "$RC" "export of a disabled filter"
}

t_seccomp_tools_import_errors_name_the_json_path() {
	cat >"$T/bad.json" <<-'EOF'
		{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
		  {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
		  {"names": ["write"], "action": "SCMP_ACT_ALLOW"},
		  {"names": ["close"], "action": "SCMP_ACT_ALLOW"},
		  {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
		   "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_FOO"}]}]}
	EOF
	sc_rc import "$T/bad.json"
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: import: syscalls[3].args[0].op: unknown operator 'SCMP_CMP_FOO'" "$ERR" "message"
	assert_eq "" "$OUT" "no half profile on stdout"
	echo '{"defaultAction": "SCMP_ACT_NOTIFY"}' >"$T/notify.json"
	sc_rc import "$T/notify.json"
	assert_eq "rampart: import: defaultAction: SCMP_ACT_NOTIFY cannot be the default (name the syscalls to notify)" "$ERR" "notify"
	echo '{"defaultAction": ' >"$T/cut.json"
	sc_rc import "$T/cut.json"
	assert_match "^rampart: import: $T/cut.json:[0-9]+:[0-9]+: " "$ERR" "syntax error with line and column"
	sc_rc import "$T/missing.json"
	assert_eq 125 "$RC" "missing file"
}

t_seccomp_tools_import_reads_config_json_and_stdin() {
	sc export base >"$T/base.json" || fail "export"
	{ printf '{"ociVersion": "1.0.2", "process": {"args": ["sh"]}, "linux": {"seccomp": '
	  cat "$T/base.json"; printf '}}\n'; } >"$T/config.json"
	sc import "$T/config.json" >"$T/from-config.profile" || fail "import config.json: exit $?"
	sc import - <"$T/base.json" >"$T/from-stdin.profile" || fail "import -: exit $?"
	sc_rc diff "$T/from-config.profile" "$T/from-stdin.profile"
	assert_eq 0 "$RC" "config.json and the bare object give the same rules ($OUT)"
	sc_rc diff base "$T/from-config.profile"
	assert_eq 0 "$RC" "base survives export and import ($OUT)"
}

# import -> export -> import keeps the effective rules.
t_seccomp_tools_round_trip_base() {
	local fmt
	for fmt in oci docker; do
		sc export --format $fmt base >"$T/a.json" || fail "export base"
		sc import "$T/a.json" >"$T/a.profile" || fail "import a"
		sc export --format $fmt "$T/a.profile" >"$T/b.json" || fail "export a"
		sc import "$T/b.json" >"$T/b.profile" || fail "import b"
		assert_eq "$(effective "$T/a.profile")" "$(effective "$T/b.profile")" "$fmt: show of both imports"
		assert_eq "$(effective base)" "$(effective "$T/a.profile")" "$fmt: show of base and its import"
	done
}

# --- Docker's default profile ------------------------------------------------

t_seccomp_tools_docker_default_round_trip() {
	local fmt
	import_docker
	for fmt in oci docker; do
		sc export --format $fmt "$T/docker.profile" >"$T/d.json" || fail "export ($fmt)"
		sc import "$T/d.json" >"$T/d2.profile" || fail "re-import ($fmt)"
		assert_eq "$(effective "$T/docker.profile")" "$(effective "$T/d2.profile")" "$fmt: show of both imports"
		sc_rc diff "$T/docker.profile" "$T/d2.profile"
		assert_eq 0 "$RC" "$fmt: diff of both imports ($OUT)"
	done
}

t_seccomp_tools_docker_default_contents() {
	local a=$T/allows major minor name
	import_docker
	allowed "$T/docker.profile" >"$a"
	for name in read write socket execve; do
		grep -qx "$name" "$a" || fail "$name is not allowed"
	done
	# Needs capabilities rampart never gives: refused.
	for name in mount reboot kexec_load bpf chroot; do
		! grep -q "^$name\( \|$\)" "$a" || fail "$name is allowed"
	done
	# clone only without namespace flags (Docker's rule for no CAP_SYS_ADMIN).
	grep -qx 'clone arg0 & 0x7e020000 == 0x0' "$a" || fail "clone's flag rule: $(grep clone "$a")"
	sc show "$T/docker.profile" >"$T/show" || fail "show: exit $?"
	has '^  deny clone3 errno ENOSYS ' "$T/show" "clone3 answers ENOSYS"
	# Docker allows ptrace from kernel 4.8 on (includes.minKernel).
	IFS=. read -r major minor _ <<<"$(uname -r)"
	if [ "$major" -gt 4 ] || { [ "$major" -eq 4 ] && [ "${minor%%[!0-9]*}" -ge 8 ]; }; then
		grep -qx ptrace "$a" || fail "ptrace not allowed on kernel $(uname -r)"
	else
		! grep -qx ptrace "$a" || fail "ptrace allowed on kernel $(uname -r)"
	fi
	has '^# skipped: syscalls\[[0-9]+\] bpf, \.\.\. \(needs CAP_SYS_ADMIN' "$T/docker.profile" "capability entries noted"
}

t_seccomp_tools_docker_default_is_standalone() {
	import_docker
	grep -qx 'seccomp clear' "$T/docker.profile" || fail "no 'seccomp clear'"
	! grep -q '^include' "$T/docker.profile" || fail "an imported profile includes another"
	assert_eq "$(effective "$T/docker.profile")" \
		"$(effective --profile base --profile "$T/docker.profile")" "base's rules are gone after it"
}

t_seccomp_tools_docker_default_launches() {
	local nr
	import_docker
	"$RAMPART" launch --profile base --profile "$T/docker.profile" "$ROOTFS" -- /bin/true 2>"$T/stderr"
	assert_eq 0 "$?" "/bin/true under Docker's default profile ($(cat "$T/stderr"))"
	[ -x "$ROOTFS/probe" ] || skip "build/probe not built: cannot tell the filters apart"
	# seccomp(2) with a bad op: EINVAL where it is allowed (Docker), EPERM
	# from the filter where it is not (base).
	nr=$(nr_seccomp)
	OUT=$("$RAMPART" launch --profile base --profile "$T/docker.profile" "$ROOTFS" -- /probe syscall "$nr" 99 0 0)
	assert_eq "errno EINVAL 22" "$OUT" "seccomp(2) under Docker's profile"
	OUT=$("$RAMPART" launch --profile base "$ROOTFS" -- /probe syscall "$nr" 99 0 0)
	assert_eq "errno EPERM 1" "$OUT" "seccomp(2) under base"
}

run_tests
