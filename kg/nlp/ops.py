"""Thinc ops whose matrix products go through numpy (OpenBLAS).

thinc's `NumpyOps.gemm` calls blis, which on these shapes (tens of thousands of characters
times a 64-256 wide layer) runs about three times slower than numpy's OpenBLAS product on one
core. The character NER spends most of its time in such products, so the pipeline swaps its
models onto these ops after loading; results are the same up to float rounding.
"""
from __future__ import annotations

import numpy
from thinc.api import NumpyOps


class OpenBlasOps(NumpyOps):
    name = "kg-openblas"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


def use_openblas(nlp) -> None:
    """Move every thinc model of a loaded spaCy pipeline onto OpenBlasOps."""
    ops = OpenBlasOps()
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops
