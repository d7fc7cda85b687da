"""Integrations with distributed engines (optional extras).

* :mod:`boilerstrip.integrations.dask` -- ``dask.bag`` / ``dask.dataframe`` on a
  ``distributed`` cluster (extra ``boilerstrip[dask]``).
* :mod:`boilerstrip.integrations.spark` -- PySpark ``mapPartitions`` and a
  pandas UDF (extra ``boilerstrip[spark]``).

Both ship the model to each worker process once: workers load the bundled
model (or a model file by path) into a per-process cache on first use.
"""
