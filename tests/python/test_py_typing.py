"""The Python package is typed and documented: mypy --strict accepts the package (its
annotations and the stub of the C++ module) and a typed example of the main API, which also
runs; the stub has the names, parameters and defaults of the built module; every public name has
a docstring with an example."""

import ast
import doctest
import inspect
import os
import pydoc
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import ngff
from ngff import _ngff

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "python" / "typed_example.py"
PACKAGE = Path(ngff.__file__).resolve().parent


def mypy_env():
    """A dev build (build/python_pkg) goes on MYPYPATH, whose modules mypy checks as sources, so
    errors in the package fail too; an installed package is found without it."""
    env = dict(os.environ)
    if PACKAGE.parent.name not in ("site-packages", "dist-packages"):
        env["MYPYPATH"] = str(PACKAGE.parent)
    return env


def test_package_ships_stub_and_marker():
    assert (PACKAGE / "py.typed").is_file()
    assert (PACKAGE / "_ngff.pyi").is_file()


def test_mypy_strict_accepts_package_and_example(tmp_path):
    # The cache (numpy's stubs, mostly) is kept between runs; mypy revalidates it.
    cache = Path(tempfile.gettempdir()) / "ngff-mypy-cache"
    r = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache),
                        str(EXAMPLE)], env=mypy_env(), cwd=tmp_path, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Success" in r.stdout


def test_typed_example_runs(tmp_path):
    r = subprocess.run([sys.executable, str(EXAMPLE), str(tmp_path)], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "KeyNotFoundError" in r.stdout


def stub_signatures(text):
    """Every class, function, method and property of a stub: name -> parameters (name and kind),
    defaults and decorators. Imports from `ngff` count as classes: stubgen imports the exception
    types from there (they are created with __module__ "ngff")."""
    out = {}

    def visit(body, prefix):
        for node in body:
            if isinstance(node, ast.ClassDef):
                out[prefix + node.name] = "class"
                visit(node.body, prefix + node.name + ".")
            elif isinstance(node, ast.ImportFrom) and node.module == "ngff":
                for alias in node.names:
                    out[prefix + (alias.asname or alias.name)] = "class"
            elif isinstance(node, ast.FunctionDef):
                a = node.args
                params = ([(p.arg, "positional-only") for p in a.posonlyargs]
                          + [(p.arg, "") for p in a.args]
                          + [(p.arg, "keyword-only") for p in a.kwonlyargs])
                defaults = ([ast.literal_eval(d) for d in a.defaults]
                            + [None if d is None else ast.literal_eval(d)
                               for d in a.kw_defaults])
                decorators = sorted(ast.unparse(d) for d in node.decorator_list)
                out[prefix + node.name] = (params, defaults, decorators)

    visit(ast.parse(text).body, "")
    return out


def test_stub_matches_the_built_module(tmp_path):
    generated = tmp_path / "_ngff.pyi"
    r = subprocess.run([sys.executable, "-m", "nanobind.stubgen", "-q", "-m", "ngff._ngff",
                        "-o", str(generated)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    committed = (PACKAGE / "_ngff.pyi").read_text()
    assert stub_signatures(committed) == stub_signatures(generated.read_text())
    # The exception hierarchy of the stub is the module's.
    for node in ast.parse(committed).body:
        if isinstance(node, ast.ClassDef) and node.bases:
            runtime = getattr(_ngff, node.name)
            assert [ast.unparse(b) for b in node.bases] == [b.__name__ for b in runtime.__bases__]


def public_members(cls):
    """The public methods and properties a class defines in the ngff package (inherited ones
    too), by name."""
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        function = member.fget if isinstance(member, property) else member
        if getattr(function, "__module__", "").startswith("ngff"):
            yield name, member


@pytest.mark.parametrize("name", ngff.__all__)
def test_public_names_are_documented_with_an_example(name):
    obj = getattr(ngff, name)
    assert ">>>" in (obj.__doc__ or ""), f"ngff.{name} has no example in its docstring"
    if isinstance(obj, type) and not issubclass(obj, Exception):
        for member_name, member in public_members(obj):
            assert (member.__doc__ or "").strip(), f"ngff.{name}.{member_name} has no docstring"


def test_help_gives_the_overview():
    text = pydoc.render_doc(ngff, renderer=pydoc.plaintext)
    for topic in ("open_image", "write_image", "open_array", "create_array", "copy", "to_numpy",
                  "to_dask", "to_xarray", "NgffError", "KeyNotFoundError"):
        assert topic in text.split("CLASSES")[0], f"the module docstring does not mention {topic}"


def test_module_docstring_example_runs(tmp_path, monkeypatch):
    """The overview example of help(ngff) runs as written (the other docstrings' examples use
    files they do not create)."""
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder(recurse=False).find(ngff, "ngff"):
        runner.run(test)
    assert runner.tries > 0 and runner.failures == 0
