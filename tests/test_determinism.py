"""Same articles, same bytes: the exports do not depend on the order files are found or given, on
Python's hash seed, on where the articles or the exports live, or on the process that builds them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def exported(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def copy_seeds(folder: Path, names: list[str]) -> Path:
    """Copy the seeds into `folder`, creating the files in the order of `names`."""
    folder.mkdir(parents=True)
    for name in names:
        shutil.copyfile(SEEDS / name, folder / name)
    return folder


@pytest.mark.slow
def test_determinism_two_builds_are_byte_identical(kg_popen, tmp_path, seeds_export):
    names = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert len(names) == 5
    forward = copy_seeds(tmp_path / "a" / "articles", names)
    backward = copy_seeds(tmp_path / "autre-dossier" / "textes", names[::-1])

    # the two builds run side by side; the second names the files one by one, last first, from
    # another folder, with another hash seed
    first = kg_popen(["build", forward, "--out", tmp_path / "a" / "out"], env={"PYTHONHASHSEED": "1"})
    second = kg_popen(
        ["build", *(backward / name for name in names[::-1]), "--out", tmp_path / "b" / "exports"],
        env={"PYTHONHASHSEED": "4242"},
    )
    for process in (first, second):
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr

    one, two = exported(tmp_path / "a" / "out"), exported(tmp_path / "b" / "exports")
    assert sorted(one) == sorted(two) == sorted(seeds_export.files())
    differing = sorted(name for name in one if one[name] != two[name])
    assert differing == [], f"exports differ between the two builds: {differing}"
    # and the same as the in-process build of seeds/ itself
    assert [name for name in one if one[name] != seeds_export.files()[name]] == []
