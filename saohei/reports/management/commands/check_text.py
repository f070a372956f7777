"""`manage.py check_text FILE [--format json] [--publicity | --not-publicity]`: the wording
check of a publicity text or report (docs/wording-check.md).

FILE is .txt (UTF-8 or GB18030) or .docx. One line per finding on standard output, e.g.
``第3行：“打黑除恶” → “扫黑除恶”``; exit code 0 when the text is clean, 1 when anything is
found, 2 when the file cannot be read.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from saohei.reports.wording import WordingInputError, check_file

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = (
        "Check the wording of a publicity text or report (.txt in UTF-8 or GB18030, .docx): "
        "wrong forms of the campaign's fixed terms, and publicity without a reporting phone "
        "number or channel. One line per finding; exit code 1 when anything is found."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .txt or .docx file")
        parser.add_argument(
            "--format",
            choices=("text", "json"),
            default="text",
            help="text: one line per finding (default); json: the findings as a JSON object",
        )
        kind = parser.add_mutually_exclusive_group()
        kind.add_argument(
            "--publicity",
            dest="publicity",
            action="store_const",
            const=True,
            default=None,
            help="the text is publicity: require a reporting phone number or channel",
        )
        kind.add_argument(
            "--not-publicity",
            dest="publicity",
            action="store_const",
            const=False,
            help="the text is a report or briefing: do not require a reporting channel",
        )

    def handle(self, *args, file, format, publicity, verbosity=1, **options):
        try:
            findings = check_file(file, publicity=publicity)
        except FileNotFoundError as exc:
            raise CommandError(
                _("File not found: %(file)s") % {"file": file}, returncode=EXIT_UNREADABLE
            ) from exc
        except WordingInputError as exc:
            raise CommandError(str(exc), returncode=EXIT_UNREADABLE) from exc

        if format == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "file": str(file),
                        "count": len(findings),
                        "findings": [finding.as_dict() for finding in findings],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for finding in findings:
                line = finding.as_line()
                if verbosity >= 2 and finding.wrong:
                    line = f"{line}\t{finding.reason}"
                self.stdout.write(line)

        if findings:
            raise CommandError(
                ngettext(
                    "%(count)s wording problem found.",
                    "%(count)s wording problems found.",
                    len(findings),
                )
                % {"count": len(findings)},
                returncode=EXIT_FINDINGS,
            )
        if verbosity >= 1:
            self.stderr.write(_("No wording problems found."))
