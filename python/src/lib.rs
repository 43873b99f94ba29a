//! The native half of the `kpisim` Python package: each function loads a
//! scenario (a file, or TOML text), applies `set`, checks its options as
//! the command line does, calls the library's analysis with the GIL
//! released, and returns the report rendered by the library's JSON export,
//! byte for byte what `kpisim COMMAND --format json` prints. The Python
//! half (kpisim/__init__.py) parses it, and turns `trials`' buffers into a
//! pyarrow Table.

use std::ffi::{c_int, c_void};

use kpisim::aggregate::{Ask, TrialTable, TrialValues};
use kpisim::analysis::{
    self, AnalysisError, Question, Sim, explain_report, kpi_report, sensitivity_report, simulate,
    solve_report, stress_report, sweep_levels, sweep_report,
};
use kpisim::engine::{self, Sampling};
use kpisim::export::reports::Batch;
use kpisim::export::{Format, Report, render};
use kpisim::model::{REPLICATES, Target};
use kpisim::options::{MAX_STEPS, MAX_THREADS, MAX_TRIALS};
use kpisim::present::{num, printable, thousands};
use kpisim::scenario::{self, Loaded};
use pyo3::exceptions::{PyBufferError, PyException};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::{create_exception, ffi};

create_exception!(
    _kpisim,
    Error,
    PyException,
    "A kpisim call that failed: bad options, a run that cannot go on, a question the scenario cannot answer."
);
create_exception!(
    _kpisim,
    ScenarioError,
    Error,
    "A scenario that is missing, unreadable or invalid, or that `set` makes invalid."
);

fn error(message: impl std::fmt::Display) -> PyErr {
    Error::new_err(lines(message))
}

fn scenario_error(message: impl std::fmt::Display) -> PyErr {
    ScenarioError::new_err(lines(message))
}

/// The message as the CLI prints it, less its `kpisim: error: ` prefix:
/// each line made printable, since it quotes the user's files.
fn lines(message: impl std::fmt::Display) -> String {
    message
        .to_string()
        .lines()
        .map(|l| printable(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn analysis_error(e: AnalysisError) -> PyErr {
    match e {
        AnalysisError::Scenario(e) => scenario_error(e),
        e => error(e),
    }
}

/// What every function takes besides its own arguments, as the Python
/// half passes them: one dict with these keys (kpisim/__init__.py's
/// `_args`).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Args<'py> {
    scenario: Option<String>,
    toml: Option<String>,
    set: Option<Bound<'py, PyDict>>,
    trials: u64,
    seed: u64,
    threads: Option<u64>,
    sampling: String,
}

/// The loaded scenario, its simulations and its warnings.
struct Common {
    loaded: Loaded,
    sim: Sim,
    warnings: Vec<String>,
}

fn common(args: Args<'_>) -> PyResult<Common> {
    let sim = sim(args.trials, args.seed, args.threads, &args.sampling)?;
    let loaded = match (args.scenario.as_deref(), args.toml.as_deref()) {
        (Some(path), None) => scenario::load(std::path::Path::new(path)),
        (None, Some(text)) => scenario::from_text(text),
        (Some(_), Some(_)) => {
            return Err(error(
                "give the scenario as a path or as toml= text, not both",
            ));
        }
        (None, None) => {
            return Err(error(
                "give a scenario: a path to its file, or its text as toml=",
            ));
        }
    }
    .map_err(scenario_error)?;
    let warnings = loaded.warnings.iter().map(lines).collect();
    let loaded = match args.set {
        None => loaded,
        Some(d) => {
            let mut sets = Vec::with_capacity(d.len());
            for (k, v) in d.iter() {
                let path: String = k
                    .extract()
                    .map_err(|_| error(format!("set: the key {k} is not a path (a str)")))?;
                let value = toml_value(&v).map_err(|why| error(format!("set[{path:?}]: {why}")))?;
                sets.push((path, value));
            }
            loaded.with_sets(&sets).map_err(scenario_error)?
        }
    };
    Ok(Common {
        loaded,
        sim,
        warnings,
    })
}

/// A Python value as the TOML value a `[[stress]] set` would have written.
fn toml_value(v: &Bound<'_, PyAny>) -> Result<toml::Value, String> {
    // bool before int: Python's True is an int too.
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(toml::Value::Boolean(b.is_true()));
    }
    if let Ok(i) = v.cast::<PyInt>() {
        return i
            .extract::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| format!("{i} does not fit a 64-bit integer"));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Ok(toml::Value::Float(f.value()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(toml::Value::String(s.to_string()));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut t = toml::Table::new();
        for (k, v) in d.iter() {
            let k: String = k
                .extract()
                .map_err(|_| format!("the key {k} is not a str"))?;
            t.insert(k, toml_value(&v)?);
        }
        return Ok(toml::Value::Table(t));
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        return v
            .try_iter()
            .map_err(|e| e.to_string())?
            .map(|item| toml_value(&item.map_err(|e| e.to_string())?))
            .collect::<Result<Vec<_>, _>>()
            .map(toml::Value::Array);
    }
    Err(format!(
        "{} is not a TOML value: give a number, str, bool, list or dict",
        v.get_type()
            .name()
            .map_or_else(|_| "this".into(), |n| n.to_string())
    ))
}

/// The simulations the options ask for, checked as `kpisim`'s
/// `SimOptions` checks them, with no progress bar and the memory a run may
/// take as the limit, as the CLI's (a run too large for it is refused
/// instead of taking the interpreter down).
fn sim(trials: u64, seed: u64, threads: Option<u64>, sampling: &str) -> PyResult<Sim> {
    if trials == 0 || trials > MAX_TRIALS {
        return Err(error(format!(
            "trials={trials}: must be from 1 to {}",
            thousands(MAX_TRIALS)
        )));
    }
    let threads = match threads {
        Some(t) if t == 0 || t > MAX_THREADS => {
            return Err(error(format!(
                "threads={t}: must be from 1 to {MAX_THREADS}, or None for one per core"
            )));
        }
        Some(t) => t as usize,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let sampling = match sampling {
        "mc" => Sampling::MonteCarlo,
        "lhs" => Sampling::LatinHypercube,
        other => {
            return Err(error(format!(
                "sampling={other:?}: must be \"mc\" (Monte Carlo) or \"lhs\" (Latin hypercube)"
            )));
        }
    };
    if sampling == Sampling::LatinHypercube && trials < 2 * REPLICATES as u64 {
        return Err(error(format!(
            "trials={trials}: must be at least {} with sampling=\"lhs\" (two a replicate)",
            2 * REPLICATES
        )));
    }
    Ok(Sim {
        cfg: engine::Config {
            memory_limit: engine::available_memory(),
            sampling,
            ..engine::Config::new(trials, seed, threads)
        },
        precision: None,
        paths: false,
    })
}

fn fraction(name: &str, v: f64) -> PyResult<f64> {
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(error(format!(
            "{name}={}: must be a fraction between 0 and 1, e.g. 0.8",
            num(v)
        )))
    }
}

fn target(name: &str) -> PyResult<Target> {
    match name {
        "revenue" => Ok(Target::Revenue),
        "profit" => Ok(Target::Profit),
        "both" => Ok(Target::Both),
        other => Err(error(format!(
            "target={other:?}: must be \"revenue\", \"profit\" or \"both\""
        ))),
    }
}

/// `report` as `--format json` prints it.
fn json<R: Report>(report: &R) -> PyResult<String> {
    let as_of = kpisim::options::as_of(None).map_err(error)?;
    let bytes = render(report, Format::Json, as_of).map_err(error)?;
    String::from_utf8(bytes).map_err(error)
}

/// Runs `work` with the GIL released, so that other Python threads go on
/// while the simulation runs, and returns its report as JSON with the
/// scenario's warnings.
fn detached<R: Report + Send>(
    py: Python<'_>,
    c: Common,
    work: impl FnOnce(&Loaded, Sim) -> analysis::Result<R> + Send,
) -> PyResult<(String, Vec<String>)> {
    let Common {
        loaded,
        sim,
        warnings,
    } = c;
    let report = py.detach(|| work(&loaded, sim)).map_err(analysis_error)?;
    Ok((json(&report)?, warnings))
}

/// `kpisim run --format json`: the forecast's JSON and the warnings.
#[pyfunction]
#[pyo3(signature = (args))]
fn run(py: Python<'_>, args: Args<'_>) -> PyResult<(String, Vec<String>)> {
    let c = common(args)?;
    detached(py, c, |l, sim| {
        simulate(l, sim.with_paths()).map(|r| Batch(vec![r.summary]))
    })
}

/// `kpisim stress --format json`.
#[pyfunction]
#[pyo3(signature = (args, cases))]
fn stress(
    py: Python<'_>,
    args: Args<'_>,
    cases: Option<Vec<String>>,
) -> PyResult<(String, Vec<String>)> {
    let c = common(args)?;
    // As the CLI: a case named twice runs once, where it was first named.
    let mut names: Vec<String> = Vec::new();
    for n in cases.into_iter().flatten() {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    detached(py, c, |l, sim| stress_report(l, &names, sim))
}

/// `kpisim sweep --format json`.
#[pyfunction]
#[pyo3(signature = (args, path, start, stop, steps, level))]
fn sweep(
    py: Python<'_>,
    args: Args<'_>,
    path: String,
    start: f64,
    stop: f64,
    steps: u64,
    level: Option<f64>,
) -> PyResult<(String, Vec<String>)> {
    for (name, v) in [("start", start), ("stop", stop)] {
        if !v.is_finite() {
            return Err(error(format!("{name}={}: must be a finite number", num(v))));
        }
    }
    if !(2..=MAX_STEPS).contains(&steps) {
        return Err(error(format!(
            "steps={steps}: must be from 2 to {MAX_STEPS} (each step is a full run)"
        )));
    }
    let levels = sweep_levels(level.map(|l| fraction("level", l)).transpose()?);
    let values = kpisim::present::evenly(start, stop, steps as usize);
    let c = common(args)?;
    detached(py, c, |l, sim| {
        sweep_report(l, &path, &values, &levels, sim)
    })
}

/// `kpisim kpis --format json`.
#[pyfunction]
#[pyo3(signature = (args, confidence))]
fn kpis(
    py: Python<'_>,
    args: Args<'_>,
    confidence: Option<f64>,
) -> PyResult<(String, Vec<String>)> {
    let confidence = confidence.map(|c| fraction("confidence", c)).transpose()?;
    let c = common(args)?;
    detached(py, c, |l, sim| kpi_report(l, confidence, sim))
}

/// `kpisim sensitivity --format json`.
#[pyfunction]
#[pyo3(signature = (args))]
fn sensitivity(py: Python<'_>, args: Args<'_>) -> PyResult<(String, Vec<String>)> {
    let c = common(args)?;
    detached(py, c, sensitivity_report)
}

/// `kpisim solve --format json`.
#[pyfunction]
#[pyo3(signature = (args, lever, confidence, target, min, max, monthly))]
#[allow(clippy::too_many_arguments)]
fn solve(
    py: Python<'_>,
    args: Args<'_>,
    lever: String,
    confidence: f64,
    target: &str,
    min: Option<f64>,
    max: Option<f64>,
    monthly: bool,
) -> PyResult<(String, Vec<String>)> {
    let confidence = fraction("confidence", confidence)?;
    for (name, v) in [("min", min), ("max", max)] {
        if let Some(v) = v.filter(|v| !v.is_finite()) {
            return Err(error(format!("{name}={}: must be a finite number", num(v))));
        }
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo >= hi
    {
        return Err(error(format!(
            "min={}: must be below max={}",
            num(lo),
            num(hi)
        )));
    }
    let question = Question {
        lever,
        confidence,
        target: self::target(target)?,
        range: (min, max),
        monthly,
    };
    let c = common(args)?;
    detached(py, c, |l, sim| solve_report(l, &question, sim))
}

/// `kpisim explain --format json`.
#[pyfunction]
#[pyo3(signature = (args, target, density, min_mass))]
fn explain(
    py: Python<'_>,
    args: Args<'_>,
    target: &str,
    density: f64,
    min_mass: f64,
) -> PyResult<(String, Vec<String>)> {
    if !(density > 0.0 && density <= 1.0) {
        return Err(error(format!(
            "density={}: must be a fraction above 0 and at most 1, e.g. 0.8",
            num(density)
        )));
    }
    let ask = Ask {
        density,
        min_mass: fraction("min_mass", min_mass)?,
    };
    let target = self::target(target)?;
    let c = common(args)?;
    detached(py, c, |l, sim| explain_report(l, sim, target, ask))
}

/// One column of the trials, owned here and lent to pyarrow through the
/// buffer protocol: pyarrow reads the very bytes the engine wrote, and
/// keeps this object alive as long as any array uses them.
#[pyclass(frozen, module = "kpisim._kpisim")]
struct Column {
    data: Data,
}

enum Data {
    U64(Vec<u64>),
    F64(Vec<f64>),
    /// Arrow's booleans: one bit a trial, least significant first.
    Bits(Vec<u8>),
}

impl Data {
    fn bytes(&self) -> &[u8] {
        fn raw<T>(v: &[T]) -> &[u8] {
            // SAFETY: u64 and f64 have no padding and every byte of them is
            // initialised; u8 has no alignment to keep.
            unsafe { std::slice::from_raw_parts(v.as_ptr().cast::<u8>(), std::mem::size_of_val(v)) }
        }
        match self {
            Data::U64(v) => raw(v),
            Data::F64(v) => raw(v),
            Data::Bits(v) => v,
        }
    }
}

#[pymethods]
impl Column {
    /// Lends the column's bytes, read-only.
    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        if flags & ffi::PyBUF_WRITABLE == ffi::PyBUF_WRITABLE {
            return Err(PyBufferError::new_err("a kpisim column is read-only"));
        }
        let bytes = slf.get().data.bytes();
        // SAFETY: `view` is the buffer CPython asks to fill; the bytes stay
        // where they are while `slf` lives, and PyBuffer_FillInfo takes a
        // reference to `slf` that the view holds until it is released.
        let filled = unsafe {
            ffi::PyBuffer_FillInfo(
                view,
                slf.as_ptr(),
                bytes.as_ptr() as *mut c_void,
                bytes.len() as ffi::Py_ssize_t,
                1,
                flags,
            )
        };
        if filled == -1 {
            return Err(PyErr::fetch(slf.py()));
        }
        Ok(())
    }

    fn __len__(&self) -> usize {
        self.data.bytes().len()
    }
}

/// Booleans packed as Arrow packs them: one bit each, least significant
/// first.
fn packed(values: &[bool]) -> Vec<u8> {
    let mut out = vec![0u8; values.len().div_ceil(8)];
    for (i, v) in values.iter().enumerate() {
        if *v {
            out[i / 8] |= 1 << (i % 8);
        }
    }
    out
}

/// `kpisim run --trials-out`'s columns, in its order
/// ([`TrialTable::into_columns`]), each as (name, Arrow type, buffer).
fn columns(table: TrialTable) -> Vec<(String, &'static str, Column)> {
    table
        .into_columns()
        .into_iter()
        .map(|(name, values)| {
            let (kind, data) = match values {
                TrialValues::Index(v) => ("u64", Data::U64(v)),
                TrialValues::Number(v) => ("f64", Data::F64(v)),
                TrialValues::Hit(v) => ("bool", Data::Bits(packed(&v))),
            };
            (name, kind, Column { data })
        })
        .collect()
}

/// `kpisim run --trials-out`: the trials' count, their columns, and the
/// warnings.
#[pyfunction]
#[pyo3(signature = (args))]
#[allow(clippy::type_complexity)]
fn trials(
    py: Python<'_>,
    args: Args<'_>,
) -> PyResult<(u64, Vec<(String, &'static str, Column)>, Vec<String>)> {
    let Common {
        loaded,
        mut sim,
        warnings,
    } = common(args)?;
    sim.cfg.keep_trials = true;
    let table = py
        .detach(|| simulate(&loaded, sim).map(|r| r.table))
        .map_err(analysis_error)?
        .ok_or_else(|| error("the run kept no trials"))?;
    let n = table.revenue.len() as u64;
    let cols = py.detach(|| columns(table));
    Ok((n, cols, warnings))
}

/// kpisim's analyses, called by the `kpisim` package.
#[pymodule]
fn _kpisim(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("VERSION", kpisim::VERSION)?;
    m.add_class::<Column>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(stress, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(kpis, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(solve, m)?)?;
    m.add_function(wrap_pyfunction!(explain, m)?)?;
    m.add_function(wrap_pyfunction!(trials, m)?)?;
    Ok(())
}
