# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the checkout importable as ``ansible_collections.nlink.netlink`` (a symlink farm), for every test
process under tests/ and the subprocesses it starts (modules, ansible-playbook, ansible-rulebook), so
`python -m pytest tests/<suite>` works from the repository root without flags."""

import hashlib
import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


def _export(farm):
    if farm not in sys.path:
        sys.path.insert(0, farm)
    for name in ('PYTHONPATH', 'ANSIBLE_COLLECTIONS_PATH'):
        parts = [p for p in os.environ.get(name, '').split(os.pathsep) if p]
        if farm not in parts:
            os.environ[name] = os.pathsep.join([farm] + parts)


COLLECTION_FARM = collection_farm()
_export(COLLECTION_FARM)
