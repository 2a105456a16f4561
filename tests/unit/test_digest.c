/* The digests a join is matched with (proto.h, struct lj_ctl_key): SHA-256
 * itself, the resolved policy's digest (what changes it and what does not)
 * and the key of a policy directory (its files' stamp). */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdir.h"

#include "join.h"
#include "policy.h"
#include "sha256.h"

static void hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < LJ_SHA256_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void expect_sha(const char *data, size_t len, size_t chunk, const char *want)
{
	struct lj_sha256 s;
	uint8_t d[LJ_SHA256_LEN];
	char got[2 * LJ_SHA256_LEN + 1];
	lj_sha256_init(&s);
	for (size_t o = 0; o < len; o += chunk)
		lj_sha256_add(&s, data + o, len - o < chunk ? len - o : chunk);
	lj_sha256_end(&s, d);
	hex(d, got);
	if (strcmp(got, want) != 0)
		fail_msg("sha256 of %zu bytes (chunks of %zu) = %s, want %s", len, chunk, got,
			 want);
}

static void sha256_matches_fips_vectors(void **state)
{
	static const char two_blocks[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	expect_sha("", 0, 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect_sha("abc", 3, 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	for (size_t chunk = 1; chunk <= 64; chunk *= 4)
		expect_sha(two_blocks, strlen(two_blocks), chunk,
			   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* FN(alice's policy from the file INI, ARG). */
static void with_policy(const char *ini, void (*fn)(const struct lj_policy *pol, void *arg),
			void *arg)
{
	char dir[64], path[128];
	struct lj_config *cfg = NULL;
	static struct lj_diag diag;
	struct lj_policy pol;
	assert_int_equal(lj_test_mkdtemp(dir, sizeof(dir), "digest"), 0);
	snprintf(path, sizeof(path), "%s/loginjail.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(ini, f);
	fclose(f);
	if (lj_config_load_file(path, &cfg, &diag) < 0 ||
	    lj_policy_resolve(cfg, "alice", NULL, 0, &pol, &diag) < 0)
		fail_msg("policy did not load: %s", diag.n ? diag.msg[0] : "?");
	fn(&pol, arg);
	lj_policy_free(&pol);
	lj_config_free(cfg);
	lj_test_rmtree(dir);
}

struct digests {
	uint8_t *out;
	uint8_t (*keys)[8];
};

static void take_digests(const struct lj_policy *pol, void *arg)
{
	struct digests *d = arg;
	lj_policy_digest(pol, d->out);
	lj_policy_key_digests(pol, d->keys, LJ_CTL_KEYS);
}

static void key_digests_of(const char *ini, uint8_t out[LJ_SHA256_LEN], uint8_t (*keys)[8])
{
	struct digests d = {out, keys};
	with_policy(ini, take_digests, &d);
}

static void digest_of(const char *ini, uint8_t out[LJ_SHA256_LEN])
{
	uint8_t keys[LJ_CTL_KEYS][8];
	key_digests_of(ini, out, keys);
}

/* loginjailctl reload names the keys that differ: each key's digest changes
 * with that key's value only, and the slots past the last key are zero. */
static void key_digests_name_what_changed(void **state)
{
	uint8_t d[LJ_SHA256_LEN], a[LJ_CTL_KEYS][8], b[LJ_CTL_KEYS][8], zero[8] = {0};
	key_digests_of("[user:alice]\nsandbox = yes\nnetwork = loopback\nmemory_max = 1G\n"
		       "tmp_size = 64M\n",
		       d, a);
	key_digests_of("[user:alice]\nsandbox = yes\nnetwork = none\nmemory_max = 512M\n"
		       "tmp_size = 64M\n",
		       d, b);
	for (int k = 0; k < LJ_CTL_KEYS; k++) {
		bool changed = memcmp(a[k], b[k], sizeof(a[k])) != 0;
		bool want = k == LJ_KEY_NETWORK || k == LJ_KEY_MEMORY_MAX;
		if (changed != want)
			fail_msg("key %d (%s): digest %s", k,
				 k < LJ_KEY__COUNT ? lj_key_name((enum lj_key)k) : "none",
				 changed ? "changed" : "did not change");
		if (k >= LJ_KEY__COUNT)
			assert_memory_equal(a[k], zero, sizeof(zero));
	}
}

static void policy_digest_changes_with_the_sandbox_only(void **state)
{
	uint8_t base[LJ_SHA256_LEN], d[LJ_SHA256_LEN];
	digest_of("[user:alice]\nsandbox = yes\nnetwork = loopback\n", base);
	/* Another spelling of the same policy, and the per-login keys. */
	digest_of("[default]\nnetwork = loopback\n[user:alice]\nsandbox = yes\n"
		  "on_error = allow\n",
		  d);
	assert_memory_equal(base, d, sizeof(d));
	digest_of("[user:alice]\nsandbox = yes\nnetwork = host\n", d);
	assert_memory_not_equal(base, d, sizeof(d));
	digest_of("[user:alice]\nsandbox = yes\nmemory_max = 512M\n", d);
	assert_memory_not_equal(base, d, sizeof(d));
	digest_of("[user:alice]\nsandbox = yes\nro_bind = /opt\n", d);
	assert_memory_not_equal(base, d, sizeof(d));
}

/* The digest as it was before the syslog and devices keys: "key=value\n"
 * of each key up to shell but those lj_policy_digest leaves out. */
static void digest_of_the_older_keys(const struct lj_policy *pol, void *arg)
{
	char buf[4096];
	struct lj_sha256 h;
	lj_sha256_init(&h);
	for (int k = 0; k <= LJ_KEY_SHELL; k++) {
		if (k == LJ_KEY_ON_ERROR || k == LJ_KEY_USER_MANAGER || k == LJ_KEY_SHELL)
			continue;
		const char *name = lj_key_name((enum lj_key)k);
		const char *v = lj_policy_format(pol, (enum lj_key)k, buf, sizeof(buf));
		lj_sha256_add(&h, name, strlen(name));
		lj_sha256_add(&h, "=", 1);
		lj_sha256_add(&h, v, strlen(v));
		lj_sha256_add(&h, "\n", 1);
	}
	lj_sha256_end(&h, arg);
}

/* A policy that leaves syslog and devices at their defaults has the digest
 * it had before those keys existed, so a sandbox built before an upgrade is
 * still joined after it; set otherwise, they are part of it. */
static void newer_keys_digest_only_when_set(void **state)
{
	uint8_t base[LJ_SHA256_LEN], d[LJ_SHA256_LEN];
	const char *ini = "[user:alice]\nsandbox = yes\nro_bind = /opt\n";
	digest_of(ini, base);
	digest_of("[user:alice]\nsandbox = yes\nro_bind = /opt\ndevices =\nsyslog = yes\n", d);
	assert_memory_equal(base, d, sizeof(d));

	with_policy(ini, digest_of_the_older_keys, d);
	assert_memory_equal(base, d, sizeof(d));

	/* Nor does loginjailctl reload see a key that changed. */
	uint8_t keys[LJ_CTL_KEYS][8], zero[8] = {0};
	key_digests_of(ini, d, keys);
	assert_memory_equal(keys[LJ_KEY_DEVICES], zero, sizeof(zero));
	assert_memory_equal(keys[LJ_KEY_SYSLOG], zero, sizeof(zero));

	key_digests_of("[user:alice]\nsandbox = yes\nro_bind = /opt\ndevices = /dev/kvm\n", d,
		       keys);
	assert_memory_not_equal(base, d, sizeof(d));
	assert_memory_not_equal(keys[LJ_KEY_DEVICES], zero, sizeof(zero));
	uint8_t other[LJ_SHA256_LEN];
	digest_of("[user:alice]\nsandbox = yes\nro_bind = /opt\ndevices = /dev/fuse\n", other);
	assert_memory_not_equal(other, d, sizeof(d));

	key_digests_of("[user:alice]\nsandbox = yes\nro_bind = /opt\nsyslog = no\n", d, keys);
	assert_memory_not_equal(base, d, sizeof(d));
	assert_memory_not_equal(keys[LJ_KEY_SYSLOG], zero, sizeof(zero));
}

static void key_tells_accounts_and_file_edits_apart(void **state)
{
	char dir[64], path[128];
	struct lj_ctl_key a, b;
	assert_int_equal(lj_test_mkdtemp(dir, sizeof(dir), "key"), 0);
	snprintf(path, sizeof(path), "%s/loginjail.conf", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[default]\n", f);
	fclose(f);

	assert_int_equal(lj_ctl_key_init(&a, dir, "alice", 1001, 1001, "/home/alice"), 0);
	assert_int_equal(lj_ctl_key_init(&b, dir, "alice", 1001, 1001, "/home/alice"), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(lj_ctl_key_init(&b, dir, "twin", 1001, 1001, "/home/alice"), 0);
	assert_memory_not_equal(a.account, b.account, sizeof(a.account));
	assert_int_equal(lj_ctl_key_init(&b, dir, "alice", 1001, 1002, "/home/alice"), 0);
	assert_memory_not_equal(a.account, b.account, sizeof(a.account));
	assert_int_equal(lj_ctl_key_init(&b, dir, "alice", 1001, 1001, "/home/alice2"), 0);
	assert_memory_not_equal(a.account, b.account, sizeof(a.account));
	assert_memory_equal(a.stamp, b.stamp, sizeof(a.stamp));

	/* A new file in policy.d changes the stamp, not the account. */
	snprintf(path, sizeof(path), "%s/policy.d", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(lj_ctl_key_init(&b, dir, "alice", 1001, 1001, "/home/alice"), 0);
	assert_memory_equal(a.account, b.account, sizeof(a.account));
	assert_memory_not_equal(a.stamp, b.stamp, sizeof(a.stamp));
	assert_int_equal(a.config_ino, b.config_ino);
	lj_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_matches_fips_vectors),
		cmocka_unit_test(policy_digest_changes_with_the_sandbox_only),
		cmocka_unit_test(key_digests_name_what_changed),
		cmocka_unit_test(newer_keys_digest_only_when_set),
		cmocka_unit_test(key_tells_accounts_and_file_edits_apart),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
