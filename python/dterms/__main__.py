"""``python -m dterms``: run the installed dterms executable with the same arguments."""

import os
import sys

from dterms import find_dterms_bin


def _main():
    dterms = os.fsdecode(find_dterms_bin())
    args = [dterms, *sys.argv[1:]]
    if sys.platform == "win32":
        # Windows has no exec that replaces the process: wait for the child and pass on its code.
        import subprocess

        sys.exit(subprocess.run(args).returncode)
    os.execv(dterms, args)


if __name__ == "__main__":
    _main()
