# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the EDA tests share: the checkout as ``ansible_collections.nlink.netlink`` (a symlink farm, as the
other test suites make it), ip(8), and the timings the session prints."""

import hashlib
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMINGS = []
NOT_TESTED = []  # said loudly at the end of the session


def collection_farm():
    """A directory holding ansible_collections/nlink/netlink -> ROOT (the one tests/run made, if any)."""
    for entry in os.environ.get('PYTHONPATH', '').split(os.pathsep):
        link = os.path.join(entry, 'ansible_collections', 'nlink', 'netlink')
        if entry and os.path.realpath(link) == os.path.realpath(ROOT):
            return entry
    farm = os.path.join(tempfile.gettempdir(), 'nlink-netlink-pytest-%d-%s'
                        % (os.getuid(), hashlib.sha256(ROOT.encode()).hexdigest()[:12]))
    parent = os.path.join(farm, 'ansible_collections', 'nlink')
    link = os.path.join(parent, 'netlink')
    os.makedirs(parent, exist_ok=True)
    if os.path.realpath(link) != os.path.realpath(ROOT):
        temporary = '%s.%d' % (link, os.getpid())
        os.symlink(ROOT, temporary)
        os.replace(temporary, link)  # atomic: parallel sessions may race here
    return farm


COLLECTION_FARM = collection_farm()
if COLLECTION_FARM not in sys.path:
    sys.path.insert(0, COLLECTION_FARM)


def ip(*args, check=True):
    return subprocess.run(('ip',) + args, check=check, capture_output=True, text=True)
