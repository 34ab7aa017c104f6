# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write nl_link's documentation of kind options from the table in resources/link_kinds.py.

    python3 tools/link_docs.py          # rewrite plugins/modules/nl_link.py in place
    python3 tools/link_docs.py --check  # fail if the committed documentation is out of date
"""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = os.path.join(ROOT, 'plugins', 'modules', 'nl_link.py')
BEGIN, END = '  # BEGIN kind options (tools/link_docs.py)\n', '  # END kind options\n'


def load_table():
    import importlib.util
    import types
    # link_kinds.py imports nothing of the collection, so it loads without the collection path
    path = os.path.join(ROOT, 'plugins', 'module_utils', 'netlink', 'resources', 'link_kinds.py')
    spec = importlib.util.spec_from_file_location('link_kinds', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def option_yaml(opt, indent):
    pad = ' ' * indent
    spec = opt.spec()
    lines = ['%s%s:' % (pad, opt.name), '%s  description:' % pad, '%s    - %s' % (pad, json.dumps(opt.doc))]
    if opt.create_only:
        lines.append('%s    - Set when the link is created; the kernel does not change it afterwards.' % pad)
    lines.append('%s  type: %s' % (pad, spec['type']))
    if 'choices' in spec:
        lines.append('%s  choices: [%s]' % (pad, ', '.join("'%s'" % c for c in spec['choices'])))
    return lines


def render(table):
    lines = []
    for name in sorted(table.KINDS):
        kind = table.KINDS[name]
        if not kind.options:
            continue
        lines += ['  %s:' % name, '    description:', '      - %s' % json.dumps('Options of a O(kind=%s) link. %s' % (name, kind.doc)),
                  '    type: dict', '    suboptions:']
        for opt in kind.options:
            lines += option_yaml(opt, 6)
    lines += ['  bridge_port:', '    description:',
              '      - Options of the link as a port of the bridge named in O(master).',
              '    type: dict', '    suboptions:']
    for opt in table.BRIDGE_PORT:
        lines += option_yaml(opt, 6)
    return '\n'.join(lines) + '\n'


def main():
    with open(MODULE) as handle:
        text = handle.read()
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    new = text[:start] + render(load_table()) + text[stop:]
    if '--check' in sys.argv:
        if new != text:
            sys.exit('%s: kind option docs are out of date; run tools/link_docs.py' % MODULE)
        return
    with open(MODULE, 'w') as handle:
        handle.write(new)


if __name__ == '__main__':
    main()
