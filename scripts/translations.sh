#!/bin/sh
# The interface's translations (German, French, Spanish): `scripts/translations.sh update`
# refreshes locale/*/LC_MESSAGES/*.po from the code and compiles the .mo files (commit
# both); `scripts/translations.sh check` (in `make test`) fails when a marked string has
# no translation, a translation is fuzzy, or a committed .mo is not the compiled .po.
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
LANGS="-l de -l fr -l es"
IGNORE="-i .venv -i .venv-* -i node_modules -i staticfiles -i tests -i bench -i test-artifacts -i media -i exports"

refresh() {
	# The patterns in IGNORE are makemessages' to match, not the shell's: with two
	# .venv-* folders in the checkout, the shell's expansion passed one as an argument.
	set -f
	# No source locations: the files change only when the words do.
	DJANGO_SETTINGS_MODULE=tests.settings $PY manage.py makemessages $LANGS $IGNORE \
		--no-location --no-obsolete -v 0
	DJANGO_SETTINGS_MODULE=tests.settings $PY manage.py makemessages -d djangojs $LANGS \
		$IGNORE -i static/vendor --no-location --no-obsolete -v 0
	set +f
}

case "${1:-check}" in
update)
	refresh
	for po in locale/*/LC_MESSAGES/*.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done
	;;
check)
	refresh
	status=0
	for po in locale/*/LC_MESSAGES/*.po; do
		report=$(msgfmt --check --statistics -o /tmp/translations-check.mo "$po" 2>&1)
		case "$report" in
		*untranslated* | *fuzzy*) echo "$po: $report"; status=1 ;;
		esac
		if ! cmp -s /tmp/translations-check.mo "${po%.po}.mo"; then
			echo "${po%.po}.mo is not the compiled $po: run scripts/translations.sh update"
			status=1
		fi
	done
	# makemessages rewrote a file (or made one): the code's words are not in locale/ yet.
	if ! git diff --quiet -- locale || [ -n "$(git ls-files --others --exclude-standard -- locale)" ]; then
		echo "The code's words changed since locale/ was updated: run scripts/translations.sh update"
		git diff --stat -- locale
		git ls-files --others --exclude-standard -- locale
		status=1
	fi
	exit $status
	;;
esac
