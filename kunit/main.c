// SPDX-License-Identifier: GPL-2.0-only
/*
 * tasklocal_kunit: the KUnit suites of tasklocal, as one module.
 */
#include <kunit/test.h>
#include <linux/module.h>

#include "tasklocal_kunit.h"

kunit_test_suites(&tasklocal_map_suite, &tasklocal_api_suite,
		  &tasklocal_table_suite, &tasklocal_stress_suite);

MODULE_DESCRIPTION("KUnit tests for tasklocal");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
