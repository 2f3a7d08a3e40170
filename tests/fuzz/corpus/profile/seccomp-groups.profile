seccomp allow @basic-io @file-system @io-event @ipc @memory @mount @network-io @process @signal @timer
seccomp deny @mount errno EPERM
