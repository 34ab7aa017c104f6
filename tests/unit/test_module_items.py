# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""module.desired_items: one object or a list (config / src), validated alike, with messages that say where."""

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.nlink.netlink.plugins.module_utils.netlink import module as nlmodule
from ansible_collections.nlink.netlink.plugins.module_utils.netlink.resources.address import Address


class Failed(Exception):
    pass


class FakeModule:
    """What desired_items uses of AnsibleModule: validated params and fail_json."""

    def __init__(self, **args):
        result = ArgumentSpecValidator(nlmodule.argument_spec(Address)).validate(args)
        assert not result.error_messages, result.error_messages
        self.params = result.validated_parameters

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)


def items_of(**args):
    items, scope = nlmodule.desired_items(FakeModule(**args), Address)
    return [(where, dict((k, v) for k, v in item.items() if v is not None)) for where, item in items], scope


def failure_of(**args):
    with pytest.raises(Failed) as caught:
        nlmodule.desired_items(FakeModule(**args), Address)
    return str(caught.value)


def test_argument_spec_has_common_options_and_no_required_item_options_at_top():
    spec = nlmodule.argument_spec(Address)
    assert {'netns', 'state', 'config', 'src', 'running_config'} <= set(spec)
    assert set(Address.options) <= set(spec)
    assert not any(option.get('required') for option in spec.values())
    assert spec['state']['default'] == 'merged'


def test_top_level_options_are_one_object():
    items, scope = items_of(dev='v0', address='192.0.2.1/24')
    assert items == [('', {'dev': 'v0', 'address': '192.0.2.1/24'})]
    assert scope == {'dev': 'v0'}


def test_scope_alone_declares_no_object():
    assert items_of(dev='v0', state='deleted') == ([], {'dev': 'v0'})


def test_top_level_scope_fills_items_that_name_no_device():
    items, _scope = items_of(dev='v0', config=[{'address': '192.0.2.1/24'}, {'dev': 'v1', 'address': '192.0.2.2/24'}])
    assert [item['dev'] for _where, item in items] == ['v0', 'v1']
    assert [where for where, _item in items] == ['config[0]: ', 'config[1]: ']


def test_unsupported_option_in_an_item_is_named_with_its_place():
    msg = failure_of(config=[{'dev': 'v0', 'address': '192.0.2.1/24'},
                             {'dev': 'v0', 'address': '192.0.2.2/24', 'colour': 'red'}])
    assert msg.startswith('config[1]: unsupported option colour.')
    assert 'Supported parameters include: address, broadcast, dev' in msg


def test_bad_choice_in_an_item_names_the_option_and_the_choices():
    msg = failure_of(config=[{'dev': 'v0', 'address': '2001:db8::1/64', 'flags': ['nodad', 'bogus']}])
    assert msg.startswith('config[0]: value of flags must be one or more of: autojoin, home, mngtmpaddr, nodad, '
                          'noprefixroute, optimistic')
    assert 'bogus' in msg


def test_bad_type_in_an_item_names_the_option():
    msg = failure_of(config=[{'dev': 'v0', 'address': '192.0.2.1/24', 'metric': 'high'}])
    assert msg.startswith("config[0]: argument 'metric' is of type str")


def test_missing_identity_in_an_item_is_named():
    assert failure_of(config=[{'dev': 'v0'}]) == 'config[0]: missing required arguments: address'


def test_src_item_that_is_not_a_mapping(tmp_path):
    path = tmp_path / 'items.yml'
    path.write_text('- {address: 192.0.2.1/24}\n- 192.0.2.2/24\n')
    assert failure_of(dev='v0', src=str(path)) == "src[1]: expected a mapping of options, got '192.0.2.2/24'"


def test_config_with_top_level_item_options_is_a_conflict():
    msg = failure_of(dev='v0', address='192.0.2.1/24', flags=['nodad'], config=[{'address': '192.0.2.2/24'}])
    assert msg == ('with config or src, give per-object options inside each item, not at the top level '
                   '(found: address, flags); top-level dev is the scope')


def test_config_and_src_are_exclusive(tmp_path):
    path = tmp_path / 'items.json'
    path.write_text('[]')
    assert failure_of(config=[], src=str(path)) == \
        'config and src are mutually exclusive: give the list in one of them'


def test_src_json_list(tmp_path):
    path = tmp_path / 'items.json'
    path.write_text(json.dumps([{'dev': 'v0', 'address': '192.0.2.1/24'}, {'address': '192.0.2.2/24'}]))
    items, _scope = items_of(dev='v0', src=str(path))
    assert items == [('src[0]: ', {'dev': 'v0', 'address': '192.0.2.1/24'}),
                     ('src[1]: ', {'dev': 'v0', 'address': '192.0.2.2/24'})]


def test_src_yaml_mapping_with_config(tmp_path):
    path = tmp_path / 'items.yml'
    path.write_text('config:\n  - dev: v0\n    address: 192.0.2.1/24\n    flags: [noprefixroute]\n')
    items, _scope = items_of(src=str(path))
    assert items == [('src[0]: ', {'dev': 'v0', 'address': '192.0.2.1/24', 'flags': ['noprefixroute']})]


def test_src_items_are_validated_like_config(tmp_path):
    path = tmp_path / 'items.yml'
    path.write_text('- {dev: v0, address: 192.0.2.1/24}\n- {dev: v0, address: 192.0.2.2/24, flags: [x]}\n')
    assert failure_of(src=str(path)).startswith('src[1]: value of flags must be one or more of')


def test_src_that_is_not_a_list(tmp_path):
    path = tmp_path / 'items.yml'
    path.write_text('dev: v0\n')
    assert failure_of(src=str(path)) == 'cannot read src: src %s must hold a list of items (or a mapping with a ' \
                                        'config list)' % path


def test_src_missing_file(tmp_path):
    msg = failure_of(src=str(tmp_path / 'absent.json'))
    assert msg.startswith('cannot read src: ') and 'No such file or directory' in msg


def test_src_malformed_yaml_fails_cleanly(tmp_path):
    path = tmp_path / 'items.yml'
    path.write_text('- {dev: v0, address: [unclosed\n')
    assert failure_of(src=str(path)).startswith('cannot read src: ')
