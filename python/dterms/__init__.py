"""dterms: a Docker glossary and explainer for data scientists, in your terminal.

The package holds no Python API: the wheel installs the ``dterms`` executable, and
``python -m dterms`` runs it. :func:`find_dterms_bin` says where it was installed.
"""

import os
import sys
import sysconfig

__all__ = ["find_dterms_bin"]


def _candidates(exe):
    """Where an installer may have put the executable, most likely first."""
    # The scripts directory of this interpreter's environment: pip, pipx and uv tool.
    yield os.path.join(sysconfig.get_path("scripts"), exe)
    # `pip install --user`: the user scheme's scripts directory.
    if sys.version_info >= (3, 10):
        user_scheme = sysconfig.get_preferred_scheme("user")
    elif os.name == "nt":
        user_scheme = "nt_user"
    else:
        user_scheme = "posix_user"
    yield os.path.join(sysconfig.get_path("scripts", scheme=user_scheme), exe)
    # `pip install --target DIR`: the scripts land in DIR/bin, beside this package.
    yield os.path.join(os.path.dirname(os.path.dirname(__file__)), "bin", exe)


def find_dterms_bin():
    """Return the path of the installed ``dterms`` executable.

    Raises FileNotFoundError when none of the places an installer uses holds it.
    """
    exe = "dterms" + (sysconfig.get_config_var("EXE") or "")
    tried = []
    for path in _candidates(exe):
        if os.path.isfile(path):
            return path
        tried.append(path)
    raise FileNotFoundError("the dterms executable is not in " + ", ".join(tried))
