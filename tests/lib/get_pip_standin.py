# nlink-netlink get-pip stand-in
"""Offline stand-in for the get-pip script that ansible-test's ``--venv`` bootstrap downloads.

ansible-test (2.19) bootstraps pip into each virtual environment it creates by running
``~/.ansible/test/cache/get_pip_<version>.py`` (for example ``get_pip_24_2.py``); when that file is
missing it downloads it from ci-files.testing.ansible.com, which is not reachable from our machines.
``tests/run`` copies this file to that name and puts the ``pip-<version>-py3-none-any.whl`` wheel from
PyPI beside it. It behaves like get-pip: the arguments are pip install arguments; setuptools and wheel
are installed too unless ``--no-setuptools`` / ``--no-wheel`` are given (ansible-test gives both).
pip runs straight from the wheel, as pip documents, and installs itself from that wheel without
touching the network when nothing else is asked for.
"""

from __future__ import annotations

import os
import re
import sys


def pip_version():
    """Return the pip version this copy serves, taken from its own file name (get_pip_24_2.py -> 24.2)."""
    match = re.match(r'get_pip_(\d+(?:_\d+)*)\.py$', os.path.basename(__file__))

    if not match:
        sys.exit('get-pip stand-in: cannot tell the pip version from the file name %s' % __file__)

    return match.group(1).replace('_', '.')


def requirement_name(arg):
    """Return the lower-cased project name of a requirement argument, or None for an option."""
    if arg.startswith('-'):
        return None

    return re.split(r'[\s<>=!~;\[@]', arg, maxsplit=1)[0].lower()


def install_arguments(argv, version, directory):
    """Translate get-pip's command line into the arguments of ``pip install``."""
    args = [arg for arg in argv if arg not in ('--no-setuptools', '--no-wheel')]
    names = [requirement_name(arg) for arg in args]

    if 'pip' not in names:
        args.append('pip==%s' % version)

    if '--no-setuptools' not in argv and not os.environ.get('PIP_NO_SETUPTOOLS') and 'setuptools' not in names:
        args.append('setuptools')

    if '--no-wheel' not in argv and not os.environ.get('PIP_NO_WHEEL') and 'wheel' not in names:
        args.append('wheel')

    wanted = set(requirement_name(arg) for arg in args) - set([None])
    offline = ['--no-index'] if wanted == set(['pip']) else []

    return ['install', '--upgrade', '--force-reinstall', '--find-links', directory] + offline + args


def main():
    """Install pip from the wheel that lies beside this file."""
    version = pip_version()
    directory = os.path.dirname(os.path.abspath(__file__))
    wheel = os.path.join(directory, 'pip-%s-py3-none-any.whl' % version)

    if not os.path.isfile(wheel):
        sys.exit('get-pip stand-in: %s is missing; fetch it with: pip download pip==%s --no-deps --only-binary :all: -d %s'
                 % (wheel, version, directory))

    sys.path.insert(0, wheel)

    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    sys.exit(pip_main(install_arguments(sys.argv[1:], version, directory)))


if __name__ == '__main__':
    main()
