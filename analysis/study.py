"""What-if studies: one view of the comparison files of both versions.

`geosim compare BASE WHATIF` writes a comparison file of format version 1; `geosim compare
BASE WHATIF1 WHATIF2 ...` (K >= 2 what-ifs) a study, version 2 (docs/whatif.md, "File
layouts"). They differ in:

| item                       | version 1                   | version 2                         |
|----------------------------|-----------------------------|-----------------------------------|
| `scenario` labels          | "base", "whatif"            | "base", then each what-if's name  |
| `whatif` dimension         | none                        | the what-ifs' names               |
| `<var>_diff`               | (replicate, turn, ...)      | (whatif, replicate, turn, ...)    |
| `<var>_diff_mean`, `_ci_*` | (turn, ...)                 | (whatif, turn, ...)               |
| each scenario's metadata   | root attributes `base_*`,   | variables over `scenario`:        |
|                            | `whatif_*`                  | `scenario_description`, `_hash`,  |
|                            |                             | `_yaml`, `_file`, `seed`; the     |
|                            |                             | root attributes `base_*` kept     |

`analysis.load` returns either file as written. The comparison figures, tables and report
read it through this module, so that they have one code path:

- `whatif_view(ds)`: the dataset with the version-2 shape. A version-1 file's `_diff`,
  `_diff_mean`, `_diff_ci_lower` and `_diff_ci_upper` variables get a leading `whatif`
  dimension of length 1 labelled "whatif" (its `scenario` label), so that for every what-if
  label `w`, `view[f"{v}_diff_mean"].sel(whatif=w)` is its paired difference and
  `view[f"{v}_mean"].sel(scenario=w)` its mean, whatever the version. Both versions get the
  coordinate `whatif_name` (the what-if's scenario name) on `whatif`. Nothing is copied: the
  variables are views of the file's arrays.
- `whatif_labels(ds)`: the what-ifs' `scenario` labels, in order (["whatif"] in version 1).
- `scenario_metadata(ds)`: each scenario's label, role, name, description, hash, seed, YAML
  and file, from the root attributes (version 1) or the per-scenario variables (version 2);
  `whatif_metadata(ds)` the what-ifs' only, `base_metadata(ds)` the base's.
"""

from .io import kind, uint64

DIFF_SUFFIXES = ("_diff", "_diff_mean", "_diff_ci_lower", "_diff_ci_upper")
V1_WHATIF = "whatif"  # the what-if's label in a version-1 file (scenario and whatif)
METADATA_KEYS = ("name", "description", "hash", "seed", "yaml", "file")


def _check(ds):
    if kind(ds) != "comparison":
        raise ValueError(f"not a comparison file: a {kind(ds)} file")


def is_study(ds):
    """Whether the dataset is a study (format version 2, with a `whatif` dimension) rather
    than a version-1 comparison of one what-if."""
    _check(ds)
    return "whatif" in ds.dims


def whatif_labels(ds):
    """The what-ifs' labels along `scenario` (and `whatif`), in the order given to geosim:
    ["whatif"] for a version-1 file, the what-ifs' names for a study."""
    _check(ds)
    if "whatif" in ds.dims:
        return [str(w) for w in ds["whatif"].values]
    return [V1_WHATIF]


def diff_variables(ds):
    """The names of the paired-difference variables (`<var>_diff`, `_diff_mean`,
    `_diff_ci_lower`, `_diff_ci_upper`) of a comparison's per-turn variables."""
    out = []
    for v in ds.data_vars:
        if f"{v}_mean" in ds.data_vars:
            out += [v + s for s in DIFF_SUFFIXES if v + s in ds.data_vars]
    return out


def whatif_view(ds):
    """The comparison with the version-2 shape (see the module's docstring): every paired
    difference has a leading `whatif` dimension, labelled by the what-ifs' `scenario` labels,
    with a `whatif_name` coordinate. A study (version 2) is returned with only that coordinate
    added; a version-1 file's differences get a `whatif` dimension of length 1 labelled
    "whatif". The file's attributes (format_version included) are kept. Idempotent."""
    _check(ds)
    names = dict(zip(map(str, ds["scenario"].values), map(str, ds["scenario_name"].values)))
    if "whatif" not in ds.dims:
        expanded = {v: ds[v].expand_dims(whatif=[V1_WHATIF], axis=0)
                    for v in diff_variables(ds)}
        for v, da in expanded.items():
            da.attrs = dict(ds[v].attrs)
            da.encoding = {}
        ds = ds.assign(expanded)
    if "whatif_name" not in ds.coords:
        labels = [str(w) for w in ds["whatif"].values]
        ds = ds.assign_coords(whatif_name=("whatif", [names.get(w, w) for w in labels],
                                           {"long_name": "the what-if's scenario name"}))
    return ds




def _text(v):
    return v.decode() if isinstance(v, bytes) else (None if v is None else str(v))


def scenario_metadata(ds):
    """[{label, role, name, description, hash, seed, yaml, file}] of every scenario, the base
    first (role "base", then "whatif"), whatever the version: a version-1 file's from its root
    attributes `base_scenario_*`, `base_seed`, `whatif_scenario_*`, `whatif_seed`; a study's
    from its variables `scenario_name`, `scenario_description`, `scenario_hash`,
    `scenario_yaml`, `scenario_file` and `seed` over `scenario`. `seed` is the unsigned 64-bit
    seed (the file stores its bits in int64); a missing item is None."""
    _check(ds)
    out = []
    labels = [str(s) for s in ds["scenario"].values]
    a = ds.attrs
    per_scenario = {name: (ds[name].values if name in ds.variables else [None] * len(labels))
                    for name in ("scenario_description", "scenario_hash", "scenario_yaml",
                                 "scenario_file", "seed")}
    for i, label in enumerate(labels):
        role = "base" if i == 0 else "whatif"
        if "whatif" in ds.dims:
            seed = per_scenario["seed"][i]
            item = {"name": _text(ds["scenario_name"].values[i]),
                    "description": _text(per_scenario["scenario_description"][i]),
                    "hash": _text(per_scenario["scenario_hash"][i]),
                    "seed": None if seed is None else uint64(seed),
                    "yaml": _text(per_scenario["scenario_yaml"][i]),
                    "file": _text(per_scenario["scenario_file"][i])}
        else:
            p = "base" if i == 0 else "whatif"
            item = {"name": _text(a.get(f"{p}_scenario_name", ds["scenario_name"].values[i])),
                    "description": _text(a.get(f"{p}_scenario_description")),
                    "hash": _text(a.get(f"{p}_scenario_hash")),
                    "seed": uint64(a[f"{p}_seed"]) if f"{p}_seed" in a else None,
                    "yaml": _text(a.get(f"{p}_scenario_yaml")),
                    "file": _text(a.get(f"{p}_scenario_file"))}
        out.append({"label": label, "role": role, **item})
    return out


def whatif_metadata(ds):
    """scenario_metadata of the what-ifs only, in order (one for a version-1 file)."""
    return [m for m in scenario_metadata(ds) if m["role"] == "whatif"]


def base_metadata(ds):
    """scenario_metadata of the base."""
    return scenario_metadata(ds)[0]


def whatif_names(ds):
    """{what-if label: its scenario name}, in order."""
    return {m["label"]: m["name"] for m in whatif_metadata(ds)}


__all__ = ["whatif_view", "whatif_labels", "is_study", "scenario_metadata",
           "whatif_metadata", "base_metadata", "whatif_names", "diff_variables",
           "V1_WHATIF", "DIFF_SUFFIXES"]
