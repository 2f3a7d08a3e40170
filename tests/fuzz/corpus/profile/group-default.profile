seccomp on
seccomp default errno EPERM
seccomp allow @basic-io @file-system @network-io @process @signal @timer @ipc @memory @io-event
seccomp allow ioctl getrandom personality
