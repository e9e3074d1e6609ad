#!/usr/bin/python3
"""Run a command, and the moment STAGE appears on its stderr, stop it,
run ACTION, and let it go on.

usage: pause_at.py STAGE OUT ERR ACTION -- COMMAND...

For changing the world under a running job at a known point (a source
file rewritten between the scan and the writing): the command is held
with SIGSTOP while ACTION (a shell command line written by the test) runs,
then resumed with SIGCONT.  stdout goes to OUT, stderr is copied to ERR.
Exits with the command's status, or 99 when STAGE never showed or ACTION
failed, so that the test says so instead of passing quietly.
"""
import os
import signal
import subprocess
import sys


def main():
    stage, out, err, action = sys.argv[1].encode(), sys.argv[2], sys.argv[3], sys.argv[4]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    acted = None
    with open(out, "wb") as o, open(err, "wb") as e:
        child = subprocess.Popen(cmd, stdout=o, stderr=subprocess.PIPE)
        seen = b""
        while chunk := os.read(child.stderr.fileno(), 65536):
            e.write(chunk)
            seen = (seen + chunk)[-4096:]
            if acted is None and stage in seen:
                child.send_signal(signal.SIGSTOP)
                acted = subprocess.run(["sh", "-c", action]).returncode
                child.send_signal(signal.SIGCONT)
        status = child.wait()
    if acted is None:
        sys.stderr.write("'%s' never showed; exit %d\n" % (sys.argv[1], status))
        return 99
    if acted != 0:
        sys.stderr.write("the action failed (%d)\n" % acted)
        return 99
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main())
