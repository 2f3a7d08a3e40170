include cycle_a
