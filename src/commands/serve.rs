//! `kpisim serve`: load the scenario, then serve it until Ctrl-C. The
//! signal handler of [`super::dispatch`] ends the process, server and
//! runs alike, as it ends any other command.

use super::load;
use crate::error::Result;
use crate::options::ServeOptions;

/// Runs `kpisim serve`.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let l = load(&opts.scenario)?;
    crate::serve::serve(l, opts)
}
