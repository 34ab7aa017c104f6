# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every resource module shares: its argument spec, item validation, and error reporting.

A module is ``run_module(ResourceClass)``. The one-object form (top-level options) and the list form
(``config``, or ``src``: a JSON/YAML file on the managed host) are validated with the same item spec, so
a bad value reads the same wherever it came from.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

PYROUTE2_IMPORT_ERROR = None
try:
    # find_spec, not import: a full `import pyroute2` costs ~0.1-0.3 s, and resources with their own codecs
    # (routes) never need it; those that do import the parts they use
    from importlib.util import find_spec
    if find_spec('pyroute2') is None:
        raise ImportError('No module named pyroute2')
except Exception:
    PYROUTE2_IMPORT_ERROR = traceback.format_exc()

STATES = ['merged', 'replaced', 'overridden', 'deleted', 'gathered', 'rendered', 'parsed',
          'present', 'absent']

COMMON_OPTIONS = dict(
    netns=dict(type='str'),
    state=dict(type='str', default='merged', choices=STATES),
    config=dict(type='list', elements='dict'),
    src=dict(type='path'),
    running_config=dict(type='str'),
)


def argument_spec(resource_cls):
    """Common options + the item options at top level (none required there) + scope options."""
    spec = dict(COMMON_OPTIONS)
    for name, option in resource_cls.options.items():
        top = dict(option)
        top.pop('required', None)
        top.pop('default', None)
        spec[name] = top
    return spec


def item_validator(resource_cls):
    return ArgumentSpecValidator(resource_cls.options,
                                 mutually_exclusive=getattr(resource_cls, 'mutually_exclusive', None),
                                 required_together=getattr(resource_cls, 'required_together', None),
                                 required_if=getattr(resource_cls, 'required_if', None))


# Python types an option's value already has when it needs no conversion (bool is no int here: the argument
# spec turns it into one, with its own rules)
EXACT_TYPES = {'str': str, 'int': int, 'bool': bool, 'float': float}
# option keys that change how a value is read; an option having one is always checked by the argument spec
SPECIAL_KEYS = ('aliases', 'fallback', 'no_log', 'deprecated_aliases', 'removed_in_version', 'removed_at_date',
                'apply_defaults', 'options', 'elements')


class ItemValidator:
    """The item argument spec, fast: ~1 us an item instead of ~55 for items that need nothing converted.

    An item whose every given option has its exact type, an allowed choice and no special handling is
    accepted here; every other item (wrong type, a string to convert, sub-options, an option named in
    mutually_exclusive / required_together / required_if, an unknown option, a missing required one) goes
    to ArgumentSpecValidator, so what is refused is refused with the argument spec's own message.
    """

    def __init__(self, resource_cls):
        self.full = item_validator(resource_cls)
        options = resource_cls.options
        constrained = set()
        for group in ('mutually_exclusive', 'required_together'):
            for terms in getattr(resource_cls, group, None) or ():
                constrained.update(terms)
        for rule in getattr(resource_cls, 'required_if', None) or ():
            constrained.add(rule[0])
            constrained.update(rule[2])
        self.checks = {}
        for name, option in options.items():
            kind = EXACT_TYPES.get(option.get('type', 'str'))
            if kind is None or name in constrained or any(key in option for key in SPECIAL_KEYS):
                continue
            choices = option.get('choices')
            self.checks[name] = (kind, frozenset(choices) if choices is not None else None)
        self.required = frozenset(name for name, option in options.items() if option.get('required'))
        self.blank = dict((name, option.get('default') if 'options' not in option else None)
                          for name, option in options.items())

    def validate(self, item):
        """(validated parameters, error messages) of a mapping of options; None values are not given."""
        checks = self.checks
        nulls = False
        for name, value in item.items():
            check = checks.get(name)
            # the exact type: a bool is an int to isinstance, and the argument spec converts it its own way
            # (a dict or a list is never an exact type here: such items go to the argument spec)
            if check is None or value.__class__ is not check[0] or (check[1] is not None and value not in check[1]):
                if value is None:
                    nulls = True
                    continue
                return self._full(item)
        if nulls:
            item = dict((k, v) for k, v in item.items() if v is not None)
        if not self.required.issubset(item):
            return self._full(item)
        validated = self.blank.copy()
        validated.update(item)
        return validated, []

    def _full(self, item):
        result = self.full.validate(given(item))
        return result.validated_parameters, _readable(result) if result.error_messages else []


def _load_src(path):
    with open(path) as handle:
        text = handle.read()
    try:
        data = json.loads(text)
    except ValueError:
        import yaml  # only YAML files pay for the import
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError('%s is neither JSON nor YAML: %s' % (path, exc))
    if isinstance(data, dict) and 'config' in data:
        data = data['config']
    if not isinstance(data, list):
        raise ValueError('src %s must hold a list of items (or a mapping with a config list)' % path)
    return data


def desired_items(module, resource_cls):
    """The items the task declares, validated; top-level scope options fill what items omit."""
    params = module.params
    scope = dict((name, params.get(name)) for name in resource_cls.scope)
    item_names = [n for n in resource_cls.options if n not in resource_cls.scope]
    given_top = [n for n in item_names if params.get(n) is not None]
    if params.get('config') is not None and params.get('src'):
        module.fail_json(msg='config and src are mutually exclusive: give the list in one of them')
    if params.get('config') is not None or params.get('src'):
        if given_top:
            scope_names = ', '.join(resource_cls.scope) or 'nothing'
            module.fail_json(msg='with config or src, give per-object options inside each item, not at the top '
                                 'level (found: %s); top-level %s is the scope' % (', '.join(given_top), scope_names))
        source = 'config'
        try:
            raw = params['config'] if params.get('config') is not None else _load_src(params['src'])
            source = 'config' if params.get('config') is not None else 'src'
        except (OSError, ValueError) as exc:
            module.fail_json(msg='cannot read src: %s' % exc)
    elif any(params.get(n) is not None for n in resource_cls.identity if n not in resource_cls.scope):
        raw, source = [dict((n, params[n]) for n in resource_cls.options if params.get(n) is not None)], None
    else:
        raw, source = [], None
    validator = ItemValidator(resource_cls)
    scope_given = dict((k, v) for k, v in scope.items() if v is not None)
    items = []
    for index, item in enumerate(raw):
        where = '%s[%d]: ' % (source, index) if source else ''
        if not isinstance(item, dict):
            module.fail_json(msg='%sexpected a mapping of options, got %r' % (where, item))
        # null means not given (gathered facts carry nulls), as at the top level: the validator leaves it out
        if scope_given:
            merged = scope_given.copy()
            merged.update(item)
        else:
            merged = item
        validated, errors = validator.validate(merged)
        if errors:
            module.fail_json(msg=where + '; '.join(errors))
        items.append((where, validated))
    return items, scope


def given(options):
    """The options actually given: None (and sub-options the argument parser filled with None) left out."""
    return dict((k, given(v) if isinstance(v, dict) else v) for k, v in options.items() if v is not None)


def _readable(result):
    messages = []
    for error in result.errors:
        text = str(error)
        if type(error).__name__ == 'UnsupportedError':
            text = 'unsupported option %s' % text.rstrip('.')
        messages.append(text)
    return messages


def run_module(resource_cls, extra_spec=None):
    """The whole life of a resource module."""
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink import engine
    from ansible_collections.nlink.netlink.plugins.module_utils.netlink.errors import (
        NamespaceError, NetlinkError, ValidationError)

    spec = argument_spec(resource_cls)
    spec.update(extra_spec or {})
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True,
                           required_if=[('state', 'parsed', ('running_config',))])
    if PYROUTE2_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib('pyroute2'), exception=PYROUTE2_IMPORT_ERROR)
    state = module.params['state']
    try:
        if state == 'parsed':
            module.exit_json(changed=False, parsed=resource_cls.parse(module.params['running_config']))
        items, scope = desired_items(module, resource_cls)
        from ansible_collections.nlink.netlink.plugins.module_utils.netlink.connection import Connection
        # a resource that does not live inside a network namespace (nl_netns) refuses netns itself
        netns = module.params['netns'] if getattr(resource_cls, 'netns_option', True) else None
        with Connection(resource_cls.protocol, netns) as conn:
            resource = resource_cls(conn, scope, module.params['netns'])
            wants = []
            for where, item in items:
                try:
                    wants.append(resource.normalize(item))
                except ValidationError as exc:
                    raise ValidationError(where + str(exc))
            resource.check_request(engine.STATE_ALIASES.get(state, state), wants)
            result = engine.run(resource, state, wants, module.check_mode, module._diff)
    except ValidationError as exc:
        module.fail_json(msg=str(exc))
    except NamespaceError as exc:
        module.fail_json(msg=str(exc))
    except NetlinkError as exc:
        module.fail_json(msg=str(exc), errno=exc.errno_name, ext_ack=exc.ext_ack, attribute=exc.attribute)
    if 'msg' in result:
        module.fail_json(**result)
    module.exit_json(**result)
