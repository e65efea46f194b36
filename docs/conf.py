# SPDX-License-Identifier: GPL-2.0-only
#
# Sphinx configuration for 'make docs': the kernel's kernel-doc extension
# (from Debian's linux-source-6.12, unpacked by tools/testing/kernel.sh)
# pulls the API and the ABI out of the sources' kernel-doc comments.

import os
import sys

kernel_src = os.environ.get('TASKLOCAL_KERNEL_SRC')
if not kernel_src:
    sys.exit('TASKLOCAL_KERNEL_SRC is not set: run make docs')
sys.path.insert(0, os.path.join(kernel_src, 'Documentation', 'sphinx'))

project = 'tasklocal'
copyright = '2026, The tasklocal authors'
with open(os.path.join(os.path.dirname(__file__), '..', 'VERSION')) as f:
    release = version = f.read().strip()

extensions = ['kerneldoc']
kerneldoc_bin = os.path.join(kernel_src, 'scripts', 'kernel-doc')
kerneldoc_srctree = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))

primary_domain = 'c'
highlight_language = 'none'
root_doc = 'index'
exclude_patterns = ['*.md']
html_theme = 'alabaster'
html_static_path = []
