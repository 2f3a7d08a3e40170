limit memory 1G
limit memory-high 900M
limit swap max
limit pids max
limit cpu 2 period=1000000
limit cpu quota=1000 period=1000
limit cpu-weight 1
limit io-weight 1
limit cpuset 0
limit io /dev/sda rbps=1 wbps=max
limit io /dev/sdb riops=5
cgroup parent //a//b/
