hostname a
user 1:2
nnp off
