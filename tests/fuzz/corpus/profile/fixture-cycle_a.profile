include cycle_b
