"""The built site is readable by others: output/ and the preview's folder get the modes
`mkdir` and `open` give under the umask, the root included (tempfile.mkdtemp makes 0700)."""
import os
import stat

import pytest

from sitegen.build import build
from sitegen.serve import Preview

from .conftest import make_site

ARTICLE = ("---\ntitle: T\ndate: 2025-01-01\nsources: [{url: 'https://a.example/', "
           "publisher: P}]\nevents:\n  - {id: e, date: 2025, kind: statement}\n---\nBody.\n")


@pytest.fixture
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def modes(folder) -> set[tuple[str, int]]:
    """(kind, mode) of the folder and of everything in it."""
    found = {("dir", stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        st = path.lstat()
        kind = "dir" if stat.S_ISDIR(st.st_mode) else "file" if stat.S_ISREG(st.st_mode) else "?"
        found.add((kind, stat.S_IMODE(st.st_mode)))
    return found


@pytest.mark.parametrize("umask, folder, file", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)],
                         indirect=["umask"], ids=["umask-022", "umask-027"])
def test_build_output_has_the_umask_modes(tmp_path, umask, folder, file):
    site = make_site(tmp_path / "site", {"content/articles/a.md": ARTICLE})
    build(site, workers=1)
    assert modes(site / "output") == {("dir", folder), ("file", file)}
    build(site, base_url="https://example.org/other/", workers=1)   # swapped in over the old
    assert modes(site / "output") == {("dir", folder), ("file", file)}


@pytest.mark.parametrize("umask", [0o022], indirect=True)
def test_preview_folder_has_the_umask_modes(tmp_path, umask):
    site = make_site(tmp_path / "site", {"content/articles/a.md": ARTICLE})
    preview = Preview(site, "http://127.0.0.1:8000/", drafts=False)
    try:
        preview.rebuild()
        assert modes(preview.folder) == {("dir", 0o755), ("file", 0o644)}
    finally:
        preview.close()
