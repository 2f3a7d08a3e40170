# sub/inner: the sibling of sub/outer.profile and sub/rel.profile.
hostname sibling-inner
