#!/usr/bin/env bash
# test_oci.sh - the OCI runtime mode: runc's command line driven on real
# bundles, every case asserted from the host and from inside.
. "$(dirname "$0")/lib.sh"

setup_rootfs
# The bundle: the rootfs moved under $T/bundle (config.json made by the
# spec test); every other test gets a bundle dir of its own whose config,
# from the same `rampart spec`, names this rootfs by its absolute path.
mkdir -p "$T/bundle"
mv "$ROOTFS" "$T/bundle/rootfs"
ROOTFS=$T/bundle/rootfs
STATE=$T/state
MARK=rampart-oci-mark-$$      # in every workload's command line
PFX=oci$$                     # every container id starts with it
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
CGROOT=$(findmnt -rn -t cgroup2 -o TARGET | head -n1)
export T MARK ROOTFS

# The startContainer hook runs inside: a copy in the image.
cat >"$ROOTFS/hook" <<'EOF'
#!/bin/sh
# hook KIND LOG: one line, "KIND <the state on stdin>"
# (One write: the hooks of start and the container's may run together.)
line="$1 $(cat)"
echo "$line" >>"$2"
EOF
chmod 0755 "$ROOTFS/hook"
mkdir -p "$T/hooks"
cp "$ROOTFS/hook" "$T/hooks/hook"
# createContainer hooks run in the container's namespaces, as its root
# (host uid 100000 in a user namespace): their path must be reachable for
# it, as with runc and crun.
chmod 711 "$T"

# The base config: `rampart spec`, limits dropped (a host without the
# controllers refuses them; t_spec_* tests the stock file), the rootfs by
# absolute path.
mkdir -p "$T/base"
"$RAMPART" spec --bundle "$T/base" || { echo "rampart spec failed" >&2; exit 1; }
"$PY" - "$T/base/config.json" "$ROOTFS" <<'EOF' || exit 1
import json, sys
c = json.load(open(sys.argv[1]))
c["linux"].pop("resources", None)
c["root"]["path"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOF

# Leave nothing behind even when a test fails half-way: every container
# under our root is force-deleted, every marked process killed.
final_cleanup() {
	oci_delete_all "$STATE"
	pkill -KILL -f "$MARK" 2>/dev/null
	true
}
trap 'final_cleanup; rm -rf "$T"' EXIT

# Each test, first: should it fail half-way, its containers go with it,
# Every OCI command appends its audit line; --digest pins the rootfs on
# create as on launch.
t_audit_lines_for_every_command() {
	clean_up_on_failure
	local id=$PFX-audit b=$T/b-audit log=$T/audit.log
	bundle "$b" "sh('sleep 30')"
	rm -f "$log"
	RAMPART_AUDIT_LOG=$log oci create --bundle "$b" "$id" || fail "create"
	RAMPART_AUDIT_LOG=$log oci start "$id" || fail "start"
	RAMPART_AUDIT_LOG=$log oci exec "$id" /bin/true || fail "exec"
	RAMPART_AUDIT_LOG=$log oci kill "$id" KILL || fail "kill"
	wait_status "$id" stopped
	RAMPART_AUDIT_LOG=$log oci delete "$id" || fail "delete"
	OUT=$("$PY" - "$log" "$id" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    assert r["container_id"] == sys.argv[2], r
    assert {"time", "uid", "pid", "command", "outcome"} <= set(r), r
    print(r["command"], r["outcome"])
EOF
)
	assert_eq "create started
start exited
exec exited
kill exited
delete exited" "$OUT" "one valid JSON line per command"
	# A pinned digest that does not match: refused before anything exists.
	ocirun create --digest sha256:0000000000000000000000000000000000000000000000000000000000000000 --bundle "$b" "$id-pin"
	assert_eq 125 "$RC" "create with the wrong digest"
	assert_match "image: .* has digest sha256:[0-9a-f]{64}, not the pinned sha256:0{64}" "$ERR" "message"
	no_trace "$id-pin"
	no_trace "$id"
}

# process.terminal in a foreground run without --console-socket: rampart
# proxies the pty itself (under script(1), which gives this test a
# terminal); the workload sees a tty and its exit status comes back.
t_run_proxies_the_terminal() {
	clean_up_on_failure
	command -v script >/dev/null || skip "no script(1) (bsdutils)"
	local id=$PFX-tty b=$T/b-tty
	bundle "$b" "sh('tty; [ -t 1 ] && echo stdout-is-a-tty; exit 4'); c['process']['terminal'] = True"
	# script's stdin stays open while the workload runs: at its end of
	# file script types a control character into the terminal, which the
	# proxy (raw mode) would pass on and the pty would echo.
	# rampart must be in the terminal's foreground process group, or its
	# tcsetattr(raw) stops it with SIGTTOU, as any program's would. script
	# runs its command with $SHELL: bash execs a lone command, dash forks,
	# and a plain timeout then moves rampart into a background group of its
	# own. Hence SHELL pinned, exec, and timeout --foreground.
	local tmo="exec timeout --foreground -k 5 20"
	OUT=$(sleep 2 | SHELL=/bin/sh script -qec "$tmo '$RAMPART' --root '$STATE' run --bundle '$b' '$id'" /dev/null | tr -d '\r')
	assert_match "^/dev/pts/[0-9]+$" "$(head -n1 <<<"$OUT")" "the workload's tty"
	assert_match "stdout-is-a-tty" "$OUT" "stdout"
	sleep 2 | SHELL=/bin/sh script -qec "$tmo '$RAMPART' --root '$STATE' run --bundle '$b' '$id-rc'" /dev/null >/dev/null
	assert_eq 4 "${PIPESTATUS[1]}" "exit status through the proxy"
	# Detached, there is nobody to proxy: a console socket is needed.
	ocirun run --detach --bundle "$b" "$id-d"
	assert_eq 125 "$RC" "run --detach with a terminal"
	assert_match "console-socket is needed" "$ERR" "message"
	no_trace "$id"; no_trace "$id-rc"; no_trace "$id-d"
}

# --debug logs the command line into --log.
t_debug_logs_the_command() {
	local log=$T/debug.json
	rm -f "$log"
	oci --debug --log "$log" --log-format json list -q >/dev/null || fail "list"
	assert_match '"level":"debug","msg":"list -q"' "$(cat "$log")" "the debug line"
}

# --- what the security review found ------------------------------------------

# --preserve-fds names fds the caller has: a gap is refused, else one of
# rampart's own (the state directory) would fill it and reach the container.
t_preserve_fds_gap_refused() {
	clean_up_on_failure
	local id=$PFX-pfd b=$T/b-pfd
	bundle "$b" "sh('ls /proc/self/fd')"
	OUT=$(bash -c 'exec 3>&- 4>&- 5>&-; exec "$@"' _ "$RAMPART" --root "$STATE" run --preserve-fds 2 --bundle "$b" "$id" 2>&1)
	RC=$?
	assert_eq 125 "$RC" "run with a gap at fd 3 ($OUT)"
	assert_match "preserve-fds 2: fd 3 is not open" "$OUT" "message"
	no_trace "$id"
	OUT=$(bash -c 'exec 3</etc/hostname 4</etc/hostname; exec "$@"' _ "$RAMPART" --root "$STATE" run --preserve-fds 2 --bundle "$b" "$id" 2>&1)
	assert_eq 0 "$?" "run with fds 3 and 4 open ($OUT)"
	assert_eq "0 1 2 3 4 5" "$(echo $OUT)" "fds inside (5: ls's own)"
	no_trace "$id"
}

# exec takes the first process's seccomp rules as create kept them, and
# never more capabilities than its bounding set, whatever the profiles
# on disk (or RAMPART_PROFILE_PATH) say at exec time.
t_exec_bound_by_the_first_process() {
	clean_up_on_failure
	local id=$PFX-bound b=$T/b-bound evil=$T/evil-profiles
	bundle "$b" "sh('sleep 30'); caps(['CAP_KILL'])"
	detached run "$id" "$b"
	mkdir -p "$evil"
	echo "seccomp off" >"$evil/syscalls.profile"
	OUT=$(RAMPART_PROFILE_PATH=$evil:$RAMPART_PROFILE_PATH oci exec --cap CAP_SYS_ADMIN "$id" \
		grep -E '^(Seccomp|CapBnd|CapEff):' /proc/self/status 2>&1)
	assert_match "Seccomp:[[:space:]]+2" "$OUT" "the filter of the first process"
	assert_match "CapBnd:[[:space:]]+0000000000000020" "$OUT" "bounding set: CAP_KILL only"
	oci delete --force "$id"
	no_trace "$id"
}

# exec --process replaces the process whole: a process.json without
# "terminal" (Go clients omit false) gets no terminal, even in a container
# whose first process has one.
t_exec_process_json_is_the_whole_process() {
	clean_up_on_failure
	local id=$PFX-pj b=$T/b-pj sock=$T/pj.sock
	bundle "$b" "sh('sleep 30'); c['process']['terminal'] = True"
	"$PY" - "$sock" <<'EOF' &
import array, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept()
msg, anc, _, _ = c.recvmsg(4096, socket.CMSG_SPACE(4))
time.sleep(30)
EOF
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	ocirun run --detach --console-socket "$sock" --bundle "$b" "$id"
	assert_eq 0 "$RC" "run with a terminal ($ERR)"
	cat >"$T/pj.json" <<EOF
{"args": ["/bin/sh", "-c", "[ -t 0 ] && echo tty || echo notty"], "cwd": "/", "user": {"uid": 0, "gid": 0},
 "env": ["PATH=/bin:/usr/bin"]}
EOF
	ocirun exec --process "$T/pj.json" "$id"
	assert_eq 0 "$RC" "exec --process ($ERR)"
	assert_eq notty "$OUT" "no terminal asked for, none given"
	ocirun exec --detach --process "$T/pj.json" "$id"
	assert_eq 0 "$RC" "exec -d --process without a terminal ($ERR)"
	oci delete --force "$id"
	kill %1 2>/dev/null
	no_trace "$id"
}

# A container whose process dies during set-up is not "created".
t_create_fails_when_the_process_dies_in_setup() {
	clean_up_on_failure
	local id=$PFX-die b=$T/b-die
	bundle "$b" "
sh('true')
c['process']['noNewPrivileges'] = False
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW',
                         'syscalls': [{'names': ['capset'], 'action': 'SCMP_ACT_KILL_PROCESS'}]}"
	ocirun create --pid-file "$T/die.pid" --bundle "$b" "$id"
	assert_eq 125 "$RC" "create (its process is killed by its own filter before ready)"
	assert_match "rampart: create: the container's process was killed by signal 31 during set-up" "$ERR" "message"
	[ ! -e "$T/die.pid" ] || fail "a pid file for a container that does not exist"
	no_trace "$id"
}

# A profile applied over a bundle cannot turn a namespaced sysctl into a
# host-wide one.
t_profile_cannot_unshare_a_sysctl_away() {
	clean_up_on_failure
	local id=$PFX-sysctl b=$T/b-sysctl
	bundle "$b" "sh('true'); c['linux']['sysctl'] = {'kernel.domainname': 'set-by-container'}"
	ocirun run --set 'share uts' --bundle "$b" "$id"
	assert_eq 125 "$RC" "run"
	assert_match "linux.sysctl.kernel.domainname: the profiles took away the namespace it belongs to" "$ERR" "message"
	no_trace "$id"
}

# During prestart/createRuntime the container is "creating"; a hook may
# ask (the state is read without the lock create holds).
t_state_is_creating_during_the_hooks() {
	clean_up_on_failure
	local id=$PFX-creating b=$T/b-creating
	bundle "$b" "
sh('true')
c['hooks'] = {'createRuntime': [{'path': '$RAMPART', 'args': ['rampart', '--root', '$STATE', 'state', '$id'],
                                 'env': ['RAMPART_AUDIT_LOG=none'], 'timeout': 5}]}"
	ocirun run --bundle "$b" "$id"
	assert_eq 0 "$RC" "run ($ERR)"
	assert_match '"status": "creating"' "$ERR" "the hook's view"
	no_trace "$id"
}

# kill of a stopped container speaks containerd's words.
t_kill_stopped_says_not_running() {
	clean_up_on_failure
	local id=$PFX-ks b=$T/b-ks
	bundle "$b" "sh('true')"
	detached run "$id" "$b"
	wait_status "$id" stopped
	ocirun kill "$id" KILL
	assert_eq 125 "$RC" "kill"
	assert_match "container not running" "$ERR" "message"
	oci delete "$id"
	no_trace "$id"
}

# A foreground run whose container is deleted under it: poststop once.
t_foreground_run_deleted_under_it() {
	clean_up_on_failure
	local id=$PFX-fgdel b=$T/b-fgdel log=$T/fgdel.log
	: >"$log"
	bundle "$b" "
sh('sleep 30')
c['hooks'] = {'poststop': [{'path': '/bin/sh', 'args': ['sh', '-c', 'echo poststop >>$log']}]}"
	oci run --bundle "$b" "$id" >/dev/null 2>&1 &
	wait_status "$id" running
	oci delete --force "$id" || fail "delete --force"
	wait
	assert_eq "poststop" "$(cat "$log")" "poststop hooks, once"
	no_trace "$id"
}

# so that the next tests start clean (t_zz_* checks what passing ones left).
clean_up_on_failure() {
	trap '[ $? -eq 0 ] || final_cleanup' EXIT
}

# oci ARGS...: rampart with our state root (never waits forever).
oci() { timeout 20 "$RAMPART" --root "$STATE" "$@"; }

# ocirun ARGS...: `oci ARGS`, setting OUT, ERR, RC.
ocirun() {
	OUT=$(oci "$@" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
}

# bundle DIR [PYTHON]: DIR/config.json, the base config edited by PYTHON
# (statements on `c`, with helpers: sh(SCRIPT) for the args, with the
# marker; bind(SRC, DST, *OPTS); tmpfs(DST); caps(LIST); user(UID, GID)).
bundle() {
	local dir=$1 code=${2:-}
	mkdir -p "$dir"
	"$PY" - "$T/base/config.json" "$dir/config.json" "$code" <<'EOF' || fail "bundle $dir: bad python"
import json, os, sys
T, MARK, ROOTFS = os.environ["T"], os.environ["MARK"], os.environ["ROOTFS"]
c = json.load(open(sys.argv[1]))
def sh(script):
    c["process"]["args"] = ["sh", "-c", script + " # " + MARK]
def bind(src, dst, *opts):
    c["mounts"].append({"destination": dst, "type": "bind", "source": src, "options": ["rbind"] + list(opts)})
def tmpfs(dst):
    c["mounts"].append({"destination": dst, "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=1777"]})
def caps(names):
    c["process"]["capabilities"] = {k: list(names) for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
def user(uid, gid):
    c["process"]["user"] = {"uid": uid, "gid": gid}
exec(sys.argv[3])
json.dump(c, open(sys.argv[2], "w"), indent=1)
EOF
}

# A host directory the container user (host uid 165534) may write.
share() {
	mkdir -p "$1" && chmod 0777 "$1"
}

# jq-less JSON: jget EXPR < JSON (EXPR in python on `d`).
jget() {
	"$PY" -c 'import json, sys; d = json.load(sys.stdin); v = eval(sys.argv[1]); print(json.dumps(v) if isinstance(v, (dict, list, bool)) or v is None else v)' "$1"
}

state_of() {
	oci state "$1" 2>/dev/null | jget 'd["status"]' 2>/dev/null
}
pid_of() {
	oci state "$1" 2>/dev/null | jget 'd["pid"]'
}

# wait_status ID STATUS: up to 5 s (a detached container's zombie is
# reaped by the host's init, in its own time).
wait_status() {
	local s
	for _ in $(seq 50); do
		s=$(state_of "$1")
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	fail "container $1: status '$s', expected '$2'"
}

# wait_file PATH: up to 5 s.
wait_file() {
	for _ in $(seq 50); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	fail "$1 never appeared"
}

# gone PID: the process has exited (a zombie counts as exited), 5 s at most.
gone() {
	local st
	for _ in $(seq 50); do
		st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
		case $st in Z|X|"") return 0 ;; esac
		sleep 0.1
	done
	return 1
}

# detached create|run ID BUNDLE [OPTIONS...]: a container whose stdio goes
# to files (it would hold a $(...) pipe open for its whole life).
detached() {
	local cmd=$1 id=$2 b=$3
	shift 3
	if [ "$cmd" = run ]; then set -- --detach "$@"; fi
	oci "$cmd" --bundle "$b" "$@" "$id" >"$T/$id.out" 2>"$T/$id.err" </dev/null
	RC=$?
	ERR=$(cat "$T/$id.err")
	assert_eq 0 "$RC" "$cmd $id ($ERR)"
}

# no_trace ID: no state dir, no cgroup dir, no process of ID.
no_trace() {
	[ ! -e "$STATE/$1" ] || fail "state dir $STATE/$1 left"
	[ -z "$CGROOT" ] || [ ! -e "$CGROOT/rampart-oci/$1" ] || fail "cgroup $CGROOT/rampart-oci/$1 left"
	! pgrep -fa -- "--root $STATE [a-z]+ .*$1\$" || fail "a rampart process of $1 left"
}

# --- spec and features -------------------------------------------------------

t_spec_output_is_valid_json_and_launches() {
	clean_up_on_failure
	local b=$T/bundle sum
	rm -f "$b/config.json"
	(cd "$b" && "$RAMPART" spec) || fail "spec in the bundle dir"
	"$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$b/config.json" || fail "spec output is not JSON"
	assert_eq rootfs "$(jget 'd["root"]["path"]' <"$b/config.json")" "root.path"
	"$PY" - "$b/config.json" "$MARK" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["process"]["args"] = ["sh", "-c", "echo spec-ok; hostname # " + sys.argv[2]]
json.dump(c, open(sys.argv[1], "w"), indent=4)
EOF
	OUT=$(cd "$b" && oci run "$PFX-spec" 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
	if [ "$(jget '"yes" if d["linux"].get("resources", {}).get("pids") else "no"' <"$b/config.json")" = yes ] &&
		! grep -qw pids "$CGROOT/cgroup.controllers" 2>/dev/null; then
		# The stock spec asks for a pids limit this host cannot enforce:
		# refused, naming the controller; without the limit it runs.
		assert_eq 125 "$RC" "run of the stock spec on a host without the pids controller"
		assert_match "^rampart: cgroup: controller 'pids' is not available in $CGROOT" "$ERR" "message"
		no_trace "$PFX-spec"
		"$PY" - "$b/config.json" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
del c["linux"]["resources"]
json.dump(c, open(sys.argv[1], "w"), indent=4)
EOF
		OUT=$(cd "$b" && oci run "$PFX-spec" 2>"$T/stderr")
		RC=$?
		ERR=$(cat "$T/stderr")
	fi
	assert_eq 0 "$RC" "run of the spec ($ERR)"
	assert_eq "spec-ok
rampart" "$OUT" "output"
	no_trace "$PFX-spec"
	# It never overwrites a config.
	sum=$(sha256sum <"$b/config.json")
	OUT=$(cd "$b" && "$RAMPART" spec 2>&1)
	assert_eq 125 "$?" "spec over an existing config.json"
	assert_eq "rampart: spec: ./config.json exists; remove it first: File exists" "$OUT" "message"
	assert_eq "$sum" "$(sha256sum <"$b/config.json")" "config.json unchanged"
	OUT=$("$RAMPART" spec --bundle "$b" 2>&1)
	assert_eq 125 "$?" "spec --bundle over an existing config.json"
	assert_eq "$sum" "$(sha256sum <"$b/config.json")" "config.json unchanged"
}

# A rootless `spec --rootless` bundle runs as an ordinary user: the config
# maps exactly the caller's own uid/gid to the process user, which is what
# an unprivileged caller may write.
t_spec_rootless_runs_as_an_ordinary_user() {
	command -v setpriv >/dev/null || skip "no setpriv (util-linux)"
	local d
	d=$(mktemp -d /tmp/rampart-oci-rl.XXXXXX)
	# shellcheck disable=SC2064
	trap "rm -rf '$d'" EXIT
	cp -a "$ROOTFS" "$d/rootfs"
	chown -R 12347:12347 "$d"
	chmod 0755 "$d"
	OUT=$(setpriv --reuid 12347 --regid 12347 --clear-groups env RAMPART_PROFILE_PATH="$RAMPART_PROFILE_PATH" \
		RAMPART_AUDIT_LOG=none RAMPART="$RAMPART" PY="$PY" sh -c '
		cd "$1" && "$RAMPART" spec --rootless || exit 90
		"$PY" -c "import json; c = json.load(open(\"config.json\")); c[\"process\"][\"args\"] = [\"sh\", \"-c\", \"id -u; cat /proc/self/uid_map\"]; json.dump(c, open(\"config.json\", \"w\"))"
		"$RAMPART" --root "$1/state" run rl1' sh "$d" 2>"$T/rl.err")
	assert_eq 0 "$?" "rootless run ($(cat "$T/rl.err"))"
	assert_eq "65534" "$(echo "$OUT" | head -n1)" "the process user"
	assert_match "^ +65534 +12347 +1$" "$(echo "$OUT" | tail -n1)" "the one id mapped: the caller's"
	[ -z "$(ls -A "$d/state" 2>/dev/null)" ] || fail "rootless state left: $(ls "$d/state")"
}

t_features_json() {
	clean_up_on_failure
	OUT=$("$RAMPART" features)
	assert_eq 0 "$?" "features"
	assert_eq 1.0.0 "$(jget 'd["ociVersionMin"]' <<<"$OUT")" "ociVersionMin"
	assert_eq 1.2.0 "$(jget 'd["ociVersionMax"]' <<<"$OUT")" "ociVersionMax"
	assert_eq '["createContainer", "createRuntime", "poststart", "poststop", "prestart", "startContainer"]' \
		"$(jget 'sorted(d["hooks"])' <<<"$OUT")" "hooks"
	assert_match '"mount"' "$(jget 'd["linux"]["namespaces"]' <<<"$OUT")" "namespaces"
}

# --- the lifecycle -------------------------------------------------------------

t_lifecycle_create_start_kill_delete() {
	clean_up_on_failure
	local id=$PFX-life b=$T/b-life pid
	share "$T/life"
	bundle "$b" "sh('echo ran >/share/ran; trap \"echo TERM >/share/sig; exit 7\" TERM; while :; do sleep 0.1; done'); bind(T + '/life', '/share', 'rw'); c['annotations'] = {'org.example/key': 'v1'}"
	detached create "$id" "$b" --pid-file "$T/life.pid"
	# created: the process exists, is waiting, has run nothing of the workload
	pid=$(cat "$T/life.pid") || fail "no pid file"
	assert_match '^[0-9]+$' "$pid" "pid file"
	assert_eq created "$(state_of "$id")" "status after create"
	assert_eq "$pid" "$(pid_of "$id")" "state pid = pid file"
	assert_eq "$b" "$(oci state "$id" | jget 'd["bundle"]')" "state bundle"
	assert_eq '{"org.example/key": "v1"}' "$(oci state "$id" | jget 'd.get("annotations")')" "state annotations"
	[ -d "/proc/$pid" ] || fail "the container's process does not exist"
	assert_nomatch "$MARK" "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "command line before start"
	[ -p "$STATE/$id/exec.fifo" ] || fail "no exec.fifo while created"
	[ -d "$CGROOT/rampart-oci/$id" ] || fail "no cgroup $CGROOT/rampart-oci/$id"
	assert_eq "$pid" "$(cat "$CGROOT/rampart-oci/$id/cgroup.procs")" "cgroup.procs"
	sleep 0.3
	[ ! -e "$T/life/ran" ] || fail "the workload ran before start"
	assert_match "^$id\$" "$(oci list -q)" "list -q"
	# start
	ocirun start "$id"
	assert_eq 0 "$RC" "start ($ERR)"
	wait_file "$T/life/ran"
	assert_eq running "$(state_of "$id")" "status after start"
	assert_eq "$pid" "$(pid_of "$id")" "pid after start"
	assert_match "$MARK" "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "the workload is the container's process"
	[ ! -e "$STATE/$id/exec.fifo" ] || fail "exec.fifo left after start"
	# kill: SIGTERM by default
	ocirun kill "$id"
	assert_eq 0 "$RC" "kill ($ERR)"
	wait_status "$id" stopped
	assert_eq TERM "$(cat "$T/life/sig")" "the signal the workload got"
	assert_eq 0 "$(pid_of "$id")" "pid of a stopped container"
	# delete
	ocirun delete "$id"
	assert_eq 0 "$RC" "delete ($ERR)"
	[ ! -e "$STATE/$id" ] || fail "state dir left"
	[ ! -e "$CGROOT/rampart-oci/$id" ] || fail "cgroup left"
	gone "$pid" || fail "process $pid left"
	ocirun state "$id"
	assert_eq 125 "$RC" "state after delete"
	assert_eq "rampart: container: $id does not exist" "$ERR" "message"
}

# --- run and exit statuses ------------------------------------------------------

t_run_exit_status() {
	clean_up_on_failure
	local b=$T/b-exit pid rpid
	bundle "$b" "sh('exit 3')"
	ocirun run --bundle "$b" "$PFX-exit3"
	assert_eq 3 "$RC" "run of exit 3 ($ERR)"
	no_trace "$PFX-exit3"
	# Killed by a signal from the host: 128+N.
	bundle "$b" "sh('while :; do sleep 0.1; done')"
	"$RAMPART" --root "$STATE" run --bundle "$b" "$PFX-sig" >/dev/null 2>&1 &
	rpid=$!
	wait_status "$PFX-sig" running
	pid=$(pid_of "$PFX-sig")
	kill -KILL "$pid" || fail "kill $pid"
	wait "$rpid"
	assert_eq 137 "$?" "run of a workload killed by SIGKILL"
	no_trace "$PFX-sig"
	# A signal to `run` goes to the workload.
	bundle "$b" "sh('trap \"exit 5\" TERM; echo ready >/tmp/ready; while :; do sleep 0.1; done'); tmpfs('/tmp')"
	"$RAMPART" --root "$STATE" run --bundle "$b" "$PFX-fwd" >/dev/null 2>&1 &
	rpid=$!
	wait_status "$PFX-fwd" running
	pid=$(pid_of "$PFX-fwd")
	for _ in $(seq 50); do [ -s "/proc/$pid/root/tmp/ready" ] && break; sleep 0.1; done
	kill -TERM "$rpid"
	wait "$rpid"
	assert_eq 5 "$?" "run of a workload that exits 5 on the SIGTERM run forwarded"
	no_trace "$PFX-fwd"
}

t_missing_program_fails_create() {
	clean_up_on_failure
	local id=$PFX-noprog b=$T/b-noprog
	bundle "$b" "c['process']['args'] = ['/no/such/prog', '$MARK']"
	ocirun create --bundle "$b" "$id"
	assert_eq 127 "$RC" "create of a missing program"
	assert_eq "rampart: exec: /no/such/prog: No such file or directory" "$ERR" "message"
	no_trace "$id"
	ocirun run --bundle "$b" "$id"
	assert_eq 127 "$RC" "run of a missing program"
	no_trace "$id"
}

t_run_foreground_container_is_reachable() {
	clean_up_on_failure
	# While `run` waits in the foreground, the other commands work on the
	# container at once: none may wait for the workload to end.
	local id=$PFX-fg b=$T/b-fg rpid pid bad=() cmd
	bundle "$b" "sh('while :; do sleep 0.1; done')"
	"$RAMPART" --root "$STATE" run --bundle "$b" "$id" >/dev/null 2>&1 &
	rpid=$!
	wait_status "$id" running
	pid=$(pid_of "$id")
	for cmd in "state $id" "list -q" "ps --format json $id" "exec $id true" "events --stats $id"; do
		# shellcheck disable=SC2086
		OUT=$(timeout 2 "$RAMPART" --root "$STATE" $cmd 2>&1)
		RC=$?
		[ "$RC" -eq 0 ] || bad+=("'$cmd': exit $RC${OUT:+ ($OUT)}")
	done
	OUT=$(timeout 2 "$RAMPART" --root "$STATE" kill "$id" KILL 2>&1)
	RC=$?
	if [ "$RC" -ne 0 ]; then
		bad+=("'kill $id KILL': exit $RC${OUT:+ ($OUT)}")
		kill -KILL "$pid"
	fi
	wait "$rpid"
	RC=$?
	[ ${#bad[@]} -eq 0 ] || fail "with a foreground run (exit 124: timed out after 2 s): ${bad[*]}"
	assert_eq 137 "$RC" "run's status after kill KILL"
	no_trace "$id"
}

# --- delete ---------------------------------------------------------------------

t_delete_running_needs_force() {
	clean_up_on_failure
	local id=$PFX-del b=$T/b-del pid
	bundle "$b" "sh('while :; do sleep 0.1; done')"
	detached run "$id" "$b"
	pid=$(pid_of "$id")
	ocirun delete "$id"
	assert_eq 125 "$RC" "delete of a running container"
	assert_eq "rampart: delete: container $id is running; stop it first or use --force" "$ERR" "message"
	assert_eq running "$(state_of "$id")" "status after the refused delete"
	ocirun delete --force "$id"
	assert_eq 0 "$RC" "delete --force ($ERR)"
	gone "$pid" || fail "delete --force left process $pid"
	no_trace "$id"
	# An unknown id: --force succeeds, without it an error.
	ocirun delete --force "$PFX-never-was"
	assert_eq 0 "$RC" "delete --force of an unknown id ($ERR)"
	ocirun delete "$PFX-never-was"
	assert_eq 125 "$RC" "delete of an unknown id"
	# A created container (never started): no --force needed.
	detached create "$id-c" "$b"
	pid=$(pid_of "$id-c")
	ocirun delete "$id-c"
	assert_eq 0 "$RC" "delete of a created container ($ERR)"
	gone "$pid" || fail "delete of a created container left process $pid"
	no_trace "$id-c"
}

# --- exec -----------------------------------------------------------------------

t_exec_into_running_container() {
	clean_up_on_failure
	local id=$PFX-exec b=$T/b-exec init out
	bundle "$b" "sh('echo from-workload >/tmp/w; while :; do sleep 0.1; done'); tmpfs('/tmp'); c['hostname'] = 'exec-host'; caps(['CAP_NET_BIND_SERVICE', 'CAP_KILL'])"
	detached run "$id" "$b" --pid-file "$T/exec.pid"
	init=$(cat "$T/exec.pid")
	for _ in $(seq 50); do [ -s "/proc/$init/root/tmp/w" ] && break; sleep 0.1; done
	ocirun exec "$id" sh -c 'echo out; echo err >&2; exit 4'
	assert_eq 4 "$RC" "exec's exit status"
	assert_eq out "$OUT" "exec's stdout"
	assert_eq err "$ERR" "exec's stderr"
	ocirun exec "$id" sh -c 'kill -KILL $$'
	assert_eq 137 "$RC" "exec'd process killed by SIGKILL"
	ocirun exec "$id" sh -c 'tr "\0" " " </proc/1/cmdline; echo; hostname; cat /tmp/w; grep -E "^(NoNewPrivs|Seccomp|CapBnd|CapEff):" /proc/self/status'
	assert_eq 0 "$RC" "exec ($ERR)"
	assert_match "^sh -c .*$MARK" "$(sed -n 1p <<<"$OUT")" "/proc/1/cmdline: the container's workload"
	assert_eq exec-host "$(sed -n 2p <<<"$OUT")" "hostname"
	assert_eq from-workload "$(sed -n 3p <<<"$OUT")" "the workload's tmpfs"
	assert_match 'NoNewPrivs:[[:space:]]+1' "$OUT" "NoNewPrivs"
	assert_match 'Seccomp:[[:space:]]+2' "$OUT" "Seccomp"
	assert_eq "$(grep CapBnd "/proc/$init/status" | awk '{ print $2 }')" \
		"$(grep CapBnd <<<"$OUT" | awk '{ print $2 }')" "CapBnd = the init's"
	assert_eq 0000000000000420 "$(grep CapBnd <<<"$OUT" | awk '{ print $2 }')" "CapBnd"
	# Every namespace and the cgroup of the container (seen from the host).
	# (Its stdio to a file: it would hold a $(...) pipe open.)
	oci exec -d --pid-file "$T/exec2.pid" "$id" sleep 30 >"$T/exec2.out" 2>&1
	assert_eq 0 "$?" "exec -d ($(cat "$T/exec2.out"))"
	out=$(cat "$T/exec2.pid")
	for ns in mnt pid net ipc uts user cgroup; do
		assert_eq "$(readlink "/proc/$init/ns/$ns")" "$(readlink "/proc/$out/ns/$ns")" "$ns namespace of exec -d"
	done
	assert_eq "0::/rampart-oci/$id" "$(grep '^0::' "/proc/$out/cgroup")" "cgroup of exec -d"
	kill -KILL "$out"
	# A clean environment (the config's), no fd of the caller, the
	# config's rlimits.
	OUT=$(LEAK_ME=1 oci exec "$id" sh -c 'env | sort | tr "\n" " "; echo; ls /proc/self/fd | tr "\n" " "; echo; ulimit -n' 2>&1 5</etc/hostname)
	assert_eq "HOME=/ PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PWD=/ SHLVL=1 TERM=xterm " \
		"$(sed -n 1p <<<"$OUT")" "exec's environment"
	assert_eq "0 1 2 3 " "$(sed -n 2p <<<"$OUT")" "exec's fds (3 is ls's own)"
	assert_eq 1024 "$(sed -n 3p <<<"$OUT")" "exec's RLIMIT_NOFILE"
	# --env, --cwd, --user
	# shellcheck disable=SC2016 # expanded by the container's shell
	ocirun exec --env FOO=bar --cwd /etc --user 1000:2000 "$id" sh -c 'echo $FOO; pwd; id -u; id -g'
	assert_eq 0 "$RC" "exec with options ($ERR)"
	assert_eq "bar
/etc
1000
2000" "$OUT" "--env, --cwd, --user"
	# --process FILE, as containerd writes it
	cat >"$T/process.json" <<EOF
{"terminal": false, "user": {"uid": 123, "gid": 456}, "args": ["sh", "-c", "echo \$A; pwd; id -u; id -g; exit 6"],
 "env": ["PATH=/bin:/usr/bin", "A=from-process-json"], "cwd": "/bin",
 "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]},
 "noNewPrivileges": true}
EOF
	ocirun exec --process "$T/process.json" "$id"
	assert_eq 6 "$RC" "exec --process status ($ERR)"
	assert_eq "from-process-json
/bin
123
456" "$OUT" "exec --process"
	# Errors
	ocirun exec "$id" /no/such/prog
	assert_eq 127 "$RC" "exec of a missing program"
	assert_eq "rampart: exec: /no/such/prog: No such file or directory" "$ERR" "message"
	ocirun exec --cwd /no/such/dir "$id" true
	assert_eq 125 "$RC" "exec with a missing cwd"
	oci delete --force "$id"
	no_trace "$id"
}

t_exec_into_stopped_container_fails() {
	clean_up_on_failure
	local id=$PFX-exec-stopped b=$T/b-exec-stopped
	bundle "$b" "sh('exit 0')"
	detached run "$id" "$b"
	wait_status "$id" stopped
	ocirun exec "$id" true
	assert_eq 125 "$RC" "exec into a stopped container"
	assert_eq "rampart: exec: container $id is stopped" "$ERR" "message"
	ocirun exec "$PFX-no-such" true
	assert_eq 125 "$RC" "exec into an unknown container"
	assert_eq "rampart: container: $PFX-no-such does not exist" "$ERR" "message"
	oci delete "$id"
	no_trace "$id"
}

t_exec_gets_the_container_oom_score_adj() {
	clean_up_on_failure
	# runc gives exec'd processes the config's oomScoreAdj; inheriting the
	# caller's would hand them the shim's (containerd's is about -998).
	local id=$PFX-exec-oom b=$T/b-exec-oom
	bundle "$b" "sh('while :; do sleep 0.1; done'); c['process']['oomScoreAdj'] = 300"
	detached run "$id" "$b"
	assert_eq 300 "$(cat "/proc/$(pid_of "$id")/oom_score_adj")" "the container's oom_score_adj"
	# The caller's own score must not leak in (a shim's is very low; a
	# test may only raise its own, to 100).
	OUT=$(echo 100 >/proc/self/oom_score_adj && oci exec "$id" cat /proc/self/oom_score_adj 2>"$T/stderr")
	RC=$?
	ERR=$(cat "$T/stderr")
	assert_eq 0 "$RC" "exec ($ERR)"
	assert_eq 300 "$OUT" "the exec'd process's oom_score_adj (its caller's: 100)"
	oci delete --force "$id"
	no_trace "$id"
}

t_exec_is_confined_like_the_container() {
	clean_up_on_failure
	# A container hardened with --set: exec rebuilds the same process
	# limits (here: caps none) even though the config gave capabilities.
	local id=$PFX-exec-hard b=$T/b-exec-hard
	bundle "$b" "sh('while :; do sleep 0.1; done'); caps(['CAP_NET_BIND_SERVICE', 'CAP_KILL']); user(0, 0)"
	detached run "$id" "$b" --set 'caps none'
	ocirun exec "$id" grep -E '^Cap(Bnd|Eff|Prm):' /proc/self/status
	assert_eq 0 "$RC" "exec ($ERR)"
	for set in Bnd Eff Prm; do
		assert_match "Cap$set:[[:space:]]+0000000000000000" "$OUT" "Cap$set of exec"
	done
	oci delete --force "$id"
	no_trace "$id"
}

# --- pause, resume, ps, kill --all ------------------------------------------------

t_pause_and_resume() {
	clean_up_on_failure
	local id=$PFX-pause b=$T/b-pause pid n1 n2 n3
	bundle "$b" "sh('i=0; while :; do i=\$((i+1)); echo \$i >/tmp/n; sleep 0.05; done'); tmpfs('/tmp')"
	detached run "$id" "$b"
	pid=$(pid_of "$id")
	for _ in $(seq 50); do [ -s "/proc/$pid/root/tmp/n" ] && break; sleep 0.1; done
	ocirun pause "$id"
	assert_eq 0 "$RC" "pause ($ERR)"
	assert_eq paused "$(state_of "$id")" "status after pause"
	assert_eq 1 "$(grep -c 'frozen 1' "$CGROOT/rampart-oci/$id/cgroup.events")" "cgroup frozen"
	n1=$(cat "/proc/$pid/root/tmp/n")
	sleep 0.5
	n2=$(cat "/proc/$pid/root/tmp/n")
	assert_eq "$n1" "$n2" "the counter while paused"
	ocirun pause "$id"
	assert_eq 125 "$RC" "pause of a paused container"
	ocirun delete "$id"
	assert_eq 125 "$RC" "delete of a paused container"
	assert_match "is paused" "$ERR" "message"
	ocirun resume "$id"
	assert_eq 0 "$RC" "resume ($ERR)"
	assert_eq running "$(state_of "$id")" "status after resume"
	sleep 0.5
	n3=$(cat "/proc/$pid/root/tmp/n")
	[ "$n3" -gt "$n2" ] || fail "the counter did not advance after resume ($n2 -> $n3)"
	ocirun resume "$id"
	assert_eq 125 "$RC" "resume of a running container"
	# A paused container dies with delete --force.
	oci pause "$id" || fail "pause again"
	ocirun delete --force "$id"
	assert_eq 0 "$RC" "delete --force of a paused container ($ERR)"
	gone "$pid" || fail "process $pid left"
	no_trace "$id"
}

t_ps_and_kill_all() {
	clean_up_on_failure
	local id=$PFX-ps b=$T/b-ps pid pids procs
	share "$T/ps"
	# init notes TERM and carries on; two children note it and exit.
	cat >"$T/ps/ps.sh" <<'EOF'
for i in 1 2; do
	sh -c "trap 'echo $i >/share/child-$i; exit 0' TERM; while :; do sleep 100 & wait \$!; done" &
done
trap 'echo init >/share/init' TERM
while :; do sleep 100 & wait $!; done
EOF
	bundle "$b" "bind(T + '/ps', '/share', 'rw'); sh('. /share/ps.sh')"
	detached run "$id" "$b"
	pid=$(pid_of "$id")
	for _ in $(seq 50); do [ "$(wc -l <"$CGROOT/rampart-oci/$id/cgroup.procs")" -ge 6 ] && break; sleep 0.1; done
	ocirun ps --format json "$id"
	assert_eq 0 "$RC" "ps --format json ($ERR)"
	pids=$(jget '" ".join(str(p) for p in sorted(d)) if all(isinstance(p, int) for p in d) else "not ints"' <<<"$OUT")
	procs=$(sort -n "$CGROOT/rampart-oci/$id/cgroup.procs" | tr '\n' ' ' | sed 's/ $//')
	assert_eq "$procs" "$pids" "ps pids = the cgroup's"
	assert_match "(^| )$pid( |\$)" "$pids" "the container's pid in ps"
	assert_eq 6 "$(wc -w <<<"$pids")" "number of processes"
	for p in $pids; do
		assert_eq "$(readlink "/proc/$pid/ns/pid")" "$(readlink "/proc/$p/ns/pid")" "pid namespace of $p"
	done
	ocirun ps "$id"
	assert_match "^PID +CMD" "$OUT" "ps table header"
	assert_match "^$pid +sh -c .*$MARK" "$OUT" "ps table: the workload"
	# kill --all: every process gets the signal.
	ocirun kill --all "$id" TERM
	assert_eq 0 "$RC" "kill --all TERM ($ERR)"
	for f in init child-1 child-2; do wait_file "$T/ps/$f"; done
	assert_eq running "$(state_of "$id")" "status: init ignored TERM"
	ocirun kill --all "$id" KILL
	assert_eq 0 "$RC" "kill --all KILL ($ERR)"
	wait_status "$id" stopped
	for p in $pids; do gone "$p" || fail "process $p survived kill --all KILL"; done
	oci delete "$id" || fail "delete"
	no_trace "$id"
}

t_cgroups_path() {
	clean_up_on_failure
	local id=$PFX-cgpath b=$T/b-cgpath pid
	[ -n "$CGROOT" ] || skip "no cgroup2 mount"
	# shellcheck disable=SC2154 # rc: assigned in the trap
	trap 'rc=$?; [ $rc -eq 0 ] || final_cleanup; rmdir "$CGROOT/$PFX-cg" 2>/dev/null' EXIT
	bundle "$b" "sh('while :; do sleep 100 & wait \$!; done'); c['linux']['cgroupsPath'] = '/$PFX-cg/ctr'"
	detached run "$id" "$b"
	pid=$(pid_of "$id")
	assert_eq "0::/$PFX-cg/ctr" "$(grep '^0::' "/proc/$pid/cgroup")" "the container's cgroup"
	[ ! -e "$CGROOT/rampart-oci/$id" ] || fail "a cgroup at the default place too"
	ocirun ps --format json "$id"
	assert_eq "[$(sort -n "$CGROOT/$PFX-cg/ctr/cgroup.procs" | paste -sd,)]" "$OUT" "ps from cgroupsPath"
	oci pause "$id" || fail "pause"
	assert_match 'frozen 1' "$(cat "$CGROOT/$PFX-cg/ctr/cgroup.events")" "frozen"
	oci delete --force "$id" || fail "delete"
	[ ! -e "$CGROOT/$PFX-cg/ctr" ] || fail "cgroup $CGROOT/$PFX-cg/ctr left"
	rmdir "$CGROOT/$PFX-cg" || fail "rmdir of the parent (a child left?)"
	no_trace "$id"
}

# As runc: a session keyring of the container's own ("_ses.ID"), unless
# --no-new-keyring, which leaves the caller's. (A filter that allows
# keyctl, so the probe can ask for the id.)
t_session_keyring() {
	clean_up_on_failure
	local id=$PFX-keys b=$T/b-keys ids
	bundle "$b" "
c['process']['args'] = ['/probe', 'syscall', '250', '0', '-3', '0']
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW'}"
	ids=$(in_session_keyring sh -c '"$1/probe" syscall 250 0 -3 0
		"$2" --root "$3" run --bundle "$4" "$5" </dev/null
		"$2" --root "$3" run --no-new-keyring --bundle "$4" "$5-nnk" </dev/null' \
		sh "$ROOTFS" "$RAMPART" "$STATE" "$b" "$id")
	assert_match '^ok [0-9]+
ok [0-9]+
ok [0-9]+$' "$ids" "session keyring ids: caller, container, container with --no-new-keyring"
	[ "$(sed -n 1p <<<"$ids")" != "$(sed -n 2p <<<"$ids")" ] || fail "the container shares the caller's session keyring"
	assert_eq "$(sed -n 1p <<<"$ids")" "$(sed -n 3p <<<"$ids")" "--no-new-keyring: the caller's session keyring"
	no_trace "$id"
	no_trace "$id-nnk"
	# exec: not the caller's either.
	bundle "$b" "
sh('sleep 60')
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW'}"
	detached run "$id" "$b"
	ids=$(in_session_keyring sh -c '"$1/probe" syscall 250 0 -3 0
		"$2" --root "$3" exec "$4" /probe syscall 250 0 -3 0' sh "$ROOTFS" "$RAMPART" "$STATE" "$id")
	assert_match '^ok [0-9]+
ok [0-9]+$' "$ids" "session keyring ids: caller, exec'd process"
	[ "$(sed -n 1p <<<"$ids")" != "$(sed -n 2p <<<"$ids")" ] || fail "exec shares the caller's session keyring"
	oci delete --force "$id" || fail "delete"
	no_trace "$id"
}

# linux.seccomp.listenerPath: SCMP_ACT_NOTIFY calls wait for an agent
# (tests/helpers/seccomp_agent answers "0" without doing anything). The
# first process's listener and an exec'd process's each reach the agent
# with the containerProcessState; a mkdir the agent "did" leaves no
# directory. A missing agent fails create; notify without an agent, or as
# the default, is refused.
t_seccomp_agent() {
	clean_up_on_failure
	local id=$PFX-agent b=$T/b-agent ag=$T/agent pid out
	mkdir -p "$ag"
	"$TOP/build/seccomp_agent" "$ag/sock" "$ag" &
	local agent_pid=$!
	# shellcheck disable=SC2064 # expanded now
	trap "kill $agent_pid 2>/dev/null; final_cleanup" EXIT
	for _ in $(seq 50); do [ -e "$ag/ready" ] && break; sleep 0.1; done
	bundle "$b" "
sh('mkdir /agent-made; echo mkdir=\$?; [ -d /agent-made ] && echo present || echo absent; sleep 60')
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$ag/sock', 'listenerMetadata': 'meta-$PFX',
                         'syscalls': [{'names': ['mkdir', 'mkdirat'], 'action': 'SCMP_ACT_NOTIFY'}]}"
	detached run "$id" "$b"
	pid=$(pid_of "$id")
	for _ in $(seq 50); do grep -q absent "$T/$id.out" 2>/dev/null && break; sleep 0.1; done
	assert_eq "mkdir=0
absent" "$(cat "$T/$id.out")" "the workload's mkdir, answered by the agent"
	assert_eq "[\"seccompFd\"] $pid meta-$PFX $id creating $pid" \
		"$(jget '" ".join([json.dumps(d["fds"]), str(d["pid"]), d["metadata"], d["state"]["id"], d["state"]["status"], str(d["state"]["pid"])])' <"$ag/msg.1")" \
		"the agent's first message"
	out=$(oci exec "$id" sh -c 'mkdir /exec-made; echo mkdir=$?; [ -d /exec-made ] && echo present || echo absent')
	assert_eq "mkdir=0
absent" "$out" "an exec'd process's mkdir, answered by the agent"
	[ -s "$ag/msg.2" ] || fail "no message for the exec'd process"
	assert_eq "running $pid" "$(jget 'd["state"]["status"] + " " + str(d["state"]["pid"])' <"$ag/msg.2")" "exec's state"
	[ "$(jget 'd["pid"]' <"$ag/msg.2")" != "$pid" ] || fail "exec's message names the first process, not its own"
	oci delete --force "$id" || fail "delete"
	no_trace "$id"
	# Under an allowlist (default errno, rampart's own list exported), a
	# notify rule must still reach the agent: unconditional (rmdir: the
	# agent says 0 where the call would be ENOENT), and conditional
	# (chmod mode 0700 only; 0755 is the real, allowed call: EROFS). For a
	# syscall the list does not allow (mknodat, taken out), a conditional
	# rule lets only what it matches reach the agent (a fifo of mode 0644,
	# S_IFIFO|0644 = 4516); any other call gets the default, EPERM.
	"$RAMPART" seccomp export --format oci syscalls >"$ag/allow.json" || fail "seccomp export"
	local no_mknod="
sc = json.load(open('$ag/allow.json'))
sc['listenerPath'] = '$ag/sock'
for r in sc['syscalls']:
    r['names'] = [n for n in r['names'] if n not in ('mknod', 'mknodat')]
sc['syscalls'] = [r for r in sc['syscalls'] if r['names']]
tmpfs('/tmp')"
	bundle "$b" "$no_mknod
sh('rmdir /nope; echo rmdir=\$?; chmod 700 /etc; echo c700=\$?; chmod 755 /etc 2>/dev/null; echo c755=\$?; '
   'mkfifo -m 644 /tmp/a; echo f644=\$?; [ -p /tmp/a ] && echo a-made || echo a-not-made; '
   'mkfifo -m 600 /tmp/b 2>/dev/null; echo f600=\$?')
sc['syscalls'] = [{'names': ['rmdir'], 'action': 'SCMP_ACT_NOTIFY'},
                  {'names': ['chmod'], 'action': 'SCMP_ACT_NOTIFY', 'args': [{'index': 1, 'value': 448, 'op': 'SCMP_CMP_EQ'}]},
                  {'names': ['mknodat'], 'action': 'SCMP_ACT_NOTIFY', 'args': [{'index': 2, 'value': 4516, 'op': 'SCMP_CMP_EQ'}]}] + sc['syscalls']
c['linux']['seccomp'] = sc"
	ocirun run --bundle "$b" "$id-allow"
	assert_eq 0 "$RC" "run under an allowlist with notify rules ($ERR)"
	assert_eq "rmdir=0
c700=0
c755=1
f644=0
a-not-made
f600=1" "$OUT" "notify under an allowlist: unconditional, conditional, and the calls they do not match"
	no_trace "$id-allow"
	# A conditional notify rule and an unconditional one for the same
	# syscall: every call reaches the agent.
	bundle "$b" "$no_mknod
sh('mkfifo -m 600 /tmp/c; echo f600=\$?; [ -p /tmp/c ] && echo c-made || echo c-not-made')
sc['syscalls'] = [{'names': ['mknodat'], 'action': 'SCMP_ACT_NOTIFY', 'args': [{'index': 2, 'value': 4516, 'op': 'SCMP_CMP_EQ'}]},
                  {'names': ['mknodat'], 'action': 'SCMP_ACT_NOTIFY'}] + sc['syscalls']
c['linux']['seccomp'] = sc"
	ocirun run --bundle "$b" "$id-both"
	assert_eq 0 "$RC" "run with a conditional and an unconditional notify rule ($ERR)"
	assert_eq "f600=0
c-not-made" "$OUT" "both notify rules"
	no_trace "$id-both"
	# Notify on a syscall rampart makes to hand over the listener would
	# wait for ever: refused before anything starts.
	bundle "$b" "
sh('true')
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$ag/sock',
                         'syscalls': [{'names': ['sendmsg'], 'action': 'SCMP_ACT_NOTIFY'}]}"
	ocirun create --bundle "$b" "$id-self"
	assert_eq 125 "$RC" "create with notify on sendmsg"
	assert_eq "rampart: spec: seccomp: notify on sendmsg cannot work: rampart calls it to hand the listener to the agent, which would wait for ever" \
		"$ERR" "message"
	no_trace "$id-self"
	# No agent listening: create fails, nothing is left.
	bundle "$b" "
sh('true')
c['linux']['seccomp'] = {'defaultAction': 'SCMP_ACT_ALLOW', 'listenerPath': '$ag/none.sock',
                         'syscalls': [{'names': ['mkdir'], 'action': 'SCMP_ACT_NOTIFY'}]}"
	ocirun create --bundle "$b" "$id-none"
	assert_eq 125 "$RC" "create without an agent"
	assert_eq "rampart: seccomp: agent $ag/none.sock: No such file or directory" "$ERR" "message"
	no_trace "$id-none"
	kill "$agent_pid"
	# A profile cannot name an agent: notify rules are refused there.
	OUT=$("$RAMPART" launch --profile base --set 'seccomp deny mkdir notify' "$ROOTFS" -- /bin/true 2>&1)
	assert_eq "rampart: spec: seccomp: notify rules need a seccomp agent to answer them (OCI linux.seccomp.listenerPath)" \
		"$OUT" "notify in a profile"
	OUT=$("$RAMPART" launch --profile base --set 'seccomp default notify' "$ROOTFS" -- /bin/true 2>&1)
	assert_eq "rampart: --set:1: seccomp default: notify cannot be the default (name the syscalls to notify)" \
		"$OUT" "notify as a profile's default"
}

# --- hooks ------------------------------------------------------------------------

t_hooks_run_in_order_with_state() {
	clean_up_on_failure
	local id=$PFX-hooks b=$T/b-hooks log=$T/hooks/log pid
	share "$T/hooks"
	: >"$log"
	chmod 0666 "$log"
	bundle "$b" "
bind(T + '/hooks', '/hooks', 'rw')
sh('echo workload >>/hooks/log')
def h(kind, path=T + '/hooks/hook', log=T + '/hooks/log'):
    return [{'path': path, 'args': ['hook', kind, log]}]
c['hooks'] = {k: h(k) for k in ('prestart', 'createRuntime', 'createContainer', 'poststart', 'poststop')}
c['hooks']['startContainer'] = h('startContainer', '/hook', '/hooks/log')"
	detached create "$id" "$b"
	pid=$(pid_of "$id")
	assert_eq "prestart createRuntime createContainer" "$(awk '{ print $1 }' "$log" | tr '\n' ' ' | sed 's/ $//')" \
		"hooks run by create"
	ocirun start "$id"
	assert_eq 0 "$RC" "start ($ERR)"
	wait_status "$id" stopped
	ocirun delete "$id"
	assert_eq 0 "$RC" "delete ($ERR)"
	# create's three in order; startContainer (in the container) before
	# the workload; poststart (run by start, as runc does, while the
	# container goes on) after create's; poststop last.
	OUT=$(awk '{ print $1 }' "$log" | tr '\n' ' ' | sed 's/ $//')
	assert_match '^prestart createRuntime createContainer ' "$OUT" "hook order"
	assert_match ' startContainer( poststart)? workload' "$OUT" "startContainer before the workload"
	assert_match ' poststop$' "$OUT" "poststop last"
	assert_eq "createContainer createRuntime poststart poststop prestart startContainer workload" \
		"$(awk '{ print $1 }' "$log" | sort | tr '\n' ' ' | sed 's/ $//')" "each hook once"
	# Each state: the id, the pid, the bundle, and the status of its point.
	OUT=$("$PY" - "$log" "$id" "$pid" "$b" <<'EOF'
import json, sys
want = {"prestart": "creating", "createRuntime": "creating", "createContainer": "creating",
        "startContainer": "created", "poststart": "running", "poststop": "stopped"}
seen = {}
for line in open(sys.argv[1]):
    kind, _, rest = line.strip().partition(" ")
    if kind == "workload":
        continue
    s = json.loads(rest)
    got = (s.get("id"), str(s.get("pid")), s.get("bundle"), s.get("status"), s.get("ociVersion"))
    exp = (sys.argv[2], sys.argv[3], sys.argv[4], want[kind], "1.2.0")
    seen[kind] = "ok" if got == exp else "got %r, expected %r" % (got, exp)
for kind in want:
    print(kind, seen.get(kind, "missing"))
EOF
)
	assert_eq "prestart ok
createRuntime ok
createContainer ok
startContainer ok
poststart ok
poststop ok" "$OUT" "hook states"
	no_trace "$id"
	# A foreground run: all six too, poststop once the workload is gone.
	: >"$log"
	ocirun run --bundle "$b" "$id-run"
	assert_eq 0 "$RC" "run ($ERR)"
	OUT=$(awk '{ print $1 }' "$log" | tr '\n' ' ' | sed 's/ $//')
	assert_match '^prestart createRuntime createContainer ' "$OUT" "hook order in run"
	assert_match ' workload( poststart)? poststop$' "$OUT" "poststop last in run"
	assert_eq "createContainer createRuntime poststart poststop prestart startContainer workload" \
		"$(awk '{ print $1 }' "$log" | sort | tr '\n' ' ' | sed 's/ $//')" "each hook once in run"
	assert_eq stopped "$(grep '^poststop ' "$log" | sed 's/^poststop //' | jget 'd["status"]')" "poststop's status in run"
	no_trace "$id-run"
}

# createContainer runs in the container's namespaces (mount, user, net,
# pid, ...), before pivot_root: its path resolves in the runtime's, and it
# sees the container's mounts with the host's root still above them.
t_create_container_hook_runs_in_the_container_namespaces() {
	clean_up_on_failure
	local id=$PFX-hcc b=$T/b-hcc log=$T/hcc/log pid ns want
	share "$T/hcc"
	: >"$log"
	chmod 0666 "$log"
	bundle "$b" "
sh('sleep 60')
c['mounts'].append({'destination': '/scratch-hcc', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']})
probe = 'for n in mnt user net pid uts ipc; do readlink /proc/self/ns/\$n; done >>' + T + '/hcc/log; ' + \
        'grep -c \" [^ ]*/scratch-hcc \" /proc/self/mountinfo >>' + T + '/hcc/log; ' + \
        'readlink /proc/self/root >>' + T + '/hcc/log; ' + \
        'sed -n \"s/.*\\\\\"status\\\\\": *\\\\\"\\\\([a-z]*\\\\)\\\\\".*/\\\\1/p\" >>' + T + '/hcc/log'
c['hooks'] = {'createContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', probe]}]}"
	detached create "$id" "$b"
	pid=$(pid_of "$id")
	want=$(for ns in mnt user net pid uts ipc; do readlink "/proc/$pid/ns/$ns"; done)
	# The pid namespace of a process is the one it was born in: the hook,
	# forked by the container's first process, is in the container's.
	assert_eq "$want
1
/
creating" "$(cat "$log")" "createContainer: namespaces, the container's tmpfs, the host's root, the status"
	echo "    createContainer saw: $(tr "\n" " " <"$log")" >&2
	[ "$(readlink /proc/self/ns/mnt)" != "$(head -n1 "$log")" ] || fail "the hook ran in the host's mount namespace"
	oci delete --force "$id" || fail "delete"
	no_trace "$id"
}

# prestart and createRuntime run "before pivot_root, after the runtime
# environment has been created": the container's mounts exist then, and
# its root is still the host's.
t_create_runtime_hook_sees_the_mounts() {
	clean_up_on_failure
	local id=$PFX-hmnt b=$T/b-hmnt log=$T/hmnt/log
	share "$T/hmnt"
	: >"$log"
	bundle "$b" "
sh('true')
c['mounts'].append({'destination': '/scratch-hmnt', 'type': 'tmpfs', 'source': 'tmpfs', 'options': ['size=1m']})
probe = 'pid=\$(sed -n \"s/.*\\\\\"pid\\\\\":\\\\([0-9]*\\\\).*/\\\\1/p\"); ' + \
        'grep -c \" [^ ]*/scratch-hmnt \" /proc/\$pid/mountinfo >>' + T + '/hmnt/log; ' + \
        'readlink /proc/\$pid/root >>' + T + '/hmnt/log'
c['hooks'] = {'createRuntime': [{'path': '/bin/sh', 'args': ['sh', '-c', probe]}]}"
	ocirun run --bundle "$b" "$id"
	assert_eq 0 "$RC" "run ($ERR)"
	assert_eq "1
/" "$(cat "$log")" "createRuntime: the tmpfs is mounted, the root not yet pivoted"
	no_trace "$id"
}

t_failing_create_runtime_hook_leaves_nothing() {
	clean_up_on_failure
	local id=$PFX-hookfail b=$T/b-hookfail log=$T/hookfail.log before pid
	: >"$log"
	bundle "$b" "
sh('echo never')
c['hooks'] = {'createRuntime': [{'path': T + '/hooks/hook', 'args': ['hook', 'createRuntime', '$log']},
                                {'path': '/bin/sh', 'args': ['sh', '-c', 'exit 3']}]}"
	before=$(mount_snapshot)
	ocirun create --bundle "$b" "$id"
	assert_eq 125 "$RC" "create with a failing createRuntime hook"
	assert_eq "rampart: hook: createRuntime[1] /bin/sh: exited with status 3" "$ERR" "message"
	pid=$(sed 's/^createRuntime //' "$log" | jget 'd["pid"]')
	assert_match '^[0-9]+$' "$pid" "the pid the first hook saw"
	gone "$pid" || fail "the container's process $pid is left"
	! pgrep -fa "$MARK" || fail "a marked process is left"
	no_trace "$id"
	assert_eq "$before" "$(mount_snapshot)" "host mount table"
}

# The container's own hook failing: reported by create, nothing left.
t_failing_create_container_hook_leaves_nothing() {
	clean_up_on_failure
	local id=$PFX-ccfail b=$T/b-ccfail before
	bundle "$b" "
sh('echo never')
c['hooks'] = {'createContainer': [{'path': '/bin/sh', 'args': ['sh', '-c', 'exit 4']}]}"
	before=$(mount_snapshot)
	ocirun create --bundle "$b" "$id"
	assert_eq 125 "$RC" "create with a failing createContainer hook"
	assert_eq "rampart: hook: createContainer[0] /bin/sh: exited with status 4" "$ERR" "message"
	! pgrep -fa "$MARK" || fail "a marked process is left"
	no_trace "$id"
	assert_eq "$before" "$(mount_snapshot)" "host mount table"
}

# --- bad configs --------------------------------------------------------------------

# bad_config NAME PYTHON EXPECTED-MESSAGE
bad_config() {
	local b=$T/b-bad-$1
	bundle "$b" "$2"
	ocirun create --bundle "$b" "$PFX-bad-$1"
	assert_eq 125 "$RC" "exit status for $1"
	assert_eq "rampart: $b/config.json: $3" "$ERR" "message for $1"
	no_trace "$PFX-bad-$1"
}

t_bad_configs_are_one_line_errors() {
	clean_up_on_failure
	bad_config memstring "c['linux']['resources'] = {'memory': {'limit': '1G'}}" \
		"linux.resources.memory.limit: expected an integer"
	bad_config noargs "del c['process']['args']" \
		"process.args: needs at least the program to run"
	bad_config argsnotstrings "c['process']['args'] = ['sh', 1]" \
		"process.args[1]: expected a string"
	bad_config timens "c['linux']['namespaces'].append({'type': 'time'})" \
		"linux.namespaces[7].type: unknown or unsupported namespace 'time'"
	bad_config nfs "c['mounts'].append({'destination': '/mnt', 'type': 'nfs', 'source': 'srv:/x'})" \
		"mounts[7].type: 'nfs' is not supported at /mnt (bind mounts and tmpfs are; proc, sysfs, devpts, mqueue and cgroup only at their usual places, where rampart mounts its own)"
	bad_config apparmor "c['process']['apparmorProfile'] = 'docker-default'" \
		"process.apparmorProfile: AppArmor is not supported by rampart (remove it, or use a runtime that applies it)"
	bad_config uid "c['process']['user']['uid'] = -1" \
		"process.user.uid: -1 is out of range (0 to 4294967294)"
	bad_config version "c['ociVersion'] = '2.0.0'" \
		"ociVersion: '2.0.0' is not a 1.x runtime-spec version"
	bad_config nomountns "c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'mount']" \
		"linux.namespaces: rampart needs a mount namespace (add {\"type\": \"mount\"})"
	# Not JSON at all: line and column.
	local b=$T/b-bad-syntax
	mkdir -p "$b"
	printf '{\n  "ociVersion": "1.2.0",\n  "process": {"args": ["sh",]}\n}\n' >"$b/config.json"
	ocirun create --bundle "$b" "$PFX-bad-syntax"
	assert_eq 125 "$RC" "exit status for broken JSON"
	assert_eq "rampart: $b/config.json:3:29: unexpected token near ']'" "$ERR" "message for broken JSON"
	no_trace "$PFX-bad-syntax"
	# No config.json at all.
	ocirun create --bundle "$T/nowhere" "$PFX-bad-nobundle"
	assert_eq 125 "$RC" "exit status for a missing bundle"
	assert_eq "rampart: bundle: $T/nowhere: No such file or directory" "$ERR" "message for a missing bundle"
	no_trace "$PFX-bad-nobundle"
	! compgen -G "$STATE/$PFX-bad-*" >/dev/null || fail "state left: $(ls "$STATE")"
}

t_bad_ids_and_duplicates() {
	clean_up_on_failure
	local b=$T/b-ids id=$PFX-dup
	bundle "$b" "sh('while :; do sleep 0.1; done')"
	for bad in ../evil 'a/b' '.'; do
		ocirun create --bundle "$b" "$bad"
		assert_eq 125 "$RC" "create with id '$bad'"
		assert_match "^rampart: container: invalid id" "$ERR" "message for '$bad'"
	done
	[ ! -e "$T/evil" ] || fail "an id escaped the state root"
	detached create "$id" "$b"
	ocirun create --bundle "$b" "$id"
	assert_eq 125 "$RC" "create of an existing id"
	assert_match "^rampart: container: $id already exists" "$ERR" "message"
	assert_eq created "$(state_of "$id")" "the first container after the refused create"
	[ -p "$STATE/$id/exec.fifo" ] || fail "the first container's fifo is gone"
	oci delete "$id" || fail "delete"
	no_trace "$id"
}

# --- --profile and --set on a stock bundle --------------------------------------------

# `setuid strip` on a read-only OCI root: overlays on the stripped
# directories only; but a hook that runs before the root turns read-only
# may write to it (GPU hooks add files to /usr/bin), so with one the
# whole tree is one overlay, writable until then.
t_setuid_strip_read_only_root_and_hooks() {
	clean_up_on_failure
	local b=$T/b-strip bh=$T/b-strip-hook
	local mounts='sh("grep -E \"^[^ ]+ (/|/bin) \" /proc/mounts | cut -d\" \" -f2,3 | sort; stat -c %a /bin/strip.suid")'
	cp "$ROOTFS/bin/busybox" "$ROOTFS/bin/strip.suid" && chmod 4755 "$ROOTFS/bin/strip.suid" || fail "plant"
	bundle "$b" "$mounts; c['root']['readonly'] = True"
	bundle "$bh" "$mounts; c['root']['readonly'] = True
c['hooks'] = {'createRuntime': [{'path': '/bin/true'}]}"
	ocirun run --bundle "$b" --set 'setuid strip' "$PFX-strip"
	local rc=$RC out=$OUT err=$ERR
	ocirun run --bundle "$bh" --set 'setuid strip' "$PFX-strip-hook"
	rm -f "$ROOTFS/bin/strip.suid"
	assert_eq 0 "$rc" "run ($err)"
	assert_eq "/ $(awk -v r="$(stat -c %m "$ROOTFS")" '$2 == r { print $3 }' /proc/mounts | tail -n1)
/bin overlay
755" "$out" "no hook: the image read-only, one overlay on /bin"
	assert_eq 0 "$RC" "run with a hook ($ERR)"
	assert_eq "/ overlay
755" "$OUT" "a createRuntime hook: one overlay"
	no_trace "$PFX-strip"; no_trace "$PFX-strip-hook"
}

t_profile_and_set_harden_a_stock_bundle() {
	clean_up_on_failure
	local b=$T/b-harden
	bundle "$b" "sh('hostname; grep -E \"^Cap(Eff|Bnd):\" /proc/self/status; id -u'); caps(['CAP_NET_BIND_SERVICE', 'CAP_KILL']); user(0, 0)"
	ocirun run --bundle "$b" "$PFX-stock"
	assert_eq 0 "$RC" "stock run ($ERR)"
	assert_eq rampart "$(sed -n 1p <<<"$OUT")" "stock hostname"
	assert_match 'CapEff:[[:space:]]+0000000000000420' "$OUT" "stock CapEff"
	ocirun run --bundle "$b" --set 'hostname hardened' --set 'caps none' "$PFX-hardened"
	assert_eq 0 "$RC" "hardened run ($ERR)"
	assert_eq hardened "$(sed -n 1p <<<"$OUT")" "--set hostname"
	assert_match 'CapEff:[[:space:]]+0000000000000000' "$OUT" "--set 'caps none': CapEff"
	assert_match 'CapBnd:[[:space:]]+0000000000000000' "$OUT" "--set 'caps none': CapBnd"
	printf 'user 65534\nhostname from-profile\n' >"$T/oci.profile"
	ocirun run --bundle "$b" --profile "$T/oci.profile" "$PFX-profile"
	assert_eq 0 "$RC" "run --profile ($ERR)"
	assert_eq from-profile "$(sed -n 1p <<<"$OUT")" "--profile hostname"
	assert_eq 65534 "$(sed -n 4p <<<"$OUT")" "--profile user"
	# The same through create/start.
	detached create "$PFX-hardened-c" "$b" --set 'hostname hardened-c'
	oci start "$PFX-hardened-c" || fail "start"
	wait_status "$PFX-hardened-c" stopped
	assert_eq hardened-c "$(sed -n 1p "$T/$PFX-hardened-c.out")" "create --set hostname"
	oci delete "$PFX-hardened-c"
	ocirun run --bundle "$b" --set 'frobnicate 1' "$PFX-badset"
	assert_eq 125 "$RC" "run with a bad --set"
	assert_eq "rampart: --set:1: unknown directive 'frobnicate'" "$ERR" "message"
	for id in stock hardened profile hardened-c badset; do no_trace "$PFX-$id"; done
}

# --- the container's file systems --------------------------------------------------------

t_proc_sys_readonly_masks_and_ro_mounts() {
	clean_up_on_failure
	local b=$T/b-fs
	share "$T/fs-ro"
	share "$T/fs-rw"
	echo hostdata >"$T/fs-ro/f"
	mkdir -p "$ROOTFS/secretdir" && echo secret >"$ROOTFS/secretdir/file"
	cat >"$T/fs-ro/fs.sh" <<'EOF'
awk '$2 == "/proc" || $2 == "/sys" || $2 == "/ro" { print $2, substr($4, 1, 3) }' /proc/mounts
for f in /proc/sys/kernel/hostname /proc/sysrq-trigger /sys/kernel/uevent_helper /ro/new /ro/f /rw/new /newfile /etc/hostname; do
	echo x 2>/dev/null >$f && echo "WROTE $f"
done
cat /ro/f
for f in /proc/version /proc/kcore /proc/keys /proc/timer_list; do echo "$f $(cat $f 2>/dev/null | wc -c)"; done
echo "secretdir $(ls -A /secretdir | wc -l)"
echo "firmware $(ls -A /sys/firmware | wc -l)"
EOF
	# As container root with CAP_SYS_ADMIN and CAP_DAC_OVERRIDE: only the
	# mounts say no.
	bundle "$b" "
user(0, 0)
caps(['CAP_SYS_ADMIN', 'CAP_DAC_OVERRIDE'])
bind(T + '/fs-ro', '/ro', 'ro')
bind(T + '/fs-rw', '/rw', 'rw')
c['linux']['maskedPaths'] += ['/proc/version', '/secretdir']
c['linux']['readonlyPaths'] = c['linux'].get('readonlyPaths', []) + ['/rw']
sh('. /ro/fs.sh')"
	ocirun run --bundle "$b" "$PFX-fs"
	assert_eq 0 "$RC" "run ($ERR)"
	assert_eq "" "$ERR" "the script's errors"
	assert_match '^/proc ro,$' "$(grep '^/proc ' <<<"$OUT")" "/proc mounted read-only"
	assert_match '^/sys ro,$' "$(grep '^/sys ' <<<"$OUT")" "/sys mounted read-only"
	assert_match '^/ro ro,$' "$(grep '^/ro ' <<<"$OUT")" "/ro mounted read-only"
	assert_nomatch 'WROTE' "$OUT" "writes that must fail"
	assert_match '^hostdata$' "$OUT" "the ro bind is readable"
	for f in /proc/version /proc/kcore /proc/keys /proc/timer_list; do
		assert_eq "$f 0" "$(grep "^$f " <<<"$OUT")" "masked $f"
	done
	assert_eq "secretdir 0" "$(grep '^secretdir' <<<"$OUT")" "masked directory"
	assert_eq "firmware 0" "$(grep '^firmware' <<<"$OUT")" "masked /sys/firmware"
	for f in "$T/fs-ro/new" "$T/fs-rw/new" "$ROOTFS/newfile"; do
		[ ! -e "$f" ] || fail "a write reached the host: $f"
	done
	assert_eq hostdata "$(cat "$T/fs-ro/f")" "the host file"
	# The rw bind without readonlyPaths is writable (the control).
	bundle "$b" "bind(T + '/fs-rw', '/rw', 'rw'); sh('echo x >/rw/new && echo wrote')"
	ocirun run --bundle "$b" "$PFX-fs2"
	assert_eq wrote "$OUT" "write to an rw bind ($ERR)"
	[ -e "$T/fs-rw/new" ] || fail "the rw write did not reach the host"
	rm -rf "$ROOTFS/secretdir"
	no_trace "$PFX-fs"
	no_trace "$PFX-fs2"
}

t_a_config_silent_on_hardening_stays_hardened() {
	clean_up_on_failure
	# No linux.seccomp, no noNewPrivileges, no maskedPaths or readonlyPaths,
	# /proc and /sys listed without "ro", a writable root, container root
	# with CAP_SYS_ADMIN: rampart's defaults fill every gap.
	local b=$T/b-silent
	cat >"$ROOTFS/silent.sh" <<'EOF'
grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status
echo "mount $(/probe mount)"
echo "unshare $(/probe unshare 0x10000000)"
for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do echo "$f $(cat $f 2>/dev/null | wc -c)"; done
echo "firmware $(ls -A /sys/firmware | wc -l)"
for f in /proc/sys/kernel/hostname /sys/kernel/uevent_helper; do echo x 2>/dev/null >$f && echo "WROTE $f"; done
# (The masks are the host's /dev/null bound over the file, with dev on so
# that they read empty, as runc's do: exempt from the nodev rule.)
awk '$4 !~ /(^|,)nosuid(,|$)/ { print "SUID", $2 }
     $4 !~ /(^|,)nodev(,|$)/ && $2 !~ /^\/dev\/(null|zero|full|random|urandom|tty|pts)$/ &&
       !($3 == "devtmpfs" && $2 ~ /^\/(proc|sys)\//) { print "DEV", $2 }' /proc/mounts
EOF
	bundle "$b" "
user(0, 0)
caps(['CAP_SYS_ADMIN', 'CAP_DAC_OVERRIDE'])
c['process'].pop('noNewPrivileges', None)
c['linux'].pop('seccomp', None)
c['linux']['maskedPaths'] = []
c['linux']['readonlyPaths'] = []
c['root']['readonly'] = False
for m in c['mounts']:
    if m['destination'] in ('/proc', '/sys'):
        m['options'] = ['nosuid', 'noexec', 'nodev']
sh('. /silent.sh')"
	ocirun run --bundle "$b" "$PFX-silent"
	assert_eq 0 "$RC" "run ($ERR)"
	assert_match 'NoNewPrivs:[[:space:]]+1' "$OUT" "NoNewPrivs without noNewPrivileges"
	assert_match 'Seccomp:[[:space:]]+2' "$OUT" "a filter without linux.seccomp"
	assert_eq "mount errno EPERM 1" "$(grep '^mount' <<<"$OUT")" "mount(2) (the default allowlist)"
	assert_eq "unshare errno EPERM 1" "$(grep '^unshare' <<<"$OUT")" "unshare(CLONE_NEWUSER)"
	for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do
		assert_eq "$f 0" "$(grep "^$f " <<<"$OUT")" "built-in mask of $f"
	done
	assert_eq "firmware 0" "$(grep '^firmware' <<<"$OUT")" "built-in mask of /sys/firmware"
	assert_nomatch '^(WROTE|SUID|DEV) ' "$OUT" "writes to /proc and /sys; nosuid and nodev on every mount"
	assert_eq "" "$ERR" "the script's errors"
	rm -f "$ROOTFS/silent.sh"
	no_trace "$PFX-silent"
}

t_limits_the_host_cannot_enforce_are_refused() {
	clean_up_on_failure
	local b=$T/b-limits id=$PFX-limits
	[ -n "$CGROOT" ] || skip "no cgroup2 mount"
	grep -qw memory "$CGROOT/cgroup.controllers" && skip "this host has the memory controller"
	bundle "$b" "sh('true'); c['linux']['resources'] = {'memory': {'limit': 67108864}}"
	ocirun create --bundle "$b" "$id"
	assert_eq 125 "$RC" "create with a memory limit"
	assert_match "^rampart: cgroup: controller 'memory' is not available in $CGROOT" "$ERR" "message"
	no_trace "$id"
}

# --- --log --------------------------------------------------------------------------

t_log_json_records_a_failing_create() {
	clean_up_on_failure
	local b=$T/b-log log=$T/rampart.log line
	bundle "$b" "c['linux']['resources'] = {'memory': {'limit': '1G'}}"
	echo '{"level":"info","msg":"an earlier line"}' >"$log"
	OUT=$(timeout 20 "$RAMPART" --root "$STATE" --log "$log" --log-format json create --bundle "$b" "$PFX-log" 2>&1)
	assert_eq 125 "$?" "failing create"
	assert_eq 2 "$(wc -l <"$log")" "lines in the log (one appended)"
	assert_eq '{"level":"info","msg":"an earlier line"}' "$(head -n1 "$log")" "the earlier line"
	line=$(tail -n1 "$log")
	assert_eq error "$(jget 'd["level"]' <<<"$line")" "level"
	assert_eq "$b/config.json: linux.resources.memory.limit: expected an integer" \
		"$(jget 'd["msg"]' <<<"$line")" "msg"
	assert_match '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$(jget 'd["time"]' <<<"$line")" "time"
	assert_eq "rampart: $(jget 'd["msg"]' <<<"$line")" "$OUT" "stderr: the same message"
	no_trace "$PFX-log"
}

# --- concurrency ------------------------------------------------------------------------

t_concurrent_starts_one_wins() {
	clean_up_on_failure
	local b=$T/b-conc id r1 r2
	bundle "$b" "sh('while :; do sleep 0.1; done')"
	for n in 1 2 3; do
		id=$PFX-conc$n
		detached create "$id" "$b"
		(oci start "$id" 2>"$T/s1.err"; echo $? >"$T/s1.rc") &
		(oci start "$id" 2>"$T/s2.err"; echo $? >"$T/s2.rc") &
		wait
		r1=$(cat "$T/s1.rc") r2=$(cat "$T/s2.rc")
		assert_eq "0 125" "$(printf '%s\n' "$r1" "$r2" | sort -n | tr '\n' ' ' | sed 's/ $//')" \
			"exit statuses of two starts (round $n)"
		assert_match "^rampart: start: container $id is running, not created$" \
			"$(cat "$T/s1.err" "$T/s2.err")" "the loser's message (round $n)"
		assert_eq running "$(state_of "$id")" "status (round $n)"
		oci delete --force "$id" || fail "delete"
		no_trace "$id"
	done
}

# --- last: nothing left behind -------------------------------------------------------------

t_zz_nothing_left_behind() {
	[ -z "$(ls -A "$STATE" 2>/dev/null)" ] || fail "state dirs left: $(ls "$STATE")"
	if [ -n "$CGROOT" ] && [ -d "$CGROOT/rampart-oci" ]; then
		! compgen -G "$CGROOT/rampart-oci/$PFX-*" >/dev/null || fail "cgroups left: $(compgen -G "$CGROOT/rampart-oci/$PFX-*")"
	fi
	! pgrep -fa "$MARK" || fail "marked processes left"
	! pgrep -fa -- "--root $STATE" || fail "rampart processes left"
}

run_tests
