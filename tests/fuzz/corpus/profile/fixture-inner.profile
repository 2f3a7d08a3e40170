# inner (search path copy): sub/inner.profile must win when included from sub/.
hostname search-path-inner
