"""The command line: the only place that prints or chooses exit codes."""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from .arguments import language_arguments, parser, speaking
from .cached import build_cached
from .content.config import find_root
from .content.diagnostics import ContentError, format_diagnostics, has_errors, summary
from .content.messages import Catalogue, choose_language, msg, number_in, os_reason
from .output import OutputError, build_lock
from .search import SearchError


def run() -> None:
    """The `sitegen` command: main(), then the process ends at once. A build leaves a few
    hundred thousand objects that Python would free one by one on its way out (the README's
    performance section says what it costs); every file is closed by then, so only the
    output streams are flushed.
    The old output a build replaced is removed by a process of its own."""
    from .output import detach_removals
    detach_removals()
    code = main(ends=True)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:     # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code)


def main(argv: list[str] | None = None, ends: bool = False) -> int:
    """The command of `argv`; its exit code. `ends`: the process ends with the command
    (run())."""
    global say
    say = _messages(*language_arguments(argv))
    with speaking(say):     # argparse's usage, help and errors in the same language
        args = parser(say).parse_args(argv)
    if ends and args.command == "build":
        # what a build makes lives until the process ends, and it makes no cycles worth
        # collecting (its peak memory is the same without the collector): a collection
        # would walk all of it and free nothing, once more after the build as the
        # collector's thresholds are put back
        gc.disable()
    try:
        if args.command == "diff":
            return _diff(args)
        root = _root(args.root)
        if args.command == "check":
            return _check(root, args)
        if args.command == "new":
            return _new(root, args)
        if args.command == "schema":
            from .content.config import load_config
            from .content.reference import reference_markdown
            from .content.schema import schema_json
            config = load_config(root)
            sys.stdout.write(reference_markdown(config, say) if args.reference
                             else schema_json(config))
            return 0
        if args.command == "serve":
            from .serve import serve
            serve(root, host=args.host, port=args.port, drafts=args.drafts, say=say,
                  tell=lambda text, main: print(text, file=sys.stdout if main else sys.stderr,
                                                flush=True))
            return 0
        return _build(root, args)
    except ContentError as exc:
        fmt = getattr(args, "format", "text")
        sys.stdout.write(format_diagnostics(exc.diagnostics, fmt, say))
        _tell("C-NOTHING-WRITTEN", summary=summary(exc.diagnostics))
        return 1
    except OSError as exc:
        _tell("C-ERROR", text=_os_error(exc))
        return 1
    except (OutputError, SearchError) as exc:
        _tell("C-ERROR", text=exc.detail)
        return 1
    except KeyboardInterrupt:
        _tell("C-INTERRUPTED")
        return 130


say = Catalogue("en")


def _tell(code: str, file=None, **params) -> None:
    """One line of sitegen's own, in the reader's language (stderr unless told)."""
    print(say.render(msg(code, **params)), file=file or sys.stderr, flush=True)


def _messages(lang: str | None, root: Path | None) -> Catalogue:
    """The catalogue of the language chosen: --lang, the environment, the site's default."""
    root = root.absolute() if root else find_root(Path.cwd())
    default = None
    if root is not None:
        try:
            from .content.config import load_config
            default = load_config(root).default_language
        except (ContentError, OSError):
            pass
    return Catalogue(choose_language(lang, default, root), root)


def _os_error(exc: OSError):
    """'output/.../index.html: No space left on device', the path first as in diagnostics."""
    if exc.filename is None:
        return os_reason(exc) if exc.strerror else str(exc)
    return msg("C-OS-ERROR", path=os.fsdecode(exc.filename), reason=os_reason(exc))


def _root(given: Path | None) -> Path:
    if given is not None:
        if not (given / "pyproject.toml").is_file():
            raise OutputError(msg("C-NO-PYPROJECT", root=str(given)))
        return given.absolute()
    root = find_root(Path.cwd())
    if root is None:
        raise OutputError(msg("C-NO-SITE"))
    return root


def _diff(args) -> int:
    """Markdown on stdout (appended to $GITHUB_STEP_SUMMARY by the PR workflow): content
    problems go to stderr, and the summary gets only a line saying the diff was not made."""
    from .diff import DiffError, load_ledger
    from .site.summary import diff_markdown, failed_markdown
    root = args.root.absolute() if args.root else find_root(Path.cwd())
    sides = []
    for given in (args.old, args.new):
        if given is None and root is None:
            _tell("C-DIFF-NO-SITE")
            return 2
        try:
            sides.append(load_ledger(given, root) if given else load_ledger(str(root), root))
        except DiffError as exc:
            _tell("C-DIFF-ERROR", text=exc.detail)
            return 2
        except ContentError as exc:
            sys.stderr.write(format_diagnostics(exc.diagnostics, "text", say))
            name = given or say.render(msg("C-THIS-SITE"))
            _tell("C-NO-DIFF", name=name, summary=summary(exc.diagnostics))
            sys.stdout.write(failed_markdown(name, sum(d.severity == "error"
                                                       for d in exc.diagnostics), say))
            return 1
    sys.stdout.write(diff_markdown(*sides, say))
    return 0


def _check(root: Path, args) -> int:
    from .build import check
    if args.watch:
        return _check_watch(root, args)
    problems = check(root, strict=args.strict)
    sys.stdout.write(format_diagnostics(problems, args.format, say))
    if args.format != "json":
        _tell("C-SUMMARY", summary=summary(problems))
    return 1 if has_errors(problems) else 0


def _check_watch(root: Path, args) -> int:
    """Check, then check again after every save, each run between two marker lines (an
    editor's background problem matcher reads them); Ctrl-C stops."""
    import watchfiles

    from .build import check
    from .content.config import load_config
    while True:
        _tell("C-CHECKING", file=sys.stdout)
        try:
            problems = check(root, strict=args.strict)
        except ContentError as exc:
            problems = list(exc.diagnostics)
        sys.stdout.write(format_diagnostics(problems, "text", say))
        _tell("C-SUMMARY", file=sys.stdout, summary=summary(problems))
        try:
            config = load_config(root)
            folders = [config.content_dir, config.templates_dir]
        except ContentError:
            folders = []
        paths = [str(p) for p in (*folders, root / "pyproject.toml") if p.exists()]
        for _ in watchfiles.watch(*paths, debounce=300, step=30, raise_interrupt=False):
            break
        else:
            return 0   # the watch ended (Ctrl-C)


def _new(root: Path, args) -> int:
    import datetime as dt

    from .content.config import load_config
    from .content.scaffold import new_article
    config = load_config(root)
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        _tell("C-BAD-DATE", date=repr(args.date))
        return 2
    lang = args.lang or config.default_language
    if lang not in config.languages:
        _tell("C-BAD-LANG", lang=repr(lang), languages=", ".join(config.languages))
        return 2
    try:
        path = new_article(config, args.title, date, lang, Catalogue(lang, root))
    except FileExistsError as exc:
        _tell("C-EXISTS", path=os.path.relpath(exc.filename, root))
        return 1
    print(os.path.relpath(path, root))
    _tell("C-FILL-IN")
    return 0


def _build(root: Path, args) -> int:
    from .progress import Progress
    progress = Progress(say=say)
    try:
        with build_lock(root, lambda: _tell("C-WAITING")):
            if args.no_cache:
                from .build import build
                result = build(root, base_url=args.base_url, drafts=args.drafts,
                               strict=args.strict, progress=progress, search=not args.no_search)
            else:
                result = build_cached(root, base_url=args.base_url, drafts=args.drafts,
                                      strict=args.strict, progress=progress,
                                      search=not args.no_search)
    finally:
        progress.close()    # the bar is gone before any problem or the summary is printed
    if result.diagnostics:
        sys.stderr.write(format_diagnostics(result.diagnostics, "text", say))
    out = result.config.output_dir
    pages = [n for n in result.files if n.endswith(".html")]
    others = result.config.languages[1:]
    counts = {lang: sum(n.startswith(f"{lang}/") for n in pages) for lang in others}
    counts = {result.config.default_language: len(pages) - sum(counts.values()), **counts}
    by_lang = ", ".join(f"{lang} {n}" for lang, n in counts.items())
    _tell("C-BUILT", files=msg("C-FILES", n=len(result.files)), out=os.path.relpath(out, root),
          pages=msg("C-PAGES", n=len(pages)), by_lang=by_lang,
          written=len(result.files) - result.unchanged, unchanged=result.unchanged,
          seconds=number_in(result.seconds, say.lang, "0.00"),
          summary=summary(result.diagnostics))
    return 0
