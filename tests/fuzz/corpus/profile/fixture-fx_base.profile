# fx_base: a tiny base for include tests.
user 500:501
hostname fx-base
