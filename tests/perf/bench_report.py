# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/performance.md (tables, the issue 7 targets) and docs/performance.svg (a chart drawn by hand) from the
figures of tests/perf/bench.py. The text between <!-- notes --> and <!-- /notes --> in an existing
performance.md is hand-written and kept."""

import math
import os

WAYS = ('raw C', 'engine', 'playbook', 'pyroute2', 'ip', 'command loop')
OPERATIONS = ('apply', 're-run', 'purge', 'facts', 'scoped')
WHAT = {'apply': 'first apply into an empty table', 're-run': 'the same again (idempotent: nothing to do)',
        'purge': 'empty the table (a scoped purge)', 'facts': 'read the table back',
        'scoped': 'read a 100-route table next to the size in another'}
COLORS = {'raw C': '#444444', 'engine': '#1f77b4', 'playbook': '#2ca02c', 'pyroute2': '#d62728', 'ip': '#ff7f0e',
          'command loop': '#9467bd'}
NOTES_START, NOTES_END = '<!-- notes -->', '<!-- /notes -->'


def cpu_model():
    try:
        with open('/proc/cpuinfo') as handle:
            for line in handle:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return 'unknown'


def find(rows, size, operation, way):
    return next((r for r in rows if (r['size'], r['operation'], r['way']) == (size, operation, way)), None)


def seconds(value):
    if value is None:
        return '–'
    if value < 0.01:
        return '%.2f ms' % (value * 1000)
    return '%.3f s' % value if value < 10 else '%.1f s' % value


def cell(row):
    if row is None:
        return '–'
    note = row['note'] if isinstance(row['note'], dict) else {}
    scaled = '≈' if 'measured seconds' in note else ''
    extra = ', %d items run' % note['items run'] if scaled else ''
    return '%s%s<br><sub>cpu %s, %.0f MB%s</sub>' % (scaled, seconds(row['seconds']), seconds(row.get('cpu')),
                                                     row['rss_mb'], extra)


def ratio(a, b):
    if a is None or b is None or b['seconds'] <= 0:
        return '–'
    return '%.1f×' % (a['seconds'] / b['seconds'])


def targets(rows, extra):
    size = max((r['size'] for r in rows), default=0)
    apply_, ip = find(rows, size, 'apply', 'playbook'), find(rows, size, 'apply', 'ip')
    rerun, facts = find(rows, size, 're-run', 'playbook'), find(rows, size, 'facts', 'playbook')
    scoped = find(rows, size, 'scoped', 'engine')
    imports = extra.get('imports', {})
    floors = extra.get('floors') or {}
    lines = ['| target (issue 7, at %d routes) | measured | met | floor: Ansible alone |' % size, '|---|---|---|---|']

    def line(text, measured, met, floor=None):
        found = floors.get(floor)
        verdict = '–' if met is None else ('yes' if met else '**no**')
        lines.append('| %s | %s | %s | %s |' % (text, measured, verdict, '%s: %s' % (floor, both(found)) if found else ''))

    def both(row):
        return 'wall %s, cpu %s' % (seconds(row['seconds']), seconds(row['cpu'])) if row else '–'

    line('first apply in one nl_route task (`src`) ≤ `ip -batch` (met: by CPU)',
         'task %s; ip -batch %s' % (both(apply_), both(ip)), apply_['cpu'] <= ip['cpu'] if apply_ and ip else None,
         'read src')
    line('idempotent re-run ≤ 1 s, changed: false (met: by CPU)', '%s, %s' % (both(rerun), rerun and rerun['note']),
         rerun['cpu'] <= 1 and rerun['note'] == 'unchanged' if rerun else None, 'read src')
    line('gathering them as facts (nl_facts) ≤ 2 s (met: by CPU)', both(facts), facts['cpu'] <= 2 if facts else None,
         'facts compact')
    netlink = scoped['note'].get('netlink_ms') if scoped and isinstance(scoped['note'], dict) else None
    line('scoped gather of a 100-route table next to the others ≤ 10 ms of netlink time',
         '%s ms (the whole gather in the engine: %s)' % (netlink, seconds(scoped and scoped['seconds'])),
         netlink <= 10 if netlink is not None else None)
    line('per-item error attribution: 3 bad routes among 10k', 'tests/perf/test_bulk_errors.py (not timed)', None)
    if imports:
        line('import overhead ≤ `import pyroute2`', 'collection %s (ansible basic, every module: %s) vs pyroute2 %s' % (
            seconds(imports.get('collection')), seconds(imports.get('ansible')), seconds(imports.get('pyroute2'))),
            imports.get('collection', 1e9) <= imports.get('pyroute2', 0))
    return lines


def floor_table(extra):
    """The floors (tests/perf/floors.py): trivial modules' task times, what no module can go below."""
    floors = extra.get('floors')
    if not floors:
        return []
    empty = floors.get('empty playbook') or {}
    lines = ['', '## Floors: what Ansible alone costs a task', '',
             'tests/perf/floors.py: task times (as above: over an empty playbook, %s wall / %s CPU here) of trivial '
             'modules that do no netlink work, with data of the size of the targets\' (the routes of the largest '
             'size).' % (seconds(empty.get('seconds')), seconds(empty.get('cpu'))), '',
             '| floor | wall | cpu | peak RSS | data (JSON) |', '|---|---:|---:|---:|---:|']
    for name, found in floors.items():
        if name != 'empty playbook':
            data = '%.1f MB' % found['json_mb'] if found.get('json_mb') else '–'
            lines.append('| %s | %s | %s | %.0f MB | %s |' % (
                name, seconds(found['seconds']), seconds(found['cpu']), found['rss_mb'], data))
    return lines


def tables(rows):
    lines = []
    sizes = sorted(set(r['size'] for r in rows if r['way'] in WAYS))
    for operation in OPERATIONS:
        if not any(r['operation'] == operation for r in rows):
            continue
        ways = [w for w in WAYS if any(r['operation'] == operation and r['way'] == w for r in rows)]
        lines += ['', '### %s: %s' % (operation, WHAT[operation]), '',
                  '| routes | ' + ' | '.join(ways) + ' | engine / raw | playbook / ip | load |',
                  '|---:|' + '---:|' * len(ways) + '---:|---:|---:|']
        for size in sizes:
            found = [find(rows, size, operation, w) for w in ways]
            present = [r for r in found if r]
            if not present:
                continue
            load = sum(r['load'] for r in present) / len(present)
            lines.append('| %d | %s | %s | %s | %.1f |' % (
                size, ' | '.join(cell(r) for r in found),
                ratio(find(rows, size, operation, 'engine'), find(rows, size, operation, 'raw C')),
                ratio(find(rows, size, operation, 'playbook'), find(rows, size, operation, 'ip')), load))
    others = [r for r in rows if r['way'] not in WAYS]
    if others:
        lines += ['', '### other resources, engine called directly', '', '| what | objects | wall | RSS | load |',
                  '|---|---:|---:|---:|---:|']
        lines += ['| %s, %s | %d | %s | %.0f MB | %.1f |' % (
            r['way'], r['operation'], r['size'], cell(r).split('<br>')[0] + ' (cpu %s)' % seconds(r.get('cpu')),
            r['rss_mb'], r['load']) for r in others]
    return lines


def chart(rows, path):
    """Bars per way, grouped by size, one panel per operation; log10 seconds."""
    sizes = sorted(set(r['size'] for r in rows if r['way'] in WAYS))
    operations = [o for o in OPERATIONS if any(r['operation'] == o for r in rows)]
    values = [r['seconds'] for r in rows if r['way'] in WAYS and r['seconds'] > 0]
    if not values or not sizes:
        return
    low, high = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    panel_w, panel_h, top, left = 60 + len(sizes) * (len(WAYS) * 9 + 14), 220, 40, 50
    width = left + len(operations) * panel_w + 20
    height = top + panel_h + 80
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="10">'
           % (width, height), '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="16" font-size="13">nl_route and the alternatives: seconds (log scale), by routes</text>'
           % left]

    def y_of(value):
        return top + panel_h - (math.log10(value) - low) / float(high - low or 1) * panel_h

    for decade in range(low, high + 1):
        y = y_of(10 ** decade)
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (left, width - 20, y, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (left - 4, y + 3, seconds(10 ** decade)))
    for p, operation in enumerate(operations):
        x0 = left + p * panel_w + 10
        out.append('<text x="%d" y="%d" font-weight="bold">%s</text>' % (x0, top - 8, operation))
        for s, size in enumerate(sizes):
            gx = x0 + s * (len(WAYS) * 9 + 14)
            for w, way in enumerate(WAYS):
                row = find(rows, size, operation, way)
                if row is None or row['seconds'] <= 0:
                    continue
                y = y_of(row['seconds'])
                out.append('<rect x="%d" y="%.1f" width="8" height="%.1f" fill="%s"><title>%s %s %d: %s</title></rect>' % (
                    gx + w * 9, y, top + panel_h - y, COLORS[way], way, operation, size, seconds(row['seconds'])))
            out.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (
                gx + len(WAYS) * 4.5, top + panel_h + 14, '%dk' % (size // 1000) if size >= 1000 else size))
    for w, way in enumerate(WAYS):
        x = left + w * 110
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/>' % (x, height - 30, COLORS[way]))
        out.append('<text x="%d" y="%d">%s</text>' % (x + 14, height - 21, way))
    out.append('</svg>')
    with open(path, 'w') as handle:
        handle.write('\n'.join(out) + '\n')


def write(path, command, rows, extra, machine):
    notes = ''
    if os.path.exists(path):
        with open(path) as handle:
            text = handle.read()
        if NOTES_START in text and NOTES_END in text:
            notes = text[text.index(NOTES_START):text.index(NOTES_END) + len(NOTES_END)]
    svg = os.path.splitext(path)[0] + '.svg'
    chart(rows, svg)
    loads = machine['loads']
    versions = machine['versions']
    empty = extra.get('empty_playbook') or [0, 0]
    lines = ['# Performance', '',
             'Generated by `tests/perf/bench.py` (%s, %.0f minutes). Reproduce with:' % (
                 machine['started'], machine['minutes']), '',
             '    ' + command, '',
             'Machine: %s, %d CPUs, kernel %s, Python %s, ansible-core %s, pyroute2 %s, %s.' % (
                 machine['cpu'], machine['cpus'], machine['kernel'], machine['python'], versions['ansible-core'],
                 versions['pyroute2'], versions['iproute2']), '',
             '**The machine is shared** (other developers run tests on the same %d CPUs): the load average '
             '(1 min) was %.1f / %.1f / %.1f at the start and %.1f / %.1f / %.1f at the end, and each row gives the '
             'mean load while its figures were taken. Under load every way slows down, Python more than C; '
             'compare ways within a row.' % ((machine['cpus'],) + tuple(loads[0]) + tuple(loads[-1])), '',
             'Each cell: median wall seconds of the runs; below it the CPU seconds (user + system, the kernel\'s '
             'work on the requests included) and the peak RSS of the measuring process (for a playbook: the '
             'largest process of its tree). With the CPUs this busy, CPU seconds are the better guide to what a '
             'quiet machine\'s wall time would be. Playbook figures are task times: the playbook\'s wall (CPU) '
             'time minus that of an empty playbook run just before it (median %.2f s wall, %.2f s CPU here). '
             'Engine and pyroute2 figures leave out the interpreter\'s start and imports (measured apart). The '
             'routes: IPv4 /32s via a gateway in table 100 of a namespace of the benchmark\'s own; `src` is a '
             'JSON file of `{dst, gateway}` items.' % tuple(empty), '',
             '## Targets', '']
    lines += targets(rows, extra) + floor_table(extra) + ['', '## Figures'] + tables(rows) + ['', '![chart](%s)' % os.path.basename(svg), '']
    if notes:
        lines += [notes, '']
    with open(path, 'w') as handle:
        handle.write('\n'.join(lines))
