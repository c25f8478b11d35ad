"""ngff.validate and ngff.validation_report: the OME-NGFF validator (`ngff validate`) for Python."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Literal

from . import _ngff


@dataclass(frozen=True)
class Problem:
    """One problem found by :func:`validate`.

    >>> p = Problem("error", "file:///d/img.zarr", "attributes.ome.multiscales[0].axes",
    ...             "multiscales/ndim", "3 dimensions, 2 axes")
    >>> p.severity, p.rule
    ('error', 'multiscales/ndim')
    """

    severity: Literal["error", "warning", "info"]
    """"error" (the data breaks a MUST of the spec), "warning" (a SHOULD) or "info" (worth
    knowing, breaks nothing: chunks absent, read as the fill value)."""
    node_url: str
    """The URL of the node (group or array) the problem is in."""
    json_path: str
    """Where in the node's attributes, e.g. "attributes.ome.multiscales[0].datasets[1].path"
    ("" for the node as a whole)."""
    rule: str
    """The check that found it: "schema:<file>#<keyword path>", "schema-strict:...", "model",
    or a rule name such as "multiscales/dtype-equal" (docs/usage.md lists them)."""
    message: str
    """What is wrong, in one line."""

    def __str__(self) -> str:
        """One line: severity, node URL, JSON path, rule and message."""
        return (f"{self.severity}  {self.node_url}  {self.json_path or '-'}  {self.rule}  "
                f"{self.message}")


def validation_report(url: str | os.PathLike[str], strict: bool = False,
                      deep: bool = False) -> dict[str, Any]:
    """The verdict on the OME-Zarr node at ``url`` and everything below it, as a dict: what
    ``ngff validate --json`` prints, ``{"valid", "message", "url", "version", "kind", "strict",
    "schemas", "problems": [{"severity", "node_url", "json_path", "rule", "message"}],
    "counts": {"error", "warning", "info"}}``.

    ``strict``: warnings make the data invalid too. ``deep``: read every chunk of every level.
    Raises StoreError / KeyNotFoundError when nothing can be read at ``url``; bad metadata is a
    problem in the report, never an exception.

    >>> import ngff, numpy as np, tempfile, os
    >>> url = os.path.join(tempfile.mkdtemp(), "img.ome.zarr")
    >>> _ = ngff.write_image(url, np.zeros((64, 64), dtype="uint8"), axes="yx", levels=2)
    >>> report = ngff.validation_report(url, deep=True)
    >>> report["valid"], report["kind"], report["counts"]["error"]
    (True, 'image', 0)
    """
    return json.loads(_ngff.validation_report_json(os.fspath(url), strict, deep))


def validate(url: str | os.PathLike[str], strict: bool = False,
             deep: bool = False) -> list[Problem]:
    """The problems of the OME-Zarr node at ``url`` and everything below it (image, label
    image, labels, plate, well, bioformats2raw): the OME-NGFF JSON schemas and the rules they
    cannot express; with ``deep`` every chunk of every level is read too. An empty list means
    valid even under ``strict``. ``strict`` only decides what validation_report calls valid;
    the list is the same.

    >>> import ngff, numpy as np, tempfile, os
    >>> url = os.path.join(tempfile.mkdtemp(), "img.ome.zarr")
    >>> _ = ngff.write_image(url, np.ones((64, 64), dtype="uint8"), axes="yx", levels=2)
    >>> os.remove(os.path.join(url, "1", "c", "0", "0"))       # the chunk of level 1
    >>> [(p.severity, p.rule) for p in ngff.validate(url, deep=True)]
    [('info', 'deep/chunk-missing')]
    """
    report = validation_report(url, strict, deep)
    return [Problem(p["severity"], p["node_url"], p["json_path"], p["rule"], p["message"])
            for p in report["problems"]]
