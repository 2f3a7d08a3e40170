# Python's own http.server (`python3 -m http.server`), with SIGTERM turned
# into the KeyboardInterrupt it already handles: it then closes its socket
# and exits 0, a clean shutdown a supervisor can ask for.
import runpy
import signal
import sys

signal.signal(signal.SIGTERM, signal.default_int_handler)
sys.argv = ["http.server"] + sys.argv[1:]
runpy.run_module("http.server", run_name="__main__", alter_sys=True)
