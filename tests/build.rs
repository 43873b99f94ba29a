//! The build's settings hold together: the Python package's release
//! profile is the CLI's, section for section, so that with one
//! `CARGO_TARGET_DIR` the wheel's build reuses the dependencies the CLI's
//! `cargo build --release` compiled, and its simulation is optimised as
//! the CLI's is.

use crate::util::root;

fn release_profile(manifest: &str) -> toml::Value {
    let text = std::fs::read_to_string(root().join(manifest)).expect(manifest);
    let table: toml::Table = toml::from_str(&text).expect(manifest);
    table["profile"]["release"].clone()
}

#[test]
fn python_package_builds_with_the_cli_profile() {
    assert_eq!(
        release_profile("python/Cargo.toml"),
        release_profile("Cargo.toml")
    );
}
