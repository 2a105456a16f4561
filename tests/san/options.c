/* Linked into every program of a `make SANITIZE=1` build (not into the PAM
 * module, which sshd, su and login load without an ASan runtime). The helper
 * runs with /dev/null on 0-2 and an empty environment, and the sandbox's init
 * after it, so reports go to files that tests/run.sh collects. */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
	/* No leak check at exit by default: the helper exits after unsharing
	 * its children's pid namespace, where LeakSanitizer's tracer cannot
	 * see the threads it must stop, and waits forever. tests/run.sh turns
	 * it on for the unit tests. */
	return "log_path=/run/loginjail-san/asan:detect_leaks=0";
}

const char *__ubsan_default_options(void)
{
	return "log_path=/run/loginjail-san/ubsan:print_stacktrace=1";
}
