//! What the API answers, apart from HTTP: the scenario's controls and a
//! run of a variant, one run at a time.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::aggregate::Summary;
use crate::analysis::{AnalysisError, CHECKPOINT, Sim, summarise};
use crate::engine::{self, Run};
use crate::export::reports::Batch;
use crate::export::{self, AsOf, Format};
use crate::model::Model;
use crate::options::{ServeOptions, check_trials};
use crate::scenario::Loaded;

/// Largest request body read: a run request is a few hundred bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// Longest a run may take before it is stopped and answered 503: a
/// request the server cannot finish must not hold it for good.
pub const TIME_LIMIT: Duration = Duration::from_secs(300);

/// The range each control offers, as a multiplier (1 = as written).
const RANGE: (f64, f64) = (0.5, 1.5);

/// The schedules a control multiplies.
const SCHEDULES: [&str; 3] = ["marketing.budget", "costs.staff", "costs.infra"];

/// The server's state: the scenario, what it offers, the run in progress.
pub struct App {
    loaded: Loaded,
    /// The token every request must show, when one is needed.
    pub token: Option<String>,
    /// The address listened on (for the Host check).
    pub local: SocketAddr,
    trials: u64,
    seed: u64,
    threads: usize,
    scenario: Vec<u8>,
    /// The number of the newest run asked for: an older run that sees a
    /// newer number stops.
    latest: AtomicU64,
    running: Mutex<()>,
    /// The last run's request and summary: the page asks for the view of
    /// the run it has just been answered, which is then drawn, not rerun.
    last: Mutex<Option<(String, Arc<Summary>)>>,
}

/// Why a run request has no answer, and so its status.
#[derive(Debug)]
pub enum Failure {
    /// The request is wrong (400): the message says how.
    Bad(String),
    /// A newer request cancelled it (409).
    Cancelled,
    /// It ran out of [`TIME_LIMIT`] (503).
    TimedOut,
    /// The server failed (500).
    Internal(String),
}

impl Failure {
    /// The one line an answer's `error` says.
    pub fn message(&self) -> String {
        match self {
            Failure::Bad(m) | Failure::Internal(m) => m.clone(),
            Failure::Cancelled => "cancelled: a newer run was asked for".into(),
            Failure::TimedOut => format!(
                "the run took longer than {} s and was stopped: ask for fewer trials",
                TIME_LIMIT.as_secs()
            ),
        }
    }
}

#[derive(Serialize)]
struct Control {
    path: String,
    kind: &'static str,
    min: f64,
    max: f64,
}

#[derive(Serialize)]
struct ScenarioInfo<'a> {
    scenario: &'a str,
    scenario_sha256: &'a str,
    trials: u64,
    seed: u64,
    controls: Vec<Control>,
    cases: Vec<&'a str>,
}

/// The body of `POST /api/run`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunRequest {
    #[serde(default)]
    scale: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    case: Option<String>,
    #[serde(default)]
    trials: Option<u64>,
    #[serde(default)]
    seed: Option<u64>,
}

impl App {
    /// The server of `l` as `opts` say, listening on `local`.
    pub fn new(l: Loaded, opts: &ServeOptions, token: Option<String>, local: SocketAddr) -> Self {
        // A control only where a multiplier applies (not to a beta
        // elasticity, nor to an input the file leaves out).
        let applies = |path: &str| l.variant(None, &[(path.to_string(), 1.0)]).is_ok();
        let mut controls: Vec<Control> = l
            .scenario
            .inputs()
            .into_iter()
            .map(|(path, _)| (path, "input"))
            .chain(SCHEDULES.iter().map(|p| (p.to_string(), "schedule")))
            .filter(|(path, _)| applies(path))
            .map(|(path, kind)| Control {
                path,
                kind,
                min: RANGE.0,
                max: RANGE.1,
            })
            .collect();
        controls.dedup_by(|a, b| a.path == b.path);
        let info = ScenarioInfo {
            scenario: &l.scenario.name,
            scenario_sha256: &l.sha256,
            trials: opts.trials,
            seed: opts.seed,
            controls,
            cases: l.scenario.stress.iter().map(|c| c.name.as_str()).collect(),
        };
        let scenario = serde_json::to_vec_pretty(&info).unwrap_or_default();
        App {
            token,
            local,
            trials: opts.trials,
            seed: opts.seed,
            threads: opts.threads,
            scenario,
            latest: AtomicU64::new(0),
            running: Mutex::new(()),
            last: Mutex::new(None),
            loaded: l,
        }
    }

    /// The body of `GET /api/scenario`.
    pub fn scenario(&self) -> &[u8] {
        &self.scenario
    }

    /// Answers a run request's `body`: the JSON `kpisim run --format json`
    /// prints for the variant it asks for.
    pub fn run(&self, body: &[u8]) -> Result<Vec<u8>, Failure> {
        let done = self.summary(body)?;
        // JSON carries no date.
        export::render(
            &Batch(vec![done.as_ref().clone()]),
            Format::Json,
            AsOf::from_unix_seconds(0),
        )
        .map_err(|e| Failure::Internal(e.to_string()))
    }

    /// Answers a view request's `body` (a run request): the report's
    /// headline table and fan charts of that run, as HTML in JSON.
    pub fn view(&self, body: &[u8]) -> Result<Vec<u8>, Failure> {
        let done = self.summary(body)?;
        let live = export::reports::live(&done).map_err(|e| Failure::Internal(e.to_string()))?;
        serde_json::to_vec(&live).map_err(|e| Failure::Internal(e.to_string()))
    }

    /// The summary of the run `body` asks for: the last one's when it asked
    /// for the same, else a new run's.
    fn summary(&self, body: &[u8]) -> Result<Arc<Summary>, Failure> {
        let (variant, trials, seed, key) = self.variant(body)?;
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if let Some((k, done)) = last
            && k == key
        {
            return Ok(done);
        }
        let done = Arc::new(self.simulate(&variant, trials, seed)?);
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some((key, done.clone()));
        Ok(done)
    }

    /// The variant, trials and seed `body` asks for, and a key that is the
    /// same for two requests exactly when they ask for the same run.
    fn variant(&self, body: &[u8]) -> Result<(Loaded, u64, u64, String), Failure> {
        let shape = |e: &dyn std::fmt::Display| {
            Failure::Bad(format!(
                "the body is not a run request ({{\"scale\": {{PATH: factor}}, \"case\": NAME or null, \"trials\": N or null, \"seed\": S or null}}): {e}"
            ))
        };
        // serde takes a struct from an array too; a request is an object.
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| shape(&e))?;
        if !value.is_object() {
            return Err(shape(&"it is not a JSON object"));
        }
        let req: RunRequest = serde_json::from_value(value).map_err(|e| shape(&e))?;
        let l = &self.loaded;
        let case = match &req.case {
            None => None,
            Some(name) => Some(
                l.scenario
                    .stress
                    .iter()
                    .position(|c| &c.name == name)
                    .ok_or_else(|| {
                        Failure::Bad(
                            AnalysisError::UnknownCase {
                                case: name.clone(),
                                file: l.file.clone(),
                                cases: l.scenario.stress.iter().map(|c| c.name.clone()).collect(),
                            }
                            .to_string(),
                        )
                    })?,
            ),
        };
        let scale = req
            .scale
            .unwrap_or_default()
            .into_iter()
            .map(|(path, v)| match v.as_f64() {
                Some(f) => Ok((path, f)),
                None => Err(Failure::Bad(format!(
                    "{path} = {v}: a multiplier is a number, such as 0.9"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let trials = req.trials.unwrap_or(self.trials);
        check_trials("trials", trials).map_err(|e| Failure::Bad(e.to_string()))?;
        let seed = req.seed.unwrap_or(self.seed);
        let variant = l
            .variant(case, &scale)
            .map_err(|e| Failure::Bad(e.to_string()))?;
        let key = format!("{case:?} {scale:?} {trials} {seed}");
        Ok((variant, trials, seed, key))
    }

    /// Runs `variant` in steps, stopping when a newer run is asked for or
    /// the time runs out.
    fn simulate(&self, variant: &Loaded, trials: u64, seed: u64) -> Result<Summary, Failure> {
        let me = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        // The older run, if any, sees the newer number at its next step and
        // lets go; a poisoned lock only means an older run panicked.
        let _one = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let cancelled = || self.latest.load(Ordering::SeqCst) != me;
        if cancelled() {
            return Err(Failure::Cancelled);
        }
        let deadline = Instant::now() + TIME_LIMIT;
        let model = Model::compile(&variant.scenario);
        let sim = Sim {
            cfg: engine::Config {
                memory_limit: engine::available_memory(),
                ..engine::Config::new(trials, seed, self.threads)
            },
            precision: None,
            paths: true,
        };
        let failed = |e: engine::EngineError| match e {
            engine::EngineError::Threads(_) => Failure::Internal(e.to_string()),
            e => Failure::Bad(e.to_string()),
        };
        let mut run = Run::new(&model, &sim.cfg).map_err(failed)?;
        while run.trials() < trials {
            if cancelled() {
                return Err(Failure::Cancelled);
            }
            if Instant::now() > deadline {
                return Err(Failure::TimedOut);
            }
            run.extend(run.trials() + CHECKPOINT).map_err(failed)?;
        }
        summarise(&model, &variant.scenario, variant, &sim, run.finish(), None)
            .map(|done| done.summary)
            .map_err(|e| Failure::Bad(e.to_string()))
    }
}
