/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Userspace stand-ins for the few kernel primitives module/map.c uses,
 * so that the very same file builds and runs natively (tests, fuzzing,
 * instruction counts). Single-threaded: locks and RCU are no-ops, and
 * deferred frees happen at once (ASan then sees any late access).
 */
#ifndef _SHIM_LINUX_TYPES_H
#define _SHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
typedef unsigned int gfp_t;

#define GFP_ATOMIC	0x1u
#define GFP_KERNEL	0x2u
#define __GFP_NOWARN	0x4u

#define __rcu

#define READ_ONCE(x)		(*(volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))

struct rcu_head {
	void *next;
	void (*func)(struct rcu_head *head);
};

#endif
