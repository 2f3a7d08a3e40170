# Includes by relative path, resolved against this file's directory.
include ../fx_base.profile
include ./inner.profile
