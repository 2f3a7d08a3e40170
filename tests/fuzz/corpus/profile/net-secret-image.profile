net none
net host
net join /run/netns/web
net veth br0 10.213.0.2/24 addr fd00:213::2/64 gw 10.213.0.1 gw fd00:213::1 mtu 1400 name eth0
net veth br0 10.213.0.2/24
setuid keep
setuid strip
secret db-password /etc/hostname mode 0400 uid 0
secret api_key /etc/hostname
image digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef manifest /srv/image.manifest
image digest sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
