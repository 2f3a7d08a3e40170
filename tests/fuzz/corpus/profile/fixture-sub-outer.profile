# Includes by name: the including file's own directory comes first.
include inner
