// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer of tlctl, fed random bytes: one document per line, each
 * with a string of those bytes (json_bytes()), a value of them
 * (json_value(): "value" and "value_hex") and, written here apart, the
 * bytes in hex, for roundtrip.py to compare with what a strict parser
 * reads back. Usage: roundtrip SEED COUNT [-p]
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tlctl/tlctl.h"

bool json_output = true;
bool pretty_output;

static unsigned long long state;

/* xorshift64*: the same bytes for the same seed, everywhere */
static unsigned int next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (state * 2685821657736338717ULL) >> 32;
}

/* Bytes biased to what breaks writers: controls, quotes, UTF-8 pieces. */
static unsigned char pick(void)
{
	static const unsigned char edge[] = {
		0x00, 0x01, 0x1f, '"', '\\', '/', 0x7f, 0x80, 0xbf, 0xc0, 0xc1,
		0xc2, 0xc3, 0xa9, 0xdf, 0xe0, 0xa0, 0xed, 0x9f, 0xef, 0xf0,
		0x90, 0xf4, 0x8f, 0xf5, 0xff,
	};

	switch (next() % 3) {
	case 0:
		return edge[next() % sizeof(edge)];
	case 1:
		return 0x20 + next() % 0x5f;
	default:
		return next();
	}
}

int main(int argc, char **argv)
{
	unsigned char buf[64];
	unsigned long n, i;
	size_t len, j;

	if (argc < 3) {
		fprintf(stderr, "usage: %s SEED COUNT [-p]\n", argv[0]);
		return 2;
	}
	state = strtoull(argv[1], NULL, 0) | 1;
	n = strtoul(argv[2], NULL, 0);
	pretty_output = argc > 3 && !strcmp(argv[3], "-p");
	for (i = 0; i < n; i++) {
		len = next() % sizeof(buf);
		for (j = 0; j < len; j++)
			buf[j] = pick();
		json_begin_object();
		json_bytes("s", buf, len);
		json_value(buf, len);
		json_end_object();
		/* a separator only the writer's output can be checked against */
		printf("\t");
		for (j = 0; j < len; j++)
			printf("%02x", buf[j]);
		json_done();
	}
	return 0;
}
