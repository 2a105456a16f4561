# everyday.sh: run INSIDE a login session (as the user, with bash), one
# step of an everyday session at a time (test_everyday.sh). Usage:
#   bash everyday.sh STEP TAG [ARG]
# Prints "LJ begin=STEP.TAG", what the step's commands print (stdout and
# stderr, on the session's terminal), "LJ rc=N" (the step's status) and
# "LJ end=STEP.TAG". Everything a step makes is under ~/ev.TAG, so that two
# sessions of one user run the same steps side by side.
step=$1 tag=$2 arg=${3:-}
d=$HOME/ev.$tag
mkdir -p "$d" && cd "$d" || exit 1

# wheel FILE: a pure-Python wheel written by hand (a zip with the package
# and its .dist-info: METADATA, WHEEL, RECORD with each file's hash), so
# that pip installs it without a network or a build backend.
wheel() {
	python3 - "$1" <<-'EOF'
	import base64, hashlib, sys, zipfile
	name, ver = "ljt_everyday", "1.0"
	info = "%s-%s.dist-info" % (name, ver)
	files = {
	    name + "/__init__.py": "def hello():\n    return 'hello from a local wheel'\n",
	    info + "/METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (name, ver),
	    info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: loginjail-test\n"
	    "Root-Is-Purelib: true\nTag: py3-none-any\n",
	}
	record = ""
	for path, text in files.items():
	    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest())
	    record += "%s,sha256=%s,%d\n" % (path, digest.rstrip(b"=").decode(), len(text))
	record += info + "/RECORD,,\n"
	with zipfile.ZipFile(sys.argv[1], "w") as z:
	    for path, text in files.items():
	        z.writestr(path, text)
	    z.writestr(info + "/RECORD", record)
	EOF
}

run() {
	case $step in
	runtime_dir)
		echo "XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-}"
		stat -c 'mode=%a owner=%u type=%F' "${XDG_RUNTIME_DIR:-/nonexistent}"
		;;
	git)
		git init -q repo && cd repo &&
			git config user.name "Everyday User" &&
			git config user.email "everyday@example.org" &&
			echo "a file in the home" >notes.txt &&
			git add notes.txt && git commit -q -m "everyday commit $tag" &&
			git --no-pager log --format='log: %an: %s' && git status --short
		;;
	venv)
		python3 -m venv venv && venv/bin/python -c 'import sys; print("venv prefix:", sys.prefix)'
		;;
	pip)
		wheel ljt_everyday-1.0-py3-none-any.whl &&
			venv/bin/pip install --no-index --no-cache-dir --disable-pip-version-check \
				ljt_everyday-1.0-py3-none-any.whl &&
			venv/bin/python -c 'import ljt_everyday; print("import:", ljt_everyday.hello())'
		;;
	gcc_make)
		printf '#include <stdio.h>\nint main(void) { puts("hello from gcc"); return 0; }\n' >hello.c &&
			printf 'hello: hello.c\n\t$(CC) -Wall -o $@ hello.c\n' >Makefile &&
			make && ./hello
		;;
	tmux)
		# A session whose shell lives on; then the server is asked about it.
		tmux new-session -d -s "ev$tag" -x 80 -y 24 bash --norc &&
			tmux ls &&
			tmux send-keys -t "ev$tag" "echo typed-into-tmux-$tag" Enter &&
			sleep 1 &&
			tmux capture-pane -p -t "ev$tag" | grep -v '^$' &&
			echo "server pid: $(tmux display -p -t "ev$tag" '#{pid}')"
		;;
	tmux_again)
		# After an attach and detach (or from another login): the same server
		# and shell, with what was typed before still in the pane.
		tmux ls && tmux capture-pane -p -t "ev$tag" | grep -v '^$' &&
			echo "server pid: $(tmux display -p -t "ev$tag" '#{pid}')"
		;;
	screen)
		# screen -dmS says nothing when it fails: screen -ls tells why.
		screen -dmS "ev$tag" bash --norc
		rc=$?
		sleep 1
		screen -ls
		return $rc
		;;
	screen_again)
		# "stuff" types into the window; hardcopy writes what it shows.
		screen -ls && screen -S "ev$tag" -X stuff "echo stuffed-into-screen-$tag$(printf '\r')" &&
			sleep 1 && screen -S "ev$tag" -X hardcopy "$d/screen.txt" && sleep 0.5 &&
			grep -v '^$' "$d/screen.txt"
		;;
	man) man -P cat ls | head -n 8 ;;
	less)
		printf 'first line\nless-shows-this-%s\n' "$tag" >less.txt
		# A terminal that less can drive; -F: quit at once on a short file.
		TERM=xterm LESS='' less -F -X less.txt
		;;
	vim)
		printf 'before\n' >vim.txt &&
			vim -es -N -i NONE -c '%s/before/after-vim-'"$tag"'/' -c 'wq' vim.txt &&
			cat vim.txt
		;;
	locale)
		echo "LANG=${LANG:-} LC_ALL=${LC_ALL:-}"
		locale && LC_ALL=C.UTF-8 locale charmap
		;;
	ps) ps auxww ;;
	top) top -bn1 | head -n 12 ;;
	free) free ;;
	df)
		# Then the one that holds the home: df lists each device once.
		df -P && df -P "$HOME"
		;;
	nproc) nproc ;;
	mktemp)
		# Left there: the test looks for it in the host's /var/tmp.
		f=$(mktemp -p /var/tmp) && echo "made: $f" && stat -c 'owner=%u mode=%a' "$f"
		;;
	logger)
		logger -t ljt-everyday --socket-errors=on "everyday-logger-$tag-$$"
		rc=$?
		echo "logged: everyday-logger-$tag-$$"
		return $rc
		;;
	hostname) hostname && hostname -f ;;
	ssh_agent)
		eval "$(ssh-agent -s)" >/dev/null && echo "socket: $SSH_AUTH_SOCK" &&
			ssh-keygen -q -t ed25519 -N '' -C "everyday-$tag" -f "$d/id_ev" &&
			ssh-add "$d/id_ev" 2>&1 && ssh-add -l &&
			echo "key: $(ssh-keygen -lf "$d/id_ev.pub")"
		rc=$?
		[ -n "${SSH_AGENT_PID:-}" ] && ssh-agent -k >/dev/null
		return $rc
		;;
	device)
		# ARG: the node the policy passes (devices =), opened for reading
		# and writing; a write and a read through that descriptor.
		[ -c "$arg" ] || { ls -l "$arg"; return 1; }
		exec 3<>"$arg" && echo "opened $arg read/write" && echo written >&3 &&
			head -c 4 <&3 | od -An -tx1 | sed 's/^/read:/'
		;;
	dpkg) dpkg -l | grep openssh ;;
	apt) apt list --installed 2>/dev/null | grep openssh ;;
	*)
		echo "unknown step $step"
		return 2
		;;
	esac
}

echo "LJ begin=$step.$tag"
run 2>&1
rc=$?
# On a line of its own, whatever escape sequences the step left on its last.
echo
echo "LJ rc=$rc"
echo "LJ end=$step.$tag"
