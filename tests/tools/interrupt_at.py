#!/usr/bin/python3
"""Run a command and send it SIGINT the moment STAGE appears on stderr.

usage: interrupt_at.py STAGE OUT ERR -- COMMAND...

Polling a log file from the shell takes milliseconds per look, and a fast
stage (verifying a tmpfs copy) can end in between; reading the pipe here
signals within microseconds.  stdout goes to OUT, stderr is copied to ERR.
Exits with the command's status (130 when the signal was honoured), or 99
when the command ended before STAGE showed, so the test says so instead
of passing quietly.
"""
import os
import signal
import subprocess
import sys


def main():
    stage, out, err = sys.argv[1].encode(), sys.argv[2], sys.argv[3]
    cmd = sys.argv[sys.argv.index("--") + 1:]
    with open(out, "wb") as o, open(err, "wb") as e:
        child = subprocess.Popen(cmd, stdout=o, stderr=subprocess.PIPE)
        seen, signalled = b"", False
        while chunk := os.read(child.stderr.fileno(), 65536):
            e.write(chunk)
            seen = (seen + chunk)[-4096:]
            if not signalled and stage in seen:
                child.send_signal(signal.SIGINT)
                signalled = True
        status = child.wait()
    if not signalled:
        sys.stderr.write("'%s' never showed; exit %d\n" % (sys.argv[1], status))
        return 99
    return 128 - status if status < 0 else status


if __name__ == "__main__":
    sys.exit(main())
