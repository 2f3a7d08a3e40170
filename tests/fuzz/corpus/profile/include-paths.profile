include base
include ./tests/unit/fixtures/fx_base.profile
include /etc/passwd
