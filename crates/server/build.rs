//! Optimised builds embed `web/dist` (see `src/web.rs`). Cargo does not know about that folder,
//! so tell it to recompile when the built UI changes, or when it appears after a build without
//! it. Debug builds read the folder at run time and need nothing.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_CFG_DEBUG_ASSERTIONS").is_some() {
        return;
    }
    if std::path::Path::new("../../web/dist").exists() {
        println!("cargo::rerun-if-changed=../../web/dist");
    } else {
        // Watching the missing folder itself would rerun on every build; its parent changes
        // when `npm run build` creates it.
        println!("cargo::rerun-if-changed=../../web");
    }
}
