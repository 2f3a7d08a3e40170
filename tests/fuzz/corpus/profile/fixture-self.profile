hostname self
include self
