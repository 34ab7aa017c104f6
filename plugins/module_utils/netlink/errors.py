# -*- coding: utf-8 -*-
# Copyright: nlink.netlink contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The library's errors: what the user reads when something is refused."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno as _errno
import os


class NetlinkError(Exception):
    """A refusal from the kernel, or a failure to reach it.

    ``code`` is the positive errno; ``ext_ack`` the kernel's extended-ack text; ``attribute`` the path of
    the attribute the kernel pointed at (``IFLA_LINKINFO/IFLA_INFO_DATA/...``); ``item`` the identity of
    the object a bulk request was about.
    """

    def __init__(self, code, ext_ack=None, attribute=None, missing=None, item=None, context=None):
        self.code = code
        self.ext_ack = ext_ack
        self.attribute = attribute
        self.missing = missing
        self.item = item
        self.context = context
        super(NetlinkError, self).__init__(self.describe())

    @property
    def errno_name(self):
        return _errno.errorcode.get(self.code, 'E%d' % self.code)

    def describe(self):
        parts = []
        if self.context:
            parts.append(self.context + ':')
        parts.append('%s (%s)' % (self.errno_name, os.strerror(self.code)))
        if self.ext_ack:
            parts.append('- kernel says: %s' % self.ext_ack)
        if self.attribute:
            parts.append('[attribute %s]' % self.attribute)
        if self.missing:
            parts.append('[missing attribute %s]' % self.missing)
        return ' '.join(parts)

    def with_context(self, context=None, item=None):
        """The same refusal, said about a named operation or item."""
        return NetlinkError(self.code, self.ext_ack, self.attribute, self.missing,
                            item if item is not None else self.item,
                            '%s: %s' % (context, self.context) if context and self.context
                            else context or self.context)


class ValidationError(Exception):
    """Input the module cannot act on; the message names the option, the value and what is allowed."""


class NamespaceError(Exception):
    """A network namespace that does not exist or cannot be entered."""
