# base: every layer on, the strictest sane default.
#
# Profiles for real applications start with `include base` and then open
# only what the application needs. Everything here is also rampart's
# built-in default, written out so that authors can read it and so that
# `rampart profile show base` explains itself.

# A new namespace of every kind; nothing is shared with the host.
namespaces user pid mnt net ipc uts cgroup

# An unprivileged identity. uid 0 is only ever used when a profile says so.
user 65534:65534
groups none

# No capability survives, in any of the five sets; no privilege can be
# regained through setuid or file capabilities.
caps none
nnp on

# Syscalls: the default allowlist (syscalls.profile), which is also what
# an OCI bundle without linux.seccomp gets.
include syscalls

# The image is read-only; writable places are tmpfs mounts the app names.
# The container sees it through an overlay with every setuid/setgid bit and
# file capability cleared (the image itself is never modified).
rootfs readonly
setuid strip
tmpfs /tmp size=64M mode=1777

# No core dumps (they would hold the process's secrets); a sane fd limit.
rlimit core 0
rlimit nofile 1024:4096

hostname rampart
cwd /
init on
