//! End-to-end tests: each module runs the built `taller` binary on fixtures.
