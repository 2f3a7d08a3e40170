# default: what `rampart launch` uses when no --profile is given.
include base
