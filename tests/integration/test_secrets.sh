#!/usr/bin/env bash
# test_secrets.sh - secrets on a private tmpfs at /run/secrets, never in the
# environment or in any output.
. "$(dirname "$0")/lib.sh"

setup_rootfs
SECRET="s3cr3t-$$-value"
printf '%s' "$SECRET" >"$T/key.pem"
chmod 0600 "$T/key.pem"   # readable by the launcher (root) alone

t_secret_readable_by_the_container_user() {
	launch --set "secret tls-key $T/key.pem" --set "secret ro-group $T/key.pem mode 0440" -- \
		/bin/sh -c 'cat /run/secrets/tls-key; echo; stat -c "%a %u %g" /run/secrets /run/secrets/tls-key /run/secrets/ro-group'
	assert_eq 0 "$RC" "exit status ($ERR)"
	assert_eq "$SECRET
500 65534 65534
400 65534 65534
440 65534 65534" "$OUT" "contents, modes, owners"
}

t_secret_uid_option() {
	launch --set "secret k $T/key.pem uid 1000" -- /bin/sh -c 'stat -c "%u" /run/secrets/k'
	assert_eq 1000 "$OUT" "owner ($ERR)"
}

t_secret_never_in_environment_or_output() {
	launch --set "secret tls-key $T/key.pem" --set 'user 0' --set 'caps keep SYS_PTRACE' -- \
		/bin/sh -c 'cat /proc/self/environ /proc/1/environ 2>/dev/null | tr "\0" "\n"; env'
	assert_nomatch "$SECRET" "$OUT" "environments"
	assert_nomatch "$SECRET" "$ERR" "rampart's messages"
	OUT=$("$RAMPART" profile show --set "secret tls-key $T/key.pem" base 2>&1)
	assert_nomatch "$SECRET" "$OUT" "profile show"
	assert_match "^secret tls-key $T/key.pem mode 0400	# contents: <secret>$" "$OUT" "profile show line"
}

t_secrets_are_read_only_and_private() {
	launch --set "secret tls-key $T/key.pem" -- /bin/sh -c 'echo x >/run/secrets/tls-key; echo x >/run/secrets/new; grep " /run/secrets " /proc/mounts'
	assert_match "Read-only file system" "$ERR" "write"
	assert_match "^none /run/secrets tmpfs ro,nosuid,nodev,noexec" "$OUT" "mount"
	findmnt -rn | grep -q "/run/secrets" && fail "a secrets mount on the host"
	true
}

t_bad_secret_is_a_file_line_error() {
	launch --set "secret k $T/missing" -- /bin/true
	assert_eq 125 "$RC" "exit status"
	assert_eq "rampart: --set:1: secret k: $T/missing: No such file or directory" "$(tail -n1 <<<"$ERR")" "message"
	launch --set 'secret ../x /etc/passwd' -- /bin/true
	assert_eq "rampart: --set:1: secret: '../x' is not a file name (letters, digits, . _ -)" "$ERR" "name"
}

# OCI bundles: an io.github.rampart.secret.NAME annotation injects a
# secret the same way, but only from the operator's secrets directory
# ($RAMPART_SECRETS_DIR): orchestrators pass users' annotations through.
t_oci_secret_annotation() {
	local b=$T/bundle dir=$T/secrets-dir
	mkdir -p "$b" "$dir"
	ln -sfn "$ROOTFS" "$b/rootfs"
	cp "$T/key.pem" "$dir/db"
	oci_cfg() {
		cat >"$b/config.json" <<EOF
{"ociVersion": "1.2.0", "root": {"path": "rootfs"},
 "process": {"user": {"uid": 1000, "gid": 1000}, "cwd": "/", "env": ["PATH=/bin"],
             "args": ["/bin/sh", "-c", "cat /run/secrets/db; echo; stat -c '%a %u' /run/secrets/db"]},
 "annotations": {"io.github.rampart.secret.db": "$1"},
 "linux": {"namespaces": [{"type": "user"}, {"type": "pid"}, {"type": "mount"}]}}
EOF
	}
	oci_cfg "$dir/db mode 0400"
	OUT=$(RAMPART_SECRETS_DIR=$dir "$RAMPART" --root "$T/state" run --bundle "$b" s1 2>"$T/err")
	assert_eq 0 "$?" "run ($(cat "$T/err"))"
	assert_eq "$SECRET
400 1000" "$OUT" "the secret, its mode and owner"
	assert_nomatch "$SECRET" "$(cat "$T/err")" "rampart's messages"
	# Outside the secrets directory, or no such directory: refused.
	oci_cfg "/etc/shadow"
	ERR=$(RAMPART_SECRETS_DIR=$dir "$RAMPART" --root "$T/state" run --bundle "$b" s2 2>&1)
	assert_match "annotations.io.github.rampart.secret.db: /etc/shadow is outside $dir" "$ERR" "refusal"
	oci_cfg "$dir/../key.pem"
	ERR=$(RAMPART_SECRETS_DIR=$dir "$RAMPART" --root "$T/state" run --bundle "$b" s3 2>&1)
	assert_match "is outside $dir" "$ERR" "a .. way out refused"
	[ -z "$(ls -A "$T/state")" ] || fail "state left: $(ls "$T/state")"
}

run_tests
