# kpisim in a container: docs/cluster.md says how to build, run and size it.
#
#   docker build -t kpisim:0.2.0 .
#   docker run --rm kpisim:0.2.0 run scenarios/shandian-2016.toml
#
# The build stage compiles with the versions Cargo.lock pins (--locked), the
# ones CI tested, not whatever crates.io serves on the day. Rust 1.95
# because Cargo.lock's sysinfo 0.39.6 (under polars) needs it; an older
# toolchain refuses the locked graph. Both stages are Debian 12 (bookworm),
# so the binary links against the glibc it runs with; move both tags
# together.
FROM rust:1.95.0-slim-bookworm AS build
WORKDIR /src
COPY . .
# Stripping the symbol table takes 40% off the binary (docs/cluster.md has
# the sizes); panic messages keep their text, backtraces lose function
# names. binutils' strip, because Cargo.toml's per-package release settings
# make cargo ignore a profile-wide strip given from outside.
RUN cargo build --release --locked \
    && strip --strip-all -o /kpisim target/release/kpisim

# The run stage: the binary and the shipped scenarios, nothing else. The
# binary needs only glibc, libm and libgcc_s (ldd), all in the base image.
# A dated tag: the same base on every rebuild; move it to a newer date for
# Debian's security fixes.
FROM debian:bookworm-20260803-slim
COPY --from=build /kpisim /usr/local/bin/kpisim
COPY scenarios /kpisim/scenarios
WORKDIR /kpisim
# A numeric, non-root user with no entry in /etc/passwd: kpisim reads no
# home directory, and a number lets Kubernetes' runAsNonRoot check it
# without a runAsUser. Files it writes must go to a mounted directory this
# user may write (docs/cluster.md).
USER 10001:10001
ENTRYPOINT ["kpisim"]
CMD ["--help"]
