/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _TASKLOCAL_KUNIT_H
#define _TASKLOCAL_KUNIT_H

#include <kunit/test.h>

extern struct kunit_suite tasklocal_map_suite;
extern struct kunit_suite tasklocal_api_suite;
extern struct kunit_suite tasklocal_table_suite;
extern struct kunit_suite tasklocal_stress_suite;

#endif
