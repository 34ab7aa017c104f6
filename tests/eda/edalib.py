# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the EDA tests share: the checkout as ``ansible_collections.nlink.netlink`` (a symlink farm, as the
other test suites make it), ip(8), and the timings the session prints."""

import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMINGS = []
NOT_TESTED = []  # said loudly at the end of the session


# tests/conftest.py made the symlink farm and put it first on ANSIBLE_COLLECTIONS_PATH and sys.path.
COLLECTION_FARM = os.environ['ANSIBLE_COLLECTIONS_PATH'].split(os.pathsep)[0]


def ip(*args, check=True):
    return subprocess.run(('ip',) + args, check=check, capture_output=True, text=True)
